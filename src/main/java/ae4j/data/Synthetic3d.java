package ae4j.data;

/**
 * The book's 3-D dataset for the linear autoencoder: points near a rotated, slightly curved 2-D sheet in 3-D.
 * <pre>
 * angles = rand(m) * 3π/2 − 0.5
 * x0 = cos(a) + sin(a)/2 + noise·randn(m)/2
 * x1 = 0.7·sin(a)        + noise·randn(m)/2
 * x2 = w1·x0 + w2·x1     + noise·randn(m)        (w1 = 0.1, w2 = 0.3, noise = 0.1), then mean-centred.
 * </pre>
 * With the book's seed (4) and m = 60 this is, number for number, the book's {@code X_train}.
 */
public final class Synthetic3d {
    public static final int BOOK_SEED = 4;
    public static final int BOOK_SIZE = 60;
    private static final double W1 = 0.1;
    private static final double W2 = 0.3;
    private static final double NOISE = 0.1;

    private Synthetic3d() {
    }

    /** {@code m} points, row-major as {@code [m][3]}, with each column's mean subtracted. */
    public static double[][] generate(int m, long seed) {
        if (m < 2) {
            throw new IllegalArgumentException("need at least 2 points: " + m);
        }
        NumpyRandom random = new NumpyRandom(seed);
        double[] angles = new double[m];
        for (int i = 0; i < m; i++) {
            angles[i] = random.rand() * 3 * Math.PI / 2 - 0.5;
        }
        double[][] data = new double[m][3];
        for (int i = 0; i < m; i++) {
            data[i][0] = Math.cos(angles[i]) + Math.sin(angles[i]) / 2 + NOISE * random.randn() / 2;
        }
        for (int i = 0; i < m; i++) {
            data[i][1] = Math.sin(angles[i]) * 0.7 + NOISE * random.randn() / 2;
        }
        for (int i = 0; i < m; i++) {
            data[i][2] = data[i][0] * W1 + data[i][1] * W2 + NOISE * random.randn();
        }
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            for (double[] row : data) {
                mean += row[c];
            }
            mean /= m;
            for (double[] row : data) {
                row[c] -= mean;
            }
        }
        return data;
    }
}
