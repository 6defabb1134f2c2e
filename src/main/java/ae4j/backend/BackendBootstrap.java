package ae4j.backend;

import ae4j.UserInputException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Chooses the ND4J backend before ND4J loads; nothing here may touch an ND4J class. ND4J reads its backend
 * priorities from the environment once, when the JVM starts, so a CUDA build that must run ND4J on the CPU (no
 * driver or device; {@code --fallback-cpu}; or a GPU that ae4j's CUDA engine drives while ND4J stays on the CPU)
 * restarts this process once with {@code BACKEND_PRIORITY_CPU} raised.
 */
public final class BackendBootstrap {
    /** Set in the restarted process; holds the reason the CPU backend is used without the GPU. */
    public static final String FALLBACK_ENV = "AE4J_CPU_FALLBACK";
    /** Set in the restarted process when ae4j's CUDA engine does the GPU work; holds why. */
    public static final String CUDA_ENGINE_ENV = "AE4J_CUDA_ENGINE";
    /** When set, a CUDA build that cannot use its GPU stops instead of falling back (bench --backends uses it). */
    public static final String REQUIRE_GPU_ENV = "AE4J_REQUIRE_GPU";
    private static final String PROBE_CLASS = "ae4j.backend.cuda.CudaDriverProbe";
    private static boolean fallbackCpu;

    private BackendBootstrap() {
    }

    /** Thrown when the GPU cannot be used and the user did not allow the CPU; exit code 1. */
    public static final class GpuUnsupportedException extends RuntimeException {
        public GpuUnsupportedException(String message) {
            super(message);
        }
    }

    /**
     * @param requested the {@code --backend} the user asked for, or null
     * @param fallbackCpu whether {@code --fallback-cpu} was given
     * @param engine the {@code --engine} asked for, or null
     * @param args the command line, to restart with
     */
    public static void prepare(String requested, boolean fallbackCpu, String engine, String[] args) {
        prepare(requested, fallbackCpu, engine, args, BackendBootstrap::probe);
    }

    /** As above, asking {@code probe} about the GPU (only a CUDA build asks). */
    static void prepare(String requested, boolean fallbackCpu, String engine, String[] args, Supplier<CudaGuard.Probe> probe) {
        BackendBootstrap.fallbackCpu = fallbackCpu;
        BuildInfo build = BuildInfo.current();
        if (requested != null && !requested.equals(build.backend())) {
            throw new UserInputException("--backend " + requested + ": this is the " + build.backend()
                    + " build; run it through ./ae4j --backend " + requested + ", which builds that backend");
        }
        if (!build.isCudaBuild() || System.getenv(FALLBACK_ENV) != null || System.getenv(CUDA_ENGINE_ENV) != null) {
            return;
        }
        CudaGuard.Decision decision = CudaGuard.decide(probe.get(), fallbackCpu, "cuda".equals(engine));
        if (decision instanceof CudaGuard.Refuse refuse) {
            throw new GpuUnsupportedException(refuse.message());
        }
        if (decision instanceof CudaGuard.UseCpu cpu && System.getenv(REQUIRE_GPU_ENV) != null) {
            throw new GpuUnsupportedException(cpu.reason().replace("; running on the CPU backend", ""));
        }
        if (decision instanceof CudaGuard.UseCpu cpu) {
            System.err.println("ae4j: warning: " + cpu.reason());
            System.exit(restartWithNd4jOnCpu(Map.of(FALLBACK_ENV, cpu.reason()), args));
        }
        if (decision instanceof CudaGuard.UseCudaEngine gpu) {
            System.exit(restartWithNd4jOnCpu(Map.of(CUDA_ENGINE_ENV, gpu.reason()), args));
        }
    }

    /** Why the CPU runs a CUDA build without its GPU, or null when it does not. */
    public static String cpuFallbackReason() {
        return System.getenv(FALLBACK_ENV);
    }

    /** Why ae4j's CUDA engine was chosen for this process, or null when the bootstrap did not choose it. */
    public static String cudaEngineReason() {
        return System.getenv(CUDA_ENGINE_ENV);
    }

    /** Whether {@code --fallback-cpu} was given: an engine that cannot run may then give way to the CPU. */
    public static boolean fallbackCpuAllowed() {
        return fallbackCpu;
    }

    @SuppressWarnings("unchecked")
    private static CudaGuard.Probe probe() {
        try {
            Class<?> type = Class.forName(PROBE_CLASS);
            return ((Supplier<CudaGuard.Probe>) type.getDeclaredConstructor().newInstance()).get();
        } catch (ReflectiveOperationException | LinkageError e) {
            return CudaGuard.Probe.unusable("the CUDA driver probe is missing from this build: " + e);
        }
    }

    private static int restartWithNd4jOnCpu(Map<String, String> env, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("ae4j.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("BACKEND_PRIORITY_CPU", "1000");
        builder.environment().putAll(env);
        try {
            return builder.start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("could not restart with ND4J on the CPU: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
