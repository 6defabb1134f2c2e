package ae4j.cli;

import ae4j.UserInputException;
import ae4j.backend.KernelChoice;
import ae4j.backend.RuntimeProfile;
import ae4j.nn.Kernels;
import ae4j.train.Engine;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Option;

/** Options shared by the commands that train: the seed, the kernels and, through the profile, the workspace size. */
final class EngineOptions {
    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed for weight initialisation and shuffling; the same seed on the same backend repeats a run exactly. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--kernels", paramLabel = "auto|native|nd4j", defaultValue = "auto",
            description = "Compute kernels: native (fused C++, CPU backend), nd4j (ND4J operations, any backend), or auto: native where it runs. Default: ${DEFAULT-VALUE}.")
    String kernels;

    /** The kernels chosen for this command, "native" or "nd4j", once the first engine is made. */
    private String chosen;
    /** Why auto could not take the native kernels, until {@link #announceKernels} says it. */
    private String fallback;

    Engine engine() {
        return engine(seed);
    }

    Engine engine(long seedToUse) {
        RuntimeProfile profile = RuntimeProfile.current();
        profile.applyToNd4j();
        long workspaceBytes = (long) profile.getInt("workspace.initialMb", 8) << 20;
        return new Engine(kernels(), DataType.FLOAT, seedToUse, workspaceBytes);
    }

    /** Every engine of a command gets the same kernels; auto is decided once, by trying the native ones. */
    private Kernels kernels() {
        if (chosen != null) {
            return KernelChoice.select(chosen);
        }
        if (!"auto".equalsIgnoreCase(kernels)) {
            Kernels k = KernelChoice.select(kernels);
            chosen = k.name();
            return k;
        }
        try {
            Kernels k = KernelChoice.select("native");
            chosen = k.name();
            return k;
        } catch (UserInputException e) {
            fallback = KernelChoice.describeNative();
            chosen = "nd4j";
            return KernelChoice.select(chosen);
        }
    }

    /**
     * Says, once and only when the work starts, that auto fell back to the ND4J-op kernels: a command that stops
     * at a bad input before then prints its one error line and nothing else.
     */
    void announceKernels() {
        if (fallback != null) {
            System.err.println("ae4j: notice: using the ND4J-op kernels; the native ones are " + fallback.replaceAll(" in java.library.path: \\S+", "")
                    + " (a build made without a C++ compiler has none)");
            fallback = null;
        }
    }
}
