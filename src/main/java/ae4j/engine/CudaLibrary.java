package ae4j.engine;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and loads libae4j_cuda.so, the CUDA engine built by {@code native/cuda/engine/Makefile} (the launcher
 * builds it into {@code target/cuda-engine} where nvcc is installed). An explicit setting wins and must name an
 * existing file: the system property {@code ae4j.cuda.library}, else {@code $AE4J_CUDA_LIBRARY}. Without one it is
 * looked for, in order: beside the ae4j jar (the folder a library user ships it in), {@code target/cuda-engine}
 * under {@code ae4j.home} (the launcher's build), and each folder of {@code java.library.path}. Then the GPU itself
 * is initialised, so that a machine without a usable one says so here, in one sentence.
 */
public final class CudaLibrary {
    public static final String PROPERTY = "ae4j.cuda.library";
    public static final String ENV = "AE4J_CUDA_LIBRARY";
    private static final String FILE = "libae4j_cuda.so";
    private static String problem;
    private static GpuInfo gpu;

    private CudaLibrary() {
    }

    /** What the engine runs on: the GPU, the driver and CUDA runtime versions, and the cuBLAS it loaded. */
    public record GpuInfo(String name, String computeCapability, long memoryBytes, int driverVersion, int runtimeVersion,
                          int cublasVersion, String cublasLibrary) {
        public String describe() {
            return String.format("%s (compute capability %s, %,d MiB), driver CUDA %s, runtime %s, cuBLAS %d (%s)", name,
                    computeCapability, memoryBytes >> 20, version(driverVersion), version(runtimeVersion), cublasVersion, cublasLibrary);
        }

        private static String version(int v) {
            return v / 1000 + "." + v % 1000 / 10;
        }
    }

    /** Loads the library and initialises the GPU once; throws {@link IllegalStateException} saying why it cannot. */
    public static synchronized GpuInfo require() {
        if (gpu != null) {
            return gpu;
        }
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        try {
            load();
            String[] f = CudaNative.device().split("\\|", 7);
            gpu = new GpuInfo(f[0], f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Integer.parseInt(f[5]), f[6]);
            return gpu;
        } catch (IllegalStateException e) {
            problem = e.getMessage();
            throw e;
        }
    }

    /** Whether the engine can run here (the library loads and a GPU answers). */
    public static boolean available() {
        try {
            require();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void load() {
        loadFile(locate(System.getProperty(PROPERTY), System.getenv(ENV), jarFolder(), System.getProperty("ae4j.home"),
                System.getProperty("java.library.path")));
    }

    /**
     * The library file to load: the explicit setting (the property's value, else the environment variable's) when
     * one is given, else the first {@code libae4j_cuda.so} beside the jar, under the launcher's home, or on the
     * library path. Throws {@link IllegalStateException} saying where it looked.
     *
     * @param jarFolder the folder of the jar ae4j's classes came from, or null (classes from a folder)
     * @param home {@code ae4j.home}, or null
     * @param libraryPath {@code java.library.path}, or null
     */
    static Path locate(String property, String env, Path jarFolder, String home, String libraryPath) {
        for (String named : new String[]{property, env}) {
            if (named != null && !named.isBlank()) {
                Path p = Path.of(named).toAbsolutePath();
                if (!Files.isRegularFile(p)) {
                    throw new IllegalStateException("the CUDA engine library " + p + " does not exist");
                }
                return p;
            }
        }
        List<Path> tried = new ArrayList<>();
        if (jarFolder != null) {
            tried.add(jarFolder.resolve(FILE));
        }
        if (home != null) {
            tried.add(Path.of(home, "target", "cuda-engine", FILE));
        }
        List<Path> candidates = new ArrayList<>(tried);
        if (libraryPath != null) {
            for (String folder : libraryPath.split(File.pathSeparator)) {
                if (!folder.isEmpty()) {
                    candidates.add(Path.of(folder, FILE));
                }
            }
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        String where = tried.isEmpty() ? "on java.library.path" : "in " + tried + " or on java.library.path";
        throw new IllegalStateException("ae4j's CUDA engine is not built (no " + FILE + " " + where + "); build it with"
                + " `make -C native/cuda/engine` (needs nvcc), or run through `./ae4j --backend cuda`, which builds it");
    }

    /** The folder of the jar this class was loaded from; null when it came from a class folder or elsewhere. */
    private static Path jarFolder() {
        try {
            CodeSource source = CudaLibrary.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) ? location.toAbsolutePath().getParent() : null;
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    private static void loadFile(Path p) {
        try {
            System.load(p.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load the CUDA engine " + p + ": " + e.getMessage());
        }
    }
}
