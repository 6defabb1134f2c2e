package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.NativeEngineBuilt;
import ae4j.data.TinyDataset;
import ae4j.train.Engine;
import ae4j.train.ModelFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --resume continues the run that was saved, and only that one; history.json and the model files agree. */
class ResumeTest {
    @TempDir
    Path dir;

    static JsonNode history(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("history.json").toFile());
    }

    static int epochsIn(Path modelFile) {
        return ModelFile.load(modelFile, Engine.nd4j(0).verbose(false)).model().history().epochs().size();
    }

    @Test
    void resumeContinuesTheSameRunAndRefusesAnother() throws IOException {
        String out = dir.resolve("linear").toString();
        Cli.run("train", "linear", "--epochs", "3", "--out", out).assertOk();
        Cli.Result resumed = Cli.run("train", "linear", "--epochs", "5", "--out", out, "--resume").assertOk();
        assertTrue(resumed.out().contains("Resuming model from") && resumed.out().contains("after epoch 3"), resumed.out());
        assertEquals(5, history(Path.of(out)).get("epochs").size());
        assertEquals(5, epochsIn(Path.of(out, "model.zip")));

        Path model = Path.of(out, "model.zip");
        byte[] saved = Files.readAllBytes(model);
        Cli.run("train", "linear", "--epochs", "6", "--out", out, "--resume", "--batch-size", "16")
                .assertUsageError("was trained with --batch-size 32, not 16");
        Cli.run("train", "linear", "--epochs", "6", "--out", out, "--resume", "--seed", "7").assertUsageError("--seed 42, not 7");
        Cli.run("train", "linear", "--epochs", "6", "--out", out, "--resume", "--lr", "0.5").assertUsageError("--lr (the book's), not 0.5");
        Cli.run("train", "linear", "--epochs", "4", "--out", out, "--resume").assertUsageError("has trained 5 epochs", "--epochs 4 asks for fewer");
        assertEquals(java.util.Arrays.hashCode(saved), java.util.Arrays.hashCode(Files.readAllBytes(model)), "a refused resume writes nothing");
        Cli.run("train", "linear", "--out", dir.resolve("empty").toString(), "--resume").assertUsageError("nothing to resume");
        assertTrue(Files.notExists(dir.resolve("empty")), "and leaves no folder behind");
    }

    @Test
    void theEngineIsASettingOfTheRun() throws IOException {
        String out = dir.resolve("nd4j").toString();
        Cli.run("train", "linear", "--epochs", "2", "--out", out, "--engine", "nd4j").assertOk();
        assertEquals("nd4j", history(Path.of(out)).get("engine").asText());
        if (NativeEngineBuilt.built()) {
            Cli.run("train", "linear", "--epochs", "3", "--out", out, "--resume").assertUsageError("was trained with --engine nd4j, not native");
        }
        Cli.run("train", "linear", "--epochs", "3", "--out", out, "--engine", "nd4j", "--resume").assertOk();
        assertEquals(3, history(Path.of(out)).get("epochs").size());
    }

    @Test
    void greedyPhasesAfterOneThatTrainsFurtherStartOver() throws IOException {
        Path data = TinyDataset.write(Files.createDirectories(dir.resolve("data")), 240, 60, true);
        Path out = dir.resolve("greedy");
        String[] common = {"train", "greedy", "--data", data.toString(), "--out", out.toString()};
        Cli.run(concat(common, "--epochs", "2", "--fine-tune-epochs", "2")).assertOk();
        JsonNode first = history(out);

        Cli.Result r = Cli.run(concat(common, "--epochs", "3", "--fine-tune-epochs", "2", "--resume")).assertOk();
        assertTrue(r.out().contains("phase1 trained further, so the phases after it start over"), r.out());
        JsonNode second = history(out);
        JsonNode phases = second.get("phases");
        assertEquals(3, phases.get(0).get("epochs").size());
        assertEquals(first.get("phases").get(0).get("epochs").get(1).get("loss").asDouble(),
                phases.get(0).get("epochs").get(1).get("loss").asDouble(), 0, "phase 1 continued");
        assertEquals(3, phases.get(1).get("epochs").size(), "phase 2 trained again, from scratch, for 3 epochs");
        assertNotEquals(first.get("phases").get(1).get("epochs").get(0).get("loss").asDouble(),
                phases.get(1).get("epochs").get(0).get("loss").asDouble(), "on phase 1's new codings");
        assertNotEquals(first.get("epochs").get(0).get("loss").asDouble(), second.get("epochs").get(0).get("loss").asDouble(),
                "the stacked model was fine-tuned again from the new phases");
        assertEquals(2, epochsIn(out.resolve("model.zip")));
        assertEquals(second.get("epochs").get(1).get("loss").asDouble(),
                ModelFile.load(out.resolve("model.zip"), Engine.nd4j(0)).model().history().last().loss(), 0,
                "model.zip is the model history.json describes");

        Cli.run(concat(common, "--epochs", "3", "--resume", "--fine-tune-epochs", "1"))
                .assertUsageError("model.zip has trained 2 epochs", "--fine-tune-epochs 1 asks for fewer");
        Cli.Result nothingNew = Cli.run(concat(common, "--epochs", "3", "--fine-tune-epochs", "2", "--resume")).assertOk();
        assertTrue(!nothingNew.out().contains("start over"), "nothing trained further: every phase resumes");
    }

    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
