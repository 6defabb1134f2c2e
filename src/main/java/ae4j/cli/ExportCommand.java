package ae4j.cli;

import ae4j.UserInputException;
import ae4j.experiments.Autoencoder;
import ae4j.train.Dl4jExport;
import ae4j.train.Engine;
import ae4j.train.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ae4j export}: an untied autoencoder and its encoder as Deeplearning4j networks. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export an untied autoencoder and its encoder to Deeplearning4j.",
                "Writes a trained stacked or greedy autoencoder, and its encoder alone, as MultiLayerNetworks (ModelSerializer zips): "
                        + "DIR/autoencoder-dl4j.zip and DIR/encoder-dl4j.zip."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", required = true, description = "A model file written by ae4j train.")
    Path model;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: the model file's folder.")
    Path out;

    @Override
    public Integer call() throws IOException {
        ModelFile.Loaded loaded = ModelFile.load(model, Engine.nd4j(0));
        Autoencoder ae = Autoencoder.of(loaded);
        Path dir = out != null ? out : model.toAbsolutePath().getParent();
        OutputFolder.requireWritable(dir, "--out");
        try {
            Dl4jExport.write(loaded.model().layers(), dir.resolve("autoencoder-dl4j.zip"));
            Dl4jExport.write(ae.encoder().layers(), dir.resolve("encoder-dl4j.zip"));
        } catch (IllegalArgumentException e) {
            throw new UserInputException(model + ": " + e.getMessage());
        }
        System.out.println("Wrote " + dir.resolve("autoencoder-dl4j.zip") + " and " + dir.resolve("encoder-dl4j.zip"));
        return Main.EXIT_OK;
    }
}
