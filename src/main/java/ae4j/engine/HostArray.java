package ae4j.engine;

/**
 * A row-major {@code rows × cols} block of host memory, float32 or float64, that the native engines read and write
 * by address. Whoever makes one keeps the memory alive as long as the array is reachable (an ND4J array, or an
 * {@link OffHeapArray}); a vector is one row.
 */
public interface HostArray {
    long address();

    int rows();

    int cols();

    boolean f64();

    default long length() {
        return (long) rows() * cols();
    }
}
