package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.Rng;
import ae4j.spec.LearningRateSchedule;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The learning-rate schedules: ReduceLROnPlateau's rates against Keras's rule, by hand and as Keras's code computes
 * them (written out below), in fit's logs and across a resume; ExponentialDecay over whole epochs on the ND4J-op and
 * native engines, and across a resume. (Each optimizer's decayed step against Keras's rule: OptimizerTest.)
 */
class LearningRateSchedulesTest {
    @TempDir
    Path dir;

    static final INDArray X = TinyModels.images(200, 5);
    static final INDArray X_VALID = TinyModels.images(40, 6);

    /**
     * Keras's {@code ReduceLROnPlateau.on_epoch_end} (TF 2's callbacks.py) in mode 'min', step by step as its code
     * goes, over the monitored values of a run: the rate each epoch trained at (logs['lr']), then the rate after the
     * last.
     */
    static double[] kerasRates(double[] values, double lr, double factor, int patience, double minDelta, int cooldown, double minLr) {
        double best = Double.POSITIVE_INFINITY;
        int wait = 0;
        int cooldownCounter = 0;
        double[] rates = new double[values.length + 1];
        for (int e = 0; e < values.length; e++) {
            rates[e] = lr;
            double current = values[e];
            if (cooldownCounter > 0) { // in_cooldown()
                cooldownCounter -= 1;
                wait = 0;
            }
            if (current < best - minDelta) { // monitor_op(current, best)
                best = current;
                wait = 0;
            } else if (!(cooldownCounter > 0)) {
                wait += 1;
                if (wait >= patience) {
                    double oldLr = lr;
                    if (oldLr > minLr) {
                        lr = Math.max(oldLr * factor, minLr);
                        cooldownCounter = cooldown;
                        wait = 0;
                    }
                }
            }
        }
        rates[values.length] = lr;
        return rates;
    }

    /** The rates ReduceLROnPlateau's rule gives over the same values, as {@link #kerasRates} returns them. */
    static double[] rates(double[] values, double lr, double factor, int patience, double minDelta, int cooldown, double minLr) {
        ReduceLROnPlateau plateau = new ReduceLROnPlateau("val_loss", factor, patience, minDelta, cooldown, minLr);
        double[] rates = new double[values.length + 1];
        for (int e = 0; e < values.length; e++) {
            rates[e] = lr;
            lr = plateau.update(values[e], lr);
        }
        rates[values.length] = lr;
        return rates;
    }

    @Test
    void plateauLowersTheRateAfterPatienceEpochsWithoutImprovement() {
        double[] values = {5, 5, 5, 5, 5, 4, 4, 4};
        // epoch 1 sets the best, 2 and 3 wait (halved after 3), 4 and 5 (halved after 5), 6 improves, 7 and 8 wait
        assertArrayEquals(new double[]{1, 1, 1, .5, .5, .25, .25, .25, .125}, rates(values, 1, 0.5, 2, 0, 0, 0));
        assertArrayEquals(kerasRates(values, 1, 0.5, 2, 0, 0, 0), rates(values, 1, 0.5, 2, 0, 0, 0));
    }

    @Test
    void cooldownSkipsAllButOneOfItsEpochsAndCooldownOneIsNone() {
        double[] flat = {5, 5, 5, 5, 5, 5};
        // cooldown 2: after the reduction at epoch 2, epoch 3 is in cooldown; epoch 4 counts (and reduces) again
        assertArrayEquals(new double[]{1, 1, .5, .5, .25, .25, .125}, rates(flat, 1, 0.5, 1, 0, 2, 0));
        assertArrayEquals(kerasRates(flat, 1, 0.5, 1, 0, 2, 0), rates(flat, 1, 0.5, 1, 0, 2, 0));
        // Keras decrements the counter before it asks whether it is in cooldown: cooldown 1 reduces as 0 does
        assertArrayEquals(new double[]{1, 1, .5, .25, .125, .0625, .03125}, rates(flat, 1, 0.5, 1, 0, 1, 0));
        assertArrayEquals(rates(flat, 1, 0.5, 1, 0, 0, 0), rates(flat, 1, 0.5, 1, 0, 1, 0));
    }

