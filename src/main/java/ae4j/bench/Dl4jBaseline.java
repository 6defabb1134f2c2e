package ae4j.bench;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The same untied stacked autoencoder as a Deeplearning4j {@link MultiLayerNetwork}, timed on the same data so
 * that every speed-up is a ratio measured side by side. Keras-matched: Glorot-uniform weights, and learning rate
 * 1.5/784 because DL4J's binary cross-entropy sums over the 784 outputs where Keras averages (docs/reference.md). The batches
 * are gathered before timing (per-example iterators would make DL4J ~3× slower still).
 */
public final class Dl4jBaseline {
    private final MultiLayerNetwork net;
    private final List<DataSet> batches;
    private int next;

    public Dl4jBaseline(INDArray images, int batchSize, long seed, int batchCount) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(new Sgd(1.5 / 784))
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(100).activation(Activation.SELU).build())
                .layer(new DenseLayer.Builder().nIn(100).nOut(30).activation(Activation.SELU).build())
                .layer(new DenseLayer.Builder().nIn(30).nOut(100).activation(Activation.SELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(100).nOut(784).activation(Activation.SIGMOID).build())
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        batches = new ArrayList<>();
        ae4j.Rng rng = new ae4j.Rng(seed);
        for (int b = 0; b < batchCount; b++) {
            int[] rows = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                rows[i] = rng.nextInt((int) images.rows());
            }
            INDArray x = Nd4j.pullRows(images, 1, rows);
            batches.add(new DataSet(x, x));
        }
    }

    public void step() {
        net.fit(batches.get(next));
        next = (next + 1) % batches.size();
    }
}
