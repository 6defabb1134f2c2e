package ae4j.cli;

import ae4j.backend.RuntimeProfile;
import ae4j.nn.Nd4jKernels;
import ae4j.train.Engine;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Option;

/** Options shared by the commands that train: the seed and, through the profile, the workspace size. */
final class EngineOptions {
    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed for weight initialisation and shuffling; the same seed on the same backend repeats a run exactly. Default: ${DEFAULT-VALUE}.")
    long seed;

    Engine engine() {
        RuntimeProfile profile = RuntimeProfile.current();
        profile.applyToNd4j();
        long workspaceBytes = (long) profile.getInt("workspace.initialMb", 8) << 20;
        return new Engine(new Nd4jKernels(), DataType.FLOAT, seed, workspaceBytes);
    }
}
