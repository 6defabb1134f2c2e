package ae4j.data;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST: a big-endian header (magic number, then one
 * 32-bit size per dimension) followed by unsigned bytes. Files may be gzip-compressed or raw; the reader tells them
 * apart by content, not by name. Every structural fault (magic, sizes, truncation, trailing bytes, broken gzip) is
 * reported as an {@link InvalidDataException} naming the file. {@link #readMatrix} reads any element type and shape.
 */
public final class Idx {
    /** Unsigned bytes, three dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Unsigned bytes, one dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** {@code count} images of {@code rows × cols} pixels, row-major, one byte per pixel. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        public Images {
            if ((long) count * rows * cols != pixels.length) {
                throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, not " + count + "×" + rows + "×" + cols);
            }
        }
    }

    private Idx() {
    }

    public static Images readImages(Path file) {
        try (InputStream in = DataFiles.open(file)) {
            return readImages(in, file.toString());
        } catch (IOException e) {
            throw new InvalidDataException(file.toString(), "cannot read (" + e.getMessage() + ")");
        }
    }

    public static byte[] readLabels(Path file) {
        try (InputStream in = DataFiles.open(file)) {
            return readLabels(in, file.toString());
        } catch (IOException e) {
            throw new InvalidDataException(file.toString(), "cannot read (" + e.getMessage() + ")");
        }
    }

    /** Reads an image file from a stream; {@code name} is used in error messages. */
    public static Images readImages(InputStream raw, String name) {
        try (DataInputStream in = new DataInputStream(DataFiles.decompressed(raw))) {
            return blamingCorruptGzip(in, name, () -> parseImages(in, name));
        } catch (IOException e) {
            throw ioProblem(name, e);
        }
    }

    private static Images parseImages(DataInputStream in, String name) throws IOException {
        int magic = readHeaderInt(in, name);
        if (magic != IMAGES_MAGIC) {
            throw new InvalidDataException(name, magicProblem(magic, IMAGES_MAGIC, "image"));
        }
        int count = readHeaderInt(in, name);
        int rows = readHeaderInt(in, name);
        int cols = readHeaderInt(in, name);
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new InvalidDataException(name, "impossible sizes in the header: " + count + " images of " + rows + "×" + cols);
        }
        long bytes = (long) count * rows; // < 2^62: exact
        if (bytes > Integer.MAX_VALUE || (bytes *= cols) > Integer.MAX_VALUE - 64) {
            throw new InvalidDataException(name, "header promises " + bytes + " bytes of pixels, more than one file can hold");
        }
        byte[] pixels = readBody(in, name, (int) bytes, String.format("%,d images of %d×%d", count, rows, cols));
        return new Images(count, rows, cols, pixels);
    }

    /** Reads a label file from a stream; {@code name} is used in error messages. */
    public static byte[] readLabels(InputStream raw, String name) {
        try (DataInputStream in = new DataInputStream(DataFiles.decompressed(raw))) {
            return blamingCorruptGzip(in, name, () -> parseLabels(in, name));
        } catch (IOException e) {
            throw ioProblem(name, e);
        }
    }

    private static byte[] parseLabels(DataInputStream in, String name) throws IOException {
        int magic = readHeaderInt(in, name);
        if (magic != LABELS_MAGIC) {
            throw new InvalidDataException(name, magicProblem(magic, LABELS_MAGIC, "label"));
        }
        int count = readHeaderInt(in, name);
        if (count < 0) {
            throw new InvalidDataException(name, "impossible label count in the header: " + count);
        }
        return readBody(in, name, count, String.format("%,d labels", count));
    }

    private interface Parser<T> {
        T parse() throws IOException;
    }

    /**
     * Corrupt gzip data decompresses into garbage before its checksum fails at the end; when parsing finds a fault,
     * the rest of the stream is read so that a broken gzip is reported as the cause rather than its symptom.
     */
    private static <T> T blamingCorruptGzip(DataInputStream in, String name, Parser<T> parser) throws IOException {
        try {
            return parser.parse();
        } catch (InvalidDataException fault) {
            try {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException gzipProblem) {
                throw ioProblem(name, gzipProblem);
            }
            throw fault;
        }
    }

    /** Deflate cannot expand data more than about 1032-fold: a gzip file promising more is lying. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /**
     * Reads an IDX file of any element type and shape [N, d1, ...] as N rows of d1·… values (an image file's
     * sample shape is [rows, cols, 1]). Sizes from the header are checked against the file's length, and the
     * ratio deflate can reach when it is compressed, before anything is allocated.
     */
    public static HeapFloatMatrix readMatrix(Path file) {
        String name = file.toString();
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InvalidDataException(name, "no such file");
        } catch (IOException e) {
            throw new InvalidDataException(name, "cannot read (" + e.getMessage() + ")");
        }
        try (InputStream raw = DataFiles.open(file); DataInputStream in = new DataInputStream(DataFiles.decompressed(raw))) {
            return blamingCorruptGzip(in, name, () -> parseMatrix(in, name, fileSize));
        } catch (IOException e) {
            throw ioProblem(name, e);
        }
    }

    private static HeapFloatMatrix parseMatrix(DataInputStream in, String name, long fileSize) throws IOException {
        int magic = readHeaderInt(in, name);
        int dims = magic & 0xFF;
        NpyDtype dtype = switch ((magic >> 8) & 0xFF) {
            case 0x08 -> NpyDtype.UINT8;
            case 0x09 -> NpyDtype.INT8;
            case 0x0B -> NpyDtype.INT16;
            case 0x0C -> NpyDtype.INT32;
            case 0x0D -> NpyDtype.FLOAT32;
            case 0x0E -> NpyDtype.FLOAT64;
            default -> null;
        };
        if ((magic >>> 16) != 0 || dtype == null || dims < 1 || dims > Npy.MAX_DIMS) {
            throw new InvalidDataException(name, String.format("not an IDX file: magic number 0x%08x", magic));
        }
        long[] shape = new long[dims];
        long values = 1;
        for (int i = 0; i < dims; i++) {
            shape[i] = Integer.toUnsignedLong(readHeaderInt(in, name));
            values *= shape[i]; // each factor < 2^32: checked below before it can overflow
            if (values > HeapFloatMatrix.MAX_ELEMENTS) {
                throw new InvalidDataException(name, String.format("shape %s... holds more values than one Java array (%,d)",
                        FloatMatrix.describeShape(java.util.Arrays.copyOf(shape, i + 1)), HeapFloatMatrix.MAX_ELEMENTS));
            }
        }
        long bytes = values * dtype.itemSize;
        if (bytes > fileSize * MAX_DEFLATE_RATIO) {
            throw new InvalidDataException(name, String.format("header promises %,d bytes of data, more than a %,d-byte file can hold",
                    bytes, fileSize));
        }
        if (values == 0) {
            throw new InvalidDataException(name, "holds an empty array, shape " + FloatMatrix.describeShape(shape));
        }
        float[] floats = new float[(int) values];
        NpyDtype.Typed typed = new NpyDtype.Typed(dtype, java.nio.ByteOrder.BIG_ENDIAN);
        byte[] chunk = new byte[(1 << 16) / 8 * dtype.itemSize];
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(chunk).order(java.nio.ByteOrder.BIG_ENDIAN);
        long read = 0;
        for (int done = 0; done < floats.length; ) {
            int n = Math.min(floats.length - done, chunk.length / dtype.itemSize);
            int got = in.readNBytes(chunk, 0, n * dtype.itemSize);
            read += got;
            if (got < n * dtype.itemSize) {
                throw new InvalidDataException(name, String.format(
                        "truncated: shape %s needs %,d bytes of data but only %,d follow the header", FloatMatrix.describeShape(shape), bytes, read));
            }
            typed.toFloats(buffer, 0, floats, done, n);
            typed.checkFinite(name, floats, done, n, done, (int) (values / shape[0]));
            done += n;
        }
        long extra = in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            throw new InvalidDataException(name, String.format("shape %s needs %,d bytes of data but %,d more follow",
                    FloatMatrix.describeShape(shape), bytes, extra));
        }
        int[] sample = dims == 1 ? new int[] {1}
                : dims == 3 ? new int[] {(int) shape[1], (int) shape[2], 1} // images: [H, W, C], like an image folder's
                : java.util.Arrays.stream(shape, 1, dims).mapToInt(d -> (int) d).toArray();
        return new HeapFloatMatrix(name, floats, (int) shape[0], sample, null);
    }

    /** Writes images as IDX; gzip-compressed when the file name ends in {@code .gz}. */
    public static void writeImages(Path file, Images images) throws IOException {
        try (DataOutputStream out = new DataOutputStream(create(file))) {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(images.count());
            out.writeInt(images.rows());
            out.writeInt(images.cols());
            out.write(images.pixels());
        }
    }

    /** Writes labels as IDX; gzip-compressed when the file name ends in {@code .gz}. */
    public static void writeLabels(Path file, byte[] labels) throws IOException {
        try (DataOutputStream out = new DataOutputStream(create(file))) {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.length);
            out.write(labels);
        }
    }

    private static OutputStream create(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        return file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(out) : out;
    }

    private static int readHeaderInt(DataInputStream in, String name) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new InvalidDataException(name, "truncated: the file ends inside the IDX header");
        }
    }

    private static byte[] readBody(DataInputStream in, String name, int length, String promised) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new InvalidDataException(name, String.format(
                    "truncated: the header promises %s (%,d bytes) but the data ends after %,d bytes", promised, length, body.length));
        }
        long extra = in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            throw new InvalidDataException(name, String.format(
                    "the header promises %s but %,d more bytes follow; header and data disagree", promised, extra));
        }
        return body;
    }

    private static String magicProblem(int magic, int expected, String kind) {
        String other = magic == IMAGES_MAGIC ? " (that is an image file)" : magic == LABELS_MAGIC ? " (that is a label file)" : "";
        return String.format("not an IDX %s file: magic number 0x%08x, expected 0x%08x%s", kind, magic, expected, other);
    }

    private static InvalidDataException ioProblem(String name, IOException e) {
        if (e instanceof ZipException) {
            return new InvalidDataException(name, "corrupt gzip data (" + e.getMessage() + ")");
        }
        if (e instanceof EOFException) {
            return new InvalidDataException(name, "truncated gzip data (" + e.getMessage() + ")");
        }
        return new InvalidDataException(name, "cannot read (" + e.getMessage() + ")");
    }
}
