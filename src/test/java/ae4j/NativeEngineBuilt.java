package ae4j;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ae4j.engine.NativeCpu;
import org.bytedeco.javacpp.Loader;

/**
 * The native CPU engine is built by the JavaCPP plugin only where a C++ compiler is: tests of it are skipped, with
 * that reason, in a build without the library. A library that was built but does not load still fails them.
 */
public final class NativeEngineBuilt {
    public static final String REASON = "the native engine was not built (no C++ compiler when this build ran)";

    private NativeEngineBuilt() {
    }

    /** Whether this build holds the native library (next to NativeCpu's class, under the platform's name). */
    public static boolean built() {
        return NativeCpu.class.getResource(Loader.getPlatform() + "/" + System.mapLibraryName("jni" + NativeCpu.class.getSimpleName())) != null;
    }

    public static void assume() {
        assumeTrue(built(), REASON);
    }
}
