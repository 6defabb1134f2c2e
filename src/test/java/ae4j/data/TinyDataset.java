package ae4j.data;

import ae4j.Rng;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a small, valid Fashion-MNIST-shaped dataset (random pixels) for tests. */
public final class TinyDataset {
    private TinyDataset() {
    }

    public static Path write(Path dir, int train, int test, boolean gzip) throws IOException {
        Rng rng = new Rng(7);
        String ext = gzip ? ".gz" : "";
        Idx.writeImages(dir.resolve(DataFile.TRAIN_IMAGES.baseName + ext), images(train, rng));
        Idx.writeLabels(dir.resolve(DataFile.TRAIN_LABELS.baseName + ext), labels(train, rng));
        Idx.writeImages(dir.resolve(DataFile.TEST_IMAGES.baseName + ext), images(test, rng));
        Idx.writeLabels(dir.resolve(DataFile.TEST_LABELS.baseName + ext), labels(test, rng));
        return dir;
    }

    public static Idx.Images images(int n, Rng rng) {
        byte[] pixels = new byte[n * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rng.nextInt(256);
        }
        return new Idx.Images(n, 28, 28, pixels);
    }

    public static byte[] labels(int n, Rng rng) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) rng.nextInt(10);
        }
        return labels;
    }
}
