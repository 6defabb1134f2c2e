package ae4j.train;

/**
 * Keras's callbacks: the {@link TrainingLoop} (which {@link Model#fit} runs) only loops and hands these events out,
 * in order. The progress bar, the stop on a NaN or infinite loss and the {@link History} are callbacks that fit adds
 * by default; the caller's come after them. Each event comes with the loop: its running logs, the model it fits
 * ({@link TrainingLoop#model()}) and {@link TrainingLoop#stopTraining()}, which ends training after the current
 * epoch.
 */
public interface Callback {
    /** What fit was asked to do: up to epoch {@code epochs}, in {@code batches} batches of {@code batchSize} per epoch. */
    record FitParams(int epochs, int batches, int batchSize, int samples) {
    }

    default void onTrainBegin(TrainingLoop loop, FitParams params) {
    }

    default void onEpochBegin(TrainingLoop loop, int epoch) {
    }

    /**
     * Batch {@code batch} (1-based) of {@link TrainingLoop#batches()} of the current epoch is done. Its running loss
     * and metrics are {@link TrainingLoop#runningLogs()}, which waits for the device: read them every few batches,
     * not every one.
     */
    default void onBatchEnd(TrainingLoop loop, int batch) {
    }

    /**
     * Before any callback's {@link #onEpochEnd}: the epoch's logs with what this callback adds to them, as Keras's
     * callbacks add to the logs dict (ReduceLROnPlateau adds the learning rate, "lr"); the log as it is by default.
     * The History records what every callback added.
     */
    default EpochLog addToLogs(TrainingLoop loop, EpochLog log) {
        return log;
    }

    /** The host's copy of the parameters is that of the end of this epoch. */
    default void onEpochEnd(TrainingLoop loop, EpochLog log) {
    }

    /** Called once when training ends normally (not when it diverged). */
    default void onTrainEnd(TrainingLoop loop) {
    }
}
