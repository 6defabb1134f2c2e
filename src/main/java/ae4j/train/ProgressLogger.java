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
    public void onTrainBegin(TrainingLoop loop, FitParams params) {
        this.params = params;
    }

    @Override
    public void onEpochBegin(TrainingLoop loop, int epoch) {
        bar = Progress.start(String.format("Epoch %d/%d", epoch, params.epochs()), params.batches());
    }

    @Override
    public void onBatchEnd(TrainingLoop loop, int batch) {
        if (batch % EVERY == 0 || batch == loop.batches()) {
            bar.stepTo(batch);
            bar.message(loop.runningLogs().summary());
        }
    }

    @Override
    public void onEpochEnd(TrainingLoop loop, EpochLog log) {
        bar.close();
        bar = Progress.quiet();
        System.out.printf("Epoch %d/%d - %.1fs %.0fus/step - %s%n", log.epoch(), params.epochs(), log.seconds(),
                log.seconds() * 1e6 / params.batches(), log.summary());
    }
}
