package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.Rng;
import ae4j.nn.ActivityRegularization;
import ae4j.nn.Dense;
import ae4j.nn.DenseTranspose;
import ae4j.nn.Dropout;
import ae4j.nn.GaussianNoise;
import ae4j.nn.Sampling;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Init;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central-difference gradient checks in float64: every parameter's analytic gradient (one backward pass) against
 * (L(p + h) − L(p − h)) / 2h. Covers each activation, each loss (fused with its output activation and not), the
 * tied DenseTranspose (whose W gradient is the sum of two uses) and, through multi-layer networks, dx; and the
 * pieces beyond the stacked autoencoder — Gaussian noise, dropout, the L1 and KL activity regularizers, the
 * variational sampling with its latent loss — each with a layer on both sides, so that what it passes back is
 * checked too; on every engine (the native one in its float64 build, with one thread and with the rows split across
 * two, where the KL regularizer's batch means meet across the threads).
 */
class GradientCheckTest {
    static final double H = 1e-6;
    static final int ROWS = 7;

    /** Every engine, by name: every check runs on each. */
    static Stream<String> kernels() {
        return TestEngines.names();
    }

    static INDArray uniform(Rng rng, int rows, int cols, double lo, double hi) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) {
            for (int j = 0; j < cols; j++) {
                row[j] = lo + (hi - lo) * rng.nextDouble();
            }
        }
        return Nd4j.createFromArray(v);
    }

    static INDArray oneHot(Rng rng, int rows, int classes) {
        double[][] v = new double[rows][classes];
        for (double[] row : v) {
            row[rng.nextInt(classes)] = 1;
        }
        return Nd4j.createFromArray(v);
    }

    /** Checks every parameter; returns the worst relative error. */
    static double check(Model model, INDArray x, INDArray y) {
        model.lossAndGradients(x, y);
        INDArray analytic = model.gradients().dup();
        INDArray p = model.params();
        double worst = 0;
        for (long i = 0; i < p.length(); i++) {
            double original = p.getDouble(i);
            p.putScalar(i, original + H);
            double plus = model.evaluate(x, y).loss();
            p.putScalar(i, original - H);
            double minus = model.evaluate(x, y).loss();
            p.putScalar(i, original);
            double numeric = (plus - minus) / (2 * H);
            double a = analytic.getDouble(i);
            double error = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-7);
            assertTrue(error < 1e-5 || Math.abs(a - numeric) < 1e-9,
                    "parameter " + i + ": analytic " + a + " vs numeric " + numeric);
            worst = Math.max(worst, error);
        }
        return worst;
    }

    /**
     * As {@link #check}, with the loss of a training pass (the one {@code lossAndGradients} returns): the noise
     * layers active, their numbers the same at every call (keyed by the unchanged step count), so L is one smooth
     * function of the parameters.
     */
    static double checkTraining(Model model, INDArray x, INDArray y) {
        model.lossAndGradients(x, y);
        INDArray analytic = model.gradients().dup();
        INDArray p = model.params();
        double worst = 0;
        for (long i = 0; i < p.length(); i++) {
            double original = p.getDouble(i);
            p.putScalar(i, original + H);
            model.setParams(p.dup());
            double plus = model.lossAndGradients(x, y);
            p.putScalar(i, original - H);
            model.setParams(p.dup());
            double minus = model.lossAndGradients(x, y);
            p.putScalar(i, original);
            model.setParams(p.dup());
            double numeric = (plus - minus) / (2 * H);
            double a = analytic.getDouble(i);
            double error = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-7);
            assertTrue(error < 1e-5 || Math.abs(a - numeric) < 1e-9,
                    "parameter " + i + ": analytic " + a + " vs numeric " + numeric);
            worst = Math.max(worst, error);
        }
        return worst;
    }

    static Engine engine(String name) {
        return TestEngines.create(name, DataType.DOUBLE, 3);
    }

    static Stream<Arguments> kernelsAndActivations() {
        return kernels().flatMap(k -> Stream.of(Activation.values()).map(a -> Arguments.of(k, a)));
    }

    static Stream<Arguments> kernelsAndLosses() {
        return kernels().flatMap(k -> Stream.of(Loss.values()).map(l -> Arguments.of(k, l)));
    }

    static Stream<Arguments> kernelsAndCrossEntropies() {
        return kernels().flatMap(k -> Stream.of(Loss.BINARY_CROSSENTROPY, Loss.CATEGORICAL_CROSSENTROPY).map(l -> Arguments.of(k, l)));
    }

    static Stream<Arguments> kernelsAndReconstructionLosses() {
        return kernels().flatMap(k -> Stream.of(Loss.MSE, Loss.BINARY_CROSSENTROPY).map(l -> Arguments.of(k, l)));
    }

    @ParameterizedTest
    @MethodSource("kernelsAndActivations")
    void eachActivationThroughTwoLayers(String kernels, Activation hidden) {
        Engine engine = engine(kernels);
        Model model = engine.compile(Sequential.of(new Dense(6, hidden), new Dense(4, Activation.IDENTITY)), 5,
                Loss.MSE, new Optimizer.Sgd(0.1));
        Rng rng = new Rng(11);
        check(model, uniform(rng, ROWS, 5, -1.5, 1.5), uniform(rng, ROWS, 4, -1, 1));
    }

    @ParameterizedTest
    @MethodSource("kernelsAndActivations")
    void eachActivationAsTheOutput(String kernels, Activation output) {
        Engine engine = engine(kernels);
        Model model = engine.compile(Sequential.of(new Dense(6, Activation.TANH), new Dense(4, output)), 5,
                Loss.MSE, new Optimizer.Sgd(0.1));
        Rng rng = new Rng(12);
        check(model, uniform(rng, ROWS, 5, -1.5, 1.5), uniform(rng, ROWS, 4, 0, 1));
    }

    @ParameterizedTest
    @MethodSource("kernelsAndLosses")
    void eachLossFusedWithItsActivation(String kernels, Loss loss) {
        Activation output = switch (loss) {
            case MSE -> Activation.IDENTITY;
            case BINARY_CROSSENTROPY -> Activation.SIGMOID;
            case CATEGORICAL_CROSSENTROPY -> Activation.SOFTMAX;
        };
        assertEquals(loss != Loss.MSE, loss.fusesWith(output));
        Engine engine = engine(kernels);
        Model model = engine.compile(Sequential.of(new Dense(6, Activation.SELU), new Dense(4, output)), 5, loss, new Optimizer.Sgd(0.1));
        Rng rng = new Rng(13);
        INDArray y = loss == Loss.CATEGORICAL_CROSSENTROPY ? oneHot(rng, ROWS, 4) : uniform(rng, ROWS, 4, 0, 1);
        check(model, uniform(rng, ROWS, 5, -1, 1), y);
    }

    @ParameterizedTest
    @MethodSource("kernelsAndCrossEntropies")
    void crossEntropiesOnProbabilities(String kernels, Loss loss) {
        // softmax → BCE and sigmoid → CCE are not fused: the clipped, probability-based Keras formulas run
        Activation output = loss == Loss.BINARY_CROSSENTROPY ? Activation.SOFTMAX : Activation.SIGMOID;
        assertTrue(!loss.fusesWith(output));
        Engine engine = engine(kernels);
        Model model = engine.compile(Sequential.of(new Dense(6, Activation.TANH), new Dense(4, output)), 5, loss, new Optimizer.Sgd(0.1));
        Rng rng = new Rng(14);
        INDArray y = loss == Loss.CATEGORICAL_CROSSENTROPY ? oneHot(rng, ROWS, 4) : uniform(rng, ROWS, 4, 0, 1);
        check(model, uniform(rng, ROWS, 5, -1, 1), y);
    }

    @ParameterizedTest
    @MethodSource("kernelsAndReconstructionLosses")
    void tiedAutoencoderAccumulatesTheSharedWeights(String kernels, Loss loss) {
        Dense d1 = new Dense(5, Activation.SELU);
        Dense d2 = new Dense(3, Activation.SELU);
        Activation out = loss == Loss.MSE ? Activation.IDENTITY : Activation.SIGMOID;
        Sequential tied = Sequential.of(Sequential.of(d1, d2),
                Sequential.of(new DenseTranspose(d2, Activation.SELU), new DenseTranspose(d1, out)));
        Model model = engine(kernels).compile(tied, 8, loss, new Optimizer.Sgd(0.1));
        assertEquals(8 * 5 + 5 + 5 * 3 + 3 + 5 + 8, model.parameterCount(), "one W per tied pair, own biases");
        Rng rng = new Rng(15);
        INDArray x = uniform(rng, ROWS, 8, 0, 1);
        check(model, x, x);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void gaussianNoiseBetweenLayers(String kernels) {
        Model model = engine(kernels).compile(Sequential.of(new Dense(6, Activation.SELU), new GaussianNoise(0.3),
                new Dense(4, Activation.SIGMOID)), 5, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(0.1));
        Rng rng = new Rng(16);
        checkTraining(model, uniform(rng, ROWS, 5, -1, 1), uniform(rng, ROWS, 4, 0, 1));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void dropoutBetweenLayers(String kernels) {
        Model model = engine(kernels).compile(Sequential.of(new Dense(8, Activation.TANH), new Dropout(0.4),
                new Dense(4, Activation.SIGMOID)), 5, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(0.1));
        Rng rng = new Rng(17);
        checkTraining(model, uniform(rng, ROWS, 5, -1, 1), uniform(rng, ROWS, 4, 0, 1));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void l1ActivityRegularization(String kernels) {
        Model model = engine(kernels).compile(Sequential.of(new Dense(6, Activation.TANH), new ActivityRegularization(0.05),
                new Dense(4, Activation.SIGMOID)), 5, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(0.1));
        Rng rng = new Rng(18);
        check(model, uniform(rng, ROWS, 5, -1, 1), uniform(rng, ROWS, 4, 0, 1));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void klActivityRegularizationOfASigmoidLayer(String kernels) {
        Dense coding = new Dense(6, Activation.SIGMOID, Init.GLOROT_UNIFORM, new ActivityRegularizer.KlDivergence(0.5, 0.1));
        Model model = engine(kernels).compile(Sequential.of(new Dense(5, Activation.SELU), coding, new Dense(4, Activation.SIGMOID)), 5,
                Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(0.1));
        Rng rng = new Rng(19);
        // The whole set is one batch, for the regularizer's mean as for the loss.
        checkTraining(model, uniform(rng, ROWS, 5, -1, 1), uniform(rng, ROWS, 4, 0, 1));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void variationalSamplingWithItsLatentLoss(String kernels) {
        Sequential vae = Sequential.of(Sequential.of(new Dense(6, Activation.SELU), new Dense(2 * 3, Activation.IDENTITY,
                Init.GLOROT_UNIFORM_TWO_HEADS), new Sampling(0.5)), Sequential.of(new Dense(6, Activation.SELU), new Dense(5, Activation.SIGMOID)));
        Model model = engine(kernels).compile(vae, 5, Loss.BINARY_CROSSENTROPY, new Optimizer.Rmsprop());
        Rng rng = new Rng(20);
        INDArray x = uniform(rng, ROWS, 5, 0, 1);
        checkTraining(model, x, x);
    }
}
