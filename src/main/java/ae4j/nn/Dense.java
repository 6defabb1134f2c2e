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
 * Keras's {@code Dense(units, activation, activity_regularizer)}: out = act(x·W + b), W [inputs, units]
 * (Glorot-uniform by default, the Keras default), b [units] zero. Its W may also be used, transposed, by a
 * {@link DenseTranspose}.
 */
public final class Dense implements Layer {
    private final int units;
    private final Activation activation;
    private final Init kernelInit;
    private final ActivityRegularizer regularizer;
    private int inputs = -1;
    private Parameter kernel;
    private Parameter bias;
    private boolean trainable = true;

    public Dense(int units, Activation activation) {
        this(units, activation, Init.GLOROT_UNIFORM);
    }

    public Dense(int units, Activation activation, Init kernelInit) {
        this(units, activation, kernelInit, ActivityRegularizer.NONE);
    }

    public Dense(int units, Activation activation, Init kernelInit, ActivityRegularizer regularizer) {
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive: " + units);
        }
        this.units = units;
        this.activation = activation;
        this.kernelInit = kernelInit;
        this.regularizer = regularizer;
    }

    @Override
    public void build(int inputSize) {
        if (inputs == inputSize) {
            return;
        }
        if (inputs != -1) {
            throw new IllegalStateException("Dense(" + units + ") was built for " + inputs + " inputs, not " + inputSize);
        }
        inputs = inputSize;
        kernel = new Parameter("W", kernelInit, inputs, units);
        bias = new Parameter("b", Init.ZEROS, units);
    }

    @Override
    public int inputSize() {
        return inputs;
    }

    @Override
    public int outputSize() {
        return units;
    }

    @Override
    public Activation activation() {
        return activation;
    }

    public Init kernelInit() {
        return kernelInit;
    }

    public ActivityRegularizer regularizer() {
        return regularizer;
    }

    /** W [inputs, units]; shared with any DenseTranspose tied to this layer. */
    public Parameter kernel() {
        return kernel;
    }

    @Override
    public Parameter weights() {
        return kernel;
    }

    @Override
    public Parameter bias() {
        return bias;
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
        return List.of(kernel, bias);
    }

    @Override
    public LayerSpec describe(List<Layer> all) {
        return new LayerSpec(LayerKind.DENSE, units, activation, kernelInit, -1, trainable, LayerSpec.of(parameters()), 0, regularizer);
    }

    @Override
    public Plan.LayerPlan compile(ToLongFunction<Parameter> offsets) {
        return Plan.LayerPlan.dense(inputs, units, activation, false, offsets.applyAsLong(kernel), offsets.applyAsLong(bias), kernelInit,
                regularizer);
    }

    @Override
    public void forward(Kernels kernels, INDArray x, INDArray out, Activation act, Pass pass) {
        kernels.denseForward(out, x, kernel.value(), false, bias.value(), act);
    }

    @Override
    public void backward(Kernels kernels, INDArray dx, INDArray dOut, INDArray x, INDArray out, Activation act, boolean accumulateW,
                         Pass pass) {
        kernels.denseBackward(dx, kernel.gradient(), accumulateW, bias.gradient(), dOut, x, out, kernel.value(), false, act);
    }
}
