package ae4j.spec;

import ae4j.Rng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A network as the engines run it: its layers in order over one flat parameter vector, the loss and the metrics it
 * totals, and the optimizer. Each dense layer says where its W and b lie in the vector, whether it multiplies by Wᵀ
 * (a DenseTranspose, whose W belongs to an earlier layer) and whether its weight gradient is added to what a later
 * layer wrote first (tied W, in backward order); the other kinds have no parameters. Any layer but the last may
 * regularize its output. The output layer runs as {@code IDENTITY} when the loss fuses with its activation
 * ({@link #outputActivation}). Trainable parameters come first: the optimizer updates {@code [0, trainableCount)};
 * layers below {@link #firstBackwardLayer} need no backward pass.
 * <p>
 * {@code ae4j.train.Model} compiles one from its layers; {@link #sequential} builds one without ND4J.
 */
public record Plan(int inputSize, List<LayerPlan> layers, Loss loss, Activation outputActivation, List<Metric> metrics,
                   Optimizer optimizer, long parameterCount, long trainableCount, int firstBackwardLayer) {

    /** Keep in step with native/include/ae4j_plan.h. */
    static final int VERSION = 3;

    /**
     * One layer. DENSE: W [inputs, outputs] at {@code weightOffset}; DENSE_TRANSPOSE: x·Wᵀ with W [outputs, inputs]
     * (an earlier layer's); b [outputs] at {@code biasOffset}; {@code weightInit} draws a W the layer owns. The other
     * kinds have offsets −1, no initialiser and the identity activation; {@code rate} is their one setting (see
     * {@link LayerKind}), 0 for a dense layer. {@code regularizer}: of the layer's output.
     */
    public record LayerPlan(LayerKind kind, int inputs, int outputs, Activation activation, boolean accumulateW, long weightOffset,
                            long biasOffset, Init weightInit, double rate, ActivityRegularizer regularizer) {
        public static LayerPlan dense(int inputs, int outputs, Activation activation, boolean transposeW, long weightOffset,
                                      long biasOffset, Init weightInit, ActivityRegularizer regularizer) {
            return new LayerPlan(transposeW ? LayerKind.DENSE_TRANSPOSE : LayerKind.DENSE, inputs, outputs, activation, false, weightOffset,
                    biasOffset, weightInit, 0, regularizer);
        }

        /** A layer without parameters: GAUSSIAN_NOISE, DROPOUT, ACTIVITY_REGULARIZATION or SAMPLING. */
        public static LayerPlan withoutParameters(LayerKind kind, int inputs, int outputs, double rate, ActivityRegularizer regularizer) {
            if (kind.isDense()) {
                throw new IllegalArgumentException(kind + " has parameters");
            }
            return new LayerPlan(kind, inputs, outputs, Activation.IDENTITY, false, -1, -1, null, rate, regularizer);
        }

        /** Whether the layer multiplies by Wᵀ: a DenseTranspose, whose W belongs to an earlier layer. */
        public boolean transposeW() {
            return kind == LayerKind.DENSE_TRANSPOSE;
        }

        public boolean drawsNoise() {
            return kind.drawsNoise();
        }
    }

    public Plan {
        layers = List.copyOf(layers);
        metrics = List.copyOf(metrics);
    }

    /** Whether some layer draws noise: the model then has a noise seed. */
    public boolean isNoisy() {
        return layers.stream().anyMatch(LayerPlan::drawsNoise);
    }

    /**
     * Whether the loss has a term of a batch's mean (a KL regularizer) rather than only sums over its rows: such a
     * loss depends on how the rows are batched, and evaluation then goes by batches of the fit's size.
     */
    public boolean hasBatchTerms() {
        return layers.stream().anyMatch(l -> l.regularizer() instanceof ActivityRegularizer.KlDivergence);
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
        long[] v = new long[15 + 9 * layers.size()];
        v[0] = VERSION;
        v[1] = inputSize;
        v[2] = layers.size();
        v[3] = code(loss);
        v[4] = code(outputActivation);
        v[5] = slot(Metric.ROUNDED_ACCURACY);
        v[6] = slot(Metric.ACCURACY);
        v[7] = totals();
        v[8] = firstBackwardLayer;
        v[9] = parameterCount;
        v[10] = trainableCount;
        v[11] = optimizer.kind().code();
        v[12] = optimizer.hyperparameters().nesterov() ? 1 : 0;
        v[13] = optimizer.schedule().kind().code();
        v[14] = optimizer.schedule() instanceof LearningRateSchedule.ExponentialDecay d && d.staircase() ? 1 : 0;
        int i = 15;
        for (LayerPlan l : layers) {
            v[i++] = l.kind().code();
            v[i++] = l.inputs();
            v[i++] = l.outputs();
            v[i++] = code(l.activation());
            v[i++] = l.transposeW() ? 1 : 0;
            v[i++] = l.accumulateW() ? 1 : 0;
            v[i++] = l.weightOffset();
            v[i++] = l.biasOffset();
            v[i++] = code(l.regularizer());
        }
        return v;
    }

    /**
     * The real half: learning rate, momentum, beta1, beta2, epsilon, rho, the schedule's decay rate and decay steps
     * (0 without decay); then per layer its rate, the regularizer's weight (L1: its factor) and target.
     */
    public double[] reals() {
        double[] v = new double[8 + 3 * layers.size()];
        Optimizer.Hyperparameters h = optimizer.hyperparameters();
        LearningRateSchedule.ExponentialDecay decay = optimizer.schedule() instanceof LearningRateSchedule.ExponentialDecay d ? d : null;
        double[] header = {h.learningRate(), h.momentum(), h.beta1(), h.beta2(), h.epsilon(), h.rho(),
                decay == null ? 0 : decay.decayRate(), decay == null ? 0 : decay.decaySteps()};
        System.arraycopy(header, 0, v, 0, header.length);
        int i = header.length;
        for (LayerPlan l : layers) {
            v[i] = l.rate();
            if (l.regularizer() instanceof ActivityRegularizer.L1 r) {
                v[i + 1] = r.l1();
            } else if (l.regularizer() instanceof ActivityRegularizer.KlDivergence r) {
                v[i + 1] = r.weight();
                v[i + 2] = r.target();
            }
            i += 3;
        }
        return v;
    }

    /**
     * Fresh parameters as a model compiled with the same generator draws them: in order of the vector, each W it
     * owns from its initialiser, biases zero.
     */
    public double[] initialParameters(Rng rng) {
        List<LayerPlan> byOffset = new ArrayList<>(layers);
        byOffset.removeIf(l -> l.kind() != LayerKind.DENSE);
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
            return dense(units, activation, Init.GLOROT_UNIFORM, ActivityRegularizer.NONE);
        }

        /** Keras's Dense(units, activation, kernel_initializer, activity_regularizer). */
        public Builder dense(int units, Activation activation, Init weightInit, ActivityRegularizer regularizer) {
            long w = next;
            next += (long) width() * units;
            layers.add(LayerPlan.dense(width(), units, activation, false, w, next, weightInit, regularizer));
            next += units;
            return this;
        }

        /** Keras's GaussianNoise(stddev). */
        public Builder gaussianNoise(double stddev) {
            return withoutParameters(LayerKind.GAUSSIAN_NOISE, width(), stddev);
        }

        /** Keras's Dropout(rate). */
        public Builder dropout(double rate) {
            return withoutParameters(LayerKind.DROPOUT, width(), rate);
        }

        /** The variational autoencoder's sampling from [mean | log_var], half as wide as its input. */
        public Builder sampling(double latentLossWeight) {
            return withoutParameters(LayerKind.SAMPLING, width() / 2, latentLossWeight);
        }

        private Builder withoutParameters(LayerKind kind, int outputs, double rate) {
            layers.add(LayerPlan.withoutParameters(kind, width(), outputs, rate, ActivityRegularizer.NONE));
            return this;
        }

        /** The book's DenseTranspose of layer {@code tiedLayer} (an index into the layers so far). */
        public Builder denseTransposeOf(int tiedLayer, Activation activation) {
            LayerPlan tied = layers.get(tiedLayer);
            if (tied.transposeW() || tied.outputs() != width()) {
                throw new IllegalArgumentException("layer " + tiedLayer + " cannot be tied here");
            }
            layers.add(LayerPlan.dense(width(), tied.inputs(), activation, true, tied.weightOffset(), next, Init.GLOROT_UNIFORM,
                    ActivityRegularizer.NONE));
            next += tied.inputs();
            return this;
        }

        public Plan build(Loss loss, Optimizer optimizer, Metric... metrics) {
            return compile(inputSize, layers, loss, List.of(metrics), optimizer, next, next, 0);
        }
    }

    /**
     * A plan from layers as a model lays them out: fuses the output activation with the loss where Keras does,
     * and marks which users of a tied W add their gradient (all but the first one in backward order). The output
     * layer may not carry a regularizer (the loss's gradient there may be fused with its activation's).
     */
    public static Plan compile(int inputSize, List<LayerPlan> layers, Loss loss, List<Metric> metrics, Optimizer optimizer,
                               long parameterCount, long trainableCount, int firstBackwardLayer) {
        if (!(layers.get(layers.size() - 1).regularizer() instanceof ActivityRegularizer.None)) {
            throw new IllegalArgumentException("the output layer cannot carry an activity regularizer");
        }
        List<LayerPlan> run = new ArrayList<>(layers);
        List<Long> written = new ArrayList<>();
        for (int l = run.size() - 1; l >= 0; l--) {
            LayerPlan p = run.get(l);
            if (!p.kind().isDense()) {
                continue;
            }
            boolean accumulate = written.contains(p.weightOffset());
            written.add(p.weightOffset());
            Activation act = l == run.size() - 1 && loss.fusesWith(p.activation()) ? Activation.IDENTITY : p.activation();
            run.set(l, new LayerPlan(p.kind(), p.inputs(), p.outputs(), act, accumulate, p.weightOffset(), p.biasOffset(),
                    p.weightInit(), p.rate(), p.regularizer()));
        }
        Activation output = layers.get(layers.size() - 1).activation();
        return new Plan(inputSize, Collections.unmodifiableList(run), loss, output, metrics, optimizer, parameterCount,
                trainableCount, firstBackwardLayer);
    }

    /*
     * The integer codes of native/include/ae4j_kernels.h and ae4j_plan.h (PlanCodesTest reads the headers and holds
     * these to them): activations and losses in their enums' order, regularizers as REG_NONE, REG_L1, REG_KL.
     */

    public static int code(Activation a) {
        return a.ordinal();
    }

    public static int code(Loss l) {
        return l.ordinal();
    }

    public static int code(ActivityRegularizer r) {
        if (r instanceof ActivityRegularizer.L1) {
            return 1;
        }
        return r instanceof ActivityRegularizer.KlDivergence ? 2 : 0;
    }

    private int slot(Metric m) {
        return slot(metrics, m);
    }

    /** The index in the totals vector where the kernels add metric {@code m}, or -1 when it is not requested. */
    public static int slot(List<Metric> metrics, Metric m) {
        int k = metrics.indexOf(m);
        return k < 0 ? -1 : 1 + k;
    }
}
