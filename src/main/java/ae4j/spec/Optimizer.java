package ae4j.spec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's optimizers, as settings: the engines apply them to the model's flat parameter vector. Each keeps its
 * slots (velocity; first and second moments) in one flat state vector, {@link #stateSlots()} × P long, which is
 * saved with the model. Each says which it is ({@link #kind()}: an enum, so that every switch over optimizers is
 * checked for completeness by the compiler) and gives its settings in the one layout every engine reads
 * ({@link #hyperparameters()}); its slots and its model-file form follow from those two, here. Its learning rate
 * may follow a {@link LearningRateSchedule} step by step, as a Keras optimizer's {@code learning_rate} may be a
 * schedule.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Adam, Optimizer.Nadam, Optimizer.Rmsprop {

    /** The optimizers, with their codes in native/include/ae4j_plan.h's {@code enum OptimizerKind}. */
    enum Kind {
        SGD, ADAM, NADAM, RMSPROP;

        /** The value of {@code OPT_<name>}. */
        public int code() {
            return ordinal();
        }
    }

    /** Every optimizer's settings in one layout; a setting an optimizer lacks is 0 (false). */
    record Hyperparameters(double learningRate, double momentum, boolean nesterov, double beta1, double beta2, double epsilon,
                           double rho) {
    }

    Kind kind();

    Hyperparameters hyperparameters();

    double learningRate();

    /** How the learning rate changes from step to step: {@link LearningRateSchedule#CONSTANT} unless given. */
    LearningRateSchedule schedule();

    /** This optimizer with its learning rate following {@code s}. */
    default Optimizer withSchedule(LearningRateSchedule s) {
        return switch (kind()) {
            case SGD -> {
                Sgd o = (Sgd) this;
                yield new Sgd(o.learningRate(), o.momentum(), o.nesterov(), s);
            }
            case ADAM -> {
                Adam o = (Adam) this;
                yield new Adam(o.learningRate(), o.beta1(), o.beta2(), o.epsilon(), s);
            }
            case NADAM -> {
                Nadam o = (Nadam) this;
                yield new Nadam(o.learningRate(), o.beta1(), o.beta2(), o.epsilon(), s);
            }
            case RMSPROP -> {
                Rmsprop o = (Rmsprop) this;
                yield new Rmsprop(o.learningRate(), o.rho(), o.epsilon(), s);
            }
        };
    }

    /** How many parameter-sized vectors of state the optimizer keeps. */
    default int stateSlots() {
        return switch (kind()) {
            case SGD -> hyperparameters().momentum() == 0 ? 0 : 1;
            case ADAM, NADAM -> 2;
            case RMSPROP -> 1;
        };
    }

    /**
     * The settings, for the model file and History: Keras's names, in Keras's order; "learning_rate_schedule" only
     * when the rate follows one (so files older than schedules describe the same optimizers).
     */
    default Map<String, Object> config() {
        Hyperparameters h = hyperparameters();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", kind().name().toLowerCase(Locale.ROOT));
        c.put("learning_rate", h.learningRate());
        switch (kind()) {
            case SGD -> {
                c.put("momentum", h.momentum());
                c.put("nesterov", h.nesterov());
            }
            case ADAM, NADAM -> {
                c.put("beta_1", h.beta1());
                c.put("beta_2", h.beta2());
                c.put("epsilon", h.epsilon());
            }
            case RMSPROP -> {
                c.put("rho", h.rho());
                c.put("epsilon", h.epsilon());
            }
        }
        if (schedule().config() != null) {
            c.put("learning_rate_schedule", schedule().config());
        }
        return c;
    }

    /** Keras {@code SGD(learning_rate, momentum=0, nesterov=False)}. */
    record Sgd(double learningRate, double momentum, boolean nesterov, LearningRateSchedule schedule) implements Optimizer {
        public Sgd(double learningRate, double momentum, boolean nesterov) {
            this(learningRate, momentum, nesterov, LearningRateSchedule.CONSTANT);
        }

        public Sgd(double learningRate) {
            this(learningRate, 0, false);
        }

        @Override
        public Kind kind() {
            return Kind.SGD;
        }

        @Override
        public Hyperparameters hyperparameters() {
            return new Hyperparameters(learningRate, momentum, nesterov, 0, 0, 0, 0);
        }
    }

    /** Keras {@code Adam}; Keras's defaults are lr 0.001, β1 0.9, β2 0.999, ε 1e-7. */
    record Adam(double learningRate, double beta1, double beta2, double epsilon, LearningRateSchedule schedule) implements Optimizer {
        public Adam(double learningRate, double beta1, double beta2, double epsilon) {
            this(learningRate, beta1, beta2, epsilon, LearningRateSchedule.CONSTANT);
        }

        public Adam(double learningRate) {
            this(learningRate, 0.9, 0.999, 1e-7);
        }

        @Override
        public Kind kind() {
            return Kind.ADAM;
        }

        @Override
        public Hyperparameters hyperparameters() {
            return new Hyperparameters(learningRate, 0, false, beta1, beta2, epsilon, 0);
        }
    }

    /** Keras {@code Nadam} with its momentum schedule; Keras's defaults are lr 0.001, β1 0.9, β2 0.999, ε 1e-7. */
    record Nadam(double learningRate, double beta1, double beta2, double epsilon, LearningRateSchedule schedule) implements Optimizer {
        public Nadam(double learningRate, double beta1, double beta2, double epsilon) {
            this(learningRate, beta1, beta2, epsilon, LearningRateSchedule.CONSTANT);
        }

        public Nadam(double learningRate) {
            this(learningRate, 0.9, 0.999, 1e-7);
        }

        @Override
        public Kind kind() {
            return Kind.NADAM;
        }

        @Override
        public Hyperparameters hyperparameters() {
            return new Hyperparameters(learningRate, 0, false, beta1, beta2, epsilon, 0);
        }

        /** μ_t = β1·(1 − 0.5·0.96^(0.004·t)), Keras's momentum cache (nadam_mu of native/include/ae4j_kernels.h is its C++ twin). */
        public double mu(long t) {
            return beta1 * (1 - 0.5 * Math.pow(0.96, 0.004 * t));
        }

        /**
         * The schedule Π_t = μ_1·…·μ_t (Π_0 = 1). A run carries it from step to step, Π_t = Π_{t−1}·μ_t, as Keras
         * does; this rebuilds it for a run resumed at step t by the same products in the same order, so to the same
         * bits.
         */
        public double schedule(long t) {
            double schedule = 1;
            for (long i = 1; i <= t; i++) {
                schedule *= mu(i);
            }
            return schedule;
        }
    }

    /**
     * Keras {@code RMSprop} without momentum, not centered (TF 2's {@code _resource_apply_dense}): rms = ρ·rms +
     * (1−ρ)·g², p −= lr·g / (√rms + ε), rms starting at zero. Keras's defaults are lr 0.001, ρ 0.9, ε 1e-7
     * (docs/reference.md).
     */
    record Rmsprop(double learningRate, double rho, double epsilon, LearningRateSchedule schedule) implements Optimizer {
        public Rmsprop(double learningRate, double rho, double epsilon) {
            this(learningRate, rho, epsilon, LearningRateSchedule.CONSTANT);
        }

        public Rmsprop() {
            this(0.001, 0.9, 1e-7);
        }

        @Override
        public Kind kind() {
            return Kind.RMSPROP;
        }

        @Override
        public Hyperparameters hyperparameters() {
            return new Hyperparameters(learningRate, 0, false, 0, 0, epsilon, rho);
        }
    }

    /** The optimizer a model file's {@link #config()} describes. */
    @SuppressWarnings("unchecked")
    public static Optimizer fromConfig(Map<String, Object> c) {
        double lr = ((Number) c.get("learning_rate")).doubleValue();
        Optimizer o = switch ((String) c.get("type")) {
            case "sgd" -> new Sgd(lr, ((Number) c.get("momentum")).doubleValue(), (Boolean) c.get("nesterov"));
            case "adam" -> new Adam(lr, num(c, "beta_1"), num(c, "beta_2"), num(c, "epsilon"));
            case "nadam" -> new Nadam(lr, num(c, "beta_1"), num(c, "beta_2"), num(c, "epsilon"));
            case "rmsprop" -> new Rmsprop(lr, num(c, "rho"), num(c, "epsilon"));
            default -> throw new IllegalArgumentException("unknown optimizer: " + c.get("type"));
        };
        return o.withSchedule(LearningRateSchedule.fromConfig((Map<String, Object>) c.get("learning_rate_schedule")));
    }

    private static double num(Map<String, Object> c, String key) {
        return ((Number) c.get(key)).doubleValue();
    }
}
