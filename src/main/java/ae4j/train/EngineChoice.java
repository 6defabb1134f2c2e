package ae4j.train;

import ae4j.UserInputException;
import ae4j.backend.BackendBootstrap;
import ae4j.backend.BackendInfo;
import ae4j.engine.CudaLibrary;
import ae4j.engine.NativeCpu;
import ae4j.nn.Kernels;
import ae4j.nn.Nd4jKernels;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * {@code --engine auto|native|nd4j|cuda}: which step engine trains. native — the fused C++ CPU engine (CPU
 * backend); nd4j — ND4J operations on whichever backend ND4J loaded (on its CUDA backend with ae4j's CUDA kernels
 * on ND4J's stream); cuda — ae4j's CUDA engine (NVIDIA GPUs of compute capability 7.0 and newer, ND4J on the CPU
 * for the host side). auto: the CUDA engine where the bootstrap chose it, ND4J's CUDA backend where it runs,
 * else native where it loads, else nd4j (the choice carries a notice saying why it fell back).
 */
public final class EngineChoice {
    private static final String CUDA_KERNELS = "ae4j.nn.cuda.CudaKernels";

    private EngineChoice() {
    }

    /** The engine chosen, and the one line to say when the work starts, if the choice fell back (else null). */
    public record Choice(Engine.Kind kind, String notice) {
    }

    /** Thrown when the engine asked for cannot run here and --fallback-cpu was not given: one line, exit code 1. */
    public static final class EngineUnavailableException extends RuntimeException {
        public EngineUnavailableException(String message) {
            super(message);
        }
    }

    /** Decides; prints nothing (the caller says the notice when the work starts). */
    public static Choice select(String requested) {
        String choice = requested == null ? "auto" : requested.toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "nd4j" -> new Choice(Engine.Kind.ND4J, null);
            case "native" -> {
                String problem = nativeProblem();
                if (problem != null) {
                    throw new UserInputException("--engine native: " + problem + "; use --engine nd4j");
                }
                yield new Choice(Engine.Kind.NATIVE, null);
            }
            case "cuda" -> cuda("--engine cuda");
            case "auto" -> {
                if (BackendBootstrap.cudaEngineReason() != null) {
                    yield cuda(BackendBootstrap.cudaEngineReason());
                }
                if (onNd4jCuda()) {
                    yield new Choice(Engine.Kind.ND4J, null);
                }
                String problem = nativeProblem();
                yield problem == null ? new Choice(Engine.Kind.NATIVE, null)
                        : new Choice(Engine.Kind.ND4J, "using the ND4J-op engine; " + problem.replaceAll(" in java.library.path: [^\\s)]+", "")
                        + " (a build made without a C++ compiler has none)");
            }
            default -> throw new UserInputException("--engine must be auto, native, nd4j or cuda, not '" + requested + "'");
        };
    }

    private static Choice cuda(String why) {
        if (onNd4jCuda()) {
            throw new UserInputException("--engine cuda runs with ND4J on the CPU; run it as ./ae4j --backend cuda --engine cuda");
        }
        try {
            CudaLibrary.require();
            return new Choice(Engine.Kind.CUDA, null);
        } catch (IllegalStateException e) {
            if (!BackendBootstrap.fallbackCpuAllowed()) {
                throw new EngineUnavailableException(why + ": " + e.getMessage() + ". Pass --fallback-cpu to run on the CPU instead.");
            }
            String cpu = "running on the CPU (--fallback-cpu): " + e.getMessage();
            return new Choice(nativeProblem() == null ? Engine.Kind.NATIVE : Engine.Kind.ND4J, cpu);
        }
    }

    /** Why the native CPU engine cannot run in this process, or null. */
    private static String nativeProblem() {
        if (onNd4jCuda()) {
            return "the native CPU engine runs with ND4J's CPU backend, not its CUDA backend";
        }
        return NativeCpu.isLoaded() ? null : "the native CPU engine is unavailable (" + NativeCpu.loadProblem() + ")";
    }

    private static boolean onNd4jCuda() {
        return "cuda".equals(BackendInfo.backendName());
    }

    /** The ND4J-op engine's kernels: ae4j's CUDA kernels on ND4J's CUDA backend where they load, else ND4J ops. */
    public static Kernels nd4jKernels() {
        if (!onNd4jCuda()) {
            return new Nd4jKernels();
        }
        try {
            return (Kernels) Class.forName(CUDA_KERNELS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LoggerFactory.getLogger(EngineChoice.class).warn("ae4j's CUDA kernels are unavailable on ND4J's CUDA backend ({}); using ND4J ops", e.toString());
            return new Nd4jKernels();
        }
    }

    /** For {@code info}: the engines this process could run and what each runs on. */
    public static String describeEngines() {
        String nativeState = nativeProblem() == null ? "native: available (GEMM " + NativeCpu.variant() + ", best on this CPU "
                + NativeCpu.bestVariant() + ")" : "native: " + nativeProblem();
        String cudaState;
        try {
            cudaState = "cuda: " + CudaLibrary.require().describe();
        } catch (IllegalStateException e) {
            cudaState = "cuda: unavailable (" + e.getMessage() + ")";
        }
        return nativeState + "; nd4j: available; " + cudaState;
    }
}
