package ae4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.engine.Noise;
import ae4j.nn.Layer;
import ae4j.nn.Sequential;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The noise layers and the loss terms beyond the reconstruction loss, on every engine: they draw the same numbers
 * whatever the engine or the thread split (so runs agree to float64 rounding), repeat with the seed, stay off
 * outside training (Sampling excepted), survive a resume, and the loss is Keras's: computed here by hand from the
 * model's own outputs and {@link Noise}'s numbers.
 */
class NoiseLayersTest {
    @TempDir
    Path dir;

    /** 61 and 23 rows: batches of 8 end with a short one, and a batch of 8 splits unevenly across threads. */
    static final INDArray X = TinyModels.images(61, 5).castTo(DataType.DOUBLE);
    static final INDArray X_VALID = TinyModels.images(23, 6).castTo(DataType.DOUBLE);

    static Model compile(String engine, TinyModels.Later later, long seed) {
        return TestEngines.create(engine, DataType.DOUBLE, seed).compile(later.network.get(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY,
                later.optimizer(), Metric.ROUNDED_ACCURACY);
    }

    static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
    }

    @ParameterizedTest
    @EnumSource(TinyModels.Later.class)
    void everyEngineAndThreadSplitDrawsTheSameNumbers(TinyModels.Later later) {
        Model reference = compile("nd4j", later, 31);
        reference.fit(X, X, 2, 8, X_VALID, X_VALID);
        for (String engine : List.of("native", "native-2")) {
            Model other = compile(engine, later, 31);
            other.fit(X, X, 2, 8, X_VALID, X_VALID);
            for (int e = 0; e < 2; e++) {
                EpochLog a = reference.history().epochs().get(e);
                EpochLog b = other.history().epochs().get(e);
                assertClose(a.loss(), b.loss(), engine + " loss, epoch " + (e + 1));
                assertClose(a.valLoss(), b.valLoss(), engine + " val_loss, epoch " + (e + 1));
                assertClose(a.valMetrics().get("rounded_accuracy"), b.valMetrics().get("rounded_accuracy"), engine + " val_rounded_accuracy");
            }
            assertArrayEquals(reference.params().toDoubleVector(), other.params().toDoubleVector(), 1e-9, engine + " parameters");
            assertArrayEquals(reference.predict(X_VALID).data().asDouble(), other.predict(X_VALID).data().asDouble(), 1e-9,
                    engine + " predictions");
        }
    }

    static Stream<Arguments> enginesAndLaterModels() {
        return TestEngines.names().flatMap(e -> Stream.of(TinyModels.Later.values()).map(l -> Arguments.of(e, l)));
    }

    @ParameterizedTest
    @MethodSource("enginesAndLaterModels")
    void aRunRepeatsWithItsSeedAndNotWithAnother(String engine, TinyModels.Later later) {
        Model a = compile(engine, later, 7);
        Model b = compile(engine, later, 7);
        Model c = compile(engine, later, 8);
        for (Model m : List.of(a, b, c)) {
            m.fit(X, X, 2, 8, X_VALID, X_VALID);
        }
        assertEquals(ReproducibilityTest.values(a.history()), ReproducibilityTest.values(b.history()));
        assertArrayEquals(a.params().toDoubleVector(), b.params().toDoubleVector());
        assertNotEquals(ReproducibilityTest.values(a.history()), ReproducibilityTest.values(c.history()));
    }

    /** The network without its first layer, as a part of the model (a contiguous run of its layers). */
    static Sequential withoutFirstLayer(Model model) {
        List<Layer> layers = model.layers();
        return Sequential.of(layers.subList(1, layers.size()).toArray());
    }

    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void gaussianNoiseAndDropoutAreTheIdentityOutsideTraining(String engine) {
        for (TinyModels.Later later : List.of(TinyModels.Later.GAUSSIAN_NOISE, TinyModels.Later.DROPOUT)) {
            Model model = compile(engine, later, 3);
            model.fit(X, X, 1, 8, null, null);
            assertArrayEquals(model.predict(withoutFirstLayer(model), X_VALID).data().asDouble(), model.predict(X_VALID).data().asDouble(),
                    later + " on " + engine);
        }
    }

    /** Keras's BCE of a row, from the logits (what the fused loss computes), averaged over the features. */
    static double bce(double[] target, double[] prediction) {
        double sum = 0;
        for (int j = 0; j < target.length; j++) {
            double z = Math.log(prediction[j] / (1 - prediction[j]));
            sum += Math.max(z, 0) - z * target[j] + Math.log1p(Math.exp(-Math.abs(z)));
        }
        return sum / target.length;
    }

    static double[][] rows(INDArray a) {
        return a.toDoubleMatrix();
    }

    static Sequential part(Model model, int from, int to) {
        return Sequential.of(model.layers().subList(from, to).toArray());
    }

