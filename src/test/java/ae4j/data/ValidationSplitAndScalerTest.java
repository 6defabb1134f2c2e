package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ValidationSplitAndScalerTest {
    private static HeapFloatMatrix table() {
        // columns: 0..9, constant 7, 10 × row
        float[] values = new float[10 * 3];
        for (int r = 0; r < 10; r++) {
            values[r * 3] = r;
            values[r * 3 + 1] = 7;
            values[r * 3 + 2] = 10 * r;
        }
        return new HeapFloatMatrix("table", values, 10, new int[] {3}, Labels.of(IntStream.range(0, 10).mapToObj(r -> r < 5 ? "a" : "b").toList()));
    }

    @Test
    void splitIsSeededDisjointAndComplete() {
        ValidationSplit split = ValidationSplit.of(10, 0.2, 42);
        assertEquals(8, split.train().length);
        assertEquals(2, split.validation().length);
        assertArrayEquals(split.train(), ValidationSplit.of(10, 0.2, 42).train());
        assertNotEquals(Arrays.toString(split.train()), Arrays.toString(ValidationSplit.of(10, 0.2, 43).train()));
        int[] all = IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 10).toArray(), all);
        FloatMatrix validation = split.validation(table());
        assertEquals(2, validation.rows());
        assertEquals(split.validation()[1], (int) validation.row(1)[0]);
        assertEquals(split.validation()[1] < 5 ? "a" : "b", validation.labels().orElseThrow().of(1));
    }

    @Test
    void minmaxFitsOnTrainingRowsAndConstantColumnsMapToZero() {
        HeapFloatMatrix data = table();
        Scaler scaler = Scaler.fit(Scaler.Kind.MINMAX, data, new int[] {2, 3, 4});
        assertArrayEquals(new float[] {2, 7, 20}, scaler.shift());
        assertArrayEquals(new float[] {2, 1, 20}, scaler.divisor());
        assertArrayEquals(new float[] {.5f, 0, .5f}, scaler.applyTo(data).row(3), 1e-6f);
        assertArrayEquals(new float[] {3.5f, 0, 3.5f}, scaler.applyTo(data).row(9), 1e-6f); // unseen rows may leave [0, 1]
    }

    @Test
    void standardRoundTripsThroughItsRecord() {
        HeapFloatMatrix data = table();
        Scaler scaler = Scaler.fit(Scaler.Kind.STANDARD, data, IntStream.range(0, 10).toArray());
        assertArrayEquals(new float[] {4.5f, 7, 45}, scaler.shift(), 1e-5f);
        assertArrayEquals(new float[] {(float) Math.sqrt(8.25), 1, (float) Math.sqrt(825)}, scaler.divisor(), 1e-4f);
        Scaler restored = new Scaler(Scaler.Kind.valueOf(scaler.kind().name()), scaler.shift(), scaler.divisor());
        assertEquals(scaler, restored);
        float[] row = data.row(6);
        restored.apply(row, 0);
        assertEquals(0f, row[1]);
        restored.invert(row, 0);
        assertArrayEquals(data.row(6), row, 1e-5f);
        Scaler none = Scaler.fit(Scaler.Kind.NONE, data, new int[] {0});
        assertArrayEquals(data.row(4), none.applyTo(data).row(4));
    }
}
