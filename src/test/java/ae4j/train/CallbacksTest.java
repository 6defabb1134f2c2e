package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Early stopping, checkpoints, and what happens when the loss diverges. */
class CallbacksTest {
    @TempDir
    Path dir;

    static final INDArray X = TinyModels.images(200, 5);
    static final INDArray X_VALID = TinyModels.images(40, 6);

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        Model model = Engine.nd4j(2).verbose(false).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY,
                new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        float[][] best = new float[1][];
        double[] bestLoss = {Double.MAX_VALUE};
        Callback recordBest = new Callback() {
            @Override
            public void onEpochEnd(TrainingLoop loop, EpochLog log) {
                if (log.valLoss() < bestLoss[0]) {
                    bestLoss[0] = log.valLoss();
                    best[0] = loop.model().params().toFloatVector();
                }
            }
        };
        // min_delta so large that no epoch counts as an improvement after the first
        EarlyStopping stopping = new EarlyStopping("val_loss", 2, 10.0, true);
        History h = model.fit(X, X, 20, 32, X_VALID, X_VALID, recordBest, stopping);
        assertEquals(3, h.epochs().size(), "epoch 1 sets the best, epochs 2 and 3 do not improve by min_delta");
        assertEquals(3, stopping.stoppedEpoch());
        Model firstEpoch = Engine.nd4j(2).verbose(false).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY,
                new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        firstEpoch.fit(X, X, 1, 32, X_VALID, X_VALID);
        assertArrayEquals(firstEpoch.params().toFloatVector(), model.params().toFloatVector(), "the weights of the best epoch, 1, are back");
    }

    /** Early stopping counts the epochs the model has trained: fit again, it stops where one fit would have, and then stays stopped. */
    @Test
    void earlyStoppingCountsTheEpochsTheModelHasAlreadyTrained() {
        Model model = tiny();
        // min_delta so large that no epoch counts as an improvement after the first
        EarlyStopping first = new EarlyStopping("val_loss", 2, 10.0, false);
        model.fit(X, X, 2, 32, X_VALID, X_VALID, first);
        assertEquals(0, first.stoppedEpoch(), "epoch 2 is the first without improvement");
        EarlyStopping resumed = new EarlyStopping("val_loss", 2, 10.0, false);
        model.fit(X, X, 10, 32, X_VALID, X_VALID, resumed);
        assertEquals(3, resumed.stoppedEpoch(), "epoch 3 is the second");
        assertEquals(3, model.history().epochs().size());
        EarlyStopping again = new EarlyStopping("val_loss", 2, 10.0, false);
        model.fit(X, X, 10, 32, X_VALID, X_VALID, again);
        assertEquals(3, again.stoppedEpoch());
        assertEquals(3, model.history().epochs().size(), "a stopped model trains no further");
    }

    /**
     * Paused before it stopped, the run's best weights (epoch 1's) are in the model file beside the last epoch's;
     * resumed with them, early stopping puts them back when it stops after epoch 3, as the run without the pause
     * does. Without them it could not: the resumed fit has no better epoch of its own.
     */
    @Test
    void theBestWeightsKeptInTheFileArePutBackAfterAResume() throws IOException {
        Model straight = tiny();
        EarlyStopping straightStop = new EarlyStopping("val_loss", 2, 10.0, true);
        straight.fit(X, X, 10, 32, X_VALID, X_VALID, straightStop);
        assertEquals(List.of(3, 1), List.of(straightStop.stoppedEpoch(), straightStop.bestEpoch()));

        Model first = tiny();
        EarlyStopping firstStop = new EarlyStopping("val_loss", 2, 10.0, true);
        first.fit(X, X, 2, 32, X_VALID, X_VALID, firstStop);
        assertEquals(1, firstStop.bestEpoch());
        Path file = dir.resolve("paused.zip");
        ModelFile.save(first, file, ModelFile.Metadata.NONE, new ModelFile.BestWeights(firstStop.bestEpoch(), firstStop.bestWeights()));

        Model resumed = ModelFile.load(file, Engine.nd4j(2).verbose(false)).model();
        ModelFile.BestWeights kept = ModelFile.bestWeights(file, resumed).orElseThrow();
        assertEquals(1, kept.epoch());
        EarlyStopping resumedStop = new EarlyStopping("val_loss", 2, 10.0, true).resumingWithBest(kept.epoch(), kept.params());
        resumed.fit(X, X, 10, 32, X_VALID, X_VALID, resumedStop);
        assertEquals(3, resumedStop.stoppedEpoch());
        assertArrayEquals(straight.params().toFloatVector(), resumed.params().toFloatVector(), "epoch 1's weights, as without the pause");
        assertEquals(3, resumed.history().epochs().size(), "the History still lists every epoch");

        Model withoutThem = ModelFile.load(file, Engine.nd4j(2).verbose(false)).model();
        withoutThem.fit(X, X, 10, 32, X_VALID, X_VALID, new EarlyStopping("val_loss", 2, 10.0, true));
        assertFalse(java.util.Arrays.equals(straight.params().toFloatVector(), withoutThem.params().toFloatVector()));

        Path lastIsBest = dir.resolve("last-is-best.zip");
        ModelFile.save(first, lastIsBest, ModelFile.Metadata.NONE, new ModelFile.BestWeights(2, first.params()));
        assertTrue(ModelFile.bestWeights(lastIsBest, first).isEmpty(), "the last epoch's weights are the model's own: not kept twice");
    }

    /**
     * A checkpoint saves every epoch; throttled, it saves the first, then none until the interval has passed, and
     * the last when training ends, also when a callback ended it early.
     */
    @Test
    void aThrottledCheckpointSavesTheLastEpochWhenTrainingEnds() throws IOException {
        Path file = dir.resolve("model.zip");
        List<Integer> saved = new ArrayList<>();
        ModelCheckpoint.Writer counting = (m, to, meta) -> {
            saved.add(m.history().epochs().size());
            ModelFile.save(m, to, meta);
        };
        tiny().fit(X, X, 3, 32, null, null, new ModelCheckpoint(file, ModelFile.Metadata.NONE).writingWith(counting));
        assertEquals(List.of(1, 2, 3), saved);

        saved.clear();
        tiny().fit(X, X, 4, 32, null, null, new ModelCheckpoint(file, ModelFile.Metadata.NONE).atMostEvery(Duration.ofHours(1)).writingWith(counting));
        assertEquals(List.of(1, 4), saved);
        assertEquals(4, ModelFile.load(file, Engine.nd4j(2)).model().history().epochs().size());

        saved.clear();
        Callback stopAfterEpochTwo = new Callback() {
            @Override
            public void onEpochEnd(TrainingLoop loop, EpochLog log) {
                if (log.epoch() == 2) {
                    loop.stopTraining();
                }
            }
        };
        tiny().fit(X, X, 4, 32, null, null, stopAfterEpochTwo,
                new ModelCheckpoint(file, ModelFile.Metadata.NONE).atMostEvery(Duration.ofHours(1)).writingWith(counting));
        assertEquals(List.of(1, 2), saved);
    }

    private static Model tiny() {
        return Engine.nd4j(2).verbose(false).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.MSE, new Optimizer.Sgd(0.05));
    }

    @Test
    void divergenceStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path file = dir.resolve("model.zip");
        Model model = Engine.nd4j(2).verbose(false).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.MSE, new Optimizer.Sgd(0.05));
        float[][] good = new float[1][];
        Callback poisonAfterEpochTwo = new Callback() {
            @Override
            public void onEpochEnd(TrainingLoop loop, EpochLog log) {
                Model m = loop.model();
                if (log.epoch() == 2) {
                    good[0] = m.params().toFloatVector();
                    INDArray poisoned = m.params().dup();
                    poisoned.putScalar(0, Float.NaN);
                    m.setParams(poisoned);
                }
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> model.fit(X, X, 10, 32, null, null, new ModelCheckpoint(file, ModelFile.Metadata.NONE), poisonAfterEpochTwo));
        assertTrue(e.getMessage().contains("epoch 3") && e.getMessage().contains("nothing was saved after epoch 2"), e.getMessage());

        Model reloaded = ModelFile.load(file, Engine.nd4j(2)).model();
        assertEquals(2, reloaded.history().epochs().size(), "the checkpoint is still the last good epoch");
        assertArrayEquals(good[0], reloaded.params().toFloatVector());
    }
}
