package ae4j.spec;

/**
 * Keras's {@code activity_regularizer}: a term of a layer's output added to the loss, divided (as Keras does in
 * {@code Layer._handle_activity_regularization}) by the batch's rows, so that it is a mean like the loss it joins
 * (docs/reference.md).
 */
public sealed interface ActivityRegularizer {
    None NONE = new None();

    /** No regularizer. */
    record None() implements ActivityRegularizer {
    }

    /** {@code keras.regularizers.l1(l1)}: l1 · Σ|a|. */
    record L1(double l1) implements ActivityRegularizer {
        public L1 {
            if (!(l1 >= 0) || Double.isInfinite(l1)) {
                throw new IllegalArgumentException("the L1 factor must be finite and at least 0, not " + l1);
            }
        }
    }

    /**
     * The book's {@code KLDivergenceRegularizer(weight, target)} of a sigmoid layer: weight · Σ_units KL(target ‖ m)
     * + KL(1 − target ‖ 1 − m), m being each unit's mean activation over the batch, with Keras's
     * {@code kullback_leibler_divergence} (both sides clipped to [1e-7, 1]).
     */
    record KlDivergence(double weight, double target) implements ActivityRegularizer {
        public KlDivergence {
            if (!(weight >= 0) || Double.isInfinite(weight) || !(target > 0 && target < 1)) {
                throw new IllegalArgumentException("the KL regularizer needs a finite weight ≥ 0 and a target in (0, 1), not "
                        + weight + " and " + target);
            }
        }
    }
}
