package ae4j.nn;

import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The compute kernels under every layer, loss and optimizer step: one call per layer per direction. Two
 * implementations exist, chosen with {@code --kernels}: {@link Nd4jKernels} (ND4J operations, any backend) and the
 * fused native kernels. They must agree; the tests hold both to the same gradient checks and History.
 * <p>
 * Shapes: B rows in the batch, I inputs and O outputs of a layer, D outputs of the model, P parameters. Every
 * array is c-order; callers allocate every output. Dense and DenseTranspose share {@link #denseForward} and
 * {@link #denseBackward}: the only differences are the transpose flag and who owns W.
 */
public interface Kernels {
    /** "nd4j" or "native". */
    String name();

    /**
     * out[B,O] = act(x[B,I] · W + b) with W [I,O]; with {@code transposeW}, out = act(x · Wᵀ + b) with W [O,I].
     */
    void denseForward(INDArray out, INDArray x, INDArray w, boolean transposeW, INDArray b, Activation act);

    /**
     * The backward of {@link #denseForward}. On entry dOut[B,O] = ∂L/∂out; it is overwritten with ∂L/∂z.
     * db[O] = Σ_rows ∂L/∂z. dW [I,O] gets xᵀ·∂L/∂z (with {@code transposeW}, dW [O,I] gets (∂L/∂z)ᵀ·x): added to
     * its contents when {@code accumulateW} (tied weights: the second user of W adds), stored otherwise.
     * dx[B,I] = ∂L/∂z · Wᵀ (∂L/∂z · W when transposed); skipped when dx is null (the first layer).
     */
    void denseBackward(INDArray dx, INDArray dW, boolean accumulateW, INDArray db, INDArray dOut,
                       INDArray x, INDArray out, INDArray w, boolean transposeW, Activation act);

    /**
     * The loss of one batch, its gradient, and the metrics. {@code out}[B,D] is the output layer's result: its
     * logits when {@code loss.fusesWith(outputActivation)}, which are then replaced by the activation (so out
     * always ends as the prediction). dOut[B,D] receives ∂L/∂out (∂L/∂logits when fused), L being the batch mean;
     * null for evaluation. {@code totals} (float64) accumulates, without a host round trip: [0] += Σ per-sample
     * loss, [1 + k] += Σ per-sample value of metrics[k].
     */
    void lossAndGradient(Loss loss, Activation outputActivation, INDArray out, INDArray target, INDArray dOut,
                         List<Metric> metrics, INDArray totals);

    /**
     * dst[i,:] = src[rows[from + i],:] for every row i of dst. Callers change {@code rows} only between epochs, and
     * each epoch's first call has {@code from == 0}, so a device implementation may upload it once per epoch.
     */
    void gatherRows(INDArray dst, INDArray src, int[] rows, int from);

    /** Keras SGD: without momentum p −= lr·g; with momentum v = m·v − lr·g, then p += v (Nesterov: p += m·v − lr·g). */
    void sgdStep(INDArray params, INDArray grads, INDArray velocity, double lr, double momentum, boolean nesterov);

    /**
     * Keras Adam at step t (1-based): m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², then
     * p −= lr·sqrt(1−β2^t)/(1−β1^t) · m / (sqrt(v) + ε). {@code state} is [m | v], 2P long.
     */
    void adamStep(INDArray params, INDArray grads, INDArray state, double lr, double beta1, double beta2, double epsilon, long t);

    /**
     * Keras Nadam at step t with its momentum schedule μ_t and Π_t = μ_1·…·μ_t ({@link ae4j.spec.Optimizer.Nadam}):
     * m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², m̄ = (1−μ_t)·g/(1−Π_t) + μ_{t+1}·m/(1−Π_t·μ_{t+1}),
     * p −= lr·m̄ / (sqrt(v/(1−β2^t)) + ε). {@code state} is [m | v], 2P long.
     */
    void nadamStep(INDArray params, INDArray grads, INDArray state, double lr, double beta1, double beta2, double epsilon,
                   long t, double muT, double muNext, double scheduleT);

    /** Keras RMSprop without momentum: rms = ρ·rms + (1−ρ)·g², p −= lr·g / (√rms + ε). {@code rms} is P long. */
    default void rmspropStep(INDArray params, INDArray grads, INDArray rms, double lr, double rho, double epsilon) {
        Nd4jLayerOps.rmspropStep(params, grads, rms, lr, rho, epsilon);
    }

    /**
     * out[B,n] = x + stddev·N(0, 1): the normals of rows firstRow.. of the stream {@code noiseKey}
     * ({@code ae4j.engine.Noise}), as every engine draws them. So are the noise layers' other kernels.
     */
    default void gaussianNoise(INDArray out, INDArray x, double stddev, long noiseKey, long firstRow) {
        Nd4jLayerOps.gaussianNoise(out, x, stddev, noiseKey, firstRow);
    }

    /** out[B,n] = in·[kept]/(1 − rate): a dropout's forward (in = x) and backward (in = ∂L/∂out) alike. */
    default void dropout(INDArray out, INDArray in, double rate, long noiseKey, long firstRow) {
        Nd4jLayerOps.dropout(out, in, rate, noiseKey, firstRow);
    }

    /**
     * Sampling: out[B,k] = mean + exp(log_var/2)·ε from x[B,2k] = [mean | log_var]; totals[0] (float64) +=
     * latentWeight · Σ_rows −0.5·Σ(1 + log_var − exp(log_var) − mean²) unless totals is null.
     */
    default void samplingForward(INDArray out, INDArray x, double latentWeight, long noiseKey, long firstRow, INDArray totals) {
        Nd4jLayerOps.samplingForward(out, x, latentWeight, noiseKey, firstRow, totals);
    }

    /** The backward of {@link #samplingForward}, its latent loss included (a mean over batchRows rows): dx[B,2k]. */
    default void samplingBackward(INDArray dx, INDArray dOut, INDArray x, double latentWeight, long noiseKey, long firstRow, int batchRows) {
        Nd4jLayerOps.samplingBackward(dx, dOut, x, latentWeight, noiseKey, firstRow, batchRows);
    }

    /**
     * An activity regularizer's term for the batch a[B,n] (its rows are the batch): totals[0] += B × the term it adds
     * to the batch's mean loss, which is how totals sum the loss over rows.
     */
    default void activityLoss(ActivityRegularizer regularizer, INDArray a, INDArray totals) {
        Nd4jLayerOps.activityLoss(regularizer, a, totals);
    }

    /** dA[B,n] += the gradient of {@link #activityLoss}'s term of the batch's mean loss. */
    default void activityGradient(ActivityRegularizer regularizer, INDArray a, INDArray dA) {
        Nd4jLayerOps.activityGradient(regularizer, a, dA);
    }
}
