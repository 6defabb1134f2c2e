package ae4j.cli;

import ae4j.UserInputException;
import ae4j.data.FashionMnist;
import ae4j.data.FloatMatrix;
import ae4j.train.ModelFile;
import ae4j.viz.ImageShape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ae4j reconstruct}: inputs above their reconstructions. A model of the book's recipes draws the book's
 * figure 17-4 from Fashion-MNIST; a model of train custom, which records the shape of its samples, draws the first
 * rows of its --data, read through its saved scaler, when those samples are images.
 */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = {"Draw the first N images above their reconstructions, each with its reconstruction error.",
                "A model of the book's recipes: the first N Fashion-MNIST validation images, with their binary cross-entropy (the book's "
                        + "figure 17-4).",
                "A model of train custom trained on images (an image folder, IDX images, a .npy of N×H×W×C with C = 1 or 3): the first N "
                        + "images of --data at their own size, grey or RGB, in the data's own values (the model's saved scaling undone), "
                        + "each with the error score gives it."})
final class ReconstructCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--n", paramLabel = "N", defaultValue = "5", description = "Images to show. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--out", paramLabel = "PNG", description = "Output file. Default: reconstructions.png beside the model file.")
    Path out;

    @Mixin
    EngineOptions engine;

    @Option(names = "--data", paramLabel = "PATH",
            description = {"A model of train custom: the images, in any format train custom reads (required).",
                    "A recipe's model: the Fashion-MNIST folder; default: found as train finds it."})
    Path data;

    @Mixin
    DataFileOptions read;

    @Override
    public Integer call() throws Exception {
        Flags.between("--n", n, 1, 50);
        model.requireExists();
        Path file = out != null ? out : model.folder().resolve("reconstructions.png");
        OutputFolder.requireWritableFile(file, "--out");
        ModelFile.Loaded loaded = ModelFile.load(model.path(), engine.engine());
        int[] sampleShape = loaded.meta().sampleShape();
        if (sampleShape == null) {
            ModelOptions.Loaded book = model.imageAutoencoder(loaded, "reconstruct");
            FashionMnist mnist = DataOptions.load(data);
            Flags.between("--n", n, 1, mnist.validation().size());
            engine.announceEngine();
            String recipe = loaded.meta().recipe();
            Artifacts.reconstructions(recipe != null ? recipe : "autoencoder", book.file().model(), mnist, n, file);
        } else {
            ImageShape shape = ImageShape.of(sampleShape).orElseThrow(() -> new UserInputException("--model " + model.path()
                    + ": was trained on samples of shape " + Arrays.toString(sampleShape) + ", not images; reconstruct draws images, "
                    + "from a model trained on samples of shape [H, W, C] with C = 1 or 3 (an image folder, IDX images, a .npy of N×H×W×C)"));
            FloatMatrix rows = read.read(data, "--data");
            Flags.between("--n", n, 1, (int) Math.min(rows.rows(), 50));
            ModelInput.Applied first = ModelInput.applied(loaded, model.path(), rows.select(IntStream.range(0, n).toArray()), data);
            engine.announceEngine();
            Artifacts.imageReconstructions(loaded.meta().recipe() + ", " + shape + " images", first, shape, file);
        }
        System.out.println("Wrote " + file);
        return Main.EXIT_OK;
    }
}
