package ae4j.cli;

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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The files the commands write: figures as PNG, t-SNE coordinates as CSV, measurements as JSON. */
final class Artifacts {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

    static Path linearFigure(LinearAutoencoder.Result result, Path file) throws IOException {
        Png.write(LinearFigure.render(result.data(), result.codings().toDoubleMatrix()), file);
        return file;
    }

    /** tsne.png, tsne.csv (x, y, label, class) and tsne.json (the quality figures) in {@code dir}. */
    static TsneExperiment.Result tsne(Model model, Autoencoder ae, FashionMnist data, int n, int iterations, long seed, Path dir)
            throws IOException {
        TsneExperiment.Result r = TsneExperiment.run(model, ae, data.validation().images(), data.validation().labels(), n, iterations, seed);
        byte[] labels = data.validation().labels();
        float[][] images = data.validation().images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).toFloatMatrix();
        Png.write(TsneMap.render("Fashion-MNIST validation set: 30-D codings mapped to 2-D by t-SNE", r.map(),
                java.util.Arrays.copyOf(labels, n), FashionMnist.CLASS_NAMES, images), dir.resolve("tsne.png"));
        Path csv = dir.resolve("tsne.csv");
        try (Writer out = Files.newBufferedWriter(csv)) {
            out.write("x,y,label,class\n");
            for (int i = 0; i < n; i++) {
                out.write(r.map()[i][0] + "," + r.map()[i][1] + "," + labels[i] + "," + FashionMnist.CLASS_NAMES.get(labels[i]) + "\n");
            }
        }
        JSON.writeValue(dir.resolve("tsne.json").toFile(), r.quality());
        return r;
    }

    static void json(Map<String, Object> value, Path file) throws IOException {
        JSON.writeValue(file.toFile(), value);
    }
}
