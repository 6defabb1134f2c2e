package ae4j.data;

import java.util.Arrays;
import java.util.Optional;

/**
 * A dataset as rows of float32 features: what every reader returns and every engine consumes, without ND4J. A row
 * is one sample flattened in C order; {@link #sampleShape} says how to unflatten it ([H, W, C] for images, [T, F]
 * for a 3-D array, [F] for a table). Implementations are read-only and safe to read from several threads.
 */
public interface FloatMatrix {
    /** Where the rows came from, for messages: a file name, or a description of a view. */
    String source();

    long rows();

    /** Features per row: the product of {@link #sampleShape}. */
    int cols();

    /** The shape of one sample; a fresh copy. */
    int[] sampleShape();

    /** Copies row {@code r} into {@code into[offset .. offset + cols())}. */
    void row(long r, float[] into, int offset);

    /** Copies {@code count} consecutive rows from {@code first} into {@code into}, row after row. */
    default void rows(long first, int count, float[] into, int offset) {
        int cols = cols();
        for (int i = 0; i < count; i++) {
            row(first + i, into, offset + i * cols);
        }
    }

    /** The rows' labels (a CSV label column, an image's class folder), when the source has them. */
    default Optional<Labels> labels() {
        return Optional.empty();
    }

    /** The rows {@code indices}, in that order, as a view that copies nothing. */
    default FloatMatrix select(int[] indices) {
        return new RowSelection(this, indices.clone());
    }

    /** A row, freshly allocated: for tests and small tables, not for loops over big files. */
    default float[] row(long r) {
        float[] row = new float[cols()];
        row(r, row, 0);
        return row;
    }

    /** The whole matrix, row-major, on the heap: refused when it cannot fit one Java array. */
    default float[] toArray() {
        long size = rows() * cols();
        if (size > HeapFloatMatrix.MAX_ELEMENTS) {
            throw new InvalidDataException(source(), String.format(
                    "%,d values are more than one Java array holds (%,d); read it row by row", size, HeapFloatMatrix.MAX_ELEMENTS));
        }
        float[] all = new float[(int) size];
        rows(0, (int) rows(), all, 0);
        return all;
    }

    /** Rows of equal length from Java arrays, copied: what a program that already holds its data passes to fit. */
    static FloatMatrix of(float[][] rows) {
        if (rows.length == 0 || rows[0].length == 0) {
            throw new IllegalArgumentException("no rows, or rows of no values");
        }
        int cols = rows[0].length;
        float[] values = new float[Math.multiplyExact(rows.length, cols)];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[r], 0, values, r * cols, cols);
        }
        return new HeapFloatMatrix("float[][]", values, rows.length, new int[]{cols}, null);
    }

    /** Product of a shape's dimensions, or -1 when it overflows an int. */
    static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return n;
    }

    /** A shape as NumPy prints it: (3, 28, 28). */
    static String describeShape(long[] shape) {
        String inner = String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList());
        return "(" + inner + (shape.length == 1 ? ",)" : ")");
    }
}
