package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command's --help reads cleanly at 80 columns: no line is wider, every description is whole sentences, and
 * picocli broke no word across lines — it may break after '.', '-', '/' or ',' inside one ("train.batchSize",
 * "--resume", "~/.keras"), which the same help with room for every line would show whole.
 */
class UsageHelpTest {
    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        collect(Main.commandLine(), names);
        return names.stream();
    }

    private static void collect(CommandLine command, List<String> names) {
        names.add(command.getCommandSpec().qualifiedName(" "));
        command.getSubcommands().values().forEach(c -> collect(c, names));
    }

    /** The command named by {@code qualified} ("ae4j bench compare") in a fresh command line of the given width. */
    private static CommandLine command(String qualified, int width) {
        CommandLine c = Main.commandLine();
        c.setUsageHelpWidth(width);
        String[] path = qualified.split(" ");
        for (int i = 1; i < path.length; i++) {
            c = c.getSubcommands().get(path[i]);
        }
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void noLineIsWiderThan80Columns(String name) {
        String usage = command(name, Main.USAGE_WIDTH).getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (String line : usage.split("\n")) {
            assertTrue(line.length() <= 80, line.length() + " columns: " + line + "\n" + usage);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void noWordIsBrokenAcrossLines(String name) {
        String narrow = command(name, Main.USAGE_WIDTH).getUsageMessage(CommandLine.Help.Ansi.OFF);
        String wide = command(name, 1000).getUsageMessage(CommandLine.Help.Ansi.OFF);
        List<String> words = List.of(wide.strip().split("\\s+"));
        List<String> wrapped = List.of(narrow.strip().split("\\s+"));
        for (int i = 0; i < Math.min(words.size(), wrapped.size()); i++) {
            assertEquals(words.get(i), wrapped.get(i), "a word broken across lines:\n" + narrow);
        }
        assertEquals(words.size(), wrapped.size(), narrow);
    }

    /**
     * Each description is sentences, one or more to a line (picocli wraps each line): a line ends with '.', or with
     * ':' before a list, one item to a line, whose last item ends the sentence.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void descriptionsAreWholeSentences(String name) {
        CommandSpec spec = command(name, Main.USAGE_WIDTH).getCommandSpec();
        List<String[]> descriptions = new ArrayList<>(List.of(spec.usageMessage().description(), spec.usageMessage().footer()));
        spec.args().forEach(arg -> descriptions.add(arg.description()));
        for (String[] lines : descriptions) {
            boolean inList = false;
            for (String line : lines) {
                line = line.replaceAll("^(%n)+|(%n)+$", ""); // blank lines around a paragraph, as picocli's help command has
                assertFalse(line.contains("%n") || line.contains("\n"), "a line break of its own: " + line);
                assertTrue(line.isEmpty() || inList || line.endsWith(".") || line.endsWith(":"), "not a whole sentence: '" + line + "'");
                inList = line.endsWith(":") || inList && !line.endsWith(".");
            }
            assertFalse(inList, "a list that never ends: " + String.join(" ", lines));
        }
    }
}
