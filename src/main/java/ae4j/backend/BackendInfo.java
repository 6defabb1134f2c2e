package ae4j.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What this process runs on: the ND4J backend and version, the BLAS and its threads, the CPU, the GPUs the backend
 * sees, and the runtime profile. Keys are stable: {@code ae4j info --json} and the benchmark JSON carry them.
 */
public final class BackendInfo {
    private BackendInfo() {
    }

    /** What ran where, for info, bench and the demo; {@code engines}: which step engines can run here, said by the caller (train). */
    public static Map<String, Object> collect(String engines) {
        BuildInfo build = BuildInfo.current();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("ae4j", build.version());
        info.put("build", build.backend());
        info.put("backend", backendName());
        String fallback = BackendBootstrap.cpuFallbackReason();
        if (fallback != null) {
            info.put("cpu_fallback_reason", fallback);
        }
        info.put("nd4j", build.nd4jVersion());
        info.put("nd4j_backend_class", Nd4j.getBackend().getClass().getName());
        info.put("blas_vendor", Nd4j.factory().blas().getBlasVendor().name());
        info.put("blas_threads", Nd4j.factory().blas().getMaxThreads());
        info.put("omp_threads", envOrDefault("OMP_NUM_THREADS", "unset (all cores)"));
        info.put("cpu_model", cpuModel());
        info.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        info.put("cpu_features", cpuFeatures());
        info.put("gpus", gpus());
        info.put("gpu_driver", nvidiaDriver());
        info.put("engines", engines);
        String cudaEngine = BackendBootstrap.cudaEngineReason();
        if (cudaEngine != null) {
            info.put("cuda_engine_reason", cudaEngine);
        }
        info.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        info.put("profile", RuntimeProfile.current().source());
        return info;
    }

    /** "cpu" or "cuda": the backend ND4J actually loaded, which may differ from the build's. */
    public static String backendName() {
        return Nd4j.getBackend().getClass().getSimpleName().toLowerCase().contains("cublas") ? "cuda" : "cpu";
    }

    private static String envOrDefault(String name, String fallback) {
        String v = System.getenv(name);
        return v != null ? v : fallback;
    }

    /** GPUs as ND4J's CUDA backend reports them; empty on the CPU backend. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> gpus() {
        List<Map<String, Object>> gpus = new ArrayList<>();
        if (!"cuda".equals(backendName())) {
            return gpus;
        }
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Object devices = env.get("cuda.devicesInformation");
        if (devices instanceof List<?> list) {
            for (Object d : list) {
                Map<String, Object> device = (Map<String, Object>) d;
                Map<String, Object> gpu = new LinkedHashMap<>();
                gpu.put("name", device.get("cuda.deviceName"));
                gpu.put("compute_capability", device.get("cuda.deviceMajor") + "." + device.get("cuda.deviceMinor"));
                gpu.put("total_memory_bytes", device.get("cuda.totalMemory"));
                gpu.put("free_memory_bytes", device.get("cuda.freeMemory"));
                gpus.add(gpu);
            }
        }
        return gpus;
    }

    /** The NVIDIA kernel driver's version, or null on machines without one. */
    public static String nvidiaDriver() {
        try {
            String version = Files.readString(Path.of("/proc/driver/nvidia/version")).lines().findFirst().orElse("");
            int at = version.indexOf("Kernel Module");
            return at < 0 ? version.trim() : version.substring(at + "Kernel Module".length()).trim().split("\\s+")[0];
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The CPU's model name from /proc/cpuinfo, else the architecture. */
    public static String cpuModel() {
        for (String line : cpuinfo()) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    /** The SIMD extensions that matter for the kernels. */
    private static List<String> cpuFeatures() {
        List<String> features = new ArrayList<>();
        for (String line : cpuinfo()) {
            if (line.startsWith("flags")) {
                List<String> flags = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                for (String f : List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_bf16")) {
                    if (flags.contains(f)) {
                        features.add(f);
                    }
                }
                break;
            }
        }
        return features;
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
