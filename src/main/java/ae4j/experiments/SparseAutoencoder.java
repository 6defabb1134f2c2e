package ae4j.experiments;

import static ae4j.spec.Activation.SELU;
import static ae4j.spec.Activation.SIGMOID;

import ae4j.data.FashionMnist;
import ae4j.nn.ActivityRegularization;
import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Init;
import ae4j.train.Engine;
import ae4j.train.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The book's sparse autoencoders and the model they are compared with: 784 → 100 (SELU) → a sigmoid coding layer
 * → 100 (SELU) → 784 (sigmoid), BCE, SGD 1.0, 10 epochs. The coding layer is 30 units without regularization, or
 * 300 units with an L1 activity regularizer (1e-3, Keras's ActivityRegularization after it) or the book's KL
 * divergence regularizer (weight 0.05, target 0.1), which push most codings towards 0.
 */
public final class SparseAutoencoder {
    public static final int EPOCHS = 10;
    public static final double LEARNING_RATE = 1.0;
    public static final double L1 = 1e-3;
    public static final double KL_WEIGHT = 0.05;
    public static final double KL_TARGET = 0.1;

    /** The coding layer. */
    public enum Sparsity {
        NONE(30, "30 sigmoid codings, no regularization"),
        L1(300, "300 sigmoid codings, L1 activity regularization " + SparseAutoencoder.L1),
        KL(300, "300 sigmoid codings, KL divergence regularization (weight " + KL_WEIGHT + ", target " + KL_TARGET + ")");

        public final int codings;
        public final String description;

        Sparsity(int codings, String description) {
            this.codings = codings;
            this.description = description;
        }
    }

    private SparseAutoencoder() {
    }

    public static Autoencoder build(Sparsity sparsity) {
        Sequential encoder = switch (sparsity) {
            case NONE -> Sequential.of(new Dense(100, SELU), new Dense(30, SIGMOID));
            case L1 -> Sequential.of(new Dense(100, SELU), new Dense(300, SIGMOID), new ActivityRegularization(L1));
            case KL -> Sequential.of(new Dense(100, SELU), new Dense(300, SIGMOID, Init.GLOROT_UNIFORM,
                    new ActivityRegularizer.KlDivergence(KL_WEIGHT, KL_TARGET)));
        };
        Sequential decoder = Sequential.of(new Dense(100, SELU), new Dense(28 * 28, SIGMOID));
        return new Autoencoder(encoder, decoder);
    }

    public static StackedAutoencoder.Result run(Engine engine, FashionMnist data, TrainRun run, Sparsity sparsity) {
        return StackedAutoencoder.train(engine, data, run, build(sparsity),
                "autoencoder 784-100-" + sparsity.codings + "-100-784, " + sparsity.description, LEARNING_RATE);
    }

    /** The book's {@code plot_activations_histogram}: the encoder's codings of {@code images}, as 10 bins over [0, 1]. */
    public static CodingActivity codingActivity(Model model, Autoencoder ae, INDArray images) {
        return CodingActivity.of(model.predict(ae.encoder(), images).toFloatMatrix());
    }
}
