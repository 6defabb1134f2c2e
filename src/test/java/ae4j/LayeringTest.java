package ae4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages' floors, read from the compiled classes (every class a class file names is in its constant pool): a
 * package may use its own floor's classes only within itself, and the floors below it — never one above, so there
 * can be no circle. The README's Layout section and each package-info.java say the same. Two floors also travel
 * where ND4J cannot (the GPU bundle), so they must name no ND4J class.
 */
class LayeringTest {
    /** Bottom to top; packages on one floor do not use each other. */
    static final Map<String, Integer> FLOORS = Map.ofEntries(
            Map.entry("", 0),
            Map.entry("spec", 1), Map.entry("data", 1),
            Map.entry("backend", 2), Map.entry("engine", 2),
            Map.entry("nn", 3),
            Map.entry("train", 4),
            Map.entry("experiments", 5),
            Map.entry("viz", 6), Map.entry("bench", 6),
            Map.entry("cli", 7));
    static final Set<String> ND4J_FREE = Set.of("", "spec", "engine");
    /** A class name as class files write it: ae4j/Rng, ae4j/spec/Plan$LayerPlan, ae4j/nn/cuda/CudaKernels. */
    private static final Pattern CLASS = Pattern.compile("ae4j/(?:([a-z]+)/)?(?:[a-z]+/)*[A-Z]");

    private static Path classesRoot() throws URISyntaxException {
        return Path.of(Rng.class.getResource("Rng.class").toURI()).getParent().getParent();
    }

    /** The top-level package under ae4j of a class file ("" for ae4j itself). */
    private static String packageOf(Path root, Path classFile) {
        Path rel = root.resolve("ae4j").relativize(classFile);
        return rel.getNameCount() == 1 ? "" : rel.getName(0).toString();
    }

    private static List<Path> classFiles() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.walk(classesRoot().resolve("ae4j"))) {
            return files.filter(f -> f.toString().endsWith(".class")).toList();
        }
    }

    @Test
    void importsRunOnlyDownward() throws IOException, URISyntaxException {
        Path root = classesRoot();
        List<Path> classes = classFiles();
        assertTrue(classes.size() > 100, "found the main classes: " + classes.size());
        Set<String> packages = new TreeSet<>();
        List<String> wrong = new ArrayList<>();
        for (Path c : classes) {
            String from = packageOf(root, c);
            packages.add(from);
            Integer floor = FLOORS.get(from);
            if (floor == null) {
                wrong.add("package ae4j." + from + " has no floor in LayeringTest (and the README's Layout)");
                continue;
            }
            Matcher m = CLASS.matcher(new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1));
            Set<String> used = new TreeSet<>();
            while (m.find()) {
                used.add(m.group(1) == null ? "" : m.group(1));
            }
            for (String to : used) {
                Integer target = FLOORS.get(to);
                if (!to.equals(from) && (target == null || target >= floor)) {
                    wrong.add(root.relativize(c) + " (floor " + floor + ") uses ae4j." + to + " (floor " + target + ")");
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(packages.containsAll(Set.of("spec", "engine", "nn", "train", "cli")), packages.toString());
    }

    /** The cuda profile's sources are not compiled in this build: their imports are read instead. */
    @Test
    void theCudaProfilesSourcesImportOnlyDownward() throws IOException {
        Path root = Path.of("src", "cuda", "java");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() >= 3, "found the cuda profile's sources: " + sources);
        Pattern imports = Pattern.compile("^import (?:static )?ae4j\\.(?:([a-z]+)\\.)?[\\w.]*;", Pattern.MULTILINE);
        List<String> wrong = new ArrayList<>();
        for (Path source : sources) {
            String from = root.resolve("ae4j").relativize(source).getName(0).toString();
            Matcher m = imports.matcher(Files.readString(source));
            while (m.find()) {
                String to = m.group(1) == null ? "" : m.group(1);
                if (!to.equals(from) && FLOORS.get(to) >= FLOORS.get(from)) {
                    wrong.add(source + " imports ae4j." + to);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theStepVocabularyAndTheEnginesNeedNoNd4j() throws IOException, URISyntaxException {
        Path root = classesRoot();
        List<String> wrong = new ArrayList<>();
        for (Path c : classFiles()) {
            if (ND4J_FREE.contains(packageOf(root, c))) {
                String constants = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
                if (constants.contains("org/nd4j") || constants.contains("org/deeplearning4j")) {
                    wrong.add(root.relativize(c).toString());
                }
            }
        }
        assertEquals(List.of(), wrong, "these name ND4J classes");
    }
}
