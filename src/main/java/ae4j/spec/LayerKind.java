package ae4j.spec;

import java.util.Locale;

/**
 * Every kind of layer, named once: its name in model files ({@link #id()}), the name of its one setting there
 * ({@link #rateName()}), and its code in {@code native/include/ae4j_plan.h}'s {@code enum LayerKind}
 * ({@link #nativeName()}, {@link #code()}; a test reads the header and holds the two together). DENSE_TRANSPOSE
 * runs as the native DENSE layer with its transpose flag set: Dense and DenseTranspose share one kernel.
 * <p>
 * DENSE: out = activation(x·W + b). DENSE_TRANSPOSE: the book's DenseTranspose, x·Wᵀ + b with the W of an earlier
 * dense layer. GAUSSIAN_NOISE (stddev) and DROPOUT (rate): Keras's, active only while training.
 * ACTIVITY_REGULARIZATION: Keras's, the identity with a regularizer. SAMPLING: the variational autoencoder's, from
 * inputs [mean | log_var] (2·outputs wide) to mean + exp(log_var / 2)·ε in every phase, adding the latent loss
 * times its rate to the loss.
 */
public enum LayerKind {
    DENSE("LAYER_DENSE", 0, null),
    DENSE_TRANSPOSE("LAYER_DENSE", 0, null),
    GAUSSIAN_NOISE("LAYER_GAUSSIAN_NOISE", 1, "stddev"),
    DROPOUT("LAYER_DROPOUT", 2, "rate"),
    ACTIVITY_REGULARIZATION("LAYER_ACTIVITY", 3, null),
    SAMPLING("LAYER_SAMPLING", 4, "latent_loss_weight");

    private final String nativeName;
    private final int code;
    private final String rateName;

    LayerKind(String nativeName, int code, String rateName) {
        this.nativeName = nativeName;
        this.code = code;
        this.rateName = rateName;
    }

    /** The model file's name: "dense", "dense_transpose", "gaussian_noise", ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LayerKind fromId(String id) {
        for (LayerKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown layer kind '" + id + "'");
    }

    /** The constant of ae4j_plan.h's {@code enum LayerKind} this kind runs as. */
    public String nativeName() {
        return nativeName;
    }

    /** Its value there. */
    public int code() {
        return code;
    }

    /** The model file's name for the layer's one setting ({@link Plan.LayerPlan#rate()}), or null where it has none. */
    public String rateName() {
        return rateName;
    }

    /** Whether the layer multiplies by a W (its own, or a tied one) and adds a b. */
    public boolean isDense() {
        return this == DENSE || this == DENSE_TRANSPOSE;
    }

    /** Whether the layer draws random numbers (in training, or in every phase for SAMPLING). */
    public boolean drawsNoise() {
        return this == GAUSSIAN_NOISE || this == DROPOUT || this == SAMPLING;
    }
}
