package ae4j.nn;

import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.LayerKind;
import ae4j.spec.Plan;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What the layers without parameters share: sizes fixed at build, the identity activation, no W or b. Keras lets
 * them be frozen; the flag is kept (the model file records it) and changes nothing.
 */
abstract class LayerWithoutParameters implements Layer {
    private int inputs = -1;
    private boolean trainable = true;

    /** The output width for {@code inputs} inputs; throws when the layer cannot take them. */
    int outputsFor(int inputs) {
        return inputs;
    }

    /** The layer's one setting ({@link Plan.LayerPlan#rate()}). */
    abstract double rate();

    abstract LayerKind kind();

    ActivityRegularizer regularizer() {
        return ActivityRegularizer.NONE;
    }

    @Override
    public void build(int inputSize) {
        if (inputs == inputSize) {
            return;
        }
        if (inputs != -1) {
            throw new IllegalStateException(getClass().getSimpleName() + " was built for " + inputs + " inputs, not " + inputSize);
        }
        outputsFor(inputSize);
        inputs = inputSize;
    }

    @Override
    public int inputSize() {
        return inputs;
    }

    @Override
    public int outputSize() {
        return inputs < 0 ? -1 : outputsFor(inputs);
    }

    @Override
    public Activation activation() {
        return Activation.IDENTITY;
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
        return List.of();
    }

    @Override
    public Parameter weights() {
        return null;
    }

    @Override
    public Parameter bias() {
        return null;
    }

    @Override
    public LayerSpec describe(List<Layer> all) {
        return new LayerSpec(kind(), outputSize(), Activation.IDENTITY, null, -1, trainable, List.of(), rate(), regularizer());
    }

    @Override
    public Plan.LayerPlan compile(ToLongFunction<Parameter> offsets) {
        return Plan.LayerPlan.withoutParameters(kind(), inputs, outputSize(), rate(), regularizer());
    }
}
