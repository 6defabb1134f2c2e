package ae4j.nn;

import ae4j.spec.Activation;
import ae4j.spec.LayerKind;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code GaussianNoise(stddev)}: while training out = x + N(0, stddev²) element by element; else the identity. */
public final class GaussianNoise extends LayerWithoutParameters {
    private final double stddev;

    public GaussianNoise(double stddev) {
        if (!(stddev >= 0) || Double.isInfinite(stddev)) {
            throw new IllegalArgumentException("the noise's standard deviation must be finite and at least 0, not " + stddev);
        }
        this.stddev = stddev;
    }

    public double stddev() {
        return stddev;
    }

    @Override
    double rate() {
        return stddev;
    }

    @Override
    LayerKind kind() {
        return LayerKind.GAUSSIAN_NOISE;
    }

    @Override
    public void forward(Kernels kernels, INDArray x, INDArray out, Activation act, Pass pass) {
        if (pass.training()) {
            kernels.gaussianNoise(out, x, stddev, pass.noiseKey(), pass.firstRow());
        } else {
            out.assign(x);
        }
    }

    @Override
    public void backward(Kernels kernels, INDArray dx, INDArray dOut, INDArray x, INDArray out, Activation act, boolean accumulateW,
                         Pass pass) {
        if (dx != null) {
            dx.assign(dOut);
        }
    }
}
