package ae4j.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engines' package travels where ND4J cannot (the GPU bundle): none of its classes may name an ND4J class. */
class EngineIsNd4jFreeTest {
    @Test
    void noClassOfThePackageReferencesNd4j() throws IOException, URISyntaxException {
        Path folder = Path.of(StepEngine.class.getResource("StepEngine.class").toURI()).getParent();
        List<Path> classes;
        try (Stream<Path> files = Files.list(folder)) {
            classes = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        assertTrue(classes.size() >= 8, "found the package's classes: " + classes);
        for (Path c : classes) {
            String constants = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
            assertTrue(!constants.contains("org/nd4j") && !constants.contains("org/deeplearning4j"), c.getFileName() + " references ND4J");
        }
    }
}
