package ae4j.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's learning-rate schedules ({@code tf.keras.optimizers.schedules}): an optimizer's learning rate as a function
 * of its step, the number of updates made before this one (Keras's {@code optimizer.iterations}, read before it
 * counts the update). It is part of the optimizer, as in Keras, and so of the plan: every engine computes a step's
 * rate itself from its own step counter (the CUDA engine on the GPU, inside its captured steps), from the plan's
 * codes ({@link Kind#code()}: native/include/ae4j_kernels.h's {@code enum ScheduleKind}). The rate it starts from is
 * the optimizer's learning rate, which a {@code ReduceLROnPlateau} may lower between epochs.
 */
public sealed interface LearningRateSchedule permits LearningRateSchedule.Constant, LearningRateSchedule.ExponentialDecay {
    /** The schedules, with their codes in ae4j_kernels.h's {@code enum ScheduleKind}. */
    enum Kind {
        CONSTANT, EXPONENTIAL_DECAY;

        /** The value of {@code SCHEDULE_<name>}. */
        public int code() {
            return ordinal();
        }
    }

    /** The learning rate as it is, at every step: Keras's plain float {@code learning_rate}. */
    Constant CONSTANT = new Constant();

    Kind kind();

    /**
     * The rate of the update after {@code step} updates, starting from {@code learningRate}. In float64, as the
     * engines compute it (native/include/ae4j_kernels.h's {@code scheduled_rate} is its C++ twin).
     */
    double rate(double learningRate, long step);

    /** The settings, for the model file: null for the constant rate (which files older than schedules imply). */
    Map<String, Object> config();

    record Constant() implements LearningRateSchedule {
        @Override
        public Kind kind() {
            return Kind.CONSTANT;
        }

        @Override
        public double rate(double learningRate, long step) {
            return learningRate;
        }

        @Override
        public Map<String, Object> config() {
            return null;
        }
    }

    /**
     * Keras's {@code ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase)}: the rate after
     * {@code step} updates is {@code initial_learning_rate · decay_rate ^ (step / decay_steps)}, the exponent floored
     * when {@code staircase} (the rate then drops every decay_steps updates). The initial learning rate is the
     * optimizer's.
     */
    record ExponentialDecay(double decayRate, long decaySteps, boolean staircase) implements LearningRateSchedule {
        public ExponentialDecay {
            if (!(decayRate > 0) || Double.isInfinite(decayRate)) {
                throw new IllegalArgumentException("the decay rate must be positive and finite, not " + decayRate);
            }
            if (decaySteps <= 0) {
                throw new IllegalArgumentException("the decay steps must be positive, not " + decaySteps);
            }
        }

        @Override
        public Kind kind() {
            return Kind.EXPONENTIAL_DECAY;
        }

        @Override
        public double rate(double learningRate, long step) {
            double exponent = (double) step / decaySteps;
            return learningRate * Math.pow(decayRate, staircase ? Math.floor(exponent) : exponent);
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("type", "exponential_decay");
            c.put("decay_rate", decayRate);
            c.put("decay_steps", decaySteps);
            c.put("staircase", staircase);
            return c;
        }
    }

    /** The schedule {@link #config()} describes: the constant rate for null. */
    static LearningRateSchedule fromConfig(Map<String, Object> c) {
        if (c == null) {
            return CONSTANT;
        }
        if (!"exponential_decay".equals(c.get("type"))) {
            throw new IllegalArgumentException("unknown learning-rate schedule: " + c.get("type"));
        }
        return new ExponentialDecay(((Number) c.get("decay_rate")).doubleValue(), ((Number) c.get("decay_steps")).longValue(),
                (Boolean) c.get("staircase"));
    }
}
