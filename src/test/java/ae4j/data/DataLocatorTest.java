package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLocatorTest {
    @TempDir
    Path tmp;
    Path home;
    Path debian;
    Path flag;
    Path envDir;
    final Map<String, String> env = new HashMap<>();
    final List<String> warnings = new ArrayList<>();
    /** A mirror nothing listens on: downloads fail at once. */
    final Downloader offline = new Downloader(List.of(URI.create("http://127.0.0.1:9/")), Duration.ofSeconds(2));

    @BeforeEach
    void dirs() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        debian = Files.createDirectories(tmp.resolve("debian"));
        flag = Files.createDirectories(tmp.resolve("flag"));
        envDir = Files.createDirectories(tmp.resolve("env"));
    }

    DataLocator locator(Path flagDir) {
        return new DataLocator(flagDir, env, home, debian, offline, warnings::add);
    }

    @Test
    void searchOrderIsFlagEnvKerasDebianCache() throws IOException {
        DataLocator plain = locator(null);
        TinyDataset.write(Files.createDirectories(plain.userCache()), 24, 12, true);
        assertEquals(DatasetSource.Origin.USER_CACHE, plain.locate().origin());

        TinyDataset.write(debian, 24, 12, true);
        assertEquals(DatasetSource.Origin.DEBIAN_PACKAGE, plain.locate().origin());

        TinyDataset.write(Files.createDirectories(plain.kerasCache()), 24, 12, true);
        assertEquals(DatasetSource.Origin.KERAS_CACHE, plain.locate().origin());

        TinyDataset.write(envDir, 24, 12, false);
        env.put(DataLocator.ENV_VAR, envDir.toString());
        assertEquals(DatasetSource.Origin.ENVIRONMENT, plain.locate().origin());

        TinyDataset.write(flag, 24, 12, false);
        DatasetSource fromFlag = locator(flag).locate();
        assertEquals(DatasetSource.Origin.DATA_FLAG, fromFlag.origin());
        assertEquals(flag, fromFlag.directory());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void incompleteImplicitDirectoriesAreSkipped() throws IOException {
        TinyDataset.write(debian, 24, 12, true);
        Path keras = Files.createDirectories(locator(null).kerasCache());
        TinyDataset.write(keras, 24, 12, true);
        Files.delete(keras.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(DatasetSource.Origin.DEBIAN_PACKAGE, locator(null).locate().origin());
    }

    @Test
    void explicitDirectoryMissingFilesIsAnError() throws IOException {
        TinyDataset.write(flag, 24, 12, true);
        Files.delete(flag.resolve("train-images-idx3-ubyte.gz"));
        TinyDataset.write(debian, 24, 12, true);
        String message = assertThrows(InvalidDataException.class, () -> locator(flag).locate()).getMessage();
        assertEquals("--data " + flag + ": missing train-images-idx3-ubyte (.gz or raw)", message);

        env.put(DataLocator.ENV_VAR, tmp.resolve("nowhere").toString());
        message = assertThrows(InvalidDataException.class, () -> locator(null).locate()).getMessage();
        assertTrue(message.startsWith("$AE4J_DATA=") && message.endsWith("not a directory"), message);
    }

    @Test
    void nothingFoundAndNoNetworkFallsBackToTheSampleWithAWarning() {
        DatasetSource source = locator(null).locate();
        assertTrue(source.isSample());
        assertEquals(2, warnings.size(), "one for the failed download, one loud one for the sample");
        assertTrue(warnings.get(0).startsWith("could not download"));
        assertTrue(warnings.get(1).contains("EMBEDDED SAMPLE") && warnings.get(1).contains("NOT match the book"));
        assertFalse(Files.exists(home.resolve(".cache")), "a failed download leaves no empty cache folders");
    }

    @Test
    void confinedLooksOnlyWhereItIsTold() throws IOException {
        TinyDataset.write(debian, 24, 12, true);
        TinyDataset.write(Files.createDirectories(locator(null).kerasCache()), 24, 12, true);
        DataLocator confined = new DataLocator(null, env, null, null, offline, warnings::add);
        assertTrue(confined.locate().isSample(), "neither the system-wide nor the home folder's copy is used");
        assertEquals(1, warnings.size(), "no download was tried: " + warnings);
        assertTrue(warnings.get(0).contains("confined") && warnings.get(0).contains("EMBEDDED SAMPLE"), warnings.get(0));

        TinyDataset.write(envDir, 24, 12, false);
        env.put(DataLocator.ENV_VAR, envDir.toString());
        assertEquals(DatasetSource.Origin.ENVIRONMENT, confined.locate().origin());
        TinyDataset.write(flag, 24, 12, false);
        assertEquals(DatasetSource.Origin.DATA_FLAG, new DataLocator(flag, env, null, null, null, warnings::add).locate().origin());
    }

    @Test
    void confinementIsSwitchedOnByTheEnvironmentOrAProperty() {
        String before = System.clearProperty(DataLocator.CONFINED_PROPERTY);
        try {
            assertFalse(DataLocator.isConfined(Map.of()));
            assertFalse(DataLocator.isConfined(Map.of(DataLocator.CONFINED_ENV_VAR, "0")));
            assertTrue(DataLocator.isConfined(Map.of(DataLocator.CONFINED_ENV_VAR, "1")));
            System.setProperty(DataLocator.CONFINED_PROPERTY, "true");
            assertTrue(DataLocator.isConfined(Map.of()));
            org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(DataLocator.ENV_VAR) == null, "$AE4J_DATA is set in this environment");
            assertTrue(DataLocator.standard(null, warnings::add).locateOffline().isSample(),
                    "the standard locator, confined, ignores an installed dataset");
        } finally {
            if (before == null) {
                System.clearProperty(DataLocator.CONFINED_PROPERTY);
            } else {
                System.setProperty(DataLocator.CONFINED_PROPERTY, before);
            }
        }
    }

    @Test
    void offlineLocateNeverDownloads() {
        assertTrue(locator(null).locateOffline().isSample());
        assertEquals(1, warnings.size(), "only the sample warning: no download was tried");
    }
}
