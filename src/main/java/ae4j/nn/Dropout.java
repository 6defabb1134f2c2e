package ae4j.nn;

import ae4j.spec.Activation;
import ae4j.spec.LayerKind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code Dropout(rate)}: while training each element is kept with probability 1 − rate and scaled by
 * 1/(1 − rate) (TensorFlow's {@code nn.dropout}: kept where a uniform in [0, 1) is ≥ rate), else zeroed; the
 * identity otherwise.
 */
public final class Dropout extends LayerWithoutParameters {
    private final double rate;

    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("the dropout rate must be in [0, 1), not " + rate);
        }
        this.rate = rate;
    }

    @Override
    double rate() {
        return rate;
    }

    @Override
    LayerKind kind() {
        return LayerKind.DROPOUT;
    }

    @Override
    public void forward(Kernels kernels, INDArray x, INDArray out, Activation act, Pass pass) {
        if (pass.training()) {
            kernels.dropout(out, x, rate, pass.noiseKey(), pass.firstRow());
        } else {
            out.assign(x);
        }
    }

    /** Only while training: the same mask as the forward pass. */
    @Override
    public void backward(Kernels kernels, INDArray dx, INDArray dOut, INDArray x, INDArray out, Activation act, boolean accumulateW,
                         Pass pass) {
        if (dx != null) {
            kernels.dropout(dx, dOut, rate, pass.noiseKey(), pass.firstRow());
        }
    }
}
