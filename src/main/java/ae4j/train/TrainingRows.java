package ae4j.train;

import ae4j.UserInputException;
import ae4j.data.FloatMatrix;
import ae4j.data.HeapFloatMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training and validation rows as the engines take them, float32 matrices: in memory when they fit easily,
 * else in memory-mapped scratch files in the run's folder (not the system's temporary folder, often a RAM disk), so
 * that a data file larger than the heap trains with only the pages the steps touch in memory. The scratch files
 * are deleted on {@link #close()}, or when the JVM exits.
 */
public final class TrainingRows implements AutoCloseable {
    /** Rows in memory are briefly held twice (a Java array, then ND4J's copy), so more than a quarter of the heap goes to a file. */
    static final int HEAP_FRACTION = 4;

    private final INDArray train;
    private final INDArray validation;
    private final List<MappedMatrix> mapped;

    private TrainingRows(INDArray train, INDArray validation, List<MappedMatrix> mapped) {
        this.train = train;
        this.validation = validation;
        this.mapped = mapped;
    }

    /** {@code validation} may be null; {@code folder} is where scratch files go, created when they are needed. */
    public static TrainingRows of(FloatMatrix train, FloatMatrix validation, Path folder) {
        long bytes = (train.rows() + (validation == null ? 0 : validation.rows())) * train.cols() * (long) Float.BYTES;
        if (bytes <= inMemoryLimit() && fitsOneArray(train) && (validation == null || fitsOneArray(validation))) {
            return new TrainingRows(inMemory(train), validation == null ? null : inMemory(validation), List.of());
        }
        List<MappedMatrix> mapped = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            mapped.add(MappedMatrix.write(train, scratch(folder, ".training-rows.f32")));
            if (validation != null) {
                mapped.add(MappedMatrix.write(validation, scratch(folder, ".validation-rows.f32")));
            }
        } catch (IOException e) {
            mapped.forEach(MappedMatrix::close);
            throw new UserInputException("cannot create " + folder + " for the scratch files (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            mapped.forEach(MappedMatrix::close);
            throw e;
        }
        return new TrainingRows(mapped.get(0).array(), validation == null ? null : mapped.get(1).array(), mapped);
    }

    /** The most bytes of float32 rows held in memory; more go to a file (training) or are streamed (scoring). */
    public static long inMemoryLimit() {
        return Runtime.getRuntime().maxMemory() / HEAP_FRACTION;
    }

    private static boolean fitsOneArray(FloatMatrix m) {
        return m.rows() * m.cols() <= HeapFloatMatrix.MAX_ELEMENTS;
    }

    private static INDArray inMemory(FloatMatrix m) {
        return Nd4j.createFromArray(m.toArray()).reshape(m.rows(), m.cols());
    }

    /** A scratch file's path, a leftover of a run that was killed removed: the name is ae4j's own. */
    private static Path scratch(Path folder, String name) throws IOException {
        Path file = folder.resolve(name);
        Files.deleteIfExists(file);
        file.toFile().deleteOnExit();
        return file;
    }

    public INDArray train() {
        return train;
    }

    /** Null when there are none. */
    public INDArray validation() {
        return validation;
    }

    /** The scratch files the rows are mapped from, or empty when they are in memory. */
    public Optional<String> mappedTo() {
        return mapped.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", mapped.stream().map(m -> m.file().toString()).toList()));
    }

    @Override
    public void close() {
        mapped.forEach(MappedMatrix::close);
    }
}
