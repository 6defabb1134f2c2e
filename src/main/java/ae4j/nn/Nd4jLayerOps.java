package ae4j.nn;

import ae4j.engine.Noise;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Loss;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The noise layers, the activity regularizers and RMSprop as ND4J operations, on any backend: what
 * {@link Kernels}' default methods run (ae4j has no fused version of them for ND4J's CUDA backend). The random
 * numbers are {@link Noise}'s, made on the host and copied in, as the native engines draw them; the KL
 * regularizer's column means are read back to the host, where its terms are computed in double.
 */
final class Nd4jLayerOps {
    private Nd4jLayerOps() {
    }

    private static INDArray matrix(double[] values, long rows, long cols, DataType type) {
        return Nd4j.createFromArray(values).reshape('c', rows, cols).castTo(type);
    }

    static void gaussianNoise(INDArray out, INDArray x, double stddev, long noiseKey, long firstRow) {
        int rows = (int) x.rows();
        int n = (int) x.columns();
        INDArray noise = matrix(Noise.normals(noiseKey, firstRow, rows, n), rows, n, x.dataType());
        out.assign(noise.muli(stddev).addi(x));
    }

    static void dropout(INDArray out, INDArray in, double rate, long noiseKey, long firstRow) {
        int rows = (int) in.rows();
        int n = (int) in.columns();
        long threshold = Noise.dropoutThreshold(rate);
        double scale = 1 / (1 - rate);
        double[] mask = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                mask[r * n + j] = Noise.kept(noiseKey, firstRow + r, j, n, threshold) ? scale : 0;
            }
        }
        out.assign(matrix(mask, rows, n, in.dataType()).muli(in));
    }

    private static INDArray columns(INDArray x, long from, long to) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    static void samplingForward(INDArray out, INDArray x, double latentWeight, long noiseKey, long firstRow, INDArray totals) {
        int rows = (int) out.rows();
        int k = (int) out.columns();
        INDArray mean = columns(x, 0, k);
        INDArray logVar = columns(x, k, 2L * k);
        INDArray eps = matrix(Noise.normals(noiseKey, firstRow, rows, k), rows, k, x.dataType());
        out.assign(Transforms.exp(logVar.div(2), false).muli(eps).addi(mean));
        if (totals != null) {
            INDArray terms = logVar.add(1).subi(Transforms.exp(logVar, true)).subi(mean.mul(mean));
            totals.get(NDArrayIndex.point(0)).addi(terms.sum().castTo(DataType.DOUBLE).muli(-0.5 * latentWeight));
        }
    }

    static void samplingBackward(INDArray dx, INDArray dOut, INDArray x, double latentWeight, long noiseKey, long firstRow, int batchRows) {
        int rows = (int) dOut.rows();
        int k = (int) dOut.columns();
        INDArray mean = columns(x, 0, k);
        INDArray logVar = columns(x, k, 2L * k);
        INDArray eps = matrix(Noise.normals(noiseKey, firstRow, rows, k), rows, k, x.dataType());
        double w = latentWeight / batchRows;
        INDArray sd = Transforms.exp(logVar.div(2), false);
        columns(dx, 0, k).assign(mean.mul(w).addi(dOut));
        columns(dx, k, 2L * k).assign(dOut.mul(eps).muli(sd).divi(2).addi(sd.mul(sd).subi(1).muli(w / 2)));
    }

    /** Adds the batch's term (a's rows are the batch) to totals[0], as the batch's rows times its share of the mean loss. */
    static void activityLoss(ActivityRegularizer regularizer, INDArray a, INDArray totals) {
        double term;
        if (regularizer instanceof ActivityRegularizer.L1 l1) {
            term = l1.l1() * Transforms.abs(a, true).sumNumber().doubleValue();
        } else if (regularizer instanceof ActivityRegularizer.KlDivergence kl) {
            double t = clip(kl.target());
            double u = clip(1 - kl.target());
            term = 0;
            for (double m : a.mean(0).toDoubleVector()) {
                term += t * Math.log(t / clip(m)) + u * Math.log(u / clip(1 - m));
            }
            term *= kl.weight();
        } else {
            return;
        }
        totals.get(NDArrayIndex.point(0)).addi(term);
    }

    /** dA += ∂(batch loss)/∂a, a's rows being the whole batch. */
    static void activityGradient(ActivityRegularizer regularizer, INDArray a, INDArray dA) {
        long rows = a.rows();
        if (regularizer instanceof ActivityRegularizer.L1 l1) {
            dA.addi(Transforms.sign(a, true).muli(l1.l1() / rows));
        } else if (regularizer instanceof ActivityRegularizer.KlDivergence kl) {
            double[] m = a.mean(0).toDoubleVector();
            double[] coefficient = new double[m.length];
            double t = clip(kl.target());
            double u = clip(1 - kl.target());
            for (int j = 0; j < m.length; j++) {
                boolean insideP = m[j] >= Loss.EPSILON && m[j] <= 1;
                boolean insideQ = 1 - m[j] >= Loss.EPSILON && 1 - m[j] <= 1;
                double derivative = (insideP ? -t / clip(m[j]) : 0) + (insideQ ? u / clip(1 - m[j]) : 0);
                coefficient[j] = kl.weight() * derivative / ((double) rows * rows);
            }
            dA.addiRowVector(Nd4j.createFromArray(coefficient).castTo(dA.dataType()));
        }
    }

    /** Keras's kullback_leibler_divergence clips both sides to [ε, 1]. */
    private static double clip(double v) {
        return Math.min(1, Math.max(Loss.EPSILON, v));
    }

    static void rmspropStep(INDArray params, INDArray grads, INDArray rms, double lr, double rho, double epsilon) {
        rms.muli(rho).addi(grads.mul(grads).muli(1 - rho));
        params.subi(grads.mul(lr).divi(Transforms.sqrt(rms, true).addi(epsilon)));
    }
}
