package ae4j.nn;

import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Init;
import ae4j.spec.LayerKind;
import ae4j.spec.Plan;
import java.util.List;
import java.util.function.ToLongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The book's {@code DenseTranspose(dense, activation)}: out = act(x·Wᵀ + b), where W is the kernel of another
 * {@link Dense} layer, used transposed in place (never copied), and b [dense.inputs] is this layer's own bias.
 * Its weight gradient is added into the tied layer's, so the tied autoencoder trains one W per pair.
 */
public final class DenseTranspose implements Layer {
    private final Dense tied;
    private final Activation activation;
    private Parameter bias;
    private boolean trainable = true;

    public DenseTranspose(Dense tied, Activation activation) {
        this.tied = tied;
        this.activation = activation;
    }

    public Dense tiedTo() {
        return tied;
    }

    @Override
    public void build(int inputSize) {
        if (tied.inputSize() < 0) {
            throw new IllegalStateException("DenseTranspose must come after the Dense layer it is tied to");
        }
        if (inputSize != tied.outputSize()) {
            throw new IllegalStateException("DenseTranspose of Dense(" + tied.outputSize() + ") takes " + tied.outputSize()
                    + " inputs, not " + inputSize);
        }
        if (bias == null) {
            bias = new Parameter("b", Init.ZEROS, tied.inputSize());
        }
    }

    @Override
    public Parameter weights() {
        return tied.kernel();
    }

    @Override
    public Parameter bias() {
        return bias;
    }

    @Override
    public int inputSize() {
        return tied.outputSize();
    }

    @Override
    public int outputSize() {
        return tied.inputSize();
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public boolean trainable() {
        return trainable;
    }

    @Override
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(bias);
    }

    @Override
    public LayerSpec describe(List<Layer> all) {
        return new LayerSpec(LayerKind.DENSE_TRANSPOSE, tied.inputSize(), activation, null, all.indexOf(tied), trainable,
                LayerSpec.of(parameters()), 0, ActivityRegularizer.NONE);
    }

    @Override
    public Plan.LayerPlan compile(ToLongFunction<Parameter> offsets) {
        return Plan.LayerPlan.dense(inputSize(), outputSize(), activation, true, offsets.applyAsLong(tied.kernel()),
                offsets.applyAsLong(bias), Init.GLOROT_UNIFORM, ActivityRegularizer.NONE);
    }

    @Override
    public void forward(Kernels kernels, INDArray x, INDArray out, Activation act, Pass pass) {
        kernels.denseForward(out, x, tied.kernel().value(), true, bias.value(), act);
    }

    @Override
    public void backward(Kernels kernels, INDArray dx, INDArray dOut, INDArray x, INDArray out, Activation act, boolean accumulateW,
                         Pass pass) {
        Parameter w = tied.kernel();
        kernels.denseBackward(dx, w.gradient(), accumulateW, bias.gradient(), dOut, x, out, w.value(), true, act);
    }
}
