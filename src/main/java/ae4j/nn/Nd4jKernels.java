package ae4j.nn;

import ae4j.spec.Activation;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.ELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SELU;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.NesterovsUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The kernels as ND4J operations: they run on every ND4J backend (CPU and CUDA) and are the reference the native
 * kernels are checked against. Each call issues several ND4J ops (10–30 µs of dispatch each, docs/reference.md); their
 * temporaries land in whatever workspace the caller has open. ND4J's updaters are used where their rule is Keras's
 * (Nesterov momentum, Adam); plain momentum and Nadam with Keras's momentum schedule have no ND4J updater and are
 * written with ND4J ops.
 */
public final class Nd4jKernels implements Kernels {
    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public void denseForward(INDArray out, INDArray x, INDArray w, boolean transposeW, INDArray b, Activation act) {
        Nd4j.gemm(x, w, out, false, transposeW, 1.0, 0.0);
        out.addiRowVector(b);
        activate(out, act);
    }

    @Override
    public void denseBackward(INDArray dx, INDArray dW, boolean accumulateW, INDArray db, INDArray dOut,
                              INDArray x, INDArray out, INDArray w, boolean transposeW, Activation act) {
        activationBackward(dOut, out, act);
        dOut.sum(db, 0);
        double beta = accumulateW ? 1.0 : 0.0;
        if (transposeW) {
            Nd4j.gemm(dOut, x, dW, true, false, 1.0, beta);
        } else {
            Nd4j.gemm(x, dOut, dW, true, false, 1.0, beta);
        }
        if (dx != null) {
            Nd4j.gemm(dOut, w, dx, false, !transposeW, 1.0, 0.0);
        }
    }

    static void activate(INDArray z, Activation act) {
        switch (act) {
            case IDENTITY -> {
            }
            case SELU -> Nd4j.getExecutioner().exec(new SELU(z, z));
            case SIGMOID -> Transforms.sigmoid(z, false);
            case RELU -> Transforms.relu(z, false);
            case TANH -> Transforms.tanh(z, false);
            case ELU -> Nd4j.exec(new ELU(z, z, Activation.ELU_ALPHA)); // libnd4j's elu: x ≥ 0 ? x : alpha·(e^x − 1), Keras's
            case SOFTMAX -> Nd4j.exec(new SoftMax(z, z, 1));
        }
    }

    /** d := d ⊙ act'(z), with act' written through the output a (see {@link Activation}). */
    static void activationBackward(INDArray d, INDArray a, Activation act) {
        switch (act) {
            case IDENTITY -> {
            }
            case SIGMOID -> d.muli(a).muli(a.rsub(1.0));
            case TANH -> d.muli(a.mul(a).rsubi(1.0));
            case RELU -> d.muli(Transforms.step(a, true));
            case SELU -> exponentialLinearBackward(d, a, Activation.SELU_SCALE, Activation.SELU_SCALE * Activation.SELU_ALPHA);
            case ELU -> exponentialLinearBackward(d, a, 1, Activation.ELU_ALPHA);
            case SOFTMAX -> {
                INDArray dot = d.mul(a).sum(true, 1);
                d.subiColumnVector(dot).muli(a);
            }
        }
    }

    /** d := d ⊙ (scale where a > 0, else a + scale·alpha): SELU's and ELU's derivative through their output. */
    private static void exponentialLinearBackward(INDArray d, INDArray a, double scale, double scaleAlpha) {
        INDArray positive = Transforms.step(a, true);
        INDArray slope = a.add(scaleAlpha).muli(positive.rsub(1.0));
        d.muli(slope.addi(positive.muli(scale)));
    }

