package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ae4j.NativeKernelsBuilt;
import ae4j.Rng;
import ae4j.nn.Kernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each optimizer against Keras's update rule, written out here in plain doubles from Keras's (TF 2) sources:
 * six steps from the same parameters and random gradients must give the same parameters, for both kernel
 * implementations, in float64 and float32.
 */
class OptimizerTest {
    static final int P = 9;
    static final int STEPS = 6;


    interface KerasRule {
        /** Updates p in place at step t (1-based); slots is the rule's own state. */
        void apply(double[] p, double[] g, double[][] slots, int t);
    }

    static void compare(Optimizer optimizer, KerasRule keras) {
        for (Kernels k : NativeKernelsBuilt.cpuKernels()) {
            for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
                compare(optimizer, keras, k, type);
            }
        }
    }

    static void compare(Optimizer optimizer, KerasRule keras, Kernels k, DataType type) {
        Rng rng = new Rng(21);
        double[] p0 = new double[P];
        for (int i = 0; i < P; i++) {
            p0[i] = rng.nextGaussian();
        }
        double[][] gradients = new double[STEPS][P];
        for (double[] g : gradients) {
            for (int i = 0; i < P; i++) {
                g[i] = rng.nextGaussian();
            }
        }
        double[] expected = p0.clone();
        double[][] slots = new double[3][P];
        for (int t = 1; t <= STEPS; t++) {
            keras.apply(expected, gradients[t - 1], slots, t);
        }

        INDArray params = Nd4j.createFromArray(p0.clone()).castTo(type);
        INDArray state = Nd4j.zeros(params.dataType(), Math.max(1, optimizer.stateSlots() * P));
        Optimizer.Stepper stepper = optimizer.stepper();
        for (int t = 1; t <= STEPS; t++) {
            stepper.step(k, params, Nd4j.createFromArray(gradients[t - 1].clone()).castTo(type), state, t);
        }
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        assertArrayEquals(expected, params.toDoubleVector(), tolerance, optimizer + " with " + k.name() + " kernels in " + type);
    }

    @Test
    void sgd() {
        compare(new Optimizer.Sgd(0.3), (p, g, s, t) -> {
            for (int i = 0; i < P; i++) {
                p[i] -= 0.3 * g[i];
            }
        });
    }

    @Test
    void sgdWithMomentum() {
        compare(new Optimizer.Sgd(0.3, 0.9, false), (p, g, s, t) -> {
            for (int i = 0; i < P; i++) {
                s[0][i] = 0.9 * s[0][i] - 0.3 * g[i];
                p[i] += s[0][i];
            }
        });
    }

    @Test
    void sgdWithNesterovMomentum() {
        compare(new Optimizer.Sgd(0.3, 0.9, true), (p, g, s, t) -> {
            for (int i = 0; i < P; i++) {
                s[0][i] = 0.9 * s[0][i] - 0.3 * g[i];
                p[i] += 0.9 * s[0][i] - 0.3 * g[i];
            }
        });
    }

    @Test
    void adam() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        compare(new Optimizer.Adam(lr, b1, b2, eps), (p, g, s, t) -> {
            double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < P; i++) {
                s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
                s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
                p[i] -= lrT * s[0][i] / (Math.sqrt(s[1][i]) + eps);
            }
        });
    }

    @Test
    void nadamWithKerasMomentumSchedule() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        compare(new Optimizer.Nadam(lr, b1, b2, eps), (p, g, s, t) -> {
            double muT = b1 * (1 - 0.5 * Math.pow(0.96, 0.004 * t));
            double muT1 = b1 * (1 - 0.5 * Math.pow(0.96, 0.004 * (t + 1)));
            double mScheduleNew = 1; // Keras's m_cache after this step: Π μ_1..μ_t
            for (int i = 1; i <= t; i++) {
                mScheduleNew *= b1 * (1 - 0.5 * Math.pow(0.96, 0.004 * i));
            }
            double mScheduleNext = mScheduleNew * muT1;
            for (int i = 0; i < P; i++) {
                double gPrime = g[i] / (1 - mScheduleNew);
                s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
                double mPrime = s[0][i] / (1 - mScheduleNext);
                s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
                double vPrime = s[1][i] / (1 - Math.pow(b2, t));
                double mBar = (1 - muT) * gPrime + muT1 * mPrime;
                p[i] -= lr * mBar / (Math.sqrt(vPrime) + eps);
            }
        });
    }
}
