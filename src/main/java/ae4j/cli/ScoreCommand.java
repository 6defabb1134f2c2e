package ae4j.cli;

import ae4j.AtomicFile;
import ae4j.UserInputException;
import ae4j.data.Labels;
import ae4j.experiments.AnomalyScores;
import ae4j.experiments.Ranking;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ae4j score}: each row's reconstruction error under a trained model, and whether it is an anomaly. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score each row of a data file by its reconstruction error under a model trained by ae4j train, and flag "
                + "the rows above a threshold as anomalies.",
                "Writes scores.csv with the columns row, reconstruction_error and anomaly (and label, with --label-column). "
                        + "With --anomaly-label, prints the ROC AUC and the average precision of the error against that label. "
                        + "The model's saved scaler is applied to the raw rows first. Rows are read a batch at a time, so a file "
                        + "larger than memory is scored too (a .npy is mapped; a CSV's values are held as float32)."})
final class ScoreCommand implements Callable<Integer> {
    /** The 99th percentile of the training rows' errors: about one row in a hundred like them is flagged. */
    static final String DEFAULT_THRESHOLD = "p99";

    @Mixin
    ModelInput input;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The scores, a .csv file.")
    Path out;

    @Option(names = "--threshold", paramLabel = "pNN|X", defaultValue = DEFAULT_THRESHOLD,
            description = "A row is an anomaly when its error is above this: pNN is that percentile of the training rows' "
                    + "errors, saved in the model by train custom, and a number is used as it is. Default: ${DEFAULT-VALUE}.")
    String threshold;

    @Option(names = "--anomaly-label", paramLabel = "L",
            description = "The value of the --label-column that marks an anomaly; the ROC AUC and average precision are then "
                    + "printed.")
    String anomalyLabel;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        if (!out.getFileName().toString().endsWith(".csv")) {
            throw new UserInputException("--out " + out + ": name a .csv file");
        }
        if (anomalyLabel != null && input.read.labelColumn == null) {
            throw new UserInputException("--anomaly-label needs --label-column, the column it is a value of");
        }
        ModelInput.Applied d = input.load(engine);
        Threshold limit = Threshold.parse(threshold, d.loaded().meta().errorPercentiles(), input.model);
        Optional<Labels> labels = d.rows().labels();
        boolean[] positive = anomalyLabel == null ? null : positives(labels.orElseThrow(() -> new UserInputException("--label-column "
                + input.read.labelColumn + ": " + input.data + " has no labels to read (they come from a CSV/TSV column or image class folders)")),
                anomalyLabel);
        OutputFolder.requireWritableFile(out, "--out");
        engine.announceEngine();

        double[] errors = AnomalyScores.reconstructionErrors(d.loaded().model(), d.autoencoder(), d.scaled());
        boolean[] anomalies = AnomalyScores.anomalies(errors, limit.value());
        AtomicFile.write(out, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
                w.write(labels.isPresent() ? "row,reconstruction_error,anomaly,label\n" : "row,reconstruction_error,anomaly\n");
                for (int r = 0; r < errors.length; r++) {
                    w.write(r + "," + errors[r] + "," + (anomalies[r] ? 1 : 0));
                    if (labels.isPresent()) {
                        w.write("," + csvCell(labels.get().of(r)));
                    }
                    w.write('\n');
                }
            }
        });
        int flagged = 0;
        for (boolean a : anomalies) {
            flagged += a ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "Scored %,d rows: %,d above the threshold %.6g (%s). Wrote %s%n", errors.length, flagged, limit.value(),
                limit.description(), out);
        if (positive != null) {
            System.out.printf(Locale.ROOT, "Against label %s = %s: ROC AUC %.4f, average precision %.4f%n", input.read.labelColumn, anomalyLabel,
                    Ranking.rocAuc(errors, positive), Ranking.averagePrecision(errors, positive));
        }
        return Main.EXIT_OK;
    }

    private static boolean[] positives(Labels labels, String anomalyLabel) {
        if (!labels.names().contains(anomalyLabel)) {
            throw new UserInputException("--anomaly-label " + anomalyLabel + ": the label column holds " + String.join(", ", labels.names()));
        }
        boolean[] positive = new boolean[labels.size()];
        for (int r = 0; r < positive.length; r++) {
            positive[r] = labels.of(r).equals(anomalyLabel);
        }
        return positive;
    }

    /** A label as one CSV cell: quoted when it holds a comma, a quote or a line break. */
    private static String csvCell(String label) {
        return label.matches(".*[,\"\\r\\n].*") ? "\"" + label.replace("\"", "\"\"") + "\"" : label;
    }

    /** The error above which a row is an anomaly, and how it was set (for the summary line). */
    record Threshold(double value, String description) {
        static Threshold parse(String text, double[] errorPercentiles, Path model) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            if (t.startsWith("p")) {
                double p;
                try {
                    p = Double.parseDouble(t.substring(1));
                } catch (NumberFormatException e) {
                    throw new UserInputException("--threshold " + text + ": write pNN with NN a percentile, such as p99, or a number");
                }
                if (!(p >= 0 && p <= 100)) {
                    throw new UserInputException("--threshold " + text + ": a percentile is between 0 and 100");
                }
                if (errorPercentiles == null) {
                    throw new UserInputException("--threshold " + text + ": " + model + " keeps no training errors (only train custom saves"
                            + " them); give the threshold as a number");
                }
                return new Threshold(AnomalyScores.threshold(errorPercentiles, p),
                        "the " + t.substring(1) + "th percentile of the training rows' errors");
            }
            try {
                double value = Double.parseDouble(t);
                if (Double.isFinite(value)) {
                    return new Threshold(value, "given");
                }
            } catch (NumberFormatException e) {
                // the one message below
            }
            throw new UserInputException("--threshold " + text + ": write pNN with NN a percentile, such as p99, or a number");
        }
    }
}
