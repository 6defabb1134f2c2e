package ae4j.nn;

import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Init;
import ae4j.spec.LayerKind;
import java.util.Arrays;
import java.util.List;

/**
 * What a layer is, as a model file records it: its kind, its size, activation and kernel initialiser, whether it
 * is trainable (init: null where the layer owns no kernel), the layer a DenseTranspose is tied to (an index into
 * the model's layers), the names and shapes of the parameters it owns, its one setting ({@code rate}: a Gaussian
 * noise's stddev, a dropout's rate, a sampling's latent loss weight; 0 for the others) and its activity
 * regularizer — enough to rebuild it ({@link #build}) and to check every saved parameter against the rebuilt one.
 */
public record LayerSpec(LayerKind kind, int units, Activation activation, Init init, int tiedTo, boolean trainable,
                        List<ParameterSpec> parameters, double rate, ActivityRegularizer regularizer) {
    public record ParameterSpec(String name, long[] shape) {
        public String describe() {
            return name + " " + Arrays.toString(shape);
        }
    }

    public LayerSpec {
        parameters = List.copyOf(parameters);
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
        };
        layer.setTrainable(trainable);
        return layer;
    }

    static List<ParameterSpec> of(List<Parameter> owned) {
        return owned.stream().map(p -> new ParameterSpec(p.name(), p.shape())).toList();
    }
}
