package ae4j.train;

import ae4j.UserInputException;
import ae4j.nn.Activation;
import ae4j.nn.Dense;
import ae4j.nn.DenseTranspose;
import ae4j.nn.Init;
import ae4j.nn.Layer;
import ae4j.nn.Loss;
import ae4j.nn.Metric;
import ae4j.nn.Sequential;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model file, a zip: {@code model.json} (the network, loss, optimizer, metrics, and whatever the caller adds),
 * {@code params.bin} and {@code optimizer.bin} (the flat vectors, little-endian float64) and {@code training.json}
 * (epochs done, optimizer step, the shuffling generator's state, the History). That is everything a run needs to
 * continue exactly where it stopped. Files are written to a temporary file and renamed, so a crash never leaves a
 * half-written model; a damaged file is reported as such.
 */
public final class ModelFile {
    public static final String FORMAT = "ae4j-model/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFile() {
    }

    /** What a file holds besides the model itself: the caller's metadata ("recipe", "seed", ...). */
    public record Loaded(Model model, Map<String, Object> meta) {
    }

    public static void save(Model model, Path file, Map<String, Object> meta) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("format", FORMAT);
        config.put("input_size", model.inputSize());
        config.put("network", network(model.network(), model.layers()));
        config.put("loss", model.loss().id());
        config.put("optimizer", model.optimizer().config());
        config.put("metrics", model.metrics().stream().map(m -> m.id).toList());
        config.put("parameters", model.parameterCount());
        config.put("meta", meta);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs_done", model.history().epochs().size());
        training.put("iteration", model.iteration());
        training.put("shuffle_rng_state", model.shuffleState());
        training.put("history", model.history().toJson());

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                put(zip, "model.json", JSON.writeValueAsBytes(config));
                put(zip, "params.bin", bytes(model.params()));
                put(zip, "optimizer.bin", bytes(model.optimizerState()));
                put(zip, "training.json", JSON.writeValueAsBytes(training));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
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
            return new Loaded(model, map(c.config.get("meta")));
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
    public static Map<String, Object> restoreInto(Model model, Path file) {
        Contents c = read(file);
        Object saved = c.config.get("network");
        Object now = JSON.convertValue(network(model.network(), model.layers()), Object.class);
        if (!saved.equals(now) || !model.loss().id().equals(c.config.get("loss"))
                || !JSON.convertValue(model.optimizer().config(), Object.class).equals(c.config.get("optimizer"))) {
            throw new UserInputException(file + ": holds a different model (network, loss or optimizer) than the one asked for;"
                    + " resume with the same settings, or use another --out");
        }
        restore(model, c, file);
        return map(c.config.get("meta"));
    }

    private record Contents(Map<String, Object> config, Map<String, Object> training, double[] params, double[] optimizer) {
    }

    private static Contents read(Path file) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            throw new UserInputException(file + ": no such model file");
        } catch (ZipException | java.io.EOFException e) {
            throw new UserInputException(file + ": damaged model file (" + e.getMessage() + ")");
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
            if (!FORMAT.equals(config.get("format"))) {
                throw new UserInputException(file + ": not an ae4j model file (format " + config.get("format") + ")");
            }
            Map<String, Object> training = JSON.readValue(entries.get("training.json"), new TypeReference<>() {
            });
            return new Contents(config, training, doubles(entries.get("params.bin")), doubles(entries.get("optimizer.bin")));
        } catch (IOException e) {
            throw new UserInputException(file + ": damaged model file (" + e.getMessage() + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static void restore(Model model, Contents c, Path file) {
        if (c.params.length != model.parameterCount() || c.optimizer.length != model.optimizerState().length()) {
            throw new UserInputException(file + ": damaged model file (" + c.params.length + " parameters stored, "
                    + model.parameterCount() + " expected)");
        }
        DataType dtype = model.params().dataType();
        History history = History.fromJson((List<Map<String, Object>>) c.training.get("history"));
        model.restore(Nd4j.createFromArray(c.params).castTo(dtype), Nd4j.createFromArray(c.optimizer).castTo(dtype),
                ((Number) c.training.get("iteration")).longValue(), ((Number) c.training.get("shuffle_rng_state")).longValue(), history);
    }

    private static Map<String, Object> network(Sequential s, List<Layer> all) {
        List<Object> parts = new ArrayList<>();
        for (Object p : s.parts()) {
            if (p instanceof Sequential nested) {
                parts.add(network(nested, all));
            } else if (p instanceof Dense d) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "dense");
                m.put("units", d.outputSize());
                m.put("activation", d.activation().id());
                m.put("init", d.kernelInit().name().toLowerCase());
                parts.add(m);
            } else if (p instanceof DenseTranspose t) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "dense_transpose");
                m.put("tied_to", all.indexOf(t.tiedTo()));
                m.put("activation", t.activation().id());
                parts.add(m);
            } else {
                throw new IllegalStateException("cannot save layer " + p);
            }
        }
        return Map.of("parts", parts);
    }

    private static Sequential network(Map<String, Object> config) {
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
            Activation act = Activation.fromId((String) m.get("activation"));
            Layer layer = switch ((String) m.get("type")) {
                case "dense" -> new Dense(((Number) m.get("units")).intValue(), act, Init.valueOf(((String) m.get("init")).toUpperCase()));
                case "dense_transpose" -> new DenseTranspose((Dense) built.get(((Number) m.get("tied_to")).intValue()), act);
                default -> throw new IllegalArgumentException("unknown layer type " + m.get("type"));
            };
            built.add(layer);
            parts.add(layer);
        }
        return Sequential.of(parts.toArray());
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
