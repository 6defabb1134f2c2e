package ae4j.experiments;

import static ae4j.nn.Activation.SELU;
import static ae4j.nn.Activation.SIGMOID;
import static ae4j.nn.Loss.BINARY_CROSSENTROPY;
import static ae4j.nn.Metric.ROUNDED_ACCURACY;

import ae4j.data.FashionMnist;
import ae4j.nn.Dense;
import ae4j.nn.DenseTranspose;
import ae4j.nn.Sequential;
import ae4j.train.Engine;
import ae4j.train.History;
import ae4j.train.Model;
import ae4j.train.Optimizer.Sgd;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The book's autoencoder with tied weights: the decoder's layers are {@link DenseTranspose}s of the encoder's, so
 * the model has half the weights (82,414 parameters against 163,814). Same settings as the stacked one.
 */
public final class TiedAutoencoder {
    public static final int EPOCHS = 10;
    public static final double LEARNING_RATE = 1.5;

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
        Autoencoder tiedAe = build();
        Model model = engine.compile(tiedAe.network(), 28 * 28, BINARY_CROSSENTROPY, new Sgd(run.learningRateOr(LEARNING_RATE)), ROUNDED_ACCURACY);

        INDArray xTrain = data.train().images();
        INDArray xValid = data.validation().images();
        History history = run.fit(model, "model", run.epochs(), xTrain, xTrain, xValid, xValid, Map.of("encoder_parts", 1));
        return new StackedAutoencoder.Result(new Phase("model", "tied autoencoder 784-100-30-100-784 (DenseTranspose)", model, history), tiedAe);
    }
}
