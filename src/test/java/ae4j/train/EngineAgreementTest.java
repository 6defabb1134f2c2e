package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ae4j.data.DatasetSource;
import ae4j.data.FashionMnist;
import ae4j.experiments.DenoisingAutoencoder;
import ae4j.experiments.SparseAutoencoder;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TiedAutoencoder;
import ae4j.experiments.VariationalAutoencoder;
import ae4j.nn.Sequential;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every engine gives the same History (within 1e-4 relative) after one epoch of the chapter's autoencoders, the
 * ones with noise layers, regularizers and sampling included (their engines draw the same numbers).
 */
class EngineAgreementTest {
    static final FashionMnist DATA = FashionMnist.load(DatasetSource.embeddedSample());

    static EpochLog oneEpoch(String engine, Supplier<Sequential> network) {
        return oneEpoch(engine, network, new Optimizer.Sgd(1.5), 32);
    }

    static EpochLog oneEpoch(String engine, Supplier<Sequential> network, Optimizer optimizer, int batchSize) {
        Model model = TestEngines.create(engine, DataType.FLOAT, 42).compile(network.get(), 784, Loss.BINARY_CROSSENTROPY,
                optimizer, Metric.ROUNDED_ACCURACY);
        INDArray x = DATA.train().images();
        INDArray xValid = DATA.validation().images();
        return model.fit(x, x, 1, batchSize, xValid, xValid).last();
    }

    static void assertAgree(EpochLog nd4j, EpochLog other, String engine) {
        assertClose(nd4j.loss(), other.loss(), engine + " loss");
        assertClose(nd4j.valLoss(), other.valLoss(), engine + " val_loss");
        assertClose(nd4j.metrics().get("rounded_accuracy"), other.metrics().get("rounded_accuracy"), engine + " rounded_accuracy");
        assertClose(nd4j.valMetrics().get("rounded_accuracy"), other.valMetrics().get("rounded_accuracy"), engine + " val_rounded_accuracy");
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
                assertAgree(nd4j, oneEpoch(engine, network), engine);
            }
        }
    }

    @Test
    void theLaterModelsAgreeAfterOneEpochOfTheirRecipes() {
        Optimizer sgd = new Optimizer.Sgd(1.0);
        List<Supplier<Sequential>> sgdModels = List.of(
                () -> DenoisingAutoencoder.build(DenoisingAutoencoder.Corruption.GAUSSIAN).network(),
                () -> DenoisingAutoencoder.build(DenoisingAutoencoder.Corruption.DROPOUT).network(),
                () -> SparseAutoencoder.build(SparseAutoencoder.Sparsity.L1).network(),
                () -> SparseAutoencoder.build(SparseAutoencoder.Sparsity.KL).network());
        for (Supplier<Sequential> network : sgdModels) {
            EpochLog nd4j = oneEpoch("nd4j", network, sgd, 32);
            for (String engine : List.of("native", "native-2")) {
                assertAgree(nd4j, oneEpoch(engine, network, sgd, 32), engine);
            }
        }
        Supplier<Sequential> vae = () -> VariationalAutoencoder.build().network();
        EpochLog nd4j = oneEpoch("nd4j", vae, new Optimizer.Rmsprop(), VariationalAutoencoder.BATCH_SIZE);
        for (String engine : List.of("native", "native-2")) {
            assertAgree(nd4j, oneEpoch(engine, vae, new Optimizer.Rmsprop(), VariationalAutoencoder.BATCH_SIZE), engine + " (variational)");
        }
    }
}
