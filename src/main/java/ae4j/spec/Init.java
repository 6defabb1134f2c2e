package ae4j.spec;

import ae4j.Rng;

/**
 * Weight initialisers with Keras's definitions. {@code GLOROT_UNIFORM} is Keras's default for Dense kernels
 * (DL4J's {@code XAVIER} is Gaussian, not this); {@code LECUN_NORMAL} is Keras's truncated normal recommended for
 * SELU networks.
 */
public enum Init {
    /** U(−l, l) with l = sqrt(6 / (fanIn + fanOut)). */
    GLOROT_UNIFORM,
    /**
     * Two Glorot-uniform kernels side by side, each [fanIn, fanOut/2] with its own limit sqrt(6 / (fanIn + fanOut/2)):
     * the variational encoder's mean and log-variance heads, two Keras Dense(k) on one input, as one Dense(2k). The
     * first head is drawn whole, then the second.
     */
    GLOROT_UNIFORM_TWO_HEADS,
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
            case GLOROT_UNIFORM_TWO_HEADS -> {
                if (fanOut % 2 != 0) {
                    throw new IllegalArgumentException("two heads need an even width, not " + fanOut);
                }
                int head = fanOut / 2;
                double limit = Math.sqrt(6.0 / (fanIn + head));
                for (int h = 0; h < 2; h++) {
                    for (int i = 0; i < fanIn; i++) {
                        for (int j = 0; j < head; j++) {
                            values[i * fanOut + h * head + j] = (2 * rng.nextDouble() - 1) * limit;
                        }
                    }
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
