package ae4j.experiments;

import static ae4j.spec.Activation.SELU;
import static ae4j.spec.Activation.SIGMOID;

import ae4j.data.FashionMnist;
import ae4j.nn.Dense;
import ae4j.nn.DenseTranspose;
import ae4j.nn.Sequential;
import ae4j.train.Engine;

/**
 * The book's autoencoder with tied weights: the decoder's layers are {@link DenseTranspose}s of the encoder's, so
 * the model has half the weights (82,414 parameters against 163,814). Trained like the stacked one.
 */
public final class TiedAutoencoder {
    private TiedAutoencoder() {
    }

    public static Autoencoder build() {
        Dense dense1 = new Dense(100, SELU);
        Dense dense2 = new Dense(30, SELU);
        Sequential tiedEncoder = Sequential.of(dense1, dense2);
        Sequential tiedDecoder = Sequential.of(
                new DenseTranspose(dense2, SELU),
                new DenseTranspose(dense1, SIGMOID));
        return new Autoencoder(tiedEncoder, tiedDecoder);
    }

    public static StackedAutoencoder.Result run(Engine engine, FashionMnist data, TrainRun run) {
        return StackedAutoencoder.train(engine, data, run, build(), "tied autoencoder 784-100-30-100-784 (DenseTranspose)");
    }
}
