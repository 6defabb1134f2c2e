package ae4j.cli;

import ae4j.UserInputException;
import ae4j.backend.BackendInfo;
import ae4j.backend.RuntimeProfile;
import ae4j.data.FashionMnist;
import ae4j.experiments.BookReference;
import ae4j.experiments.CodingActivity;
import ae4j.experiments.GreedyLayerwise;
import ae4j.experiments.LinearAutoencoder;
import ae4j.experiments.Phase;
import ae4j.experiments.Pretraining;
import ae4j.experiments.Recipe;
import ae4j.experiments.Reconstructions;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TrainRun;
import ae4j.experiments.TsneExperiment;
import ae4j.train.Engine;
import ae4j.train.EngineChoice;
import ae4j.train.EpochLog;
import ae4j.train.RunSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ae4j demo}: the whole chapter in one command — linear autoencoder and PCA, stacked autoencoder and its
 * reconstructions, the t-SNE map, tied weights, greedy layer-wise training, unsupervised pretraining, denoising,
 * sparse and variational autoencoders — into one folder with a self-contained report.html that shows every figure
 * and table beside the book's numbers. Every stage is sized to the data found: on the embedded sample it runs,
 * smaller, and says so.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole chapter and write runs/demo/report.html.",
                "Trains the linear autoencoder beside PCA, the stacked autoencoder with its reconstructions and t-SNE map, tied "
                        + "weights, greedy layer-wise training, unsupervised pretraining, and the denoising, sparse and variational "
                        + "autoencoders into DIR, with a self-contained report.html beside the book's numbers. With --quick, a reduced "
                        + "version runs in about a minute."})
final class DemoCommand implements Callable<Integer> {
    /**
     * How much of each experiment runs, at most: t-SNE and pretraining take no more images than the data has.
     * {@code variationalEpochs}: the variational autoencoder's (the book's 25; the others' {@code epochs}: 10).
     */
    record Plan(int epochs, int variationalEpochs, int tsnePoints, int tsneIterations, long[] pretrainSeeds, int pretrainEpochs,
                int pretrainLabels) {
        Plan sizedTo(FashionMnist data) {
            if (data.validation().size() < TsneCommand.MIN_POINTS || data.train().size() < Pretraining.MIN_LABELS) {
                throw new UserInputException(data.source().describe() + ": the demo needs at least " + Pretraining.MIN_LABELS + " training and "
                        + TsneCommand.MIN_POINTS + " validation images, not " + data.train().size() + " and " + data.validation().size());
            }
            return new Plan(epochs, variationalEpochs, Math.min(tsnePoints, data.validation().size()), tsneIterations, pretrainSeeds,
                    pretrainEpochs, Math.min(pretrainLabels, data.train().size()));
        }
    }

    static final Plan FULL = new Plan(Recipe.STACKED.epochs(), Recipe.VARIATIONAL.epochs(), 5000, 1000, new long[]{1, 2, 3}, Pretraining.EPOCHS,
            500);
    static final Plan QUICK = new Plan(2, 2, 1000, 300, new long[]{1}, 20, 500);

    /** One of the chapter's later models as the report shows it: its run, folder, and coding layer's activity (or null). */
    record LaterModel(Recipe recipe, Phase phase, Path dir, CodingActivity codings) {
    }

