package ae4j.data;

import java.util.Optional;

/** A matrix held in one float[] on the heap, row-major: the readers of text, images and compressed files make it. */
public final class HeapFloatMatrix implements FloatMatrix {
    /** The longest array the JVM reliably allocates. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final String source;
    private final float[] values;
    private final int rows;
    private final int[] sampleShape;
    private final int cols;
    private final Labels labels;

    /**
     * @param values      rows × prod(sampleShape) values, row-major; kept, not copied
     * @param labels      one per row, or null
     */
    public HeapFloatMatrix(String source, float[] values, int rows, int[] sampleShape, Labels labels) {
        long cols = FloatMatrix.elements(sampleShape);
        if (cols < 0 || (long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values are not " + rows + " rows of shape "
                    + java.util.Arrays.toString(sampleShape));
        }
        if (labels != null && labels.size() != rows) {
            throw new IllegalArgumentException(labels.size() + " labels for " + rows + " rows");
        }
        this.source = source;
        this.values = values;
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
        System.arraycopy(values, Math.multiplyExact(Math.toIntExact(r), cols), into, offset, cols);
    }

    @Override
    public void rows(long first, int count, float[] into, int offset) {
        System.arraycopy(values, Math.multiplyExact(Math.toIntExact(first), cols), into, offset, count * cols);
    }

    @Override
    public Optional<Labels> labels() {
        return Optional.ofNullable(labels);
    }
}
