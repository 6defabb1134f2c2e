package ae4j.nn;

import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.LayerKind;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code ActivityRegularization(l1)}: the identity, with an L1 activity regularizer of its output. */
public final class ActivityRegularization extends LayerWithoutParameters {
    private final ActivityRegularizer.L1 regularizer;

    public ActivityRegularization(double l1) {
        this.regularizer = new ActivityRegularizer.L1(l1);
    }

    @Override
    double rate() {
        return 0;
    }

    @Override
    LayerKind kind() {
        return LayerKind.ACTIVITY_REGULARIZATION;
    }

    @Override
    ActivityRegularizer regularizer() {
        return regularizer;
    }

    @Override
    public void forward(Kernels kernels, INDArray x, INDArray out, Activation act, Pass pass) {
        out.assign(x);
    }

    /** The regularizer's gradient is already in dOut (the engine adds it): pass it on. */
    @Override
    public void backward(Kernels kernels, INDArray dx, INDArray dOut, INDArray x, INDArray out, Activation act, boolean accumulateW,
                         Pass pass) {
        if (dx != null) {
            dx.assign(dOut);
        }
    }
}
