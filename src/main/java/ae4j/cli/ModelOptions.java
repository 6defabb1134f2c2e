package ae4j.cli;

import ae4j.experiments.Autoencoder;
import ae4j.train.Engine;
import ae4j.train.ModelFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model FILE}: a model file written by {@code ae4j train}, loaded with the run's engine. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "FILE", defaultValue = "runs/stacked/model.zip",
            description = "A model file written by ae4j train. Default: ${DEFAULT-VALUE}.")
    Path file;

    record Loaded(ModelFile.Loaded file, Autoencoder autoencoder) {
    }

    Loaded load(Engine engine) {
        ModelFile.Loaded loaded = ModelFile.load(file, engine);
        return new Loaded(loaded, Autoencoder.of(loaded));
    }

    Path folder() {
        return file.toAbsolutePath().getParent();
    }
}
