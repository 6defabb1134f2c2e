package ae4j.backend;

import java.util.List;

/**
 * Decides, before ND4J loads, how a CUDA build uses this machine's GPU. ND4J 1.0.0-M2.1's {@code libnd4jcuda}
 * holds machine code for compute capability 3.7 to 8.9 and no PTX, so on Hopper (9.0) and newer its kernels
 * cannot run (docs/reference.md); there, and wherever {@code --engine cuda} is asked for, ND4J runs on the CPU for
 * the host side and ae4j's own CUDA engine does all GPU work (compute capability 7.0 and newer). A machine without
 * a driver or a device falls back to the CPU, with one warning line.
 */
public final class CudaGuard {
    public static final int ND4J_MIN = 37;
    public static final int ND4J_MAX = 89;
    public static final int ENGINE_MIN = 70;

    private CudaGuard() {
    }

    public record Gpu(String name, int major, int minor, long totalMemoryBytes) {
        public String computeCapability() {
            return major + "." + minor;
        }

        int cc() {
            return major * 10 + minor;
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

    public sealed interface Decision permits UseNd4jCuda, UseCudaEngine, UseCpu, Refuse {
    }

    /** ND4J's CUDA backend, with ae4j's CUDA kernels on its stream. */
    public record UseNd4jCuda(Gpu gpu) implements Decision {
    }

    /** ND4J's CPU backend for the host side, ae4j's CUDA engine for the GPU; {@code reason} says why, for info. */
    public record UseCudaEngine(Gpu gpu, String reason) implements Decision {
    }

    /** Run on the CPU backend; {@code reason} is the one warning line. */
    public record UseCpu(String reason) implements Decision {
    }

    /** Stop with {@code message}, exit code 1. */
    public record Refuse(String message) implements Decision {
    }

    /** @param engineRequested the CUDA engine was asked for ({@code --engine cuda}) */
    public static Decision decide(Probe probe, boolean fallbackCpu, boolean engineRequested) {
        if (probe.problem() != null) {
            return new UseCpu("no usable CUDA GPU (" + probe.problem() + "); running on the CPU backend");
        }
        Gpu gpu = probe.gpus().get(0);
        if (gpu.cc() >= ENGINE_MIN && (engineRequested || gpu.cc() > ND4J_MAX)) {
            String reason = engineRequested ? "--engine cuda" : String.format(
                    "%s has compute capability %s, for which ND4J %s has no CUDA kernels (%d.%d–%d.%d only)", gpu.name(),
                    gpu.computeCapability(), BuildInfo.current().nd4jVersion(), ND4J_MIN / 10, ND4J_MIN % 10, ND4J_MAX / 10, ND4J_MAX % 10);
            return new UseCudaEngine(gpu, reason);
        }
        if (gpu.cc() >= ND4J_MIN && gpu.cc() <= ND4J_MAX && !engineRequested) {
            return new UseNd4jCuda(gpu);
        }
        String why = engineRequested
                ? String.format("%s has compute capability %s; ae4j's CUDA engine needs %d.%d or newer", gpu.name(),
                gpu.computeCapability(), ENGINE_MIN / 10, ENGINE_MIN % 10)
                : String.format("%s has compute capability %s, older than any ND4J %s supports", gpu.name(), gpu.computeCapability(),
                BuildInfo.current().nd4jVersion());
        return fallbackCpu ? new UseCpu(why + "; running on the CPU backend (--fallback-cpu)")
                : new Refuse(why + ". Pass --fallback-cpu to run on the CPU instead.");
    }
}
