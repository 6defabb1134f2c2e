package ae4j.nn;

import java.util.Arrays;
import java.util.List;

/**
 * What a layer is, as a model file records it: its kind, its size, activation and kernel initialiser, whether it
 * is trainable (init: null where the layer owns no kernel), the layer a DenseTranspose is tied to (an index into the model's layers), and the names and shapes
 * of the parameters it owns — enough to rebuild it ({@link #build}) and to check every saved parameter against
 * the rebuilt one.
 */
public record LayerSpec(String kind, int units, Activation activation, Init init, int tiedTo, boolean trainable,
                        List<ParameterSpec> parameters) {
    public static final String DENSE = "dense";
    public static final String DENSE_TRANSPOSE = "dense_transpose";

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
            case DENSE -> new Dense(units, activation, init);
            case DENSE_TRANSPOSE -> {
                if (tiedTo < 0 || tiedTo >= built.size() || !(built.get(tiedTo) instanceof Dense dense)) {
                    throw new IllegalArgumentException("a dense_transpose must be tied to an earlier dense layer, not layer " + tiedTo);
                }
                yield new DenseTranspose(dense, activation);
            }
            default -> throw new IllegalArgumentException("unknown layer kind '" + kind + "'");
        };
        layer.setTrainable(trainable);
        return layer;
    }

    static List<ParameterSpec> of(List<Parameter> owned) {
        return owned.stream().map(p -> new ParameterSpec(p.name(), p.shape())).toList();
    }
}
