package ae4j.train;

import ae4j.Rng;
import ae4j.nn.Kernels;
import ae4j.nn.Loss;
import ae4j.nn.Metric;
import ae4j.nn.Nd4jKernels;
import ae4j.nn.Sequential;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;

/**
 * What every model of a run shares: the kernels, the floating-point type, the seeded generator (Keras's global
 * seed: each compile draws its initial weights and its shuffling stream from it, in order) and the configuration of
 * the per-step workspace. Recipes take an Engine, so one flag switches kernels for all of them.
 */
public final class Engine {
    private final Kernels kernels;
    private final DataType dtype;
    private final Rng rng;
    private final long seed;
    private final WorkspaceConfiguration workspace;
    private boolean verbose = true;

    public Engine(Kernels kernels, DataType dtype, long seed, long workspaceInitialBytes) {
        this.kernels = kernels;
        this.dtype = dtype;
        this.seed = seed;
        this.rng = new Rng(seed);
        // Learns its size in the first step, then every step reuses the same block; a step that needs more is
        // served outside the block once ("spilled") and the block grows to fit before the next step.
        this.workspace = WorkspaceConfiguration.builder()
                .initialSize(workspaceInitialBytes)
                .policyAllocation(AllocationPolicy.STRICT)
                .policyLearning(LearningPolicy.FIRST_LOOP)
                .policySpill(SpillPolicy.REALLOCATE)
                .policyReset(ResetPolicy.BLOCK_LEFT)
                .build();
    }

    /** ND4J-op kernels in float32, as most tests want. */
    public static Engine nd4j(long seed) {
        return new Engine(new Nd4jKernels(), DataType.FLOAT, seed, 0);
    }

    public Kernels kernels() {
        return kernels;
    }

    public DataType dtype() {
        return dtype;
    }

    public long seed() {
        return seed;
    }

    WorkspaceConfiguration workspace() {
        return workspace;
    }

    Rng rng() {
        return rng;
    }

    public boolean verbose() {
        return verbose;
    }

    /** Whether fit prints its per-epoch lines and progress bar. */
    public Engine verbose(boolean verbose) {
        this.verbose = verbose;
        return this;
    }

    /** Keras's {@code model.compile(loss, optimizer, metrics)}: binds (and initialises) the network's parameters. */
    public Model compile(Sequential network, int inputSize, Loss loss, Optimizer optimizer, Metric... metrics) {
        return new Model(this, network, inputSize, loss, optimizer, List.of(metrics));
    }
}
