package ae4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.Rng;
import ae4j.spec.Init;
import ae4j.spec.Loss;
import ae4j.spec.Optimizer;
import ae4j.train.Engine;
import ae4j.train.Model;
import org.junit.jupiter.api.Test;

/** The later recipes' pieces that are not the engine's: architectures, initialisation, corruption, histograms, interpolation. */
class LaterModelsTest {
    static long parameters(Autoencoder ae) {
        return Engine.nd4j(1).verbose(false).compile(ae.network(), 784, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1)).parameterCount();
    }

    @Test
    void theBooksArchitectures() {
        assertEquals(163_814, parameters(DenoisingAutoencoder.build(DenoisingAutoencoder.Corruption.GAUSSIAN)), "the stacked autoencoder's");
        assertEquals(163_814, parameters(DenoisingAutoencoder.build(DenoisingAutoencoder.Corruption.DROPOUT)));
        assertEquals(784 * 100 + 100 + 100 * 30 + 30 + 30 * 100 + 100 + 100 * 784 + 784, parameters(SparseAutoencoder.build(SparseAutoencoder.Sparsity.NONE)));
        assertEquals(784 * 100 + 100 + 100 * 300 + 300 + 300 * 100 + 100 + 100 * 784 + 784, parameters(SparseAutoencoder.build(SparseAutoencoder.Sparsity.KL)));
        assertEquals(269_504, parameters(VariationalAutoencoder.build()), "encoder 134,870 (two Dense(10) heads) + decoder 134,634");
    }

    @Test
    void theTwoHeadsAreDrawnEachWithItsOwnGlorotLimit() {
        int fanIn = 100;
        double[] w = new double[fanIn * 20];
        Init.GLOROT_UNIFORM_TWO_HEADS.fill(w, fanIn, 20, new Rng(3));
        double limit = Math.sqrt(6.0 / (fanIn + 10));
        double largest = 0;
        for (double v : w) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest <= limit && largest > 0.97 * limit, "the limit of a Dense(10), not of a Dense(20): " + largest + " vs " + limit);
        double[] firstHead = new double[fanIn * 10];
        Init.GLOROT_UNIFORM.fill(firstHead, fanIn, 10, new Rng(3));
        for (int i = 0; i < fanIn; i++) {
            for (int j = 0; j < 10; j++) {
                assertEquals(firstHead[i * 10 + j], w[i * 20 + j], "the mean head first, drawn as a Dense(10) would be");
            }
        }
    }

    @Test
    void corruptionIsTheTrainingNoise() {
        float[][] ones = new float[50][784];
        for (float[] row : ones) {
            java.util.Arrays.fill(row, 0.5f);
        }
        float[][] dropped = DenoisingAutoencoder.corrupted(ones, DenoisingAutoencoder.Corruption.DROPOUT, 1);
        int kept = 0;
        for (float[] row : dropped) {
            for (float v : row) {
                assertTrue(v == 0f || v == 1f, "kept pixels scaled by 1/(1 - 0.5)");
                kept += v == 1f ? 1 : 0;
            }
        }
        assertEquals(0.5, kept / (50.0 * 784), 0.02);
        float[][] noisy = DenoisingAutoencoder.corrupted(ones, DenoisingAutoencoder.Corruption.GAUSSIAN, 1);
        double squares = 0;
        for (float[] row : noisy) {
            for (float v : row) {
                squares += (v - 0.5) * (v - 0.5);
            }
        }
        assertEquals(DenoisingAutoencoder.STDDEV, Math.sqrt(squares / (50 * 784)), 0.005);
    }

    @Test
    void codingActivityBinsLikeNumpysHistogram() {
        CodingActivity a = CodingActivity.of(new float[][]{{0f, 0.05f, 1f, 0.95f}, {0.1f, 0.15f, 0.55f, 0.5f}});
        assertEquals(4, a.units());
        assertEquals(2, a.images());
        assertEquals((0 + 0.05 + 1 + 0.95 + 0.1 + 0.15 + 0.55 + 0.5) / 8, a.meanActivation(), 1e-6);
        assertArrayEquals(new double[]{0.25, 0.25, 0, 0, 0, 0.25, 0, 0, 0, 0.25}, a.activationShares(), 1e-12, "1.0 falls in the last bin");
        assertArrayEquals(new double[]{0.25, 0.25, 0, 0, 0, 0, 0, 0.5, 0, 0}, a.unitMeanShares(), 1e-12, "unit means 0.05, 0.1, 0.775, 0.725");
    }

    @Test
    void interpolationIsTensorFlowsBilinearResizeWithHalfPixelCenters() {
        float[][] grid = new float[12][1];
        for (int i = 0; i < 12; i++) {
            grid[i][0] = i; // row r, column c holds 4r + c
        }
        float[][] out = VariationalAutoencoder.resizeBilinear(grid, 3, 4, 5, 7);
        // rows: sources (i + 0.5)·3/5 − 0.5 = −0.2 (clamped to 0), 0.4, 1.0, 1.6, 2.2 (clamped to 2)
        // columns: (j + 0.5)·4/7 − 0.5 = −0.214 (clamped to 0), 0.357, 0.929, 1.5, 2.071, 2.643, 3.214 (clamped to 3)
        assertEquals(0, out[0][0], 1e-6);
        assertEquals(11, out[4 * 7 + 6][0], 1e-6, "the corners are the grid's");
        assertEquals(4, out[2 * 7][0], 1e-6, "row 2 is the middle grid row exactly");
        assertEquals(4 * 0.4 + 1.5, out[7 + 3][0], 1e-5, "bilinear between the four neighbours");
        assertEquals(4 * 1.6 + (2.5 * 4 / 7 - 0.5), out[3 * 7 + 2][0], 1e-5, "a linear grid stays linear inside");
    }

    @Test
    void randomCodingsAreSeededStandardNormals() {
        assertArrayEquals(VariationalAutoencoder.randomCodings(12, 42)[5], VariationalAutoencoder.randomCodings(12, 42)[5]);
        float[][] many = VariationalAutoencoder.randomCodings(5000, 1);
        double sum = 0;
        double squares = 0;
        for (float[] row : many) {
            for (float v : row) {
                sum += v;
                squares += v * v;
            }
        }
        int n = 5000 * VariationalAutoencoder.CODINGS;
        assertEquals(0, sum / n, 0.02);
        assertEquals(1, squares / n, 0.03);
    }

    @Test
    void decodingUsesTheDecoderAlone() {
        Autoencoder ae = VariationalAutoencoder.build();
        Model model = Engine.nd4j(2).verbose(false).compile(ae.network(), 784, Loss.BINARY_CROSSENTROPY, new Optimizer.Rmsprop());
        float[][] images = VariationalAutoencoder.decode(model, ae, VariationalAutoencoder.randomCodings(3, 4));
        assertEquals(3, images.length);
        assertEquals(784, images[0].length);
        for (float v : images[0]) {
            assertTrue(v > 0 && v < 1, "sigmoid pixels");
        }
    }
}
