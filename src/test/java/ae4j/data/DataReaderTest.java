package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ae4j.Rng;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataReaderTest {
    @TempDir
    Path dir;

    @Test
    void dispatchesByName() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "1,2\n3,4\n");
        Files.writeString(dir.resolve("a.tsv"), "1\t2\n");
        Files.write(dir.resolve("a.npy"), NpyTest.npy("<f4", "(2, 3)", false, NpyTest.sixValues("<f4")));
        Idx.writeImages(dir.resolve("train-images-idx3-ubyte.gz"), TinyDataset.images(3, new Rng(1)));
        assertEquals(2, DataReader.read(dir.resolve("a.csv"), ReadOptions.DEFAULTS).rows());
        assertEquals(2, DataReader.read(dir.resolve("a.tsv"), ReadOptions.DEFAULTS).cols());
        assertEquals(3, DataReader.read(dir.resolve("a.npy"), ReadOptions.DEFAULTS).cols());
        FloatMatrix idx = DataReader.read(dir.resolve("train-images-idx3-ubyte.gz"), ReadOptions.DEFAULTS);
        assertArrayEquals(new int[] {28, 28, 1}, idx.sampleShape());
        Path other = Files.writeString(dir.resolve("a.parquet"), "x");
        assertEquals(other + ": unknown data format; ae4j reads .csv, .tsv (optionally .gz), .npy, .npz, IDX (*-ubyte, .idx) "
                + "and folders of PNG/JPEG images", assertThrows(InvalidDataException.class,
                () -> DataReader.read(other, ReadOptions.DEFAULTS)).getMessage());
    }

    private Path idx(String name, int magic, int[] dims, byte[] data) throws IOException {
        Path file = dir.resolve(name);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        try (OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(b.array());
        }
        return file;
    }

    @Test
    void idxOfAnyTypeAndShape() throws IOException {
        ByteBuffer floats = ByteBuffer.allocate(24);
        for (int i = 0; i < 6; i++) {
            floats.putFloat(i - 2.5f);
        }
        FloatMatrix f = Idx.readMatrix(idx("f.idx.gz", 0x0D02, new int[] {3, 2}, floats.array()));
        assertArrayEquals(new float[] {-2.5f, -1.5f, -.5f, .5f, 1.5f, 2.5f}, f.toArray());
        ByteBuffer shorts = ByteBuffer.allocate(16);
        for (int i = 0; i < 8; i++) {
            shorts.putShort((short) (-i * 1000));
        }
        FloatMatrix s = Idx.readMatrix(idx("s.idx", 0x0B04, new int[] {1, 2, 2, 2}, shorts.array()));
        assertArrayEquals(new int[] {2, 2, 2}, s.sampleShape());
        assertEquals(-7000f, s.row(0)[7]);
        FloatMatrix labels = Idx.readMatrix(idx("l-ubyte", 0x0801, new int[] {3}, new byte[] {1, (byte) 200, 3}));
        assertArrayEquals(new float[] {1, 200, 3}, labels.toArray());
    }

    @Test
    void idxHeadersAreCheckedBeforeAllocating() throws IOException {
        Path huge = idx("h.idx", 0x0D02, new int[] {100_000, 100_000}, new byte[8]);
        assertEquals(huge + ": shape (100000, 100000)... holds more values than one Java array (2,147,483,639)",
                assertThrows(InvalidDataException.class, () -> Idx.readMatrix(huge)).getMessage());
        Path lying = idx("lying.idx.gz", 0x0E02, new int[] {10_000, 10_000}, new byte[8]);
        String message = assertThrows(InvalidDataException.class, () -> Idx.readMatrix(lying)).getMessage();
        assertEquals(lying + ": header promises 800,000,000 bytes of data, more than a " + Files.size(lying) + "-byte file can hold", message);
        Path truncated = idx("t.idx", 0x0C02, new int[] {2, 2}, new byte[12]);
        assertEquals(truncated + ": truncated: shape (2, 2) needs 16 bytes of data but only 12 follow the header",
                assertThrows(InvalidDataException.class, () -> Idx.readMatrix(truncated)).getMessage());
        Path bad = idx("b.idx", 0x0A02, new int[] {2, 2}, new byte[4]);
        assertEquals(bad + ": not an IDX file: magic number 0x00000a02",
                assertThrows(InvalidDataException.class, () -> Idx.readMatrix(bad)).getMessage());
    }
}
