package ae4j.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What Maven wrote into this build: the ae4j version, the backend it was built for, and the ND4J version. */
public record BuildInfo(String version, String backend, String nd4jVersion) {
    private static final BuildInfo CURRENT = read();

    public static BuildInfo current() {
        return CURRENT;
    }

    public boolean isCudaBuild() {
        return "cuda".equals(backend);
    }

    private static BuildInfo read() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/ae4j/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(p.getProperty("version", "dev"), p.getProperty("backend", "cpu"), p.getProperty("nd4j", "unknown"));
    }
}
