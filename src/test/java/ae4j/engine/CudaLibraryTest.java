package ae4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a machine without the CUDA engine is told, in one line, as the GPU bundle's probe ({@code DeviceCheck --probe})
 * prints it. CudaLibrary keeps the first problem it meets for the rest of the process, so each case runs in a JVM of
 * its own, on this test's classpath, with nothing found through {@code $AE4J_CUDA_LIBRARY} or java.library.path
 * (an empty folder) unless the case says where to look.
 */
class CudaLibraryTest {
    private static final String NOT_BUILT_ADVICE = "build it with `make -C native/cuda/engine` (needs nvcc), or run through"
            + " `./ae4j --backend cuda`, which builds it";

    @TempDir
    Path dir;

    /** The probe's exit code and what it printed. */
    private record Probe(int exitCode, String stdout, String stderr) {
        /** Exit code 3 and this one line, nothing else. */
        void saysOnly(String line) {
            assertEquals(new Probe(3, line + "\n", ""), this);
        }
    }

    private Probe probe(String... properties) throws IOException, InterruptedException {
        Path libraryPath = Files.createDirectories(dir.resolve("empty-library-path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.library.path=" + libraryPath));
        command.addAll(List.of(properties));
        command.addAll(List.of("ae4j.bench.DeviceCheck", "--probe"));
        Path stderr = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().remove(CudaLibrary.ENV);
        Process p = builder.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Probe(p.waitFor(), stdout, Files.readString(stderr));
    }

    @Test
    void aNamedLibraryThatIsNotThereIsNamed() throws IOException, InterruptedException {
        probe("-D" + CudaLibrary.PROPERTY + "=/nonexistent/libae4j_cuda.so")
                .saysOnly("no GPU: the CUDA engine library /nonexistent/libae4j_cuda.so does not exist");
    }

    /** The loader's own reason follows; the JVM may add a warning of its own on stderr (about the stack guard). */
    @Test
    void aNamedFileThatIsNoLibraryCannotBeLoaded() throws IOException, InterruptedException {
        Path notALibrary = Files.writeString(dir.resolve("libae4j_cuda.so"), "not an ELF file");
        Probe p = probe("-D" + CudaLibrary.PROPERTY + "=" + notALibrary);
        assertEquals(3, p.exitCode(), p.toString());
        assertTrue(p.stdout().startsWith("no GPU: cannot load the CUDA engine " + notALibrary + ": "), p.stdout());
        assertEquals(1, p.stdout().lines().count(), p.stdout());
    }

    @Test
    void withoutAe4jHomeTheEngineIsNotBuiltAndHowToBuildItIsSaid() throws IOException, InterruptedException {
        probe().saysOnly("no GPU: ae4j's CUDA engine is not built (no libae4j_cuda.so on java.library.path); " + NOT_BUILT_ADVICE);
    }

    @Test
    void underAe4jHomeItsBuildFolderIsWhereTheEngineWasLookedFor() throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path expected = home.resolve(Path.of("target", "cuda-engine", "libae4j_cuda.so"));
        probe("-Dae4j.home=" + home).saysOnly("no GPU: ae4j's CUDA engine is not built (no libae4j_cuda.so in [" + expected
                + "] or on java.library.path); " + NOT_BUILT_ADVICE);
    }

    /** Where the engine is looked for, in order: each folder of the search holds a (fake) library here. */
    private record Folders(Path jar, Path home, Path libraryPathFirst, Path libraryPathSecond) {
        Path jarLibrary() {
            return jar.resolve("libae4j_cuda.so");
        }

        Path homeLibrary() {
            return home.resolve(Path.of("target", "cuda-engine", "libae4j_cuda.so"));
        }

        String libraryPath() {
            return libraryPathFirst + File.pathSeparator + libraryPathSecond;
        }

        Path locate(String property, String env) {
            return CudaLibrary.locate(property, env, jar, home.toString(), libraryPath());
        }
    }

    private Folders foldersWithLibraries(boolean jar, boolean home, boolean first, boolean second) throws IOException {
        Folders f = new Folders(Files.createDirectories(dir.resolve("lib")), Files.createDirectories(dir.resolve("home")),
                Files.createDirectories(dir.resolve("ld1")), Files.createDirectories(dir.resolve("ld2")));
        List<Path> present = new ArrayList<>();
        if (jar) {
            present.add(f.jarLibrary());
        }
        if (home) {
            present.add(f.homeLibrary());
        }
        if (first) {
            present.add(f.libraryPathFirst().resolve("libae4j_cuda.so"));
        }
        if (second) {
            present.add(f.libraryPathSecond().resolve("libae4j_cuda.so"));
        }
        for (Path p : present) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, "a library");
        }
        return f;
    }

    @Test
    void besideTheJarComesBeforeTheLaunchersBuildAndTheLibraryPath() throws IOException {
        Folders f = foldersWithLibraries(true, true, true, true);
        assertEquals(f.jarLibrary(), f.locate(null, null));
    }

    @Test
    void theLaunchersBuildComesBeforeTheLibraryPath() throws IOException {
        Folders f = foldersWithLibraries(false, true, true, true);
        assertEquals(f.homeLibrary(), f.locate(null, null));
    }

    @Test
    void theLibraryPathIsSearchedInOrder() throws IOException {
        Folders f = foldersWithLibraries(false, false, false, true);
        assertEquals(f.libraryPathSecond().resolve("libae4j_cuda.so"), f.locate(null, null));
        Files.writeString(f.libraryPathFirst().resolve("libae4j_cuda.so"), "a library");
        assertEquals(f.libraryPathFirst().resolve("libae4j_cuda.so"), f.locate(null, null));
    }

    @Test
    void anExplicitSettingOverridesEveryFolderAndThePropertyOverridesTheEnvironment() throws IOException {
        Folders f = foldersWithLibraries(true, true, true, true);
        Path byProperty = Files.writeString(dir.resolve("by-property.so"), "a library");
        Path byEnv = Files.writeString(dir.resolve("by-env.so"), "a library");
        assertEquals(byEnv, f.locate(null, byEnv.toString()));
        assertEquals(byProperty, f.locate(byProperty.toString(), byEnv.toString()));
        String missing = dir.resolve("missing.so").toString();
        assertThrows(IllegalStateException.class, () -> f.locate(missing, null), "a setting that names no file is an error, not a fallback");
    }

    @Test
    void whereNothingIsFoundTheMessageNamesTheFoldersTried() throws IOException {
        Folders f = foldersWithLibraries(false, false, false, false);
        String message = assertThrows(IllegalStateException.class, () -> f.locate(null, "")).getMessage();
        assertEquals("ae4j's CUDA engine is not built (no libae4j_cuda.so in [" + f.jarLibrary() + ", " + f.homeLibrary()
                + "] or on java.library.path); " + NOT_BUILT_ADVICE, message);
    }
}
