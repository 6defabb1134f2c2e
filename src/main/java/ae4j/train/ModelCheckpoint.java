package ae4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Keras's {@code ModelCheckpoint}: saves the model file after every epoch. Each save is atomic, so the file on disk
 * is always the last good epoch, even if a later one diverges. With {@link #atMostEvery}, an epoch that ends sooner
 * than that after the last save is saved only when training ends (unless a later one is saved first), so that a
 * thousand epochs of milliseconds are not a thousand writes.
 */
public final class ModelCheckpoint implements Callback {
    /** Writes one checkpoint; {@link ModelFile#save} unless the caller has more to do with each save. */
    @FunctionalInterface
    public interface Writer {
        void write(Model model, Path file, ModelFile.Metadata meta) throws IOException;
    }

    private final Path file;
    private final ModelFile.Metadata meta;
    private Writer writer = ModelFile::save;
    private long minIntervalNanos;
    private boolean savedOnce;
    private long lastSave;
    private boolean unsaved;

    public ModelCheckpoint(Path file, ModelFile.Metadata meta) {
        this.file = file;
        this.meta = meta;
    }

    /** Saves an epoch only once {@code interval} has passed since the last save, and the last epoch when training ends. */
    public ModelCheckpoint atMostEvery(Duration interval) {
        minIntervalNanos = interval.toNanos();
        return this;
    }

    public ModelCheckpoint writingWith(Writer writer) {
        this.writer = writer;
        return this;
    }

    @Override
    public void onEpochEnd(TrainingLoop loop, EpochLog log) {
        if (savedOnce && System.nanoTime() - lastSave < minIntervalNanos) {
            unsaved = true;
            return;
        }
        save(loop.model());
    }

    @Override
    public void onTrainEnd(TrainingLoop loop) {
        if (unsaved) {
            save(loop.model());
        }
    }

    private void save(Model model) {
        try {
            writer.write(model, file, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file + ": " + e.getMessage(), e);
        }
        savedOnce = true;
        lastSave = System.nanoTime();
        unsaved = false;
    }
}
