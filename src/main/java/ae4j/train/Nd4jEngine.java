package ae4j.train;

import ae4j.engine.HostArray;
import ae4j.engine.Noise;
import ae4j.engine.Resident;
import ae4j.engine.StepEngine;
import ae4j.nn.Kernels;
import ae4j.nn.Layer;
import ae4j.nn.Pass;
import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import ae4j.spec.Plan;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The ND4J-op engine: each layer's forward and backward, the loss and the optimizer as {@link Kernels} calls —
 * ND4J operations on any backend, or, on ND4J's CUDA backend, ae4j's CUDA kernels launched on ND4J's stream.
 * Activations and deltas live in one preallocated {@link StepBuffers}; whatever ND4J allocates inside a step, in a
 * workspace that is reused from step to step. Works in place on the model's parameter vectors. The reference the
 * native engines are checked against. A batch is one call per layer, so terms of the batch's mean (the KL
 * regularizer) need no sharing; evaluation goes by batches of the fit's size when the loss has such terms.
 */
final class Nd4jEngine implements StepEngine {
    private static final int EVAL_BATCH = 500;

    private final Engine engine;
    private final Kernels kernels;
    private final Plan plan;
    private final List<Layer> layers;
    private final INDArray trainableParams;
    private final INDArray trainableGrads;
    private final INDArray state;
    private final List<Metric> metrics;
    private final INDArray totals;
    private final INDArray sums;
    private StepBuffers buffers;
    private StepBuffers evalBuffers;
    private int[] order;
    private int rowsDone;
    private long iteration;
    private double learningRate;
    private long noiseSeed;
    private long nadamScheduleStep;
    private double nadamSchedule = 1;
    private long allocations;

