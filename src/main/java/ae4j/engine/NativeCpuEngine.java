package ae4j.engine;

import ae4j.spec.Plan;
import java.lang.ref.Cleaner;

/**
 * The CPU engine: each call below is one call into the fused C++ engine of {@code native/cpu/engine.h}, which
 * works on the host's parameter, gradient and state vectors (in place, but for what {@link #copyStateToHost()}
 * hands back) and shares each step across a fixed pool of threads. Data are used where they lie (no copies).
 * <p>
 * Raw addresses are handed to C++, so every argument is checked here first: float type, shapes against the plan,
 * row indices against the data. A violation throws {@link IllegalArgumentException} instead of corrupting memory.
 * An engine that is not closed is destroyed (its threads ended) when it becomes unreachable; it keeps the host
 * arrays it works on reachable meanwhile.
 */
public final class NativeCpuEngine implements StepEngine {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The native engine, destroyed once: by close() or by the cleaner. */
    private static final class Handle implements Runnable {
        long value;

        @Override
        public void run() {
            if (value != 0) {
                NativeCpu.engineDestroy(value);
                value = 0;
            }
        }
    }

    private final Plan plan;
    private final HostArray params;
    private final HostArray grads;
    private final HostArray state;
    private final boolean f64;
    private final Handle handle = new Handle();
    private final Cleaner.Cleanable cleanable;
    private int orderLength;
    private int largestIndex = -1;
    private int rowsDone;

