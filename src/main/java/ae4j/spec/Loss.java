package ae4j.spec;

import java.util.Locale;

/**
 * Losses with Keras's semantics: the value is a mean over the batch, and for MSE and binary cross-entropy also over
 * the features (Keras averages over the last axis; DL4J's {@code LossBinaryXENT} sums over it, which is 784× larger
 * on Fashion-MNIST, docs/reference.md). Probabilities are clipped to [1e-7, 1 − 1e-7] as in Keras.
 * <p>
 * When the output layer's activation is the loss's natural link (sigmoid for BCE, softmax for CCE) the two are
 * fused and computed from the logits, as Keras does in {@code fit()} when it sees a Sigmoid/Softmax op: exact
 * gradients (σ(z) − y) and no clipping.
 */
public enum Loss {
    MSE, BINARY_CROSSENTROPY, CATEGORICAL_CROSSENTROPY;

    /** Keras's {@code epsilon()}. */
    public static final double EPSILON = 1e-7;

    public String id() {
        return switch (this) {
            case MSE -> "mse";
            case BINARY_CROSSENTROPY -> "binary_crossentropy";
            case CATEGORICAL_CROSSENTROPY -> "categorical_crossentropy";
        };
    }

    public static Loss fromId(String id) {
        for (Loss l : values()) {
            if (l.id().equals(id.toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss: " + id);
    }

    /** Whether this loss, after an output layer with {@code activation}, is computed from the logits. */
    public boolean fusesWith(Activation activation) {
        return (this == BINARY_CROSSENTROPY && activation == Activation.SIGMOID)
                || (this == CATEGORICAL_CROSSENTROPY && activation == Activation.SOFTMAX);
    }
}
