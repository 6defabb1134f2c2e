package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ae4j.Progress;
import ae4j.backend.BuildInfo;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ae4j used as a library: what a project that depends on it gets without the optional dependencies (the command
 * line's libraries, Deeplearning4j). Each case runs its own JVM, on this test's classpath less the jars the case
 * leaves out, as a consumer's classpath would lack them.
 */
class LibraryUseTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private Run java(String leftOut, List<String> options, Class<?> main, String... args) throws IOException, InterruptedException {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> leftOut == null || !entry.matches(leftOut))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath));
        command.addAll(options);
        command.add(main.getName());
        command.addAll(List.of(args));
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), stdout, Files.readString(stderr));
    }

    /** Exports nothing, which is enough to meet the missing dependency first. */
    static final class ExportWithoutDl4j {
        public static void main(String[] args) throws IOException {
            try {
                Dl4jExport.write(List.of(), Path.of(args[0]));
                System.out.println("exported");
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    static final class ProgressWithoutItsLibrary {
        public static void main(String[] args) {
            try (Progress bar = Progress.start("work", 2)) {
                bar.stepBy(1);
                bar.message("half");
                bar.stepTo(2);
            }
            System.out.println("interactive: " + Progress.interactive());
        }
    }

    @Test
    void withoutDeeplearning4jTheExportSaysWhichDependencyToAdd() throws IOException, InterruptedException {
        Run run = java(".*/org/deeplearning4j/.*", List.of(), ExportWithoutDl4j.class, dir.resolve("model-dl4j.zip").toString());
        assertEquals(new Run(0, "exporting to Deeplearning4j needs org.deeplearning4j:deeplearning4j-nn:" + BuildInfo.current().nd4jVersion()
                + " on the classpath; add it to the project's dependencies\n", ""), run);
    }

    @Test
    void withoutTheProgressBarLibraryEveryBarIsQuiet() throws IOException, InterruptedException {
        assertEquals(new Run(0, "interactive: false\n", ""), java(".*/(me/tongfei|org/jline)/.*", List.of(), ProgressWithoutItsLibrary.class));
    }
}