    /** Throws {@link IllegalStateException} with the reason when the native library cannot be loaded here. */
    public NativeCpuEngine(Plan plan, HostArray params, HostArray grads, HostArray state, int threads) {
        if (!NativeCpu.isLoaded()) {
            throw new IllegalStateException("the native CPU engine is unavailable: " + NativeCpu.loadProblem());
        }
        this.plan = plan;
        this.params = params;
        this.grads = grads;
        this.state = state;
        this.f64 = params.f64();
        check(params.length() == plan.parameterCount() && grads.length() == plan.parameterCount(), "parameter vectors do not match the plan");
        check(state.length() >= plan.stateLength(), "the optimizer state vector is too short");
        check(grads.f64() == f64 && state.f64() == f64, "parameters, gradients and state must have one float type");
        long[] ints = plan.ints();
        double[] reals = plan.reals();
        handle.value = NativeCpu.engineCreate(ints, ints.length, reals, reals.length, f64 ? 1 : 0, params.address(), grads.address(),
                state.address(), Math.max(1, threads));
        if (handle.value == 0) {
            throw new IllegalArgumentException(NativeCpu.engineError());
        }
        cleanable = CLEANER.register(this, handle);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public String description() {
        int threads = threads();
        String split = switch (NativeCpu.engineSplit(live())) {
            case 1 -> " (batch split by rows)";
            case 2 -> " (layers split by units)";
            default -> "";
        };
        return "native CPU engine, " + threads + (threads == 1 ? " thread" : " threads") + split + ", " + NativeCpu.variant() + " GEMM";
    }

    public int threads() {
        return NativeCpu.engineThreads(live());
    }

    private long live() {
        if (handle.value == 0) {
            throw new IllegalStateException("the engine is closed");
        }
        return handle.value;
    }

    /** The host array itself: steps read it in place (its address taken once: asking ND4J for it allocates). */
    private record InPlace(HostArray array, long address) implements Resident {
        @Override
        public int rows() {
            return array.rows();
        }

        @Override
        public int cols() {
            return array.cols();
        }

        @Override
        public void close() {
        }
    }

    @Override
    public Resident resident(HostArray data) {
        check(data.f64() == f64, "the data's float type differs from the model's");
        return new InPlace(data, data.address());
    }

    private static long address(Resident r) {
        if (r instanceof InPlace p) {
            return p.address();
        }
        throw new IllegalArgumentException("data made resident by another engine");
    }

    /** Checks on the hot path build their message only when they fail. */
    private void checkPair(Resident x, Resident y, int inputs) {
        if (x.cols() != inputs) {
            throw new IllegalArgumentException("inputs have " + x.cols() + " columns, the layer takes " + inputs);
        }
        if (y.cols() != plan.outputSize() || y.rows() != x.rows()) {
            throw new IllegalArgumentException("targets must be [" + x.rows() + ", " + plan.outputSize() + "]");
        }
    }

    @Override
    public void beginEpoch(int[] order) {
        int largest = -1;
        for (int i : order) {
            check(i >= 0, "negative row index in the order");
            largest = Math.max(largest, i);
        }
        NativeCpu.engineBeginEpoch(live(), order, order.length);
        orderLength = order.length;
        largestIndex = largest;
        rowsDone = 0;
    }

    @Override
    public void trainStep(Resident x, Resident y, int rows) {
        checkPair(x, y, plan.inputSize());
        StepEngine.checkStep(rowsDone, rows, orderLength);
        if (largestIndex >= x.rows()) {
            throw new IllegalArgumentException("the epoch's order names row " + largestIndex + " of " + x.rows());
        }
        NativeCpu.engineTrainStep(live(), address(x), address(y), rowsDone, rows);
        rowsDone += rows;
    }

    @Override
    public void readTotals(double[] sums) {
        check(sums.length >= plan.totals(), "sums too short");
        NativeCpu.engineReadTotals(live(), sums);
    }

    @Override
    public void resetTotals() {
        NativeCpu.engineResetTotals(live());
    }

    @Override
    public void evaluate(Resident x, Resident y, int batchSize, double[] sums) {
        checkPair(x, y, plan.inputSize());
        check(sums.length >= plan.totals(), "sums too short");
        check(batchSize > 0, "batch size " + batchSize);
        NativeCpu.engineEvaluate(live(), address(x), address(y), x.rows(), batchSize, sums);
    }

    @Override
    public void predict(Resident x, int fromLayer, int toLayer, HostArray out) {
        check(fromLayer >= 0 && fromLayer < toLayer && toLayer <= plan.layers().size(), "layers " + fromLayer + ".." + toLayer);
        int inputs = plan.layers().get(fromLayer).inputs();
        int outputs = plan.layers().get(toLayer - 1).outputs();
        check(x.cols() == inputs, "inputs have " + x.cols() + " columns, the layer takes " + inputs);
        check(out.rows() == x.rows() && out.cols() == outputs && out.f64() == f64, "the output must be [" + x.rows() + ", " + outputs + "]");
        NativeCpu.enginePredict(live(), address(x), x.rows(), fromLayer, toLayer, out.address());
    }

    @Override
    public double lossAndGradients(Resident x, Resident y) {
        checkPair(x, y, plan.inputSize());
        return NativeCpu.engineLossAndGradients(live(), address(x), address(y), x.rows());
    }

    @Override
    public long iteration() {
        return NativeCpu.engineIteration(live());
    }

    @Override
    public void setIteration(long t) {
        NativeCpu.engineSetIteration(live(), t);
    }

    @Override
    public double learningRate() {
        return NativeCpu.engineLearningRate(live());
    }

    @Override
    public void setLearningRate(double lr) {
        NativeCpu.engineSetLearningRate(live(), lr);
    }

    @Override
    public void setNoiseSeed(long seed) {
        NativeCpu.engineSetNoiseSeed(live(), seed);
    }

    /**
     * The engine works on the host's vectors, except that steps split by units keep the output layer's W (and its
     * gradient and optimizer state) transposed while they run, each thread owning whole rows of it; this hands them back.
     * Evaluation, prediction and the gradient alone hand them back themselves.
     */
    @Override
    public void copyStateToHost() {
        NativeCpu.engineCopyStateToHost(live());
    }

    @Override
    public void copyStateFromHost() {
        NativeCpu.engineCopyStateFromHost(live());
    }

    @Override
    public long allocations() {
        return NativeCpu.engineAllocations(live());
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
