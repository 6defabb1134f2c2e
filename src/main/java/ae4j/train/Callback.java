package ae4j.train;

/**
 * Keras's callbacks: {@link Model#fit} only loops and hands these events out, in order. The progress bar, the
 * stop on a NaN or infinite loss and the {@link History} are callbacks that fit adds by default; the caller's come
 * after them. Between epochs, {@link Model#stopTraining()} ends training after the current one.
 */
public interface Callback {
    /** What fit was asked to do. */
    record FitParams(int epochs, int batches, int batchSize, int samples) {
    }

    /**
     * Batch {@code batch} (1-based) of {@code batches} of epoch {@code epoch} is done. Its running loss and metrics
     * are {@link Model#runningLogs()}, which waits for the device: read them every few batches, not every one.
     */
    record BatchEnd(int epoch, int batch, int batches, int samplesSeen) {
    }

    default void onTrainBegin(Model model, FitParams params) {
    }

    default void onEpochBegin(Model model, int epoch) {
    }

    default void onBatchEnd(Model model, BatchEnd batch) {
    }

    /** The model's parameters on the host are those of the end of this epoch. */
    default void onEpochEnd(Model model, EpochLog log) {
    }

    /** Called once when fit returns normally (not when training diverged). */
    default void onTrainEnd(Model model) {
    }
}
