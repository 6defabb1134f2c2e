package ae4j.train;

import ae4j.AtomicFile;
import ae4j.UserInputException;
import ae4j.data.Scaler;
import ae4j.nn.Layer;
import ae4j.nn.LayerSpec;
import ae4j.nn.Parameter;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Init;
import ae4j.spec.LayerKind;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model file, a zip: {@code model.json} (the network — each layer's kind, size, activation, trainable flag, its
 * setting (a noise's stddev, a dropout's rate, a sampling's latent loss weight) and activity regularizer, and the
 * names, shapes and offsets of the parameters it owns — the loss, optimizer, metrics, and the run's
 * {@link Metadata}), {@code params.bin} and {@code optimizer.bin} (the flat vectors, little-endian float64) and
 * {@code training.json} (epochs done, optimizer step, the optimizer's learning rate now, the shuffling generator's
 * state, the noise seed, the History). That is everything a run needs to continue exactly where it stopped; a run
 * whose early stopping puts the best epoch's weights back also keeps those, while they are not the last epoch's
 * ({@code best_params.bin} and "best_epoch": {@link BestWeights}). A restore copies each parameter from where the
 * file says it lies to where the rebuilt model keeps it, after checking its shape, so models with frozen layers
 * (whose parameters are laid out after the trainable ones) reload in the right order. Files are written to a
 * temporary file and renamed, so a crash never leaves a half-written model; a damaged file is reported as such.
 * Files of format 1 (no per-parameter layout) are still read.
 */
public final class ModelFile {
    public static final String FORMAT = "ae4j-model/2";
    private static final String FORMAT_1 = "ae4j-model/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFile() {
    }

    /** A model read back from its file, with what the file says about the run that trained it. */
    public record Loaded(Model model, Metadata meta) {
    }

    /**
     * What a file says about the run that saved it, each null where the file does not say (a model saved outside
     * a recipe, or by an older ae4j). In model.json: "meta": {"recipe", "name", "encoder_parts", "settings":
     * {"seed", "batch_size", "learning_rate", "engine", "threads", "backend", "lr_schedule"}}.
     *
     * @param recipe       the recipe that trained the model ("stacked", "greedy", ...)
     * @param name         the model's name in that recipe ("model", "phase1", ...)
     * @param encoderParts how many of the network's first parts form the encoder
     * @param errorPercentiles the training rows' reconstruction errors at the percentiles 0, 0.1, …, 100 (1001
     *                         values, "error_percentiles"), from which a scoring run takes its threshold; null where
     *                         not measured
     * @param scaler       the scaling fitted on the training rows ("scaler": kind, shift, divisor), which the model
     *                     expects applied to raw rows; null where the model takes its inputs as they are
     * @param sampleShape  the shape of one training sample before flattening ("sample_shape"); null where not known
     */
    public record Metadata(String recipe, String name, Integer encoderParts, RunSettings settings, double[] errorPercentiles,
                           Scaler scaler, int[] sampleShape) {
        public static final Metadata NONE = new Metadata(null, null, null, null);

        public Metadata(String recipe, String name, Integer encoderParts, RunSettings settings) {
            this(recipe, name, encoderParts, settings, null, null, null);
        }

        public Metadata withErrorPercentiles(double[] percentiles) {
            return new Metadata(recipe, name, encoderParts, settings, percentiles, scaler, sampleShape);
        }

        /** This metadata with the data the model was trained on described: its scaler and one sample's shape. */
        public Metadata withData(Scaler dataScaler, int[] shape) {
            return new Metadata(recipe, name, encoderParts, settings, errorPercentiles, dataScaler, shape);
        }
    }

    /**
     * The weights of the epoch with the best monitored value so far, which early stopping puts back at the end
     * ({@link EarlyStopping#bestWeights()}); saved beside the model's own so that a run resumed after a pause still
     * has them.
     */
    public record BestWeights(int epoch, INDArray params) {
    }

    public static void save(Model model, Path file, Metadata meta) throws IOException {
        save(model, file, meta, null);
    }

    /** Also keeps {@code best}, unless it is null or the last epoch's (the model's own weights then). */
    public static void save(Model model, Path file, Metadata meta, BestWeights best) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("format", FORMAT);
        config.put("input_size", model.inputSize());
        config.put("network", network(model.network(), model, true));
        config.put("loss", model.loss().id());
        config.put("optimizer", model.optimizer().config());
        config.put("metrics", model.metrics().stream().map(m -> m.id).toList());
        config.put("parameters", model.parameterCount());
        config.put("trainable_parameters", model.trainableParameterCount());
        config.put("meta", json(meta));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs_done", model.history().epochs().size());
        training.put("iteration", model.iteration());
        training.put("learning_rate", model.learningRate());
        training.put("shuffle_rng_state", model.shuffleState());
        training.put("noise_seed", model.noiseSeed());
        boolean keepsBest = best != null && best.epoch() != model.history().epochs().size();
        if (keepsBest) {
            training.put("best_epoch", best.epoch());
        }
        training.put("history", model.history().epochs());

        AtomicFile.write(file, tmp -> {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                put(zip, "model.json", JSON.writeValueAsBytes(config));
                put(zip, "params.bin", bytes(model.params()));
                put(zip, "optimizer.bin", bytes(model.optimizerState()));
                put(zip, "training.json", JSON.writeValueAsBytes(training));
                if (keepsBest) {
                    put(zip, "best_params.bin", bytes(best.params()));
                }
            }
        });
    }

    /** Rebuilds the network described in the file, compiles it with {@code engine}, and restores its state. */
    public static Loaded load(Path file, Engine engine) {
        Contents c = read(file);
        try {
            Sequential network = network(map(c.config.get("network")));
            Model model = engine.compile(network, ((Number) c.config.get("input_size")).intValue(),
                    Loss.fromId((String) c.config.get("loss")), Optimizer.fromConfig(map(c.config.get("optimizer"))),
                    metrics(c.config));
            restore(model, c, file);
            return new Loaded(model, metadata(map(c.config.get("meta"))));
        } catch (RuntimeException e) {
            if (e instanceof UserInputException) {
                throw e;
            }
            throw new UserInputException(file + ": not a valid ae4j model file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Restores a saved run into a model the caller has just built the same way (a resumed recipe): the network,
     * loss and optimizer must match the file's. Returns the file's metadata.
     */
    public static Metadata restoreInto(Model model, Path file) {
        Contents c = read(file);
        Object saved = withoutLayout(c.config.get("network"));
        Object now = asSaved(network(model.network(), model, false));
        if (!saved.equals(now) || !model.loss().id().equals(c.config.get("loss"))
                || !JSON.convertValue(model.optimizer().config(), Object.class).equals(c.config.get("optimizer"))) {
            throw new UserInputException(file + ": holds a different model (network, loss or optimizer) than the one asked for;"
                    + " resume with the same settings, or use another --out");
        }
        Metadata meta;
        try {
            meta = metadata(map(c.config.get("meta")));
        } catch (RuntimeException e) {
            throw new UserInputException(file + ": not a valid ae4j model file (" + e.getMessage() + ")", e);
        }
        restore(model, c, file);
        return meta;
    }

    /**
     * The best epoch's weights the file keeps beside the model's ({@link #save(Model, Path, Metadata, BestWeights)}),
     * laid out as {@code model}'s (the model the file was restored into); empty when it keeps none.
     */
    public static Optional<BestWeights> bestWeights(Path file, Model model) {
        Contents c = read(file);
        if (c.bestParams == null || !(c.training.get("best_epoch") instanceof Number epoch)) {
            return Optional.empty();
        }
        double[] params = mapParameters(model, new Contents(c.config, c.training, c.bestParams, new double[0], null), file)[0];
        return Optional.of(new BestWeights(epoch.intValue(), Nd4j.createFromArray(params).castTo(model.params().dataType())));
    }

    /** @param bestParams null when the file keeps no best epoch's weights */
    private record Contents(Map<String, Object> config, Map<String, Object> training, double[] params, double[] optimizer,
                            double[] bestParams) {
    }

    /** model.json and training.json are a few kilobytes for any model ae4j trains; more is not an ae4j file. */
    static final int MAX_JSON_BYTES = 16 << 20;

    /**
     * Reads the entries within limits the file itself declares, never trusting an entry's stated size: the JSON
     * entries within {@link #MAX_JSON_BYTES}; params.bin within the parameters model.json declares, and
     * optimizer.bin within two slots of them; a declaration the heap cannot hold is refused before anything else is
     * inflated; best_params.bin, which only some files have, within the parameters too. Other entries are not read.
     */
    private static Contents read(Path file) {
        Map<String, byte[]> entries = new HashMap<>();
        if (!Files.exists(file)) {
            throw new UserInputException(file + ": no such model file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            byte[] modelJson = entry(zip, "model.json", MAX_JSON_BYTES, file);
            if (modelJson != null) {
                entries.put("model.json", modelJson);
                long declared = declaredParameters(modelJson, file);
                entries.put("params.bin", entry(zip, "params.bin", Double.BYTES * declared, file));
                entries.put("optimizer.bin", entry(zip, "optimizer.bin", Double.BYTES * Math.max(1, 2 * declared), file));
                entries.put("training.json", entry(zip, "training.json", MAX_JSON_BYTES, file));
                entries.put("best_params.bin", entry(zip, "best_params.bin", Double.BYTES * declared, file));
                entries.values().removeIf(java.util.Objects::isNull);
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new UserInputException(file + ": damaged or not an ae4j model file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        for (String name : List.of("model.json", "params.bin", "optimizer.bin", "training.json")) {
            if (!entries.containsKey(name)) {
                throw new UserInputException(file + ": damaged or not an ae4j model file (no " + name + ")");
            }
        }
        try {
            Map<String, Object> config = JSON.readValue(entries.get("model.json"), new TypeReference<>() {
            });
            if (!FORMAT.equals(config.get("format")) && !FORMAT_1.equals(config.get("format"))) {
                throw new UserInputException(file + ": not an ae4j model file (format " + config.get("format") + ")");
            }
            Map<String, Object> training = JSON.readValue(entries.get("training.json"), new TypeReference<>() {
            });
            byte[] best = entries.get("best_params.bin");
            return new Contents(config, training, doubles(entries.get("params.bin")), doubles(entries.get("optimizer.bin")),
                    best == null ? null : doubles(best));
        } catch (IOException e) {
            throw new UserInputException(file + ": damaged model file (" + e.getMessage() + ")");
        }
    }

    /** The parameter count model.json declares, refused when it is not a count this JVM's heap can hold twice over. */
    private static long declaredParameters(byte[] modelJson, Path file) {
        long count;
        try {
            Object parameters = JSON.readValue(modelJson, new TypeReference<Map<String, Object>>() {
            }).get("parameters");
            count = parameters instanceof Number n ? n.longValue() : -1;
        } catch (IOException e) {
            throw new UserInputException(file + ": damaged model file (" + e.getMessage() + ")");
        }
        if (count < 0) {
            throw new UserInputException(file + ": damaged or not an ae4j model file (model.json declares no parameter count)");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (count > Integer.MAX_VALUE || count * Double.BYTES * 4 > heap) {
            throw new UserInputException(String.format("%s: declares %,d parameters, more than this JVM's heap (%,d MB; -Xmx) can load",
                    file, count, heap >> 20));
        }
        return count;
    }

    /** The entry's bytes, at most {@code limit} of them, or null when the file has no such entry. */
    private static byte[] entry(ZipFile zip, String name, long limit, Path file) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(e)) {
            return readAtMost(in, limit, file, name);
        }
    }

    /** The rest of the current entry, refused as soon as it runs past {@code limit} bytes. */
    private static byte[] readAtMost(InputStream in, long limit, Path file, String entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(chunk)) > 0; ) {
            total += n;
            if (total > limit) {
                throw new UserInputException(String.format("%s: damaged model file (%s holds more than the %,d bytes it may)",
                        file, entry, limit));
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static void restore(Model model, Contents c, Path file) {
        History history = History.fromJson((List<?>) c.training.get("history"));
        long iteration = ((Number) c.training.get("iteration")).longValue();
        Object lr = c.training.get("learning_rate");
        double learningRate = lr == null ? model.optimizer().learningRate() : ((Number) lr).doubleValue();
        long shuffle = ((Number) c.training.get("shuffle_rng_state")).longValue();
        Object noise = c.training.get("noise_seed");
        long noiseSeed = noise == null ? model.noiseSeed() : ((Number) noise).longValue();
        double[] params;
        double[] state;
        if (FORMAT_1.equals(c.config.get("format"))) {
            if (c.params.length != model.parameterCount() || c.optimizer.length != model.optimizerState().length()) {
                throw new UserInputException(file + ": damaged model file (" + c.params.length + " parameters stored, "
                        + model.parameterCount() + " expected)");
            }
            params = c.params;
            state = c.optimizer;
        } else {
            double[][] mapped = mapParameters(model, c, file);
            params = mapped[0];
            state = mapped[1];
        }
        DataType dtype = model.params().dataType();
        model.restore(Nd4j.createFromArray(params).castTo(dtype), Nd4j.createFromArray(state).castTo(dtype), iteration, learningRate,
                shuffle, noiseSeed, history);
    }

    /**
     * The saved parameters and optimizer state rearranged into {@code model}'s layout: each layer's parameters,
     * by name, from the offset the file gives to the model's own, after checking the shapes agree. The state of a
     * parameter that was trainable in the file and is in the model moves with it; any other starts at zero.
     */
    @SuppressWarnings("unchecked")
    private static double[][] mapParameters(Model model, Contents c, Path file) {
        List<Map<String, Object>> saved = new ArrayList<>();
        flatten(map(c.config.get("network")), saved);
        List<Layer> layers = model.layers();
        if (saved.size() != layers.size()) {
            throw new UserInputException(file + ": holds " + saved.size() + " layers, the model has " + layers.size());
        }
        long savedTrainable = ((Number) c.config.get("trainable_parameters")).longValue();
        int slots = model.optimizer().stateSlots();
        long trainable = model.trainableParameterCount();
        double[] params = new double[(int) model.parameterCount()];
        double[] state = new double[(int) model.optimizerState().length()];
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            List<Map<String, Object>> stored = (List<Map<String, Object>>) saved.get(l).get("parameters");
            List<Parameter> owned = layer.parameters();
            if (stored.size() != owned.size()) {
                throw new UserInputException(file + ": layer " + l + " stores " + stored.size() + " parameters, the layer has " + owned.size());
            }
            for (int i = 0; i < owned.size(); i++) {
                Parameter p = owned.get(i);
                Map<String, Object> s = stored.get(i);
                long[] shape = ((List<Number>) s.get("shape")).stream().mapToLong(Number::longValue).toArray();
                if (!p.name().equals(s.get("name")) || !Arrays.equals(shape, p.shape())) {
                    throw new UserInputException(String.format("%s: layer %d (%s) stores %s %s, the rebuilt layer has %s %s", file, l,
                            saved.get(l).get("type"), s.get("name"), Arrays.toString(shape), p.name(), Arrays.toString(p.shape())));
                }
                long from = ((Number) s.get("offset")).longValue();
                long to = model.offsetOf(p);
                int n = (int) p.length();
                if (from < 0 || from + n > c.params.length) {
                    throw new UserInputException(file + ": damaged model file (parameter " + p.name() + " of layer " + l + " outside params.bin)");
                }
                System.arraycopy(c.params, (int) from, params, (int) to, n);
                if (from < savedTrainable && to < trainable) {
                    for (int k = 0; k < slots; k++) {
                        long source = k * savedTrainable + from;
                        if (source + n <= c.optimizer.length) {
                            System.arraycopy(c.optimizer, (int) source, state, (int) (k * trainable + to), n);
                        }
                    }
                }
            }
        }
        return new double[][]{params, state};
    }

    @SuppressWarnings("unchecked")
    private static void flatten(Map<String, Object> sequential, List<Map<String, Object>> out) {
        for (Object o : (List<Object>) sequential.get("parts")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.containsKey("parts")) {
                flatten(m, out);
            } else {
                out.add(m);
            }
        }
    }

    /** {@code value} as it reads back from model.json (numbers as the parser types them). */
    private static Object asSaved(Object value) {
        try {
            return JSON.readValue(JSON.writeValueAsBytes(value), Object.class);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The saved network without where its parameters lie: what must match for a resume. */
    @SuppressWarnings("unchecked")
    private static Object withoutLayout(Object network) {
        if (network instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> {
                if (!k.equals("offset")) {
                    copy.put(k, withoutLayout(v));
                }
            });
            return copy;
        }
        if (network instanceof List<?> list) {
            return list.stream().map(ModelFile::withoutLayout).toList();
        }
        return network;
    }

    /** The network as model.json holds it; {@code withLayout} adds each parameter's offset in the flat vectors. */
    private static Map<String, Object> network(Sequential s, Model model, boolean withLayout) {
        List<Object> parts = new ArrayList<>();
        for (Object p : s.parts()) {
            if (p instanceof Sequential nested) {
                parts.add(network(nested, model, withLayout));
                continue;
            }
            Layer layer = (Layer) p;
            LayerSpec spec = layer.describe(model.layers());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", spec.kind().id());
            m.put("units", spec.units());
            m.put("activation", spec.activation().id());
            if (spec.init() != null) {
                m.put("init", spec.init().name().toLowerCase());
            }
            if (spec.tiedTo() >= 0) {
                m.put("tied_to", spec.tiedTo());
            }
            if (spec.kind().rateName() != null) {
                m.put(spec.kind().rateName(), spec.rate());
            }
            if (!(spec.regularizer() instanceof ActivityRegularizer.None)) {
                m.put("activity_regularizer", regularizer(spec.regularizer()));
            }
            m.put("trainable", spec.trainable());
            m.put("inputs", layer.inputSize());
            List<Map<String, Object>> params = new ArrayList<>();
            for (int i = 0; i < spec.parameters().size(); i++) {
                LayerSpec.ParameterSpec ps = spec.parameters().get(i);
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("name", ps.name());
                pm.put("shape", ps.shape());
                if (withLayout) {
                    pm.put("offset", model.offsetOf(layer.parameters().get(i)));
                }
                params.add(pm);
            }
            m.put("parameters", params);
            parts.add(m);
        }
        return Map.of("parts", parts);
    }

    /**
     * The network of {@code model} as model.json's "network" describes it, without where its parameters lie: the
     * layer descriptions a spec file carries, which {@link #network(Map)} builds again.
     */
    public static Map<String, Object> describe(Model model) {
        return network(model.network(), model, false);
    }

    /**
     * A new, unbuilt network from its layer descriptions (model.json's "network", or {@link #describe}'s form):
     * each part a layer or a nested {"parts": [...]}; a layer's "parameters", if given, are not read.
     */
    public static Sequential network(Map<String, Object> config) {
        return sequential(config, new ArrayList<>());
    }

    @SuppressWarnings("unchecked")
    private static Sequential sequential(Map<String, Object> config, List<Layer> built) {
        List<Object> parts = new ArrayList<>();
        for (Object o : (List<Object>) config.get("parts")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.containsKey("parts")) {
                parts.add(sequential(m, built));
                continue;
            }
            Object init = m.get("init");
            Object tiedTo = m.get("tied_to");
            LayerKind kind = LayerKind.fromId(String.valueOf(m.get("type")));
            Object rate = kind.rateName() == null ? null : m.get(kind.rateName());
            LayerSpec spec = new LayerSpec(kind, ((Number) m.get("units")).intValue(),
                    Activation.fromId((String) m.get("activation")), init == null ? Init.GLOROT_UNIFORM : Init.valueOf(((String) init).toUpperCase()),
                    tiedTo == null ? -1 : ((Number) tiedTo).intValue(), !Boolean.FALSE.equals(m.get("trainable")), List.of(),
                    rate == null ? 0 : ((Number) rate).doubleValue(), regularizer(map(m.get("activity_regularizer"))));
            Layer layer = spec.build(built);
            built.add(layer);
            parts.add(layer);
        }
        return Sequential.of(parts.toArray());
    }

    /** An activity regularizer as model.json holds it: {"type": "l1", "l1": …} or {"type": "kl_divergence", "weight": …, "target": …}. */
    private static Map<String, Object> regularizer(ActivityRegularizer r) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r instanceof ActivityRegularizer.L1 l1) {
            m.put("type", "l1");
            m.put("l1", l1.l1());
        } else if (r instanceof ActivityRegularizer.KlDivergence kl) {
            m.put("type", "kl_divergence");
            m.put("weight", kl.weight());
            m.put("target", kl.target());
        }
        return m;
    }

    private static ActivityRegularizer regularizer(Map<String, Object> m) {
        if (m.isEmpty()) {
            return ActivityRegularizer.NONE;
        }
        return switch ((String) m.get("type")) {
            case "l1" -> new ActivityRegularizer.L1(((Number) m.get("l1")).doubleValue());
            case "kl_divergence" -> new ActivityRegularizer.KlDivergence(((Number) m.get("weight")).doubleValue(),
                    ((Number) m.get("target")).doubleValue());
            default -> throw new IllegalArgumentException("unknown activity regularizer '" + m.get("type") + "'");
        };
    }

    /** The metadata as model.json holds it: only what is known, and every setting, null or not. */
    private static Map<String, Object> json(Metadata meta) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfKnown(m, "recipe", meta.recipe());
        putIfKnown(m, "name", meta.name());
        putIfKnown(m, "encoder_parts", meta.encoderParts());
        RunSettings s = meta.settings();
        if (s != null) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("seed", s.seed());
            settings.put("batch_size", s.batchSize());
            settings.put("learning_rate", s.learningRate());
            settings.put("engine", s.engine());
            settings.put("threads", s.threads());
            settings.put("backend", s.backend());
            settings.put("lr_schedule", s.lrSchedule());
            m.put("settings", settings);
        }
        putIfKnown(m, "error_percentiles", meta.errorPercentiles());
        if (meta.scaler() != null) {
            Map<String, Object> scaler = new LinkedHashMap<>();
            scaler.put("kind", meta.scaler().kind().name().toLowerCase(Locale.ROOT));
            scaler.put("shift", meta.scaler().shift());
            scaler.put("divisor", meta.scaler().divisor());
            m.put("scaler", scaler);
        }
        putIfKnown(m, "sample_shape", meta.sampleShape());
        return m;
    }

    private static void putIfKnown(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** Reads what {@link #json(Metadata)} writes; files of older ae4j may lack any key, or name settings since renamed. */
    private static Metadata metadata(Map<String, Object> m) {
        Map<String, Object> s = m.get("settings") == null ? null : map(m.get("settings"));
        RunSettings settings = s == null ? null : new RunSettings(number(s, "seed").longValue(), number(s, "batch_size").intValue(),
                s.get("learning_rate") == null ? null : number(s, "learning_rate").doubleValue(), (String) s.get("engine"),
                s.get("threads") == null ? null : number(s, "threads").intValue(), (String) s.get("backend"),
                (String) s.get("lr_schedule"));
        double[] percentiles = m.get("error_percentiles") instanceof List<?> list
                ? list.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray() : null;
        Scaler scaler = null;
        if (m.get("scaler") != null) {
            Map<String, Object> sc = map(m.get("scaler"));
            scaler = new Scaler(Scaler.Kind.valueOf(((String) sc.get("kind")).toUpperCase(Locale.ROOT)), floats(sc.get("shift")),
                    floats(sc.get("divisor")));
        }
        int[] sampleShape = m.get("sample_shape") instanceof List<?> list
                ? list.stream().mapToInt(v -> ((Number) v).intValue()).toArray() : null;
        return new Metadata((String) m.get("recipe"), (String) m.get("name"),
                m.get("encoder_parts") == null ? null : number(m, "encoder_parts").intValue(), settings, percentiles, scaler, sampleShape);
    }

    private static float[] floats(Object list) {
        List<?> values = (List<?>) list;
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }

    private static Number number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("\"" + key + "\" is " + (m.containsKey(key) ? "not a number" : "missing"));
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static Metric[] metrics(Map<String, Object> config) {
        return ((List<String>) config.get("metrics")).stream().map(Metric::fromId).toArray(Metric[]::new);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] bytes(INDArray a) {
        double[] v = a.toDoubleVector();
        ByteBuffer buffer = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(v);
        return buffer.array();
    }

    private static double[] doubles(byte[] data) throws IOException {
        if (data.length % 8 != 0) {
            throw new IOException("a vector of " + data.length + " bytes is not float64");
        }
        double[] v = new double[data.length / 8];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
        return v;
    }
}
