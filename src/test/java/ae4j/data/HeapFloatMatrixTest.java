package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapFloatMatrixTest {
    /** Rows 0..5 of two values (10r, 10r + 1) in blocks of 2, 0, 3 and 1 rows. */
    private static HeapFloatMatrix blocks() {
        return HeapFloatMatrix.ofBlocks("blocks", List.of(new float[] {0, 1, 10, 11}, new float[0], new float[] {20, 21, 30, 31, 40, 41},
                new float[] {50, 51}), new int[] {2}, null);
    }

    @Test
    void rowsAreReadAcrossBlocks() {
        HeapFloatMatrix m = blocks();
        assertEquals(6, m.rows());
        assertEquals(2, m.cols());
        for (int r = 0; r < 6; r++) {
            assertArrayEquals(new float[] {10 * r, 10 * r + 1}, m.row(r), "row " + r);
        }
        float[] some = new float[1 + 4 * 2];
        m.rows(1, 4, some, 1);
        assertArrayEquals(new float[] {0, 10, 11, 20, 21, 30, 31, 40, 41}, some);
        assertArrayEquals(new float[] {0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51}, m.toArray());
        assertArrayEquals(new float[] {30, 31, 0, 1}, m.select(new int[] {3, 0}).toArray());
    }

    @Test
    void blocksMustHoldWholeRowsAndRowsMustExist() {
        assertThrows(IllegalArgumentException.class, () -> HeapFloatMatrix.ofBlocks("odd", List.of(new float[3]), new int[] {2}, null));
        assertThrows(IllegalArgumentException.class, () -> HeapFloatMatrix.ofBlocks("labels", List.of(new float[4]), new int[] {2},
                Labels.of(List.of("a"))));
        assertThrows(IndexOutOfBoundsException.class, () -> blocks().row(6));
        assertThrows(IndexOutOfBoundsException.class, () -> blocks().rows(5, 2, new float[4], 0));
        assertThrows(IllegalArgumentException.class, () -> new HeapFloatMatrix("short", new float[5], 3, new int[] {2}, null));
        assertEquals(0, HeapFloatMatrix.ofBlocks("none", List.of(new float[0]), new int[] {2}, null).rows());
        assertArrayEquals(new float[0], HeapFloatMatrix.ofBlocks("none", List.of(), new int[] {2}, null).toArray());
        assertEquals(3, new HeapFloatMatrix("one", new float[6], 3, new int[] {2}, null).rows());
        float[] values = new float[8];
        Arrays.fill(values, 4, 8, 1);
        assertArrayEquals(new float[] {1, 1, 1, 1}, new HeapFloatMatrix("one", values, 2, new int[] {2, 2}, null).row(1));
    }
}
