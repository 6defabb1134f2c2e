package ae4j.experiments;

import static ae4j.spec.Activation.SELU;
import static ae4j.spec.Activation.SIGMOID;
import static ae4j.spec.Loss.BINARY_CROSSENTROPY;
import static ae4j.spec.Metric.ROUNDED_ACCURACY;

import ae4j.data.FashionMnist;
import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.spec.Optimizer.Sgd;
import ae4j.train.Engine;
import ae4j.train.Model;

/**
 * The book's stacked autoencoder on Fashion-MNIST: 784 → 100 → 30 → 100 → 784, SELU, sigmoid output, binary
 * cross-entropy, SGD with learning rate 1.5, batch 32, rounded accuracy as the metric. The tied autoencoder
 * trains the same way with other layers ({@link #train}).
 */
public final class StackedAutoencoder {
    public static final int EPOCHS = 10;
    public static final double LEARNING_RATE = 1.5;

    private StackedAutoencoder() {
    }

    /** A trained autoencoder: the fitted model and its encoder (images → 30-D codings) and decoder. */
    public record Result(Phase phase, Autoencoder autoencoder) {
    }

    public static Autoencoder build() {
        Sequential stackedEncoder = Sequential.of(
                new Dense(100, SELU),
                new Dense(30, SELU));
        Sequential stackedDecoder = Sequential.of(
                new Dense(100, SELU),
                new Dense(28 * 28, SIGMOID));
        return new Autoencoder(stackedEncoder, stackedDecoder);
    }

    public static Result run(Engine engine, FashionMnist data, TrainRun run) {
        return train(engine, data, run, build(), "stacked autoencoder 784-100-30-100-784");
    }

    /** The book's settings for a Fashion-MNIST autoencoder of any layers: BCE, SGD 1.5, rounded accuracy. */
    static Result train(Engine engine, FashionMnist data, TrainRun run, Autoencoder ae, String description) {
        return train(engine, data, run, ae, description, LEARNING_RATE);
    }

    /** As {@link #train(Engine, FashionMnist, TrainRun, Autoencoder, String)} with the book's SGD learning rate for the recipe. */
    static Result train(Engine engine, FashionMnist data, TrainRun run, Autoencoder ae, String description, double bookLearningRate) {
        Model model = engine.compile(ae.network(), FashionMnist.PIXELS, BINARY_CROSSENTROPY, new Sgd(run.learningRateOr(bookLearningRate)),
                ROUNDED_ACCURACY);
        Phase phase = run.fit(model, "model", "model", description, run.epochs(), run.batchSize(), data.train().images(),
                data.validation().images());
        return new Result(phase, ae);
    }
}
