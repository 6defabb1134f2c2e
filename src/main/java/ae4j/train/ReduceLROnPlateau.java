package ae4j.train;

/**
 * Keras's {@code ReduceLROnPlateau(monitor, factor, patience, mode='min', min_delta, cooldown, min_lr)}. At the end
 * of each epoch, in the order of Keras's code:
 * <ol>
 * <li>in cooldown (its counter above 0), the counter goes down by one and wait is reset to 0;</li>
 * <li>a monitored value below best − min_delta becomes the best, and wait is reset to 0;</li>
 * <li>otherwise, unless still in cooldown, wait goes up by one; once it reaches patience, a learning rate above
 * min_lr becomes max(lr · factor, min_lr) for the next epoch, the cooldown counter is set to cooldown and wait to
 * 0.</li>
 * </ol>
 * So cooldown 1 acts as 0, as in Keras: the counter is back at 0 before the next epoch is tested. The epoch's logs
 * carry the optimizer's learning rate it trained at, "lr" (before any reduction at its end), as Keras adds it.
 * Keras's defaults are val_loss, factor 0.1, patience 10, min_delta 1e-4, cooldown 0 and min_lr 0. Where Keras
 * compares and multiplies the rate in float32 (a float32 variable), this does in float64.
 * <p>
 * Keras starts over at each fit; this, like {@link EarlyStopping}, counts from the model's first epoch: at the
 * start of fit it replays the History's monitored values (with the rates they logged) to rebuild best, wait and
 * the cooldown counter, so that a resumed model lowers its rate where it would have without the pause. The rate
 * itself is the model's ({@link Model#learningRate()}), which the model file keeps. The rate lowered here is the one
 * the optimizer's {@link ae4j.spec.LearningRateSchedule} starts from (Keras refuses the two together; ae4j's
 * command line offers one or the other).
 */
public final class ReduceLROnPlateau implements Callback {
    private final String monitor;
    private final double factor;
    private final int patience;
    private final double minDelta;
    private final int cooldown;
    private final double minLr;
    private double best;
    private int wait;
    private int cooldownCounter;

    /**
     * @param factor   in (0, 1): the new rate is lr · factor
     * @param patience epochs without improvement before the rate is lowered (0: at every epoch without one)
     * @param minDelta how much lower than the best a value must be to count as an improvement
     * @param cooldown epochs after a reduction before wait counts again
     * @param minLr    the lowest rate it lowers to
     */
    public ReduceLROnPlateau(String monitor, double factor, int patience, double minDelta, int cooldown, double minLr) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau's factor must be in (0, 1), not " + factor);
        }
        if (patience < 0 || cooldown < 0 || !(minDelta >= 0) || !(minLr >= 0) || Double.isInfinite(minLr)) {
            throw new IllegalArgumentException("ReduceLROnPlateau's patience, min_delta, cooldown and min_lr must be at least 0 (and"
                    + " finite), not " + patience + ", " + minDelta + ", " + cooldown + ", " + minLr);
        }
        this.monitor = monitor;
        this.factor = factor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.cooldown = cooldown;
        this.minLr = minLr;
        reset();
    }

    private void reset() {
        best = Double.POSITIVE_INFINITY;
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onTrainBegin(TrainingLoop loop, FitParams params) {
        reset();
        Model model = loop.model();
        if (model == null) {
            return;
        }
        for (EpochLog log : model.history().epochs()) {
            update(log.get(monitor), log.hasLearningRate() ? log.learningRate() : model.learningRate());
        }
    }

    @Override
    public EpochLog addToLogs(TrainingLoop loop, EpochLog log) {
        return log.withLearningRate(loop.steps().learningRate());
    }

    @Override
    public void onEpochEnd(TrainingLoop loop, EpochLog log) {
        if (monitor.startsWith("val_") && !log.hasValidation()) {
            throw new IllegalStateException("ReduceLROnPlateau watches " + monitor + ", and this fit has no validation data");
        }
        double lr = loop.steps().learningRate();
        double next = update(log.get(monitor), lr);
        if (next != lr) {
            loop.steps().setLearningRate(next);
            if (loop.model() != null && loop.model().engine().verbose()) {
                System.out.printf("Epoch %d: ReduceLROnPlateau reducing learning rate to %.4g.%n", log.epoch(), next);
            }
        }
    }

    /** One epoch's end, its monitored value {@code current} at the rate {@code lr}: returns the next epoch's rate. */
    double update(double current, double lr) {
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (current < best - minDelta) {
            best = current;
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience && lr > minLr) {
                cooldownCounter = cooldown;
                wait = 0;
                return Math.max(lr * factor, minLr);
            }
        }
        return lr;
    }
}
