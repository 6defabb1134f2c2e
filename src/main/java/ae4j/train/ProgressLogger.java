package ae4j.train;

import ae4j.Progress;

/**
 * Keras's progress bar: one bar per epoch with the running loss and metrics, then the epoch's line
 * "Epoch 3/10 - 0.4s 234us/step - loss: ... - val_loss: ...". Reads the running logs every {@link #EVERY} batches.
 */
public final class ProgressLogger implements Callback {
    static final int EVERY = 50;
    private FitParams params;
    private Progress bar = Progress.quiet();

    @Override
    public void onTrainBegin(Model model, FitParams params) {
        this.params = params;
    }

    @Override
    public void onEpochBegin(Model model, int epoch) {
        bar = Progress.start(String.format("Epoch %d/%d", epoch, params.epochs()), params.batches());
    }

    @Override
    public void onBatchEnd(Model model, BatchEnd batch) {
        if (batch.batch() % EVERY == 0 || batch.batch() == batch.batches()) {
            bar.stepTo(batch.batch());
            bar.message(model.runningLogs().summary());
        }
    }

    @Override
    public void onEpochEnd(Model model, EpochLog log) {
        bar.close();
        bar = Progress.quiet();
        System.out.printf("Epoch %d/%d - %.1fs %.0fus/step - %s%n", log.epoch(), params.epochs(), log.seconds(),
                log.seconds() * 1e6 / params.batches(), log.summary());
    }
}
