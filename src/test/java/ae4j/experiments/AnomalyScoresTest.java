package ae4j.experiments;

import static ae4j.experiments.CustomAutoencoderTest.WIDTH;
import static ae4j.experiments.CustomAutoencoderTest.inUnitRange;
import static ae4j.experiments.CustomAutoencoderTest.nearSubspace;
import static ae4j.experiments.CustomAutoencoderTest.spec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.Rng;
import ae4j.data.HeapFloatMatrix;
import ae4j.train.Engine;
import ae4j.train.Model;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Codings, reconstruction errors, thresholds, and the ranking scores of anomalies. */
class AnomalyScoresTest {
    record Trained(Model model, Autoencoder ae) {
    }

    static Trained train(INDArray x, String... options) {
        CustomAutoencoder custom = CustomAutoencoder.of(spec(options).resolvedFor(CustomSpec.outputFor(x)), WIDTH);
        Model model = custom.compile(Engine.nd4j(11).verbose(false));
        model.fit(x, x, 20, 32, null, null);
        return new Trained(model, custom.autoencoder());
    }

    /** scikit-learn's documented example: roc_auc_score and average_precision_score of these give 0.75 and 0.8333. */
    @Test
    void theRankingScoresOfScikitLearnsExample() {
        double[] scores = {0.1, 0.4, 0.35, 0.8};
        boolean[] positive = {false, false, true, true};
        assertEquals(0.75, Ranking.rocAuc(scores, positive), 1e-12);
        // from the top: 0.8 (+) R 0.5 P 1; 0.4 (−) adds no recall; 0.35 (+) R 1 P 2/3: 0.5·1 + 0.5·2/3
        assertEquals(0.5 + 0.5 * 2 / 3.0, Ranking.averagePrecision(scores, positive), 1e-12);
    }

    @Test
    void tiedScoresAreOneThreshold() {
        double[] scores = {0.9, 0.5, 0.5, 0.2};
        boolean[] positive = {true, true, false, false};
        // pairs (positive, negative): 0.9>0.5, 0.9>0.2, 0.5=0.5 (half), 0.5>0.2: 3.5 of 4
        assertEquals(0.875, Ranking.rocAuc(scores, positive), 1e-12);
        // 0.9: R 0.5 P 1; both 0.5s at once: R 1 P 2/3 (not R 1 P 1 as an order inside the tie would give)
        assertEquals(0.5 + 0.5 * 2 / 3.0, Ranking.averagePrecision(scores, positive), 1e-12);
        assertEquals(0.5, Ranking.rocAuc(new double[]{1, 1, 1}, new boolean[]{true, false, false}), 1e-12);
    }

    @Test
    void percentilesInterpolateAsNumpy() {
        double[] errors = {4, 1, 3, 2};
        assertEquals(2.5, AnomalyScores.percentile(errors, 50), 1e-12);
        assertEquals(3.97, AnomalyScores.percentile(errors, 99), 1e-12, "rank 0.99·3 = 2.97: 3 + 0.97·(4 − 3)");
        assertEquals(1, AnomalyScores.percentile(errors, 0));
        assertEquals(4, AnomalyScores.percentile(errors, 100));
        assertArrayEquals(new boolean[]{true, false, false, false}, AnomalyScores.anomalies(errors, 3));
    }

