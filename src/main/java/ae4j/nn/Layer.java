package ae4j.nn;

import ae4j.spec.Activation;
import ae4j.spec.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer: a forward/backward pair over buffers the caller owns (activations, deltas) and parameters the model
 * binds (views into its flat parameter and gradient vectors). Layers allocate nothing while training (the noise
 * layers' random numbers excepted, in the ND4J-op engine).
 */
public interface Layer {
    int inputSize();

    int outputSize();

    Activation activation();

    /** Whether training updates this layer's own parameters (Keras's {@code layer.trainable}); true by default. */
    boolean trainable();

    void setTrainable(boolean trainable);

    /** What this layer is, for a model file; {@code all} are the model's layers (a tied layer names its Dense's index). */
    LayerSpec describe(List<Layer> all);

    /** Fixes the input size; called by {@link Sequential#build}. */
    void build(int inputSize);

    /** The parameters this layer owns, in the order the model lays them out. */
    List<Parameter> parameters();

    /**
     * The W this layer multiplies by: its own (Dense) or another layer's, used transposed (DenseTranspose); null for
     * a layer without parameters.
     */
    Parameter weights();

    /** This layer's own bias b [outputs]; null for a layer without parameters. */
    Parameter bias();

    /** Every parameter the layer reads: W, then its own others. */
    default List<Parameter> usedParameters() {
        List<Parameter> used = new ArrayList<>();
        if (weights() != null) {
            used.add(weights());
        }
        for (Parameter p : parameters()) {
            if (p != weights()) {
                used.add(p);
            }
        }
        return used;
    }

    /** The layer as the engines run it, its parameters where {@code offsets} says they lie in the flat vector. */
    Plan.LayerPlan compile(ToLongFunction<Parameter> offsets);

    /** out[B,O] = activation(layer(x[B,I])); the model passes IDENTITY for an output layer fused with its loss. */
    void forward(Kernels kernels, INDArray x, INDArray out, Activation activation, Pass pass);

    /**
     * On entry dOut[B,O] = ∂L/∂out (overwritten); writes dx[B,I] unless null and this layer's gradients. The weight
     * gradient is added when {@code accumulateW} (a tied W's second user), stored otherwise.
     */
    void backward(Kernels kernels, INDArray dx, INDArray dOut, INDArray x, INDArray out, Activation activation, boolean accumulateW,
                  Pass pass);
}
