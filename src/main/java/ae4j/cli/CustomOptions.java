package ae4j.cli;

import ae4j.UserInputException;
import ae4j.data.Scaler;
import ae4j.experiments.CustomAutoencoder;
import ae4j.experiments.CustomSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of {@code train custom}, a section of its own in {@code train --help}: how to read the data, how to
 * split and scale it, and the model (options, or a JSON file of them).
 */
final class CustomOptions extends DataFileOptions {
    @Option(names = "--validation-split", paramLabel = "F",
            description = "The fraction of the rows kept for validation, after a shuffle seeded by --seed; 0 keeps none. Default: 0.1.")
    Double validationSplit;

    @Option(names = "--validation", paramLabel = "PATH", description = "Validation rows from a file of their own, read as --data is.")
    Path validation;

    @Option(names = "--scale", paramLabel = "none|minmax|standard",
            description = "Scaling fitted on the training rows and saved in the model, which encode and score apply again. "
                    + "Default: none when every training value is in [0, 1], else standard.")
    String scale;

    @Option(names = "--layers", paramLabel = "W,W,...",
            description = "The encoder's widths, the last the coding layer's; the decoder mirrors them. Default: 64,16.")
    String layers;

    @Option(names = "--tied", description = "Tie the decoder's weights to the encoder's (DenseTranspose).")
    boolean tied;

    @Option(names = "--activation", paramLabel = "NAME", description = "Hidden layers: selu, relu, elu, tanh, sigmoid or linear. Default: selu.")
    String activation;

    @Option(names = "--output", paramLabel = "sigmoid|linear",
            description = "The output layer. Default: from the data, sigmoid when every scaled training value is in [0, 1], else linear.")
    String output;

    @Option(names = "--loss", paramLabel = "bce|mse", description = "The loss. Default: bce with a sigmoid output, else mse.")
    String loss;

    @Option(names = "--noise", paramLabel = "NOISE",
            description = "Corrupt the inputs while training (a denoising autoencoder): gaussian or dropout, followed by a colon and the stddev or "
                    + "the rate. Default: none.")
    String noise;

    @Option(names = "--sparse", paramLabel = "SPARSITY",
            description = "A sparsity regularizer on the coding layer: l1 or kl, each followed by a colon and its factor (l1), or its weight, a colon "
                    + "and its target (kl). Default: none.")
    String sparse;

    @Option(names = "--variational", description = "A variational coding layer; encode writes its mean.")
    boolean variational;

    @Option(names = "--optimizer", paramLabel = "NAME:RATE",
            description = "sgd, adam, nadam or rmsprop, with a learning rate. Default: " + CustomSpec.DEFAULT_OPTIMIZER + ".")
    String optimizer;

    @Option(names = "--spec", paramLabel = "JSON",
            description = "The model from a JSON file instead of the options above: their names as keys, or the layers that a model "
                    + "file's model.json describes.")
    Path spec;

    double validationFraction() {
        double f = validationSplit != null ? validationSplit : 0.1;
        if (!(f >= 0 && f < 1)) {
            throw new UserInputException("--validation-split must be in [0, 1), not " + f);
        }
        if (validationSplit != null && validation != null) {
            throw new UserInputException("--validation-split and --validation do not combine: give one");
        }
        return f;
    }

    /** The scaling asked for, or null to choose it from the training values. */
    Scaler.Kind scaleKind() {
        if (scale == null) {
            return null;
        }
        return switch (scale.toLowerCase(Locale.ROOT)) {
            case "none" -> Scaler.Kind.NONE;
            case "minmax" -> Scaler.Kind.MINMAX;
            case "standard" -> Scaler.Kind.STANDARD;
            default -> throw new UserInputException("--scale must be none, minmax or standard, not '" + scale + "'");
        };
    }

    /** The model's options as given on the command line, or null when --spec names a file. */
    CustomSpec modelSpec() {
        Map<String, String> options = new LinkedHashMap<>();
        putIfGiven(options, "layers", layers);
        putIfGiven(options, "tied", tied ? "true" : null);
        putIfGiven(options, "activation", activation);
        putIfGiven(options, "output", output);
        putIfGiven(options, "loss", loss);
        putIfGiven(options, "noise", noise);
        putIfGiven(options, "sparse", sparse);
        putIfGiven(options, "variational", variational ? "true" : null);
        putIfGiven(options, "optimizer", optimizer);
        if (spec == null) {
            return CustomSpec.fromOptions(options);
        }
        if (!options.isEmpty()) {
            throw new UserInputException("--spec " + spec + " and --" + options.keySet().iterator().next()
                    + " do not combine: edit the spec file instead");
        }
        return null;
    }

    /** The JSON of --spec: options ({@link CustomSpec#fromJson}) or layers ({@link CustomAutoencoder#fromLayerJson}). */
    @SuppressWarnings("unchecked")
    Map<String, Object> specJson() {
        return Json.read(spec, Map.class, "a model spec (a JSON object)");
    }

    private static void putIfGiven(Map<String, String> options, String key, String value) {
        if (value != null) {
            options.put(key, value);
        }
    }
}
