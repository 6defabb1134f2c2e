package ae4j.train;

import ae4j.Progress;
import ae4j.Rng;
import ae4j.data.EpochOrder;
import ae4j.nn.Activation;
import ae4j.nn.Kernels;
import ae4j.nn.Layer;
import ae4j.nn.Loss;
import ae4j.nn.Metric;
import ae4j.nn.Parameter;
import ae4j.nn.Sequential;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A compiled network, Keras-style: {@link #fit}, {@link #evaluate}, {@link #predict}. Parameters, gradients and
 * optimizer state live in three flat vectors outside every workspace (each layer's W and b are views of them);
 * the activations and deltas of a batch in one preallocated {@link StepBuffers}; anything ND4J allocates inside a
 * step in a workspace that is reused from step to step. A training step is: gather the batch, one forward kernel
 * per layer, one fused loss kernel, one backward kernel per layer, one optimizer kernel.
 */
public final class Model {
    /** The workspace every training and evaluation step runs in. */
    public static final String WORKSPACE_ID = "ae4j-step";
    private static final int EVAL_BATCH = 500;
    private static final int CHECK_EVERY = 50;

    private final Engine engine;
    private final Kernels kernels;
    private final Sequential network;
    private final List<Layer> layers;
    private final int inputSize;
    private final int outputSize;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Optimizer.Stepper stepper;
    private final List<Metric> metrics;
    private final List<Parameter> parameters;
    private final boolean[] accumulateW;
    private final int lowestTrainableLayer;
    private final INDArray params;
    private final INDArray grads;
    private final INDArray trainableParams;
    private final INDArray trainableGrads;
    private final INDArray optimizerState;
    private final INDArray totals;
    private final INDArray evalTotals;
    private StepBuffers evalBuffers;
    private Rng shuffleRng;
    private long iteration;
    private History history = new History();
    private boolean stopTraining;

    Model(Engine engine, Sequential network, int inputSize, Loss loss, Optimizer optimizer, List<Metric> metrics) {
        this.engine = engine;
        this.kernels = engine.kernels();
        this.network = network;
        this.inputSize = inputSize;
        this.outputSize = network.build(inputSize);
        this.layers = network.layers();
        this.loss = loss;
        this.optimizer = optimizer;
        this.stepper = optimizer.stepper();
        this.metrics = List.copyOf(metrics);
        Set<Parameter> frozen = frozenParameters(layers);
        List<Parameter> all = collectParameters(layers);
        List<Parameter> ordered = new ArrayList<>(all.stream().filter(p -> !frozen.contains(p)).toList());
        long trainable = ordered.stream().mapToLong(Parameter::length).sum();
        ordered.addAll(all.stream().filter(frozen::contains).toList());
        this.parameters = ordered;
        this.accumulateW = tiedAccumulation(layers);
        this.lowestTrainableLayer = lowestTrainableLayer(layers, frozen);

        long count = parameters.stream().mapToLong(Parameter::length).sum();
        DataType dtype = engine.dtype();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            params = Nd4j.createUninitializedDetached(dtype, count);
            grads = Nd4j.zeros(dtype, count);
            trainableParams = params.get(NDArrayIndex.interval(0, trainable));
            trainableGrads = grads.get(NDArrayIndex.interval(0, trainable));
            optimizerState = Nd4j.zeros(dtype, Math.max(1, optimizer.stateSlots() * trainable));
            totals = Nd4j.zeros(DataType.DOUBLE, 1 + metrics.size());
            evalTotals = Nd4j.zeros(DataType.DOUBLE, 1 + metrics.size());
        }
        bindParameters(engine.rng());
        this.shuffleRng = new Rng(engine.rng().nextLong());
    }

    /** Every parameter the layers use, each once, in order of first use (a tied W belongs to its Dense). */
    private static List<Parameter> collectParameters(List<Layer> layers) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> out = new ArrayList<>();
        for (Layer layer : layers) {
            for (Parameter p : layer.usedParameters()) {
                if (seen.add(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The parameters of layers that are not trainable; a tied W follows the Dense layer that owns it. */
    private static Set<Parameter> frozenParameters(List<Layer> layers) {
        Set<Parameter> frozen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Layer layer : layers) {
            if (!layer.trainable()) {
                frozen.addAll(layer.parameters());
            }
        }
        return frozen;
    }

    /** Layers below the lowest one with a trainable parameter need no backward pass. */
    private static int lowestTrainableLayer(List<Layer> layers, Set<Parameter> frozen) {
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).usedParameters().stream().anyMatch(p -> !frozen.contains(p))) {
                return l;
            }
        }
        return layers.size();
    }

    /** In backward order, the first layer to reach a W stores its gradient; a second user (tied) adds to it. */
    private static boolean[] tiedAccumulation(List<Layer> layers) {
        boolean[] accumulate = new boolean[layers.size()];
        Set<Parameter> written = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int l = layers.size() - 1; l >= 0; l--) {
            accumulate[l] = !written.add(layers.get(l).weights());
        }
        return accumulate;
    }

    /** Points every parameter at its slice of the flat vectors, keeping values a parameter already had. */
    private void bindParameters(Rng initRng) {
        long offset = 0;
        for (Parameter p : parameters) {
            long n = p.length();
            INDArray value = params.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape());
            INDArray gradient = grads.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape());
            if (p.isBound()) {
                value.assign(p.value());
            } else {
                double[] init = new double[(int) n];
                long[] shape = p.shape();
                p.init().fill(init, (int) shape[0], shape.length > 1 ? (int) shape[1] : 1, initRng);
                value.assign(Nd4j.createFromArray(init).reshape('c', shape).castTo(params.dataType()));
            }
            p.bind(value, gradient);
            offset += n;
        }
    }

    public Sequential network() {
        return network;
    }

    public List<Layer> layers() {
        return layers;
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    public Loss loss() {
        return loss;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public Engine engine() {
        return engine;
    }

    /** All parameters: 163,814 for the book's stacked autoencoder, 82,414 for the tied one. */
    public long parameterCount() {
        return params.length();
    }

    /** The parameters training updates (all of them unless some layers are frozen). */
    public long trainableParameterCount() {
        return trainableParams.length();
    }

    /** The flat parameter vector (each layer's W and b are views of it). */
    public INDArray params() {
        return params;
    }

    /** The flat gradient vector of the last step, laid out like {@link #params()}. */
    public INDArray gradients() {
        return grads;
    }

    INDArray optimizerState() {
        return optimizerState;
    }

    public long iteration() {
        return iteration;
    }

    long shuffleState() {
        return shuffleRng.state();
    }

    public History history() {
        return history;
    }

    /** Restores what a saved run needs to continue exactly. */
    void restore(INDArray savedParams, INDArray savedState, long savedIteration, long shuffleState, History savedHistory) {
        params.assign(savedParams);
        optimizerState.assign(savedState);
        iteration = savedIteration;
        shuffleRng = new Rng(shuffleState);
        history = savedHistory;
    }

    /** Ends {@link #fit} after the current epoch (Keras's {@code model.stop_training = True}). */
    public void stopTraining() {
        stopTraining = true;
    }

    private Activation activationOf(int l, boolean fuseOutput) {
        Activation a = layers.get(l).activation();
        return fuseOutput && l == layers.size() - 1 && loss.fusesWith(a) ? Activation.IDENTITY : a;
    }

    private void forward(INDArray input, StepBuffers s, boolean fuseOutput) {
        INDArray in = input;
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(kernels, in, s.outputs[l], activationOf(l, fuseOutput));
            in = s.outputs[l];
        }
    }

    private void backward(INDArray input, StepBuffers s) {
        for (int l = layers.size() - 1; l >= lowestTrainableLayer; l--) {
            INDArray in = l == 0 ? input : s.outputs[l - 1];
            INDArray dx = l == lowestTrainableLayer ? null : s.deltas[l - 1];
            layers.get(l).backward(kernels, dx, s.deltas[l], in, s.outputs[l], activationOf(l, true), accumulateW[l]);
        }
    }

    /** Output activation as the loss kernel sees it. */
    private Activation outputActivation() {
        return layers.get(layers.size() - 1).activation();
    }

    /**
     * One training step on rows {@code order[start ..]} of x/y (as many as {@code s} holds): forward, loss,
     * backward, optimizer. Exposed to the package for tests and the benchmark.
     */
    void trainStep(StepBuffers s, INDArray x, INDArray y, int[] order, int start) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(engine.workspace(), WORKSPACE_ID)) {
            kernels.gatherRows(s.input, x, order, start);
            if (s.target != s.input) {
                kernels.gatherRows(s.target, y, order, start);
            }
            forward(s.input, s, true);
            kernels.lossAndGradient(loss, outputActivation(), s.outputs[layers.size() - 1], s.target,
                    s.deltas[layers.size() - 1], metrics, totals);
            backward(s.input, s);
            stepper.step(kernels, trainableParams, trainableGrads, optimizerState, ++iteration);
        }
    }

    /**
     * Forward, loss and backward on all rows of x at once, leaving ∂L/∂params in {@link #gradients()} and the
     * parameters untouched; returns the mean loss. For gradient checks and tests.
     */
    double lossAndGradients(INDArray x, INDArray y) {
        checkData(x, y, "gradient");
        StepBuffers s = allocateBuffers((int) x.rows(), false);
        evalTotals.assign(0);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(engine.workspace(), WORKSPACE_ID)) {
            s.input.assign(x);
            s.target.assign(y);
            forward(s.input, s, true);
            kernels.lossAndGradient(loss, outputActivation(), s.outputs[layers.size() - 1], s.target,
                    s.deltas[layers.size() - 1], metrics, evalTotals);
            backward(s.input, s);
        }
        return evalTotals.getDouble(0) / x.rows();
    }

    /** Single training steps on x/y in batches of {@code batchSize}, for benchmarks (see {@link StepDriver}). */
    public StepDriver stepDriver(INDArray x, INDArray y, int batchSize) {
        checkData(x, y, "benchmark");
        return new StepDriver(this, x, y, batchSize, new EpochOrder((int) x.rows(), shuffleRng));
    }

    StepBuffers allocateBuffers(int rows, boolean targetIsInput) {
        return StepBuffers.allocate(layers, inputSize, rows, targetIsInput, engine.dtype());
    }

    /**
     * Keras's {@code fit}: trains from the epoch after the last one in {@link #history()} up to {@code epochs}
     * (so a restored model resumes), shuffling every epoch. x and y may be the same array (autoencoders).
     * Validation data may be null.
     */
    public History fit(INDArray x, INDArray y, int epochs, int batchSize, INDArray xValid, INDArray yValid, Callback... callbacks) {
        checkData(x, y, "training");
        if (xValid != null) {
            checkData(xValid, yValid, "validation");
        }
        if (batchSize <= 0 || epochs <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive");
        }
        int n = (int) x.rows();
        boolean targetIsInput = x == y;
        StepBuffers full = allocateBuffers(Math.min(batchSize, n), targetIsInput);
        EpochOrder order = new EpochOrder(n, shuffleRng);
        int batches = EpochOrder.batchCount(n, batchSize);
        stopTraining = false;
        for (int epoch = history.epochs().size() + 1; epoch <= epochs && !stopTraining; epoch++) {
            int[] permutation = order.next();
            totals.assign(0);
            long started = System.nanoTime();
            try (Progress bar = engine.verbose() ? Progress.start(String.format("Epoch %d/%d", epoch, epochs), batches) : Progress.quiet()) {
                for (int b = 0; b < batches; b++) {
                    int start = b * batchSize;
                    trainStep(full.firstRows(Math.min(batchSize, n - start)), x, y, permutation, start);
                    if ((b + 1) % CHECK_EVERY == 0 || b == batches - 1) {
                        int seen = Math.min(n, start + batchSize);
                        double lossSoFar = totals.getDouble(0) / seen;
                        if (!Double.isFinite(lossSoFar)) {
                            throw new TrainingDivergedException(String.format(
                                    "the loss became %s in epoch %d (by step %d of %d) with %s; training stopped, nothing was saved after epoch %d",
                                    lossSoFar, epoch, b + 1, batches, optimizer.config(), epoch - 1));
                        }
                        bar.stepTo(b + 1);
                        StringBuilder message = new StringBuilder(String.format("loss: %.4f", lossSoFar));
                        for (int k = 0; k < metrics.size(); k++) {
                            message.append(String.format(" - %s: %.4f", metrics.get(k).id, totals.getDouble(1 + k) / seen));
                        }
                        bar.message(message.toString());
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Double> trainMetrics = new LinkedHashMap<>();
            for (int k = 0; k < metrics.size(); k++) {
                trainMetrics.put(metrics.get(k).id, totals.getDouble(1 + k) / n);
            }
            double trainLoss = totals.getDouble(0) / n;
            double valLoss = Double.NaN;
            Map<String, Double> valMetrics = new LinkedHashMap<>();
            long validationStarted = System.nanoTime();
            if (xValid != null) {
                Map<String, Double> v = evaluate(xValid, yValid);
                valLoss = v.remove("loss");
                valMetrics = v;
                if (!Double.isFinite(valLoss)) {
                    throw new TrainingDivergedException(String.format(
                            "the validation loss became %s in epoch %d; training stopped, nothing was saved after epoch %d",
                            valLoss, epoch, epoch - 1));
                }
            }
            double valSeconds = xValid == null ? 0 : (System.nanoTime() - validationStarted) / 1e9;
            EpochLog log = new EpochLog(epoch, trainLoss, trainMetrics, valLoss, valMetrics, seconds, valSeconds);
            history.add(log);
            if (engine.verbose()) {
                System.out.printf("Epoch %d/%d - %.1fs %.0fus/step - %s%n", epoch, epochs, seconds, seconds * 1e6 / batches, log.summary());
            }
            for (Callback c : callbacks) {
                c.onEpochEnd(this, log);
            }
        }
        for (Callback c : callbacks) {
            c.onTrainEnd(this);
        }
        return history;
    }

    private void checkData(INDArray x, INDArray y, String what) {
        if (x.rank() != 2 || x.columns() != inputSize) {
            throw new IllegalArgumentException(what + " inputs must be [n, " + inputSize + "], not " + java.util.Arrays.toString(x.shape()));
        }
        if (y.rank() != 2 || y.columns() != outputSize || y.rows() != x.rows()) {
            throw new IllegalArgumentException(what + " targets must be [" + x.rows() + ", " + outputSize + "], not " + java.util.Arrays.toString(y.shape()));
        }
    }

    /** Keras's {@code evaluate}: the mean loss and metrics over all rows, keyed "loss" and by metric id. */
    public Map<String, Double> evaluate(INDArray x, INDArray y) {
        checkData(x, y, "evaluation");
        int n = (int) x.rows();
        if (evalBuffers == null) {
            evalBuffers = allocateBuffers(EVAL_BATCH, true);
        }
        evalTotals.assign(0);
        for (int start = 0; start < n; start += EVAL_BATCH) {
            int rows = Math.min(EVAL_BATCH, n - start);
            StepBuffers s = evalBuffers.firstRows(rows);
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(engine.workspace(), WORKSPACE_ID)) {
                INDArray xs = x.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all());
                INDArray ys = y.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all());
                forward(xs, s, true);
                kernels.lossAndGradient(loss, outputActivation(), s.outputs[layers.size() - 1], ys, null, metrics, evalTotals);
            }
        }
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("loss", evalTotals.getDouble(0) / n);
        for (int k = 0; k < metrics.size(); k++) {
            result.put(metrics.get(k).id, evalTotals.getDouble(1 + k) / n);
        }
        return result;
    }

    /** Keras's {@code predict}: the network's output for every row of x, as a new detached array. */
    public INDArray predict(INDArray x) {
        return predict(network, x);
    }

    /**
     * The output of {@code part} (a contiguous run of this model's layers, such as its encoder) for every row of x.
     */
    public INDArray predict(Sequential part, INDArray x) {
        List<Layer> run = part.layers();
        int first = Collections.indexOfSubList(layers, run);
        if (first < 0) {
            throw new IllegalArgumentException("the part is not a contiguous run of this model's layers");
        }
        if (x.columns() != run.get(0).inputSize()) {
            throw new IllegalArgumentException("inputs must have " + run.get(0).inputSize() + " columns, not " + x.columns());
        }
        int n = (int) x.rows();
        int width = run.get(run.size() - 1).outputSize();
        INDArray result;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            result = Nd4j.createUninitializedDetached(engine.dtype(), n, width);
        }
        StepBuffers s = StepBuffers.allocate(run, run.get(0).inputSize(), Math.min(EVAL_BATCH, n), true, engine.dtype());
        for (int start = 0; start < n; start += EVAL_BATCH) {
            int rows = Math.min(EVAL_BATCH, n - start);
            StepBuffers b = s.firstRows(rows);
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(engine.workspace(), WORKSPACE_ID)) {
                INDArray in = x.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all());
                for (int l = 0; l < run.size(); l++) {
                    run.get(l).forward(kernels, in, b.outputs[l], run.get(l).activation());
                    in = b.outputs[l];
                }
                result.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all()).assign(in);
            }
        }
        return result;
    }
}
