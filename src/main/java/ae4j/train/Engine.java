package ae4j.train;

import ae4j.Rng;
import ae4j.backend.BuildInfo;
import ae4j.engine.CudaEngine;
import ae4j.engine.NativeCpuEngine;
import ae4j.engine.StepEngine;
import ae4j.nn.Kernels;
import ae4j.nn.Nd4jKernels;
import ae4j.nn.Sequential;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every model of a run shares: which step engine runs it (and with how many threads, or which kernels), the
 * floating-point type, the seeded generator (Keras's global seed: each compile draws its initial weights and its
 * shuffling stream from it, in order) and the configuration of the ND4J-op engine's per-step workspace. Recipes
 * take an Engine, so one flag switches the engine for all of them.
 */
public final class Engine {
    /** The workspace every step of the ND4J-op engine runs in. */
    public static final String WORKSPACE_ID = "ae4j-step";

    /** The step engines: fused C++ on the CPU, ND4J operations (any backend), whole steps on an NVIDIA GPU. */
    public enum Kind {
        NATIVE, ND4J, CUDA;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final int threads;
    private final Kernels kernels;
    private final DataType dtype;
    private final Rng rng;
    private final long seed;
    private final WorkspaceConfiguration workspace;
    /** Quiet by default, as a library must be: the CLI turns it on (Keras's fit(verbose=1) is its default; a service's log is not a terminal). */
    private boolean verbose;

    /**
     * @param threads threads per step of the native engine
     * @param kernels the ND4J-op engine's kernels
     */
    public Engine(Kind kind, int threads, Kernels kernels, DataType dtype, long seed, long workspaceInitialBytes) {
        this.kind = kind;
        this.threads = threads;
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

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final AtomicBoolean AUTO_ANNOUNCED = new AtomicBoolean();

    /**
     * The engine a library should ask for: the command line's {@code --engine auto} ({@link EngineChoice}), that is
     * the native CPU engine where its library loads, else ND4J operations; float32, one thread per step. The first
     * call of a process says which in one INFO line (SLF4J logger {@code ae4j.train.Engine}), with the reason when
     * the native engine is missing.
     *
     * @param seed the seed of the initial weights and of the shuffling, as Keras's global seed
     * @return a new engine
     */
    public static Engine auto(long seed) {
        EngineChoice.Choice choice = EngineChoice.select("auto");
        if (AUTO_ANNOUNCED.compareAndSet(false, true)) {
            LOG.info(announcement(choice));
        }
        return new Engine(choice.kind(), 1, EngineChoice.nd4jKernels(), DataType.FLOAT, seed, 0);
    }

    /** The line that says which engine auto took; a missing native engine names the jar that carries it. */
    static String announcement(EngineChoice.Choice choice) {
        if (choice.notice() == null) {
            return "using the " + choice.kind().id() + " engine";
        }
        if (choice.kind() != Kind.ND4J) {
            return choice.notice();
        }
        return choice.notice() + "; the prebuilt native engine is dev.ae4j:ae4j:" + BuildInfo.current().version() + ":"
                + Loader.getPlatform();
    }

    /** The ND4J-op engine in float32, as many tests want. */
    public static Engine nd4j(long seed) {
        return new Engine(Kind.ND4J, 1, new Nd4jKernels(), DataType.FLOAT, seed, 0);
    }

    /** The native CPU engine with {@code threads} threads. */
    public static Engine nativeCpu(long seed, int threads, DataType dtype) {
        return new Engine(Kind.NATIVE, threads, new Nd4jKernels(), dtype, seed, 0);
    }

    public Kind kind() {
        return kind;
    }

    public int threads() {
        return threads;
    }

    Kernels kernels() {
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

    /** Whether fit prints its per-epoch lines and progress bar (adds a {@link ProgressLogger}); off unless set. */
    public Engine verbose(boolean verbose) {
        this.verbose = verbose;
        return this;
    }

    /** Keras's {@code model.compile(loss, optimizer, metrics)}: binds (and initialises) the network's parameters. */
    public Model compile(Sequential network, int inputSize, Loss loss, Optimizer optimizer, Metric... metrics) {
        return new Model(this, network, inputSize, loss, optimizer, List.of(metrics));
    }

    /** The step engine of a model being compiled. */
    StepEngine stepEngine(Model model) {
        return switch (kind) {
            case NATIVE -> new NativeCpuEngine(model.plan(), model.hostParams(), model.hostGradients(), model.hostOptimizerState(), threads);
            case ND4J -> new Nd4jEngine(this, model.plan(), model.layers(), model.params(), model.gradients(), model.optimizerState());
            case CUDA -> CudaEngine.create(model.plan(), model.hostParams(), model.hostGradients(), model.hostOptimizerState());
        };
    }
}
