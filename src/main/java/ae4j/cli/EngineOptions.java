package ae4j.cli;

import ae4j.UserInputException;
import ae4j.backend.RuntimeProfile;
import ae4j.train.Engine;
import ae4j.train.EngineChoice;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Option;

/** Options shared by the commands that train: the seed, the engine and its threads (and, through the profile, the workspace size). */
final class EngineOptions {
    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed for weight initialisation and shuffling; the same seed with the same engine repeats a run exactly. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--engine", paramLabel = "auto|native|nd4j|cuda", defaultValue = "auto",
            description = "The step engine: native (fused C++ on the CPU), nd4j (ND4J operations, any backend), cuda (ae4j's CUDA engine, "
                    + "NVIDIA GPUs of compute capability 7.0+), or auto: the GPU where one is usable, else native where it runs. Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--threads", paramLabel = "N|auto",
            description = "Threads of the native engine, each taking a share of every step (its layers' units, or the batch's rows), "
                    + "or auto: one per physical core. Default: train.threads in the profile (1).")
    String threads;

    /** The engine chosen for this command, once the first Engine is made: every model of a command runs on it. */
    private EngineChoice.Choice chosen;
    private int threadCount;

    Engine engine() {
        return engine(seed);
    }

    Engine engine(long seedToUse) {
        RuntimeProfile profile = RuntimeProfile.current();
        profile.applyToNd4j();
        long workspaceBytes = (long) profile.getInt("workspace.initialMb", 8) << 20;
        if (chosen == null) {
            threadCount = threadCount(profile);
            chosen = EngineChoice.select(engine);
        }
        return new Engine(chosen.kind(), threadCount, EngineChoice.nd4jKernels(), DataType.FLOAT, seedToUse, workspaceBytes).verbose(true);
    }

    /**
     * Says, once and only when the work starts, why auto (or --fallback-cpu) did not take the engine it prefers: a
     * command that stops at a bad input before then prints its one error line and nothing else.
     */
    void announceEngine() {
        if (chosen != null && chosen.notice() != null) {
            System.err.println("ae4j: notice: " + chosen.notice());
            chosen = new EngineChoice.Choice(chosen.kind(), null);
        }
    }

    /** The engine's threads as a run's settings record them: a count for the native engine, null for the others. */
    static Integer threadsOf(Engine engine) {
        return engine.kind() == Engine.Kind.NATIVE ? engine.threads() : null;
    }

    private int threadCount(RuntimeProfile profile) {
        String value = threads != null ? threads : profile.get("train.threads", "1");
        if (value.equalsIgnoreCase("auto")) {
            return Cores.physical();
        }
        try {
            return Flags.between("--threads", Integer.parseInt(value), 1, 64);
        } catch (NumberFormatException e) {
            throw new UserInputException("--threads must be a number of threads or auto, not '" + value + "'");
        }
    }
}
