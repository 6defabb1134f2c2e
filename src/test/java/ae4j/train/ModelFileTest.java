package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.UserInputException;
import ae4j.nn.Dense;
import ae4j.nn.DenseTranspose;
import ae4j.nn.Layer;
import ae4j.nn.LayerSpec;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.LayerKind;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Layers describe themselves in the model file, and a restore checks and places every parameter by its layer. */
class ModelFileTest {
    @TempDir
    Path dir;

    static final INDArray X = TinyModels.images(100, 4);

    @Test
    void layersDescribeTheirKindSizesTrainableFlagAndParameters() {
        Dense d1 = new Dense(5, Activation.SELU);
        DenseTranspose t1 = new DenseTranspose(d1, Activation.SIGMOID);
        Sequential.of(d1, t1).build(8);
        d1.setTrainable(false);
        LayerSpec dense = d1.describe(List.of(d1, t1));
        assertEquals(LayerKind.DENSE, dense.kind());
        assertFalse(dense.trainable());
        assertEquals(List.of("W [8, 5]", "b [5]"), dense.parameters().stream().map(LayerSpec.ParameterSpec::describe).toList());
        LayerSpec tied = t1.describe(List.of(d1, t1));
        assertEquals(0, tied.tiedTo());
        assertEquals(List.of("b [8]"), tied.parameters().stream().map(LayerSpec.ParameterSpec::describe).toList(), "the W is its Dense's");
    }

