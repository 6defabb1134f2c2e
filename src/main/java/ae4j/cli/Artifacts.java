package ae4j.cli;

import ae4j.AtomicFile;
import ae4j.data.FashionMnist;
import ae4j.experiments.Autoencoder;
import ae4j.experiments.CodingActivity;
import ae4j.experiments.DenoisingAutoencoder;
import ae4j.experiments.LinearAutoencoder;
import ae4j.experiments.Recipe;
import ae4j.experiments.Reconstructions;
import ae4j.experiments.SparseAutoencoder;
import ae4j.experiments.TsneExperiment;
import ae4j.experiments.VariationalAutoencoder;
import ae4j.train.History;
import ae4j.train.Model;
import ae4j.viz.ActivationHistogram;
import ae4j.viz.ImageGrid;
import ae4j.viz.ImageShape;
import ae4j.viz.LearningCurves;
import ae4j.viz.LinearFigure;
import ae4j.viz.Png;
import ae4j.viz.ReconstructionFigure;
import ae4j.viz.TsneMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The files the commands write: figures as PNG, t-SNE coordinates as CSV, measurements as JSON. */
final class Artifacts {
    private Artifacts() {
    }

    static Path learningCurves(String title, History history, Path file) throws IOException {
        Png.write(LearningCurves.render(title, history), file);
        return file;
    }

    static Path reconstructions(String title, Model model, FashionMnist data, int n, Path file) throws IOException {
        Reconstructions r = Reconstructions.of(model, data.validation().images(), n);
        Png.write(ReconstructionFigure.render(title + ": " + Reconstructions.lossName(model) + " under each image",
                "original", r.inputs(), r.reconstructions(), r.losses()), file);
        return file;
    }

