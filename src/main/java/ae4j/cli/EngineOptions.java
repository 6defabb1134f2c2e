package ae4j.cli;

import ae4j.backend.RuntimeProfile;
import ae4j.backend.KernelChoice;
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

    Engine engine() {
        return engine(seed);
    }

    Engine engine(long seedToUse) {
        RuntimeProfile profile = RuntimeProfile.current();
        profile.applyToNd4j();
        long workspaceBytes = (long) profile.getInt("workspace.initialMb", 8) << 20;
        return new Engine(KernelChoice.select(kernels), DataType.FLOAT, seedToUse, workspaceBytes);
    }
}
