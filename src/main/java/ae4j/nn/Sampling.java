package ae4j.nn;

import ae4j.spec.Activation;
import ae4j.spec.LayerKind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The book's variational {@code Sampling} layer with its latent loss: from codings [mean | log_var] (2k wide: the
 * two heads side by side) to mean + exp(log_var / 2)·ε, ε standard normal, in every phase (the book's layer has no
 * training switch); and the latent loss −0.5·Σ_j (1 + log_var − exp(log_var) − mean²) of each row, times
 * {@code latentLossWeight}, added to the loss as its mean over the batch (the book adds it with weight 1/784).
 */
public final class Sampling extends LayerWithoutParameters {
    private final double latentLossWeight;

    public Sampling(double latentLossWeight) {
        if (!(latentLossWeight >= 0) || Double.isInfinite(latentLossWeight)) {
            throw new IllegalArgumentException("the latent loss weight must be finite and at least 0, not " + latentLossWeight);
        }
        this.latentLossWeight = latentLossWeight;
    }

    public double latentLossWeight() {
        return latentLossWeight;
    }

    @Override
    int outputsFor(int inputs) {
        if (inputs % 2 != 0) {
            throw new IllegalStateException("Sampling takes the mean and log-variance side by side: an even width, not " + inputs);
        }
        return inputs / 2;
    }

    @Override
    double rate() {
        return latentLossWeight;
    }

    @Override
    LayerKind kind() {
        return LayerKind.SAMPLING;
    }

    @Override
    public void forward(Kernels kernels, INDArray x, INDArray out, Activation act, Pass pass) {
        kernels.samplingForward(out, x, latentLossWeight, pass.noiseKey(), pass.firstRow(), pass.totals());
    }

    @Override
    public void backward(Kernels kernels, INDArray dx, INDArray dOut, INDArray x, INDArray out, Activation act, boolean accumulateW,
                         Pass pass) {
        if (dx != null) {
            kernels.samplingBackward(dx, dOut, x, latentLossWeight, pass.noiseKey(), pass.firstRow(), pass.batchRows());
        }
    }
}
