package ae4j.engine;

import ae4j.Rng;
import ae4j.nn.Activation;
import ae4j.nn.Init;
import ae4j.nn.Loss;
import ae4j.nn.Metric;
import ae4j.nn.NativeCodes;
import ae4j.train.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A network as the engines run it: its layers in order over one flat parameter vector, the loss and the metrics it
 * totals, and the optimizer. Each layer says where its W and b lie in the vector, whether it multiplies by Wᵀ
 * (a DenseTranspose, whose W belongs to an earlier layer) and whether its weight gradient is added to what a later
 * layer wrote first (tied W, in backward order). The output layer runs as {@code IDENTITY} when the loss fuses
 * with its activation ({@link #outputActivation}). Trainable parameters come first: the optimizer updates
 * {@code [0, trainableCount)}; layers below {@link #firstBackwardLayer} need no backward pass.
 * <p>
 * {@code ae4j.train.Model} compiles one from its layers; {@link #sequential} builds one without ND4J.
 */
public record Plan(int inputSize, List<LayerPlan> layers, Loss loss, Activation outputActivation, List<Metric> metrics,
                   Optimizer optimizer, long parameterCount, long trainableCount, int firstBackwardLayer) {

    /** Keep in step with native/include/ae4j_plan.h. */
    static final int VERSION = 1;

    public enum Kind { DENSE }

    /**
     * One layer: out = activation(x·W + b), W [inputs, outputs] at {@code weightOffset}, or x·Wᵀ with W [outputs,
     * inputs] when {@code transposeW}; b [outputs] at {@code biasOffset}; {@code weightInit} draws a W it owns.
     */
    public record LayerPlan(Kind kind, int inputs, int outputs, Activation activation, boolean transposeW, boolean accumulateW,
                            long weightOffset, long biasOffset, Init weightInit) {
    }

    public Plan {
        layers = List.copyOf(layers);
        metrics = List.copyOf(metrics);
    }

    public int outputSize() {
        return layers.get(layers.size() - 1).outputs();
    }

    /** Loss plus one total per metric. */
    public int totals() {
        return 1 + metrics.size();
    }

    /** Optimizer state, in parameter-sized vectors over the trainable parameters. */
    public long stateLength() {
        return optimizer.stateSlots() * trainableCount;
    }

    /** The integer half of the encoding native/include/ae4j_plan.h decodes. */
    public long[] ints() {
        long[] v = new long[13 + 8 * layers.size()];
        v[0] = VERSION;
        v[1] = inputSize;
        v[2] = layers.size();
        v[3] = NativeCodes.of(loss);
        v[4] = NativeCodes.of(outputActivation);
        v[5] = NativeCodes.slot(metrics, Metric.ROUNDED_ACCURACY);
        v[6] = NativeCodes.slot(metrics, Metric.ACCURACY);
        v[7] = totals();
        v[8] = firstBackwardLayer;
        v[9] = parameterCount;
        v[10] = trainableCount;
        v[11] = NativeCodes.of(optimizer);
        v[12] = optimizer instanceof Optimizer.Sgd sgd && sgd.nesterov() ? 1 : 0;
        int i = 13;
        for (LayerPlan l : layers) {
            v[i++] = l.kind().ordinal();
            v[i++] = l.inputs();
            v[i++] = l.outputs();
            v[i++] = NativeCodes.of(l.activation());
            v[i++] = l.transposeW() ? 1 : 0;
            v[i++] = l.accumulateW() ? 1 : 0;
            v[i++] = l.weightOffset();
            v[i++] = l.biasOffset();
        }
        return v;
    }

    /** The real half: learning rate, momentum, beta1, beta2, epsilon. */
    public double[] reals() {
        if (optimizer instanceof Optimizer.Sgd s) {
            return new double[]{s.learningRate(), s.momentum(), 0, 0, 0};
        }
        if (optimizer instanceof Optimizer.Adam a) {
            return new double[]{a.learningRate(), 0, a.beta1(), a.beta2(), a.epsilon()};
        }
        Optimizer.Nadam n = (Optimizer.Nadam) optimizer;
        return new double[]{n.learningRate(), 0, n.beta1(), n.beta2(), n.epsilon()};
    }

    /**
     * Fresh parameters as a model compiled with the same generator draws them: in order of the vector, each W it
     * owns from its initialiser, biases zero.
     */
    public double[] initialParameters(Rng rng) {
        List<LayerPlan> byOffset = new ArrayList<>(layers);
        byOffset.removeIf(LayerPlan::transposeW);
        byOffset.sort((a, b) -> Long.compare(a.weightOffset(), b.weightOffset()));
        double[] p = new double[Math.toIntExact(parameterCount)];
        for (LayerPlan l : byOffset) {
            double[] w = new double[l.inputs() * l.outputs()];
            l.weightInit().fill(w, l.inputs(), l.outputs(), rng);
            System.arraycopy(w, 0, p, (int) l.weightOffset(), w.length);
        }
        return p;
    }

    /** A plan built layer by layer, every parameter trainable, laid out in order of first use (W, then b). */
    public static Builder sequential(int inputSize) {
        return new Builder(inputSize);
    }

    public static final class Builder {
        private final int inputSize;
        private final List<LayerPlan> layers = new ArrayList<>();
        private long next;

        private Builder(int inputSize) {
            this.inputSize = inputSize;
        }

        private int width() {
            return layers.isEmpty() ? inputSize : layers.get(layers.size() - 1).outputs();
        }

        /** Keras's Dense(units, activation) with a Glorot-uniform kernel. */
        public Builder dense(int units, Activation activation) {
            long w = next;
            next += (long) width() * units;
            layers.add(new LayerPlan(Kind.DENSE, width(), units, activation, false, false, w, next, Init.GLOROT_UNIFORM));
            next += units;
            return this;
        }

        /** The book's DenseTranspose of layer {@code tiedLayer} (an index into the layers so far). */
        public Builder denseTransposeOf(int tiedLayer, Activation activation) {
            LayerPlan tied = layers.get(tiedLayer);
            if (tied.transposeW() || tied.outputs() != width()) {
                throw new IllegalArgumentException("layer " + tiedLayer + " cannot be tied here");
            }
            layers.add(new LayerPlan(Kind.DENSE, width(), tied.inputs(), activation, true, false, tied.weightOffset(), next,
                    Init.GLOROT_UNIFORM));
            next += tied.inputs();
            return this;
        }

        public Plan build(Loss loss, Optimizer optimizer, Metric... metrics) {
            return compile(inputSize, layers, loss, List.of(metrics), optimizer, next, next, 0);
        }
    }

    /**
     * A plan from layers as a model lays them out: fuses the output activation with the loss where Keras does,
     * and marks which users of a tied W add their gradient (all but the first one in backward order).
     */
    public static Plan compile(int inputSize, List<LayerPlan> layers, Loss loss, List<Metric> metrics, Optimizer optimizer,
                               long parameterCount, long trainableCount, int firstBackwardLayer) {
        List<LayerPlan> run = new ArrayList<>(layers);
        List<Long> written = new ArrayList<>();
        for (int l = run.size() - 1; l >= 0; l--) {
            LayerPlan p = run.get(l);
            boolean accumulate = written.contains(p.weightOffset());
            written.add(p.weightOffset());
            Activation act = l == run.size() - 1 && loss.fusesWith(p.activation()) ? Activation.IDENTITY : p.activation();
            run.set(l, new LayerPlan(p.kind(), p.inputs(), p.outputs(), act, p.transposeW(), accumulate, p.weightOffset(),
                    p.biasOffset(), p.weightInit()));
        }
        Activation output = layers.get(layers.size() - 1).activation();
        return new Plan(inputSize, Collections.unmodifiableList(run), loss, output, metrics, optimizer, parameterCount,
                trainableCount, firstBackwardLayer);
    }
}
