package ae4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.data.DatasetSource;
import ae4j.data.FashionMnist;
import ae4j.train.Engine;
import ae4j.train.Model;
import ae4j.train.ModelFile;
import ae4j.train.RunSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** t-SNE is repeatable, k-NN accuracy is exact, and the pretraining harness runs (and freezes) on a small subset. */
class ChapterExperimentsTest {
    static final FashionMnist DATA = FashionMnist.load(DatasetSource.embeddedSample());
    @TempDir
    static Path dir;
    static StackedAutoencoder.Result stacked;

    @BeforeAll
    static void trainASmallAutoencoder() {
        stacked = StackedAutoencoder.run(Engine.nd4j(3).verbose(false), DATA,
                new TrainRun(Recipe.STACKED, 1, RunSettings.of(3, 32, Double.NaN, "nd4j", null, "cpu"), dir, false, null));
    }

    @Test
    void tsneIsRepeatableWithASeed() {
        Model model = stacked.phase().model();
        INDArray images = DATA.validation().images();
        TsneExperiment.Result a = TsneExperiment.run(model, stacked.autoencoder(), images, DATA.validation().labels(), 150, 300, 7);
        TsneExperiment.Result b = TsneExperiment.run(model, stacked.autoencoder(), images, DATA.validation().labels(), 150, 300, 7);
        TsneExperiment.Result c = TsneExperiment.run(model, stacked.autoencoder(), images, DATA.validation().labels(), 150, 300, 8);
        for (int i = 0; i < 150; i++) {
            assertArrayEquals(a.map()[i], b.map()[i], 0, "same seed, same map");
        }
        assertNotEquals(a.map()[0][0], c.map()[0][0], "another seed, another map");
        assertEquals(30, a.codings()[0].length);
        double knn = a.quality().knnAccuracyCodings();
        assertTrue(knn > 0.3 && knn <= 1, "codings separate classes better than chance (0.1): " + knn);
    }

    @Test
    void variantsReportTheMeanAndTheSampleStandardDeviation() {
        Pretraining.Variant v = new Pretraining.Variant("v", "v", List.of(0.5, 0.7, 0.9));
        assertEquals(0.7, v.mean(), 1e-12);
        assertEquals(0.2, v.std(), 1e-12, "sqrt((0.04 + 0 + 0.04) / (3 - 1))");
        assertEquals(0.0, new Pretraining.Variant("one", "one", List.of(0.8)).std(), "one seed has no spread");
    }

    @Test
    void knnAccuracyCountsLeaveOneOutMajorities() {
        double[][] points = {{0}, {0.1}, {0.2}, {5}, {5.1}, {5.2}, {0.15}};
        byte[] labels = {0, 0, 0, 1, 1, 1, 1};
        assertEquals(6 / 7.0, KnnAccuracy.of(points, labels, 3, 2), 1e-12, "the stray 1 among the 0s is misclassified");
    }

    @Test
    void pretrainingHarnessRunsAndTheFrozenEncoderDoesNotMove() throws IOException {
        Path file = dir.resolve("model.zip");
        List<Pretraining.Variant> variants = Pretraining.run(seed -> Engine.nd4j(seed), file, DATA, 100, new long[]{1, 2}, 20, 3e-3);
        assertEquals(List.of("random", "frozen", "fine_tuned"), variants.stream().map(Pretraining.Variant::name).toList());
        // The best a classifier can do without looking at the images: always answer the test set's commonest class.
        int[] counts = DATA.test().classCounts();
        double blind = java.util.Arrays.stream(counts).max().orElseThrow() / (double) DATA.test().size();
        for (Pretraining.Variant v : variants) {
            assertEquals(2, v.testAccuracies().size());
            for (double accuracy : v.testAccuracies()) {
                assertTrue(accuracy > blind && accuracy <= 1, v.name() + " uses the images: " + accuracy + " against " + blind);
            }
            assertNotEquals(v.testAccuracies().get(0), v.testAccuracies().get(1), v.name() + ": each seed is its own run");
        }
        Autoencoder pretrained = Autoencoder.of(ModelFile.load(file, Engine.nd4j(1)));
        pretrained.encoder().setTrainable(false);
        Model frozen = Engine.nd4j(1).verbose(false).compile(ae4j.nn.Sequential.of(pretrained.encoder(), new ae4j.nn.Dense(10, ae4j.spec.Activation.SOFTMAX)),
                784, ae4j.spec.Loss.CATEGORICAL_CROSSENTROPY, new ae4j.spec.Optimizer.Nadam(1e-2), ae4j.spec.Metric.ACCURACY);
        assertEquals(310, frozen.trainableParameterCount(), "only the head trains");
        INDArray before = frozen.params().dup();
        frozen.fit(DATA.train().images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64), org.nd4j.linalg.indexing.NDArrayIndex.all()),
                DATA.train().oneHot(64), 2, 32, null, null);
        long frozenStart = frozen.trainableParameterCount();
        INDArray after = frozen.params();
        for (long i = frozenStart; i < after.length(); i += 997) {
            assertEquals(before.getFloat(i), after.getFloat(i), 0f, "frozen parameter " + i + " moved");
        }
        assertNotEquals(before.getFloat(0), after.getFloat(0), "the head trained");
    }
}
