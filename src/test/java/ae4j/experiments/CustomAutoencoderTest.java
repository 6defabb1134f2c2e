package ae4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.Rng;
import ae4j.UserInputException;
import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import ae4j.train.Engine;
import ae4j.train.History;
import ae4j.train.Model;
import ae4j.train.ModelFile;
import ae4j.train.TestEngines;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Custom autoencoders: the spec's parsers and JSON forms, the networks they build, and training on every engine. */
class CustomAutoencoderTest {
    static final int WIDTH = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** n 20-D rows near a 3-D subspace: z·A + 0.05·noise, z standard normal, A fixed by the seed. */
    static INDArray nearSubspace(int n, long seed) {
        Rng rng = new Rng(seed);
        double[][] a = new double[3][WIDTH];
        Rng basis = new Rng(7);
        for (double[] row : a) {
            for (int j = 0; j < WIDTH; j++) {
                row[j] = basis.nextGaussian() / Math.sqrt(3);
            }
        }
        float[][] x = new float[n][WIDTH];
        for (float[] row : x) {
            double[] z = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            for (int j = 0; j < WIDTH; j++) {
                row[j] = (float) (z[0] * a[0][j] + z[1] * a[1][j] + z[2] * a[2][j] + 0.05 * rng.nextGaussian());
            }
        }
        return Nd4j.createFromArray(x);
    }

    /** The same rows squashed into (0, 1), for the sigmoid-and-BCE models. */
    static INDArray inUnitRange(INDArray x) {
        return Transforms.sigmoid(x, true);
    }

