package ae4j.cli;

import ae4j.data.FashionMnist;
import ae4j.experiments.GreedyLayerwise;
import ae4j.experiments.LinearAutoencoder;
import ae4j.experiments.Phase;
import ae4j.experiments.Pretraining;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TsneExperiment;
import ae4j.train.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The demo's report.html: every figure and table of the run, beside the book's numbers, with the machine and timings. */
final class DemoReport {
    private final DemoCommand.Plan plan;
    private final boolean quick;
    private final Map<String, Object> info;
    private final FashionMnist mnist;
    private final Engine engine;
    private final Map<String, Double> stageSeconds;
    private final double totalSeconds;

    DemoReport(DemoCommand.Plan plan, boolean quick, Map<String, Object> info, FashionMnist mnist, Engine engine,
               Map<String, Double> stageSeconds, double totalSeconds) {
        this.plan = plan;
        this.quick = quick;
        this.info = info;
        this.mnist = mnist;
        this.engine = engine;
        this.stageSeconds = stageSeconds;
        this.totalSeconds = totalSeconds;
    }

    @SuppressWarnings("unchecked")
    void write(Path file, LinearAutoencoder.Result linear, Path linearDir, StackedAutoencoder.Result stacked,
               TsneExperiment.Result tsne, Path stackedDir, StackedAutoencoder.Result tied, Path tiedDir,
               GreedyLayerwise.Result greedy, Path greedyDir, List<Pretraining.Variant> pretraining) throws IOException {
        HtmlReport r = new HtmlReport("ae4j: the autoencoders of Hands-On Machine Learning, chapter 17" + (quick ? " (quick run)" : ""));
        r.paragraph(String.format("%s — %s backend (%s build), %s engine, ND4J %s, %s, %s cores, seed %d. Dataset: %s (%,d train / %,d validation / %,d test)%s. Total %.0f s.",
                DemoCommand.stamp(), info.get("backend"), info.get("build"), engine.kind().id(), info.get("nd4j"), info.get("cpu_model"),
                info.get("cpu_cores"), engine.seed(), mnist.source().describe(), mnist.train().size(), mnist.validation().size(),
                mnist.test().size(), mnist.source().isSample() ? " — the embedded SAMPLE: results do not match the book" : "", totalSeconds));
        if (quick) {
            r.paragraph("Quick run: " + plan.epochs() + " epochs per Fashion-MNIST model instead of 10, t-SNE of " + plan.tsnePoints()
                    + " images, " + plan.pretrainSeeds().length + " pretraining seed. Run ae4j demo without --quick for the book's settings.");
        }
        List<List<String>> stages = new ArrayList<>();
        stages.add(List.of("stage", "seconds"));
        stageSeconds.forEach((k, v) -> stages.add(List.of(k, String.format("%.1f", v))));
        r.table(stages);

        r.heading("Linear autoencoder performing PCA (figure 17-2)");
        Map<String, Object> pca = linear.pca();
        r.paragraph(String.format("3 → 2 → 3, MSE, SGD 1.5, %d epochs. Angle between the learned plane and PCA's top-2 plane: %.2f°; "
                        + "reconstruction MSE %.5f against PCA's optimum %.5f (%+.1f%%). Book: loss %.4f after epoch 20.",
                plan.linearEpochs(), pca.get("principal_angle_deg"), pca.get("mse"), pca.get("pca_mse"),
                100 * ((double) pca.get("mse") / (double) pca.get("pca_mse") - 1), 0.0055));
        r.image(linearDir.resolve("linear_pca.png"), "the 3-D data and its 2-D codings");

        section(r, "Stacked autoencoder (figures 17-3 and 17-4)", stacked.phase(), "stacked", stackedDir);

        r.heading("Visualizing Fashion-MNIST with t-SNE (figure 17-5)");
        r.paragraph(String.format("%d validation images encoded to 30-D by the stacked encoder, then t-SNE (%d iterations, seed %d) to 2-D. "
                        + "Leave-one-out 5-NN class accuracy: %.4f in the 2-D map, %.4f in the 30-D codings.",
                (int) tsne.quality().get("points"), (int) tsne.quality().get("iterations"), engine.seed(),
                tsne.quality().get("knn_accuracy_2d"), tsne.quality().get("knn_accuracy_codings")));
        r.image(stackedDir.resolve("tsne.png"), "t-SNE map of the codings, coloured by class");

        section(r, "Tied weights (DenseTranspose)", tied.phase(), "tied", tiedDir);

        r.heading("Greedy layer-wise training");
        for (Phase p : greedy.phases()) {
            if (p.history().isEmpty()) {
                continue;
            }
            r.paragraph(p.description() + " — " + String.format("%,d", p.model().parameterCount()) + " parameters");
            r.table(DemoCommand.versusBook(p.history().epochs(), p.name()));
            r.image(greedyDir.resolve("learning_curves_" + p.name() + ".png"), p.name() + " learning curves");
        }
        r.image(greedyDir.resolve("reconstructions.png"), "reconstructions of the stacked network built from the phases");

        r.heading("Unsupervised pretraining (figure 17-6)");
        r.paragraph(String.format("Classifier = the stacked encoder + Dense(10, softmax), trained on the first %d labelled training images "
                        + "with Nadam; test accuracy on the 10,000 test images, mean ± standard deviation over %d seed(s).",
                plan.pretrainLabels(), plan.pretrainSeeds().length));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("variant", "test accuracy", "± std", "per seed"));
        for (Pretraining.Variant v : pretraining) {
            rows.add(List.of(v.description(), String.format("%.4f", v.mean()), String.format("%.4f", v.std()), v.testAccuracies().toString()));
        }
        r.table(rows);
        r.paragraph("The codings were trained to reconstruct pixels, not to separate classes; how much they help a classifier is measured "
                + "here, not assumed (see README).");
        r.write(file);
    }

    private static void section(HtmlReport r, String title, Phase phase, String bookRun, Path dir) throws IOException {
        r.heading(title);
        r.paragraph(phase.description() + " — " + String.format("%,d", phase.model().parameterCount()) + " parameters, "
                + phase.model().optimizer().config() + ", batch 32.");
        r.table(DemoCommand.versusBook(phase.history().epochs(), bookRun));
        r.image(dir.resolve("reconstructions.png"), "first five validation images (top) and their reconstructions");
        r.image(dir.resolve("learning_curves.png"), "learning curves");
    }
}
