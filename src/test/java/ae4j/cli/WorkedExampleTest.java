package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.data.DataReader;
import ae4j.data.FloatMatrix;
import ae4j.data.ReadOptions;
import ae4j.experiments.Pca;
import ae4j.experiments.Ranking;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's worked example, as written there, on the files shipped in examples/breast-cancer: the autoencoder
 * trained on benign rows ranks the malignant ones of the test file above the benign ones better than PCA's
 * reconstruction error does with as many components as the autoencoder has codings (what pca_baseline.py computes).
 */
class WorkedExampleTest {
    private static final Path EXAMPLE = Path.of("examples", "breast-cancer");
    private static final int CODINGS = 4;

    @TempDir
    Path dir;

    @Test
    void theAutoencoderRanksMalignantRowsAbovePcasRanking() {
        Path run = dir.resolve("run");
        Cli.run("train", "custom", "--data", EXAMPLE.resolve("train.csv").toString(), "--label-column", "diagnosis", "--validation-split", "0",
                "--layers", "16," + CODINGS, "--epochs", "200", "--optimizer", "adam:1e-3", "--out", run.toString()).assertOk();
        Cli.Result scored = Cli.run("score", "--model", run.resolve("model.zip").toString(), "--data", EXAMPLE.resolve("test.csv").toString(),
                "--label-column", "diagnosis", "--anomaly-label", "malignant", "--out", dir.resolve("scores.csv").toString()).assertOk();
        Matcher m = Pattern.compile("ROC AUC (\\d\\.\\d+)").matcher(scored.out());
        assertTrue(m.find(), scored.out());
        double autoencoder = Double.parseDouble(m.group(1));
        double pca = pcaAuc();
        assertTrue(autoencoder > pca, "autoencoder ROC AUC " + autoencoder + " vs PCA's " + pca);
    }

    /** PCA's reconstruction error's ROC AUC: standardized by the training rows, their first CODINGS components. */
    private static double pcaAuc() {
        ReadOptions options = ReadOptions.DEFAULTS.withLabelColumn("diagnosis");
        FloatMatrix train = DataReader.read(EXAMPLE.resolve("train.csv"), options);
        FloatMatrix test = DataReader.read(EXAMPLE.resolve("test.csv"), options);
        int cols = train.cols();
        double[] mean = new double[cols];
        double[] std = new double[cols];
        for (long r = 0; r < train.rows(); r++) {
            float[] row = train.row(r);
            for (int j = 0; j < cols; j++) {
                mean[j] += row[j] / (double) train.rows();
            }
        }
        for (long r = 0; r < train.rows(); r++) {
            float[] row = train.row(r);
            for (int j = 0; j < cols; j++) {
                std[j] += Math.pow(row[j] - mean[j], 2) / train.rows();
            }
        }
        RealMatrix components = Pca.components(standardized(train, mean, std)).getSubMatrix(0, cols - 1, 0, CODINGS - 1);
        RealMatrix z = MatrixUtils.createRealMatrix(standardized(test, mean, std));
        RealMatrix reconstructed = z.multiply(components).multiply(components.transpose());
        double[] errors = new double[(int) test.rows()];
        boolean[] malignant = new boolean[errors.length];
        for (int r = 0; r < errors.length; r++) {
            for (int j = 0; j < cols; j++) {
                errors[r] += Math.pow(z.getEntry(r, j) - reconstructed.getEntry(r, j), 2) / cols;
            }
            malignant[r] = test.labels().orElseThrow().of(r).equals("malignant");
        }
        return Ranking.rocAuc(errors, malignant);
    }

    private static double[][] standardized(FloatMatrix m, double[] mean, double[] std) {
        double[][] z = new double[(int) m.rows()][m.cols()];
        for (int r = 0; r < z.length; r++) {
            float[] row = m.row(r);
            for (int j = 0; j < row.length; j++) {
                z[r][j] = (row[j] - mean[j]) / Math.sqrt(std[j]);
            }
        }
        return z;
    }
}