    static CustomSpec spec(String... keysAndValues) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            options.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return CustomSpec.fromOptions(options);
    }

    @Test
    void theOptionsParseInTheirCommandLineForms() {
        CustomSpec s = spec("layers", "256, 64,16", "tied", "true", "activation", "linear", "noise", "gaussian:0.1", "sparse",
                "kl:0.05:0.1", "optimizer", "nadam:2e-3");
        assertEquals(List.of(256, 64, 16), s.layers());
        assertTrue(s.tied());
        assertEquals(Activation.IDENTITY, s.activation());
        assertEquals(new CustomSpec.Corruption.Gaussian(0.1), s.noise());
        assertEquals(new ActivityRegularizer.KlDivergence(0.05, 0.1), s.sparse());
        assertEquals(new Optimizer.Nadam(2e-3), s.optimizer());
        assertEquals(Activation.ELU, CustomSpec.parseActivation("ELU"));
        assertEquals(new Optimizer.Sgd(1.5), CustomSpec.parseOptimizer("sgd:1.5"));
        assertEquals(new Optimizer.Rmsprop(), CustomSpec.parseOptimizer("rmsprop"));
        assertEquals(new CustomSpec.Corruption.Dropout(0.2), CustomSpec.parseNoise("dropout:0.2"));
        assertEquals(new ActivityRegularizer.L1(1e-3), CustomSpec.parseSparse("l1:1e-3"));
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertMessage("--layers 64,x: 'x' is not a width", () -> CustomSpec.parseLayers("64,x"));
        assertMessage("--layers needs one or more positive widths", () -> spec("layers", "64,0"));
        assertMessage("--activation must be selu, relu, elu, tanh, sigmoid or linear, not 'gelu'", () -> CustomSpec.parseActivation("gelu"));
        assertMessage("--optimizer must be sgd, adam, nadam or rmsprop, not 'adagrad'", () -> CustomSpec.parseOptimizer("adagrad:1"));
        assertMessage("--optimizer adam:fast: 'fast' is not a number", () -> CustomSpec.parseOptimizer("adam:fast"));
        assertMessage("--noise dropout:1: the dropout rate must be in [0, 1)", () -> CustomSpec.parseNoise("dropout:1"));
        assertMessage("--sparse kl:0.05:2: the KL regularizer needs", () -> CustomSpec.parseSparse("kl:0.05:2"));
        assertMessage("--variational and --tied do not combine", () -> spec("tied", "true", "variational", "true"));
        assertMessage("--loss bce needs --output sigmoid", () -> spec("output", "linear", "loss", "bce"));
        assertMessage("unknown option of a custom autoencoder: width", () -> spec("width", "3"));
    }

    static void assertMessage(String start, org.junit.jupiter.api.function.Executable e) {
        String message = assertThrows(UserInputException.class, e).getMessage();
        assertTrue(message.startsWith(start), message);
    }

    @Test
    void theOutputAndLossFollowTheData() {
        CustomSpec.OutputChoice unit = CustomSpec.outputFor(inUnitRange(nearSubspace(50, 1)));
        assertEquals(Activation.SIGMOID, unit.output());
        assertEquals(Loss.BINARY_CROSSENTROPY, unit.loss());
        assertTrue(unit.reason().startsWith("sigmoid output with binary cross-entropy"), unit.reason());
        CustomSpec.OutputChoice real = CustomSpec.outputFor(nearSubspace(50, 1));
        assertEquals(Activation.IDENTITY, real.output());
        assertEquals(Loss.MSE, real.loss());
        assertTrue(real.reason().contains("outside [0, 1]"), real.reason());
        assertEquals(Loss.MSE, spec("output", "linear").resolvedFor(unit).loss(), "a linear output takes MSE");
        assertEquals(Activation.SIGMOID, spec("loss", "bce").resolvedFor(real).output(), "BCE takes a sigmoid output");
    }

    @Test
    void theSpecRoundTripsThroughJson() throws IOException {
        CustomSpec s = spec("layers", "32,8", "tied", "true", "activation", "tanh", "output", "sigmoid", "loss", "bce", "noise",
                "dropout:0.2", "sparse", "l1:0.001", "optimizer", "rmsprop:0.002");
        Map<String, Object> json = JSON.readValue(JSON.writeValueAsBytes(s.toJson()), new TypeReference<>() {
        });
        assertEquals(s, CustomSpec.fromJson(json));
        assertEquals(List.of(32, 8), json.get("layers"));
        assertEquals("dropout:0.2", json.get("noise"));
        CustomSpec v = spec("variational", "true", "optimizer", "sgd:1.5");
        assertEquals(v, CustomSpec.fromJson(JSON.readValue(JSON.writeValueAsBytes(v.toJson()), new TypeReference<>() {
        })));
    }

    @Test
    void theNetworkMirrorsTheWidthsAndTiedHasFewerParameters() {
        CustomSpec.OutputChoice real = CustomSpec.outputFor(nearSubspace(10, 1));
        long untied = CustomAutoencoder.of(spec("layers", "12,3").resolvedFor(real), WIDTH).compile(Engine.nd4j(1).verbose(false))
                .parameterCount();
        assertEquals(20 * 12 + 12 + 12 * 3 + 3 + 3 * 12 + 12 + 12 * 20 + 20, untied);
        long tied = CustomAutoencoder.of(spec("layers", "12,3", "tied", "true").resolvedFor(real), WIDTH)
                .compile(Engine.nd4j(1).verbose(false)).parameterCount();
        assertEquals(20 * 12 + 12 + 12 * 3 + 3 + 12 + 20, tied, "the transposes own only their biases");
        long variational = CustomAutoencoder.of(spec("layers", "12,3", "variational", "true").resolvedFor(real), WIDTH)
                .compile(Engine.nd4j(1).verbose(false)).parameterCount();
        assertEquals(20 * 12 + 12 + 12 * 6 + 6 + 3 * 12 + 12 + 12 * 20 + 20, variational, "mean and log-variance heads");
    }

    /** The combinations of options that train: the options, and whether the data is in [0, 1] (sigmoid and BCE). */
    static Stream<Arguments> combinations() {
        List<Object[]> specs = List.of(
                new Object[]{new String[]{"layers", "12,3"}, false},
                new Object[]{new String[]{"layers", "12,3", "tied", "true", "activation", "relu"}, false},
                new Object[]{new String[]{"layers", "12,3", "activation", "elu", "optimizer", "adam:0.01"}, false},
                new Object[]{new String[]{"layers", "12,3", "activation", "tanh", "noise", "gaussian:0.1", "optimizer", "nadam:0.01"}, false},
                new Object[]{new String[]{"layers", "12,6", "noise", "dropout:0.2", "sparse", "l1:1e-3", "optimizer", "sgd:1.5"}, true},
                new Object[]{new String[]{"layers", "12,6", "tied", "true", "sparse", "kl:0.05:0.1", "optimizer", "rmsprop:0.01"}, true},
                new Object[]{new String[]{"layers", "12,3", "activation", "sigmoid", "variational", "true", "optimizer", "adam:0.01"}, true},
                new Object[]{new String[]{"layers", "6", "activation", "linear", "optimizer", "adam:0.01"}, false});
        return TestEngines.names().flatMap(engine -> specs.stream().map(s -> Arguments.of(engine, s[0], s[1])));
    }

    @ParameterizedTest
    @MethodSource("combinations")
    void everyCombinationTrainsOnEveryEngine(String engine, String[] options, boolean unitRange) {
        INDArray x = unitRange ? inUnitRange(nearSubspace(256, 3)) : nearSubspace(256, 3);
        CustomSpec s = spec(options).resolvedFor(CustomSpec.outputFor(x));
        Model model = CustomAutoencoder.of(s, WIDTH).compile(TestEngines.create(engine, DataType.FLOAT, 5));
        History history = model.fit(x, x, 6, 32, null, null);
        double first = history.epochs().get(0).loss();
        double last = history.last().loss();
        assertTrue(last < first, String.join(" ", options) + ": the loss fell from " + first + " to " + last);
    }

    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void aSavedCustomModelResumesExactly(String engine) throws IOException {
        INDArray x = nearSubspace(128, 4);
        CustomSpec s = spec("layers", "12,3", "tied", "true", "noise", "gaussian:0.1", "optimizer", "nadam:0.01")
                .resolvedFor(CustomSpec.outputFor(x));
        Model straight = CustomAutoencoder.of(s, WIDTH).compile(TestEngines.create(engine, DataType.FLOAT, 9));
        straight.fit(x, x, 4, 32, null, null);
        Model first = CustomAutoencoder.of(s, WIDTH).compile(TestEngines.create(engine, DataType.FLOAT, 9));
        first.fit(x, x, 2, 32, null, null);
        Path file = dir.resolve("custom.zip");
        ModelFile.save(first, file, ModelFile.Metadata.NONE);
        Model resumed = ModelFile.load(file, TestEngines.create(engine, DataType.FLOAT, 9)).model();
        resumed.fit(x, x, 4, 32, null, null);
        assertArrayEquals(straight.params().toFloatVector(), resumed.params().toFloatVector());
    }

    /** A saved model's layer descriptions, edited (another coding width), build a network that trains. */
    @Test
    void layerDescriptionsRebuildTheNetworkAndCanBeEdited() throws IOException {
        INDArray x = nearSubspace(128, 4);
        CustomSpec s = spec("layers", "12,3", "tied", "true", "sparse", "l1:1e-3").resolvedFor(CustomSpec.outputFor(x));
        Model model = CustomAutoencoder.of(s, WIDTH).compile(Engine.nd4j(1).verbose(false));
        Map<String, Object> json = JSON.readValue(JSON.writeValueAsBytes(CustomAutoencoder.layerJson(model)), new TypeReference<>() {
        });
        CustomAutoencoder again = CustomAutoencoder.fromLayerJson(json);
        Model rebuilt = again.compile(Engine.nd4j(1).verbose(false));
        assertEquals(JSON.writeValueAsString(CustomAutoencoder.layerJson(model)), JSON.writeValueAsString(CustomAutoencoder.layerJson(rebuilt)));
        assertEquals(model.parameterCount(), rebuilt.parameterCount());

        String edited = JSON.writeValueAsString(json).replace("\"units\":3,", "\"units\":5,");
        CustomAutoencoder wider = CustomAutoencoder.fromLayerJson(JSON.readValue(edited, new TypeReference<>() {
        }));
        Model trained = wider.compile(Engine.nd4j(1).verbose(false));
        assertEquals(5, wider.autoencoder().encoder().layers().get(1).outputSize());
        History h = trained.fit(x, x, 3, 32, null, null);
        assertTrue(h.last().loss() < h.epochs().get(0).loss());
    }
}
