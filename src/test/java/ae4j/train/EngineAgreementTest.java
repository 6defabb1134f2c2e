package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ae4j.data.DatasetSource;
import ae4j.data.FashionMnist;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TiedAutoencoder;
import ae4j.nn.Loss;
import ae4j.nn.Metric;
import ae4j.nn.Sequential;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every engine gives the same History (within 1e-4 relative) after one epoch of the chapter's autoencoders. */
class EngineAgreementTest {
    static final FashionMnist DATA = FashionMnist.load(DatasetSource.embeddedSample());

    static EpochLog oneEpoch(String engine, Supplier<Sequential> network) {
        Model model = TestEngines.create(engine, DataType.FLOAT, 42).compile(network.get(), 784, Loss.BINARY_CROSSENTROPY,
                new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        INDArray x = DATA.train().images();
        INDArray xValid = DATA.validation().images();
        return model.fit(x, x, 1, 32, xValid, xValid).last();
    }

    static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-4 * Math.abs(expected), what);
    }

    @Test
    void stackedAndTiedAgreeAfterOneEpoch() {
        for (Supplier<Sequential> network : List.<Supplier<Sequential>>of(
                () -> StackedAutoencoder.build().network(), () -> TiedAutoencoder.build().network())) {
            EpochLog nd4j = oneEpoch("nd4j", network);
            for (String engine : List.of("native", "native-2")) {
                EpochLog other = oneEpoch(engine, network);
                assertClose(nd4j.loss(), other.loss(), engine + " loss");
                assertClose(nd4j.valLoss(), other.valLoss(), engine + " val_loss");
                assertClose(nd4j.metrics().get("rounded_accuracy"), other.metrics().get("rounded_accuracy"), engine + " rounded_accuracy");
                assertClose(nd4j.valMetrics().get("rounded_accuracy"), other.valMetrics().get("rounded_accuracy"),
                        engine + " val_rounded_accuracy");
            }
        }
    }
}
