package ae4j.experiments;

import ae4j.data.Scaler;
import ae4j.spec.Loss;
import ae4j.train.Model;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The book's {@code show_reconstructions}: the first n validation images (or their noisy versions, for a denoising
 * autoencoder), their reconstructions, and each reconstruction's loss against the clean image — the model's loss
 * function alone, with Keras's formula on probabilities, without the regularizers' or a latent loss's terms (which
 * belong to a batch, not to an image).
 */
public record Reconstructions(float[][] inputs, float[][] reconstructions, double[] losses) {
    /** The book shows five. */
    public static final int BOOK_COUNT = 5;

    public static Reconstructions of(Model autoencoder, INDArray images, int n) {
        float[][] originals = images.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).toFloatMatrix();
        return of(autoencoder, originals, originals);
    }

    /** The reconstructions of {@code inputs}, each scored against the clean image in {@code targets}. */
    public static Reconstructions of(Model autoencoder, float[][] inputs, float[][] targets) {
        float[][] y = autoencoder.predict(Nd4j.createFromArray(inputs).castTo(autoencoder.params().dataType())).toFloatMatrix();
        double[] losses = new double[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            losses[i] = loss(autoencoder.loss(), targets[i], y[i]);
        }
        return new Reconstructions(inputs, y, losses);
    }

    /**
     * The reconstructions of rows {@code x} (as the model takes them: scaled) in the data's own units, through the
     * scaler's inverse (none: as they are), beside the same rows {@code raw} as read; each with its reconstruction
     * error as {@link AnomalyScores#reconstructionErrors} (and so {@code score}) measures it, in the scaled units.
     */
    public static Reconstructions inDataUnits(Model model, Autoencoder ae, INDArray x, float[][] raw, Scaler scaler) {
        float[][] y = AnomalyScores.reconstruct(model, ae, x).toFloatMatrix();
        if (scaler != null) {
            for (float[] row : y) {
                scaler.invert(row, 0);
            }
        }
        return new Reconstructions(raw, y, AnomalyScores.reconstructionErrors(model, ae, x));
    }

    /** Keras's loss of one image: BCE with p clipped to [ε, 1 − ε], or the mean squared error. */
    static double loss(Loss loss, float[] target, float[] prediction) {
        double sum = 0;
        for (int j = 0; j < target.length; j++) {
            double y = target[j];
            if (loss == Loss.BINARY_CROSSENTROPY) {
                double p = Math.min(1 - Loss.EPSILON, Math.max(Loss.EPSILON, prediction[j]));
                sum -= y * Math.log(p + Loss.EPSILON) + (1 - y) * Math.log(1 - p + Loss.EPSILON);
            } else {
                sum += (prediction[j] - y) * (prediction[j] - y);
            }
        }
        return sum / target.length;
    }

    /** The loss the numbers under the images are: the model's own (binary cross-entropy for Fashion-MNIST). */
    public static String lossName(Model autoencoder) {
        return autoencoder.loss() == Loss.BINARY_CROSSENTROPY ? "BCE" : autoencoder.loss().id().toUpperCase(Locale.ROOT);
    }
}
