package ae4j.cli;

import ae4j.UserInputException;
import ae4j.backend.BackendInfo;
import ae4j.backend.RuntimeProfile;
import ae4j.data.FloatMatrix;
import ae4j.data.InvalidDataException;
import ae4j.data.Scaler;
import ae4j.data.ValidationSplit;
import ae4j.experiments.AnomalyScores;
import ae4j.experiments.CustomAutoencoder;
import ae4j.experiments.CustomSpec;
import ae4j.experiments.LrScheduleOption;
import ae4j.experiments.Phase;
import ae4j.experiments.TrainRun;
import ae4j.spec.Activation;
import ae4j.spec.LearningRateSchedule;
import ae4j.train.Engine;
import ae4j.train.Model;
import ae4j.train.RunSettings;
import ae4j.train.TrainingDivergedException;
import ae4j.train.TrainingRows;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ae4j train custom}: an autoencoder of your own on your own data. The data are read, split, scaled (the
 * scaler fitted on the training rows) and held as float32 for training, in memory or, when larger, in memory-mapped
 * scratch files ({@link TrainingRows}). The
 * model file carries what encode and score need: the layers, the scaler, one sample's shape, and the training
 * rows' reconstruction errors at the percentiles 0, 0.1, …, 100. Unlike the recipes, which keep the book's runs, it
 * trains as a user of Keras would want a model of their own: early stopping puts the best epoch's weights back
 * (Keras's restore_best_weights=True), and the learning rate may decay step by step (--lr-schedule exponential).
 */
final class CustomTraining {
    static final int DEFAULT_EPOCHS = 10;

    private CustomTraining() {
    }

    static int run(TrainCommand c) throws IOException {
        CustomOptions o = c.custom != null ? c.custom : new CustomOptions();
        var parsed = c.spec.commandLine().getParseResult();
        for (String recipeOnly : List.of("--lr", "--fine-tune-epochs")) {
            if (parsed.hasMatchedOption(recipeOnly)) {
                throw new UserInputException(recipeOnly + " is for the recipes; train custom takes --optimizer NAME:RATE and --epochs");
            }
        }
        int epochs = Flags.positive("--epochs", c.epochs != null ? c.epochs : DEFAULT_EPOCHS);
        int batch = Flags.positive("--batch-size", c.batchSize != null ? c.batchSize : RuntimeProfile.current().getInt("train.batchSize", 32));
        if (c.earlyStopping != null) {
            Flags.positive("--early-stopping", c.earlyStopping);
        }
        LrScheduleOption schedule = c.lrSchedule == null ? null : LrScheduleOption.parse(c.lrSchedule);
        double fraction = o.validationFraction();
        Scaler.Kind scaleKind = o.scaleKind();
        CustomSpec spec = o.modelSpec();
        Map<String, Object> specJson = spec == null ? o.specJson() : null;
        if (specJson != null && !specJson.containsKey("network")) {
            spec = CustomSpec.fromJson(specJson);
        }

        FloatMatrix all = o.read(c.data.dir, "--data");
        FloatMatrix train;
        FloatMatrix valid;
        if (o.validation != null) {
            train = all;
            valid = o.read(o.validation, "--validation");
            if (valid.cols() != all.cols()) {
                throw new InvalidDataException(valid.source(), "rows have " + valid.cols() + " values, but the training rows of "
                        + all.source() + " have " + all.cols());
            }
        } else {
            ValidationSplit split = ValidationSplit.of(all.rows(), fraction, c.engineOptions.seed);
            train = split.train(all);
            valid = fraction > 0 ? split.validation(all) : null;
        }
        if (c.earlyStopping != null && valid == null) {
            throw new UserInputException("--early-stopping watches val_loss, and --validation-split 0 leaves no validation rows");
        }
        if (schedule instanceof LrScheduleOption.Plateau && valid == null) {
            throw new UserInputException("--lr-schedule plateau watches val_loss, and --validation-split 0 leaves no validation rows");
        }
        int[] trainRows = IntStream.range(0, (int) train.rows()).toArray();
        String scaleReason = "as asked";
        if (scaleKind == null) {
            float[] range = range(train);
            scaleReason = "the training values range over [" + range[0] + ", " + range[1] + "]";
            scaleKind = range[0] >= 0 && range[1] <= 1 ? Scaler.Kind.NONE : Scaler.Kind.STANDARD;
        }
        Scaler scaler = Scaler.fit(scaleKind, train, trainRows);
        Path dir = c.out != null ? c.out : Path.of("runs", TrainRun.CUSTOM);
        OutputFolder.requireWritable(dir, "--out");
        try (TrainingRows rows = TrainingRows.of(scaler.applyTo(train), valid == null ? null : scaler.applyTo(valid), dir)) {
            return train(c, o, epochs, batch, schedule, all, rows, scaler, scaleKind, scaleReason, spec, specJson, dir);
        }
    }

    private static int train(TrainCommand c, CustomOptions o, int epochs, int batch, LrScheduleOption schedule, FloatMatrix all, TrainingRows rows,
                             Scaler scaler,
                             Scaler.Kind scaleKind, String scaleReason, CustomSpec spec, Map<String, Object> specJson, Path dir)
            throws IOException {
        INDArray x = rows.train();
        INDArray xValid = rows.validation();

        CustomAutoencoder ae;
        String outputLine;
        if (spec != null) {
            CustomSpec.OutputChoice choice = CustomSpec.outputFor(x);
            CustomSpec resolved = spec.resolvedFor(choice);
            ae = CustomAutoencoder.of(resolved, all.cols());
            outputLine = spec.output() == null && spec.loss() == null ? "chosen from the data, " + choice.reason()
                    : (resolved.output() == Activation.IDENTITY ? "linear" : "sigmoid") + " output with " + resolved.loss().id()
                    + ", as asked";
        } else {
            ae = CustomAutoencoder.fromLayerJson(specJson);
            if (ae.inputWidth() != all.cols()) {
                throw new UserInputException("--spec " + o.spec + ": its model takes rows of " + ae.inputWidth() + " values, but the rows of "
                        + all.source() + " have " + all.cols());
            }
            outputLine = "the layers of --spec " + o.spec + ", with " + ae.loss().id();
            if (schedule != null && ae.optimizer().schedule().kind() != LearningRateSchedule.Kind.CONSTANT) {
                throw new UserInputException("--spec " + o.spec + ": its optimizer has a learning-rate schedule already, which --lr-schedule"
                        + " would replace; give one of them");
            }
        }
        if (schedule != null) {
            ae = new CustomAutoencoder(ae.autoencoder(), ae.inputWidth(), ae.loss(), schedule.applyTo(ae.optimizer()));
        }

        Engine engine = c.engineOptions.engine();
        RunSettings settings = RunSettings.of(c.engineOptions.seed, batch, Double.NaN, engine.kind().id(), EngineOptions.threadsOf(engine),
                BackendInfo.backendName()).withLrSchedule(schedule == null ? null : schedule.toString());
        Path historyFile = dir.resolve("history.json");
        TrainRun run = TrainRun.custom(epochs, settings, dir, c.resume, r -> Json.write(HistoryJson.of(r, Map.of(), null), historyFile))
                .withData(scaler, all.sampleShape()).stopEarly(c.earlyStopping != null ? c.earlyStopping : 0, true);
        run.checkBeforeTraining(List.of(new TrainRun.Planned("model", epochs, "--epochs")), false);
        c.engineOptions.announceEngine();
        System.out.printf("Data: %,d training and %,d validation rows of %d values; scaling %s (%s)%n", x.rows(),
                xValid == null ? 0 : xValid.rows(), all.cols(), scaleKind.name().toLowerCase(Locale.ROOT), scaleReason);
        rows.mappedTo().ifPresent(files -> System.out.println("Rows held in memory-mapped scratch files, deleted at the end: " + files));
        System.out.println("Output and loss: " + outputLine);

        Model model = ae.compile(engine);
        Phase phase;
        try (Interruption ignored = new Interruption(run, c.command(true), c.command(false))) {
            phase = run.fit(model, "model", "model", "custom autoencoder " + describe(model), epochs, batch, x, xValid);
            double[] errors = AnomalyScores.reconstructionErrors(model, ae.autoencoder(), x);
            run.saveWithErrorPercentiles(phase, AnomalyScores.errorPercentiles(errors));
            Json.write(HistoryJson.of(run, Map.of(), null), historyFile);
            Artifacts.learningCurves("custom autoencoder", phase.history(), dir.resolve("learning_curves.png"));
            System.out.printf("%n%s — %,d parameters%n", phase.description(), model.parameterCount());
            if (!phase.history().epochs().isEmpty()) {
                TrainCommand.printEpochs(phase.history().epochs());
            }
            System.out.printf("Training rows' reconstruction error: median %.6g, p99 %.6g (score's default threshold)%n",
                    AnomalyScores.percentile(errors, 50), AnomalyScores.percentile(errors, 99));
        } catch (TrainingDivergedException e) {
            System.err.println("ae4j: training diverged: " + e.getMessage() + ". Try a lower learning rate in --optimizer.");
            return Main.EXIT_FAILURE;
        }
        System.out.printf("Wrote %s and %s%n", run.modelFile("model"), historyFile);
        return Main.EXIT_OK;
    }

    private static String describe(Model model) {
        return model.inputSize() + " → " + model.outputSize();
    }

    /** The smallest and largest value of the rows, read row by row (the training rows are copied once, scaled). */
    private static float[] range(FloatMatrix m) {
        float[] row = new float[m.cols()];
        float[] range = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (long r = 0; r < m.rows(); r++) {
            m.row(r, row, 0);
            for (float v : row) {
                range[0] = Math.min(range[0], v);
                range[1] = Math.max(range[1], v);
            }
        }
        return range;
    }
}