    @Option(names = "--quick", description = "A reduced run for a first look: 2 epochs per model, t-SNE of 1,000 images, one pretraining seed.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/demo", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin
    EngineOptions engineOptions;

    @Mixin
    DataOptions data;

    private static final int STAGES = 11;
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
    private long stageStarted;
    private String stageName;

    @Override
    public Integer call() throws Exception {
        OutputFolder.requireWritable(out, "--out");
        // A fresh engine per model, as the book's notebook resets its seeds before each one: every model here is
        // the one `ae4j train <model>` gives with the same seed. The first one also checks --engine.
        Engine engine = engineOptions.engine();
        int batchSize = RuntimeProfile.current().getInt("train.batchSize", 32);
        RunSettings settings = RunSettings.of(engineOptions.seed, batchSize, Double.NaN, engine.kind().id(), EngineOptions.threadsOf(engine),
                BackendInfo.backendName());
        long started = System.nanoTime();
        FashionMnist mnist = data.load(); // before anything is printed: --data is checked first
        Plan plan = (quick ? QUICK : FULL).sizedTo(mnist);
        Map<String, Object> info = BackendInfo.collect(EngineChoice.describeEngines());
        engineOptions.announceEngine();
        stage(1, "backend and data", started);

        stage(2, "linear autoencoder and PCA");
        TrainRun linearRun = run(Recipe.LINEAR, Recipe.LINEAR.epochs(), settings);
        Path linearDir = linearRun.out();
        LinearAutoencoder.Result linear = LinearAutoencoder.run(engineOptions::engine, linearRun);
        Artifacts.linearFigure(linear, linearDir.resolve("linear_pca.png"));
        Artifacts.learningCurves("linear autoencoder, the book's settings", linear.book().phase().history(), linearDir.resolve("learning_curves.png"));
        Json.write(HistoryJson.of(linearRun, Map.of(linear.book().phase().name(), linear.book().pca(),
                linear.converged().phase().name(), linear.converged().pca()), null), linearDir.resolve("history.json"));

        stage(3, "stacked autoencoder");
        TrainRun stackedRun = run(Recipe.STACKED, plan.epochs(), settings);
        Path stackedDir = stackedRun.out();
        StackedAutoencoder.Result stacked = Recipe.STACKED.train(engineOptions.engine(), mnist, stackedRun);
        figures(stackedRun, "stacked autoencoder", stacked.phase(), mnist);

        stage(4, "t-SNE of the stacked autoencoder's codings");
        TsneExperiment.Result tsne = Artifacts.tsne(stacked.phase().model(), stacked.autoencoder(), mnist, plan.tsnePoints(),
                plan.tsneIterations(), engineOptions.seed, stackedDir);

        stage(5, "tied autoencoder (DenseTranspose)");
        TrainRun tiedRun = run(Recipe.TIED, plan.epochs(), settings);
        StackedAutoencoder.Result tied = Recipe.TIED.train(engineOptions.engine(), mnist, tiedRun);
        figures(tiedRun, "tied autoencoder", tied.phase(), mnist);

        stage(6, "greedy layer-wise training");
        TrainRun greedyRun = run(Recipe.GREEDY, plan.epochs(), settings);
        Path greedyDir = greedyRun.out();
        GreedyLayerwise.Result greedy = GreedyLayerwise.run(engineOptions.engine(), mnist, greedyRun, plan.epochs());
        for (Phase p : greedy.phases()) {
            Artifacts.learningCurves("greedy " + p.name(), p.history(), greedyDir.resolve("learning_curves_" + p.name() + ".png"));
        }
        Artifacts.reconstructions("greedy, stacked from the phases", greedy.last().model(), mnist, Reconstructions.BOOK_COUNT, greedyDir.resolve("reconstructions.png"));
        Json.write(HistoryJson.of(greedyRun, Map.of(), null), greedyDir.resolve("history.json"));

        stage(7, "unsupervised pretraining");
        List<Pretraining.Variant> pretraining = Pretraining.run(engineOptions::engine, stackedDir.resolve("model.zip"), mnist,
                plan.pretrainLabels(), plan.pretrainSeeds(), plan.pretrainEpochs(), Pretraining.LEARNING_RATE);
        PretrainCommand.print(pretraining, plan.pretrainLabels(), plan.pretrainSeeds().length, mnist.test().size());
        Json.write(PretrainCommand.toJson(pretraining, plan.pretrainLabels(), plan.pretrainSeeds(), plan.pretrainEpochs(), mnist.test().size(),
                stackedDir.resolve("model.zip")), out.resolve("pretraining.json"));

        stage(8, "denoising autoencoders");
        List<LaterModel> denoising = new ArrayList<>();
        for (Recipe recipe : List.of(Recipe.DENOISING_GAUSSIAN, Recipe.DENOISING_DROPOUT)) {
            denoising.add(laterModel(run(recipe, plan.epochs(), settings), mnist));
        }

        stage(9, "sparse autoencoders");
        List<LaterModel> sparse = new ArrayList<>();
        for (Recipe recipe : List.of(Recipe.SIGMOID_CODING, Recipe.SPARSE_L1, Recipe.SPARSE_KL)) {
            sparse.add(laterModel(run(recipe, plan.epochs(), settings), mnist));
        }

        stage(10, "variational autoencoder");
        RunSettings bookBatch = new RunSettings(settings.seed(), Recipe.VARIATIONAL.batchSize().orElseThrow(), settings.learningRate(),
                settings.engine(), settings.threads(), settings.backend());
        LaterModel variational = laterModel(run(Recipe.VARIATIONAL, plan.variationalEpochs(), bookBatch), mnist);

        stage(11, "report");
        double total = (System.nanoTime() - started) / 1e9;
        Path report = out.resolve("report.html");
        new DemoReport(plan, quick, info, mnist, engine, stageSeconds, total)
                .write(report, linear, linearDir, stacked, tsne, stackedDir, tied, tiedRun.out(), greedy, greedyDir, pretraining,
                        denoising, sparse, variational);
        finishStage();
        System.out.printf("%nDemo finished in %.0f s on the %s backend (%s engine)%s. Open %s%n", total, BackendInfo.backendName(),
                engine.kind().id(), mnist.source().isSample() ? ", on the embedded SAMPLE (results do not match the book)" : "",
                report.toAbsolutePath());
        return Main.EXIT_OK;
    }

    /** A run of the recipe into its folder under --out, as {@code ae4j train <recipe> --out DIR/<recipe>} makes it. */
    private TrainRun run(Recipe recipe, int epochs, RunSettings settings) {
        return new TrainRun(recipe, epochs, settings, out.resolve(recipe.id()), false, null);
    }

    /** Trains a later model, draws its figures and writes its history.json, as {@code ae4j train} does. */
    private LaterModel laterModel(TrainRun run, FashionMnist mnist) throws IOException {
        Path dir = run.out();
        StackedAutoencoder.Result result = run.recipe().train(engineOptions.engine(), mnist, run);
        Phase phase = result.phase();
        Artifacts.learningCurves(run.recipe().id(), phase.history(), dir.resolve("learning_curves.png"));
        CodingActivity codings = Artifacts.recipeFigures(run.recipe(), run.recipe().id() + " autoencoder", phase.model(), result.autoencoder(),
                mnist, engineOptions.seed, dir);
        Json.write(HistoryJson.of(run, Map.of(), codings), dir.resolve("history.json"));
        return new LaterModel(run.recipe(), phase, dir, codings);
    }

    private static void figures(TrainRun run, String title, Phase phase, FashionMnist mnist) throws IOException {
        Path dir = run.out();
        Artifacts.reconstructions(title, phase.model(), mnist, Reconstructions.BOOK_COUNT, dir.resolve("reconstructions.png"));
        Artifacts.learningCurves(title, phase.history(), dir.resolve("learning_curves.png"));
        Json.write(HistoryJson.of(run, Map.of(), null), dir.resolve("history.json"));
    }

    private void stage(int number, String name) {
        stage(number, name, System.nanoTime());
    }

    private void stage(int number, String name, long startedAt) {
        finishStage();
        stageName = name;
        stageStarted = startedAt;
        System.out.printf("%n[%d/%d] %s%n", number, STAGES, name);
    }

    private void finishStage() {
        if (stageName != null) {
            stageSeconds.put(stageName, (System.nanoTime() - stageStarted) / 1e9);
            stageName = null;
        }
    }

    /** Rows "epoch 1 / last epoch" of ours beside the book's, for a History and the book's run name. */
    static List<List<String>> versusBook(List<EpochLog> epochs, String bookRun) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("", "epoch", "loss", "rounded acc", "val_loss", "val rounded acc", "seconds"));
        for (EpochLog e : List.of(epochs.get(0), epochs.get(epochs.size() - 1))) {
            rows.add(List.of("ae4j", String.valueOf(e.epoch()), f(e.loss()), f(e.metrics().getOrDefault("rounded_accuracy", Double.NaN)),
                    f(e.valLoss()), f(e.valMetrics().getOrDefault("rounded_accuracy", Double.NaN)), String.format("%.2f", e.seconds())));
        }
        for (BookReference r : BookReference.of(bookRun)) {
            rows.add(List.of("book (Keras)", String.valueOf(r.epoch()), f(r.loss()), f(r.roundedAccuracy()), f(r.valLoss()),
                    f(r.valRoundedAccuracy()), ""));
        }
        return rows;
    }

    static String f(double v) {
        return Double.isNaN(v) ? "" : String.format("%.4f", v);
    }

    static String stamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    }
}
