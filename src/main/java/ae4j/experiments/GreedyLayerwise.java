package ae4j.experiments;

import static ae4j.spec.Activation.SELU;
import static ae4j.spec.Activation.SIGMOID;
import static ae4j.spec.Loss.BINARY_CROSSENTROPY;
import static ae4j.spec.Loss.MSE;
import static ae4j.spec.Metric.ROUNDED_ACCURACY;

import ae4j.data.FashionMnist;
import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer.Sgd;
import ae4j.train.Engine;
import ae4j.train.Model;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The book's greedy layer-wise training: a shallow autoencoder 784-100-784 on the images (BCE, SGD 1.5), a second
 * one 100-30-100 on the first one's codings (SELU output, MSE, SGD 0.05), then the stacked network made of their
 * layers (enc1, enc2, dec2, dec1), optionally fine-tuned end to end (BCE, SGD 0.1).
 */
public final class GreedyLayerwise {
    public static final int EPOCHS = 10;
    public static final double PHASE1_LEARNING_RATE = 1.5;
    public static final double PHASE2_LEARNING_RATE = 0.05;
    public static final double FINE_TUNE_LEARNING_RATE = 0.1;

    private GreedyLayerwise() {
    }

    public record Result(List<Phase> phases, Autoencoder autoencoder) {
        /** The stacked network, fine-tuned when that phase ran. */
        public Phase last() {
            return phases.get(phases.size() - 1);
        }
    }

    /** The book's {@code train_autoencoder}: one hidden SELU layer, trained to reconstruct its input. */
    private record Shallow(Sequential encoder, Sequential decoder, Phase phase) {
    }

    private static Shallow trainAutoencoder(Engine engine, TrainRun run, String name, int neurons, INDArray xTrain, INDArray xValid,
                                            Loss loss, double learningRate, Activation outputActivation, Metric... metrics) {
        int inputs = (int) xTrain.columns();
        Sequential encoder = Sequential.of(new Dense(neurons, SELU));
        Sequential decoder = Sequential.of(new Dense(inputs, outputActivation));
        Model model = engine.compile(Sequential.of(encoder, decoder), inputs, loss, new Sgd(learningRate), metrics);
        String description = String.format("%s %d-%d-%d, %s output, %s, SGD %s", name, inputs, neurons, inputs,
                outputActivation.id(), loss.id(), learningRate);
        Phase phase = run.fit(model, name, name, description, run.epochs(), run.batchSize(), xTrain, xValid);
        return new Shallow(encoder, decoder, phase);
    }

    /** @param fineTuneEpochs 0 skips the fine-tuning phase */
    public static Result run(Engine engine, FashionMnist data, TrainRun run, int fineTuneEpochs) {
        INDArray xTrain = data.train().images();
        INDArray xValid = data.validation().images();
        List<Phase> phases = new ArrayList<>();

        Shallow ae1 = trainAutoencoder(engine, run, "phase1", 100, xTrain, xValid,
                BINARY_CROSSENTROPY, run.learningRateOr(PHASE1_LEARNING_RATE), SIGMOID, ROUNDED_ACCURACY);
        phases.add(ae1.phase());
        run.laterPhasesDependOn(ae1.phase());
        INDArray xTrainEnc1 = ae1.phase().model().predict(ae1.encoder(), xTrain);
        INDArray xValidEnc1 = ae1.phase().model().predict(ae1.encoder(), xValid);

        Shallow ae2 = trainAutoencoder(engine, run, "phase2", 30, xTrainEnc1, xValidEnc1,
                MSE, PHASE2_LEARNING_RATE, SELU);
        phases.add(ae2.phase());
        run.laterPhasesDependOn(ae2.phase());

        Autoencoder stackedAe1By1 = new Autoencoder(
                Sequential.of(ae1.encoder(), ae2.encoder()),
                Sequential.of(ae2.decoder(), ae1.decoder()));
        Model stacked = engine.compile(stackedAe1By1.network(), FashionMnist.PIXELS, BINARY_CROSSENTROPY, new Sgd(FINE_TUNE_LEARNING_RATE),
                ROUNDED_ACCURACY);
        if (fineTuneEpochs > 0) {
            phases.add(run.fit(stacked, "fine_tune", "model", "stacked 784-100-30-100-784 from the two phases, fine-tuned: BCE, SGD "
                    + FINE_TUNE_LEARNING_RATE, fineTuneEpochs, run.batchSize(), xTrain, xValid));
        } else {
            phases.add(run.save(stacked, "model", "model", "stacked 784-100-30-100-784 from the two phases, not fine-tuned"));
        }
        return new Result(phases, stackedAe1By1);
    }
}
