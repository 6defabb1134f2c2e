package ae4j.cli;

import ae4j.AtomicFile;
import ae4j.UserInputException;
import ae4j.data.FloatMatrix;
import ae4j.data.Labels;
import ae4j.experiments.AnomalyScores;
import ae4j.experiments.Ranking;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
                        + "The model's saved scaler is applied to the raw rows first. Rows are read a batch at a time and each "
                        + "row's line is written as it is scored, so that a file larger than memory is scored too (a .npy is mapped, "
                        + "a large CSV or TSV streamed, keeping of each row only its error and label)."})
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
        try (ModelInput.Blocks d = input.blocks(engine)) {
            Threshold limit = Threshold.parse(threshold, d.loaded().meta().errorPercentiles(), input.model);
            if (anomalyLabel != null && !d.hasLabels()) {
                throw new UserInputException("--label-column " + input.read.labelColumn + ": " + input.data + " has no labels to read (they "
                        + "come from a CSV/TSV column or image class folders)");
            }
            OutputFolder.requireWritableFile(out, "--out");
            engine.announceEngine();
            Ranked ranked = anomalyLabel == null ? null : new Ranked();
            long[] scored = new long[2]; // rows, of which anomalies
            AtomicFile.write(out, tmp -> {
                try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
                    w.write(d.hasLabels() ? "row,reconstruction_error,anomaly,label\n" : "row,reconstruction_error,anomaly\n");
                    while (d.raw().hasNext()) {
                        FloatMatrix block = d.raw().next();
                        double[] errors = AnomalyScores.reconstructionErrors(d.loaded().model(), d.autoencoder(), d.scaled(block));
                        boolean[] anomalies = AnomalyScores.anomalies(errors, limit.value());
                        Optional<Labels> labels = block.labels();
                        for (int r = 0; r < errors.length; r++) {
                            w.write((scored[0] + r) + "," + errors[r] + "," + (anomalies[r] ? 1 : 0));
                            if (labels.isPresent()) {
                                w.write("," + csvCell(labels.get().of(r)));
                            }
                            w.write('\n');
                            scored[1] += anomalies[r] ? 1 : 0;
                        }
                        scored[0] += errors.length;
                        if (ranked != null) {
                            ranked.add(errors, labels.orElseThrow(), anomalyLabel);
                        }
                    }
                }
                if (ranked != null && !ranked.names.contains(anomalyLabel)) {
                    throw new UserInputException("--anomaly-label " + anomalyLabel + ": the label column holds " + String.join(", ", ranked.names));
                }
            });
            System.out.printf(Locale.ROOT, "Scored %,d rows: %,d above the threshold %.6g (%s). Wrote %s%n", scored[0], scored[1], limit.value(),
                    limit.description(), out);
            if (ranked != null) {
                double[] errors = Arrays.copyOf(ranked.errors, ranked.rows);
                boolean[] positive = Arrays.copyOf(ranked.positive, ranked.rows);
                System.out.printf(Locale.ROOT, "Against label %s = %s: ROC AUC %.4f, average precision %.4f%n", input.read.labelColumn,
                        anomalyLabel, Ranking.rocAuc(errors, positive), Ranking.averagePrecision(errors, positive));
            }
        }
        return Main.EXIT_OK;
    }

    /**
     * What ROC AUC and average precision need of every row, kept as the blocks go by while their values are not: its
     * error and whether it has the anomaly label; and the labels seen, to name them when none is that label.
     */
    private static final class Ranked {
        private double[] errors = new double[1024];
        private boolean[] positive = new boolean[1024];
        private int rows;
        private final Set<String> names = new TreeSet<>();

        void add(double[] blockErrors, Labels labels, String anomalyLabel) {
            if (rows + blockErrors.length > errors.length) {
                int capacity = Math.max(rows + blockErrors.length, (int) Math.min(Integer.MAX_VALUE - 8, 2L * errors.length));
                errors = Arrays.copyOf(errors, capacity);
                positive = Arrays.copyOf(positive, capacity);
            }
            for (int r = 0; r < blockErrors.length; r++) {
                errors[rows + r] = blockErrors[r];
                positive[rows + r] = labels.of(r).equals(anomalyLabel);
            }
            rows += blockErrors.length;
            names.addAll(labels.names());
        }
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
