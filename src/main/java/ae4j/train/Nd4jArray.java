package ae4j.train;

import ae4j.engine.HostArray;
import ae4j.nn.KernelChecks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An ND4J array seen by the engines as host memory: a matrix, or a vector as one row. It must be float32 or
 * float64, c-order, contiguous and outside every workspace (a detached array or a view of one). In ND4J
 * 1.0.0-M2.1 {@code addressPointer()} already includes a view's offset.
 */
public record Nd4jArray(INDArray array) implements HostArray {
    public Nd4jArray {
        if (array.dataType() != DataType.FLOAT && array.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("the engines take float32 or float64 arrays, not " + array.dataType());
        }
        KernelChecks.checkUsable(array, array.dataType(), "an engine operand");
        if (array.isAttached()) {
            throw new IllegalArgumentException("an engine operand must live outside every workspace");
        }
        if (array.rank() > 2) {
            throw new IllegalArgumentException("an engine operand must be a matrix or a vector");
        }
    }

    @Override
    public long address() {
        return array.data().addressPointer().address();
    }

    @Override
    public int rows() {
        return array.rank() == 2 ? (int) array.rows() : 1;
    }

    @Override
    public int cols() {
        return array.rank() == 2 ? (int) array.columns() : (int) array.length();
    }

    @Override
    public boolean f64() {
        return array.dataType() == DataType.DOUBLE;
    }
}
