package ae4j.train;

import ae4j.backend.BuildInfo;
import ae4j.nn.Dense;
import ae4j.nn.Layer;
import ae4j.spec.Activation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Exports a run of {@link Dense} layers (an untied autoencoder, or its encoder alone) as a Deeplearning4j
 * {@link MultiLayerNetwork} with the same weights, saved with {@link ModelSerializer}: DL4J users load it with
 * {@code ModelSerializer.restoreMultiLayerNetwork} and get the same outputs. Tied layers have no DL4J equivalent
 * (DL4J cannot share weights between layers).
 * <p>
 * Deeplearning4j ({@code org.deeplearning4j:deeplearning4j-nn}) is an optional dependency of ae4j: without it,
 * {@link #write} says what to add. Only the nested {@code Network} names DL4J's classes, so that this class loads
 * without them.
 */
public final class Dl4jExport {
    private Dl4jExport() {
    }

    /** The layers as a DL4J network; needs DL4J on the classpath, as its result type says. */
    public static MultiLayerNetwork toMultiLayerNetwork(List<Layer> layers) {
        return Network.of(layers);
    }

    /**
     * Saves the layers as a DL4J network file.
     *
     * @throws IllegalStateException when Deeplearning4j is not on the classpath, naming the dependency to add
     */
    public static void write(List<Layer> layers, Path file) throws IOException {
        requireDl4j();
        Network.write(layers, file);
    }

    private static void requireDl4j() {
        try {
            Class.forName("org.deeplearning4j.nn.multilayer.MultiLayerNetwork", false, Dl4jExport.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("exporting to Deeplearning4j needs org.deeplearning4j:deeplearning4j-nn:"
                    + BuildInfo.current().nd4jVersion() + " on the classpath; add it to the project's dependencies");
        }
    }

    /** Everything that names DL4J's classes, loaded only when an export runs. */
    private static final class Network {
        private Network() {
        }

        static MultiLayerNetwork of(List<Layer> layers) {
            NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                    .dataType(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                    .list();
            for (int i = 0; i < layers.size(); i++) {
                if (!(layers.get(i) instanceof Dense dense)) {
                    throw new IllegalArgumentException("only Dense layers can be exported to DL4J; layer " + i + " is "
                            + layers.get(i).getClass().getSimpleName() + " (tied weights have no DL4J equivalent)");
                }
                org.nd4j.linalg.activations.Activation activation = dl4j(dense.activation());
                if (i == layers.size() - 1) {
                    list.layer(new OutputLayer.Builder(lossFor(dense.activation()))
                            .nIn(dense.inputSize()).nOut(dense.outputSize()).activation(activation).build());
                } else {
                    list.layer(new DenseLayer.Builder().nIn(dense.inputSize()).nOut(dense.outputSize()).activation(activation).build());
                }
            }
            MultiLayerConfiguration conf = list.build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            for (int i = 0; i < layers.size(); i++) {
                List<ae4j.nn.Parameter> p = layers.get(i).parameters();
                INDArray w = p.get(0).value();
                INDArray b = p.get(1).value();
                net.getLayer(i).setParam("W", w.castTo(net.getLayer(i).getParam("W").dataType()));
                net.getLayer(i).setParam("b", b.reshape(1, b.length()).castTo(net.getLayer(i).getParam("b").dataType()));
            }
            return net;
        }

        static void write(List<Layer> layers, Path file) throws IOException {
            ModelSerializer.writeModel(of(layers), file.toFile(), false);
        }

        private static org.nd4j.linalg.activations.Activation dl4j(Activation a) {
            return switch (a) {
                case IDENTITY -> org.nd4j.linalg.activations.Activation.IDENTITY;
                case SELU -> org.nd4j.linalg.activations.Activation.SELU;
                case SIGMOID -> org.nd4j.linalg.activations.Activation.SIGMOID;
                case RELU -> org.nd4j.linalg.activations.Activation.RELU;
                case TANH -> org.nd4j.linalg.activations.Activation.TANH;
                case ELU -> org.nd4j.linalg.activations.Activation.ELU; // alpha 1, Keras's default
                case SOFTMAX -> org.nd4j.linalg.activations.Activation.SOFTMAX;
            };
        }

        /** The DL4J loss that goes with an output activation (only used if someone trains the exported network). */
        private static LossFunctions.LossFunction lossFor(Activation a) {
            return switch (a) {
                case SIGMOID -> LossFunctions.LossFunction.XENT;
                case SOFTMAX -> LossFunctions.LossFunction.MCXENT;
                default -> LossFunctions.LossFunction.MSE;
            };
        }
    }
}
