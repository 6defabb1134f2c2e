package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.Rng;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"images.gz", "images"})
    void imagesRoundTrip(String name) throws IOException {
        Idx.Images written = TinyDataset.images(5, new Rng(1));
        Path file = dir.resolve(name);
        Idx.writeImages(file, written);
        Idx.Images read = Idx.readImages(file);
        assertEquals(5, read.count());
        assertEquals(28, read.rows());
        assertEquals(28, read.cols());
        assertArrayEquals(written.pixels(), read.pixels());
        assertEquals(name.endsWith(".gz"), isGzip(file));
    }

    @Test
    void labelsRoundTrip() throws IOException {
        byte[] labels = {0, 9, 3, 3, 1};
        Path file = dir.resolve("labels.gz");
        Idx.writeLabels(file, labels);
        assertArrayEquals(labels, Idx.readLabels(file));
    }

    @Test
    void compressionIsRecognisedByContentNotName() throws IOException {
        Path raw = dir.resolve("raw-but-named.gz");
        Files.write(raw, rawLabels(new byte[]{1, 2, 3}));
        assertArrayEquals(new byte[]{1, 2, 3}, Idx.readLabels(raw));
    }

    @Test
    void wrongMagicIsReported() throws IOException {
        Path labels = dir.resolve("labels");
        Files.write(labels, rawLabels(new byte[]{1, 2}));
        String message = assertThrows(InvalidDataException.class, () -> Idx.readImages(labels)).getMessage();
        assertTrue(message.startsWith(labels.toString()), message);
        assertTrue(message.contains("not an IDX image file") && message.contains("that is a label file"), message);
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path file = dir.resolve("short");
        Files.write(file, new byte[]{0, 0, 8, 3, 0, 0});
        assertTrue(assertThrows(InvalidDataException.class, () -> Idx.readImages(file)).getMessage().contains("ends inside the IDX header"));
    }

    @Test
    void truncatedBodyIsReported() throws IOException {
        Path file = dir.resolve("images");
        Idx.writeImages(file, TinyDataset.images(3, new Rng(2)));
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 100));
        String message = assertThrows(InvalidDataException.class, () -> Idx.readImages(file)).getMessage();
        assertTrue(message.contains("truncated") && message.contains("3 images of 28×28"), message);
    }

    @Test
    void trailingBytesAreReported() throws IOException {
        Path file = dir.resolve("labels");
        byte[] valid = rawLabels(new byte[]{1, 2});
        Files.write(file, Arrays.copyOf(valid, valid.length + 5));
        String message = assertThrows(InvalidDataException.class, () -> Idx.readLabels(file)).getMessage();
        assertTrue(message.contains("5 more bytes follow"), message);
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        Path file = dir.resolve("images.gz");
        Idx.writeImages(file, TinyDataset.images(20, new Rng(3)));
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length / 2));
        String message = assertThrows(InvalidDataException.class, () -> Idx.readImages(file)).getMessage();
        assertTrue(message.contains("truncated"), message);
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        Path file = dir.resolve("images.gz");
        Idx.writeImages(file, TinyDataset.images(20, new Rng(4)));
        byte[] all = Files.readAllBytes(file);
        for (int i = 20; i < 60; i++) {
            all[i] ^= (byte) 0x5A;
        }
        Files.write(file, all);
        String message = assertThrows(InvalidDataException.class, () -> Idx.readImages(file)).getMessage();
        assertTrue(message.startsWith(file.toString()) && (message.contains("gzip") || message.contains("truncated")), message);
    }

    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("nope.gz");
        assertEquals(file + ": no such file", assertThrows(InvalidDataException.class, () -> Idx.readLabels(file)).getMessage());
    }

    static byte[] rawLabels(byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(Idx.LABELS_MAGIC).putInt(labels.length).put(labels).array();
    }

    private static boolean isGzip(Path file) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 2);
        return head[0] == (byte) 0x1f && head[1] == (byte) 0x8b;
    }
}
