package ae4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.Rng;
import org.junit.jupiter.api.Test;

/** The initialisers follow Keras's definitions: range and spread. */
class InitTest {
    @Test
    void glorotUniformFillsItsRangeWithTheRightVariance() {
        int fanIn = 784;
        int fanOut = 100;
        double[] w = new double[fanIn * fanOut];
        Init.GLOROT_UNIFORM.fill(w, fanIn, fanOut, new Rng(1));
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        double sq = 0;
        double max = 0;
        for (double v : w) {
            sq += v * v;
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= limit && max > 0.99 * limit, "uniform on (−limit, limit)");
        assertEquals(limit * limit / 3, sq / w.length, 0.02 * limit * limit / 3, "variance of U(−l, l) is l²/3");
    }

    @Test
    void lecunNormalIsTruncatedAtTwoDeviationsWithStdSqrtOneOverFanIn() {
        int fanIn = 100;
        double[] w = new double[200_000];
        Init.LECUN_NORMAL.fill(w, fanIn, 2000, new Rng(2));
        double stddev = Math.sqrt(1.0 / fanIn);
        double untruncated = stddev / 0.87962566103423978;
        double sq = 0;
        for (double v : w) {
            assertTrue(Math.abs(v) <= 2 * untruncated + 1e-12);
            sq += v * v;
        }
        assertEquals(stddev, Math.sqrt(sq / w.length), 0.01 * stddev, "Keras corrects the truncation so the std is sqrt(1/fan_in)");
    }
}
