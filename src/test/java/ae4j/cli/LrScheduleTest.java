package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.train.Engine;
import ae4j.train.Model;
import ae4j.train.ModelFile;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train custom --lr-schedule} and {@code --early-stopping}: the epochs' table and history.json show the rate
 * each epoch trained at, the run says which epoch's weights it kept, and a resumed run must name the same schedule.
 */
class LrScheduleTest {
    @TempDir
    Path dir;

    @Test
    void aPlateauRunLogsItsRatesKeepsTheBestWeightsAndResumesOnlyWithItsSchedule() throws IOException {
        Path data = dir.resolve("rows.csv");
        OwnDataTest.writeCsv(data, 400, 0, new Random(1));
        Path out = dir.resolve("run");
        // Noise on the inputs and a large rate keep val_loss moving once it has fallen: the run stops early.
        String[] train = {"train", "custom", "--data", data.toString(), "--label-column", "kind", "--layers", "8,3", "--noise",
                "gaussian:0.5", "--optimizer", "sgd:0.5", "--epochs", "60", "--early-stopping", "2", "--out", out.toString()};
        Cli.Result r = Cli.run(ResumeTest.concat(train, "--lr-schedule", "plateau:0.5:1")).assertOk();
        Matcher stop = Pattern.compile("Early stopping model after epoch (\\d+) of 60: val_loss has not improved in 2 epochs; "
                + "it keeps the weights of epoch (\\d+), the best \\(val_loss ").matcher(r.out());
        assertTrue(stop.find(), r.out());
        int stopped = Integer.parseInt(stop.group(1));
        int best = Integer.parseInt(stop.group(2));
        assertEquals(stopped - 2, best);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("epoch") && l.contains(" lr ")), "the table shows the rates: " + r.out());
        assertTrue(r.out().contains("ReduceLROnPlateau reducing learning rate to"), r.out());

        JsonNode epochs = ResumeTest.history(out).get("epochs");
        assertEquals(stopped, epochs.size(), "history.json lists every epoch");
        assertEquals(0.5, epochs.get(0).get("lr").asDouble());
        assertTrue(epochs.get(stopped - 1).get("lr").asDouble() < 0.5, "lowered on the plateaus");
        assertTrue(Files.exists(out.resolve("learning_curves.png")));
        Model kept = ModelFile.load(out.resolve("model.zip"), Engine.nd4j(0).verbose(false)).model();
        assertEquals(stopped, kept.history().epochs().size());
        float[] keptWeights = kept.params().toFloatVector();

        byte[] saved = Files.readAllBytes(out.resolve("model.zip"));
        Cli.run(ResumeTest.concat(train, "--resume", "--lr-schedule", "exponential:0.9:10"))
                .assertUsageError("was trained with --lr-schedule plateau:0.5:1:0.0, not exponential:0.9:10");
        Cli.run(ResumeTest.concat(train, "--resume")).assertUsageError("was trained with --lr-schedule plateau:0.5:1:0.0, not (none)");
        assertArrayEquals(saved, Files.readAllBytes(out.resolve("model.zip")), "a refused resume writes nothing");

        Cli.Result again = Cli.run(ResumeTest.concat(train, "--resume", "--lr-schedule", "plateau:0.5:1:0")).assertOk();
        assertTrue(again.out().contains("it keeps the weights of epoch " + best + ","), "the same schedule, typed otherwise: " + again.out());
        assertArrayEquals(keptWeights, ModelFile.load(out.resolve("model.zip"), Engine.nd4j(0).verbose(false)).model().params().toFloatVector(),
                "nothing more to train: the same weights");
    }
}
