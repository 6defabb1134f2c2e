package ae4j.train;

import ae4j.Rng;
import ae4j.nn.ActivityRegularization;
import ae4j.nn.Dense;
import ae4j.nn.DenseTranspose;
import ae4j.nn.Dropout;
import ae4j.nn.GaussianNoise;
import ae4j.nn.Layer;
import ae4j.nn.Sampling;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Init;
import ae4j.spec.Optimizer;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small versions of the chapter's autoencoders and data for fast tests. */
final class TinyModels {
    static final int PIXELS = 64;

    private TinyModels() {
    }

    static Sequential stacked() {
        return Sequential.of(Sequential.of(new Dense(24, Activation.SELU), new Dense(8, Activation.SELU)),
                Sequential.of(new Dense(24, Activation.SELU), new Dense(PIXELS, Activation.SIGMOID)));
    }

    static Sequential tied() {
        Dense d1 = new Dense(24, Activation.SELU);
        Dense d2 = new Dense(8, Activation.SELU);
        return Sequential.of(Sequential.of(d1, d2),
                Sequential.of(new DenseTranspose(d2, Activation.SELU), new DenseTranspose(d1, Activation.SIGMOID)));
    }

    /** The chapter's later models in small: each noise layer, regularizer and the variational sampling, by name. */
    enum Later {
        GAUSSIAN_NOISE(() -> withEncoderFront(new GaussianNoise(0.2))),
        DROPOUT(() -> withEncoderFront(new Dropout(0.5))),
        L1(() -> Sequential.of(Sequential.of(new Dense(24, Activation.SELU), new Dense(30, Activation.SIGMOID), new ActivityRegularization(1e-3)),
                decoder())),
        KL(() -> Sequential.of(Sequential.of(new Dense(24, Activation.SELU), new Dense(30, Activation.SIGMOID, Init.GLOROT_UNIFORM,
                new ActivityRegularizer.KlDivergence(0.05, 0.1))), decoder())),
        VARIATIONAL(() -> Sequential.of(Sequential.of(new Dense(24, Activation.SELU), new Dense(2 * 4, Activation.IDENTITY,
                Init.GLOROT_UNIFORM_TWO_HEADS), new Sampling(1.0 / PIXELS)), decoder()));

        final Supplier<Sequential> network;

        Later(Supplier<Sequential> network) {
            this.network = network;
        }

        /** The book's optimizers: SGD 1.0, RMSprop for the variational autoencoder. */
        Optimizer optimizer() {
            return this == VARIATIONAL ? new Optimizer.Rmsprop() : new Optimizer.Sgd(1.0);
        }

        private static Sequential withEncoderFront(Layer noise) {
            return Sequential.of(Sequential.of(noise, new Dense(24, Activation.SELU), new Dense(8, Activation.SELU)), decoder());
        }

        private static Sequential decoder() {
            return Sequential.of(new Dense(24, Activation.SELU), new Dense(PIXELS, Activation.SIGMOID));
        }
    }

    /** Blurry blobs in [0, 1]: structured enough for an autoencoder to learn. */
    static INDArray images(int n, long seed) {
        Rng rng = new Rng(seed);
        float[][] x = new float[n][PIXELS];
        for (float[] row : x) {
            double cx = rng.nextDouble() * 8;
            double cy = rng.nextDouble() * 8;
            for (int p = 0; p < PIXELS; p++) {
                double d2 = Math.pow(p % 8 - cx, 2) + Math.pow(p / 8 - cy, 2);
                row[p] = (float) Math.exp(-d2 / 6);
            }
        }
        return Nd4j.createFromArray(x).castTo(DataType.FLOAT);
    }
}
