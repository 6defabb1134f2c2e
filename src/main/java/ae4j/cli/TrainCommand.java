package ae4j.cli;

import ae4j.UserInputException;
import ae4j.backend.BackendInfo;
import ae4j.backend.RuntimeProfile;
import ae4j.data.FashionMnist;
import ae4j.experiments.BookReference;
import ae4j.experiments.CodingActivity;
import ae4j.experiments.GreedyLayerwise;
import ae4j.experiments.LinearAutoencoder;
import ae4j.experiments.LrScheduleOption;
import ae4j.experiments.PcaComparison;
import ae4j.experiments.Phase;
import ae4j.experiments.Recipe;
import ae4j.experiments.SparseAutoencoder;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TrainRun;
import ae4j.train.Engine;
import ae4j.train.EpochLog;
import ae4j.train.RunSettings;
import ae4j.train.TrainingDivergedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ae4j train MODEL}: one of the chapter's autoencoders, with the book's settings: linear, stacked, tied,
 * greedy, the denoising ones (denoising-gaussian, denoising-dropout), the sparse ones and the model they are
 * compared with (sigmoid-coding, sparse-l1, sparse-kl), and the variational one.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train one of the chapter's autoencoders with the book's settings.",
                "Saves the model and history.json after every epoch; Ctrl-C keeps them, and --resume continues the same run.",
                "Writes DIR/model.zip (greedy: also phase1.zip and phase2.zip; linear: also converged.zip) and DIR/history.json, "
                        + "draws the learning curves and reconstructions as PNG (linear: the PCA figure; denoising: of noisy inputs; "
                        + "sparse and sigmoid-coding: also the coding layer's activations; variational: also generated images and their "
                        + "interpolation), and prints a summary beside the book's numbers.",
                "The linear model is also trained to convergence (" + LinearAutoencoder.CONVERGED_EPOCHS + " full-batch epochs), where it is PCA.",
                "train custom trains an autoencoder of your own on the file or folder --data names (CSV or TSV, optionally gzip'd, "
                        + ".npy, .npz, IDX, or images), with the options of its own section below; it writes DIR/model.zip, "
                        + "DIR/history.json and the learning curves, and its data must fit in memory."})
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", converter = TrainModelIds.class, completionCandidates = TrainModelIds.class,
            description = "One of ${COMPLETION-CANDIDATES}.")
    String model;

    private Recipe recipe;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs (each greedy phase). Default: the book's, 20 for linear, 25 for variational and 10 for the others.")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Batch size. Default: the book's, 128 for variational; for the others train.batchSize in the profile (32, as in Keras).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate. Default: the book's: SGD 1.5 (greedy: phase 1's; phase 2 keeps 0.05 and fine-tuning 0.1), SGD 1.0 for "
                    + "the denoising, sparse and sigmoid-coding models, RMSprop 0.001 for variational.")
    Double learningRate;

    @Option(names = "--fine-tune-epochs", paramLabel = "N", defaultValue = "10",
            description = "Greedy only: epochs of end-to-end fine-tuning after the two phases; 0 skips it. Default: ${DEFAULT-VALUE}.")
    int fineTuneEpochs;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/<MODEL>.")
    Path out;

    @Option(names = "--resume", description = "Continue the run saved in the output folder, to --epochs; every other setting must be the same.")
    boolean resume;

    @Option(names = "--early-stopping", paramLabel = "N",
            description = "Stop training a model once its val_loss has not improved for N epochs in a row (Keras's EarlyStopping, patience N);"
                    + " its weights stay the last epoch's (train custom: the best epoch's are put back). The epochs a resumed model has"
                    + " trained count too, so --resume after an early stop trains on only with a larger N, or without this option."
                    + " Default: off. Not for linear, which has no validation data.")
    Integer earlyStopping;

    @Option(names = "--lr-schedule", paramLabel = "SCHEDULE",
            description = {"Lower the learning rate as Keras does, with one of:",
                    "  plateau[:FACTOR[:PATIENCE[:MIN_LR]]], its ReduceLROnPlateau: the rate times FACTOR (0.1) once val_loss has not improved"
                            + " for PATIENCE epochs (10), down to MIN_LR (0);",
                    "  exponential:FACTOR:STEPS[:staircase], for train custom, its ExponentialDecay: the rate times FACTOR every STEPS steps,"
                            + " step by step or, with staircase, at once.",
                    "Default: none. Not for linear, which has no validation data."})
    String lrSchedule;

    @Mixin
    EngineOptions engineOptions;

    @Mixin
    DataOptions data;

    @ArgGroup(exclusive = false, heading = "%nYour own data and model (train custom):%n")
    CustomOptions custom;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (model.equals(TrainRun.CUSTOM)) {
            return CustomTraining.run(this);
        }
        recipe = Recipe.byId(model).orElseThrow();
        spec.commandLine().getParseResult().matchedOptions().stream().filter(o -> o.group() != null).findFirst().ifPresent(o -> {
            throw new UserInputException(o.longestName() + " is for train custom; the recipes take the book's data and model");
        });
        int epochCount = Flags.positive("--epochs", epochs != null ? epochs : recipe.epochs());
        int batch = Flags.positive("--batch-size", batchSize != null ? batchSize
                : recipe.batchSize().orElseGet(() -> RuntimeProfile.current().getInt("train.batchSize", 32)));
        Flags.atLeast("--fine-tune-epochs", fineTuneEpochs, 0);
        if (earlyStopping != null) {
            Flags.positive("--early-stopping", earlyStopping);
            if (recipe == Recipe.LINEAR) {
                throw new UserInputException("--early-stopping watches val_loss, and linear trains without validation data");
            }
        }
        double lr = learningRate == null ? Double.NaN : Flags.positive("--lr", learningRate);
        LrScheduleOption schedule = lrSchedule == null ? null : LrScheduleOption.parse(lrSchedule);
        if (schedule instanceof LrScheduleOption.Exponential) {
            throw new UserInputException("--lr-schedule exponential is for train custom; the recipes keep the book's optimizers"
                    + " (plateau works with them)");
        }
        if (schedule != null && recipe == Recipe.LINEAR) {
            throw new UserInputException("--lr-schedule plateau watches val_loss, and linear trains without validation data");
        }
        Path dir = out != null ? out : Path.of("runs", recipe.id());
        OutputFolder.requireWritable(dir, "--out");
        Engine engine = engineOptions.engine();
        RunSettings settings = RunSettings.of(engineOptions.seed, batch, lr, engine.kind().id(), EngineOptions.threadsOf(engine), BackendInfo.backendName())
                .withLrSchedule(schedule == null ? null : schedule.toString());
        Path historyFile = dir.resolve("history.json");
        // The recipes keep the last epoch's weights, as Keras's EarlyStopping does by default (restore_best_weights=False).
        TrainRun run = new TrainRun(recipe, epochCount, settings, dir, resume, r -> Json.write(HistoryJson.of(r, Map.of(), null), historyFile))
                .stopEarly(earlyStopping != null ? earlyStopping : 0, false);
        run.checkBeforeTraining(recipe.planned(epochCount, fineTuneEpochs), recipe.chained());
        FashionMnist mnist = recipe.onFashionMnist() ? data.load() : null;
        engineOptions.announceEngine();

        Map<String, PcaComparison> pca = new LinkedHashMap<>();
        CodingActivity codings;
        try (Interruption ignored = new Interruption(run, command(true), command(false))) {
            codings = train(engine, run, mnist, pca);
        } catch (TrainingDivergedException e) {
            Path checkpoint = run.phases().isEmpty() ? run.modelFile("model") : run.modelFile(run.phases().get(run.phases().size() - 1).file());
            System.err.println("ae4j: training diverged: " + e.getMessage() + "."
                    + (Files.exists(checkpoint) ? " The last good checkpoint is " + checkpoint + "." : "")
                    + " Try a lower --lr.");
            return Main.EXIT_FAILURE;
        }
        HistoryJson.File history = HistoryJson.of(run, pca, codings);
        Json.write(history, historyFile);
        print(run, pca, codings, historyFile, history);
        return Main.EXIT_OK;
    }

    /** This command line, with --resume ({@code resuming}) or without: what Ctrl-C's message suggests. */
    String command(boolean resuming) {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        args.remove("--resume");
        if (resuming) {
            args.add("--resume");
        }
        return "./ae4j " + String.join(" ", args);
    }

    /**
     * Trains the recipe and draws its figures: learning curves, and the PCA figure or the reconstructions and the
     * recipe's own figures. Returns the coding layer's activity where the recipe shows it, else null.
     */
    private CodingActivity train(Engine engine, TrainRun run, FashionMnist mnist, Map<String, PcaComparison> pca) throws IOException {
        Path dir = run.out();
        if (recipe == Recipe.LINEAR) {
            LinearAutoencoder.Result r = LinearAutoencoder.run(engineOptions::engine, run);
            pca.put(r.book().phase().name(), r.book().pca());
            pca.put(r.converged().phase().name(), r.converged().pca());
            Artifacts.linearFigure(r, dir.resolve("linear_pca.png"));
            Artifacts.learningCurves("linear autoencoder, the book's settings", r.book().phase().history(), dir.resolve("learning_curves.png"));
            Artifacts.learningCurves("linear autoencoder, to convergence", r.converged().phase().history(),
                    dir.resolve("learning_curves_converged.png"));
            return null;
        }
        if (recipe == Recipe.GREEDY) {
            List<Phase> phases = GreedyLayerwise.run(engine, mnist, run, fineTuneEpochs).phases();
            for (Phase p : phases) {
                if (!p.history().isEmpty()) {
                    Artifacts.learningCurves("greedy " + p.name(), p.history(), dir.resolve("learning_curves_" + p.name() + ".png"));
                }
            }
            Phase last = phases.get(phases.size() - 1);
            return Artifacts.recipeFigures(recipe, "greedy autoencoder", last.model(), null, mnist, engineOptions.seed, dir);
        }
        StackedAutoencoder.Result result = recipe.train(engine, mnist, run);
        Phase phase = result.phase();
        Artifacts.learningCurves(recipe.id() + " " + phase.name(), phase.history(), dir.resolve("learning_curves.png"));
        return Artifacts.recipeFigures(recipe, recipe.id() + " autoencoder", phase.model(), result.autoencoder(), mnist, engineOptions.seed, dir);
    }

    private void print(TrainRun run, Map<String, PcaComparison> pca, CodingActivity codings, Path historyFile, HistoryJson.File history) {
        for (Phase phase : run.phases()) {
            System.out.printf("%n%s — %,d parameters%n", phase.description(), phase.model().parameterCount());
            List<EpochLog> epochs = phase.history().epochs();
            if (!epochs.isEmpty()) {
                printEpochs(epochs);
            }
            for (BookReference ref : BookReference.of(phase.name().equals("model") ? recipe.id() : phase.name())) {
                System.out.printf("%-7s %s%n", "book " + ref.epoch(), bookLine(ref));
            }
        }
        if (codings != null) {
            System.out.printf("%nCoding layer on the %,d validation images: %d units, mean activation %.4f%s%n", codings.images(), codings.units(),
                    codings.meanActivation(), recipe == Recipe.SPARSE_KL ? String.format(" (the KL regularizer's target: %.2f)",
                            SparseAutoencoder.KL_TARGET) : "");
        }
        if (!pca.isEmpty()) {
            System.out.println();
            PcaComparison book = pca.get("model");
            PcaComparison converged = pca.get("converged");
            System.out.printf("PCA check, %d epochs of batch %d: %s%s%n", run.epochs(), run.batchSize(), book.describe(),
                    book.matchesPca() ? ": it found PCA's plane." : ".\n  " + LinearAutoencoder.WHY_BOOK_RUN_FALLS_SHORT);
            System.out.printf("PCA check, trained to convergence (%d epochs of batch %d): %s%s%n", LinearAutoencoder.CONVERGED_EPOCHS,
                    LinearAutoencoder.CONVERGED_BATCH_SIZE, converged.describe(),
                    converged.matchesPca() ? ": the linear autoencoder performs PCA." : ": NOT converged to PCA.");
        }
        System.out.printf("%nPeak resident memory %,d MiB. Wrote %s and %s%n", history.peakRssMib(), run.modelFile("model"), historyFile);
    }

    static void printEpochs(List<EpochLog> epochs) {
        List<String> metricNames = new ArrayList<>(epochs.get(0).metrics().keySet());
        StringBuilder header = new StringBuilder(String.format("%-7s %9s", "epoch", "loss"));
        metricNames.forEach(m -> header.append(String.format(" %18s", m)));
        if (epochs.get(0).hasValidation()) {
            header.append(String.format(" %9s", "val_loss"));
            metricNames.forEach(m -> header.append(String.format(" %22s", "val_" + m)));
        }
        boolean rates = epochs.get(epochs.size() - 1).hasLearningRate();
        if (rates) {
            header.append(String.format(" %10s", "lr"));
        }
        header.append(String.format(" %9s", "seconds"));
        System.out.println(header);
        // A long run (the converged linear one) shows its first and last five epochs.
        for (int i = 0; i < epochs.size(); i++) {
            if (epochs.size() > 25 && i == 5) {
                System.out.printf("%-7s%n", "...");
                i = epochs.size() - 6;
                continue;
            }
            EpochLog e = epochs.get(i);
            StringBuilder row = new StringBuilder(String.format("%-7d %9.4f", e.epoch(), e.loss()));
            metricNames.forEach(m -> row.append(String.format(" %18.4f", e.metrics().get(m))));
            if (e.hasValidation()) {
                row.append(String.format(" %9.4f", e.valLoss()));
                metricNames.forEach(m -> row.append(String.format(" %22.4f", e.valMetrics().get(m))));
            }
            if (rates) {
                row.append(e.hasLearningRate() ? String.format(" %10.3g", e.learningRate()) : String.format(" %10s", ""));
            }
            row.append(String.format(" %9.2f", e.seconds()));
            System.out.println(row);
        }
    }

    private static String bookLine(BookReference r) {
        StringBuilder s = new StringBuilder();
        if (!Double.isNaN(r.loss())) {
            s.append(String.format("loss %.4f  ", r.loss()));
        }
        if (!Double.isNaN(r.roundedAccuracy())) {
            s.append(String.format("rounded_accuracy %.4f  ", r.roundedAccuracy()));
        }
        if (!Double.isNaN(r.valLoss())) {
            s.append(String.format("val_loss %.4f  ", r.valLoss()));
        }
        if (!Double.isNaN(r.valRoundedAccuracy())) {
            s.append(String.format("val_rounded_accuracy %.4f", r.valRoundedAccuracy()));
        }
        return "(Keras) " + s.toString().trim();
    }
}
