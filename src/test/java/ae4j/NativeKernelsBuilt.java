package ae4j;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ae4j.backend.NativeCpu;
import ae4j.nn.Kernels;
import ae4j.nn.NativeKernels;
import ae4j.nn.Nd4jKernels;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Loader;

/**
 * The native CPU kernels are built by the JavaCPP plugin only where a C++ compiler is: tests of them are skipped,
 * with that reason, in a build without the library. A library that was built but does not load still fails them.
 */
public final class NativeKernelsBuilt {
    public static final String REASON = "the native kernels were not built (no C++ compiler when this build ran)";

    private NativeKernelsBuilt() {
    }

    /** Whether this build holds the native library (next to NativeCpu's class, under the platform's name). */
    public static boolean built() {
        return NativeCpu.class.getResource(Loader.getPlatform() + "/" + System.mapLibraryName("jni" + NativeCpu.class.getSimpleName())) != null;
    }

    public static void assume() {
        assumeTrue(built(), REASON);
    }

    /** Skips a run of a parameterised test with kernels "native" when they were not built. */
    public static void assumeFor(String kernels) {
        if (kernels.equals("native")) {
            assume();
        }
    }

    /** The CPU kernels of this build: the ND4J-op ones, and the native ones where they were built. */
    public static List<Kernels> cpuKernels() {
        List<Kernels> kernels = new ArrayList<>(List.of(new Nd4jKernels()));
        if (built()) {
            kernels.add(new NativeKernels());
        }
        return kernels;
    }
}
