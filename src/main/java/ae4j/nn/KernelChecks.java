package ae4j.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checks every kernel implementation that hands raw pointers to native code (CPU or CUDA) makes before each
 * call: the array is of the expected type, c-order and contiguous, not closed, inside a live workspace scope when
 * it lives in one, and of the shape the call needs. Violations throw {@link IllegalArgumentException}.
 */
public final class KernelChecks {
    private KernelChecks() {
    }

    public static void checkUsable(INDArray a, DataType expected, String what) {
        if (a.dataType() != expected) {
            throw new IllegalArgumentException(what + " is " + a.dataType() + ", expected " + expected);
        }
        if (a.wasClosed()) {
            throw new IllegalArgumentException(what + " was closed");
        }
        if (a.isAttached() && !a.isInScope()) {
            throw new IllegalArgumentException(what + " belongs to a workspace scope that has ended");
        }
        if (a.ordering() != 'c' && a.rank() > 1 || a.length() > 1 && a.elementWiseStride() != 1) {
            throw new IllegalArgumentException(what + " must be c-order and contiguous (shape " + Arrays.toString(a.shape())
                    + ", order " + a.ordering() + ", element stride " + a.elementWiseStride() + ")");
        }
    }

    public static int rows(INDArray a) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException("expected a matrix, got shape " + Arrays.toString(a.shape()));
        }
        return (int) a.rows();
    }

    public static int cols(INDArray a) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException("expected a matrix, got shape " + Arrays.toString(a.shape()));
        }
        return (int) a.columns();
    }

    public static void requireShape(INDArray a, String what, long rows, long cols) {
        if (a.rank() != 2 || a.rows() != rows || a.columns() != cols) {
            throw new IllegalArgumentException(what + " must be [" + rows + ", " + cols + "], not " + Arrays.toString(a.shape()));
        }
    }

    public static void requireLength(INDArray a, String what, long length) {
        if (a.length() != length) {
            throw new IllegalArgumentException(what + " must hold " + length + " values, not " + a.length());
        }
    }

    /** The sizes of one dense-layer call: B rows, I inputs, O outputs. */
    public record DenseDims(int rows, int inputs, int outputs) {
    }

    /** Checks the shapes of {@link Kernels#denseForward}'s arrays. */
    public static DenseDims denseForward(INDArray out, INDArray x, INDArray w, boolean transposeW, INDArray b) {
        DenseDims d = new DenseDims(rows(out), cols(x), cols(out));
        requireShape(x, "x", d.rows(), d.inputs());
        requireShape(w, "W", transposeW ? d.outputs() : d.inputs(), transposeW ? d.inputs() : d.outputs());
        requireLength(b, "b", d.outputs());
        return d;
    }

    /** Checks the shapes of {@link Kernels#denseBackward}'s arrays (dx may be null). */
    public static DenseDims denseBackward(INDArray dx, INDArray dW, INDArray db, INDArray dOut, INDArray x, INDArray out, INDArray w,
                                          boolean transposeW) {
        DenseDims d = new DenseDims(rows(dOut), cols(x), cols(dOut));
        requireShape(out, "out", d.rows(), d.outputs());
        requireShape(x, "x", d.rows(), d.inputs());
        long wRows = transposeW ? d.outputs() : d.inputs();
        long wCols = transposeW ? d.inputs() : d.outputs();
        requireShape(w, "W", wRows, wCols);
        requireShape(dW, "dW", wRows, wCols);
        requireLength(db, "db", d.outputs());
        if (dx != null) {
            requireShape(dx, "dx", d.rows(), d.inputs());
        }
        return d;
    }

    /** Checks the shapes of {@link Kernels#lossAndGradient}'s arrays (dOut may be null). */
    public static void loss(INDArray out, INDArray target, INDArray dOut, INDArray totals, int metrics) {
        requireShape(target, "target", rows(out), cols(out));
        if (dOut != null) {
            requireShape(dOut, "dOut", rows(out), cols(out));
        }
        requireLength(totals, "totals", 1 + metrics);
    }

    /** Checks a gather of dst's rows from src at {@code rows[from..]}: widths, range, and every index. */
    public static void gather(INDArray dst, INDArray src, int[] rows, int from) {
        int n = rows(dst);
        if (cols(src) != cols(dst)) {
            throw new IllegalArgumentException("gather: source rows have " + cols(src) + " columns, destination " + cols(dst));
        }
        if (from < 0 || from + n > rows.length) {
            throw new IllegalArgumentException("gather: rows " + from + ".." + (from + n) + " of an order of " + rows.length);
        }
        long sourceRows = src.rows();
        for (int i = from; i < from + n; i++) {
            if (rows[i] < 0 || rows[i] >= sourceRows) {
                throw new IllegalArgumentException("gather: row " + rows[i] + " outside 0.." + (sourceRows - 1));
            }
        }
    }

    /** Checks an optimizer step's vectors: grads as long as params, state {@code slots} times as long. */
    public static void optimizer(INDArray params, INDArray grads, INDArray state, int slots) {
        requireLength(grads, "grads", params.length());
        if (state != null) {
            requireLength(state, "state", slots * params.length());
        }
    }
}
