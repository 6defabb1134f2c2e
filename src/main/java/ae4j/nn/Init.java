package ae4j.nn;

import ae4j.Rng;

/**
 * Weight initialisers with Keras's definitions. {@code GLOROT_UNIFORM} is Keras's default for Dense kernels
 * (DL4J's {@code XAVIER} is Gaussian, not this); {@code LECUN_NORMAL} is Keras's truncated normal recommended for
 * SELU networks.
 */
public enum Init {
    /** U(−l, l) with l = sqrt(6 / (fanIn + fanOut)). */
    GLOROT_UNIFORM,
    /** Normal(0, sqrt(1/fanIn) / 0.8796...) truncated at two standard deviations, as Keras's {@code lecun_normal}. */
    LECUN_NORMAL,
    ZEROS;

    /** Keras's correction so that the truncated normal keeps the intended standard deviation. */
    private static final double TRUNCATED_NORMAL_STD = 0.87962566103423978;

    /** Fills {@code values} (a row-major [fanIn, fanOut] kernel) from {@code rng}. */
    public void fill(double[] values, int fanIn, int fanOut, Rng rng) {
        switch (this) {
            case GLOROT_UNIFORM -> {
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < values.length; i++) {
                    values[i] = (2 * rng.nextDouble() - 1) * limit;
                }
            }
            case LECUN_NORMAL -> {
                double std = Math.sqrt(1.0 / fanIn) / TRUNCATED_NORMAL_STD;
                for (int i = 0; i < values.length; i++) {
                    double g;
                    do {
                        g = rng.nextGaussian();
                    } while (Math.abs(g) > 2);
                    values[i] = g * std;
                }
            }
            case ZEROS -> java.util.Arrays.fill(values, 0);
        }
    }
}
