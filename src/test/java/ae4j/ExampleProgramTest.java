package ae4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java program is examples/java's Main, word for word; compiled here against ae4j and run on the worked
 * example's rows, it trains, encodes, scores, saves and loads, and the loaded model scores as the trained one did.
 */
class ExampleProgramTest {
    private static final Path PROGRAM = Path.of("examples", "java", "src", "main", "java", "example", "Main.java");

    @TempDir
    Path dir;

    @Test
    void theReadmeShowsTheExampleProgram() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("```java\n" + Files.readString(PROGRAM) + "```\n"), "README.md shows " + PROGRAM + " as it is");
    }

    @Test
    void theProgramCompilesAndRuns() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK runs the tests");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int code = javac.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), PROGRAM.toString());
        assertEquals(0, code, "javac compiles " + PROGRAM);
        String out;
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("example.Main").getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[]{Path.of("examples", "breast-cancer", "train.csv").toString(), dir.resolve("model.zip").toString()});
        } finally {
            System.setOut(original);
        }
        out = captured.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("engine (\\w+), loss ([0-9.]+), 250 rows of 4 codings, row 0's error ([0-9.]+), reloaded ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(List.of("native", "nd4j").contains(m.group(1)), out);
        assertTrue(Double.parseDouble(m.group(2)) < 0.5, "200 epochs learn the benign rows: " + out);
        assertEquals(m.group(3), m.group(4), "the loaded model scores as the trained one: " + out);
        assertTrue(Files.isRegularFile(dir.resolve("model.zip")));
    }
}
