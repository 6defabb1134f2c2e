package ae4j.engine;

/**
 * A training step as one unit: take the next batch by index from data resident where the step runs, forward,
 * loss, backward (tied gradients accumulated), optimizer update, and the running loss and metric sums kept where
 * the step runs — the model's parameters, gradients and optimizer state too. Evaluation, prediction and the bare
 * gradient go through the same engine. One engine serves one compiled model.
 * <p>
 * Implementations: {@link NativeCpuEngine} (fused C++ kernels, the batch shared across threads), the ND4J-op
 * engine ({@code ae4j.train.Nd4jEngine}, any ND4J backend) and {@link CudaEngine} (whole steps on the GPU, captured
 * as CUDA graphs). They agree within float rounding; the tests hold them to the same gradient checks and History.
 * <p>
 * The host's copy of the parameters (the model's flat vectors) is up to date after {@link #copyStateToHost()};
 * after the host's copy was changed, {@link #copyStateFromHost()} hands it to the engine. Engines that work on the
 * host's memory in place make both no-ops.
 */
public interface StepEngine extends AutoCloseable {
    /** "native", "nd4j" or "cuda". */
    String name();

    /** One line for {@code info}, {@code bench} and History: the engine and what it runs on. */
    String description();

    /** Makes {@code data} available to the steps; the caller closes the result when training ends. */
    Resident resident(HostArray data);

    /** The order in which this epoch visits the rows; the steps of the epoch read their rows from it. */
    void beginEpoch(int[] order);

    /**
     * One step on the next {@code rows} rows of the epoch's order — {@code order[next .. next + rows)}, next being
     * the rows stepped since {@link #beginEpoch} — of x, with the same rows of y as targets (y may be x): the
     * gradient of the batch's mean loss, then the optimizer. Adds the batch's loss and metrics to the totals. The
     * position is the engine's (the CUDA engine keeps it on the GPU, where captured steps advance it); a step past the
     * order's end throws {@link IllegalArgumentException}.
     */
    void trainStep(Resident x, Resident y, int rows);

    /** Sums over the samples of the steps since {@link #resetTotals()}: [0] loss, [1 + k] metric k. May wait for the device. */
    void readTotals(double[] sums);

    void resetTotals();

    /**
     * Sums of the loss and metrics over all rows of x against y ({@code sums} as {@link #readTotals}); no update.
     * Noise layers are inactive, Sampling samples. Terms of a batch's mean (a KL regularizer) are taken over
     * consecutive batches of {@code batchSize} rows, as Keras's fit validates; otherwise the rows are chunked freely.
     */
    void evaluate(Resident x, Resident y, int batchSize, double[] sums);

    /** {@link #evaluate(Resident, Resident, int, double[])} in batches of 32, Keras's default. */
    default void evaluate(Resident x, Resident y, double[] sums) {
        evaluate(x, y, 32, sums);
    }

    /** The outputs of layers {@code [fromLayer, toLayer)} for every row of x, written to {@code out}. */
    void predict(Resident x, int fromLayer, int toLayer, HostArray out);

    /** Forward, loss and backward on all rows at once, leaving the gradient in the host's gradient vector; the mean loss. */
    double lossAndGradients(Resident x, Resident y);

    /** Optimizer steps taken (Adam's and Nadam's t). */
    long iteration();

    void setIteration(long t);

    /**
     * The optimizer's learning rate, which the plan's {@link ae4j.spec.LearningRateSchedule} starts from at every
     * step: the plan's until set. Keras's {@code optimizer.learning_rate}, which ReduceLROnPlateau lowers between
     * epochs.
     */
    double learningRate();

    void setLearningRate(double lr);

    /** The seed the noise layers' numbers derive from ({@link Noise}); 0 until set. */
    void setNoiseSeed(long seed);

    /** Parameters and optimizer state from the engine to the host's vectors. */
    void copyStateToHost();

    /** Parameters and optimizer state from the host's vectors to the engine. */
    void copyStateFromHost();

    /** Waits until the work issued so far has finished (a device's queue drained); for timings. */
    default void synchronize() {
    }

    /** Native allocations (host or device) the engine has made so far; steps after the first add none. */
    long allocations();

    @Override
    void close();

    /** Throws unless {@code rows} more rows fit in an order of {@code orderLength} after {@code rowsDone}. */
    static void checkStep(int rowsDone, int rows, int orderLength) {
        if (rows <= 0 || rowsDone + rows > orderLength) {
            throw new IllegalArgumentException("rows " + rowsDone + ".." + (rowsDone + rows) + " are outside the epoch's order of "
                    + orderLength + (orderLength == 0 ? " (no beginEpoch)" : ""));
        }
    }
}
