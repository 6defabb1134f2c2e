package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.nn.Sequential;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native engine on several threads computes what it computes on one. Split by rows (tied weights, the later
 * models, batches whose activations outweigh the weights) it gives the same weights to the bit after whole epochs
 * (every gradient element is summed over the batch's rows in the same order whatever the split). Split by units
 * (native/cpu/units.h: small batches of plain dense layers) the products x·W are summed in N pieces, so it agrees
 * with one thread to float rounding, and with itself — the same N — to the bit.
 */
class ThreadsTest {
    static final INDArray X = TinyModels.images(203, 7); // 203 rows: short last batches, and a batch of 11 rows
    static final INDArray X_VALID = TinyModels.images(45, 8);

    static Model train(String engine, Supplier<Sequential> network, Optimizer optimizer, int batch) {
        Model model = TestEngines.create(engine, DataType.FLOAT, 9).compile(network.get(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY,
                optimizer, Metric.ROUNDED_ACCURACY);
        model.fit(X, X, 3, batch, X_VALID, X_VALID);
        return model;
    }

    /**
     * The stacked model's batches of 1, 11, 16 and 32 rows run split by units (the output layer by its columns; at
     * 16 the two small layers between by rows of the batch): on 2 and 3 threads the first epoch's validation loss is
     * within 1e-4 (relative) of one thread's, the weights after three epochs within 1% of its (relative norm: Adam on
     * 609 batches of one row amplifies float32 rounding to 0.4%; the split's float64 gradients meet central
     * differences in GradientCheckTest on native-2), and a second run on the same threads gives the same weights to
     * the bit.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 11, 16, 32})
    void unitSplitAgreesWithOneThreadAndRepeats(int batch) {
        for (Optimizer optimizer : List.of(new Optimizer.Sgd(1.0), new Optimizer.Adam(0.01))) {
            Model one = train("native", TinyModels::stacked, optimizer, batch);
            float[] reference = one.params().toFloatVector();
            for (String threads : List.of("native-2", "native-3")) {
                Model more = train(threads, TinyModels::stacked, optimizer, batch);
                float[] weights = more.params().toFloatVector();
                String what = threads + " with " + optimizer + ", batch " + batch;
                double expected = one.history().epochs().get(0).valLoss();
                assertEquals(expected, more.history().epochs().get(0).valLoss(), 1e-4 * expected, what + ", first epoch");
                double difference = 0;
                double norm = 0;
                for (int i = 0; i < weights.length; i++) {
                    difference += (weights[i] - reference[i]) * (weights[i] - reference[i]);
                    norm += reference[i] * reference[i];
                }
                assertTrue(Math.sqrt(difference / norm) < 1e-2, what + ": weights differ by " + Math.sqrt(difference / norm) + " (relative norm)");
                assertArrayEquals(weights, train(threads, TinyModels::stacked, optimizer, batch).params().toFloatVector(), what + ", run twice");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 11, 32})
    void rowSplitSameWeights(int batch) {
        for (Optimizer optimizer : List.of(new Optimizer.Sgd(1.0), new Optimizer.Adam(0.01))) {
            Model one = train("native", TinyModels::tied, optimizer, batch);
            for (String threads : List.of("native-2", "native-3")) {
                Model more = train(threads, TinyModels::tied, optimizer, batch);
                assertArrayEquals(one.params().toFloatVector(), more.params().toFloatVector(), threads + " with " + optimizer + ", batch " + batch);
                EpochLog a = one.history().last();
                EpochLog b = more.history().last();
                assertEquals(a.loss(), b.loss(), 1e-12 * a.loss());
                assertEquals(a.valLoss(), b.valLoss(), 1e-12 * a.valLoss());
            }
        }
    }

    /** The later models' noise, KL batch sums and sampling are split over threads too, and still to the bit. */
    @ParameterizedTest
    @EnumSource(TinyModels.Later.class)
    void laterModelsMoreThreadsSameWeights(TinyModels.Later later) {
        Model one = train("native", later.network, later.optimizer(), 11);
        for (String threads : List.of("native-2", "native-3")) {
            Model more = train(threads, later.network, later.optimizer(), 11);
            assertArrayEquals(one.params().toFloatVector(), more.params().toFloatVector(), threads + " with " + later);
            assertEquals(one.history().last().valLoss(), more.history().last().valLoss(), 1e-12 * one.history().last().valLoss());
        }
    }

    /**
     * Steps split by units keep the output layer's W (transposed, with its gradient and optimizer state) in the engine
     * while they run: copyStateToHost hands it back to the host's vectors, where it agrees with one thread's, and a
     * setParams made meanwhile replaces what the engine kept.
     */
    @Test
    void unitSplitHandsTheOutputLayerBackAndTakesNewParams() {
        Optimizer adam = new Optimizer.Adam(0.01);
        Model one = TestEngines.create("native", DataType.FLOAT, 9).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, adam);
        Model two = TestEngines.create("native-2", DataType.FLOAT, 9).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, adam);
        float[] initial = two.params().toFloatVector();
        try (TrainingLoop a = one.stepLoop(X, X, 11); TrainingLoop b = two.stepLoop(X, X, 11)) {
            for (int i = 0; i < 5; i++) {
                a.step();
                b.step();
            }
        }
        assertTrue(two.steps().description().contains("layers split by units"), two.steps().description());
        one.steps().copyStateToHost();
        two.steps().copyStateToHost();
        float[] reference = one.params().toFloatVector();
        float[] weights = two.params().toFloatVector();
        double moved = 0;
        double apart = 0;
        for (int i = 0; i < weights.length; i++) {
            moved += (reference[i] - initial[i]) * (reference[i] - initial[i]);
            apart += (weights[i] - reference[i]) * (weights[i] - reference[i]);
        }
        assertTrue(Math.sqrt(apart) < 1e-3 * Math.sqrt(moved), "2 threads are " + Math.sqrt(apart) + " from one, which moved " + Math.sqrt(moved));
        try (TrainingLoop b = two.stepLoop(X, X, 11)) {
            b.step(); // the engine keeps the output layer again
        }
        two.setParams(Nd4j.createFromArray(initial));
        two.steps().copyStateToHost();
        assertArrayEquals(initial, two.params().toFloatVector());
    }

    /** The engine says how its last step shared the threads (bench and history.json print it). */
    @Test
    void descriptionSaysHowTheStepWasShared() {
        Optimizer sgd = new Optimizer.Sgd(1.0);
        String units = train("native-2", TinyModels::stacked, sgd, 8).steps().description();
        String rows = train("native-2", TinyModels::tied, sgd, 8).steps().description();
        String one = train("native", TinyModels::stacked, sgd, 8).steps().description();
        assertTrue(units.contains("2 threads (layers split by units)"), units);
        assertTrue(rows.contains("2 threads (batch split by rows)"), rows);
        assertTrue(one.contains("1 thread,") && !one.contains("split"), one);
    }
}
