package ae4j.experiments;

import ae4j.nn.Loss;
import ae4j.train.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The book's {@code show_reconstructions}: the first n validation images, their reconstructions and each one's loss. */
public record Reconstructions(float[][] originals, float[][] reconstructions, double[] losses) {
    /** The book shows five. */
    public static final int BOOK_COUNT = 5;

    public static Reconstructions of(Model autoencoder, INDArray images, int n) {
        INDArray x = images.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
        INDArray y = autoencoder.predict(x);
        double[] losses = new double[n];
        for (int i = 0; i < n; i++) {
            INDArray row = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all());
            losses[i] = autoencoder.evaluate(row, row).loss();
        }
        return new Reconstructions(x.toFloatMatrix(), y.toFloatMatrix(), losses);
    }

    /** The loss the numbers under the images are: the model's own (binary cross-entropy for Fashion-MNIST). */
    public static String lossName(Model autoencoder) {
        return autoencoder.loss() == Loss.BINARY_CROSSENTROPY ? "BCE" : autoencoder.loss().id();
    }
}
