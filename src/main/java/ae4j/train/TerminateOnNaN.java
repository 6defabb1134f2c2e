package ae4j.train;

/**
 * Keras's {@code TerminateOnNaN}: stops training with a {@link TrainingDivergedException} as soon as the running
 * loss (read every {@link ProgressLogger#EVERY} batches) or an epoch's validation loss is NaN or infinite, before
 * any later callback could save the diverged model.
 */
public final class TerminateOnNaN implements Callback {
    @Override
    public void onBatchEnd(TrainingLoop loop, int batch) {
        if (batch % ProgressLogger.EVERY != 0 && batch != loop.batches()) {
            return;
        }
        double loss = loop.runningLogs().loss();
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(String.format(
                    "the loss became %s in epoch %d (by step %d of %d) with %s; training stopped, nothing was saved after epoch %d",
                    loss, loop.epoch(), batch, loop.batches(), loop.plan().optimizer().config(), loop.epoch() - 1));
        }
    }

    @Override
    public void onEpochEnd(TrainingLoop loop, EpochLog log) {
        if (log.hasValidation() && !Double.isFinite(log.valLoss())) {
            throw new TrainingDivergedException(String.format(
                    "the validation loss became %s in epoch %d; training stopped, nothing was saved after epoch %d",
                    log.valLoss(), log.epoch(), log.epoch() - 1));
        }
    }
}
