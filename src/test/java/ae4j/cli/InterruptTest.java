package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.data.DataLocator;
import ae4j.data.TinyDataset;
import ae4j.train.Engine;
import ae4j.train.ModelFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping training from outside (Ctrl-C) keeps the last saved epoch in the model file and in history.json, and
 * says in one line what was kept and the command that continues it. The JVM runs its shutdown hooks alike for
 * SIGINT (Ctrl-C) and SIGTERM; the test sends SIGTERM, which a child of a non-interactive shell cannot ignore.
 */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    void anInterruptedRunSaysWhatItKeptAndContinuesFromIt() throws IOException, InterruptedException {
        Path data = TinyDataset.write(Files.createDirectories(dir.resolve("data")), 240, 60, true);
        Path out = dir.resolve("stacked");
        Path err = dir.resolve("err.txt");
        List<String> args = List.of("train", "stacked", "--epochs", "100000", "--engine", "nd4j", "--data", data.toString(),
                "--out", out.toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-D" + DataLocator.CONFINED_PROPERTY + "=true", "ae4j.cli.Main"));
        command.addAll(args);
        Process training = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        try {
            Path history = out.resolve("history.json");
            for (int waited = 0; !Files.exists(history) && training.isAlive() && waited < 1200; waited++) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(history), "history.json is written while training: " + Files.readString(err));
            Thread.sleep(500);
        } finally {
            training.destroy();
            assertTrue(training.waitFor(60, TimeUnit.SECONDS));
        }
        String message = Files.readString(err);
        Matcher m = Pattern.compile("ae4j: interrupted: (\\S+) and (\\S+) hold epoch (\\d+) of 100000 of model; continue with: \\./ae4j (.*)")
                .matcher(message);
        assertTrue(m.find(), message);
        assertEquals(1, message.lines().filter(l -> l.startsWith("ae4j: interrupted")).count(), message);
        int epoch = Integer.parseInt(m.group(3));
        assertEquals(out.resolve("model.zip").toString(), m.group(1));
        assertEquals(out.resolve("history.json").toString(), m.group(2));
        assertEquals(epoch, ModelFile.load(out.resolve("model.zip"), Engine.nd4j(0).verbose(false)).model().history().epochs().size(),
                "model.zip holds the epoch the message names");
        assertEquals(epoch, new ObjectMapper().readTree(out.resolve("history.json").toFile()).get("epochs").size(),
                "and so does history.json");
        assertEquals(String.join(" ", args) + " --resume", m.group(4));
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no half-written file is left");
        }

        List<String> resume = new ArrayList<>(List.of(m.group(4).split(" ")));
        resume.set(resume.indexOf("100000"), String.valueOf(epoch + 1));
        Cli.Result continued = Cli.run(resume.toArray(String[]::new)).assertOk();
        assertTrue(continued.out().contains("after epoch " + epoch), continued.out());
    }
}
