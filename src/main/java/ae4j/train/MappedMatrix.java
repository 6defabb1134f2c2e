package ae4j.train;

import ae4j.UserInputException;
import ae4j.data.FloatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.pointers.PagedPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Rows too large for memory, as one float32 matrix in a scratch file mapped into the address space: an ND4J array
 * whose memory is the mapping, which the engines read in place, so the operating system pages the rows in and
 * out as the steps touch them and neither the heap nor ND4J's off-heap pool holds them. The file is written
 * once, row by row, from any {@link FloatMatrix} (scaled, split, converted from the source's dtype), and deleted
 * on {@link #close()}.
 * <p>
 * One mapping covers the whole file (Java's own mappings stop at 2 GB, and the engines take one address), made by
 * ND4J's native {@code mmapFile}, which maps read-write and shared.
 */
public final class MappedMatrix implements AutoCloseable {
    /** Bytes written per write call while the file is filled. */
    private static final int WRITE_BYTES = 1 << 22;

    private final Path file;
    private final long bytes;
    private final LongPointer mapping;
    private final INDArray array;
    private boolean closed;

    private MappedMatrix(Path file, long bytes, LongPointer mapping, INDArray array) {
        this.file = file;
        this.bytes = bytes;
        this.mapping = mapping;
        this.array = array;
    }

    /** Writes {@code rows} as float32 to {@code file} (which must not exist) and maps it. */
    public static MappedMatrix write(FloatMatrix rows, Path file) {
        long n = rows.rows();
        int cols = rows.cols();
        long bytes = n * cols * Float.BYTES;
        if (n == 0 || n > Integer.MAX_VALUE) {
            throw new UserInputException(rows.source() + ": " + n + " rows; the engines take 1 to " + Integer.MAX_VALUE);
        }
        try {
            fill(rows, file);
        } catch (FileAlreadyExistsException e) {
            throw new UserInputException("the scratch file " + file + " exists already: ae4j does not overwrite it");
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UserInputException("cannot write the scratch file " + file + " (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        Nd4j.getBackend(); // NativeOpsHolder reads the properties that loading the backend sets
        LongPointer mapping = NativeOpsHolder.getInstance().getDeviceNativeOps().mmapFile(null, file.toString(), bytes);
        if (mapping == null || mapping.isNull() || mapping.get(0) == 0 || mapping.get(0) == -1) {
            deleteQuietly(file);
            throw new UserInputException("cannot map the scratch file " + file);
        }
        PagedPointer memory = new PagedPointer(mapping.get(0));
        var floats = memory.asFloatPointer().capacity(n * cols);
        INDArray array = Nd4j.create(Nd4j.createBuffer(floats, DataType.FLOAT, n * cols, FloatIndexer.create(floats)), new long[]{n, cols}, new long[]{cols, 1}, 0, 'c', DataType.FLOAT);
        return new MappedMatrix(file, bytes, mapping, array);
    }

    private static void fill(FloatMatrix rows, Path file) throws IOException {
        int cols = rows.cols();
        int chunkRows = Math.max(1, WRITE_BYTES / (cols * Float.BYTES));
        float[] values = new float[chunkRows * cols];
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long first = 0; first < rows.rows(); first += chunkRows) {
                int count = (int) Math.min(chunkRows, rows.rows() - first);
                rows.rows(first, count, values, 0);
                buffer.clear();
                buffer.asFloatBuffer().put(values, 0, count * cols);
                buffer.limit(count * cols * Float.BYTES);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        }
    }

    /** The rows; valid until {@link #close()}. */
    public INDArray array() {
        return array;
    }

    public Path file() {
        return file;
    }

    /** Unmaps and deletes the file; the array must not be used after. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            NativeOpsHolder.getInstance().getDeviceNativeOps().munmapFile(null, mapping, bytes);
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