    /**
     * The reconstructions of the rows {@code d} holds, images of {@code shape}, drawn in the data's own values (the
     * model's scaling undone) as {@link #displayed} maps them, each with its reconstruction error.
     */
    static Path imageReconstructions(String title, ModelInput.Applied d, ImageShape shape, Path file) throws IOException {
        float[][] raw = new float[(int) d.rows().rows()][];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = d.rows().row(i);
        }
        Model model = d.loaded().model();
        Reconstructions r = Reconstructions.inDataUnits(model, d.autoencoder(), Nd4j.createFromArray(d.scaled().toArray()).reshape(raw.length, d.scaled().cols()), raw, d.loaded().meta().scaler());
        float[] range = displayRange(r.inputs());
        String loss = Reconstructions.lossName(model);
        Png.write(ReconstructionFigure.render(title + ": " + loss + " under each image", "original", shape, displayed(r.inputs(), range),
                displayed(r.reconstructions(), range), loss, r.losses()), file);
        return file;
    }

    /**
     * The values a figure shows as 0 and 1: [0, 1] for inputs within it (an image folder's pixels), [0, 255] for
     * inputs within that (8-bit values), else the inputs' minimum and maximum. One range for inputs and
     * reconstructions alike, so that the two rows compare.
     */
    private static float[] displayRange(float[][] inputs) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float[] row : inputs) {
            for (float v : row) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo >= 0 && hi <= 1) {
            return new float[]{0, 1};
        }
        if (lo >= 0 && hi <= 255) {
            return new float[]{0, 255};
        }
        return new float[]{lo, hi > lo ? hi : lo + 1};
    }

    /** {@code images} with {@code range} mapped onto [0, 1]. */
    private static float[][] displayed(float[][] images, float[] range) {
        float[][] out = new float[images.length][];
        for (int i = 0; i < images.length; i++) {
            out[i] = new float[images[i].length];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (images[i][j] - range[0]) / (range[1] - range[0]);
            }
        }
        return out;
    }

    /**
     * The figures of one of the chapter's Fashion-MNIST autoencoders, beyond its learning curves, into {@code dir}:
     * reconstructions.png (for a denoising recipe, of the first validation images corrupted as training corrupts
     * them, figure 17-9); for the sparse recipes and the model they are compared with, activations.png (figures
     * 17-10 and 17-11); for the variational one, generated.png and interpolation.png (figures 17-12 and 17-13).
     * Returns the coding layer's activity on the validation set where activations.png shows it, else null.
     */
    static CodingActivity recipeFigures(Recipe recipe, String title, Model model, Autoencoder ae, FashionMnist data, long seed, Path dir)
            throws IOException {
        int n = Math.min(Reconstructions.BOOK_COUNT, data.validation().size());
        Optional<DenoisingAutoencoder.Corruption> corruption = recipe.corruption();
        if (corruption.isPresent()) {
            float[][] clean = data.validation().images().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).toFloatMatrix();
            Reconstructions r = Reconstructions.of(model, DenoisingAutoencoder.corrupted(clean, corruption.get(), seed), clean);
            Png.write(ReconstructionFigure.render(title + ": noisy inputs, reconstructions, BCE against the clean image",
                    "noisy input", stretched(r.inputs()), r.reconstructions(), r.losses()), dir.resolve("reconstructions.png"));
            return null;
        }
        reconstructions(title, model, data, n, dir.resolve("reconstructions.png"));
        if (recipe.generative()) {
            generated(model, ae, seed, dir);
        }
        if (recipe.sparsity().isPresent()) {
            CodingActivity activity = SparseAutoencoder.codingActivity(model, ae, data.validation().images());
            Png.write(ActivationHistogram.render(title, activity), dir.resolve("activations.png"));
            return activity;
        }
        return null;
    }

    /**
     * Each image scaled from its own minimum (white) to its maximum (black), as the book's {@code imshow} draws the
     * noisy inputs, whose pixels leave [0, 1] (dropout doubles the ones it keeps).
     */
    private static float[][] stretched(float[][] images) {
        float[][] out = new float[images.length][];
        for (int i = 0; i < images.length; i++) {
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (float v : images[i]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            out[i] = new float[images[i].length];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = hi > lo ? (images[i][j] - lo) / (hi - lo) : 0;
            }
        }
        return out;
    }

    /** generated.png: 12 images decoded from seeded random codings; interpolation.png: those codings as a 3×4 grid resized to 5×7. */
    private static void generated(Model model, Autoencoder ae, long seed, Path dir) throws IOException {
        float[][] codings = VariationalAutoencoder.randomCodings(VariationalAutoencoder.GENERATED, seed);
        float[][] images = VariationalAutoencoder.decode(model, ae, codings);
        Png.write(ImageGrid.render(String.format("%d images decoded from random codings (seed %d)", images.length, seed), images,
                VariationalAutoencoder.GRID_COLS, new boolean[images.length]), dir.resolve("generated.png"));
        int rows = VariationalAutoencoder.INTERPOLATED_ROWS;
        int cols = VariationalAutoencoder.INTERPOLATED_COLS;
        float[][] grid = VariationalAutoencoder.resizeBilinear(codings, VariationalAutoencoder.GRID_ROWS, VariationalAutoencoder.GRID_COLS,
                rows, cols);
        boolean[] framed = new boolean[rows * cols];
        for (int i = 0; i < framed.length; i++) {
            framed[i] = i / cols % 2 == 0 && i % cols % 2 == 0; // the book frames the cells nearest its 12 codings
        }
        Png.write(ImageGrid.render("Semantic interpolation: the 3×4 codings resized to 5×7, decoded", VariationalAutoencoder.decode(model, ae, grid),
                cols, framed), dir.resolve("interpolation.png"));
    }

    /** Figure 17-2: the 3-D data and the codings of the linear autoencoder trained to convergence. */
    static Path linearFigure(LinearAutoencoder.Result linear, Path file) throws IOException {
        Png.write(LinearFigure.render(linear.data(), linear.converged().codings(), String.format(
                "Codings of the linear autoencoder (%d full-batch epochs)", LinearAutoencoder.CONVERGED_EPOCHS)), file);
        return file;
    }

    /** tsne.png, tsne.csv (x, y, label, class) and tsne.json (the quality figures) in {@code dir}. */
    static TsneExperiment.Result tsne(Model model, Autoencoder ae, FashionMnist data, int n, int iterations, long seed, Path dir)
            throws IOException {
        FashionMnist.Split validation = data.validation();
        TsneExperiment.Result r = TsneExperiment.run(model, ae, validation.images(), validation.labels(), n, iterations, seed);
        byte[] labels = validation.labels();
        float[][] images = validation.images().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).toFloatMatrix();
        Png.write(TsneMap.render("Fashion-MNIST validation set: 30-D codings mapped to 2-D by t-SNE", r.map(),
                Arrays.copyOf(labels, n), FashionMnist.CLASS_NAMES, images), dir.resolve("tsne.png"));
        StringBuilder csv = new StringBuilder("x,y,label,class\n");
        for (int i = 0; i < n; i++) {
            csv.append(r.map()[i][0]).append(',').append(r.map()[i][1]).append(',').append(labels[i]).append(',')
                    .append(FashionMnist.CLASS_NAMES.get(labels[i])).append('\n');
        }
        AtomicFile.writeString(dir.resolve("tsne.csv"), csv.toString());
        Json.write(r.quality(), dir.resolve("tsne.json"));
        return r;
    }
}
