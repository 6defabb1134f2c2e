package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.data.TinyDataset;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's exit codes and messages: 0 ok, 2 bad input (one line, no stack trace), and the JSON of info. */
class MainTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpAndVersion() {
        Result help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("info") && help.out().contains("--backend"), help.out());
        Result infoHelp = run("info", "--help");
        assertEquals(0, infoHelp.code());
        assertTrue(infoHelp.out().contains("--json") && infoHelp.out().contains("--data"), infoHelp.out());
        Result version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("ae4j "), version.out());
    }

    @Test
    void usageErrorsExitWithTwo() {
        Result unknown = run("frobnicate");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("ae4j: error: "), unknown.err());
        assertEquals(2, run().code(), "a command is required");
        assertEquals(2, run("info", "--no-such-flag").code());
    }

    @Test
    void askingForAnotherBackendThanTheBuildIsAUsageError() {
        Result r = run("info", "--backend", "cuda");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("this is the cpu build") && r.err().contains("./ae4j --backend cuda"), r.err());
    }

    @Test
    void truncatedIdxFileGivesOneLineAndExitCodeTwo() throws IOException {
        TinyDataset.write(dir, 24, 12, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] all = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(all, all.length / 3));
        Result r = run("info", "--data", dir.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("ae4j: error: " + images + ": truncated"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void missingDataDirectoryIsReported() {
        Result r = run("info", "--data", dir.resolve("absent").toString());
        assertEquals(2, r.code());
        assertEquals("ae4j: error: --data " + dir.resolve("absent") + ": not a directory", r.err().strip());
    }

    @Test
    void badTrainingFlagsAreOneLineUsageErrors() throws IOException {
        Path blocked = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a folder");
        String[][] cases = {
                {"train", "stacked", "--epochs", "0"},
                {"train", "stacked", "--batch-size", "-1"},
                {"train", "stacked", "--lr", "nan"},
                {"train", "stacked", "--lr", "-0.5"},
                {"train", "autoencoderz"},
                {"train", "linear", "--out", blocked.resolve("sub").toString()},
                {"train", "linear", "--epochs", "many"},
        };
        for (String[] args : cases) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " → " + r.err());
            assertTrue(r.err().startsWith("ae4j: error: "), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
        assertTrue(run("train", "autoencoderz").err().contains("choose one of linear, stacked, tied, greedy"));
    }

    @Test
    void trainLinearWritesTheModelAndHistory() throws IOException {
        Path out = dir.resolve("linear");
        Result r = run("train", "linear", "--epochs", "3", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("PCA check"), r.out());
        JsonNode history = new ObjectMapper().readTree(out.resolve("history.json").toFile());
        assertEquals("linear", history.get("model").asText());
        assertEquals(17, history.get("params").asInt());
        assertEquals(42, history.get("seed").asInt());
        assertEquals("cpu", history.get("backend").asText());
        assertEquals(3, history.get("epochs").size());
        JsonNode epoch = history.get("epochs").get(2);
        for (String key : new String[]{"epoch", "loss", "seconds", "val_seconds"}) {
            assertTrue(epoch.has(key), key);
        }
        for (String key : new String[]{"principal_angle_deg", "mse", "pca_mse"}) {
            assertTrue(history.get("pca").get(key).asDouble() >= 0, key);
        }
        assertTrue(java.nio.file.Files.exists(out.resolve("model.zip")));

        Result resumed = run("train", "linear", "--epochs", "5", "--out", out.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("after epoch 3"), resumed.out());
        assertEquals(5, new ObjectMapper().readTree(out.resolve("history.json").toFile()).get("epochs").size());
    }

    @Test
    void quickDemoWritesASelfContainedReport() throws IOException {
        Path out = dir.resolve("demo");
        Result r = run("demo", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String html = java.nio.file.Files.readString(out.resolve("report.html"));
        assertTrue(html.split("data:image/png;base64,", -1).length - 1 >= 8, "every figure is embedded");
        assertTrue(html.contains("book (Keras)") && html.contains("Unsupervised pretraining"), "tables beside the book's numbers");
        for (String file : new String[]{"linear/linear_pca.png", "stacked/reconstructions.png", "stacked/tsne.png", "stacked/tsne.csv",
                "tied/reconstructions.png", "greedy/reconstructions.png", "pretraining.json", "stacked/history.json"}) {
            assertTrue(java.nio.file.Files.size(out.resolve(file)) > 100, file);
        }
    }

    static String benchJson(String cpu, double stackedMs) {
        return "{\"format\":\"ae4j-bench/2\",\"machine\":{\"cpu_model\":\"" + cpu + "\",\"cpu_cores\":2,\"backend\":\"cpu\",\"gpus\":[]},"
                + "\"results\":[{\"model\":\"stacked\",\"engine\":\"native\",\"threads\":1,\"batch_size\":32,\"ms_per_step_median\":" + stackedMs + "},"
                + "{\"model\":\"tied\",\"engine\":\"native\",\"threads\":1,\"batch_size\":32,\"ms_per_step_median\":0.3}]}";
    }

    @Test
    void benchCompareShowsTwoRecordedRunsSideBySide() throws IOException {
        Path a = java.nio.file.Files.writeString(dir.resolve("laptop.json"), benchJson("Laptop CPU", 0.4));
        Path b = java.nio.file.Files.writeString(dir.resolve("server.json"), benchJson("Server CPU", 0.2));
        Result r = run("bench", "compare", a.toString(), b.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Laptop CPU") && r.out().contains("Server CPU"), r.out());
        assertTrue(r.out().contains("stacked native×1 32") && r.out().contains("2.00×"), r.out());

        Path broken = java.nio.file.Files.writeString(dir.resolve("broken.json"), "{\"format\": \"something else\"}");
        Result bad = run("bench", "compare", a.toString(), broken.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("not an ae4j bench JSON file"), bad.err());
    }

    @Test
    void infoJsonShowsBackendBlasAndDataset() throws IOException {
        TinyDataset.write(dir, 24, 12, false);
        Result r = run("info", "--json", "--data", dir.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode info = new ObjectMapper().readTree(r.out());
        assertEquals("cpu", info.get("backend").asText());
        assertEquals("OPENBLAS", info.get("blas_vendor").asText());
        assertTrue(info.get("blas_threads").asInt() >= 1);
        assertTrue(info.get("cpu_cores").asInt() >= 1);
        assertEquals("--data", info.get("dataset").get("origin").asText());
        assertEquals(dir.toString(), info.get("dataset").get("path").asText());
        assertEquals(22, info.get("dataset").get("train").asInt());
        assertEquals(2, info.get("dataset").get("validation").asInt());
    }
}