    @Test
    void theRateStopsAtMinLrAndWaitingGoesOnThere() {
        double[] flat = {5, 5, 5, 5, 5};
        // 1 → 0.1 → max(0.01, 0.05) = 0.05, then no rate above min_lr to lower
        assertArrayEquals(new double[]{1, 1, 0.1, 0.05, 0.05, 0.05}, rates(flat, 1, 0.1, 1, 0, 0, 0.05));
        assertArrayEquals(kerasRates(flat, 1, 0.1, 1, 0, 0, 0.05), rates(flat, 1, 0.1, 1, 0, 0, 0.05));
        // at min_lr, wait is not reset: once the value stops improving, nothing changes but wait
        assertArrayEquals(new double[]{0.05, 0.05, 0.05, 0.05, 0.05, 0.05}, rates(flat, 0.05, 0.1, 1, 0, 0, 0.05));
    }

    @Test
    void anImprovementSmallerThanMinDeltaIsNone() {
        double[] creeping = {1, 1 - 5e-5, 1 - 10e-5, 1 - 15e-5, 1 - 20e-5};
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1}, rates(creeping, 1, 0.5, 2, 0, 0, 0), "every step is an improvement without min_delta");
        double[] kerasDefault = kerasRates(creeping, 1, 0.5, 2, 1e-4, 0, 0);
        assertArrayEquals(kerasDefault, rates(creeping, 1, 0.5, 2, 1e-4, 0, 0));
        assertTrue(kerasDefault[creeping.length] < 1, "with Keras's min_delta 1e-4 they are not, and the rate goes down");
    }

    @Test
    void patienceZeroLowersTheRateAtEveryEpochWithoutImprovement() {
        double[] values = {5, 4, 4, 3, 3};
        assertArrayEquals(new double[]{1, 1, 1, .5, .5, .25}, rates(values, 1, 0.5, 0, 0, 0, 0));
    }

    /** Random runs, every combination of the settings: Keras's code and the rule agree to the bit. */
    @Test
    void theRuleIsKerasCodeOnAnyRun() {
        Rng rng = new Rng(11);
        for (int run = 0; run < 200; run++) {
            double[] values = new double[30];
            double v = 1;
            for (int e = 0; e < values.length; e++) {
                v *= 0.9 + 0.2 * rng.nextDouble(); // drifts down and up
                values[e] = rng.nextDouble() < 0.2 ? values[Math.max(0, e - 1)] : v; // with repeats, never improvements
            }
            double factor = 0.1 + 0.8 * rng.nextDouble();
            int patience = (int) (rng.nextDouble() * 4);
            double minDelta = rng.nextDouble() < 0.5 ? 0 : 1e-2 * rng.nextDouble();
            int cooldown = (int) (rng.nextDouble() * 4);
            double minLr = rng.nextDouble() < 0.5 ? 0 : 1e-3;
            assertArrayEquals(kerasRates(values, 0.1, factor, patience, minDelta, cooldown, minLr),
                    rates(values, 0.1, factor, patience, minDelta, cooldown, minLr), "run " + run);
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau("val_loss", 1.0, 10, 1e-4, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau("val_loss", 0.1, -1, 1e-4, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau("val_loss", 0.1, 10, 1e-4, 0, -1));
        Model model = tiny("nd4j", new Optimizer.Sgd(0.5));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model.fit(X, X, 2, 32, null, null, new ReduceLROnPlateau("val_loss", 0.1, 10, 1e-4, 0, 0)));
        assertTrue(e.getMessage().contains("no validation data"), e.getMessage());
    }

    private static Model tiny(String engine, Optimizer optimizer) {
        return tiny(engine, optimizer, DataType.FLOAT);
    }

    private static Model tiny(String engine, Optimizer optimizer, DataType type) {
        return TestEngines.create(engine, type, 4).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, optimizer,
                Metric.ROUNDED_ACCURACY);
    }

    /** min_delta so large that no epoch after the first improves: the rate goes down every {@code patience} epochs. */
    private static ReduceLROnPlateau plateau(int patience) {
        return new ReduceLROnPlateau("val_loss", 0.5, patience, 10.0, 0, 0);
    }

    private static double[] logged(History h, String key) {
        return h.epochs().stream().mapToDouble(e -> e.get(key)).toArray();
    }

    /** Each epoch's logs carry the rate it trained at, which fit lowers by Keras's rule over the epochs' val_loss. */
    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void fitLogsTheRateEachEpochTrainedAtAndLowersItByKerasRule(String engine) {
        Model model = tiny(engine, new Optimizer.Sgd(0.5));
        History h = model.fit(X, X, 6, 32, X_VALID, X_VALID, plateau(2));
        double[] expected = kerasRates(logged(h, "val_loss"), 0.5, 0.5, 2, 10.0, 0, 0);
        assertArrayEquals(java.util.Arrays.copyOf(expected, 6), logged(h, "lr"));
        assertEquals(expected[6], model.learningRate());
        assertEquals(0.125, model.learningRate(), "lowered after epochs 3 and 5");
        History again = History.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().convertValue(h.epochs(), List.class));
        assertArrayEquals(logged(h, "lr"), logged(again, "lr"), "the History's JSON keeps lr");
    }

    /**
     * Paused after epoch 4 (wait 1 since the reduction at epoch 3) and resumed from the model file with a new
     * callback: the rate, the History and the weights are those of the run without the pause.
     */
    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void aPlateauRunPausedAndResumedIsTheRunWithoutThePause(String engine) throws IOException {
        Model straight = tiny(engine, new Optimizer.Sgd(0.5, 0.9, false));
        straight.fit(X, X, 6, 32, X_VALID, X_VALID, plateau(2));
        Model first = tiny(engine, new Optimizer.Sgd(0.5, 0.9, false));
        first.fit(X, X, 4, 32, X_VALID, X_VALID, plateau(2));
        Path file = dir.resolve("plateau.zip");
        ModelFile.save(first, file, ModelFile.Metadata.NONE);
        Model resumed = ModelFile.load(file, TestEngines.create(engine, DataType.FLOAT, 4)).model();
        assertEquals(0.25, resumed.learningRate(), "the file keeps the rate lowered after epoch 3");
        resumed.fit(X, X, 6, 32, X_VALID, X_VALID, plateau(2));
        assertArrayEquals(logged(straight.history(), "lr"), logged(resumed.history(), "lr"));
        assertEquals(straight.learningRate(), resumed.learningRate());
        assertArrayEquals(straight.params().toFloatVector(), resumed.params().toFloatVector());
    }

    /** Adam whose rate decays smoothly: three epochs on the ND4J-op and native engines, in float64. */
    @Test
    void anExponentialDecayTrainsTheSameWeightsOnTheNd4jAndNativeEngines() {
        Optimizer adam = new Optimizer.Adam(0.01).withSchedule(new LearningRateSchedule.ExponentialDecay(0.5, 5, false));
        INDArray x = X.castTo(DataType.DOUBLE);
        Model nd4j = tiny("nd4j", adam, DataType.DOUBLE);
        nd4j.fit(x, x, 3, 32, null, null);
        double[] expected = nd4j.params().toDoubleVector();
        for (String engine : List.of("native", "native-2")) {
            Model other = tiny(engine, adam, DataType.DOUBLE);
            other.fit(x, x, 3, 32, null, null);
            assertArrayEquals(expected, other.params().toDoubleVector(), 1e-9, engine);
        }
        Model constant = tiny("nd4j", new Optimizer.Adam(0.01), DataType.DOUBLE);
        constant.fit(x, x, 3, 32, null, null);
        assertFalse(java.util.Arrays.equals(expected, constant.params().toDoubleVector()), "the decay changed the steps");
    }

    /** A decaying rate takes up at the step the file saved: the resumed run is the run without the pause. */
    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void aDecayingRunPausedAndResumedIsTheRunWithoutThePause(String engine) throws IOException {
        Optimizer sgd = new Optimizer.Sgd(1.0).withSchedule(new LearningRateSchedule.ExponentialDecay(0.9, 4, true));
        Model straight = tiny(engine, sgd);
        straight.fit(X, X, 4, 32, null, null);
        Model first = tiny(engine, sgd);
        first.fit(X, X, 2, 32, null, null);
        Path file = dir.resolve("decay.zip");
        ModelFile.save(first, file, ModelFile.Metadata.NONE);
        Model resumed = ModelFile.load(file, TestEngines.create(engine, DataType.FLOAT, 4)).model();
        assertEquals(sgd, resumed.optimizer(), "the file keeps the schedule");
        resumed.fit(X, X, 4, 32, null, null);
        assertArrayEquals(straight.params().toFloatVector(), resumed.params().toFloatVector());
    }
}
