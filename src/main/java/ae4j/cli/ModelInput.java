package ae4j.cli;

import ae4j.UserInputException;
import ae4j.data.FloatMatrix;
import ae4j.experiments.Autoencoder;
import ae4j.train.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What encode and score apply: a trained model ({@code --model}) and the rows of a data file ({@code --data}). */
final class ModelInput {
    @Option(names = "--model", paramLabel = "FILE", required = true, description = "A model file written by ae4j train.")
    Path model;

    @Option(names = "--data", paramLabel = "PATH", description = "The rows, in any format train custom reads.")
    Path data;

    @Mixin
    DataFileOptions read;

    /** The model and the rows, scaled by the model's saved scaler; a width other than the model's is refused. */
    Applied load(EngineOptions engine) {
        if (!Files.isRegularFile(model)) {
            throw new UserInputException("--model " + model + ": no such model file");
        }
        FloatMatrix rows = read.read(data, "--data");
        return applied(ModelFile.load(model, engine.engine()), model, rows, data);
    }

    /** {@code rows} of the file {@code data} as the model {@code loaded} from {@code model} takes them: see {@link #load}. */
    static Applied applied(ModelFile.Loaded loaded, Path model, FloatMatrix rows, Path data) {
        int width = loaded.model().inputSize();
        if (rows.cols() != width) {
            throw new UserInputException("--data " + data + ": rows have " + rows.cols() + " values, but the model " + model + " takes " + width);
        }
        FloatMatrix scaled = loaded.meta().scaler() != null ? loaded.meta().scaler().applyTo(rows) : rows;
        return new Applied(loaded, Autoencoder.of(loaded), rows, scaled);
    }

    /**
     * A loaded model, its encoder and decoder, the raw rows (for their labels) and the rows as the model takes them,
     * scaled as they are read: neither is held in memory by this.
     */
    record Applied(ModelFile.Loaded loaded, Autoencoder autoencoder, FloatMatrix rows, FloatMatrix scaled) {
    }
}
