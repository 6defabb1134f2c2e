package ae4j.train;

import ae4j.nn.Kernels;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's optimizers over the model's flat parameter vector. Each keeps its slots (velocity; first and second
 * moments) in one flat state vector, {@link #stateSlots()} × P long, which is saved with the model; the arithmetic
 * is the kernels' ({@link Kernels#sgdStep} and friends), so the native kernels fuse it.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Adam, Optimizer.Nadam {

    /** How many parameter-sized vectors of state the optimizer keeps. */
    int stateSlots();

    double learningRate();

    /** A stepper bound to one training run; it may cache values derived from the step number. */
    Stepper stepper();

    /** The settings, for the model file and History. */
    Map<String, Object> config();

    interface Stepper {
        /** Applies step {@code t} (1-based) to {@code params} from {@code grads}. */
        void step(Kernels kernels, INDArray params, INDArray grads, INDArray state, long t);
    }

    /** Keras {@code SGD(learning_rate, momentum=0, nesterov=False)}. */
    record Sgd(double learningRate, double momentum, boolean nesterov) implements Optimizer {
        public Sgd(double learningRate) {
            this(learningRate, 0, false);
        }

        @Override
        public int stateSlots() {
            return momentum == 0 ? 0 : 1;
        }

        @Override
        public Stepper stepper() {
            return (kernels, params, grads, state, t) ->
                    kernels.sgdStep(params, grads, momentum == 0 ? null : state, learningRate, momentum, nesterov);
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("type", "sgd");
            c.put("learning_rate", learningRate);
            c.put("momentum", momentum);
            c.put("nesterov", nesterov);
            return c;
        }
    }

    /** Keras {@code Adam}; Keras's defaults are lr 0.001, β1 0.9, β2 0.999, ε 1e-7. */
    record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
        public Adam(double learningRate) {
            this(learningRate, 0.9, 0.999, 1e-7);
        }

        @Override
        public int stateSlots() {
            return 2;
        }

        @Override
        public Stepper stepper() {
            return (kernels, params, grads, state, t) -> kernels.adamStep(params, grads, state, learningRate, beta1, beta2, epsilon, t);
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("type", "adam");
            c.put("learning_rate", learningRate);
            c.put("beta_1", beta1);
            c.put("beta_2", beta2);
            c.put("epsilon", epsilon);
            return c;
        }
    }

    /** Keras {@code Nadam} with its momentum schedule; Keras's defaults are lr 0.001, β1 0.9, β2 0.999, ε 1e-7. */
    record Nadam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
        public Nadam(double learningRate) {
            this(learningRate, 0.9, 0.999, 1e-7);
        }

        @Override
        public int stateSlots() {
            return 2;
        }

        /** μ_t = β1·(1 − 0.5·0.96^(0.004·t)), Keras's momentum cache. */
        double mu(long t) {
            return beta1 * (1 - 0.5 * Math.pow(0.96, 0.004 * t));
        }

        @Override
        public Stepper stepper() {
            return new Stepper() {
                private long scheduleStep;
                private double schedule = 1; // Π μ_1..μ_scheduleStep

                @Override
                public void step(Kernels kernels, INDArray params, INDArray grads, INDArray state, long t) {
                    if (t != scheduleStep + 1) { // a resumed run: rebuild the product once
                        scheduleStep = 0;
                        schedule = 1;
                        while (scheduleStep < t - 1) {
                            schedule *= mu(++scheduleStep);
                        }
                    }
                    schedule *= mu(t);
                    scheduleStep = t;
                    kernels.nadamStep(params, grads, state, learningRate, beta1, beta2, epsilon, t, mu(t), mu(t + 1), schedule);
                }
            };
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("type", "nadam");
            c.put("learning_rate", learningRate);
            c.put("beta_1", beta1);
            c.put("beta_2", beta2);
            c.put("epsilon", epsilon);
            return c;
        }
    }

    static Optimizer fromConfig(Map<String, Object> c) {
        double lr = ((Number) c.get("learning_rate")).doubleValue();
        return switch ((String) c.get("type")) {
            case "sgd" -> new Sgd(lr, ((Number) c.get("momentum")).doubleValue(), (Boolean) c.get("nesterov"));
            case "adam" -> new Adam(lr, num(c, "beta_1"), num(c, "beta_2"), num(c, "epsilon"));
            case "nadam" -> new Nadam(lr, num(c, "beta_1"), num(c, "beta_2"), num(c, "epsilon"));
            default -> throw new IllegalArgumentException("unknown optimizer: " + c.get("type"));
        };
    }

    private static double num(Map<String, Object> c, String key) {
        return ((Number) c.get(key)).doubleValue();
    }
}
