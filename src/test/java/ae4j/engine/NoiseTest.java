package ae4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The counter-based generator: the C++ engines' numbers, the right distributions, a stream per layer, phase and step. */
class NoiseTest {
    /** Values printed by native/include/ae4j_kernels.h's noise_key and noise_bits: Java and C++ must stay in step. */
    @Test
    void drawsWhatTheNativeGeneratorDraws() {
        long key = Noise.key(42, 3, Noise.TRAIN, 7);
        assertEquals(Long.parseUnsignedLong("16182283619338983172"), key);
        assertEquals(-963107181545381396L, Noise.bits(key, 0));
        assertEquals(5816156691604776165L, Noise.bits(key, 5));
        assertEquals(1677722, Noise.dropoutThreshold(0.1));
    }

    @Test
    void everyLayerPhaseAndStepHasItsOwnStream() {
        Set<Long> firstBits = new HashSet<>();
        for (int layer = 0; layer < 4; layer++) {
            for (int phase = Noise.TRAIN; phase <= Noise.PREDICT; phase++) {
                for (long step = 0; step < 5; step++) {
                    firstBits.add(Noise.bits(Noise.key(9, layer, phase, step), 0));
                }
            }
        }
        assertEquals(4 * 3 * 5, firstBits.size());
        assertEquals(Noise.normal(Noise.key(9, 1, Noise.TRAIN, 2), 3, 4, 10), Noise.normal(Noise.key(9, 1, Noise.TRAIN, 2), 3, 4, 10),
                "a pure function of its inputs");
        assertNotEquals(Noise.key(9, 1, Noise.TRAIN, 2), Noise.key(10, 1, Noise.TRAIN, 2), "another seed");
    }

    @Test
    void dropoutKeepsOneMinusRate() {
        long key = Noise.key(1, 0, Noise.TRAIN, 1);
        for (double rate : new double[]{0.1, 0.5, 0.9}) {
            long threshold = Noise.dropoutThreshold(rate);
            int kept = 0;
            int n = 200_000;
            for (int i = 0; i < n; i++) {
                kept += Noise.kept(key, i / 1000, i % 1000, 1000, threshold) ? 1 : 0;
            }
            assertEquals(1 - rate, kept / (double) n, 0.005, "rate " + rate);
        }
        assertTrue(Noise.kept(key, 0, 0, 1, Noise.dropoutThreshold(0)), "rate 0 keeps everything");
    }

    @Test
    void normalsAreStandardAndTheTwoOfAPairUncorrelated() {
        int rows = 50_000;
        double[] z = Noise.normals(Noise.key(2, 0, Noise.EVALUATE, 3), 0, rows, 2);
        double sum = 0;
        double squares = 0;
        double products = 0;
        for (int r = 0; r < rows; r++) {
            double a = z[2 * r];
            double b = z[2 * r + 1];
            sum += a + b;
            squares += a * a + b * b;
            products += a * b;
        }
        int n = 2 * rows;
        assertEquals(0, sum / n, 0.015);
        assertEquals(1, squares / n - Math.pow(sum / n, 2), 0.02);
        assertEquals(0, products / rows, 0.02, "cosine and sine of one pair");
    }
}
