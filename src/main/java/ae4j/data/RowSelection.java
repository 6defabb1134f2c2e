package ae4j.data;

import java.util.Optional;

/** Some rows of a matrix, in a given order, read through to it: a split's training or validation part. */
final class RowSelection implements FloatMatrix {
    private final FloatMatrix base;
    private final int[] indices;

    RowSelection(FloatMatrix base, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= base.rows()) {
                throw new IndexOutOfBoundsException("row " + i + " of " + base.rows());
            }
        }
        this.base = base;
        this.indices = indices;
    }

    @Override
    public String source() {
        return base.source();
    }

    @Override
    public long rows() {
        return indices.length;
    }

    @Override
    public int cols() {
        return base.cols();
    }

    @Override
    public int[] sampleShape() {
        return base.sampleShape();
    }

    @Override
    public void row(long r, float[] into, int offset) {
        base.row(indices[Math.toIntExact(r)], into, offset);
    }

    @Override
    public Optional<Labels> labels() {
        return base.labels().map(labels -> labels.select(indices));
    }
}
