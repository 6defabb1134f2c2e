package ae4j.experiments;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * PCA by SVD, to judge the linear autoencoder: the principal angle between the plane it learned and PCA's top
 * plane, and the reconstruction MSE PCA achieves with as many components (the optimum for any linear map).
 */
public final class Pca {
    private Pca() {
    }

    /** Rows of {@code centred} are samples; returns the right singular vectors as columns, by decreasing variance. */
    public static RealMatrix components(double[][] centred) {
        return new SingularValueDecomposition(new Array2DRowRealMatrix(centred, false)).getV();
    }

    /** Mean over all entries of the squared residual after projecting onto the top {@code k} components. */
    public static double reconstructionMse(double[][] centred, int k) {
        double[] sigma = new SingularValueDecomposition(new Array2DRowRealMatrix(centred, false)).getSingularValues();
        double residual = 0;
        for (int i = k; i < sigma.length; i++) {
            residual += sigma[i] * sigma[i];
        }
        return residual / (centred.length * (double) centred[0].length);
    }

    /**
     * The largest principal angle, in degrees, between the column spaces of {@code a} and {@code b} (both d×k):
     * 0 when they span the same subspace.
     */
    public static double largestPrincipalAngleDegrees(RealMatrix a, RealMatrix b) {
        RealMatrix qa = orthonormalBasis(a);
        RealMatrix qb = orthonormalBasis(b);
        double[] cosines = new SingularValueDecomposition(qa.transpose().multiply(qb)).getSingularValues();
        double smallest = Math.min(1.0, cosines[cosines.length - 1]);
        return Math.toDegrees(Math.acos(smallest));
    }

    private static RealMatrix orthonormalBasis(RealMatrix m) {
        SingularValueDecomposition svd = new SingularValueDecomposition(m);
        return svd.getU().getSubMatrix(0, m.getRowDimension() - 1, 0, m.getColumnDimension() - 1);
    }
}
