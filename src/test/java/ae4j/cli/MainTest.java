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