    /** A frozen first layer is laid out after the trainable ones: a reload must put each W back where it belongs. */
    @Test
    void aModelWithFrozenLayersReloadsInTheRightOrder() throws IOException {
        Dense frozenLayer = new Dense(12, Activation.SELU);
        Sequential network = Sequential.of(frozenLayer, new Dense(TinyModels.PIXELS, Activation.SIGMOID));
        Model model = Engine.nd4j(3).verbose(false).compile(network, TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0));
        frozenLayer.setTrainable(false);
        Model frozen = Engine.nd4j(3).verbose(false).compile(network, TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0),
                Metric.ROUNDED_ACCURACY);
        assertTrue(frozen.offsetOf(frozenLayer.kernel()) > 0, "the frozen W comes after the trainable parameters");
        frozen.fit(X, X, 1, 20, null, null);
        Path file = dir.resolve("frozen.zip");
        ModelFile.save(frozen, file, ModelFile.Metadata.NONE);

        Model reloaded = ModelFile.load(file, Engine.nd4j(9)).model();
        assertFalse(reloaded.layers().get(0).trainable(), "the trainable flag is restored");
        assertArrayEquals(frozen.params().toFloatVector(), reloaded.params().toFloatVector());
        assertArrayEquals(frozen.predict(X).data().asFloat(), reloaded.predict(X).data().asFloat(), "the same function");
        assertEquals(model.parameterCount(), reloaded.parameterCount());
    }

    @Test
    void aParameterOfAnotherShapeIsAClearError() throws IOException {
        Model model = Engine.nd4j(3).verbose(false).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0));
        Path file = dir.resolve("model.zip");
        ModelFile.save(model, file, ModelFile.Metadata.NONE);
        Path tampered = dir.resolve("tampered.zip");
        rewrite(file, tampered, "model.json", json -> json.replaceFirst("\"shape\" : \\[ 64, 24 \\]", "\"shape\" : [ 64, 25 ]"));
        UserInputException e = assertThrows(UserInputException.class, () -> ModelFile.load(tampered, Engine.nd4j(3)));
        assertTrue(e.getMessage().contains("layer 0") && e.getMessage().contains("[64, 25]") && e.getMessage().contains("[64, 24]"), e.getMessage());
    }

    /** Each later model saves every layer's kind, setting and regularizer, and reloads as the same function. */
    @ParameterizedTest
    @EnumSource(TinyModels.Later.class)
    void theLaterModelsSaveAndReloadTheirLayers(TinyModels.Later later) throws IOException {
        Model model = Engine.nd4j(3).verbose(false).compile(later.network.get(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, later.optimizer(),
                Metric.ROUNDED_ACCURACY);
        model.fit(X, X, 1, 20, null, null);
        Path file = dir.resolve(later + ".zip");
        ModelFile.save(model, file, ModelFile.Metadata.NONE);
        Model reloaded = ModelFile.load(file, Engine.nd4j(9).verbose(false)).model();
        for (int l = 0; l < model.layers().size(); l++) {
            LayerSpec saved = model.layers().get(l).describe(model.layers());
            LayerSpec back = reloaded.layers().get(l).describe(reloaded.layers());
            assertEquals(saved.kind(), back.kind(), "layer " + l);
            assertEquals(saved.units(), back.units());
            assertEquals(saved.init(), back.init());
            assertEquals(saved.rate(), back.rate());
            assertEquals(saved.regularizer(), back.regularizer());
        }
        assertEquals(model.optimizer(), reloaded.optimizer());
        assertArrayEquals(model.params().toFloatVector(), reloaded.params().toFloatVector());
        assertEquals(model.predict(X), reloaded.predict(X), "the same function (Sampling: the same noise seed and step)");
        assertEquals(model.evaluate(X, X), reloaded.evaluate(X, X));
    }

    @Test
    void theNewLayersDescribeThemselves() {
        Dense coding = new Dense(30, Activation.SIGMOID, ae4j.spec.Init.GLOROT_UNIFORM, new ActivityRegularizer.KlDivergence(0.05, 0.1));
        List<Layer> layers = List.of(new ae4j.nn.GaussianNoise(0.2), new ae4j.nn.Dropout(0.5), new Dense(20, Activation.SELU), coding,
                new ae4j.nn.ActivityRegularization(1e-3), new Dense(8, Activation.IDENTITY, ae4j.spec.Init.GLOROT_UNIFORM_TWO_HEADS),
                new ae4j.nn.Sampling(1.0 / 784));
        Sequential.of(layers.toArray()).build(TinyModels.PIXELS);
        List<LayerSpec> specs = layers.stream().map(l -> l.describe(layers)).toList();
        assertEquals(List.of(LayerKind.GAUSSIAN_NOISE, LayerKind.DROPOUT, LayerKind.DENSE, LayerKind.DENSE, LayerKind.ACTIVITY_REGULARIZATION,
                LayerKind.DENSE, LayerKind.SAMPLING), specs.stream().map(LayerSpec::kind).toList());
        assertEquals(0.2, specs.get(0).rate());
        assertEquals("stddev", specs.get(0).kind().rateName());
        assertEquals(0.5, specs.get(1).rate());
        assertEquals(new ActivityRegularizer.KlDivergence(0.05, 0.1), specs.get(3).regularizer());
        assertEquals(new ActivityRegularizer.L1(1e-3), specs.get(4).regularizer());
        assertEquals(4, specs.get(6).units(), "Sampling halves its inputs: mean and log-variance side by side");
        assertTrue(specs.stream().filter(sp -> sp.kind() != LayerKind.DENSE).allMatch(sp -> sp.parameters().isEmpty()));
    }

    /**
     * The metadata keeps its keys in model.json, so files written before it was a record still read: among them
     * those of an older ae4j whose settings named "kernels" and no engine or threads.
     */
    @Test
    void theMetadataKeepsItsKeysAndOlderFilesStillRead() throws IOException {
        Model model = Engine.nd4j(3).verbose(false).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0));
        ModelFile.Metadata meta = new ModelFile.Metadata("stacked", "model", 1, RunSettings.of(42, 32, Double.NaN, "native", 2, "cpu"));
        Path file = dir.resolve("model.zip");
        ModelFile.save(model, file, meta);
        assertEquals(meta, ModelFile.load(file, Engine.nd4j(3)).meta());
        ObjectMapper json = new ObjectMapper();
        String written = "{\"recipe\": \"stacked\", \"name\": \"model\", \"encoder_parts\": 1, \"settings\": {\"seed\": 42, "
                + "\"batch_size\": 32, \"learning_rate\": null, \"engine\": \"native\", \"threads\": 2, \"backend\": \"cpu\", "
                + "\"lr_schedule\": null}}";
        assertEquals(json.readTree(written), json.readTree(entry(file, "model.json")).get("meta"));

        Path older = dir.resolve("older.zip");
        rewrite(file, older, "model.json", text -> text.replace("\"engine\" : \"native\",\n      \"threads\" : 2,", "\"kernels\" : \"NATIVE\",")
                .replace(",\n      \"lr_schedule\" : null", ""));
        assertFalse(entry(older, "model.json").contains("lr_schedule"), "written before the learning-rate schedules");
        assertEquals(new ModelFile.Metadata("stacked", "model", 1, new RunSettings(42, 32, null, null, null, "cpu")),
                ModelFile.load(older, Engine.nd4j(3)).meta());

        Path none = dir.resolve("none.zip");
        ModelFile.save(model, none, ModelFile.Metadata.NONE);
        assertEquals(json.readTree("{}"), json.readTree(entry(none, "model.json")).get("meta"));
        assertEquals(ModelFile.Metadata.NONE, ModelFile.load(none, Engine.nd4j(3)).meta());
    }

    static String entry(Path file, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(file + " has no " + name);
    }

    /**
     * A model file is untrusted input: an entry that inflates past what model.json declares (a zip bomb), a
     * declaration no heap can hold end in one line, before the memory is taken.
     */
    @Test
    void entriesAreReadOnlyWithinWhatModelJsonDeclares() throws IOException {
        Model model = Engine.nd4j(3).verbose(false).compile(TinyModels.stacked(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY,
                new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        Path good = dir.resolve("good.zip");
        ModelFile.save(model, good, ModelFile.Metadata.NONE);
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(good))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }

        Path bomb = dir.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            out.putNextEntry(new ZipEntry("model.json"));
            out.write(entries.get("model.json"));
            out.putNextEntry(new ZipEntry("params.bin"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) { // 256 MB of zeros, about 250 KB deflated
                out.write(zeros);
            }
            out.closeEntry();
        }
        assertTrue(Files.size(bomb) < 2 << 20, "the bomb is small on disk");
        UserInputException inflated = assertThrows(UserInputException.class, () -> ModelFile.load(bomb, Engine.nd4j(0)));
        assertTrue(inflated.getMessage().contains("params.bin holds more than the " + String.format("%,d", 8 * model.parameterCount())
                + " bytes it may"), inflated.getMessage());

        Path huge = dir.resolve("huge.zip");
        String json = new String(entries.get("model.json"), StandardCharsets.UTF_8);
        String declaresMore = json.replaceFirst("\"parameters\"\\s*:\\s*\\d+", "\"parameters\" : 500000000000");
        assertTrue(!declaresMore.equals(json));
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(huge))) {
            out.putNextEntry(new ZipEntry("model.json"));
            out.write(declaresMore.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        UserInputException declared = assertThrows(UserInputException.class, () -> ModelFile.load(huge, Engine.nd4j(0)));
        assertTrue(declared.getMessage().contains("declares 500,000,000,000 parameters, more than this JVM's heap"), declared.getMessage());

        assertEquals(model.parameterCount(), ModelFile.load(good, Engine.nd4j(0)).model().parameterCount(), "a file ae4j wrote still loads");
    }

    static void rewrite(Path from, Path to, String entry, java.util.function.UnaryOperator<String> change) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        String text = new String(entries.get(entry), StandardCharsets.UTF_8);
        String changed = change.apply(text);
        assertTrue(!changed.equals(text), "the test changed " + entry);
        entries.put(entry, changed.getBytes(StandardCharsets.UTF_8));
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }
}
