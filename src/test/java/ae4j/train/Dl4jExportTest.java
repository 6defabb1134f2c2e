package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ae4j.experiments.Autoencoder;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TiedAutoencoder;
import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The exported DL4J networks, written and read back with ModelSerializer, compute what ours compute. */
class Dl4jExportTest {
    @TempDir
    Path dir;

    @Test
    void stackedAutoencoderAndItsEncoderComputeTheSameOutputsInDl4j() throws IOException {
        Autoencoder ae = StackedAutoencoder.build();
        Model model = Engine.nd4j(6).verbose(false).compile(ae.network(), 784, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        INDArray x = Nd4j.rand(DataType.FLOAT, 40, 784);
        model.fit(x, x, 1, 8, null, null); // weights that are not the initial ones

        Path full = dir.resolve("autoencoder-dl4j.zip");
        Dl4jExport.write(model.layers(), full);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(full.toFile());
        assertArrayEquals(model.predict(x).toFloatMatrix()[7], restored.output(x).toFloatMatrix()[7], 1e-5f);
        assertEquals(model.predict(x).shape()[1], restored.output(x).shape()[1]);

        Path encoder = dir.resolve("encoder-dl4j.zip");
        Dl4jExport.write(ae.encoder().layers(), encoder);
        MultiLayerNetwork restoredEncoder = ModelSerializer.restoreMultiLayerNetwork(encoder.toFile());
        INDArray ours = model.predict(ae.encoder(), x);
        INDArray theirs = restoredEncoder.output(x);
        assertEquals(30, theirs.columns());
        for (int row = 0; row < 40; row += 13) {
            assertArrayEquals(ours.toFloatMatrix()[row], theirs.toFloatMatrix()[row], 1e-5f);
        }
    }

    /** DL4J's ELU (alpha 1) is Keras's: the exported network computes ours on negative pre-activations too. */
    @Test
    void eluExportsAsDl4jsElu() throws IOException {
        Sequential network = Sequential.of(new Dense(6, Activation.ELU), new Dense(5, Activation.IDENTITY));
        Model model = Engine.nd4j(7).verbose(false).compile(network, 5, Loss.MSE, new Optimizer.Sgd(0.1));
        INDArray x = Nd4j.rand(DataType.FLOAT, 20, 5).muli(6).subi(3);
        Path file = dir.resolve("elu-dl4j.zip");
        Dl4jExport.write(model.layers(), file);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file.toFile());
        float[][] ours = model.predict(x).toFloatMatrix();
        float[][] theirs = restored.output(x).toFloatMatrix();
        for (int row = 0; row < ours.length; row++) {
            assertArrayEquals(ours[row], theirs[row], 1e-5f);
        }
    }

    @Test
    void tiedWeightsAreRefusedWithAReason() {
        Autoencoder ae = TiedAutoencoder.build();
        Model model = Engine.nd4j(6).verbose(false).compile(ae.network(), 784, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5));
        assertThrows(IllegalArgumentException.class, () -> Dl4jExport.toMultiLayerNetwork(model.layers()));
    }
}
