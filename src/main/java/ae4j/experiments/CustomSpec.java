package ae4j.experiments;

import ae4j.UserInputException;
import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An autoencoder of your own, as the options of {@code train custom} give it: the encoder's widths (the decoder
 * mirrors them back to the input width), tied weights, the hidden activation, the output activation and loss (null:
 * chosen from the data, {@link #resolvedFor}), a corruption in front of the encoder, a sparsity regularizer on the
 * coding layer, a variational coding layer, and the optimizer. Each option has one parser, shared by the command
 * line ({@link #fromOptions}) and the JSON form ({@link #toJson}, {@link #fromJson}), which writes each option back
 * in its command-line form.
 *
 * @param output null until {@link #resolvedFor} chooses it from the data
 * @param loss   null until {@link #resolvedFor} chooses it from the data
 */
public record CustomSpec(List<Integer> layers, boolean tied, Activation activation, Activation output, Loss loss, Corruption noise,
                         ActivityRegularizer sparse, boolean variational, Optimizer optimizer) {
    /** The option names, as on the command line without the dashes, and as the JSON form's keys. */
    public static final Set<String> OPTIONS = Set.of("layers", "tied", "activation", "output", "loss", "noise", "sparse", "variational",
            "optimizer");
    public static final List<Integer> DEFAULT_LAYERS = List.of(64, 16);
    public static final String DEFAULT_OPTIMIZER = "adam:1e-3";

    /** What corrupts the inputs in front of the encoder while training. */
    public sealed interface Corruption {
        /** Keras's {@code GaussianNoise(stddev)}. */
        record Gaussian(double stddev) implements Corruption {
        }

        /** Keras's {@code Dropout(rate)}. */
        record Dropout(double rate) implements Corruption {
        }

        /** No corruption. */
        record None() implements Corruption {
        }
    }

    public static final Corruption NO_NOISE = new Corruption.None();

    public CustomSpec {
        layers = List.copyOf(layers);
        if (layers.isEmpty() || layers.stream().anyMatch(w -> w <= 0)) {
            throw new UserInputException("--layers needs one or more positive widths, not " + layers);
        }
        if (output != null && output != Activation.SIGMOID && output != Activation.IDENTITY) {
            throw new UserInputException("--output must be sigmoid or linear, not " + activationName(output));
        }
        if (loss != null && loss != Loss.BINARY_CROSSENTROPY && loss != Loss.MSE) {
            throw new UserInputException("--loss must be bce or mse, not " + loss.id());
        }
        if (loss == Loss.BINARY_CROSSENTROPY && output == Activation.IDENTITY) {
            throw new UserInputException("--loss bce needs --output sigmoid: binary cross-entropy compares probabilities");
        }
        if (variational && tied) {
            throw new UserInputException("--variational and --tied do not combine: the coding layer's mean and log-variance heads are"
                    + " twice as wide as the decoder's input, so no decoder layer can be their transpose");
        }
        if (variational && !(sparse instanceof ActivityRegularizer.None)) {
            throw new UserInputException("--variational and --sparse do not combine: the codings are sampled, not activations to keep sparse");
        }
    }

    /** The defaults: 64,16, SELU, output and loss from the data, no noise, no sparsity, Adam 1e-3. */
    public static CustomSpec defaults() {
        return new CustomSpec(DEFAULT_LAYERS, false, Activation.SELU, null, null, NO_NOISE, ActivityRegularizer.NONE, false,
                parseOptimizer(DEFAULT_OPTIMIZER));
    }

    /**
     * The spec of the given options (names without dashes, values as typed; "tied" and "variational" take "true" or
     * "false"), the defaults for the others.
     */
    public static CustomSpec fromOptions(Map<String, String> options) {
        CustomSpec d = defaults();
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new UserInputException("unknown option of a custom autoencoder: " + key + " (known: " + String.join(", ",
                        OPTIONS.stream().sorted().toList()) + ")");
            }
        }
        return new CustomSpec(
                options.containsKey("layers") ? parseLayers(options.get("layers")) : d.layers,
                options.containsKey("tied") ? parseFlag("tied", options.get("tied")) : d.tied,
                options.containsKey("activation") ? parseActivation(options.get("activation")) : d.activation,
                options.get("output") == null ? null : parseOutput(options.get("output")),
                options.get("loss") == null ? null : parseLoss(options.get("loss")),
                options.containsKey("noise") ? parseNoise(options.get("noise")) : d.noise,
                options.containsKey("sparse") ? parseSparse(options.get("sparse")) : d.sparse,
                options.containsKey("variational") ? parseFlag("variational", options.get("variational")) : d.variational,
                options.containsKey("optimizer") ? parseOptimizer(options.get("optimizer")) : d.optimizer);
    }

    /** The spec as its options, in their command-line forms (output and loss only when chosen). */
    public Map<String, String> toOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("layers", String.join(",", layers.stream().map(String::valueOf).toList()));
        m.put("tied", String.valueOf(tied));
        m.put("activation", activationName(activation));
        if (output != null) {
            m.put("output", activationName(output));
        }
        if (loss != null) {
            m.put("loss", loss == Loss.BINARY_CROSSENTROPY ? "bce" : "mse");
        }
        m.put("noise", noise instanceof Corruption.Gaussian g ? "gaussian:" + g.stddev()
                : noise instanceof Corruption.Dropout dr ? "dropout:" + dr.rate() : "none");
        m.put("sparse", sparse instanceof ActivityRegularizer.L1 l1 ? "l1:" + l1.l1()
                : sparse instanceof ActivityRegularizer.KlDivergence kl ? "kl:" + kl.weight() + ":" + kl.target() : "none");
        m.put("variational", String.valueOf(variational));
        Optimizer.Hyperparameters h = optimizer.hyperparameters();
        m.put("optimizer", optimizer.kind().name().toLowerCase(Locale.ROOT) + ":" + h.learningRate());
        return m;
    }

    /** The JSON form: the options as JSON values (widths a list, flags booleans, the rest their command-line strings). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>(toOptions());
        m.put("layers", layers);
        m.put("tied", tied);
        m.put("variational", variational);
        return m;
    }

    /** Reads {@link #toJson}'s form; any option may be missing (its default). */
    public static CustomSpec fromJson(Map<String, Object> json) {
        Map<String, String> options = new LinkedHashMap<>();
        json.forEach((k, v) -> {
            if (v instanceof List<?> list) {
                options.put(k, String.join(",", list.stream().map(String::valueOf).toList()));
            } else if (v != null) {
                options.put(k, String.valueOf(v));
            }
        });
        return fromOptions(options);
    }

    /** Why an output activation and loss were chosen: for the log. */
    public record OutputChoice(Activation output, Loss loss, String reason) {
    }

    /**
     * The output and loss the data asks for: sigmoid with binary cross-entropy when every value is in [0, 1] (the
     * inputs are then read as probabilities, as the book does with pixels), linear with MSE otherwise.
     */
    public static OutputChoice outputFor(INDArray train) {
        double min = train.minNumber().doubleValue();
        double max = train.maxNumber().doubleValue();
        String range = "the training values range over [" + min + ", " + max + "]";
        return min >= 0 && max <= 1
                ? new OutputChoice(Activation.SIGMOID, Loss.BINARY_CROSSENTROPY, "sigmoid output with binary cross-entropy: " + range)
                : new OutputChoice(Activation.IDENTITY, Loss.MSE, "linear output with MSE: " + range + ", outside [0, 1]");
    }

    /** This spec with the output and loss it leaves open chosen by {@link #outputFor} (a given loss bce implies sigmoid). */
    public CustomSpec resolvedFor(OutputChoice choice) {
        Activation out = output != null ? output : loss == Loss.BINARY_CROSSENTROPY ? Activation.SIGMOID : choice.output();
        Loss l = loss != null ? loss : out == Activation.IDENTITY ? Loss.MSE : choice.loss();
        return new CustomSpec(layers, tied, activation, out, l, noise, sparse, variational, optimizer);
    }

    public static List<Integer> parseLayers(String s) {
        List<Integer> widths = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            try {
                widths.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new UserInputException("--layers " + s + ": '" + part + "' is not a width (give widths such as 256,64,16)");
            }
        }
        return widths;
    }

    /** selu, relu, elu, tanh, sigmoid or linear: Keras's activations of those names (elu with its default alpha, 1). */
    public static Activation parseActivation(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "selu" -> Activation.SELU;
            case "relu" -> Activation.RELU;
            case "elu" -> Activation.ELU;
            case "tanh" -> Activation.TANH;
            case "sigmoid" -> Activation.SIGMOID;
            case "linear", "identity" -> Activation.IDENTITY;
            default -> throw new UserInputException("--activation must be selu, relu, elu, tanh, sigmoid or linear, not '" + s + "'");
        };
    }

    public static Activation parseOutput(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "sigmoid" -> Activation.SIGMOID;
            case "linear", "identity" -> Activation.IDENTITY;
            default -> throw new UserInputException("--output must be sigmoid or linear, not '" + s + "'");
        };
    }

    public static Loss parseLoss(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "bce", "binary_crossentropy" -> Loss.BINARY_CROSSENTROPY;
            case "mse" -> Loss.MSE;
            default -> throw new UserInputException("--loss must be bce or mse, not '" + s + "'");
        };
    }

    /** gaussian:STDDEV, dropout:RATE or none. */
    public static Corruption parseNoise(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split(":", -1);
        if (p.length == 1 && p[0].equals("none")) {
            return NO_NOISE;
        }
        if (p.length == 2 && p[0].equals("gaussian")) {
            double stddev = number("--noise", s, p[1]);
            if (!(stddev >= 0) || Double.isInfinite(stddev)) {
                throw new UserInputException("--noise " + s + ": the stddev must be finite and at least 0");
            }
            return new Corruption.Gaussian(stddev);
        }
        if (p.length == 2 && p[0].equals("dropout")) {
            double rate = number("--noise", s, p[1]);
            if (!(rate >= 0 && rate < 1)) {
                throw new UserInputException("--noise " + s + ": the dropout rate must be in [0, 1)");
            }
            return new Corruption.Dropout(rate);
        }
        throw new UserInputException("--noise must be gaussian:STDDEV, dropout:RATE or none, not '" + s + "'");
    }

    /** l1:FACTOR, kl:WEIGHT:TARGET or none. */
    public static ActivityRegularizer parseSparse(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split(":", -1);
        try {
            if (p.length == 1 && p[0].equals("none")) {
                return ActivityRegularizer.NONE;
            }
            if (p.length == 2 && p[0].equals("l1")) {
                return new ActivityRegularizer.L1(number("--sparse", s, p[1]));
            }
            if (p.length == 3 && p[0].equals("kl")) {
                return new ActivityRegularizer.KlDivergence(number("--sparse", s, p[1]), number("--sparse", s, p[2]));
            }
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--sparse " + s + ": " + e.getMessage());
        }
        throw new UserInputException("--sparse must be l1:FACTOR, kl:WEIGHT:TARGET or none, not '" + s + "'");
    }

    /**
     * sgd:LR, adam:LR, nadam:LR or rmsprop:LR, each with Keras's other defaults; without ":LR", Keras's default
     * learning rate (0.01 for SGD, 0.001 for the others).
     */
    public static Optimizer parseOptimizer(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split(":", -1);
        if (p.length > 2) {
            throw new UserInputException("--optimizer must be NAME or NAME:LEARNING_RATE, such as adam:1e-3, not '" + s + "'");
        }
        double lr = p.length == 2 ? number("--optimizer", s, p[1]) : p[0].equals("sgd") ? 0.01 : 0.001;
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new UserInputException("--optimizer " + s + ": the learning rate must be finite and positive");
        }
        return switch (p[0]) {
            case "sgd" -> new Optimizer.Sgd(lr);
            case "adam" -> new Optimizer.Adam(lr);
            case "nadam" -> new Optimizer.Nadam(lr);
            case "rmsprop" -> new Optimizer.Rmsprop(lr, 0.9, 1e-7);
            default -> throw new UserInputException("--optimizer must be sgd, adam, nadam or rmsprop, not '" + p[0] + "'");
        };
    }

    private static boolean parseFlag(String name, String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "" -> true;
            case "false", "no" -> false;
            default -> throw new UserInputException("--" + name + " is true or false, not '" + s + "'");
        };
    }

    private static double number(String option, String whole, String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new UserInputException(option + " " + whole + ": '" + s + "' is not a number");
        }
    }

    private static String activationName(Activation a) {
        return a == Activation.IDENTITY ? "linear" : a.id();
    }
}
