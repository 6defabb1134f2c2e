package ae4j.nn;

import java.util.Arrays;
import java.util.List;

/**
 * What a layer is, as a model file records it: its kind, its size, activation and kernel initialiser, whether it
 * is trainable (init: null where the layer owns no kernel), the layer a DenseTranspose is tied to (an index into
 * the model's layers), the names and shapes of the parameters it owns, its one setting ({@code rate}: a Gaussian
 * noise's stddev, a dropout's rate, a sampling's latent loss weight; 0 for the others) and its activity
 * regularizer — enough to rebuild it ({@link #build}) and to check every saved parameter against the rebuilt one.
 */
public record LayerSpec(String kind, int units, Activation activation, Init init, int tiedTo, boolean trainable,
                        List<ParameterSpec> parameters, double rate, ActivityRegularizer regularizer) {
    public static final String DENSE = "dense";
    public static final String DENSE_TRANSPOSE = "dense_transpose";
    public static final String GAUSSIAN_NOISE = "gaussian_noise";
    public static final String DROPOUT = "dropout";
    public static final String ACTIVITY_REGULARIZATION = "activity_regularization";
    public static final String SAMPLING = "sampling";

    public record ParameterSpec(String name, long[] shape) {
        public String describe() {
            return name + " " + Arrays.toString(shape);
        }
    }

    public LayerSpec {
        parameters = List.copyOf(parameters);
    }

    /** The model file's name for {@link #rate} in a layer of this kind, or null where the kind has none. */
    public String rateName() {
        return rateName(kind);
    }

    public static String rateName(String kind) {
        return switch (kind) {
            case GAUSSIAN_NOISE -> "stddev";
            case DROPOUT -> "rate";
            case SAMPLING -> "latent_loss_weight";
            default -> null;
        };
    }

    /** The layer this describes, given the layers built before it (which a DenseTranspose ties to). */
    public Layer build(List<Layer> built) {
        Layer layer = switch (kind) {
            case DENSE -> new Dense(units, activation, init, regularizer);
            case DENSE_TRANSPOSE -> {
                if (tiedTo < 0 || tiedTo >= built.size() || !(built.get(tiedTo) instanceof Dense dense)) {
                    throw new IllegalArgumentException("a dense_transpose must be tied to an earlier dense layer, not layer " + tiedTo);
                }
                yield new DenseTranspose(dense, activation);
            }
            case GAUSSIAN_NOISE -> new GaussianNoise(rate);
            case DROPOUT -> new Dropout(rate);
            case ACTIVITY_REGULARIZATION -> {
                if (!(regularizer instanceof ActivityRegularizer.L1 l1)) {
                    throw new IllegalArgumentException("an activity_regularization layer needs an l1 regularizer");
                }
                yield new ActivityRegularization(l1.l1());
            }
            case SAMPLING -> new Sampling(rate);
            default -> throw new IllegalArgumentException("unknown layer kind '" + kind + "'");
        };
        layer.setTrainable(trainable);
        return layer;
    }

    static List<ParameterSpec> of(List<Parameter> owned) {
        return owned.stream().map(p -> new ParameterSpec(p.name(), p.shape())).toList();
    }
}
