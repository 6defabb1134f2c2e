package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.NativeEngineBuilt;
import ae4j.data.DataReader;
import ae4j.data.FloatMatrix;
import ae4j.data.ReadOptions;
import ae4j.data.Scaler;
import ae4j.train.Engine;
import ae4j.train.ModelFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train custom on a CSV of 600 rows of 12 values near a 3-D subspace: the model file carries the scaler, the
 * sample shape and the training errors' percentiles that encode and score need.
 */
class OwnDataTest {
    static final int WIDTH = 12;

    @TempDir
    static Path dir;

    @BeforeAll
    static void trainOnce() throws IOException {
        writeCsv(dir.resolve("normal.csv"), 600, 0, new Random(1));
        Cli.Result r = Cli.run("train", "custom", "--data", dir.resolve("normal.csv").toString(), "--label-column", "kind", "--layers", "8,3", "--epochs", "8",
                "--out", dir.resolve("run").toString()).assertOk();
        assertTrue(r.out().contains("Output and loss: chosen from the data, linear output with MSE"), r.out());
        assertTrue(r.out().contains("scaling standard"), r.out());
    }

    /**
     * Rows z·W + noise, z of 3 standard normal values and W one fixed 3×12 matrix; the last {@code anomalies} rows
     * are instead 12 independent values of standard deviation 3. A label column "kind" says which.
     */
    static void writeCsv(Path file, int normal, int anomalies, Random random) throws IOException {
        Random fixed = new Random(7);
        double[][] w = new double[3][WIDTH];
        for (double[] row : w) {
            for (int j = 0; j < WIDTH; j++) {
                row[j] = fixed.nextGaussian();
            }
        }
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < WIDTH; j++) {
            csv.append("f").append(j).append(',');
        }
        csv.append("kind\n");
        for (int i = 0; i < normal + anomalies; i++) {
            double[] z = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            for (int j = 0; j < WIDTH; j++) {
                double v = i < normal ? z[0] * w[0][j] + z[1] * w[1][j] + z[2] * w[2][j] + 0.05 * random.nextGaussian()
                        : 3 * random.nextGaussian();
                csv.append(String.format("%.5f,", v));
            }
            csv.append(i < normal ? "normal" : "anomaly").append('\n');
        }
        Files.writeString(file, csv);
    }

    @Test
    void encodeWritesOneRowOfCodingsPerRow() throws IOException {
        Path npy = dir.resolve("codings.npy");
        Cli.run("encode", "--model", dir.resolve("run/model.zip").toString(), "--data", dir.resolve("normal.csv").toString(),
                "--label-column", "kind", "--out", npy.toString()).assertOk();
        FloatMatrix codings = DataReader.read(npy, ReadOptions.DEFAULTS);
        assertEquals(600, codings.rows());
        assertEquals(3, codings.cols());
        Path csv = dir.resolve("codings.csv");
        Cli.run("encode", "--model", dir.resolve("run/model.zip").toString(), "--data", dir.resolve("normal.csv").toString(),
                "--label-column", "kind", "--out", csv.toString()).assertOk();
        assertEquals(601, Files.readAllLines(csv).size());
    }

    /** Scored against a mix of unseen normal rows and 30 anomalies, the errors rank the anomalies first. */
    @Test
    void scoreFlagsTheAnomaliesAndRanksThemByError() throws IOException {
        writeCsv(dir.resolve("mix.csv"), 300, 30, new Random(2));
        Path scores = dir.resolve("scores.csv");
        Cli.Result r = Cli.run("score", "--model", dir.resolve("run/model.zip").toString(), "--data", dir.resolve("mix.csv").toString(),
                "--label-column", "kind", "--anomaly-label", "anomaly", "--out", scores.toString()).assertOk();
        java.util.regex.Matcher auc = java.util.regex.Pattern.compile("ROC AUC ([0-9.]+), average precision ([0-9.]+)").matcher(r.out());
        assertTrue(auc.find(), r.out());
        assertTrue(Double.parseDouble(auc.group(1)) > 0.9, r.out());
        assertTrue(Double.parseDouble(auc.group(2)) > 0.8, r.out());
        assertTrue(r.out().contains("(the 99th percentile of the training rows' errors)"), r.out());
        java.util.List<String> lines = Files.readAllLines(scores);
        assertEquals("row,reconstruction_error,anomaly,label", lines.get(0));
        assertEquals(331, lines.size());
        long flaggedAnomalies = lines.stream().skip(1).filter(l -> l.endsWith(",1,anomaly")).count();
        long flaggedNormal = lines.stream().skip(1).filter(l -> l.endsWith(",1,normal")).count();
        assertTrue(flaggedAnomalies >= 20, flaggedAnomalies + " of 30 anomalies above p99");
        assertTrue(flaggedNormal <= 15, flaggedNormal + " of 300 normal rows above p99");

        Cli.run("score", "--model", dir.resolve("run/model.zip").toString(), "--data", dir.resolve("mix.csv").toString(),
                "--label-column", "kind", "--threshold", "1e9", "--out", scores.toString()).assertOk();
        assertTrue(Files.readAllLines(scores).stream().skip(1).noneMatch(l -> l.contains(",1,")), "nothing is above a threshold of 1e9");
    }

    @Test
    void theModelFileCarriesWhatEncodeAndScoreNeed() {
        ModelFile.Loaded loaded = ModelFile.load(dir.resolve("run/model.zip"), Engine.nd4j(0).verbose(false));
        assertEquals("custom", loaded.meta().recipe());
        assertEquals(WIDTH, loaded.model().inputSize());
        assertEquals(Scaler.Kind.STANDARD, loaded.meta().scaler().kind());
        assertEquals(WIDTH, loaded.meta().scaler().cols());
        assertEquals(WIDTH, loaded.meta().sampleShape()[0]);
        assertNotNull(loaded.meta().errorPercentiles());
        assertEquals(1001, loaded.meta().errorPercentiles().length);
        assertTrue(Files.exists(dir.resolve("run/history.json")));
        assertTrue(Files.exists(dir.resolve("run/learning_curves.png")));
    }

    /** --activation elu trains on the native and the nd4j engine, to the same History within float rounding. */
    @Test
    void eluTrainsToTheSameHistoryOnTheNativeAndNd4jEngines() throws IOException {
        NativeEngineBuilt.assume();
        List<List<Double>> histories = new ArrayList<>();
        for (String engine : List.of("native", "nd4j")) {
            Path out = dir.resolve("elu-" + engine);
            Cli.run("train", "custom", "--data", dir.resolve("normal.csv").toString(), "--label-column", "kind", "--layers", "8,3",
                    "--activation", "elu", "--epochs", "5", "--engine", engine, "--out", out.toString()).assertOk();
            List<Double> losses = new ArrayList<>();
            for (JsonNode epoch : new ObjectMapper().readTree(out.resolve("history.json").toFile()).get("epochs")) {
                losses.add(epoch.get("loss").asDouble());
                losses.add(epoch.get("val_loss").asDouble());
            }
            assertEquals(10, losses.size(), engine + ": " + losses);
            assertTrue(losses.get(8) < losses.get(0), engine + ": the loss fell from " + losses.get(0) + " to " + losses.get(8));
            histories.add(losses);
        }
        for (int i = 0; i < histories.get(0).size(); i++) {
            double nd4j = histories.get(1).get(i);
            assertEquals(nd4j, histories.get(0).get(i), 1e-4 * nd4j, "epoch " + (i / 2 + 1) + (i % 2 == 0 ? " loss" : " val_loss"));
        }
        assertEquals("elu", ModelFile.load(dir.resolve("elu-nd4j/model.zip"), Engine.nd4j(0).verbose(false)).model().layers().get(0)
                .activation().id());
    }
}
