package ae4j.train;

import ae4j.data.EpochOrder;
import ae4j.engine.Resident;
import ae4j.engine.StepEngine;
import ae4j.spec.Plan;
import java.util.List;
import java.util.Map;

/**
 * The training loop, the only one: epochs of shuffled batches through a {@link StepEngine}, each event handed to
 * the callbacks in order. {@link Model#fit} runs it on a model's data; the GPU bundle's check runs it on a bare
 * engine over off-heap arrays, with callbacks that take its timings, so what the bundle measures is what users
 * run; benchmarks take its steps one at a time ({@link #step()}). It touches no ND4J (the bundle carries none).
 * <p>
 * An epoch: the engine is handed the epoch's order, the batches run as consecutive slices of it (the last one may
 * be short, as in Keras), the training logs are the running means, the validation data (if any) are evaluated in
 * batches of the fit's size, and the host's copy of the parameters is brought up to date before
 * {@link Callback#onEpochEnd} — so a callback may save the model.
 */
public final class TrainingLoop implements AutoCloseable {
    private final StepEngine steps;
    private final Plan plan;
    private final Model model;
    private final Resident x;
    private final Resident y;
    private final Resident validX;
    private final Resident validY;
    private final int batchSize;
    private final EpochOrder order;
    private final List<Callback> callbacks;
    private final AutoCloseable owned;
    private final int samples;
    private final int batches;
    private final double[] sums;
    private int epoch;
    private int stepInEpoch = -1;
    private int samplesSeen;
    private long stepsTaken;
    private long logsAtStep = -1;
    private Scores logs;
    private boolean stopTraining;

    /**
     * @param model the model being fit, which callbacks may read or save; null for a bare engine
     * @param validX validation inputs, or null for none
     * @param owned what {@link #close()} releases (the resident data, where the loop owns them), or null
     */
    public TrainingLoop(StepEngine steps, Plan plan, Model model, Resident x, Resident y, Resident validX, Resident validY, int batchSize,
                        EpochOrder order, List<Callback> callbacks, AutoCloseable owned) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("the batch size must be positive, not " + batchSize);
        }
        if (order.size() != x.rows()) {
            throw new IllegalArgumentException("the order covers " + order.size() + " rows, the data " + x.rows());
        }
        this.steps = steps;
        this.plan = plan;
        this.model = model;
        this.x = x;
        this.y = y;
        this.validX = validX;
        this.validY = validY;
        this.batchSize = batchSize;
        this.order = order;
        this.callbacks = List.copyOf(callbacks);
        this.owned = owned;
        this.samples = x.rows();
        this.batches = EpochOrder.batchCount(samples, batchSize);
        this.sums = new double[plan.totals()];
    }

    /**
     * Keras's fit from epoch {@code firstEpoch} to {@code lastEpoch} (1-based, inclusive), or until a callback
     * stops training. {@link Callback#onTrainEnd} is called only when it returns normally.
     */
    public void run(int firstEpoch, int lastEpoch) {
        Callback.FitParams params = new Callback.FitParams(lastEpoch, batches, batchSize, samples);
        stopTraining = false;
        callbacks.forEach(c -> c.onTrainBegin(this, params));
        for (int e = firstEpoch; e <= lastEpoch && !stopTraining; e++) {
            runEpoch(e);
        }
        callbacks.forEach(c -> c.onTrainEnd(this));
    }

    private void runEpoch(int e) {
        epoch = e;
        for (Callback c : callbacks) {
            c.onEpochBegin(this, e);
        }
        beginEpoch();
        long started = System.nanoTime();
        for (int b = 1; b <= batches; b++) {
            trainBatch();
            for (Callback c : callbacks) {
                c.onBatchEnd(this, b);
            }
        }
        Scores train = runningLogs();
        double seconds = (System.nanoTime() - started) / 1e9;
        long validationStarted = System.nanoTime();
        Scores valid = validX == null ? null : evaluate(steps, plan, validX, validY, batchSize);
        double valSeconds = validX == null ? 0 : (System.nanoTime() - validationStarted) / 1e9;
        steps.copyStateToHost();
        EpochLog log = new EpochLog(e, train.loss(), train.metrics(), valid == null ? Double.NaN : valid.loss(),
                valid == null ? Map.of() : valid.metrics(), seconds, valSeconds);
        for (Callback c : callbacks) {
            log = c.addToLogs(this, log);
        }
        for (Callback c : callbacks) {
            c.onEpochEnd(this, log);
        }
    }

    private void beginEpoch() {
        steps.beginEpoch(order.next());
        steps.resetTotals();
        logs = null;
        samplesSeen = 0;
        stepInEpoch = 0;
    }

    private void trainBatch() {
        int start = stepInEpoch * batchSize;
        int rows = Math.min(batchSize, samples - start);
        steps.trainStep(x, y, rows);
        stepInEpoch++;
        stepsTaken++;
        samplesSeen = start + rows;
    }

    /**
     * One training step on the next full batch, for benchmarks that time single steps: no callbacks, no
     * validation, and a new epoch (a fresh order) where the next batch would be short.
     */
    public void step() {
        if (stepInEpoch < 0 || (stepInEpoch + 1) * batchSize > samples) {
            if (batchSize > samples) {
                throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + samples + " rows");
            }
            beginEpoch();
        }
        trainBatch();
    }

    /** Waits until the steps issued so far have finished (the device's queue drained); for timings. */
    public void finish() {
        steps.synchronize();
    }

    /** The means over the samples seen so far in this epoch (waits for the device; read every few batches). */
    public Scores runningLogs() {
        if (logsAtStep != stepsTaken || logs == null) {
            steps.readTotals(sums);
            logs = Scores.ofSums(sums, Math.max(1, samplesSeen), plan.metrics());
            logsAtStep = stepsTaken;
        }
        return logs;
    }

    /** The mean loss and metrics of {@code steps} over every row of x against y, evaluated in batches of {@code batchSize}. */
    static Scores evaluate(StepEngine steps, Plan plan, Resident x, Resident y, int batchSize) {
        double[] totals = new double[plan.totals()];
        steps.evaluate(x, y, batchSize, totals);
        return Scores.ofSums(totals, x.rows(), plan.metrics());
    }

    /** Ends {@link #run} after the current epoch (Keras's {@code model.stop_training = True}). */
    public void stopTraining() {
        stopTraining = true;
    }

    /** The model being fit, or null where the loop runs a bare engine (the GPU bundle's check). */
    public Model model() {
        return model;
    }

    public Plan plan() {
        return plan;
    }

    /** The engine that runs the steps. */
    public StepEngine steps() {
        return steps;
    }

    /** The current epoch, 1-based. */
    public int epoch() {
        return epoch;
    }

    /** Batches per epoch. */
    public int batches() {
        return batches;
    }

    /** Samples trained on so far in this epoch. */
    public int samplesSeen() {
        return samplesSeen;
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
