package ae4j.cli;

import ae4j.UserInputException;
import ae4j.data.DataReader;
import ae4j.data.DelimitedText;
import ae4j.data.FloatMatrix;
import ae4j.experiments.Autoencoder;
import ae4j.train.ModelFile;
import ae4j.train.TrainingRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
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

    /**
     * {@code rows} of the file {@code data} as the model {@code loaded} from {@code model} takes them, scaled by its
     * saved scaler; a width other than the model's is refused.
     */
    static Applied applied(ModelFile.Loaded loaded, Path model, FloatMatrix rows, Path data) {
        requireWidth(loaded, model, rows.cols(), data);
        return new Applied(loaded, Autoencoder.of(loaded), rows, scaled(loaded, rows));
    }

    /** Rows as the model takes them: through its saved scaler, as they are read, where it has one. */
    private static FloatMatrix scaled(ModelFile.Loaded loaded, FloatMatrix rows) {
        return loaded.meta().scaler() != null ? loaded.meta().scaler().applyTo(rows) : rows;
    }

    /**
     * The model and the rows a block at a time: a large CSV or TSV file streamed (see {@link #streams}), any other
     * file as one block (a .npy is mapped, and every block is read a batch at a time). A width other than the
     * model's is refused before any row is read.
     */
    Blocks blocks(EngineOptions engine) {
        requireModel();
        if (streams(data)) {
            DelimitedText.RowBlocks rows = read.blocks(data, "--data");
            try {
                ModelFile.Loaded loaded = ModelFile.load(model, engine.engine());
                requireWidth(loaded, model, rows.cols(), data);
                return new Blocks(loaded, Autoencoder.of(loaded), rows.hasLabels(), rows, rows::close);
            } catch (RuntimeException e) {
                rows.close();
                throw e;
            }
        }
        FloatMatrix rows = read.read(data, "--data");
        ModelFile.Loaded loaded = ModelFile.load(model, engine.engine());
        requireWidth(loaded, model, rows.cols(), data);
        return new Blocks(loaded, Autoencoder.of(loaded), rows.labels().isPresent(), List.of(rows).iterator(), () -> { });
    }

    /**
     * Whether a CSV or TSV file is streamed rather than read whole: when gzip'd (read by one thread either way), or
     * when its float32 values may take more than a quarter of the heap, as training rows go to scratch files. A value
     * takes at least two characters with its separator, so at most twice the file's size. A file read whole is parsed
     * by a thread per core; streamed, by one (a 38 MB CSV scored up to a fifth slower so, on 2 shared cores).
     */
    static boolean streams(Path data) {
        if (data == null || !DataReader.isDelimitedText(data) || !Files.isRegularFile(data)) {
            return false;
        }
        try {
            return data.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")
                    || 2 * Files.size(data) > TrainingRows.inMemoryLimit();
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private void requireModel() {
        if (!Files.isRegularFile(model)) {
            throw new UserInputException("--model " + model + ": no such model file");
        }
    }

    private static void requireWidth(ModelFile.Loaded loaded, Path model, int cols, Path data) {
        int width = loaded.model().inputSize();
        if (cols != width) {
            throw new UserInputException("--data " + data + ": rows have " + cols + " values, but the model " + model + " takes " + width);
        }
    }

    /**
     * A loaded model, its encoder and decoder, the raw rows (for their labels) and the rows as the model takes them,
     * scaled as they are read: neither is held in memory by this.
     */
    record Applied(ModelFile.Loaded loaded, Autoencoder autoencoder, FloatMatrix rows, FloatMatrix scaled) {
    }

    /**
     * A loaded model, its encoder and decoder, and the raw rows of the data file in consecutive blocks (each with its
     * labels when the file has them).
     */
    record Blocks(ModelFile.Loaded loaded, Autoencoder autoencoder, boolean hasLabels, Iterator<? extends FloatMatrix> raw, Runnable closer)
            implements AutoCloseable {
        /** A block of rows as the model takes them: scaled by its saved scaler, as they are read. */
        FloatMatrix scaled(FloatMatrix block) {
            return ModelInput.scaled(loaded, block);
        }

        @Override
        public void close() {
            closer.run();
        }
    }
}
