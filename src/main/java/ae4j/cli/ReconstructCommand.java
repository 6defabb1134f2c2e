package ae4j.cli;

import ae4j.data.FashionMnist;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ae4j reconstruct}: the book's figure 17-4 for a trained autoencoder. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Draw the first N validation images above their reconstructions, with each one's loss (the book's figure 17-4).")
final class ReconstructCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--n", paramLabel = "N", defaultValue = "5", description = "Images to show. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--out", paramLabel = "PNG", description = "Output file. Default: reconstructions.png beside the model file.")
    Path out;

    @Mixin
    EngineOptions engine;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        Flags.between("--n", n, 1, 50);
        model.requireExists();
        Path file = out != null ? out : model.folder().resolve("reconstructions.png");
        OutputFolder.requireWritableFile(file, "--out");
        ModelOptions.Loaded loaded = model.loadImageAutoencoder(engine.engine(), "reconstruct");
        FashionMnist mnist = data.load();
        Flags.between("--n", n, 1, mnist.validation().size());
        engine.announceEngine();
        String recipe = loaded.file().meta().recipe();
        Artifacts.reconstructions(recipe != null ? recipe : "autoencoder",
                loaded.file().model(), mnist, n, file);
        System.out.println("Wrote " + file);
        return Main.EXIT_OK;
    }
}
