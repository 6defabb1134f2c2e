package ae4j.experiments;

/**
 * How close a linear autoencoder came to PCA: the largest principal angle between its decoder's plane and PCA's
 * top-2 plane, and its reconstruction MSE beside PCA's (the optimum of any linear map to two dimensions).
 */
public record PcaComparison(double principalAngleDeg, double mse, double pcaMse) {
    /** Within this angle and this fraction above the optimum, the model has found PCA's plane and PCA's error. */
    public static final double MAX_ANGLE_DEG = 1.0;
    public static final double MAX_EXCESS = 0.02;

    /** The MSE's excess over PCA's optimum, as a fraction (0.05 = 5% above). */
    public double excess() {
        return mse / pcaMse - 1;
    }

    public boolean matchesPca() {
        return principalAngleDeg < MAX_ANGLE_DEG && excess() <= MAX_EXCESS;
    }

    /** "0.03° from PCA's plane, MSE 0.003390 vs PCA's optimum 0.003390 (+0.00%)". */
    public String describe() {
        return String.format("%.2f° from PCA's plane, MSE %.6f vs PCA's optimum %.6f (%+.2f%%)", principalAngleDeg, mse, pcaMse,
                100 * excess());
    }
}
