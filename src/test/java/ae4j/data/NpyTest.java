package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpyTest {
    @TempDir
    Path dir;

    /** A .npy file as NumPy writes it (version 1, header padded to 64 bytes), built by hand. */
    static byte[] npy(String descr, String shape, boolean fortran, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return out.array();
    }

    /** The values 0, -1, 2, -3, 4, -5 (or 0..5 unsigned) in the given dtype and byte order. */
    static byte[] sixValues(String descr) {
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String type = descr.substring(1);
        int size = Integer.parseInt(type.substring(1));
        ByteBuffer b = ByteBuffer.allocate(6 * size).order(order);
        for (int i = 0; i < 6; i++) {
            int v = type.startsWith("u") ? i : (i % 2 == 0 ? i : -i);
            switch (type) {
                case "f4" -> b.putFloat(v);
                case "f8" -> b.putDouble(v);
                case "u1", "i1" -> b.put((byte) v);
                case "i2" -> b.putShort((short) v);
                case "i4" -> b.putInt(v);
                case "i8" -> b.putLong(v);
                default -> throw new IllegalArgumentException(type);
            }
        }
        return b.array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @ParameterizedTest
    @CsvSource({"<f4", ">f4", "<f8", ">f8", "|u1", "|i1", "<i2", ">i2", "<i4", ">i4", "<i8", ">i8"})
    void everyDtypeAndByteOrderReads(String descr) throws IOException {
        FloatMatrix m = Npy.map(write("a.npy", npy(descr, "(2, 3)", false, sixValues(descr))));
        assertEquals(2, m.rows());
        assertEquals(3, m.cols());
        float[] expected = descr.contains("u") ? new float[] {0, 1, 2, 3, 4, 5} : new float[] {0, -1, 2, -3, 4, -5};
        assertArrayEquals(expected, m.toArray());
        assertArrayEquals(new float[] {expected[3], expected[4], expected[5]}, m.row(1));
    }

    @Test
    void higherDimensionsFlattenEachRowAndOneDimensionIsOneColumn() throws IOException {
        FloatMatrix cube = Npy.map(write("cube.npy", npy("<f4", "(1, 2, 3)", false, sixValues("<f4"))));
        assertEquals(1, cube.rows());
        assertEquals(6, cube.cols());
        assertArrayEquals(new int[] {2, 3}, cube.sampleShape());
        FloatMatrix vector = Npy.map(write("v.npy", npy("<f4", "(6,)", false, sixValues("<f4"))));
        assertEquals(6, vector.rows());
        assertArrayEquals(new int[] {1}, vector.sampleShape());
        assertEquals(-5f, vector.row(5)[0]);
    }

    @Test
    void writeThenMapRoundTripsRowByRow() throws IOException {
        float[] values = new float[1000 * 7];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 3;
        }
        Path file = dir.resolve("w.npy");
        Npy.write(file, new HeapFloatMatrix("test", values, 1000, new int[] {7}, null));
        FloatMatrix mapped = Npy.map(file);
        assertEquals(MappedNpyMatrix.class, mapped.getClass()); // rows come from the mapping, not a loaded array
        float[] row = new float[7];
        for (int r = 0; r < 1000; r++) {
            mapped.row(r, row, 0);
            assertEquals(values[r * 7 + 6], row[6]);
        }
        float[] bulk = new float[14];
        mapped.rows(998, 2, bulk, 0);
        assertEquals(values[998 * 7], bulk[0]);
    }

    @Test
    void npzPicksTheNamedArrayStoredOrDeflated() throws IOException {
        Path npz = dir.resolve("a.npz");
        byte[] x = npy("<f8", "(3, 2)", false, sixValues("<f8"));
        byte[] y = npy("|u1", "(6,)", false, sixValues("|u1"));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(npz))) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(x);
            ZipEntry stored = new ZipEntry("y.npy");
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(y.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(y);
            stored.setCrc(crc.getValue());
            zip.putNextEntry(stored);
            zip.write(y);
        }
        assertEquals(List.of("x", "y"), Npy.arrayNames(npz));
        assertArrayEquals(new float[] {2, -3}, Npy.readNpz(npz, "x").row(1));
        assertEquals(6, Npy.readNpz(npz, "y").rows());
        assertEquals(npz + ": holds 2 arrays; name one with the array option: x, y",
                assertThrows(InvalidDataException.class, () -> Npy.readNpz(npz, null)).getMessage());
        assertEquals(npz + ": has no array 'z'; its arrays are: x, y",
                assertThrows(InvalidDataException.class, () -> Npy.readNpz(npz, "z")).getMessage());
    }

    @Test
    void truncatedNpzEntryIsReported() throws IOException {
        Path npz = dir.resolve("t.npz");
        byte[] x = npy("<f4", "(3, 2)", false, new byte[20]);
        try (OutputStream out = Files.newOutputStream(npz); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(x);
        }
        assertEquals(npz + "[x]: truncated: (3, 2) float32 needs 24 bytes of data but only 20 follow the header",
                assertThrows(InvalidDataException.class, () -> Npy.readNpz(npz, null)).getMessage());
    }

    @Test
    void badFilesGetOneLine() throws IOException {
        Path truncated = write("t.npy", npy("<f4", "(3, 2)", false, new byte[20]));
        assertEquals(truncated + ": truncated: (3, 2) float32 needs 24 bytes of data but only 20 follow the header", message(truncated));
        Path complex = write("c.npy", npy("<c8", "(3,)", false, new byte[24]));
        assertEquals(complex + ": unsupported dtype '<c8'; supported: " + NpyDtype.supported(), message(complex));
        Path fortran = write("f.npy", npy("<f4", "(3, 2)", true, new byte[24]));
        assertEquals(fortran + ": is in Fortran order; save it in C order (np.save(f, np.ascontiguousarray(a)))", message(fortran));
        Path huge = write("h.npy", npy("<f8", "(4294967296, 4294967296)", false, new byte[8]));
        assertEquals(huge + ": shape (4294967296, 4294967296)... makes rows of more than 2147483647 values", message(huge));
        Path absurd = write("abs.npy", npy("<f8", "(999999999999999999, 1000)", false, new byte[8]));
        assertEquals(absurd + ": shape (999999999999999999, 1000) is too large for any file", message(absurd));
        Path scalar = write("s.npy", npy("<f4", "()", false, new byte[4]));
        assertEquals(scalar + ": holds a 0-d array (a scalar); ae4j needs at least one dimension, the rows", message(scalar));
        Path text = write("x.npy", "hello, world".getBytes(StandardCharsets.US_ASCII));
        assertEquals(text + ": not a .npy file (no \\x93NUMPY magic)", message(text));
        ByteArrayOutputStream longHeader = new ByteArrayOutputStream();
        longHeader.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0, 0, 0x40});
        Path bigHeader = write("b.npy", longHeader.toByteArray());
        assertEquals(bigHeader + ": header length 1,073,741,824 is over the 10,000-byte limit", message(bigHeader));
    }

    /** A NaN or an infinity is bad input wherever it lies, named by its row and column, in a mapped, an .npz and a float64 file. */
    @Test
    void nanAndInfinityAreRefusedWithTheirRowAndColumn() throws IOException {
        ByteBuffer f4 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        f4.putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(Float.NaN).putFloat(6);
        Path mapped = write("nan.npy", npy("<f4", "(3, 2)", false, f4.array()));
        FloatMatrix rows = Npy.map(mapped);
        assertArrayEquals(new float[] {3, 4}, rows.row(1));
        assertEquals(mapped + ": row 2, column 0: NaN", assertThrows(InvalidDataException.class, () -> rows.row(2)).getMessage());
        ByteBuffer f8 = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        f8.putDouble(1).putDouble(1e300).putDouble(3).putDouble(4).putDouble(5).putDouble(6);
        Path npz = dir.resolve("inf.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(npz))) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(npy("<f8", "(3, 2)", false, f8.array()));
        }
        assertEquals(npz + "[x]: row 0, column 1: infinity (or beyond float32's range)",
                assertThrows(InvalidDataException.class, () -> Npy.readNpz(npz, null)).getMessage());
    }

    private static String message(Path file) {
        return assertThrows(InvalidDataException.class, () -> Npy.map(file)).getMessage();
    }
}
