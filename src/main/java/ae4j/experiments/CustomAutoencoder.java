package ae4j.experiments;

import ae4j.UserInputException;
import ae4j.nn.ActivityRegularization;
import ae4j.nn.Dense;
import ae4j.nn.DenseTranspose;
import ae4j.nn.Dropout;
import ae4j.nn.GaussianNoise;
import ae4j.nn.Sampling;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Init;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import ae4j.train.Engine;
import ae4j.train.Model;
import ae4j.train.ModelFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An autoencoder of your own, ready to compile on any engine: built from a {@link CustomSpec} the way the chapter's
 * recipes build theirs, or from the layer descriptions a model file carries ({@link #fromLayerJson}), so that a
 * saved model's spec can be edited and trained again. The network is {@code Sequential.of(encoder, decoder)}, as
 * every recipe's, so its encoder is the first part ({@link Autoencoder#of} reads it back from a model file).
 *
 * @param inputWidth the width of a row, which the decoder's last layer gives back
 */
public record CustomAutoencoder(Autoencoder autoencoder, int inputWidth, Loss loss, Optimizer optimizer) {

    /**
     * The autoencoder of a spec whose output and loss are chosen ({@link CustomSpec#resolvedFor}). The encoder: the
     * corruption, then a Dense per width with the hidden activation, the last being the coding layer — sigmoid when
     * sparse (as the book's sparse autoencoders: activations to keep near 0; an L1 factor as Keras's
     * ActivityRegularization after it, a KL regularizer on the layer itself), or, when variational, the mean and
     * log-variance heads (one Dense of twice the width) and Sampling with the book's latent loss weight 1/inputWidth.
     * The decoder mirrors the widths back to the input width, through the encoder's Dense layers transposed when tied.
     * Kernels are Glorot-uniform, Keras's default, which the book's recipes (and ours) keep for SELU too.
     */
    public static CustomAutoencoder of(CustomSpec spec, int inputWidth) {
        if (spec.output() == null || spec.loss() == null) {
            throw new IllegalArgumentException("the spec's output and loss are not chosen yet: resolve it for the data first");
        }
        if (inputWidth <= 0) {
            throw new IllegalArgumentException("the input width must be positive, not " + inputWidth);
        }
        List<Integer> widths = spec.layers();
        int last = widths.size() - 1;
        List<Object> encoder = new ArrayList<>();
        if (spec.noise() instanceof CustomSpec.Corruption.Gaussian g) {
            encoder.add(new GaussianNoise(g.stddev()));
        } else if (spec.noise() instanceof CustomSpec.Corruption.Dropout d) {
            encoder.add(new Dropout(d.rate()));
        }
        List<Dense> denses = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            denses.add(new Dense(widths.get(i), spec.activation()));
        }
        int codings = widths.get(last);
        ActivityRegularizer sparse = spec.sparse();
        Dense coding;
        if (spec.variational()) {
            coding = new Dense(2 * codings, Activation.IDENTITY, Init.GLOROT_UNIFORM_TWO_HEADS);
        } else if (sparse instanceof ActivityRegularizer.KlDivergence) {
            coding = new Dense(codings, Activation.SIGMOID, Init.GLOROT_UNIFORM, sparse);
        } else {
            coding = new Dense(codings, sparse instanceof ActivityRegularizer.L1 ? Activation.SIGMOID : spec.activation());
        }
        denses.add(coding);
        encoder.addAll(denses);
        if (spec.variational()) {
            encoder.add(new Sampling(1.0 / inputWidth));
        } else if (sparse instanceof ActivityRegularizer.L1 l1) {
            encoder.add(new ActivityRegularization(l1.l1()));
        }
        List<Object> decoder = new ArrayList<>();
        for (int i = last; i >= 0; i--) {
            Activation act = i == 0 ? spec.output() : spec.activation();
            if (spec.tied()) {
                decoder.add(new DenseTranspose(denses.get(i), act));
            } else {
                decoder.add(new Dense(i == 0 ? inputWidth : widths.get(i - 1), act));
            }
        }
        return new CustomAutoencoder(new Autoencoder(Sequential.of(encoder.toArray()), Sequential.of(decoder.toArray())), inputWidth,
                spec.loss(), spec.optimizer());
    }

    /** Keras's {@code compile}: the network bound to {@code engine}'s parameters, with this loss and optimizer. */
    public Model compile(Engine engine) {
        return engine.compile(autoencoder.network(), inputWidth, loss, optimizer);
    }

    /**
     * The model's layer descriptions as a spec file holds them — model.json's keys ("input_size", "network", "loss",
     * "optimizer") with "encoder_parts" — which {@link #fromLayerJson} builds again.
     */
    public static Map<String, Object> layerJson(Model model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_size", model.inputSize());
        m.put("encoder_parts", 1);
        m.put("network", ModelFile.describe(model));
        m.put("loss", model.loss().id());
        m.put("optimizer", model.optimizer().config());
        return m;
    }

    /**
     * The autoencoder that layer descriptions give: {@link #layerJson}'s form, or a saved model's model.json (whose
     * "meta" says how many parts form the encoder), edited or not. The layers start from fresh weights.
     */
    @SuppressWarnings("unchecked")
    public static CustomAutoencoder fromLayerJson(Map<String, Object> json) {
        try {
            Sequential network = ModelFile.network((Map<String, Object>) json.get("network"));
            Object k = json.containsKey("encoder_parts") ? json.get("encoder_parts")
                    : json.get("meta") instanceof Map<?, ?> meta ? meta.get("encoder_parts") : null;
            List<Object> parts = network.parts();
            if (!(k instanceof Number n) || n.intValue() < 1 || n.intValue() >= parts.size()) {
                throw new UserInputException("the spec does not say which layers form the encoder (\"encoder_parts\": 1 to "
                        + (parts.size() - 1) + ")");
            }
            Autoencoder ae = new Autoencoder(sequential(parts.subList(0, n.intValue())), sequential(parts.subList(n.intValue(), parts.size())));
            return new CustomAutoencoder(ae, ((Number) json.get("input_size")).intValue(), Loss.fromId((String) json.get("loss")),
                    Optimizer.fromConfig((Map<String, Object>) json.get("optimizer")));
        } catch (RuntimeException e) {
            if (e instanceof UserInputException) {
                throw e;
            }
            throw new UserInputException("not a valid layer spec (" + e + ")", e);
        }
    }

    /** The parts in sequence: a lone Sequential itself, so that a spec read back nests as the one written. */
    private static Sequential sequential(List<Object> parts) {
        return parts.size() == 1 && parts.get(0) instanceof Sequential s ? s : Sequential.of(parts.toArray());
    }
}
