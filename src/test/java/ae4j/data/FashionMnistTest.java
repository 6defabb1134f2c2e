package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void splitsTheTrainingFileLikeTheBookAndScalesPixels() throws IOException {
        TinyDataset.write(dir, 120, 30, true);
        FashionMnist data = FashionMnist.load(new DatasetSource(DatasetSource.Origin.DATA_FLAG, dir));
        assertEquals(110, data.train().size());
        assertEquals(10, data.validation().size());
        assertEquals(30, data.test().size());
        assertEquals(110, data.train().images().rows());
        assertEquals(784, data.train().images().columns());

        Idx.Images raw = Idx.readImages(dir.resolve("train-images-idx3-ubyte.gz"));
        // validation is the tail of the training file: its first row is raw image 110
        for (int p = 0; p < 784; p += 97) {
            assertEquals((raw.pixels()[110 * 784 + p] & 0xFF) / 255f, data.validation().images().getFloat(0, p), 0f);
            assertEquals((raw.pixels()[5 * 784 + p] & 0xFF) / 255f, data.train().images().getFloat(5, p), 0f);
        }
        assertTrue(data.train().images().minNumber().doubleValue() >= 0);
        assertTrue(data.train().images().maxNumber().doubleValue() <= 1);
    }

    @Test
    void embeddedSampleLoads() {
        FashionMnist data = FashionMnist.load(DatasetSource.embeddedSample());
        assertEquals(2200, data.train().size());
        assertEquals(200, data.validation().size());
        assertEquals(600, data.test().size());
        for (int count : data.train().classCounts()) {
            assertTrue(count > 150, "every class is represented in the sample");
        }
    }

    @Test
    void fullDatasetHasTheBooksSplit() {
        FashionMnist data = FashionMnist.load(FullDataset.assumePresent());
        assertEquals(55_000, data.train().size());
        assertEquals(5_000, data.validation().size());
        assertEquals(10_000, data.test().size());
        assertEquals(0.0, data.train().images().minNumber().doubleValue());
        assertEquals(1.0, data.train().images().maxNumber().doubleValue());
        for (int count : data.test().classCounts()) {
            assertEquals(1_000, count, "the test set is balanced");
        }
    }

    @Test
    void labelOutOfRangeNamesTheFile() throws IOException {
        TinyDataset.write(dir, 24, 12, false);
        byte[] labels = TinyDataset.labels(12, new Rng(1));
        labels[7] = 12;
        Idx.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), labels);
        String message = assertThrows(InvalidDataException.class,
                () -> FashionMnist.load(new DatasetSource(DatasetSource.Origin.DATA_FLAG, dir))).getMessage();
        assertEquals(dir.resolve("t10k-labels-idx1-ubyte") + ": label 12 at index 7 is outside 0–9", message);
    }

    @Test
    void wrongImageSizeIsRejected() throws IOException {
        TinyDataset.write(dir, 24, 12, false);
        Idx.writeImages(dir.resolve("train-images-idx3-ubyte"), new Idx.Images(24, 32, 32, new byte[24 * 32 * 32]));
        String message = assertThrows(InvalidDataException.class,
                () -> FashionMnist.load(new DatasetSource(DatasetSource.Origin.DATA_FLAG, dir))).getMessage();
        assertTrue(message.endsWith("images are 32×32, expected 28×28"), message);
    }

    @Test
    void labelCountMustMatchImageCount() throws IOException {
        TinyDataset.write(dir, 24, 12, false);
        Idx.writeLabels(dir.resolve("train-labels-idx1-ubyte"), new byte[23]);
        String message = assertThrows(InvalidDataException.class,
                () -> FashionMnist.load(new DatasetSource(DatasetSource.Origin.DATA_FLAG, dir))).getMessage();
        assertTrue(message.contains("holds 23 labels but the image file holds 24 images"), message);
    }

    @Test
    void rawAndCompressedFilesMayBeMixed() throws IOException {
        TinyDataset.write(dir, 24, 12, true);
        Path gz = dir.resolve("t10k-labels-idx1-ubyte.gz");
        byte[] labels = Idx.readLabels(gz);
        Files.delete(gz);
        Idx.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), labels);
        assertEquals(12, FashionMnist.load(new DatasetSource(DatasetSource.Origin.DATA_FLAG, dir)).test().size());
    }
}