    Nd4jEngine(Engine engine, Plan plan, List<Layer> layers, INDArray params, INDArray grads, INDArray state) {
        this.engine = engine;
        this.kernels = engine.kernels();
        this.plan = plan;
        this.layers = layers;
        this.metrics = plan.metrics();
        this.state = state;
        this.learningRate = plan.optimizer().learningRate();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            trainableParams = params.get(NDArrayIndex.interval(0, plan.trainableCount()));
            trainableGrads = grads.get(NDArrayIndex.interval(0, plan.trainableCount()));
            totals = Nd4j.zeros(DataType.DOUBLE, plan.totals());
            sums = Nd4j.zeros(DataType.DOUBLE, plan.totals());
        }
    }

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public String description() {
        return "ND4J-op engine (" + kernels.name() + " kernels) on ND4J's " + Nd4j.getBackend().getClass().getSimpleName();
    }

    private record Nd4jResident(INDArray array) implements Resident {
        @Override
        public int rows() {
            return (int) array.rows();
        }

        @Override
        public int cols() {
            return (int) array.columns();
        }

        @Override
        public void close() {
        }
    }

    @Override
    public Resident resident(HostArray data) {
        if (!(data instanceof Nd4jArray a) || a.array().rank() != 2) {
            throw new IllegalArgumentException("the ND4J-op engine takes ND4J matrices");
        }
        return new Nd4jResident(a.array());
    }

    private static INDArray array(Resident r) {
        return ((Nd4jResident) r).array();
    }

    /** The activation layer l runs with in a step or evaluation: the plan's (identity for an output fused with its loss). */
    private Activation activation(int l) {
        return plan.layers().get(l).activation();
    }

    @Override
    public void setNoiseSeed(long seed) {
        noiseSeed = seed;
    }

    /** Layer l's part of a pass over rows [firstRow, firstRow + rows) in phase {@code phase} ({@link Noise}). */
    private Pass pass(int l, int phase, long firstRow, int rows, INDArray into) {
        return new Pass(phase == Noise.TRAIN, Noise.key(noiseSeed, l, phase, iteration), firstRow, rows, into);
    }

    /** The loss terms of the layers (latent loss, activity regularizers) are added to {@code into}. */
    private void forward(INDArray input, StepBuffers s, int phase, long firstRow, INDArray into) {
        INDArray in = input;
        int rows = (int) input.rows();
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(kernels, in, s.outputs[l], activation(l), pass(l, phase, firstRow, rows, into));
            kernels.activityLoss(plan.layers().get(l).regularizer(), s.outputs[l], into);
            in = s.outputs[l];
        }
    }

    private void backward(INDArray input, StepBuffers s) {
        int lowest = plan.firstBackwardLayer();
        int rows = (int) input.rows();
        for (int l = layers.size() - 1; l >= lowest; l--) {
            INDArray in = l == 0 ? input : s.outputs[l - 1];
            INDArray dx = l == lowest ? null : s.deltas[l - 1];
            ActivityRegularizer regularizer = plan.layers().get(l).regularizer();
            if (!(regularizer instanceof ActivityRegularizer.None)) {
                kernels.activityGradient(regularizer, s.outputs[l], s.deltas[l]);
            }
            layers.get(l).backward(kernels, dx, s.deltas[l], in, s.outputs[l], activation(l),
                    plan.layers().get(l).accumulateW(), pass(l, Noise.TRAIN, 0, rows, null));
        }
    }

    private void loss(StepBuffers s, INDArray target, INDArray dOut, INDArray into) {
        int last = layers.size() - 1;
        kernels.lossAndGradient(plan.loss(), plan.outputActivation(), s.outputs[last], target, dOut, metrics, into);
    }

    private StepBuffers allocate(int rows, boolean targetIsInput) {
        allocations++;
        return StepBuffers.allocate(layers, plan.inputSize(), rows, targetIsInput, engine.dtype());
    }

    private MemoryWorkspace workspace() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(engine.workspace(), Engine.WORKSPACE_ID);
    }

    @Override
    public void beginEpoch(int[] order) {
        this.order = order;
        rowsDone = 0;
    }

    @Override
    public void trainStep(Resident x, Resident y, int rows) {
        StepEngine.checkStep(rowsDone, rows, order == null ? 0 : order.length);
        int start = rowsDone;
        rowsDone += rows;
        boolean targetIsInput = x == y;
        if (buffers == null || buffers.rows < rows || (buffers.target == buffers.input) != targetIsInput) {
            buffers = allocate(rows, targetIsInput);
        }
        StepBuffers s = buffers.firstRows(rows);
        iteration++;
        try (MemoryWorkspace ignored = workspace()) {
            kernels.gatherRows(s.input, array(x), order, start);
            if (!targetIsInput) {
                kernels.gatherRows(s.target, array(y), order, start);
            }
            forward(s.input, s, Noise.TRAIN, 0, totals);
            loss(s, s.target, s.deltas[layers.size() - 1], totals);
            backward(s.input, s);
            applyOptimizer(iteration);
        }
    }

    /** The optimizer's update at step t (1-based), at the rate its schedule gives after t − 1 updates. */
    private void applyOptimizer(long t) {
        Optimizer o = plan.optimizer();
        double lr = o.schedule().rate(learningRate, t - 1);
        switch (o.kind()) {
            case SGD -> {
                Optimizer.Sgd sgd = (Optimizer.Sgd) o;
                kernels.sgdStep(trainableParams, trainableGrads, sgd.momentum() == 0 ? null : state, lr, sgd.momentum(), sgd.nesterov());
            }
            case ADAM -> {
                Optimizer.Adam adam = (Optimizer.Adam) o;
                kernels.adamStep(trainableParams, trainableGrads, state, lr, adam.beta1(), adam.beta2(), adam.epsilon(), t);
            }
            case RMSPROP -> {
                Optimizer.Rmsprop rmsprop = (Optimizer.Rmsprop) o;
                kernels.rmspropStep(trainableParams, trainableGrads, state, lr, rmsprop.rho(), rmsprop.epsilon());
            }
            case NADAM -> {
                Optimizer.Nadam nadam = (Optimizer.Nadam) o;
                // carried from the previous step, or rebuilt once for a resumed run
                nadamSchedule = t == nadamScheduleStep + 1 ? nadamSchedule * nadam.mu(t) : nadam.schedule(t);
                nadamScheduleStep = t;
                kernels.nadamStep(trainableParams, trainableGrads, state, lr, nadam.beta1(), nadam.beta2(),
                        nadam.epsilon(), t, nadam.mu(t), nadam.mu(t + 1), nadamSchedule);
            }
        }
    }

    @Override
    public void readTotals(double[] out) {
        for (int i = 0; i < plan.totals(); i++) {
            out[i] = totals.getDouble(i);
        }
    }

    @Override
    public void resetTotals() {
        totals.assign(0);
    }

    @Override
    public void evaluate(Resident x, Resident y, int batchSize, double[] out) {
        INDArray xs = array(x);
        INDArray ys = array(y);
        int n = x.rows();
        int chunk = plan.hasBatchTerms() ? batchSize : EVAL_BATCH;
        if (evalBuffers == null || evalBuffers.rows < chunk) {
            evalBuffers = allocate(chunk, true);
        }
        sums.assign(0);
        for (int start = 0; start < n; start += chunk) {
            int rows = Math.min(chunk, n - start);
            StepBuffers s = evalBuffers.firstRows(rows);
            try (MemoryWorkspace ignored = workspace()) {
                forward(xs.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all()), s, Noise.EVALUATE, start, sums);
                loss(s, ys.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all()), null, sums);
            }
        }
        for (int i = 0; i < plan.totals(); i++) {
            out[i] = sums.getDouble(i);
        }
    }

    @Override
    public void predict(Resident x, int fromLayer, int toLayer, HostArray out) {
        INDArray xs = array(x);
        INDArray result = ((Nd4jArray) out).array();
        List<Layer> run = layers.subList(fromLayer, toLayer);
        int n = x.rows();
        StepBuffers s = StepBuffers.allocate(run, run.get(0).inputSize(), Math.min(EVAL_BATCH, n), true, engine.dtype());
        for (int start = 0; start < n; start += EVAL_BATCH) {
            int rows = Math.min(EVAL_BATCH, n - start);
            StepBuffers b = s.firstRows(rows);
            try (MemoryWorkspace ignored = workspace()) {
                INDArray in = xs.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all());
                for (int l = 0; l < run.size(); l++) {
                    run.get(l).forward(kernels, in, b.outputs[l], run.get(l).activation(),
                            pass(fromLayer + l, Noise.PREDICT, start, rows, null));
                    in = b.outputs[l];
                }
                result.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all()).assign(in);
            }
        }
    }

    @Override
    public double lossAndGradients(Resident x, Resident y) {
        int rows = x.rows();
        StepBuffers s = allocate(rows, false);
        sums.assign(0);
        try (MemoryWorkspace ignored = workspace()) {
            s.input.assign(array(x));
            s.target.assign(array(y));
            forward(s.input, s, Noise.TRAIN, 0, sums);
            loss(s, s.target, s.deltas[layers.size() - 1], sums);
            backward(s.input, s);
        }
        return sums.getDouble(0) / rows;
    }

    @Override
    public long iteration() {
        return iteration;
    }

    @Override
    public void setIteration(long t) {
        iteration = t;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double lr) {
        learningRate = lr;
    }

    /** The engine works on the model's own arrays: nothing to copy. */
    @Override
    public void copyStateToHost() {
    }

    @Override
    public void copyStateFromHost() {
    }

    @Override
    public long allocations() {
        return allocations;
    }

    @Override
    public void close() {
    }
}
