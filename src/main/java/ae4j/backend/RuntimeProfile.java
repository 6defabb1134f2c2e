package ae4j.backend;

import ae4j.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A backend's runtime settings, read from a {@code profiles/*.properties} file (see the comments there for every
 * key). The launcher sets the {@code env.*} and {@code jvm.options} keys before the JVM starts and passes the file
 * as {@code -Dae4j.profile}; the JVM-side keys (ND4J, workspace, defaults) are read here. Without a file (tests, a
 * plain {@code java -jar}), the copy of the build's backend profile bundled in the jar is used.
 */
public final class RuntimeProfile {
    public static final String PROPERTY = "ae4j.profile";
    private static RuntimeProfile current;

    private final String source;
    private final Properties values;

    RuntimeProfile(String source, Properties values) {
        this.source = source;
        this.values = values;
    }

    /** The profile of this process, loaded once. */
    public static synchronized RuntimeProfile current() {
        if (current == null) {
            String path = System.getProperty(PROPERTY);
            current = path != null ? load(Path.of(path)) : bundled(BuildInfo.current().backend());
        }
        return current;
    }

    public static RuntimeProfile load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new UserInputException("--profile " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new UserInputException("--profile " + file + ": cannot read (" + e.getMessage() + ")");
        }
        return new RuntimeProfile(file.toString(), p);
    }

    static RuntimeProfile bundled(String backend) {
        Properties p = new Properties();
        String resource = "/ae4j/profiles/" + backend + ".properties";
        try (InputStream in = RuntimeProfile.class.getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled profile " + resource, e);
        }
        return new RuntimeProfile("bundled " + backend + ".properties", p);
    }

    public String source() {
        return source;
    }

    public String get(String key, String fallback) {
        return values.getProperty(key, fallback).trim();
    }

    public int getInt(String key, int fallback) {
        String v = values.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("profile " + source + ": " + key + " must be an integer, not '" + v.trim() + "'");
        }
    }

    public boolean getBoolean(String key, boolean fallback) {
        String v = values.getProperty(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim().toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new UserInputException("profile " + source + ": " + key + " must be true or false, not '" + v.trim() + "'");
        };
    }

    /** Applies the ND4J-side settings; call once ND4J is allowed to load (after {@link BackendBootstrap}). */
    public void applyToNd4j() {
        Nd4j.getMemoryManager().togglePeriodicGc(getBoolean("nd4j.periodicGc", false));
    }
}
