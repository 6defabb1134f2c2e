package ae4j.experiments;

import static ae4j.spec.Activation.SELU;
import static ae4j.spec.Activation.SIGMOID;

import ae4j.data.FashionMnist;
import ae4j.engine.Noise;
import ae4j.nn.Dense;
import ae4j.nn.Dropout;
import ae4j.nn.GaussianNoise;
import ae4j.nn.Layer;
import ae4j.nn.Sequential;
import ae4j.train.Engine;

/**
 * The book's denoising autoencoders: the stacked autoencoder's encoder with a noise layer in front — Gaussian
 * noise (stddev 0.2) or dropout (rate 0.5), active only while training — so that it learns to reconstruct clean
 * images from corrupted ones: 784 → noise → 100 → 30 → 100 → 784, SELU, sigmoid output, BCE, SGD 1.0, 10 epochs.
 */
public final class DenoisingAutoencoder {
    public static final int EPOCHS = 10;
    public static final double LEARNING_RATE = 1.0;
    public static final double STDDEV = 0.2;
    public static final double DROPOUT_RATE = 0.5;

    /** How the inputs are corrupted while training. */
    public enum Corruption {
        GAUSSIAN("Gaussian noise (stddev " + STDDEV + ")"),
        DROPOUT("dropout (rate " + DROPOUT_RATE + ")");

        public final String description;

        Corruption(String description) {
            this.description = description;
        }
    }

    private DenoisingAutoencoder() {
    }

    public static Autoencoder build(Corruption corruption) {
        Layer noise = corruption == Corruption.GAUSSIAN ? new GaussianNoise(STDDEV) : new Dropout(DROPOUT_RATE);
        Sequential encoder = Sequential.of(noise, new Dense(100, SELU), new Dense(30, SELU));
        Sequential decoder = Sequential.of(new Dense(100, SELU), new Dense(28 * 28, SIGMOID));
        return new Autoencoder(encoder, decoder);
    }

    public static StackedAutoencoder.Result run(Engine engine, FashionMnist data, TrainRun run, Corruption corruption) {
        return StackedAutoencoder.train(engine, data, run, build(corruption),
                "denoising autoencoder, " + corruption.description + " then 784-100-30-100-784", LEARNING_RATE);
    }

    /**
     * The first n rows of {@code images} corrupted as training corrupts them — the book's {@code noise(X_valid,
     * training=True)} — with the noise of {@code seed} ({@link Noise}'s generator, layer 0, prediction phase).
     */
    public static float[][] corrupted(float[][] images, Corruption corruption, long seed) {
        long key = Noise.key(seed, 0, Noise.PREDICT, 0);
        long threshold = Noise.dropoutThreshold(DROPOUT_RATE);
        float[][] out = new float[images.length][];
        for (int r = 0; r < images.length; r++) {
            int n = images[r].length;
            out[r] = new float[n];
            for (int j = 0; j < n; j++) {
                out[r][j] = (float) (corruption == Corruption.GAUSSIAN
                        ? images[r][j] + STDDEV * Noise.normal(key, r, j, n)
                        : Noise.kept(key, r, j, n, threshold) ? images[r][j] / (1 - DROPOUT_RATE) : 0);
            }
        }
        return out;
    }
}
