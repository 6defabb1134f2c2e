package ae4j.train;

/**
 * Keras's {@code TerminateOnNaN}: stops training with a {@link TrainingDivergedException} as soon as the running
 * loss (read every {@link ProgressLogger#EVERY} batches) or an epoch's validation loss is NaN or infinite, before
 * any later callback could save the diverged model.
 */
public final class TerminateOnNaN implements Callback {
    private int epoch;

    @Override
    public void onEpochBegin(Model model, int epoch) {
        this.epoch = epoch;
    }

    @Override
    public void onBatchEnd(Model model, BatchEnd batch) {
        if (batch.batch() % ProgressLogger.EVERY != 0 && batch.batch() != batch.batches()) {
            return;
        }
        double loss = model.runningLogs().loss();
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(String.format(
                    "the loss became %s in epoch %d (by step %d of %d) with %s; training stopped, nothing was saved after epoch %d",
                    loss, epoch, batch.batch(), batch.batches(), model.optimizer().config(), epoch - 1));
        }
    }

    @Override
    public void onEpochEnd(Model model, EpochLog log) {
        if (log.hasValidation() && !Double.isFinite(log.valLoss())) {
            throw new TrainingDivergedException(String.format(
                    "the validation loss became %s in epoch %d; training stopped, nothing was saved after epoch %d",
                    log.valLoss(), log.epoch(), log.epoch() - 1));
        }
    }
}
