package ae4j.experiments;

import ae4j.Progress;
import ae4j.train.Model;
import de.javagl.tsne.Tsne;
import java.util.LinkedHashMap;
import java.util.Map;
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

    public record Result(double[][] map, double[][] codings, Map<String, Object> quality) {
    }

    /** @param n how many validation images (the book: all 5,000) */
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
            Map<String, Object> quality = new LinkedHashMap<>();
            quality.put("points", n);
            quality.put("iterations", iterations);
            quality.put("perplexity", tsne.getPerplexity());
            quality.put("seed", seed);
            quality.put("tsne_seconds", (System.nanoTime() - started) / 1e9);
            quality.put("knn_k", K);
            quality.put("knn_accuracy_2d", KnnAccuracy.of(map, y, K, 10));
            quality.put("knn_accuracy_codings", KnnAccuracy.of(codings, y, K, 10));
            return new Result(map, codings, quality);
        }
    }
}
