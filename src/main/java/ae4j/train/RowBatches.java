package ae4j.train;

import ae4j.data.FloatMatrix;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Rows of any source handed on a batch at a time as float32 ND4J matrices, so that the rows need not fit in memory. */
public final class RowBatches {
    /** What is done with one batch: its rows start at row {@code start} of the source. */
    public interface Action {
        void accept(int start, INDArray batch);
    }

    private RowBatches() {
    }

    /** Rows per batch of at most {@code values} values (at least one row) for rows of {@code width} values. */
    public static int rowsPer(int values, int width) {
        return Math.max(1, values / width);
    }

    /** Hands {@code action} the rows {@code batchRows} at a time (the last batch may be shorter), in order. */
    public static void forEach(FloatMatrix rows, int batchRows, Action action) {
        int n = Math.toIntExact(rows.rows());
        int cols = rows.cols();
        float[] buffer = new float[Math.min(n, batchRows) * cols];
        for (int start = 0; start < n; start += batchRows) {
            int count = Math.min(batchRows, n - start);
            rows.rows(start, count, buffer, 0);
            float[] values = count * cols == buffer.length ? buffer : Arrays.copyOf(buffer, count * cols);
            action.accept(start, Nd4j.createFromArray(values).reshape(count, cols));
        }
    }
}
