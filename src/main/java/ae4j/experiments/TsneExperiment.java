package ae4j.experiments;

import ae4j.Progress;
import ae4j.train.Model;
import com.fasterxml.jackson.annotation.JsonProperty;
import de.javagl.tsne.Tsne;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The book's visualisation of Fashion-MNIST: the encoder compresses the validation images to 30-D codings, then
 * t-SNE (Barnes-Hut, de.javagl:bh-tsne, seeded) maps the codings to 2-D. Quality is measured, not only drawn:
 * the leave-one-out 5-NN class accuracy in the 2-D map and in the 30-D codings.
 */
public final class TsneExperiment {
    public static final int K = 5;

    private TsneExperiment() {
    }

    public record Result(double[][] map, double[][] codings, Quality quality) {
    }

    /** What tsne.json holds: the settings of the map and how well the map and the codings keep the classes apart. */
    public record Quality(int points, int iterations, double perplexity, long seed, double tsneSeconds, int knnK,
                          @JsonProperty("knn_accuracy_2d") double knnAccuracy2d, double knnAccuracyCodings) {
    }

    /** @param n how many of the images (the book: all 5,000 of the validation set); at least 2 × 5 + 1 */
    public static Result run(Model autoencoder, Autoencoder ae, INDArray images, byte[] labels, int n, int iterations, long seed) {
        INDArray x = images.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
        double[][] codings = autoencoder.predict(ae.encoder(), x).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        byte[] y = java.util.Arrays.copyOf(labels, n);

        Tsne tsne = new Tsne();
        tsne.setRandomSeed(seed);
        tsne.setMaxIterations(iterations);
        tsne.setPerplexity(Math.min(30, (n - 1) / 3.0));
        tsne.setInitialDims(codings[0].length);
        tsne.setMessageConsumer(message -> { });
        double[][] map;
        try (Progress bar = Progress.start("t-SNE", 1000)) {
            tsne.setProgressConsumer(p -> bar.stepTo(Math.round(p * 1000)));
            long started = System.nanoTime();
            map = tsne.run(codings);
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Result(map, codings, new Quality(n, iterations, tsne.getPerplexity(), seed, seconds, K,
                    KnnAccuracy.of(map, y, K, 10), KnnAccuracy.of(codings, y, K, 10)));
        }
    }
}
