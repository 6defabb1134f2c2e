package ae4j.spec;

import java.util.Locale;

/**
 * The activations of a layer, with Keras's definitions. Each elementwise one has a derivative that can be computed
 * from its output alone, so the layers keep only their outputs (no pre-activations): sigmoid' = a(1−a),
 * tanh' = 1−a², relu' = [a>0], selu' = scale for a>0 else a + scale·alpha, elu' = 1 for a>0 else a + alpha.
 * Softmax is row-wise. Codes follow the declaration order (ae4j_kernels.h's Act): new ones go last.
 */
public enum Activation {
    IDENTITY, SELU, SIGMOID, RELU, TANH, SOFTMAX, ELU;

    /** Keras's (and TensorFlow's) SELU constants. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;
    /** Keras's {@code elu} activation's default alpha: elu(x) = x for x > 0, else alpha·(e^x − 1). */
    public static final double ELU_ALPHA = 1.0;

    /** Lower-case name used in model files and on the command line ("identity", "selu", ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Activation fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** The activation of one value; softmax is not elementwise and has no scalar form. */
    public double apply(double z) {
        return switch (this) {
            case IDENTITY -> z;
            case SELU -> z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * (Math.exp(z) - 1);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            case RELU -> Math.max(z, 0);
            case TANH -> Math.tanh(z);
            case ELU -> z > 0 ? z : ELU_ALPHA * Math.expm1(z);
            case SOFTMAX -> throw new UnsupportedOperationException("softmax is row-wise");
        };
    }

    /** dA/dZ expressed through the output {@code a}; softmax has no scalar form. */
    public double derivativeFromOutput(double a) {
        return switch (this) {
            case IDENTITY -> 1;
            case SELU -> a > 0 ? SELU_SCALE : a + SELU_SCALE * SELU_ALPHA;
            case SIGMOID -> a * (1 - a);
            case RELU -> a > 0 ? 1 : 0;
            case TANH -> 1 - a * a;
            case ELU -> a > 0 ? 1 : a + ELU_ALPHA;
            case SOFTMAX -> throw new UnsupportedOperationException("softmax is row-wise");
        };
    }
}
