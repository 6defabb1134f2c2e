package ae4j.backend;

import ae4j.UserInputException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Chooses the ND4J backend before ND4J loads; nothing here may touch an ND4J class. ND4J reads its backend
 * priorities from the environment once, when the JVM starts, so on a CUDA build that must run on the CPU (no
 * driver, no device, or {@code --fallback-cpu} on an unsupported GPU) this process restarts itself once with
 * {@code BACKEND_PRIORITY_CPU} raised, after one warning line.
 */
public final class BackendBootstrap {
    /** Set in the restarted process; holds the reason the CPU is used. */
    public static final String FALLBACK_ENV = "AE4J_CPU_FALLBACK";
    /** When set, a CUDA build that cannot use its GPU stops instead of falling back (bench --backends uses it). */
    public static final String REQUIRE_GPU_ENV = "AE4J_REQUIRE_GPU";
    private static final String PROBE_CLASS = "ae4j.backend.cuda.CudaDriverProbe";

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
     * @param args the command line, to restart with
     */
    public static void prepare(String requested, boolean fallbackCpu, String[] args) {
        BuildInfo build = BuildInfo.current();
        if (requested != null && !requested.equals(build.backend())) {
            throw new UserInputException("--backend " + requested + ": this is the " + build.backend()
                    + " build; run it through ./ae4j --backend " + requested + ", which builds that backend");
        }
        if (!build.isCudaBuild() || System.getenv(FALLBACK_ENV) != null) {
            return;
        }
        CudaGuard.Decision decision = CudaGuard.decide(probe(), fallbackCpu);
        if (decision instanceof CudaGuard.Refuse refuse) {
            throw new GpuUnsupportedException(refuse.message());
        }
        if (decision instanceof CudaGuard.UseCpu cpu && System.getenv(REQUIRE_GPU_ENV) != null) {
            throw new GpuUnsupportedException(cpu.reason().replace("; running on the CPU backend", ""));
        }
        if (decision instanceof CudaGuard.UseCpu cpu) {
            System.err.println("ae4j: warning: " + cpu.reason());
            System.exit(restartOnCpu(cpu.reason(), args));
        }
    }

    /** Why the CPU runs a CUDA build, or null when it does not. */
    public static String cpuFallbackReason() {
        return System.getenv(FALLBACK_ENV);
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

    private static int restartOnCpu(String reason, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("ae4j.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("BACKEND_PRIORITY_CPU", "1000");
        builder.environment().put(FALLBACK_ENV, reason);
        try {
            return builder.start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("could not restart on the CPU backend: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
