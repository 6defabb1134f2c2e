package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.Rng;
import ae4j.data.EpochOrder;
import ae4j.engine.Resident;
import ae4j.engine.StepEngine;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one training loop and the step contract under it, on every engine: a step takes the next rows of the epoch's
 * order and the engine keeps the position, so a step past the order's end (or before any order) is refused; the
 * loop's events come in Keras's order; and a bare loop over resident data (as the GPU bundle's check runs it) trains
 * exactly as fit does.
 */
class TrainingLoopTest {
    static final INDArray X = TinyModels.images(100, 3);
    static final INDArray X_VALID = TinyModels.images(40, 4);

    static Model model(String engine, long seed) {
        return TestEngines.create(engine, DataType.FLOAT, seed).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY,
                new Optimizer.Sgd(0.5), Metric.ROUNDED_ACCURACY);
    }

    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void aStepTakesTheNextRowsAndNoneBeyondTheOrder(String engine) {
        Model model = model(engine, 1);
        StepEngine steps = model.steps();
        try (Resident x = steps.resident(new Nd4jArray(X))) {
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> steps.trainStep(x, x, 10));
            assertTrue(none.getMessage().contains("outside the epoch's order"), none.getMessage());
            int[] order = new int[30];
            for (int i = 0; i < order.length; i++) {
                order[i] = 99 - i;
            }
            steps.beginEpoch(order);
            steps.trainStep(x, x, 20);
            IllegalArgumentException past = assertThrows(IllegalArgumentException.class, () -> steps.trainStep(x, x, 11));
            assertTrue(past.getMessage().contains("rows 20..31"), past.getMessage());
            steps.trainStep(x, x, 10);
            assertThrows(IllegalArgumentException.class, () -> steps.trainStep(x, x, 1));
            steps.beginEpoch(order);
            steps.trainStep(x, x, 30);
        }
    }

    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void eventsComeInKerasOrderAndStopTrainingEndsTheEpoch(String engine) {
        Model model = model(engine, 2);
        List<String> events = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override
            public void onTrainBegin(TrainingLoop loop, FitParams params) {
                events.add("begin " + params.epochs() + "x" + params.batches());
            }

            @Override
            public void onEpochBegin(TrainingLoop loop, int epoch) {
                events.add("epoch " + epoch);
            }

            @Override
            public void onBatchEnd(TrainingLoop loop, int batch) {
                events.add("batch " + batch + " " + loop.samplesSeen());
            }

            @Override
            public void onEpochEnd(TrainingLoop loop, EpochLog log) {
                events.add("end " + log.epoch() + (log.hasValidation() ? " validated" : ""));
                if (log.epoch() == 2) {
                    loop.stopTraining();
                }
            }

            @Override
            public void onTrainEnd(TrainingLoop loop) {
                events.add("done");
            }
        };
        model.fit(X, X, 5, 40, X_VALID, X_VALID, recorder);
        assertEquals(List.of("begin 5x3", "epoch 1", "batch 1 40", "batch 2 80", "batch 3 100", "end 1 validated",
                "epoch 2", "batch 1 40", "batch 2 80", "batch 3 100", "end 2 validated", "done"), events);
        assertEquals(2, model.history().epochs().size());
    }

    /** What the GPU bundle's check runs: the loop on a bare engine, no model, its own order, data it made resident. */
    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void aBareLoopTrainsAsFitDoes(String engine) {
        Model fitted = model(engine, 3);
        Model bare = model(engine, 3);
        fitted.fit(X, X, 2, 32, X_VALID, X_VALID);
        List<EpochLog> logs = new ArrayList<>();
        Callback keep = new Callback() {
            @Override
            public void onEpochEnd(TrainingLoop loop, EpochLog log) {
                logs.add(log);
            }
        };
        StepEngine steps = bare.steps();
        try (Resident x = steps.resident(new Nd4jArray(X));
             Resident v = steps.resident(new Nd4jArray(X_VALID));
             TrainingLoop loop = new TrainingLoop(steps, bare.plan(), null, x, x, v, v, 32,
                     new EpochOrder((int) X.rows(), new Rng(bare.shuffleState())), List.of(keep), null)) {
            loop.run(1, 2);
        }
        for (int e = 0; e < 2; e++) {
            assertEquals(fitted.history().epochs().get(e).loss(), logs.get(e).loss(), 1e-12, "epoch " + (e + 1));
            assertEquals(fitted.history().epochs().get(e).valLoss(), logs.get(e).valLoss(), 1e-12, "epoch " + (e + 1));
        }
    }
}
