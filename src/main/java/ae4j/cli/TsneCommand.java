package ae4j.cli;

import ae4j.UserInputException;
import ae4j.data.FashionMnist;
import ae4j.experiments.TsneExperiment;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ae4j tsne}: the book's figure 17-5 and how well the map keeps the classes apart. */
@Command(name = "tsne", mixinStandardHelpOptions = true,
        description = {"Map the validation set's codings to 2-D with t-SNE (figure 17-5).",
                "Encodes the validation images to 30-D, maps them to 2-D with t-SNE (seeded) and draws them by class with "
                        + "thumbnails. Writes tsne.png, tsne.csv and tsne.json, with the 5-NN class accuracy in the 2-D map and in the "
                        + "30-D codings."})
final class TsneCommand implements Callable<Integer> {
    /** Fewer points than this leave t-SNE's perplexity and the 5-NN score meaningless. */
    static final int MIN_POINTS = 10;

    @Mixin
    ModelOptions model;

    @Option(names = "--n", paramLabel = "N", description = "Validation images to map. Default: all of them (5,000 in the full dataset).")
    Integer n;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "1000", description = "t-SNE iterations. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: the model file's folder.")
    Path out;

    @Mixin
    EngineOptions engine;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        if (iterations < 250) {
            throw new UserInputException("--iterations must be at least 250 (t-SNE's early exaggeration alone takes 250), not " + iterations);
        }
        if (n != null) {
            Flags.atLeast("--n", n, MIN_POINTS);
        }
        model.requireExists();
        Path dir = out != null ? out : model.folder();
        OutputFolder.requireWritable(dir, "--out");
        ModelOptions.Loaded loaded = model.loadImageAutoencoder(engine.engine(), "tsne");
        FashionMnist mnist = data.load();
        int points = n != null ? Flags.between("--n", n, MIN_POINTS, mnist.validation().size()) : mnist.validation().size();
        engine.announceEngine();
        TsneExperiment.Result r = Artifacts.tsne(loaded.file().model(), loaded.autoencoder(), mnist, points, iterations, engine.seed, dir);
        System.out.printf("5-NN accuracy: %.4f in the 2-D map, %.4f in the 30-D codings%n", r.quality().knnAccuracy2d(),
                r.quality().knnAccuracyCodings());
        System.out.println("Wrote " + dir.resolve("tsne.png") + ", tsne.csv and tsne.json");
        return Main.EXIT_OK;
    }
}
