package ae4j.engine;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/** Host memory of its own, outside the Java heap (JavaCPP), for code that runs without ND4J. */
public final class OffHeapArray implements HostArray, AutoCloseable {
    private final Pointer memory;
    private final int rows;
    private final int cols;
    private final boolean f64;

    private OffHeapArray(Pointer memory, int rows, int cols, boolean f64) {
        this.memory = memory;
        this.rows = rows;
        this.cols = cols;
        this.f64 = f64;
    }

    /** rows × cols float32, zeroed. */
    public static OffHeapArray floats(int rows, int cols) {
        FloatPointer p = new FloatPointer((long) rows * cols);
        Pointer.memset(p, 0, (long) rows * cols * 4);
        return new OffHeapArray(p, rows, cols, false);
    }

    /** rows × cols float64, zeroed. */
    public static OffHeapArray doubles(int rows, int cols) {
        DoublePointer p = new DoublePointer((long) rows * cols);
        Pointer.memset(p, 0, (long) rows * cols * 8);
        return new OffHeapArray(p, rows, cols, true);
    }

    /** Copies {@code values} in, from element {@code index} on (float32 arrays). */
    public void put(long index, float[] values) {
        new FloatPointer(memory).position(index).put(values, 0, values.length);
    }

    /** Copies {@code values.length} elements out, from element {@code index} on (float32 arrays). */
    public void get(long index, float[] values) {
        new FloatPointer(memory).position(index).get(values, 0, values.length);
    }

    public float get(long index) {
        return ((FloatPointer) memory).get(index);
    }

    /** Rows of an array, sharing its memory; holding the whole array keeps that memory alive. */
    private record RowView(OffHeapArray whole, long address, int rows, int cols, boolean f64) implements HostArray {
    }

    /** Rows [from, to) of this array, sharing its memory. */
    public HostArray rows(int from, int to) {
        if (from < 0 || to > rows || from >= to) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " of " + rows);
        }
        return new RowView(this, memory.address() + (long) from * cols * (f64 ? 8 : 4), to - from, cols, f64);
    }

    @Override
    public long address() {
        return memory.address();
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public boolean f64() {
        return f64;
    }

    @Override
    public void close() {
        memory.close();
    }
}
