package ae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Fashion-MNIST with the book's split: the last twelfth of the training file (5,000 images) is the validation set,
 * the rest (55,000) the training set; 10,000 test images. Pixels are float32 in [0, 1] (divided by 255), one image
 * per row of an {@code n × 784} c-order array that lives outside every workspace; the splits are views of one array.
 */
public record FashionMnist(Split train, Split validation, Split test, DatasetSource source) {
    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int PIXELS = ROWS * COLS;
    public static final int CLASSES = 10;
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** {@code images}: n × 784 float32 in [0, 1]; {@code labels}: n class indices in 0..9. */
    public record Split(INDArray images, byte[] labels) {
        public int size() {
            return labels.length;
        }

        /** The first {@code n} labels one-hot encoded: n × 10 float32, for the classifier's targets. */
        public INDArray oneHot(int n) {
            float[][] y = new float[n][CLASSES];
            for (int i = 0; i < n; i++) {
                y[i][labels[i]] = 1;
            }
            return Nd4j.createFromArray(y);
        }

        public int[] classCounts() {
            int[] counts = new int[CLASSES];
            for (byte label : labels) {
                counts[label]++;
            }
            return counts;
        }
    }

    public static FashionMnist load(DatasetSource source) {
        Idx.Images trainImages = readImages(source, DataFile.TRAIN_IMAGES);
        byte[] trainLabels = readLabels(source, DataFile.TRAIN_LABELS, trainImages.count());
        Idx.Images testImages = readImages(source, DataFile.TEST_IMAGES);
        byte[] testLabels = readLabels(source, DataFile.TEST_LABELS, testImages.count());

        int total = trainImages.count();
        int validationSize = total / 12; // 5,000 of 60,000, as in the book
        if (total - validationSize < 1 || validationSize < 1) {
            throw new InvalidDataException(source.name(DataFile.TRAIN_IMAGES), "holds " + total + " images, too few to split");
        }
        INDArray trainAll = toUnitFloats(trainImages);
        int trainSize = total - validationSize;
        Split train = new Split(trainAll.get(NDArrayIndex.interval(0, trainSize), NDArrayIndex.all()),
                Arrays.copyOfRange(trainLabels, 0, trainSize));
        Split validation = new Split(trainAll.get(NDArrayIndex.interval(trainSize, total), NDArrayIndex.all()),
                Arrays.copyOfRange(trainLabels, trainSize, total));
        Split test = new Split(toUnitFloats(testImages), testLabels);
        return new FashionMnist(train, validation, test, source);
    }

    private static Idx.Images readImages(DatasetSource source, DataFile file) {
        String name = source.name(file);
        Idx.Images images;
        try (InputStream in = source.open(file)) {
            images = Idx.readImages(in, name);
        } catch (IOException e) {
            throw new InvalidDataException(name, "cannot read (" + e.getMessage() + ")");
        }
        if (images.rows() != ROWS || images.cols() != COLS) {
            throw new InvalidDataException(name, "images are " + images.rows() + "×" + images.cols() + ", expected 28×28");
        }
        if (images.count() == 0) {
            throw new InvalidDataException(name, "holds no images");
        }
        return images;
    }

    private static byte[] readLabels(DatasetSource source, DataFile file, int expectedCount) {
        String name = source.name(file);
        byte[] labels;
        try (InputStream in = source.open(file)) {
            labels = Idx.readLabels(in, name);
        } catch (IOException e) {
            throw new InvalidDataException(name, "cannot read (" + e.getMessage() + ")");
        }
        if (labels.length != expectedCount) {
            throw new InvalidDataException(name, String.format("holds %,d labels but the image file holds %,d images",
                    labels.length, expectedCount));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) {
                throw new InvalidDataException(name, "label " + (labels[i] & 0xFF) + " at index " + i + " is outside 0–9");
            }
        }
        return labels;
    }

    /** Converts bytes to float32 / 255 straight into a detached off-heap array (no second float copy on the heap). */
    private static INDArray toUnitFloats(Idx.Images images) {
        INDArray out;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            out = Nd4j.createUninitializedDetached(DataType.FLOAT, images.count(), PIXELS);
        }
        FloatBuffer floats = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        byte[] pixels = images.pixels();
        float[] chunk = new float[PIXELS * 256];
        for (int start = 0; start < pixels.length; start += chunk.length) {
            int n = Math.min(chunk.length, pixels.length - start);
            for (int i = 0; i < n; i++) {
                chunk[i] = (pixels[start + i] & 0xFF) / 255f;
            }
            floats.put(chunk, 0, n);
        }
        Nd4j.getAffinityManager().tagLocation(out, AffinityManager.Location.HOST);
        return out;
    }
}
