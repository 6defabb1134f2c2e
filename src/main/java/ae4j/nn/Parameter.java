package ae4j.nn;

import ae4j.spec.Init;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One parameter tensor of a layer: its shape and initialiser, and the views of the model's flat vectors that hold
 * its value and its gradient. A model binds the views; binding again (a layer reused in a new model) moves the
 * values into the new model's vectors, which is how Keras shares a layer between models.
 */
public final class Parameter {
    private final String name;
    private final long[] shape;
    private final Init init;
    private INDArray value;
    private INDArray gradient;

    public Parameter(String name, Init init, long... shape) {
        this.name = name;
        this.init = init;
        this.shape = shape;
    }

    public String name() {
        return name;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long length() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public Init init() {
        return init;
    }

    /** The current value, or null before a model has bound this parameter. */
    public INDArray value() {
        return value;
    }

    public INDArray gradient() {
        return gradient;
    }

    public boolean isBound() {
        return value != null;
    }

    /** Points this parameter at new storage; the caller copies the old value across when there is one. */
    public void bind(INDArray value, INDArray gradient) {
        this.value = value;
        this.gradient = gradient;
    }
}
