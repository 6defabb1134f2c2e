package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    private static Path gray(Path file, int height, int width, int base) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, base + y * width + x);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, file.toString().endsWith(".png") ? "png" : "jpg", file.toFile());
        return file;
    }

    private static Path rgb(Path file, int height, int width, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, file.toString().endsWith(".png") ? "png" : "jpg", file.toFile());
        return file;
    }

    @Test
    void grayPngsGiveOneChannelInUnitRangeInNameOrder() throws IOException {
        gray(dir.resolve("b.png"), 2, 3, 100);
        gray(dir.resolve("a.png"), 2, 3, 0);
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        HeapFloatMatrix m = ImageFolder.read(dir, null);
        assertEquals(2, m.rows());
        assertArrayEquals(new int[] {2, 3, 1}, m.sampleShape());
        assertArrayEquals(new float[] {0, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 5 / 255f}, m.row(0), 1e-7f);
        assertEquals(105 / 255f, m.row(1)[5], 1e-7f);
    }

    @Test
    void subfoldersAreClassesAndAGrayImageInAColourSetIsConverted() throws IOException {
        rgb(dir.resolve("cats/1.png"), 2, 2, 0xFF8000);
        gray(dir.resolve("dogs/1.png"), 2, 2, 10);
        rgb(dir.resolve("dogs/2.jpg"), 2, 2, 0x00FF00);
        HeapFloatMatrix m = ImageFolder.read(dir, null);
        assertEquals(3, m.rows());
        assertArrayEquals(new int[] {2, 2, 3}, m.sampleShape());
        assertArrayEquals(new float[] {1, 128 / 255f, 0}, java.util.Arrays.copyOf(m.row(0), 3), 1e-7f);
        assertArrayEquals(new float[] {10 / 255f, 10 / 255f, 10 / 255f}, java.util.Arrays.copyOf(m.row(1), 3), 1e-7f);
        assertEquals(1f, m.row(2)[1], 0.05f); // JPEG is lossy
        Labels labels = m.labels().orElseThrow();
        assertEquals(List.of("cats", "dogs"), labels.names());
        assertArrayEquals(new int[] {0, 1, 1}, labels.codes());
    }

    @Test
    void imageSizeResizesAndWithoutItADifferentSizeIsAnError() throws IOException {
        gray(dir.resolve("a.png"), 2, 2, 0);
        Path odd = gray(dir.resolve("b.png"), 3, 2, 0);
        assertEquals(odd + ": is 3×2 (H×W) but a.png is 2×2; give an image size to resize them all",
                assertThrows(InvalidDataException.class, () -> ImageFolder.read(dir, null)).getMessage());
        HeapFloatMatrix m = ImageFolder.read(dir, new ReadOptions.ImageSize(4, 4));
        assertArrayEquals(new int[] {4, 4, 1}, m.sampleShape());
        // [[0, 1], [2, 3]] / 255 at 4×4, as tf.image.resize gives it
        assertArrayEquals(new float[] {0, .25f, .75f, 1, .5f, .75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3},
                times(m.row(0), 255), 1e-4f);
    }

    @Test
    void corruptImagesAndBadLayoutsGetOneLine() throws IOException {
        gray(dir.resolve("a.png"), 2, 2, 0);
        Path broken = dir.resolve("b.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2});
        assertEquals(broken.toString(), assertThrows(InvalidDataException.class, () -> ImageFolder.read(dir, null))
                .getMessage().split(": ")[0]);
        Files.write(broken, "not an image".getBytes());
        assertEquals(broken + ": not a PNG or JPEG image",
                assertThrows(InvalidDataException.class, () -> ImageFolder.read(dir, null)).getMessage());
        Files.delete(broken);
        gray(dir.resolve("class/c.png"), 2, 2, 0);
        assertEquals(dir.resolve("a.png") + ": lies beside class folders; put every image in a class folder, or none",
                assertThrows(InvalidDataException.class, () -> ImageFolder.read(dir, null)).getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(empty + ": holds no PNG or JPEG images",
                assertThrows(InvalidDataException.class, () -> ImageFolder.read(empty, null)).getMessage());
    }

    @Test
    void resizeMatchesTensorFlowsHalfPixelFormula() {
        // 1×3 → 1×2: sources (i + 0.5)·1.5 − 0.5 = 0.25 and 1.75
        assertArrayEquals(new float[] {2.5f, 17.5f}, ImageResize.bilinear(new float[] {0, 10, 20}, 1, 3, 1, 1, 2), 1e-6f);
        // 1×4 → 1×2: sources 0.5 and 2.5
        assertArrayEquals(new float[] {.5f, 2.5f}, ImageResize.bilinear(new float[] {0, 1, 2, 3}, 1, 4, 1, 1, 2), 1e-6f);
        // two channels interpolate independently: 1×2 → 1×3, sources -1/6 (clamped), 0.5, 7/6 (clamped)
        assertArrayEquals(new float[] {0, 10, .5f, 15, 1, 20},
                ImageResize.bilinear(new float[] {0, 10, 1, 20}, 1, 2, 2, 1, 3), 1e-6f);
    }

    private static float[] times(float[] values, float factor) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }
}
