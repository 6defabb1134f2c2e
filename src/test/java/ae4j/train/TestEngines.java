package ae4j.train;

import ae4j.NativeEngineBuilt;
import ae4j.nn.Nd4jKernels;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The engines every engine-level test runs on, by name: "nd4j", "native" (one thread) and "native-2" (the batch
 * split across two threads). The native ones are skipped, with the reason, where the native library was not built
 * (no C++ compiler).
 */
public final class TestEngines {
    private TestEngines() {
    }

    public static Stream<String> names() {
        return Stream.of("nd4j", "native", "native-2");
    }

    public static Engine create(String name, DataType dtype, long seed) {
        if (name.equals("nd4j")) {
            return new Engine(Engine.Kind.ND4J, 1, new Nd4jKernels(), dtype, seed, 0).verbose(false);
        }
        NativeEngineBuilt.assume();
        int threads = name.equals("native") ? 1 : Integer.parseInt(name.substring("native-".length()));
        return Engine.nativeCpu(seed, threads, dtype).verbose(false);
    }
}