    /** Σ over the rows of their BCE. */
    static double bceSum(Model model, INDArray x) {
        double[][] y = rows(x);
        double[][] p = rows(model.predict(x));
        double sum = 0;
        for (int r = 0; r < y.length; r++) {
            sum += bce(y[r], p[r]);
        }
        return sum;
    }

    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void l1ActivityLossIsTheFactorTimesTheSumOfAbsoluteCodingsPerRow(String engine) {
        Model model = compile(engine, TinyModels.Later.L1, 4);
        model.fit(X, X, 1, 8, null, null);
        double[][] codings = rows(model.predict(part(model, 0, 3), X_VALID));
        double l1 = 0;
        for (double[] row : codings) {
            for (double a : row) {
                l1 += 1e-3 * Math.abs(a);
            }
        }
        double expected = (bceSum(model, X_VALID) + l1) / X_VALID.rows();
        assertClose(expected, model.evaluate(X_VALID, X_VALID).loss(), engine);
        assertTrue(l1 / X_VALID.rows() > 1e-3, "the term matters: " + l1);
    }

    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void klLossIsTakenPerBatchOfTheMeanActivations(String engine) {
        Model model = compile(engine, TinyModels.Later.KL, 4);
        model.fit(X, X, 1, 8, null, null);
        INDArray x = TinyModels.images(45, 8).castTo(DataType.DOUBLE); // Model.evaluate's batches of 32: 32 and 13
        double[][] codings = rows(model.predict(part(model, 0, 2), x));
        double kl = 0;
        for (int[] batch : new int[][]{{0, 32}, {32, 45}}) {
            for (int j = 0; j < codings[0].length; j++) {
                double m = 0;
                for (int r = batch[0]; r < batch[1]; r++) {
                    m += codings[r][j] / (batch[1] - batch[0]);
                }
                kl += 0.05 * (0.1 * Math.log(0.1 / m) + 0.9 * Math.log(0.9 / (1 - m))); // no clip is active here
            }
        }
        double expected = (bceSum(model, x) + kl) / x.rows();
        assertClose(expected, model.evaluate(x, x).loss(), engine);
        assertTrue(kl / x.rows() > 1e-3, "the term matters: " + kl);
    }

    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void variationalLossIsBceOfTheSampledCodingsPlusTheLatentLoss(String engine) {
        Model model = compile(engine, TinyModels.Later.VARIATIONAL, 4);
        model.fit(X, X, 1, 8, null, null);
        double[][] heads = rows(model.predict(part(model, 0, 2), X_VALID));
        int k = heads[0].length / 2;
        long key = Noise.key(model.noiseSeed(), 2, Noise.EVALUATE, model.iteration());
        double[][] z = new double[heads.length][k];
        double latent = 0;
        for (int r = 0; r < heads.length; r++) {
            for (int j = 0; j < k; j++) {
                double mean = heads[r][j];
                double logVar = heads[r][k + j];
                z[r][j] = mean + Math.exp(logVar / 2) * Noise.normal(key, r, j, k);
                latent += -0.5 * (1 + logVar - Math.exp(logVar) - mean * mean) / TinyModels.PIXELS;
            }
        }
        double[][] p = rows(model.predict(part(model, 3, model.layers().size()), Nd4j.createFromArray(z)));
        double[][] y = rows(X_VALID);
        double bce = 0;
        for (int r = 0; r < y.length; r++) {
            bce += bce(y[r], p[r]);
        }
        assertClose((bce + latent) / y.length, model.evaluate(X_VALID, X_VALID).loss(), engine);
        assertTrue(latent / y.length > 1e-3, "the latent loss matters: " + latent);
    }

    @ParameterizedTest
    @MethodSource("ae4j.train.TestEngines#names")
    void aResumedNoisyRunIsTheStraightRun(String engine) throws IOException {
        for (TinyModels.Later later : List.of(TinyModels.Later.DROPOUT, TinyModels.Later.VARIATIONAL)) {
            Model straight = compile(engine, later, 12);
            straight.fit(X, X, 4, 8, X_VALID, X_VALID);
            Path file = dir.resolve(engine + later + ".zip");
            Model first = compile(engine, later, 12);
            first.fit(X, X, 2, 8, X_VALID, X_VALID, new ModelCheckpoint(file, ModelFile.Metadata.NONE));
            Model resumed = compile(engine, later, 12);
            ModelFile.restoreInto(resumed, file);
            resumed.fit(X, X, 4, 8, X_VALID, X_VALID);
            assertArrayEquals(straight.params().toDoubleVector(), resumed.params().toDoubleVector(), later + " on " + engine);
            assertEquals(ReproducibilityTest.values(straight.history()), ReproducibilityTest.values(resumed.history()));
        }
    }

    @Test
    void aLoadedVariationalModelSamplesAsTheSavedOne() throws IOException {
        TinyModels.Later vae = TinyModels.Later.VARIATIONAL;
        Model trained = Engine.nd4j(5).verbose(false).compile(vae.network.get(), TinyModels.PIXELS, Loss.BINARY_CROSSENTROPY, vae.optimizer());
        INDArray x = X.castTo(DataType.FLOAT);
        trained.fit(x, x, 1, 8, null, null);
        Path file = dir.resolve("vae.zip");
        ModelFile.save(trained, file, ModelFile.Metadata.NONE);
        Model loaded = ModelFile.load(file, Engine.nd4j(77).verbose(false)).model();
        assertEquals(trained.noiseSeed(), loaded.noiseSeed(), "the file keeps the noise seed");
        assertEquals(trained.predict(x), loaded.predict(x), "the same codings sampled, the same images");
    }
}
