package ae4j.nn;

import ae4j.engine.Plan;
import ae4j.train.Optimizer;
import java.util.List;

/** The integer codes of {@code native/include/ae4j_kernels.h} and {@code ae4j_plan.h}, shared by the CPU and CUDA code. */
public final class NativeCodes {
    private NativeCodes() {
    }

    public static int of(Activation a) {
        return switch (a) {
            case IDENTITY -> 0;
            case SELU -> 1;
            case SIGMOID -> 2;
            case RELU -> 3;
            case TANH -> 4;
            case SOFTMAX -> 5;
        };
    }

    public static int of(Loss l) {
        return switch (l) {
            case MSE -> 0;
            case BINARY_CROSSENTROPY -> 1;
            case CATEGORICAL_CROSSENTROPY -> 2;
        };
    }

    public static int of(Optimizer o) {
        if (o instanceof Optimizer.Sgd) {
            return 0;
        }
        if (o instanceof Optimizer.Adam) {
            return 1;
        }
        return o instanceof Optimizer.Nadam ? 2 : 3;
    }

    /** REG_NONE, REG_L1, REG_KL. */
    public static int of(ActivityRegularizer r) {
        if (r instanceof ActivityRegularizer.L1) {
            return 1;
        }
        return r instanceof ActivityRegularizer.KlDivergence ? 2 : 0;
    }

    /** The layer kinds of ae4j_plan.h, in the order of {@link Plan.Kind}. */
    public static int of(Plan.Kind kind) {
        return kind.ordinal();
    }

    /** The index in the totals vector where the kernels add metric {@code m}, or -1 when it is not requested. */
    public static int slot(List<Metric> metrics, Metric m) {
        int k = metrics.indexOf(m);
        return k < 0 ? -1 : 1 + k;
    }
}
