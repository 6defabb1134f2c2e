package ae4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.train.EpochLog;
import ae4j.train.History;
import ae4j.train.Model;
import ae4j.train.ModelFile;
import ae4j.train.RunSettings;
import ae4j.train.TestEngines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A custom run ({@code train custom}'s TrainRun) with early stopping and plateau reduction: it ends with the best
 * epoch's weights, its History listing every epoch, and paused after the best epoch and resumed it ends the same.
 */
class CustomRunTest {
    static final int EPOCHS = 60;
    static final int PATIENCE = 2;

    @TempDir
    Path dir;

    /** Noise on the inputs and a large rate keep val_loss moving once it has fallen: it stops improving, and the run stops. */
    private static Model model(String engine) {
        CustomSpec s = CustomAutoencoderTest.spec("layers", "12,3", "noise", "gaussian:0.5", "optimizer", "sgd:0.5", "output", "linear", "loss", "mse");
        return CustomAutoencoder.of(s, CustomAutoencoderTest.WIDTH).compile(TestEngines.create(engine, DataType.FLOAT, 9));
    }

    private TrainRun run(String engine, String out, int epochs, boolean resume) {
        RunSettings settings = RunSettings.of(9, 32, Double.NaN, engine, null, "cpu")
                .withLrSchedule(LrScheduleOption.parse("plateau:0.5:1").toString());
        return TrainRun.custom(epochs, settings, dir.resolve(out), resume, null).stopEarly(PATIENCE, true);
    }

    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void anEarlyStoppedRunKeepsTheBestEpochsWeightsAlsoAfterAPause(String engine) {
        INDArray x = CustomAutoencoderTest.nearSubspace(256, 1);
        INDArray xValid = CustomAutoencoderTest.nearSubspace(64, 2);
        Model straight = model(engine);
        run(engine, "straight", EPOCHS, false).fit(straight, "model", "model", "custom", EPOCHS, 32, x, xValid);
        List<EpochLog> epochs = straight.history().epochs();
        int stopped = epochs.size();
        assertTrue(stopped < EPOCHS, "the run stopped early: " + epochs.size() + " epochs");
        int best = 1;
        for (EpochLog e : epochs) {
            best = e.valLoss() < epochs.get(best - 1).valLoss() ? e.epoch() : best;
        }
        assertEquals(stopped - PATIENCE, best, "stopped " + PATIENCE + " epochs after the best");
        assertTrue(straight.learningRate() < 0.5, "the epoch after the best lowered the rate");
        double bestValLoss = epochs.get(best - 1).valLoss();
        assertEquals(bestValLoss, straight.evaluate(xValid, xValid).loss(), 1e-6 * bestValLoss, "the weights are the best epoch's");
        Model saved = ModelFile.load(dir.resolve("straight/model.zip"), TestEngines.create(engine, DataType.FLOAT, 9)).model();
        assertArrayEquals(straight.params().toFloatVector(), saved.params().toFloatVector(), "model.zip holds them");
        assertEquals(stopped, saved.history().epochs().size(), "and the History of every epoch");

        // Paused one epoch after the best: the file keeps the best epoch's weights beside the last epoch's.
        Model first = model(engine);
        run(engine, "paused", best + 1, false).fit(first, "model", "model", "custom", best + 1, 32, x, xValid);
        Path file = dir.resolve("paused/model.zip");
        assertEquals(best, ModelFile.bestWeights(file, first).orElseThrow().epoch());
        Model resumed = model(engine);
        run(engine, "paused", EPOCHS, true).fit(resumed, "model", "model", "custom", EPOCHS, 32, x, xValid);
        History h = resumed.history();
        assertArrayEquals(epochs.stream().mapToDouble(EpochLog::valLoss).toArray(), h.epochs().stream().mapToDouble(EpochLog::valLoss).toArray());
        assertArrayEquals(epochs.stream().mapToDouble(EpochLog::learningRate).toArray(),
                h.epochs().stream().mapToDouble(EpochLog::learningRate).toArray());
        assertArrayEquals(straight.params().toFloatVector(), resumed.params().toFloatVector(), "the best epoch's weights, as without the pause");
    }
}
