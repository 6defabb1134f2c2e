package ae4j.cli;

import ae4j.UserInputException;
import ae4j.backend.BackendInfo;
import ae4j.backend.RuntimeProfile;
import ae4j.data.FashionMnist;
import ae4j.experiments.BookReference;
import ae4j.experiments.GreedyLayerwise;
import ae4j.experiments.LinearAutoencoder;
import ae4j.experiments.Phase;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TiedAutoencoder;
import ae4j.experiments.TrainRun;
import ae4j.train.Engine;
import ae4j.train.EpochLog;
import ae4j.train.TrainingDivergedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ae4j train linear|stacked|tied|greedy}: one of the chapter's autoencoders, with the book's settings. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train one of the chapter's autoencoders with the book's settings.",
                "Checkpoints every epoch.",
                "Writes DIR/model.zip (greedy: also phase1.zip, phase2.zip), DIR/history.json, learning curves and reconstructions",
                "(linear: the PCA figure) as PNG, and prints a summary beside the book's numbers."})
final class TrainCommand implements Callable<Integer> {
    static final List<String> MODELS = List.of("linear", "stacked", "tied", "greedy");

    @Parameters(index = "0", paramLabel = "MODEL", description = "linear, stacked, tied or greedy.")
    String modelName;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs (each greedy phase). Default: the book's, 20 for linear and 10 for the others.")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Batch size. Default: the profile's train.batchSize (32, as in Keras).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "SGD learning rate. Default: the book's, 1.5 (greedy: phase 1's; phase 2 keeps 0.05 and fine-tuning 0.1).")
    Double learningRate;

    @Option(names = "--fine-tune-epochs", paramLabel = "N", defaultValue = "10",
            description = "Greedy only: epochs of end-to-end fine-tuning after the two phases; 0 skips it. Default: ${DEFAULT-VALUE}.")
    int fineTuneEpochs;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/<MODEL>.")
    Path out;

    @Option(names = "--resume", description = "Continue from the model files in the output folder (same settings), to --epochs.")
    boolean resume;

    @Mixin
    EngineOptions engineOptions;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException {
        if (!MODELS.contains(modelName)) {
            throw new UserInputException("unknown model '" + modelName + "': choose one of " + String.join(", ", MODELS));
        }
        int epochCount = epochs != null ? epochs : modelName.equals("linear") ? LinearAutoencoder.EPOCHS : StackedAutoencoder.EPOCHS;
        int batch = batchSize != null ? batchSize : RuntimeProfile.current().getInt("train.batchSize", 32);
        Flags.positive("--epochs", epochCount);
        Flags.positive("--batch-size", batch);
        Flags.atLeast("--fine-tune-epochs", fineTuneEpochs, 0);
        double lr = learningRate == null ? Double.NaN : Flags.positive("--lr", learningRate);
        Path dir = out != null ? out : Path.of("runs", modelName);
        OutputFolder.requireWritable(dir, "--out");

        Engine engine = engineOptions.engine();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("recipe", modelName);
        meta.put("seed", engineOptions.seed);
        meta.put("backend", BackendInfo.backendName());
        meta.put("engine", engine.kind().id());
        TrainRun run = new TrainRun(epochCount, batch, lr, dir, resume, meta);

        List<Phase> phases;
        Map<String, Object> extra = new LinkedHashMap<>();
        try {
            phases = train(engine, run, extra);
        } catch (TrainingDivergedException e) {
            Path checkpoint = run.modelFile("model");
            System.err.println("ae4j: training diverged: " + e.getMessage() + "."
                    + (Files.exists(checkpoint) ? " The last good checkpoint is " + checkpoint + "." : "")
                    + " Try a lower --lr.");
            return Main.EXIT_FAILURE;
        }
        Phase last = phases.get(phases.size() - 1);
        Map<String, Object> history = HistoryJson.of(modelName, engineOptions.seed, batch, phases, extra);
        Path historyFile = dir.resolve("history.json");
        HistoryJson.write(history, historyFile);
        print(phases, extra, historyFile, run.modelFile("model"), history);
        return last.history().isEmpty() ? Main.EXIT_FAILURE : Main.EXIT_OK;
    }

    /** Trains the recipe and draws its figures: learning curves, and reconstructions or the PCA figure. */
    private List<Phase> train(Engine engine, TrainRun run, Map<String, Object> extra) throws IOException {
        Path dir = run.out();
        if (modelName.equals("linear")) {
            LinearAutoencoder.Result r = LinearAutoencoder.run(engine, run);
            extra.put("pca", r.pca());
            Artifacts.linearFigure(r, dir.resolve("linear_pca.png"));
            Artifacts.learningCurves("linear autoencoder", r.phase().history(), dir.resolve("learning_curves.png"));
            return List.of(r.phase());
        }
        FashionMnist mnist = data.load();
        List<Phase> phases = switch (modelName) {
            case "stacked" -> List.of(StackedAutoencoder.run(engine, mnist, run).phase());
            case "tied" -> List.of(TiedAutoencoder.run(engine, mnist, run).phase());
            case "greedy" -> GreedyLayerwise.run(engine, mnist, run, fineTuneEpochs).phases();
            default -> throw new IllegalStateException(modelName);
        };
        for (Phase p : phases) {
            if (!p.history().isEmpty()) {
                String suffix = phases.size() > 1 ? "_" + p.name() : "";
                Artifacts.learningCurves(modelName + " " + p.name(), p.history(), dir.resolve("learning_curves" + suffix + ".png"));
            }
        }
        Artifacts.reconstructions(modelName + " autoencoder", phases.get(phases.size() - 1).model(), mnist, 5, dir.resolve("reconstructions.png"));
        return phases;
    }

    @SuppressWarnings("unchecked")
    private static void print(List<Phase> phases, Map<String, Object> extra, Path historyFile, Path modelFile, Map<String, Object> history) {
        for (Phase phase : phases) {
            System.out.printf("%n%s — %,d parameters%n", phase.description(), phase.model().parameterCount());
            List<EpochLog> epochs = phase.history().epochs();
            if (epochs.isEmpty()) {
                continue;
            }
            List<String> metricNames = new ArrayList<>(epochs.get(0).metrics().keySet());
            StringBuilder header = new StringBuilder(String.format("%-7s %9s", "epoch", "loss"));
            metricNames.forEach(m -> header.append(String.format(" %18s", m)));
            if (epochs.get(0).hasValidation()) {
                header.append(String.format(" %9s", "val_loss"));
                metricNames.forEach(m -> header.append(String.format(" %22s", "val_" + m)));
            }
            header.append(String.format(" %9s", "seconds"));
            System.out.println(header);
            for (EpochLog e : epochs) {
                StringBuilder row = new StringBuilder(String.format("%-7d %9.4f", e.epoch(), e.loss()));
                metricNames.forEach(m -> row.append(String.format(" %18.4f", e.metrics().get(m))));
                if (e.hasValidation()) {
                    row.append(String.format(" %9.4f", e.valLoss()));
                    metricNames.forEach(m -> row.append(String.format(" %22.4f", e.valMetrics().get(m))));
                }
                row.append(String.format(" %9.2f", e.seconds()));
                System.out.println(row);
            }
            for (BookReference ref : BookReference.of(phase.name().equals("model") ? (String) history.get("model") : phase.name())) {
                System.out.printf("%-7s %s%n", "book " + ref.epoch(), bookLine(ref));
            }
        }
        if (extra.containsKey("pca")) {
            Map<String, Object> pca = (Map<String, Object>) extra.get("pca");
            System.out.printf("%nPCA check: principal angle to PCA's plane %.3f°, MSE %.6f vs PCA's optimum %.6f (%+.2f%%)%n",
                    pca.get("principal_angle_deg"), pca.get("mse"), pca.get("pca_mse"),
                    100 * ((double) pca.get("mse") / (double) pca.get("pca_mse") - 1));
            if ((double) pca.get("principal_angle_deg") > 1 || (double) pca.get("mse") > 1.02 * (double) pca.get("pca_mse")) {
                // The book's 40 steps stop short of PCA for most initialisations (README, Results).
                System.out.printf("Not converged: the book's 20 epochs usually end about 2° from PCA's plane and 60%% above its "
                        + "optimum;%n`./ae4j train linear --epochs 1000 --batch-size 60` converges to it.%n");
            }
        }
        System.out.printf("%nPeak resident memory %,d MiB. Wrote %s and %s%n", history.get("peak_rss_mib"), modelFile, historyFile);
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
