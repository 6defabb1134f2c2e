package ae4j.experiments;

import static ae4j.spec.Activation.IDENTITY;
import static ae4j.spec.Activation.SELU;
import static ae4j.spec.Activation.SIGMOID;
import static ae4j.spec.Loss.BINARY_CROSSENTROPY;
import static ae4j.spec.Metric.ROUNDED_ACCURACY;

import ae4j.Rng;
import ae4j.data.FashionMnist;
import ae4j.data.ImageResize;
import ae4j.nn.Dense;
import ae4j.nn.Sampling;
import ae4j.nn.Sequential;
import ae4j.spec.Init;
import ae4j.spec.Optimizer;
import ae4j.train.Engine;
import ae4j.train.Model;
import java.util.Arrays;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The book's variational autoencoder: encoder 784 → 150 → 100 (SELU) → the codings' mean and log-variance (two
 * Dense(10) heads) → Sampling; decoder 10 → 100 → 150 (SELU) → 784 (sigmoid). Loss: BCE plus the latent loss
 * divided by 784 (the book's {@code add_loss(K.mean(latent_loss) / 784.)}); RMSprop with Keras's defaults, batch
 * 128, 25 epochs. As a generative model it decodes random codings into new images, and interpolates between them.
 */
public final class VariationalAutoencoder {
    public static final int CODINGS = 10;
    public static final int EPOCHS = 25;
    public static final int BATCH_SIZE = 128;
    public static final double LEARNING_RATE = 0.001;
    public static final double LATENT_LOSS_WEIGHT = 1.0 / 784;
    /** The book decodes 12 random codings, shown 4 to a row, then resizes them as a 3×4 grid to 5×7. */
    public static final int GENERATED = 12;
    public static final int GRID_ROWS = 3;
    public static final int GRID_COLS = 4;
    public static final int INTERPOLATED_ROWS = 5;
    public static final int INTERPOLATED_COLS = 7;

    private VariationalAutoencoder() {
    }

    public static Autoencoder build() {
        Sequential encoder = Sequential.of(new Dense(150, SELU), new Dense(100, SELU),
                new Dense(2 * CODINGS, IDENTITY, Init.GLOROT_UNIFORM_TWO_HEADS), new Sampling(LATENT_LOSS_WEIGHT));
        Sequential decoder = Sequential.of(new Dense(100, SELU), new Dense(150, SELU), new Dense(28 * 28, SIGMOID));
        return new Autoencoder(encoder, decoder);
    }

    public static StackedAutoencoder.Result run(Engine engine, FashionMnist data, TrainRun run) {
        Autoencoder ae = build();
        Model model = engine.compile(ae.network(), FashionMnist.PIXELS, BINARY_CROSSENTROPY,
                new Optimizer.Rmsprop(run.learningRateOr(LEARNING_RATE), 0.9, 1e-7), ROUNDED_ACCURACY);
        Phase phase = run.fit(model, "model", "model", "variational autoencoder 784-150-100-(10 mean, 10 log-variance)-10-100-150-784",
                run.epochs(), run.batchSize(), data.train().images(), data.validation().images());
        return new StackedAutoencoder.Result(phase, ae);
    }

    /** n codings drawn from the standard normal (the book's {@code tf.random.normal(shape=[12, codings_size])}), seeded. */
    public static float[][] randomCodings(int n, long seed) {
        Rng rng = new Rng(seed);
        float[][] codings = new float[n][CODINGS];
        for (float[] row : codings) {
            for (int j = 0; j < CODINGS; j++) {
                row[j] = (float) rng.nextGaussian();
            }
        }
        return codings;
    }

    /** The decoder's images of the codings. */
    public static float[][] decode(Model model, Autoencoder ae, float[][] codings) {
        return model.predict(ae.decoder(), Nd4j.createFromArray(codings).castTo(model.params().dataType())).toFloatMatrix();
    }

    /**
     * The book's semantic interpolation: the codings of a rows × cols grid (row-major) resized to newRows × newCols
     * as {@code tf.image.resize} does it by default (bilinear, half-pixel centers, no antialiasing), each coding
     * dimension a channel.
     */
    public static float[][] resizeBilinear(float[][] grid, int rows, int cols, int newRows, int newCols) {
        int depth = grid[0].length;
        float[] image = new float[rows * cols * depth];
        for (int i = 0; i < grid.length; i++) {
            System.arraycopy(grid[i], 0, image, i * depth, depth);
        }
        float[] resized = ImageResize.bilinear(image, rows, cols, depth, newRows, newCols);
        float[][] out = new float[newRows * newCols][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(resized, i * depth, (i + 1) * depth);
        }
        return out;
    }
}
