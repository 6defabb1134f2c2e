package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.UserInputException;
import ae4j.nn.Sequential;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Same seed ⇒ same History and weights; save/load; a resumed run equals a straight one. */
class ReproducibilityTest {
    @TempDir
    Path dir;

    static final INDArray X = TinyModels.images(300, 2);
    static final INDArray X_VALID = TinyModels.images(60, 3);

    static Model compile(long seed, Supplier<Sequential> network) {
        return Engine.nd4j(seed).verbose(false).compile(network.get(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY,
                new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
    }

    /** The History without wall times, which differ run to run. */
    static List<List<Object>> values(History h) {
        return h.epochs().stream().map(e -> List.<Object>of(e.epoch(), e.loss(), e.metrics(), e.valLoss(), e.valMetrics())).toList();
    }

    static Model compile(String engine, long seed, Supplier<Sequential> network) {
        return TestEngines.create(engine, org.nd4j.linalg.api.buffer.DataType.FLOAT, seed).compile(network.get(), TinyModels.PIXELS,
                Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
    }

    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void sameSeedSameHistoryAndWeights(String engine) {
        Model a = compile(engine, 7, TinyModels::stacked);
        Model b = compile(engine, 7, TinyModels::stacked);
        a.fit(X, X, 3, 32, X_VALID, X_VALID);
        b.fit(X, X, 3, 32, X_VALID, X_VALID);
        assertEquals(values(a.history()), values(b.history()));
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector());

        Model c = compile(engine, 8, TinyModels::stacked);
        c.fit(X, X, 3, 32, X_VALID, X_VALID);
        assertNotEquals(values(a.history()), values(c.history()), "another seed, another run");
    }

    @Test
    void parameterCountsOfTheChaptersModels() {
        assertEquals(163_814, ae4j.train.Engine.nd4j(1).compile(ae4j.experiments.StackedAutoencoder.build().network(), 784, Loss.BINARY_CROSSENTROPY,
                new Optimizer.Sgd(1.5)).parameterCount());
        assertEquals(82_414, ae4j.train.Engine.nd4j(1).compile(ae4j.experiments.TiedAutoencoder.build().network(), 784, Loss.BINARY_CROSSENTROPY,
                new Optimizer.Sgd(1.5)).parameterCount());
    }

    @Test
    void resumingAfterFourEpochsGivesTheWeightsOfTenStraight() throws IOException {
        for (Supplier<Sequential> network : List.<Supplier<Sequential>>of(TinyModels::stacked, TinyModels::tied)) {
            Model straight = compile(11, network);
            straight.fit(X, X, 10, 32, X_VALID, X_VALID);

            Path file = dir.resolve("model.zip");
            Model first = compile(11, network);
            first.fit(X, X, 4, 32, X_VALID, X_VALID, new ModelCheckpoint(file, ModelFile.Metadata.NONE));

            Model resumed = compile(11, network);
            ModelFile.restoreInto(resumed, file);
            assertEquals(4, resumed.history().epochs().size());
            resumed.fit(X, X, 10, 32, X_VALID, X_VALID);

            assertArrayEquals(straight.params().toFloatVector(), resumed.params().toFloatVector());
            assertEquals(values(straight.history()), values(resumed.history()));
        }
    }

    /** Nadam also carries its schedule Π_t, which a resumed run rebuilds to the same bits. */
    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void resumingWithMomentumRestoresTheOptimizerState(String engine) throws IOException {
        Supplier<Model> build = () -> TestEngines.create(engine, org.nd4j.linalg.api.buffer.DataType.FLOAT, 3).compile(TinyModels.stacked(),
                TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, new Optimizer.Nadam(0.01));
        Model straight = build.get();
        straight.fit(X, X, 4, 32, null, null);
        Path file = dir.resolve("nadam.zip");
        Model first = build.get();
        first.fit(X, X, 2, 32, null, null, new ModelCheckpoint(file, ModelFile.Metadata.NONE));
        Model resumed = build.get();
        ModelFile.restoreInto(resumed, file);
        resumed.fit(X, X, 4, 32, null, null);
        assertArrayEquals(straight.params().toFloatVector(), resumed.params().toFloatVector());
    }

    @Test
    void loadRebuildsTheNetworkWithItsWeights() throws IOException {
        Model trained = compile(4, TinyModels::tied);
        trained.fit(X, X, 2, 32, null, null);
        Path file = dir.resolve("tied.zip");
        ModelFile.save(trained, file, new ModelFile.Metadata("test", null, null, null));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        ModelFile.Loaded loaded = ModelFile.load(file, Engine.nd4j(99).verbose(false));
        assertEquals("test", loaded.meta().recipe());
        assertEquals(trained.parameterCount(), loaded.model().parameterCount());
        assertEquals(trained.predict(X_VALID), loaded.model().predict(X_VALID));
    }

    @Test
    void damagedOrForeignFilesAreClearErrors() throws IOException {
        Path damaged = dir.resolve("damaged.zip");
        Model m = compile(1, TinyModels::stacked);
        ModelFile.save(m, damaged, ModelFile.Metadata.NONE);
        byte[] bytes = Files.readAllBytes(damaged);
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String message = assertThrows(UserInputException.class, () -> ModelFile.load(damaged, Engine.nd4j(1))).getMessage();
        assertTrue(message.startsWith(damaged.toString()) && message.contains("damaged"), message);

        Path text = Files.writeString(dir.resolve("notes.zip"), "hello");
        assertThrows(UserInputException.class, () -> ModelFile.load(text, Engine.nd4j(1)));

        Path other = dir.resolve("other.zip");
        ModelFile.save(compile(1, TinyModels::tied), other, ModelFile.Metadata.NONE);
        message = assertThrows(UserInputException.class, () -> ModelFile.restoreInto(compile(1, TinyModels::stacked), other)).getMessage();
        assertTrue(message.contains("different model"), message);
        assertFalse(message.contains("\n"));
    }
}
