package ae4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the Fashion-MNIST files come from: a directory found by {@link DataLocator}, or the small sample embedded in
 * the jar. {@link #open} gives each file's bytes; {@link #name} names it in messages.
 */
public record DatasetSource(Origin origin, Path directory) {

    /** The places the locator looks, in its order. */
    public enum Origin {
        DATA_FLAG("--data"),
        ENVIRONMENT("$" + DataLocator.ENV_VAR),
        KERAS_CACHE("Keras cache"),
        DEBIAN_PACKAGE("Debian package dataset-fashion-mnist"),
        USER_CACHE("ae4j cache"),
        DOWNLOADED("downloaded into the ae4j cache"),
        EMBEDDED_SAMPLE("embedded sample (not the full dataset)");

        public final String label;

        Origin(String label) {
            this.label = label;
        }
    }

    /** Classpath folder of the embedded sample: 2,400 training and 600 test images of the real dataset. */
    static final String SAMPLE_RESOURCE = "/ae4j/fashion-mnist-sample/";

    public static DatasetSource embeddedSample() {
        return new DatasetSource(Origin.EMBEDDED_SAMPLE, null);
    }

    public boolean isSample() {
        return origin == Origin.EMBEDDED_SAMPLE;
    }

    public String name(DataFile file) {
        if (isSample()) {
            return "embedded sample " + file.gzName();
        }
        Path found = file.findIn(directory);
        return (found != null ? found : directory.resolve(file.gzName())).toString();
    }

    public InputStream open(DataFile file) throws IOException {
        if (isSample()) {
            InputStream in = DatasetSource.class.getResourceAsStream(SAMPLE_RESOURCE + file.gzName());
            if (in == null) {
                throw new InvalidDataException(name(file), "missing from the jar");
            }
            return in;
        }
        Path found = file.findIn(directory);
        if (found == null) {
            throw new InvalidDataException(name(file), "no such file");
        }
        return Files.newInputStream(found);
    }

    /** One line for people: where the data came from. */
    public String describe() {
        return isSample() ? origin.label : origin.label + ": " + directory;
    }
}
