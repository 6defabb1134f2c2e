package ae4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Finds Fashion-MNIST, in this order: {@code --data DIR}; {@code $AE4J_DATA}; the Keras cache
 * ({@code ~/.keras/datasets/fashion-mnist}); Debian's package ({@code /usr/share/datasets/fashion-mnist}); the ae4j
 * cache ({@code ~/.cache/ae4j/fashion-mnist}), downloaded into when the network allows; last, the small sample
 * embedded in the jar, with a loud warning. A directory the user named explicitly (flag or environment) must hold
 * all four files: it is an error, not a fall-through, when it does not.
 *
 * <p>Confined ({@code AE4J_DATA_CONFINED=1} or {@code -Dae4j.data.confined=true}), it looks only where it is told:
 * the flag and the environment variable, then the sample. The system-wide and home-folder places, and the download,
 * are off, so a machine with the dataset installed can show what a new user without it sees.
 */
public final class DataLocator {
    public static final String ENV_VAR = "AE4J_DATA";
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String CONFINED_ENV_VAR = "AE4J_DATA_CONFINED";
    public static final String CONFINED_PROPERTY = "ae4j.data.confined";

    private final Path flagDir;
    private final Map<String, String> env;
    private final Path home;
    private final Path debianDir;
    private final Downloader downloader;
    private final Consumer<String> warn;

    /**
     * @param home       the home folder (Keras and ae4j caches), or null to skip them
     * @param debianDir  the system-wide folder, or null to skip it
     * @param downloader fills the ae4j cache, or null never to download
     */
    public DataLocator(Path flagDir, Map<String, String> env, Path home, Path debianDir, Downloader downloader,
                       Consumer<String> warn) {
        this.flagDir = flagDir;
        this.env = env;
        this.home = home;
        this.debianDir = debianDir;
        this.downloader = downloader;
        this.warn = warn;
    }

    /** The locator for this process: real environment, home and mirrors, unless confined; warnings go to stderr. */
    public static DataLocator standard(Path flagDir) {
        return standard(flagDir, line -> System.err.println("ae4j: warning: " + line));
    }

    /** The locator for this process, with warnings going to {@code warn}. */
    public static DataLocator standard(Path flagDir, Consumer<String> warn) {
        if (isConfined(System.getenv())) {
            return new DataLocator(flagDir, System.getenv(), null, null, null, warn);
        }
        return new DataLocator(flagDir, System.getenv(), Path.of(System.getProperty("user.home")), DEBIAN_DIR,
                Downloader.official(), warn);
    }

    /** Whether this process is confined to the places it is told ({@value #CONFINED_ENV_VAR} or {@value #CONFINED_PROPERTY}). */
    public static boolean isConfined(Map<String, String> env) {
        String value = env.get(CONFINED_ENV_VAR);
        return (value != null && !value.isBlank() && !value.equals("0")) || Boolean.getBoolean(CONFINED_PROPERTY);
    }

    public Path kerasCache() {
        return home == null ? null : home.resolve(".keras/datasets/fashion-mnist");
    }

    public Path userCache() {
        return home == null ? null : home.resolve(".cache/ae4j/fashion-mnist");
    }

    /** Finds the dataset, downloading it into the user cache if no local copy exists and the network allows. */
    public DatasetSource locate() {
        return locate(true);
    }

    /** Finds the dataset without touching the network: what {@code ae4j info} reports. */
    public DatasetSource locateOffline() {
        return locate(false);
    }

    private DatasetSource locate(boolean mayDownload) {
        if (flagDir != null) {
            return explicit(flagDir, DatasetSource.Origin.DATA_FLAG, "--data " + flagDir);
        }
        String envDir = env.get(ENV_VAR);
        if (envDir != null && !envDir.isBlank()) {
            return explicit(Path.of(envDir), DatasetSource.Origin.ENVIRONMENT, "$" + ENV_VAR + "=" + envDir);
        }
        if (isComplete(kerasCache())) {
            return new DatasetSource(DatasetSource.Origin.KERAS_CACHE, kerasCache());
        }
        if (isComplete(debianDir)) {
            return new DatasetSource(DatasetSource.Origin.DEBIAN_PACKAGE, debianDir);
        }
        if (isComplete(userCache())) {
            return new DatasetSource(DatasetSource.Origin.USER_CACHE, userCache());
        }
        if (mayDownload && downloader != null && home != null) {
            try {
                downloader.downloadAll(userCache());
                return new DatasetSource(DatasetSource.Origin.DOWNLOADED, userCache());
            } catch (IOException | InvalidDataException e) {
                warn.accept("could not download Fashion-MNIST (" + e.getMessage() + ")");
            }
        }
        warn.accept("Fashion-MNIST not found" + (home == null && debianDir == null ? " (confined: only --data and $" + ENV_VAR + " are searched)" : "")
                + "; using the small EMBEDDED SAMPLE (3,000 images): results will NOT match the book."
                + " Install the dataset (apt-get install dataset-fashion-mnist) or pass --data DIR.");
        return DatasetSource.embeddedSample();
    }

    private static DatasetSource explicit(Path dir, DatasetSource.Origin origin, String what) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidDataException(what, "not a directory");
        }
        List<String> missing = missing(dir);
        if (!missing.isEmpty()) {
            throw new InvalidDataException(what, "missing " + String.join(", ", missing) + " (.gz or raw)");
        }
        return new DatasetSource(origin, dir);
    }

    private static boolean isComplete(Path dir) {
        return dir != null && Files.isDirectory(dir) && missing(dir).isEmpty();
    }

    private static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (DataFile file : DataFile.values()) {
            if (file.findIn(dir) == null) {
                missing.add(file.baseName);
            }
        }
        return missing;
    }
}
