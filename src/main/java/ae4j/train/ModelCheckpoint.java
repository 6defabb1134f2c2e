package ae4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Keras's {@code ModelCheckpoint}: saves the model file after every epoch, or only when the monitored quantity
 * improved. Each save is atomic, so the file on disk is always the last good epoch, even if a later one diverges.
 */
public final class ModelCheckpoint implements Callback {
    private final Path file;
    private final ModelFile.Metadata meta;
    private final String monitor;
    private final boolean saveBestOnly;
    private double best = Double.POSITIVE_INFINITY;

    public ModelCheckpoint(Path file, ModelFile.Metadata meta) {
        this(file, meta, "val_loss", false);
    }

    public ModelCheckpoint(Path file, ModelFile.Metadata meta, String monitor, boolean saveBestOnly) {
        this.file = file;
        this.meta = meta;
        this.monitor = monitor;
        this.saveBestOnly = saveBestOnly;
    }

    public Path file() {
        return file;
    }

    @Override
    public void onEpochEnd(Model model, EpochLog log) {
        if (saveBestOnly) {
            double value = log.get(monitor);
            if (!(value < best)) {
                return;
            }
            best = value;
        }
        try {
            ModelFile.save(model, file, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file + ": " + e.getMessage(), e);
        }
    }
}
