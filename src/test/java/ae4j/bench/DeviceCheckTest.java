package ae4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ae4j.NativeEngineBuilt;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU bundle's check, on its CPU half: it runs where ND4J is absent, and writes what the PyTorch reference reads. */
class DeviceCheckTest {
    @TempDir
    Path dir;

    @BeforeEach
    void nativeEngineBuilt() {
        NativeEngineBuilt.assume();
    }

    @Test
    void cpuHalfTrainsEveryModelAndWritesThePyTorchInputs() throws IOException {
        int code = DeviceCheck.run("--no-gpu", "--epochs", "2", "--batch-sizes", "32,100", "--threads", "2", "--out", dir.toString());
        assertEquals(0, code);
        String results = Files.readString(dir.resolve("ae4j-results.json"));
        for (String model : List.of("stacked", "tied")) {
            for (int batch : List.of(32, 100)) {
                assertTrue(results.contains("\"model\": \"" + model + "\", \"engine\": \"cpu x2\", \"batch\": " + batch), results);
            }
        }
        for (String laterModelAndBatch : List.of("denoising-dropout\", \"engine\": \"cpu x2\", \"batch\": 32",
                "sparse-kl\", \"engine\": \"cpu x2\", \"batch\": 32", "variational\", \"engine\": \"cpu x2\", \"batch\": 128")) {
            assertTrue(results.contains("\"model\": \"" + laterModelAndBatch), results);
        }
        assertTrue(results.contains("\"failures\": []"), results);
        assertEquals(218_084 * 4, Files.size(dir.resolve("init-sparse-kl.bin")), "784-100-300-100-784");
        assertEquals(269_504 * 4, Files.size(dir.resolve("init-variational.bin")), "784-150-100-2x10, sampling, 10-100-150-784");
        assertEquals(163_814 * 4, Files.size(dir.resolve("init-stacked.bin")), "float32 weights in the plan's layout");
        assertEquals(82_414 * 4, Files.size(dir.resolve("init-tied.bin")));
        int trainRows = 2_400 - 2_400 / 12; // the embedded sample, split as the book splits
        assertEquals(2L * trainRows * 4, Files.size(dir.resolve("orders.bin")), "an int32 permutation per epoch");
    }

    @Test
    void badArgumentsAreOneLineAndExitCodeTwo() {
        assertEquals(2, DeviceCheck.run("--epochs", "0"));
        assertEquals(2, DeviceCheck.run("--frobnicate"));
    }

    /** The bundle carries no ND4J: the check must run on ae4j's classes and JavaCPP alone. */
    @Test
    void runsWithoutNd4jOnTheClasspath() throws IOException, InterruptedException {
        List<String> classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (entry.endsWith("classes") && !entry.endsWith("test-classes") || name.matches("javacpp-[0-9.]+(-linux-x86_64)?\\.jar")) {
                classpath.add(entry);
            }
        }
        assertEquals(3, classpath.size(), "ae4j's classes and JavaCPP's two jars, as the bundle ships them: " + classpath);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", String.join(File.pathSeparator, classpath), "ae4j.bench.DeviceCheck",
                "--epochs", "1", "--batch-sizes", "64", "--threads", "1", "--out", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("GPU half skipped: ") && output.contains("all checks passed"), output);
        assertTrue(output.matches("(?s).*device-check: stacked +cpu x1 +batch  64: .* val_loss 0\\.[0-9]{4}.*"), "the stacked model trained: " + output);
        assertTrue(Arrays.stream(output.split("\n")).noneMatch(l -> l.contains("Exception")), output);
    }
}
