package ae4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeProfileTest {
    @TempDir
    Path dir;

    @Test
    void bundledProfilesDocumentAndSetTheKeys() throws IOException {
        for (String backend : new String[]{"cpu", "cuda"}) {
            RuntimeProfile p = RuntimeProfile.bundled(backend);
            assertEquals("1", p.get("env.OMP_NUM_THREADS", "?"));
            assertFalse(p.getBoolean("nd4j.periodicGc", true));
            assertEquals(32, p.getInt("train.batchSize", 0));
            assertTrue(p.getInt("workspace.initialMb", 0) > 0);
            boolean commented = false;
            for (String line : Files.readAllLines(Path.of("profiles", backend + ".properties"))) {
                if (line.isBlank()) {
                    commented = false;
                } else if (line.startsWith("#")) {
                    commented = true;
                } else {
                    assertTrue(commented, backend + ".properties: a comment above explains " + line);
                }
            }
        }
    }

    @Test
    void userProfileOverridesAndBadValuesAreUserErrors() throws IOException {
        Path file = Files.writeString(dir.resolve("mine.properties"), "train.batchSize=256\nnd4j.periodicGc=maybe\nbench.steps=lots\n");
        RuntimeProfile p = RuntimeProfile.load(file);
        assertEquals(256, p.getInt("train.batchSize", 32));
        assertEquals(7, p.getInt("absent", 7));
        assertTrue(assertThrows(UserInputException.class, () -> p.getBoolean("nd4j.periodicGc", false)).getMessage().contains("true or false"));
        assertTrue(assertThrows(UserInputException.class, () -> p.getInt("bench.steps", 1)).getMessage().contains("must be an integer"));
        assertTrue(assertThrows(UserInputException.class, () -> RuntimeProfile.load(dir.resolve("none"))).getMessage().endsWith("no such file"));
    }
}
