package ae4j.experiments;

import static ae4j.nn.Activation.SELU;
import static ae4j.nn.Activation.SIGMOID;
import static ae4j.nn.Loss.BINARY_CROSSENTROPY;
import static ae4j.nn.Metric.ROUNDED_ACCURACY;

import ae4j.data.FashionMnist;
import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.train.Engine;
import ae4j.train.History;
import ae4j.train.Model;
import ae4j.train.Optimizer.Sgd;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The book's stacked autoencoder on Fashion-MNIST: 784 → 100 → 30 → 100 → 784, SELU, sigmoid output, binary
 * cross-entropy, SGD with learning rate 1.5, batch 32, rounded accuracy as the metric.
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
        Autoencoder stackedAe = build();
        Model model = engine.compile(stackedAe.network(), 28 * 28, BINARY_CROSSENTROPY, new Sgd(run.learningRateOr(LEARNING_RATE)), ROUNDED_ACCURACY);

        INDArray xTrain = data.train().images();
        INDArray xValid = data.validation().images();
        History history = run.fit(model, "model", run.epochs(), xTrain, xTrain, xValid, xValid, Map.of("encoder_parts", 1));
        return new Result(new Phase("model", "stacked autoencoder 784-100-30-100-784", model, history), stackedAe);
    }
}
