package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./ae4j launcher checks what it is given before it builds or starts anything: one line, exit code 2. */
class LauncherTest {
    static final Path LAUNCHER = Path.of("ae4j").toAbsolutePath();

    @TempDir
    Path dir;

    record Run(int code, String err) {
    }

    static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(LAUNCHER) && Files.isExecutable(Path.of("/bin/bash")), "no ./ae4j launcher or bash here");
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of("/bin/bash", LAUNCHER.toString())));
        pb.command().addAll(List.of(args));
        pb.environment().putAll(env);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), err);
    }

    static void assertUsageError(Run r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ae4j: error: ") && r.err().contains(fragment), r.err());
    }

    @Test
    void aWrongJavaHomeIsOneLineNotAShellError() throws IOException, InterruptedException {
        assertUsageError(launch(Map.of("JAVA_HOME", dir.resolve("no-java").toString()), "info"), "JAVA_HOME=" + dir.resolve("no-java"));
        Files.createDirectories(dir.resolve("jdk/bin/java"));
        assertUsageError(launch(Map.of("JAVA_HOME", dir.resolve("jdk").toString()), "info"), "has no bin/java");
    }

    @Test
    void anUnknownBackendOrAMissingProfileIsOneLine() throws IOException, InterruptedException {
        assertUsageError(launch(Map.of(), "--backend", "gpu", "info"), "--backend must be cpu or cuda, not 'gpu'");
        assertUsageError(launch(Map.of(), "--profile", dir.resolve("absent.properties").toString(), "info"), "cannot read the file");
        assertUsageError(launch(Map.of(), "--profile", dir.toString(), "info"), "cannot read the file");
    }
}