    /** The training errors' percentiles travel in the model file, and give the same threshold back. */
    @Test
    void theTrainingErrorPercentilesAreSavedWithTheModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        INDArray x = nearSubspace(300, 2);
        Trained t = train(x, "layers", "12,3", "optimizer", "adam:0.01");
        double[] errors = AnomalyScores.reconstructionErrors(t.model, t.ae, x);
        double[] percentiles = AnomalyScores.errorPercentiles(errors);
        java.nio.file.Path file = dir.resolve("m.zip");
        ae4j.train.ModelFile.save(t.model, file, new ae4j.train.ModelFile.Metadata("custom", "model", 1, null).withErrorPercentiles(percentiles));
        ae4j.train.ModelFile.Loaded loaded = ae4j.train.ModelFile.load(file, Engine.nd4j(1).verbose(false));
        double[] saved = loaded.meta().errorPercentiles();
        assertArrayEquals(percentiles, saved);
        assertEquals(AnomalyScores.percentile(errors, 99), AnomalyScores.threshold(saved, 99), 1e-12);
        assertEquals(AnomalyScores.percentile(errors, 99.5), AnomalyScores.threshold(saved, 99.5), 1e-12);
        assertArrayEquals(errors, AnomalyScores.reconstructionErrors(loaded.model(), Autoencoder.of(loaded), x), 1e-6);
    }

    /** Rows read from a file a batch at a time score and encode exactly as the same rows in memory. */
    @Test
    void rowsReadInBatchesGiveWhatTheArrayGives() {
        INDArray x = nearSubspace(AnomalyScores.batchRows(WIDTH) * 2 + 7, 3);
        Trained t = train(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 256)), "layers", "12,3", "optimizer", "adam:0.01");
        HeapFloatMatrix rows = new HeapFloatMatrix("rows", x.castTo(DataType.FLOAT).data().asFloat(), (int) x.rows(), new int[]{WIDTH}, null);
        assertArrayEquals(AnomalyScores.reconstructionErrors(t.model, t.ae, x), AnomalyScores.reconstructionErrors(t.model, t.ae, rows), 1e-9);
        INDArray codings = AnomalyScores.encode(t.model, t.ae, x);
        AnomalyScores.Codings streamed = AnomalyScores.encode(t.model, t.ae, rows);
        assertEquals(codings.rows(), streamed.rows());
        assertEquals(codings.columns(), streamed.width());
        assertArrayEquals(codings.castTo(DataType.FLOAT).data().asFloat(), streamed.values(), 1e-6f);
    }

    /** Errors are the loss's mean over features, row by row, the same across the batches the rows are split into. */
    @Test
    void reconstructionErrorsAreTheLossOfEachRowInBatches() {
        int batchRows = AnomalyScores.batchRows(WIDTH);
        INDArray x = nearSubspace(batchRows + 100, 2);
        Trained t = train(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 256)), "layers", "12,3", "optimizer", "adam:0.01");
        double[] errors = AnomalyScores.reconstructionErrors(t.model, t.ae, x);
        double[][] out = t.model.predict(x).toDoubleMatrix();
        double[][] in = x.toDoubleMatrix();
        for (int r : new int[]{0, batchRows - 1, batchRows, (int) x.rows() - 1}) {
            double sum = 0;
            for (int j = 0; j < WIDTH; j++) {
                sum += (in[r][j] - out[r][j]) * (in[r][j] - out[r][j]);
            }
            assertEquals(sum / WIDTH, errors[r], 1e-6);
        }
        INDArray unit = inUnitRange(nearSubspace(64, 2));
        Trained bce = train(unit, "layers", "12,3", "optimizer", "adam:0.01");
        double[] p = bce.model.predict(unit).getRow(0).toDoubleVector();
        double[] y = unit.getRow(0).toDoubleVector();
        double sum = 0;
        for (int j = 0; j < WIDTH; j++) {
            sum -= y[j] * Math.log(p[j]) + (1 - y[j]) * Math.log(1 - p[j]);
        }
        assertEquals(sum / WIDTH, AnomalyScores.reconstructionErrors(bce.model, bce.ae, unit)[0], 1e-5);
    }

    @Test
    void codingsAreTheCodingLayersOutputAndAVariationalModelsMean() {
        INDArray x = nearSubspace(128, 3);
        Trained plain = train(x, "layers", "12,3", "noise", "gaussian:0.1");
        INDArray codings = AnomalyScores.encode(plain.model, plain.ae, x);
        assertArrayEquals(new long[]{128, 3}, codings.shape());
        assertEquals(plain.model.predict(plain.ae.encoder(), x), codings);

        Trained vae = train(inUnitRange(x), "layers", "12,3", "variational", "true", "optimizer", "adam:0.01");
        INDArray mean = AnomalyScores.encode(vae.model, vae.ae, inUnitRange(x));
        assertArrayEquals(new long[]{128, 3}, mean.shape());
        assertEquals(mean, AnomalyScores.encode(vae.model, vae.ae, inUnitRange(x)), "the mean, not a sample");
        assertArrayEquals(AnomalyScores.reconstructionErrors(vae.model, vae.ae, inUnitRange(x)),
                AnomalyScores.reconstructionErrors(vae.model, vae.ae, inUnitRange(x)), "decoded from the mean, not a sample");
    }

    /** Trained on rows near a 3-D subspace, it scores rows off that subspace (injected anomalies) above held-out normal ones. */
    @Test
    void injectedAnomaliesScoreAboveNormalRows() {
        Trained t = train(nearSubspace(512, 4), "layers", "12,3", "optimizer", "adam:0.01");
        double threshold = AnomalyScores.percentile(AnomalyScores.reconstructionErrors(t.model, t.ae, nearSubspace(512, 4)), 99);
        int normal = 190;
        int anomalous = 10;
        float[][] rows = new float[normal + anomalous][];
        float[][] held = nearSubspace(normal, 5).toFloatMatrix();
        System.arraycopy(held, 0, rows, 0, normal);
        Rng rng = new Rng(6);
        boolean[] positive = new boolean[rows.length];
        for (int i = normal; i < rows.length; i++) {
            rows[i] = new float[WIDTH];
            for (int j = 0; j < WIDTH; j++) {
                rows[i][j] = (float) rng.nextGaussian();
            }
            positive[i] = true;
        }
        double[] errors = AnomalyScores.reconstructionErrors(t.model, t.ae, Nd4j.createFromArray(rows));
        double auc = Ranking.rocAuc(errors, positive);
        assertTrue(auc > 0.9, "AUC " + auc);
        assertTrue(Ranking.averagePrecision(errors, positive) > 0.5);
        int flagged = 0;
        for (boolean a : AnomalyScores.anomalies(errors, threshold)) {
            flagged += a ? 1 : 0;
        }
        assertTrue(flagged >= anomalous / 2 && flagged < 3 * anomalous, flagged + " rows above the p99 threshold " + threshold);
    }
}
