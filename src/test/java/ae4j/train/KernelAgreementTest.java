package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ae4j.NativeKernelsBuilt;
import ae4j.data.DatasetSource;
import ae4j.data.FashionMnist;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TiedAutoencoder;
import ae4j.nn.Kernels;
import ae4j.nn.Loss;
import ae4j.nn.Metric;
import ae4j.nn.NativeKernels;
import ae4j.nn.Nd4jKernels;
import ae4j.nn.Sequential;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The native and the ND4J-op kernels give the same History (within 1e-4 relative) after one epoch. */
class KernelAgreementTest {
    static final FashionMnist DATA = FashionMnist.load(DatasetSource.embeddedSample());

    static EpochLog oneEpoch(Kernels kernels, Supplier<Sequential> network) {
        Engine engine = new Engine(kernels, DataType.FLOAT, 42, 0).verbose(false);
        Model model = engine.compile(network.get(), 784, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        INDArray x = DATA.train().images();
        INDArray xValid = DATA.validation().images();
        return model.fit(x, x, 1, 32, xValid, xValid).last();
    }

    static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-4 * Math.abs(expected), what);
    }

    @Test
    void stackedAndTiedAgreeAfterOneEpoch() {
        NativeKernelsBuilt.assume();
        for (Supplier<Sequential> network : java.util.List.<Supplier<Sequential>>of(
                () -> StackedAutoencoder.build().network(), () -> TiedAutoencoder.build().network())) {
            EpochLog nd4j = oneEpoch(new Nd4jKernels(), network);
            EpochLog nativeLog = oneEpoch(new NativeKernels(), network);
            assertClose(nd4j.loss(), nativeLog.loss(), "loss");
            assertClose(nd4j.valLoss(), nativeLog.valLoss(), "val_loss");
            assertClose(nd4j.metrics().get("rounded_accuracy"), nativeLog.metrics().get("rounded_accuracy"), "rounded_accuracy");
            assertClose(nd4j.valMetrics().get("rounded_accuracy"), nativeLog.valMetrics().get("rounded_accuracy"), "val_rounded_accuracy");
        }
    }
}
