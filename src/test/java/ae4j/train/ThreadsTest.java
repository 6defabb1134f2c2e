package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ae4j.nn.Loss;
import ae4j.nn.Metric;
import ae4j.nn.Sequential;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native engine on several threads computes what it computes on one: the same weights, to the bit, after
 * whole epochs (every gradient element is summed over the batch's rows in the same order whatever the split), and
 * the same History up to the order in which the threads' loss totals are added.
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

    @ParameterizedTest
    @ValueSource(ints = {1, 11, 32})
    void moreThreadsSameWeights(int batch) {
        for (Supplier<Sequential> network : List.<Supplier<Sequential>>of(TinyModels::stacked, TinyModels::tied)) {
            for (Optimizer optimizer : List.of(new Optimizer.Sgd(1.0), new Optimizer.Adam(0.01))) {
                Model one = train("native", network, optimizer, batch);
                for (String threads : List.of("native-2", "native-3")) {
                    Model more = train(threads, network, optimizer, batch);
                    assertArrayEquals(one.params().toFloatVector(), more.params().toFloatVector(), threads + " with " + optimizer + ", batch " + batch);
                    EpochLog a = one.history().last();
                    EpochLog b = more.history().last();
                    assertEquals(a.loss(), b.loss(), 1e-12 * a.loss());
                    assertEquals(a.valLoss(), b.valLoss(), 1e-12 * a.valLoss());
                }
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
}