    @Override
    public void lossAndGradient(Loss loss, Activation outputActivation, INDArray out, INDArray y, INDArray dOut,
                                List<Metric> metrics, INDArray totals) {
        long rows = out.rows();
        long features = out.columns();
        boolean fused = loss.fusesWith(outputActivation);
        INDArray lossSum; // Σ over the batch of each sample's loss
        switch (loss) {
            case MSE -> {
                INDArray diff = out.sub(y);
                lossSum = diff.mul(diff).sum().divi(features);
                if (dOut != null) {
                    dOut.assign(diff).muli(2.0 / (rows * features));
                }
            }
            case BINARY_CROSSENTROPY -> {
                if (fused) {
                    // max(z,0) − z·y + log(1 + exp(−|z|)): stable for any logit; gradient σ(z) − y
                    lossSum = Transforms.relu(out, true).subi(out.mul(y))
                            .addi(Transforms.log1p(Transforms.exp(Transforms.abs(out, true).negi(), false), false))
                            .sum().divi(features);
                    activate(out, Activation.SIGMOID);
                    if (dOut != null) {
                        dOut.assign(out).subi(y).muli(1.0 / (rows * features));
                    }
                } else {
                    INDArray p = clipped(out);
                    INDArray logP = Transforms.log(p.add(Loss.EPSILON), false);
                    INDArray log1mP = Transforms.log(p.rsub(1.0 + Loss.EPSILON), false);
                    lossSum = y.mul(logP).addi(y.rsub(1.0).muli(log1mP)).negi().sum().divi(features);
                    if (dOut != null) {
                        INDArray grad = y.div(p.add(Loss.EPSILON)).subi(y.rsub(1.0).divi(p.rsub(1.0 + Loss.EPSILON))).negi();
                        dOut.assign(grad.muli(insideClip(out))).muli(1.0 / (rows * features));
                    }
                }
            }
            case CATEGORICAL_CROSSENTROPY -> {
                if (fused) {
                    INDArray max = out.max(true, 1);
                    INDArray shifted = out.subColumnVector(max);
                    INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
                    INDArray logSoftmax = shifted.subiColumnVector(logSumExp);
                    lossSum = y.mul(logSoftmax).negi().sum(); // summed, not averaged, over the classes
                    activate(out, Activation.SOFTMAX);
                    if (dOut != null) {
                        dOut.assign(out.mulColumnVector(y.sum(true, 1)).subi(y)).muli(1.0 / rows);
                    }
                } else {
                    INDArray sum = out.sum(true, 1);
                    INDArray q = out.divColumnVector(sum);
                    INDArray qc = clipped(q);
                    lossSum = y.mul(Transforms.log(qc, true)).negi().sum();
                    if (dOut != null) {
                        INDArray g = y.div(qc).negi().muli(insideClip(q));
                        INDArray gq = g.mul(q).sum(true, 1);
                        dOut.assign(g.subiColumnVector(gq).diviColumnVector(sum)).muli(1.0 / rows);
                    }
                }
            }
            default -> throw new IllegalStateException(loss.toString());
        }
        addTo(totals, 0, lossSum);
        for (int k = 0; k < metrics.size(); k++) {
            addTo(totals, 1 + k, metricSum(metrics.get(k), out, y));
        }
    }

    private static INDArray clipped(INDArray p) {
        return Transforms.min(Transforms.max(p, Loss.EPSILON, true), 1 - Loss.EPSILON, false);
    }

    /** 1 where the clip passes the gradient (ε ≤ p ≤ 1 − ε), 0 elsewhere: the gradient of clip_by_value. */
    private static INDArray insideClip(INDArray p) {
        return p.gte(Loss.EPSILON).castTo(p.dataType()).muli(p.lte(1 - Loss.EPSILON).castTo(p.dataType()));
    }

    /** Σ over the batch of the per-sample metric. */
    private static INDArray metricSum(Metric metric, INDArray prediction, INDArray y) {
        return switch (metric) {
            case ROUNDED_ACCURACY -> Transforms.round(y, true).eq(Transforms.round(prediction, true))
                    .castTo(prediction.dataType()).sum().divi(prediction.columns());
            case ACCURACY -> Nd4j.argMax(prediction, 1).eq(Nd4j.argMax(y, 1)).castTo(prediction.dataType()).sum();
        };
    }

    private static void addTo(INDArray totals, int index, INDArray scalar) {
        totals.get(NDArrayIndex.point(index)).addi(scalar.castTo(DataType.DOUBLE));
    }

    @Override
    public void gatherRows(INDArray dst, INDArray src, int[] rows, int from) {
        int n = (int) dst.rows();
        int[] picked = new int[n];
        System.arraycopy(rows, from, picked, 0, n);
        Nd4j.pullRows(src, dst, 1, picked);
    }

    @Override
    public void sgdStep(INDArray params, INDArray grads, INDArray velocity, double lr, double momentum, boolean nesterov) {
        if (velocity == null) {
            params.subi(grads.muli(lr));
        } else if (nesterov) {
            NesterovsUpdater updater = new NesterovsUpdater(new Nesterovs(lr, momentum));
            updater.setStateViewArray(velocity, velocity.shape(), 'c', false);
            updater.applyUpdater(grads, 0, 0);
            params.subi(grads);
        } else {
            velocity.muli(momentum).subi(grads.muli(lr));
            params.addi(velocity);
        }
    }

    @Override
    public void adamStep(INDArray params, INDArray grads, INDArray state, double lr, double beta1, double beta2,
                         double epsilon, long t) {
        AdamUpdater updater = new AdamUpdater(new Adam(lr, beta1, beta2, epsilon));
        updater.setStateViewArray(state, grads.shape(), 'c', false);
        updater.applyUpdater(grads, (int) (t - 1), 0); // ND4J counts iterations from 0
        params.subi(grads);
    }

    @Override
    public void nadamStep(INDArray params, INDArray grads, INDArray state, double lr, double beta1, double beta2,
                          double epsilon, long t, double muT, double muNext, double scheduleT) {
        long n = params.length();
        INDArray m = state.get(NDArrayIndex.interval(0, n));
        INDArray v = state.get(NDArrayIndex.interval(n, 2 * n));
        m.muli(beta1).addi(grads.mul(1 - beta1));
        v.muli(beta2).addi(grads.mul(grads).muli(1 - beta2));
        INDArray mBar = grads.mul((1 - muT) / (1 - scheduleT)).addi(m.mul(muNext / (1 - scheduleT * muNext)));
        INDArray denominator = Transforms.sqrt(v.div(1 - Math.pow(beta2, t)), false).addi(epsilon);
        params.subi(mBar.divi(denominator).muli(lr));
    }
}
