package ae4j.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a layer's forward or backward call is part of: whether the model trains (Gaussian noise and dropout are
 * active only then), the stream this layer draws its noise from in this pass ({@code ae4j.engine.Noise#key}), the
 * position of the first row (in the batch when training, in the data otherwise), the rows of the whole batch
 * (a mean over the batch divides by them), and the loss totals a layer adds its own loss term to (the variational
 * latent loss; null when predicting).
 */
public record Pass(boolean training, long noiseKey, long firstRow, int batchRows, INDArray totals) {
}
