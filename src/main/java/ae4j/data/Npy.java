package ae4j.data;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * NumPy's {@code .npy} and {@code .npz} files. Each array of shape [N, d1, d2, ...] is N rows of d1·d2·… values
 * (C order; Fortran order is refused). A {@code .npy} file is memory-mapped ({@link MappedNpyMatrix}), so a file
 * larger than the heap is read row by row; an array inside a {@code .npz} is inflated onto the heap.
 *
 * <p>Headers are untrusted: the header's length is bounded, its shape is checked for overflow and its data length
 * against the bytes actually there, all before anything is allocated.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy's own default limit on a header it will parse (np.load's max_header_size). */
    static final int MAX_HEADER_BYTES = 10_000;
    static final int MAX_DIMS = 32;
    /** Deflate cannot expand data more than about 1032-fold: a zip entry declaring more is lying. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** A parsed header: element type, shape, and where the data starts. */
    record Header(NpyDtype.Typed type, long[] shape, long dataOffset) {
        long rows() {
            return shape.length == 0 ? 1 : shape[0];
        }

        /** Values per row; checked to fit an int by {@link #parse}. */
        int cols() {
            long cols = 1;
            for (int i = 1; i < shape.length; i++) {
                cols *= shape[i];
            }
            return (int) cols;
        }

        int[] sampleShape() {
            int[] sample = new int[Math.max(shape.length - 1, 1)];
            if (shape.length == 1) {
                sample[0] = 1;
            }
            for (int i = 1; i < shape.length; i++) {
                sample[i - 1] = (int) shape[i];
            }
            return sample;
        }

        long dataBytes() {
            return rows() * cols() * type.dtype().itemSize;
        }

        String describe() {
            return FloatMatrix.describeShape(shape) + " " + type.dtype().name().toLowerCase();
        }
    }

    /** Memory-maps a {@code .npy} file. */
    public static FloatMatrix map(Path file) {
        String name = file.toString();
        Header header;
        long fileSize;
        try (InputStream in = Files.newInputStream(file)) {
            fileSize = Files.size(file);
            header = parseHeader(in, name);
        } catch (NoSuchFileException e) {
            throw new InvalidDataException(name, "no such file");
        } catch (IOException e) {
            throw new InvalidDataException(name, "cannot read (" + e.getMessage() + ")");
        }
        checkLength(name, header, fileSize - header.dataOffset());
        return new MappedNpyMatrix(file, header);
    }

    /** Names of the arrays in a {@code .npz} file, in the file's order. */
    public static List<String> arrayNames(Path npz) {
        try (ZipFile zip = openZip(npz)) {
            return arrayNames(zip);
        } catch (IOException e) {
            throw new InvalidDataException(npz.toString(), "cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads one array of a {@code .npz} file onto the heap: {@code array} names it (as given to np.savez), or is
     * null when the file holds only one.
     */
    public static FloatMatrix readNpz(Path npz, String array) {
        String name = npz.toString();
        try (ZipFile zip = openZip(npz)) {
            List<String> names = arrayNames(zip);
            String chosen = array;
            if (chosen == null) {
                if (names.size() != 1) {
                    throw new InvalidDataException(name, names.isEmpty() ? "holds no arrays"
                            : "holds " + names.size() + " arrays; name one with the array option: " + String.join(", ", names));
                }
                chosen = names.get(0);
            } else if (!names.contains(chosen)) {
                throw new InvalidDataException(name, "has no array '" + chosen + "'; its arrays are: " + String.join(", ", names));
            }
            ZipEntry entry = zip.getEntry(chosen + ".npy");
            String entryName = name + "[" + chosen + "]";
            try (InputStream in = zip.getInputStream(entry)) {
                return readHeap(in, entryName, entry);
            }
        } catch (ZipException e) {
            throw new InvalidDataException(name, "corrupt zip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidDataException(name, "cannot read (" + e.getMessage() + ")");
        }
    }

    private static ZipFile openZip(Path npz) throws IOException {
        if (!Files.isRegularFile(npz)) {
            throw new InvalidDataException(npz.toString(), "no such file");
        }
        try {
            return new ZipFile(npz.toFile());
        } catch (ZipException e) {
            throw new InvalidDataException(npz.toString(), "not a .npz (zip) file (" + e.getMessage() + ")");
        }
    }

    private static List<String> arrayNames(ZipFile zip) {
        List<String> names = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String entry = e.nextElement().getName();
            if (entry.endsWith(".npy")) {
                names.add(entry.substring(0, entry.length() - 4));
            }
        }
        return names;
    }

    private static FloatMatrix readHeap(InputStream in, String name, ZipEntry entry) throws IOException {
        Header header = parseHeader(in, name);
        long declared = entry.getSize();
        if (declared < 0 || declared > Math.max(entry.getCompressedSize(), 0) * MAX_DEFLATE_RATIO + 4096) {
            throw new InvalidDataException(name, String.format("the zip entry declares %,d bytes from %,d compressed, more than deflate can produce",
                    declared, entry.getCompressedSize()));
        }
        checkLength(name, header, declared - header.dataOffset());
        long values = header.rows() * header.cols();
        if (values > HeapFloatMatrix.MAX_ELEMENTS) {
            throw new InvalidDataException(name, String.format("%s holds %,d values, more than one Java array (%,d); save it as a .npy to map it",
                    header.describe(), values, HeapFloatMatrix.MAX_ELEMENTS));
        }
        float[] floats = new float[(int) values];
        int itemSize = header.type().dtype().itemSize;
        byte[] chunk = new byte[(1 << 16) / 8 * itemSize];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(header.type().order());
        long read = 0;
        for (int done = 0; done < floats.length; ) {
            int n = Math.min(floats.length - done, chunk.length / itemSize);
            int got = in.readNBytes(chunk, 0, n * itemSize);
            read += got;
            if (got < n * itemSize) {
                throw truncated(name, header, read);
            }
            header.type().toFloats(buffer, 0, floats, done, n);
            header.type().checkFinite(name, floats, done, n, done, header.cols());
            done += n;
        }
        if (in.read() >= 0) {
            throw new InvalidDataException(name, "more bytes follow the " + header.describe() + " data than its header declares");
        }
        return new HeapFloatMatrix(name, floats, (int) header.rows(), header.sampleShape(), null);
    }

    /** Reads and checks the magic, version and header dict; the stream is left at the first data byte. */
    static Header parseHeader(InputStream raw, String name) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = new byte[MAGIC.length + 2];
        if (in.readNBytes(magic, 0, magic.length) < magic.length || !java.util.Arrays.equals(magic, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InvalidDataException(name, "not a .npy file (no \\x93NUMPY magic)");
        }
        int major = magic[6];
        int headerLength;
        int prefix;
        try {
            if (major == 1) {
                headerLength = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                prefix = 10;
            } else if (major == 2 || major == 3) {
                headerLength = Integer.reverseBytes(in.readInt());
                prefix = 12;
            } else {
                throw new InvalidDataException(name, ".npy format version " + major + "." + magic[7] + " is not supported (1, 2 or 3)");
            }
        } catch (EOFException e) {
            throw new InvalidDataException(name, "truncated: the file ends inside the .npy header");
        }
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new InvalidDataException(name, String.format("header length %,d is over the %,d-byte limit", Integer.toUnsignedLong(headerLength), MAX_HEADER_BYTES));
        }
        byte[] text = in.readNBytes(headerLength);
        if (text.length < headerLength) {
            throw new InvalidDataException(name, "truncated: the file ends inside the .npy header");
        }
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).strip();
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!dict.startsWith("{") || !fortran.find() || !shape.find()) {
            throw new InvalidDataException(name, "malformed .npy header: " + abbreviate(dict));
        }
        if (!descr.find()) {
            throw new InvalidDataException(name, "unsupported dtype (structured or object arrays cannot be read); supported: " + NpyDtype.supported());
        }
        NpyDtype.Typed type = NpyDtype.parse(descr.group(1));
        if (type == null) {
            throw new InvalidDataException(name, "unsupported dtype '" + descr.group(1) + "'; supported: " + NpyDtype.supported());
        }
        if (fortran.group(1).equals("True")) {
            throw new InvalidDataException(name, "is in Fortran order; save it in C order (np.save(f, np.ascontiguousarray(a)))");
        }
        long[] dims = parseShape(name, shape.group(1));
        return new Header(type, dims, prefix + headerLength);
    }

    private static long[] parseShape(String name, String text) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                parts.add(part.strip());
            }
        }
        if (parts.isEmpty()) {
            throw new InvalidDataException(name, "holds a 0-d array (a scalar); ae4j needs at least one dimension, the rows");
        }
        if (parts.size() > MAX_DIMS) {
            throw new InvalidDataException(name, "shape has " + parts.size() + " dimensions, over the limit of " + MAX_DIMS);
        }
        long[] dims = new long[parts.size()];
        long cols = 1;
        for (int i = 0; i < dims.length; i++) {
            String part = parts.get(i);
            if (!part.matches("\\d{1,18}L?")) {
                throw new InvalidDataException(name, "malformed shape (" + abbreviate(text) + ")");
            }
            dims[i] = Long.parseLong(part.replace("L", ""));
            if (i > 0) {
                cols *= dims[i];
                if (cols > Integer.MAX_VALUE) {
                    throw new InvalidDataException(name, "shape " + FloatMatrix.describeShape(dims) + "... makes rows of more than "
                            + Integer.MAX_VALUE + " values");
                }
            }
        }
        if (dims[0] == 0 || cols == 0) {
            throw new InvalidDataException(name, "holds an empty array, shape " + FloatMatrix.describeShape(dims));
        }
        return dims;
    }

    /** The data must be exactly prod(shape)·itemsize bytes; overflow means no file can hold it. */
    private static void checkLength(String name, Header header, long actual) {
        long expected;
        try {
            expected = Math.multiplyExact(Math.multiplyExact(header.rows(), (long) header.cols()), header.type().dtype().itemSize);
        } catch (ArithmeticException e) {
            throw new InvalidDataException(name, "shape " + FloatMatrix.describeShape(header.shape()) + " is too large for any file");
        }
        if (actual < expected) {
            throw truncated(name, header, actual);
        }
        if (actual > expected) {
            throw new InvalidDataException(name, String.format("%s needs %,d bytes of data but %,d follow the header",
                    header.describe(), expected, actual));
        }
    }

    private static InvalidDataException truncated(String name, Header header, long actual) {
        return new InvalidDataException(name, String.format("truncated: %s needs %,d bytes of data but only %,d follow the header",
                header.describe(), header.dataBytes(), Math.max(actual, 0)));
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** Writes the matrix as a little-endian float32 {@code .npy} of shape [rows, ...sampleShape]. */
    public static void write(Path file, FloatMatrix matrix) throws IOException {
        StringBuilder shape = new StringBuilder("(").append(matrix.rows());
        for (int d : matrix.sampleShape()) {
            shape.append(", ").append(d);
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n"; // data aligned to 64 bytes, as NumPy does
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(MAGIC);
            out.write(new byte[] {1, 0, (byte) header.length(), (byte) (header.length() >> 8)});
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            float[] row = new float[matrix.cols()];
            ByteBuffer bytes = ByteBuffer.allocate(row.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (long r = 0; r < matrix.rows(); r++) {
                matrix.row(r, row, 0);
                bytes.clear();
                bytes.asFloatBuffer().put(row);
                out.write(bytes.array());
            }
        }
    }
}
