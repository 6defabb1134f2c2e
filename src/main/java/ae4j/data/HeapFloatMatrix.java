package ae4j.data;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A matrix held in float arrays on the heap, row-major: the readers of text, images and compressed files make it.
 * Most hold one array; a CSV reader hands over the blocks it filled, each holding whole rows, so that the values
 * are never copied into one array (which would need their size twice on the heap at once).
 */
public final class HeapFloatMatrix implements FloatMatrix {
    /** The longest array the JVM reliably allocates. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final String source;
    private final float[][] blocks;
    /** The first row of each block, then the number of rows: one entry more than blocks. */
    private final int[] firstRows;
    private final int rows;
    private final int[] sampleShape;
    private final int cols;
    private final Labels labels;

    /**
     * @param values      rows × prod(sampleShape) values, row-major; kept, not copied
     * @param labels      one per row, or null
     */
    public HeapFloatMatrix(String source, float[] values, int rows, int[] sampleShape, Labels labels) {
        this(source, new float[][] {values}, new int[] {0, rows}, sampleShape, labels);
    }

    /**
     * @param blocks arrays of whole rows, in order, each kept, not copied; empty ones are left out
     * @param labels one per row, or null
     */
    public static HeapFloatMatrix ofBlocks(String source, List<float[]> blocks, int[] sampleShape, Labels labels) {
        long cols = FloatMatrix.elements(sampleShape);
        if (cols <= 0) {
            throw new IllegalArgumentException("rows of shape " + Arrays.toString(sampleShape) + " cannot be split into blocks");
        }
        float[][] kept = blocks.stream().filter(b -> b.length > 0).toArray(float[][]::new);
        int[] firstRows = new int[kept.length + 1];
        long rows = 0;
        for (int b = 0; b < kept.length; b++) {
            firstRows[b] = (int) rows;
            rows += kept[b].length / cols;
            if (rows > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("more than " + Integer.MAX_VALUE + " rows");
            }
        }
        firstRows[kept.length] = (int) rows;
        return new HeapFloatMatrix(source, kept.length == 0 ? new float[][] {new float[0]} : kept,
                kept.length == 0 ? new int[] {0, 0} : firstRows, sampleShape, labels);
    }

    private HeapFloatMatrix(String source, float[][] blocks, int[] firstRows, int[] sampleShape, Labels labels) {
        long cols = FloatMatrix.elements(sampleShape);
        for (int b = 0; b < blocks.length; b++) {
            if (cols < 0 || (long) (firstRows[b + 1] - firstRows[b]) * cols != blocks[b].length) {
                throw new IllegalArgumentException(blocks[b].length + " values are not " + (firstRows[b + 1] - firstRows[b])
                        + " rows of shape " + Arrays.toString(sampleShape));
            }
        }
        int rows = firstRows[blocks.length];
        if (labels != null && labels.size() != rows) {
            throw new IllegalArgumentException(labels.size() + " labels for " + rows + " rows");
        }
        this.source = source;
        this.blocks = blocks;
        this.firstRows = firstRows;
        this.rows = rows;
        this.sampleShape = sampleShape.clone();
        this.cols = (int) cols;
        this.labels = labels;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    @Override
    public void row(long r, float[] into, int offset) {
        rows(r, 1, into, offset);
    }

    @Override
    public void rows(long first, int count, float[] into, int offset) {
        if (first < 0 || count < 0 || first + count > rows) {
            throw new IndexOutOfBoundsException("rows " + first + " to " + (first + count) + " of " + rows);
        }
        int r = (int) first;
        int left = count;
        int to = offset;
        for (int b = block(r); left > 0; b++) {
            int n = Math.min(left, firstRows[b + 1] - r);
            System.arraycopy(blocks[b], (r - firstRows[b]) * cols, into, to, n * cols);
            r += n;
            left -= n;
            to += n * cols;
        }
    }

    /** The block that holds row {@code r}: blocks are never empty, so their first rows increase. */
    private int block(int r) {
        if (blocks.length == 1) {
            return 0;
        }
        int at = Arrays.binarySearch(firstRows, 0, blocks.length, r);
        return at >= 0 ? at : -at - 2;
    }

    @Override
    public Optional<Labels> labels() {
        return Optional.ofNullable(labels);
    }
}
