package ae4j.train;

import ae4j.Rng;
import ae4j.data.EpochOrder;
import ae4j.data.FloatMatrix;
import ae4j.data.HeapFloatMatrix;
import ae4j.engine.HostArray;
import ae4j.engine.Resident;
import ae4j.engine.StepEngine;
import ae4j.nn.Layer;
import ae4j.nn.Parameter;
import ae4j.nn.Sequential;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import ae4j.spec.Plan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A compiled network, Keras-style: {@link #fit}, {@link #evaluate}, {@link #predict}. The parameters, their
 * gradients and the optimizer state live in three flat vectors on the host, outside every workspace (each layer's
 * W and b are views of them); the network is compiled to a {@link Plan} and run by the {@link StepEngine} the
 * {@link Engine} chose (native CPU, ND4J ops or CUDA), which does every step, evaluation and prediction. fit knows
 * nothing of how: it loops, and hands the events to callbacks.
 * <p>
 * The host's vectors are the engine's after each epoch and after fit; change them only through
 * {@link #setParams} (or a restore), which hands them back to the engine. A model with noise layers draws a noise
 * seed from the engine's generator after its shuffling seed (a model without draws none, so adding them changed
 * no other model's numbers); the model file keeps it.
 * <p>
 * Thread safety: a model is one engine with one set of buffers, so its calls take turns. fit, evaluate, predict and
 * setParams may be called from several threads at once; each holds the model's lock while it runs (a predict
 * waits for a running fit to end). Predictions in parallel need a model per thread ({@link ModelFile#load} it
 * once per thread).
 */
public final class Model {
    /** Values per batch when predicting rows of a FloatMatrix (1 MiB of float32). */
    private static final int PREDICT_BATCH_VALUES = 1 << 18;

    private final Engine engine;
    private final Sequential network;
    private final List<Layer> layers;
    private final int inputSize;
    private final int outputSize;
    private final Loss loss;
    private final Optimizer optimizer;
    private final List<Metric> metrics;
    private final List<Parameter> parameters;
    private final Map<Parameter, Long> offsets = new IdentityHashMap<>();
    private final INDArray params;
    private final INDArray grads;
    private final INDArray optimizerState;
    private final Plan plan;
    private final StepEngine steps;
    private Rng shuffleRng;
    private long noiseSeed;
    private History history = new History();

    Model(Engine engine, Sequential network, int inputSize, Loss loss, Optimizer optimizer, List<Metric> metrics) {
        this.engine = engine;
        this.network = network;
        this.inputSize = inputSize;
        this.outputSize = network.build(inputSize);
        this.layers = network.layers();
        this.loss = loss;
        this.optimizer = optimizer;
        this.metrics = List.copyOf(metrics);
        Set<Parameter> frozen = frozenParameters(layers);
        List<Parameter> all = collectParameters(layers);
        List<Parameter> ordered = new ArrayList<>(all.stream().filter(p -> !frozen.contains(p)).toList());
        long trainable = ordered.stream().mapToLong(Parameter::length).sum();
        ordered.addAll(all.stream().filter(frozen::contains).toList());
        this.parameters = ordered;

        long count = parameters.stream().mapToLong(Parameter::length).sum();
        DataType dtype = engine.dtype();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            params = Nd4j.createUninitializedDetached(dtype, count);
            grads = Nd4j.zeros(dtype, count);
            optimizerState = Nd4j.zeros(dtype, Math.max(1, optimizer.stateSlots() * trainable));
        }
        bindParameters(engine.rng());
        this.plan = compilePlan(trainable, lowestTrainableLayer(layers, frozen));
        this.steps = engine.stepEngine(this);
        this.shuffleRng = new Rng(engine.rng().nextLong());
        if (plan.isNoisy()) {
            noiseSeed = engine.rng().nextLong();
            steps.setNoiseSeed(noiseSeed);
        }
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
            offsets.put(p, offset);
            offset += n;
        }
    }

    private Plan compilePlan(long trainable, int firstBackward) {
        List<Plan.LayerPlan> run = new ArrayList<>();
        for (Layer layer : layers) {
            run.add(layer.compile(this::offsetOf));
        }
        return Plan.compile(inputSize, run, loss, metrics, optimizer, params.length(), trainable, firstBackward);
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

    /** The network as the engine runs it. */
    public Plan plan() {
        return plan;
    }

    /** The engine that runs this model's steps. */
    public StepEngine steps() {
        return steps;
    }

    /** All parameters: 163,814 for the book's stacked autoencoder, 82,414 for the tied one. */
    public long parameterCount() {
        return params.length();
    }

    /** The parameters training updates (all of them unless some layers are frozen). */
    public long trainableParameterCount() {
        return plan.trainableCount();
    }

    /** The flat parameter vector (each layer's W and b are views of it); change it through {@link #setParams}. */
    public INDArray params() {
        return params;
    }

    /** Puts {@code values} into the parameters and hands them to the engine. */
    public synchronized void setParams(INDArray values) {
        params.assign(values);
        steps.copyStateFromHost();
    }

    /** The flat gradient vector of the last {@link #lossAndGradients}, laid out like {@link #params()}. */
    public INDArray gradients() {
        return grads;
    }

    INDArray optimizerState() {
        return optimizerState;
    }

    /** Where {@code p} lies in the flat vectors. */
    long offsetOf(Parameter p) {
        Long offset = offsets.get(p);
        if (offset == null) {
            throw new IllegalArgumentException("parameter " + p.name() + " is not this model's");
        }
        return offset;
    }

    /** The flat vectors as the engines see host memory. */
    HostArray hostParams() {
        return new Nd4jArray(params);
    }

    HostArray hostGradients() {
        return new Nd4jArray(grads);
    }

    HostArray hostOptimizerState() {
        return new Nd4jArray(optimizerState);
    }

    public long iteration() {
        return steps.iteration();
    }

    /**
     * The optimizer's learning rate now, which its {@link ae4j.spec.LearningRateSchedule} starts from at every step:
     * the optimizer's own until it is set (Keras's {@code optimizer.learning_rate}, which ReduceLROnPlateau lowers).
     * The model file keeps it.
     */
    public double learningRate() {
        return steps.learningRate();
    }

    public void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("a learning rate must be finite and at least 0, not " + lr);
        }
        steps.setLearningRate(lr);
    }

    long shuffleState() {
        return shuffleRng.state();
    }

    /** The seed of the noise layers' numbers (ae4j.engine.Noise); 0 when no layer draws noise. */
    long noiseSeed() {
        return noiseSeed;
    }

    public History history() {
        return history;
    }

    /** Restores what a saved run needs to continue exactly. */
    void restore(INDArray savedParams, INDArray savedState, long savedIteration, double savedLearningRate, long shuffleState,
                 long savedNoiseSeed, History savedHistory) {
        params.assign(savedParams);
        optimizerState.assign(savedState);
        steps.setIteration(savedIteration);
        setLearningRate(savedLearningRate);
        steps.copyStateFromHost();
        shuffleRng = new Rng(shuffleState);
        noiseSeed = savedNoiseSeed;
        steps.setNoiseSeed(noiseSeed);
        history = savedHistory;
    }

    /** Resident copies of a fit's or an evaluation's data, closed together. */
    private final class Data implements AutoCloseable {
        private final List<Resident> made = new ArrayList<>();
        private final Map<INDArray, Resident> byArray = new IdentityHashMap<>();

        Resident of(INDArray a) {
            Resident r = byArray.get(a);
            if (r == null) {
                r = steps.resident(new Nd4jArray(a));
                made.add(r);
                byArray.put(a, r);
            }
            return r;
        }

        @Override
        public void close() {
            made.forEach(Resident::close);
        }
    }

    /**
     * Keras's {@code fit}: trains from the epoch after the last one in {@link #history()} up to {@code epochs}
     * (so a restored model resumes), shuffling every epoch, in the one {@link TrainingLoop}. x and y may be the same
     * array (autoencoders). Validation data may be null. Adds {@link TerminateOnNaN}, this model's History and,
     * when the engine is verbose, a {@link ProgressLogger} before the given callbacks.
     */
    public synchronized History fit(INDArray x, INDArray y, int epochs, int batchSize, INDArray xValid, INDArray yValid, Callback... callbacks) {
        checkData(x, y, "training");
        if (xValid != null) {
            checkData(xValid, yValid, "validation");
        }
        if (batchSize <= 0 || epochs <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive");
        }
        List<Callback> all = new ArrayList<>(List.of(new TerminateOnNaN(), history));
        if (engine.verbose()) {
            all.add(new ProgressLogger());
        }
        all.addAll(Arrays.asList(callbacks));
        Data data = new Data();
        try (TrainingLoop loop = new TrainingLoop(steps, plan, this, data.of(x), data.of(y), xValid == null ? null : data.of(xValid),
                xValid == null ? null : data.of(yValid), batchSize, new EpochOrder((int) x.rows(), shuffleRng), all, data)) {
            loop.run(history.epochs().size() + 1, epochs);
        }
        return history;
    }

    /**
     * {@link #fit(INDArray, INDArray, int, int, INDArray, INDArray, Callback...) fit} for an autoencoder, x its own
     * target, on rows from any source (a file reader, {@link FloatMatrix#of(float[][])}); validation may be null.
     * The rows are copied to memory once, or, larger than a quarter of the heap, to memory-mapped scratch files in
     * the system's temporary folder ({@link TrainingRows}).
     */
    public History fit(FloatMatrix x, int epochs, int batchSize, FloatMatrix validation, Callback... callbacks) {
        try (TrainingRows rows = TrainingRows.of(x, validation, Path.of(System.getProperty("java.io.tmpdir")))) {
            INDArray train = inEngineType(rows.train());
            INDArray valid = rows.validation() == null ? null : inEngineType(rows.validation());
            return fit(train, train, epochs, batchSize, valid, valid, callbacks);
        }
    }

    private INDArray inEngineType(INDArray rows) {
        return rows.dataType() == engine.dtype() ? rows : rows.castTo(engine.dtype());
    }

    /**
     * The output of {@code part} (the model itself, or a contiguous run of its layers such as its encoder) for every
     * row, computed a batch at a time so that the rows need not fit in memory; the outputs must.
     */
    public FloatMatrix predict(Sequential part, FloatMatrix rows) {
        int n = Math.toIntExact(rows.rows());
        int width = part.layers().get(part.layers().size() - 1).outputSize();
        float[] out = new float[Math.multiplyExact(n, width)];
        RowBatches.forEach(rows, RowBatches.rowsPer(PREDICT_BATCH_VALUES, Math.max(rows.cols(), width)), (start, x) -> {
            float[] y = predict(part, inEngineType(x)).castTo(DataType.FLOAT).data().asFloat();
            System.arraycopy(y, 0, out, start * width, y.length);
        });
        return new HeapFloatMatrix(rows.source() + " → outputs", out, n, new int[]{width}, null);
    }

    private void checkData(INDArray x, INDArray y, String what) {
        if (x.rank() != 2 || x.columns() != inputSize) {
            throw new IllegalArgumentException(what + " inputs must be [n, " + inputSize + "], not " + Arrays.toString(x.shape()));
        }
        if (y.rank() != 2 || y.columns() != outputSize || y.rows() != x.rows()) {
            throw new IllegalArgumentException(what + " targets must be [" + x.rows() + ", " + outputSize + "], not " + Arrays.toString(y.shape()));
        }
    }

    /**
     * Keras's {@code evaluate} with its default batch size, 32: the mean loss and metrics over all rows (a KL
     * regularizer's term is taken per batch).
     */
    public synchronized Scores evaluate(INDArray x, INDArray y) {
        checkData(x, y, "evaluation");
        try (Data data = new Data()) {
            return TrainingLoop.evaluate(steps, plan, data.of(x), data.of(y), 32);
        }
    }


    /**
     * Forward, loss and backward on all rows of x at once, leaving ∂L/∂params in {@link #gradients()} and the
     * parameters untouched; returns the mean loss. For gradient checks and tests.
     */
    synchronized double lossAndGradients(INDArray x, INDArray y) {
        checkData(x, y, "gradient");
        try (Data data = new Data()) {
            double mean = steps.lossAndGradients(data.of(x), data.of(y));
            steps.copyStateToHost();
            return mean;
        }
    }

    /**
     * fit's loop over x/y in batches of {@code batchSize}, for benchmarks that take its steps one at a time
     * ({@link TrainingLoop#step()}); closing it releases the data.
     */
    public TrainingLoop stepLoop(INDArray x, INDArray y, int batchSize) {
        checkData(x, y, "benchmark");
        if (batchSize <= 0 || batchSize > x.rows()) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be in 1.." + x.rows());
        }
        Data data = new Data();
        return new TrainingLoop(steps, plan, this, data.of(x), data.of(y), null, null, batchSize, new EpochOrder((int) x.rows(), shuffleRng),
                List.of(), data);
    }

    /** Keras's {@code predict}: the network's output for every row of x, as a new detached array. */
    public INDArray predict(INDArray x) {
        return predict(network, x);
    }

    /**
     * The output of {@code part} (a contiguous run of this model's layers, such as its encoder) for every row of x.
     */
    public synchronized INDArray predict(Sequential part, INDArray x) {
        List<Layer> run = part.layers();
        int first = Collections.indexOfSubList(layers, run);
        if (first < 0) {
            throw new IllegalArgumentException("the part is not a contiguous run of this model's layers");
        }
        if (x.rank() != 2 || x.columns() != run.get(0).inputSize()) {
            throw new IllegalArgumentException("inputs must have " + run.get(0).inputSize() + " columns, not " + x.columns());
        }
        INDArray result;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            result = Nd4j.createUninitializedDetached(engine.dtype(), x.rows(), run.get(run.size() - 1).outputSize());
        }
        try (Data data = new Data()) {
            steps.predict(data.of(x), first, first + run.size(), new Nd4jArray(result));
        }
        return result;
    }
}
