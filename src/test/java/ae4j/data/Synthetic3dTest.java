package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reference values printed by NumPy 2.4 ({@code np.random.seed(4)}; the book's generator and centring). */
class Synthetic3dTest {
    @Test
    void numpyRandomMatchesNumpy() {
        NumpyRandom r = new NumpyRandom(4);
        assertArrayEquals(new double[]{0.9670298390136767, 0.5472322491757223, 0.9726843599648843},
                new double[]{r.rand(), r.rand(), r.rand()}, 0);
        assertArrayEquals(new double[]{0.9934697016087651, 1.0793225599309364, 1.4516256064783866},
                new double[]{r.randn(), r.randn(), r.randn()}, 1e-15);
    }

    @Test
    void reproducesTheBooksDataset() {
        double[][] x = Synthetic3d.generate(Synthetic3d.BOOK_SIZE, Synthetic3d.BOOK_SEED);
        assertEquals(60, x.length);
        assertArrayEquals(new double[]{-1.0397677147468611, -0.7602384600995039, -0.33288048212771554}, x[0], 1e-12);
        assertArrayEquals(new double[]{-0.03178419392900831, 0.3902605695387692, -0.03647666589733993}, x[1], 1e-12);
        double[] expectedStd = {0.8285487765350179, 0.42091545511238193, 0.21157761500545025};
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            double sq = 0;
            for (double[] row : x) {
                mean += row[c];
                sq += row[c] * row[c];
            }
            assertEquals(0, mean / 60, 1e-15, "column " + c + " is centred");
            assertEquals(expectedStd[c], Math.sqrt(sq / 60), 1e-12, "column " + c + " spread");
        }
    }

    @Test
    void seedChangesTheData() {
        double[][] a = Synthetic3d.generate(10, 1);
        double[][] b = Synthetic3d.generate(10, 2);
        assertEquals(false, a[0][0] == b[0][0]);
        assertArrayEquals(a[3], Synthetic3d.generate(10, 1)[3], 0);
    }
}
