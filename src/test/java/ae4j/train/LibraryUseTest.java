package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ae4j used as a library: what a project that depends on it gets without the optional dependencies (the command
 * line's libraries, Deeplearning4j), and the one line {@link Engine#auto} says. Each case runs its own JVM, on this
 * test's classpath less the jars the case leaves out, as a consumer's classpath would lack them.
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

    static final class ThreeAutoEngines {
        public static void main(String[] args) {
            Engine.auto(1);
            Engine.auto(2);
            System.out.println(Engine.auto(3).kind().id());
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

    @Test
    void autoSaysWhichEngineItTookOncePerProcess() throws IOException, InterruptedException {
        Run run = java(null, List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"), ThreeAutoEngines.class);
        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = run.stderr().lines().filter(line -> line.contains("ae4j.train.Engine")).toList();
        assertEquals(1, lines.size(), run.stderr());
        String expected = switch (run.stdout().strip()) {
            case "native" -> "INFO ae4j.train.Engine - using the native engine";
            case "nd4j" -> "INFO ae4j.train.Engine - using the ND4J-op engine; the native CPU engine is unavailable";
            default -> throw new AssertionError("auto took neither native nor nd4j: " + run);
        };
        assertTrue(lines.get(0).startsWith(expected), lines.get(0));
    }

    @Test
    void aMissingNativeEngineIsSaidWithTheJarThatCarriesIt() {
        String line = Engine.announcement(new EngineChoice.Choice(Engine.Kind.ND4J, "using the ND4J-op engine; the native CPU engine is unavailable (why)"));
        assertEquals("using the ND4J-op engine; the native CPU engine is unavailable (why); the prebuilt native engine is dev.ae4j:ae4j:"
                + BuildInfo.current().version() + ":" + Loader.getPlatform(), line);
        assertEquals("using the native engine", Engine.announcement(new EngineChoice.Choice(Engine.Kind.NATIVE, null)));
    }
}
