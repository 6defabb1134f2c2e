package ae4j.backend;

import ae4j.UserInputException;
import ae4j.nn.Kernels;
import ae4j.nn.NativeKernels;
import ae4j.nn.Nd4jKernels;
import java.util.Locale;

/**
 * {@code --kernels auto|native|nd4j}. "native" means the fused kernels of the backend in use: the C++ library on
 * the CPU backend, the NVRTC-compiled CUDA kernels with cuBLAS on the CUDA backend. {@code auto} takes them where
 * they load and the ND4J-op kernels elsewhere, saying once why when it falls back.
 */
public final class KernelChoice {
    private KernelChoice() {
    }

    private static final String CUDA_KERNELS = "ae4j.backend.cuda.CudaKernels";

    public static Kernels select(String requested) {
        String choice = requested == null ? "auto" : requested.toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "nd4j" -> new Nd4jKernels();
            case "native" -> {
                try {
                    yield nativeKernels();
                } catch (RuntimeException | LinkageError e) {
                    throw new UserInputException("--kernels native: the native kernels are not available here (" + e.getMessage()
                            + "); use --kernels nd4j");
                }
            }
            case "auto" -> {
                try {
                    yield nativeKernels();
                } catch (RuntimeException | LinkageError e) {
                    System.err.println("ae4j: notice: native kernels unavailable (" + e.getMessage() + "); using the ND4J-op kernels");
                    yield new Nd4jKernels();
                }
            }
            default -> throw new UserInputException("--kernels must be auto, native or nd4j, not '" + requested + "'");
        };
    }

    private static boolean onCuda() {
        return "cuda".equals(BackendInfo.backendName());
    }

    /** The backend's native kernels; throws with the reason when they cannot load. */
    private static Kernels nativeKernels() {
        if (!onCuda()) {
            return new NativeKernels();
        }
        try {
            return (Kernels) Class.forName(CUDA_KERNELS).getDeclaredConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the CUDA kernels are missing from this build (" + e + ")", e);
        }
    }

    /** For {@code info}: which native kernels are loaded and the instruction set they use. */
    public static String describeNative() {
        if (onCuda()) {
            try {
                nativeKernels();
                return "CUDA kernels compiled by NVRTC (compute_80 PTX), GEMMs on cuBLAS";
            } catch (RuntimeException | LinkageError e) {
                return "CUDA kernels unavailable (" + e.getMessage() + ")";
            }
        }
        if (!NativeCpu.isLoaded()) {
            return "not loaded (" + NativeCpu.loadProblem() + ")";
        }
        return "native CPU kernels loaded: dense forward/backward (Dense and DenseTranspose), losses, optimizers; GEMM "
                + NativeCpu.variant() + " (best on this CPU: " + NativeCpu.bestVariant() + ")";
    }
}
