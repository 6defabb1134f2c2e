package ae4j.backend;

import java.util.List;

/**
 * Decides, before ND4J loads, whether the CUDA backend can run here. ND4J 1.0.0-M2.1's {@code libnd4jcuda} holds
 * machine code for compute capability 3.7 to 8.9 and no PTX, so on Hopper (9.0) and newer its kernels cannot run
 * at all (FACTS.md): such a GPU is refused in one clear line, or, with {@code --fallback-cpu}, the CPU is used.
 * A machine without a driver or a device always falls back to the CPU, with one warning line.
 */
public final class CudaGuard {
    public static final int MIN_MAJOR = 3;
    public static final int MIN_MINOR = 7;
    public static final int MAX_MAJOR = 8;
    public static final int MAX_MINOR = 9;

    private CudaGuard() {
    }

    public record Gpu(String name, int major, int minor, long totalMemoryBytes) {
        public String computeCapability() {
            return major + "." + minor;
        }

        boolean supportedByNd4j() {
            int cc = major * 10 + minor;
            return cc >= MIN_MAJOR * 10 + MIN_MINOR && cc <= MAX_MAJOR * 10 + MAX_MINOR;
        }
    }

    /** What the CUDA driver says: either a problem (no driver, no device) or the devices and the driver version. */
    public record Probe(String problem, List<Gpu> gpus, int driverVersion) {
        public static Probe unusable(String problem) {
            return new Probe(problem, List.of(), 0);
        }

        public static Probe of(List<Gpu> gpus, int driverVersion) {
            return gpus.isEmpty() ? new Probe("the driver reports no CUDA device", gpus, driverVersion) : new Probe(null, gpus, driverVersion);
        }
    }

    public sealed interface Decision permits UseCuda, UseCpu, Refuse {
    }

    public record UseCuda(Gpu gpu) implements Decision {
    }

    /** Run on the CPU backend; {@code reason} is the one warning line. */
    public record UseCpu(String reason) implements Decision {
    }

    /** Stop with {@code message}, exit code 1. */
    public record Refuse(String message) implements Decision {
    }

    public static Decision decide(Probe probe, boolean fallbackCpu) {
        if (probe.problem() != null) {
            return new UseCpu("no usable CUDA GPU (" + probe.problem() + "); running on the CPU backend");
        }
        Gpu gpu = probe.gpus().get(0);
        if (gpu.supportedByNd4j()) {
            return new UseCuda(gpu);
        }
        String why = String.format("%s has compute capability %s, but ND4J %s ships CUDA kernels for %d.%d–%d.%d only (no PTX)",
                gpu.name(), gpu.computeCapability(), BuildInfo.current().nd4jVersion(), MIN_MAJOR, MIN_MINOR, MAX_MAJOR, MAX_MINOR);
        return fallbackCpu ? new UseCpu(why + "; running on the CPU backend (--fallback-cpu)")
                : new Refuse(why + ". Pass --fallback-cpu to run on the CPU instead.");
    }
}
