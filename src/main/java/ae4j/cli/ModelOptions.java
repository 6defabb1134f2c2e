package ae4j.cli;

import ae4j.UserInputException;
import ae4j.data.FashionMnist;
import ae4j.experiments.Autoencoder;
import ae4j.experiments.Recipe;
import ae4j.train.Engine;
import ae4j.train.Model;
import ae4j.train.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model FILE}: an autoencoder of Fashion-MNIST images written by {@code ae4j train}. */
final class ModelOptions {
    static final Path DEFAULT = Path.of("runs", Recipe.STACKED.id(), "model.zip");

    @Option(names = "--model", paramLabel = "FILE", description = "A model file written by ae4j train. Default: runs/stacked/model.zip.")
    Path file;

    record Loaded(ModelFile.Loaded file, Autoencoder autoencoder) {
    }

    Path path() {
        return file != null ? file : DEFAULT;
    }

    /** Whether the user named the file (rather than taking the default). */
    boolean given() {
        return file != null;
    }

    Path folder() {
        return path().toAbsolutePath().getParent();
    }

    boolean exists() {
        return Files.isRegularFile(path());
    }

    /** Before any work: the file must be there. */
    void requireExists() {
        if (!exists()) {
            throw new UserInputException("--model " + path() + ": " + (Files.isDirectory(path()) ? "is a folder, not a model file"
                    : "no such model file" + (given() ? "" : "; train one first with ./ae4j train " + Recipe.STACKED.id())));
        }
    }

    /** Loads the file, which must hold an autoencoder of Fashion-MNIST images (784 inputs, 784 outputs). */
    Loaded loadImageAutoencoder(Engine engine, String command) {
        requireExists();
        return imageAutoencoder(ModelFile.load(path(), engine), command);
    }

    /** The loaded file as an autoencoder of Fashion-MNIST images; any other model is refused, saying what {@code command} needs. */
    Loaded imageAutoencoder(ModelFile.Loaded loaded, String command) {
        Model model = loaded.model();
        if (model.inputSize() != FashionMnist.PIXELS || model.outputSize() != FashionMnist.PIXELS) {
            String recipe = loaded.meta().recipe();
            throw new UserInputException("--model " + path() + ": holds a " + (recipe == null ? "" : recipe + " ") + "model of "
                    + model.inputSize() + " inputs and " + model.outputSize() + " outputs; " + command
                    + " needs an autoencoder of Fashion-MNIST images (784 → 784), such as runs/stacked/model.zip");
        }
        return new Loaded(loaded, Autoencoder.of(loaded));
    }
}
