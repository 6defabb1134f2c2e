package ae4j.experiments;

import ae4j.data.FloatMatrix;
import ae4j.nn.Layer;
import ae4j.nn.Sampling;
import ae4j.nn.Sequential;
import ae4j.spec.Loss;
import ae4j.train.Model;
import ae4j.train.RowBatches;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What a trained autoencoder gives new rows: their codings, their reconstruction errors (anomaly scores), and a
 * threshold on those errors from a percentile of the training rows'. A variational model is read without its
 * sampling: its codings are the mean head, and it reconstructs from them, so that scores do not depend on the noise.
 */
public final class AnomalyScores {
    /** Values per batch sent to the model (2 MiB as doubles): a large x is scored a batch at a time, in a small heap too. */
    static final int BATCH_VALUES = 1 << 18;

    private AnomalyScores() {
    }

    /** The coding layer's output for each row of x (for a variational model, the codings' mean). */
    public static INDArray encode(Model model, Autoencoder ae, INDArray x) {
        List<Layer> layers = ae.encoder().layers();
        if (!(layers.get(layers.size() - 1) instanceof Sampling)) {
            return model.predict(ae.encoder(), cast(model, x));
        }
        INDArray heads = model.predict(Sequential.of(layers.subList(0, layers.size() - 1).toArray()), cast(model, x));
        return heads.get(NDArrayIndex.all(), NDArrayIndex.interval(0, heads.columns() / 2)).dup();
    }

    /** The model's reconstruction of each row of x (for a variational model, the decoding of the codings' mean). */
    public static INDArray reconstruct(Model model, Autoencoder ae, INDArray x) {
        List<Layer> layers = ae.encoder().layers();
        return layers.get(layers.size() - 1) instanceof Sampling ? model.predict(ae.decoder(), encode(model, ae, x))
                : model.predict(cast(model, x));
    }

    /**
     * Each row's reconstruction error in the model's loss, its mean over the features: binary cross-entropy (with
     * Keras's clipping of the probabilities to [1e-7, 1 − 1e-7]) or squared error; x is reconstructed
     * batches of rows.
     */
    public static double[] reconstructionErrors(Model model, Autoencoder ae, INDArray x) {
        Loss loss = model.loss();
        if (loss != Loss.MSE && loss != Loss.BINARY_CROSSENTROPY) {
            throw new IllegalArgumentException("reconstruction errors are BCE or MSE, not " + loss.id());
        }
        int n = (int) x.rows();
        int batchRows = batchRows((int) x.columns());
        double[] errors = new double[n];
        for (int start = 0; start < n; start += batchRows) {
            int end = Math.min(n, start + batchRows);
            INDArray batch = x.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            double[] target = values(batch);
            double[] output = values(reconstruct(model, ae, batch));
            int cols = (int) x.columns();
            for (int r = 0; r < end - start; r++) {
                errors[start + r] = rowError(loss, target, output, r * cols, cols);
            }
        }
        return errors;
    }

    /** Rows per batch of {@link #BATCH_VALUES} values, at least one. */
    static int batchRows(int cols) {
        return RowBatches.rowsPer(BATCH_VALUES, cols);
    }

    /** A matrix's elements row after row, as doubles: one array for a batch (not one per row: the heap may be small). */
    private static double[] values(INDArray m) {
        return m.dup('c').data().asDouble();
    }

    /**
     * {@link #reconstructionErrors(Model, Autoencoder, INDArray)} of rows read a batch at a time, so that
     * they need not fit in memory (a mapped .npy, a large CSV's rows are what the reader holds).
     */
    public static double[] reconstructionErrors(Model model, Autoencoder ae, FloatMatrix rows) {
        double[] errors = new double[Math.toIntExact(rows.rows())];
        RowBatches.forEach(rows, batchRows(rows.cols()), (start, batch) -> System.arraycopy(reconstructionErrors(model, ae, batch), 0, errors, start, (int) batch.rows()));
        return errors;
    }

    /** {@link #encode(Model, Autoencoder, INDArray)} of rows read a batch at a time: the codings row after row, and their width. */
    public static Codings encode(Model model, Autoencoder ae, FloatMatrix rows) {
        int n = Math.toIntExact(rows.rows());
        float[][] values = new float[1][];
        int[] width = new int[1];
        RowBatches.forEach(rows, batchRows(rows.cols()), (start, batch) -> {
            INDArray codings = encode(model, ae, batch);
            if (values[0] == null) {
                width[0] = (int) codings.columns();
                values[0] = new float[Math.multiplyExact(n, width[0])];
            }
            float[] part = codings.castTo(DataType.FLOAT).data().asFloat();
            System.arraycopy(part, 0, values[0], start * width[0], part.length);
        });
        return new Codings(values[0], n, width[0]);
    }

    /** Codings of n rows, row-major. */
    public record Codings(float[] values, int rows, int width) {
    }

    private static double rowError(Loss loss, double[] y, double[] p, int offset, int cols) {
        double sum = 0;
        for (int j = offset; j < offset + cols; j++) {
            if (loss == Loss.MSE) {
                sum += (y[j] - p[j]) * (y[j] - p[j]);
            } else {
                double q = Math.min(Math.max(p[j], Loss.EPSILON), 1 - Loss.EPSILON);
                sum -= y[j] * Math.log(q) + (1 - y[j]) * Math.log(1 - q);
            }
        }
        return sum / cols;
    }

    /** NumPy's default {@code percentile(errors, p)}: linear interpolation between the sorted values' ranks. */
    public static double percentile(double[] errors, double p) {
        if (errors.length == 0 || !(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile in [0, 100] of one or more values, not " + p + " of " + errors.length);
        }
        double[] sorted = errors.clone();
        Arrays.sort(sorted);
        double rank = p / 100 * (sorted.length - 1);
        int lower = (int) Math.floor(rank);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
    }

    /** The errors at the percentiles 0, 0.1, …, 100: what a model file keeps of its training rows' errors. */
    public static double[] errorPercentiles(double[] errors) {
        double[] sorted = errors.clone();
        Arrays.sort(sorted);
        double[] out = new double[1001];
        for (int i = 0; i <= 1000; i++) {
            out[i] = percentile(sorted, i / 10.0);
        }
        return out;
    }

    /**
     * The threshold at percentile p of {@link #errorPercentiles}: exact at its steps of 0.1, interpolated linearly
     * between them.
     */
    public static double threshold(double[] errorPercentiles, double p) {
        if (errorPercentiles.length != 1001 || !(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile in [0, 100] of 1001 error percentiles, not " + p + " of " + errorPercentiles.length);
        }
        double step = p * 10;
        int lower = (int) Math.floor(step);
        int upper = Math.min(lower + 1, 1000);
        return errorPercentiles[lower] + (errorPercentiles[upper] - errorPercentiles[lower]) * (step - lower);
    }

    /** The rows whose error is above the threshold. */
    public static boolean[] anomalies(double[] errors, double threshold) {
        boolean[] out = new boolean[errors.length];
        for (int i = 0; i < errors.length; i++) {
            out[i] = errors[i] > threshold;
        }
        return out;
    }

    private static INDArray cast(Model model, INDArray x) {
        return x.dataType() == model.params().dataType() ? x : x.castTo(model.params().dataType());
    }
}
