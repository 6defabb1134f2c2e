package ae4j.backend;

import ae4j.UserInputException;
import ae4j.nn.Kernels;
import ae4j.nn.NativeKernels;
import ae4j.nn.Nd4jKernels;
import java.util.Locale;

/**
 * {@code --kernels auto|native|nd4j}. {@code auto} takes the native kernels where they run (the CPU backend with
 * the library built and loaded) and the ND4J-op kernels elsewhere, saying once why when it falls back.
 */
public final class KernelChoice {
    private KernelChoice() {
    }

    public static Kernels select(String requested) {
        String choice = requested == null ? "auto" : requested.toLowerCase(Locale.ROOT);
        boolean cpu = "cpu".equals(BackendInfo.backendName());
        return switch (choice) {
            case "nd4j" -> new Nd4jKernels();
            case "native" -> {
                if (!cpu) {
                    throw new UserInputException("--kernels native: the native kernels run on the CPU backend; this run is on "
                            + BackendInfo.backendName() + " (use --kernels nd4j or auto)");
                }
                if (!NativeCpu.isLoaded()) {
                    throw new UserInputException("--kernels native: the native library is not available here ("
                            + NativeCpu.loadProblem() + "); use --kernels nd4j");
                }
                yield new NativeKernels();
            }
            case "auto" -> {
                if (cpu && NativeCpu.isLoaded()) {
                    yield new NativeKernels();
                }
                if (cpu) {
                    System.err.println("ae4j: notice: native kernels unavailable (" + NativeCpu.loadProblem() + "); using the ND4J-op kernels");
                }
                yield new Nd4jKernels();
            }
            default -> throw new UserInputException("--kernels must be auto, native or nd4j, not '" + requested + "'");
        };
    }

    /** For {@code info}: which native kernels are loaded and the instruction set they use. */
    public static String describeNative() {
        if (!NativeCpu.isLoaded()) {
            return "not loaded (" + NativeCpu.loadProblem() + ")";
        }
        return "native CPU kernels loaded: dense forward/backward (Dense and DenseTranspose), losses, optimizers; GEMM "
                + NativeCpu.variant() + " (best on this CPU: " + NativeCpu.bestVariant() + ")";
    }
}
