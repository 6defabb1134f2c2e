package ae4j.cli;

import ae4j.AtomicFile;
import ae4j.data.FashionMnist;
import ae4j.experiments.Autoencoder;
import ae4j.experiments.LinearAutoencoder;
import ae4j.experiments.Reconstructions;
import ae4j.experiments.TsneExperiment;
import ae4j.train.History;
import ae4j.train.Model;
import ae4j.viz.LearningCurves;
import ae4j.viz.LinearFigure;
import ae4j.viz.Png;
import ae4j.viz.ReconstructionFigure;
import ae4j.viz.TsneMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
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
                r.originals(), r.reconstructions(), r.losses()), file);
        return file;
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
