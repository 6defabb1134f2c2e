package ae4j.cli;

import ae4j.data.FashionMnist;
import ae4j.experiments.BookReference;
import ae4j.experiments.CodingActivity;
import ae4j.experiments.GreedyLayerwise;
import ae4j.experiments.LinearAutoencoder;
import ae4j.experiments.PcaComparison;
import ae4j.experiments.Phase;
import ae4j.experiments.Pretraining;
import ae4j.experiments.Recipe;
import ae4j.experiments.SparseAutoencoder;
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
    static final String SAMPLE_WARNING = "Ran on the embedded SAMPLE of Fashion-MNIST, not the full dataset: the results do NOT match the book";

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

    void write(Path file, LinearAutoencoder.Result linear, Path linearDir, StackedAutoencoder.Result stacked,
               TsneExperiment.Result tsne, Path stackedDir, StackedAutoencoder.Result tied, Path tiedDir,
               GreedyLayerwise.Result greedy, Path greedyDir, List<Pretraining.Variant> pretraining, List<DemoCommand.LaterModel> denoising,
               List<DemoCommand.LaterModel> sparse, DemoCommand.LaterModel variational) throws IOException {
        boolean sample = mnist.source().isSample();
        HtmlReport r = new HtmlReport((sample ? SAMPLE_WARNING + ". " : "")
                + "ae4j: the autoencoders of Hands-On Machine Learning, chapter 17" + (quick ? " (quick run)" : ""));
        if (sample) {
            r.paragraph("Fashion-MNIST was not found, so every stage below ran on the " + String.format("%,d", mnist.train().size()
                    + mnist.validation().size() + mnist.test().size()) + " images of the sample embedded in ae4j, sized to it. Install the "
                    + "dataset (apt-get install dataset-fashion-mnist) or pass --data DIR, then run ae4j demo again.");
        }
        r.paragraph(String.format("%s — %s backend (%s build), %s engine, ND4J %s, %s, %s cores, seed %d. Dataset: %s (%,d train / %,d validation / %,d test). Total %.0f s.",
                DemoCommand.stamp(), info.get("backend"), info.get("build"), engine.kind().id(), info.get("nd4j"), info.get("cpu_model"),
                info.get("cpu_cores"), engine.seed(), mnist.source().describe(), mnist.train().size(), mnist.validation().size(),
                mnist.test().size(), totalSeconds));
        if (quick) {
            r.paragraph("Quick run: " + plan.epochs() + " epochs per Fashion-MNIST model instead of 10 (25 for the variational one), t-SNE of "
                    + plan.tsnePoints()
                    + " images, " + plan.pretrainSeeds().length + " pretraining seed. Run ae4j demo without --quick for the book's settings.");
        }
        List<List<String>> stages = new ArrayList<>();
        stages.add(List.of("stage", "seconds"));
        stageSeconds.forEach((k, v) -> stages.add(List.of(k, String.format("%.1f", v))));
        r.table(stages);

        linearSection(r, linear, linearDir);

        section(r, "Stacked autoencoder (figures 17-3 and 17-4)", stacked.phase(), Recipe.STACKED.id(), stackedDir);

        r.heading("Visualizing Fashion-MNIST with t-SNE (figure 17-5)");
        TsneExperiment.Quality q = tsne.quality();
        r.paragraph(String.format("%,d validation images encoded to 30-D by the stacked encoder, then t-SNE (%d iterations, seed %d) to 2-D. "
                        + "Leave-one-out 5-NN class accuracy: %.4f in the 2-D map, %.4f in the 30-D codings.",
                q.points(), q.iterations(), q.seed(), q.knnAccuracy2d(), q.knnAccuracyCodings()));
        r.image(stackedDir.resolve("tsne.png"), "t-SNE map of the codings, coloured by class");

        section(r, "Tied weights (DenseTranspose)", tied.phase(), Recipe.TIED.id(), tiedDir);

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
        r.paragraph(String.format("Classifier = the stacked encoder + Dense(10, softmax), trained on the first %,d labelled training images "
                        + "with Nadam; test accuracy on the %,d test images, mean ± standard deviation over %d seed(s).",
                plan.pretrainLabels(), mnist.test().size(), plan.pretrainSeeds().length));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("variant", "test accuracy", "± std", "per seed"));
        for (Pretraining.Variant v : pretraining) {
            rows.add(List.of(v.description(), String.format("%.4f", v.mean()), String.format("%.4f", v.std()), v.testAccuracies().toString()));
        }
        r.table(rows);
        r.paragraph("The codings were trained to reconstruct pixels, not to separate classes; how much they help a classifier is measured "
                + "here, not assumed (see README).");

        r.heading("Denoising autoencoders (figure 17-9)");
        r.paragraph("The stacked autoencoder's layers with a noise layer in front, active only while training: it learns to give back "
                + "the clean image. The validation loss is measured on clean images, as Keras's (noise layers are off then).");
        for (DemoCommand.LaterModel m : denoising) {
            later(r, m, "the first validation images corrupted as in training (top) and their reconstructions");
        }

        r.heading("Sparse autoencoders (figures 17-10 and 17-11)");
        r.paragraph(String.format("A sigmoid coding layer of 300 units, pushed towards few active units by an L1 activity regularizer (%s) or by "
                        + "the book's KL divergence regularizer (weight %s, target %s), beside the same model with 30 unregularized sigmoid codings. "
                        + "The losses include the regularizer's term, as Keras logs them. Histograms: the coding layer's activations on the "
                        + "validation images, and its units' mean activations.", SparseAutoencoder.L1, SparseAutoencoder.KL_WEIGHT,
                SparseAutoencoder.KL_TARGET));
        for (DemoCommand.LaterModel m : sparse) {
            later(r, m, null);
        }

        r.heading("Variational autoencoder (figures 17-12 and 17-13)");
        r.paragraph("Codings of 10 dimensions sampled from the encoder's mean and log-variance; the loss is BCE plus the latent loss "
                + "divided by 784, RMSprop, batch 128. Sampling samples in every phase, so the validation loss is stochastic; ae4j's "
                + "noise is seeded, so the run repeats.");
        later(r, variational, "validation images (top) and their reconstructions");
        r.image(variational.dir().resolve("generated.png"), "12 images decoded from random codings");
        r.image(variational.dir().resolve("interpolation.png"),
                "the 12 codings as a 3×4 grid, resized bilinearly to 5×7 and decoded; framed: the cells of the original codings");
        r.write(file);
    }

    /** A later model's table beside the book's, its figures; {@code reconstructions}: the caption, or null to leave them out. */
    private static void later(HtmlReport r, DemoCommand.LaterModel m, String reconstructions) throws IOException {
        Phase phase = m.phase();
        r.paragraph(phase.description() + " — " + String.format("%,d", phase.model().parameterCount()) + " parameters, "
                + phase.model().optimizer().config() + ", batch " + phase.batchSize() + ".");
        r.table(DemoCommand.versusBook(phase.history().epochs(), m.recipe().id()));
        CodingActivity codings = m.codings();
        if (codings != null) {
            r.paragraph(String.format("Coding layer on the %,d validation images: mean activation %.4f over its %d units.", codings.images(),
                    codings.meanActivation(), codings.units()));
            r.image(m.dir().resolve("activations.png"), "activations of the coding layer and its units' means");
        }
        if (reconstructions != null) {
            r.image(m.dir().resolve("reconstructions.png"), reconstructions);
        }
        r.image(m.dir().resolve("learning_curves.png"), m.recipe().id() + " learning curves");
    }

    /** Both linear runs beside PCA and the book; the figure shows the converged one, which is PCA. */
    private static void linearSection(HtmlReport r, LinearAutoencoder.Result linear, Path dir) throws IOException {
        r.heading("Linear autoencoder performing PCA (figure 17-2)");
        PcaComparison book = linear.book().pca();
        PcaComparison converged = linear.converged().pca();
        r.paragraph(String.format("3 → 2 → 3, MSE, SGD %s, trained twice from the same initial weights. With the book's settings it ended "
                        + "%.2f° from PCA's top-2 plane, with a reconstruction MSE %+.1f%% from PCA's optimum%s Trained to convergence "
                        + "(%,d full-batch epochs, a few milliseconds of work) it ended %.2f° from PCA's plane and %+.2f%% from its optimum: %s "
                        + "The figure shows the converged run's codings.",
                LinearAutoencoder.LEARNING_RATE, book.principalAngleDeg(), 100 * book.excess(),
                book.matchesPca() ? ", as close as PCA." : ". " + LinearAutoencoder.WHY_BOOK_RUN_FALLS_SHORT,
                LinearAutoencoder.CONVERGED_EPOCHS, converged.principalAngleDeg(), 100 * converged.excess(),
                converged.matchesPca() ? "the linear autoencoder performs PCA." : "it has NOT converged to PCA."));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("run", "epochs × batch", "final loss", "angle to PCA's plane", "MSE", "PCA's optimum", "vs optimum"));
        for (LinearAutoencoder.Run run : List.of(linear.book(), linear.converged())) {
            PcaComparison p = run.pca();
            rows.add(List.of(run == linear.book() ? "ae4j, the book's settings" : "ae4j, to convergence",
                    run.phase().history().epochs().size() + " × " + run.phase().batchSize(), DemoCommand.f(run.phase().history().last().loss()),
                    String.format("%.2f°", p.principalAngleDeg()), String.format("%.6f", p.mse()), String.format("%.6f", p.pcaMse()),
                    String.format("%+.2f%%", 100 * p.excess())));
        }
        BookReference bookEnd = BookReference.of(Recipe.LINEAR.id()).get(1);
        rows.add(List.of("book (Keras)", bookEnd.epoch() + " × 32", DemoCommand.f(bookEnd.loss()), "", "", "",
                String.format("%+.0f%%", 100 * (bookEnd.loss() / book.pcaMse() - 1))));
        r.table(rows);
        r.image(dir.resolve("linear_pca.png"), "the 3-D data and the codings of the linear autoencoder trained to convergence");
    }

    private static void section(HtmlReport r, String title, Phase phase, String bookRun, Path dir) throws IOException {
        r.heading(title);
        r.paragraph(phase.description() + " — " + String.format("%,d", phase.model().parameterCount()) + " parameters, "
                + phase.model().optimizer().config() + ", batch " + phase.batchSize() + ".");
        r.table(DemoCommand.versusBook(phase.history().epochs(), bookRun));
        r.image(dir.resolve("reconstructions.png"), "first five validation images (top) and their reconstructions");
        r.image(dir.resolve("learning_curves.png"), "learning curves");
    }
}
