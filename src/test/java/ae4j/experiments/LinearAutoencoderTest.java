package ae4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.NativeEngineBuilt;
import ae4j.data.Synthetic3d;
import ae4j.train.RunSettings;
import ae4j.train.TestEngines;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The chapter's first claim: a linear autoencoder performs PCA. Trained to convergence from the same weights as the
 * book's short run, it finds PCA's plane and PCA's error; the book's 40 steps stop further away.
 */
class LinearAutoencoderTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 42})
    void trainedToConvergenceItIsPca(long seed) {
        String engine = NativeEngineBuilt.built() ? "native" : "nd4j";
        TrainRun run = new TrainRun(Recipe.LINEAR, LinearAutoencoder.EPOCHS, RunSettings.of(seed, 32, Double.NaN, engine, 1, "cpu"),
                dir, false, null);
        LinearAutoencoder.Result r = LinearAutoencoder.run(() -> TestEngines.create(engine, DataType.FLOAT, seed), run);
        double optimum = Pca.reconstructionMse(Synthetic3d.generate(Synthetic3d.BOOK_SIZE, Synthetic3d.BOOK_SEED), 2);
        PcaComparison converged = r.converged().pca();
        PcaComparison book = r.book().pca();
        assertEquals(optimum, converged.pcaMse(), 1e-12);
        assertTrue(converged.principalAngleDeg() < PcaComparison.MAX_ANGLE_DEG && converged.excess() <= PcaComparison.MAX_EXCESS,
                "converged: " + converged);
        assertTrue(book.mse() >= optimum * (1 - 1e-5), "no linear map beats PCA: " + book);
        assertTrue(book.principalAngleDeg() > converged.principalAngleDeg() && book.mse() > converged.mse(),
                "the book's 40 steps stop further from PCA: " + book + " against " + converged);
        assertEquals(1000, r.converged().phase().history().epochs().size());
        assertEquals(LinearAutoencoder.CONVERGED_BATCH_SIZE, r.converged().phase().batchSize());
    }
}
