package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ae4j.Rng;
import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.LearningRateSchedule;
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
 * Each optimizer against Keras's update rule, written out here in plain doubles from Keras's (TF 2) sources: six
 * training steps of a small network, each on the whole (one-batch) dataset, must move the parameters as the rule
 * does when fed the gradient the engine reports at each step's starting point — on every engine, in float64 and
 * float32. With an ExponentialDecay schedule, the rule's rate at step t is Keras's
 * {@code initial_learning_rate · decay_rate ^ ((t − 1) / decay_steps)} (the exponent floored with staircase),
 * t − 1 being the updates made before.
 */
class OptimizerTest {
    static final int STEPS = 6;
    static final int ROWS = 5;

    interface KerasRule {
        /** Updates p in place at step t (1-based); slots is the rule's own state. */
        void apply(double[] p, double[] g, double[][] slots, int t);
    }

    static Stream<Arguments> optimizers() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        KerasRule sgd = (p, g, s, t) -> {
            for (int i = 0; i < p.length; i++) {
                p[i] -= 0.3 * g[i];
            }
        };
        KerasRule momentum = (p, g, s, t) -> {
            for (int i = 0; i < p.length; i++) {
                s[0][i] = 0.9 * s[0][i] - 0.3 * g[i];
                p[i] += s[0][i];
            }
        };
        KerasRule nesterov = (p, g, s, t) -> {
            for (int i = 0; i < p.length; i++) {
                s[0][i] = 0.9 * s[0][i] - 0.3 * g[i];
                p[i] += 0.9 * s[0][i] - 0.3 * g[i];
            }
        };
        KerasRule adam = (p, g, s, t) -> {
            double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < p.length; i++) {
                s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
                s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
                p[i] -= lrT * s[0][i] / (Math.sqrt(s[1][i]) + eps);
            }
        };
        KerasRule nadam = (p, g, s, t) -> {
            double muT = b1 * (1 - 0.5 * Math.pow(0.96, 0.004 * t));
            double muT1 = b1 * (1 - 0.5 * Math.pow(0.96, 0.004 * (t + 1)));
            double mScheduleNew = 1; // Keras's m_cache after this step: Π μ_1..μ_t
            for (int i = 1; i <= t; i++) {
                mScheduleNew *= b1 * (1 - 0.5 * Math.pow(0.96, 0.004 * i));
            }
            double mScheduleNext = mScheduleNew * muT1;
            for (int i = 0; i < p.length; i++) {
                double gPrime = g[i] / (1 - mScheduleNew);
                s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
                double mPrime = s[0][i] / (1 - mScheduleNext);
                s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
                double vPrime = s[1][i] / (1 - Math.pow(b2, t));
                double mBar = (1 - muT) * gPrime + muT1 * mPrime;
                p[i] -= lr * mBar / (Math.sqrt(vPrime) + eps);
            }
        };
        // TF 2's RMSprop._resource_apply_dense without momentum: ε outside the square root, rms starting at zero
        KerasRule rmsprop = (p, g, s, t) -> {
            for (int i = 0; i < p.length; i++) {
                s[0][i] = 0.9 * s[0][i] + 0.1 * g[i] * g[i];
                p[i] -= lr * g[i] / (Math.sqrt(s[0][i]) + eps);
            }
        };
        // ExponentialDecay(0.3, decay_steps=2, decay_rate=0.5): smoothly, and in a staircase (halved at steps 3 and 5)
        KerasRule decayingSgd = (p, g, s, t) -> {
            double rate = 0.3 * Math.pow(0.5, (t - 1) / 2.0);
            for (int i = 0; i < p.length; i++) {
                p[i] -= rate * g[i];
            }
        };
        KerasRule staircaseSgd = (p, g, s, t) -> {
            double rate = 0.3 * Math.pow(0.5, Math.floor((t - 1) / 2.0));
            for (int i = 0; i < p.length; i++) {
                p[i] -= rate * g[i];
            }
        };
        // Adam's lr_t from the decayed rate: ExponentialDecay(0.01, decay_steps=3, decay_rate=0.1)
        KerasRule decayingAdam = (p, g, s, t) -> {
            double lrT = lr * Math.pow(0.1, (t - 1) / 3.0) * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < p.length; i++) {
                s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
                s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
                p[i] -= lrT * s[0][i] / (Math.sqrt(s[1][i]) + eps);
            }
        };
        return TestEngines.names().flatMap(e -> Stream.of(DataType.DOUBLE, DataType.FLOAT).flatMap(type -> Stream.of(
                Arguments.of(e, type, new Optimizer.Rmsprop(lr, 0.9, eps), rmsprop),
                Arguments.of(e, type, new Optimizer.Sgd(0.3), sgd),
                Arguments.of(e, type, new Optimizer.Sgd(0.3, 0.9, false), momentum),
                Arguments.of(e, type, new Optimizer.Sgd(0.3, 0.9, true), nesterov),
                Arguments.of(e, type, new Optimizer.Adam(lr, b1, b2, eps), adam),
                Arguments.of(e, type, new Optimizer.Nadam(lr, b1, b2, eps), nadam),
                Arguments.of(e, type, new Optimizer.Sgd(0.3).withSchedule(new LearningRateSchedule.ExponentialDecay(0.5, 2, false)), decayingSgd),
                Arguments.of(e, type, new Optimizer.Sgd(0.3).withSchedule(new LearningRateSchedule.ExponentialDecay(0.5, 2, true)), staircaseSgd),
                Arguments.of(e, type, new Optimizer.Adam(lr, b1, b2, eps).withSchedule(new LearningRateSchedule.ExponentialDecay(0.1, 3, false)),
                        decayingAdam))));
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void followsKerasRule(String engine, DataType type, Optimizer optimizer, KerasRule keras) {
        Model model = TestEngines.create(engine, type, 21).compile(Sequential.of(new Dense(4, Activation.TANH), new Dense(3, Activation.IDENTITY)),
                3, Loss.MSE, optimizer);
        Rng rng = new Rng(22);
        double[][] x = new double[ROWS][3];
        double[][] y = new double[ROWS][3];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < 3; j++) {
                x[r][j] = rng.nextGaussian();
                y[r][j] = rng.nextGaussian();
            }
        }
        INDArray xs = Nd4j.createFromArray(x).castTo(type);
        INDArray ys = Nd4j.createFromArray(y).castTo(type);
        double[] expected = model.params().toDoubleVector();
        double[][] slots = new double[2][expected.length];
        for (int t = 1; t <= STEPS; t++) {
            model.lossAndGradients(xs, ys);
            keras.apply(expected, model.gradients().toDoubleVector(), slots, t);
            model.fit(xs, ys, t, ROWS, null, null);
            double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
            assertArrayEquals(expected, model.params().toDoubleVector(), tolerance, optimizer + " on " + engine + " in " + type + ", step " + t);
        }
    }
}
