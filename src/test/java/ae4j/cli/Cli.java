package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.data.DataLocator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the command line in this JVM and captures what it prints. Confined by default (see {@link DataLocator}): a
 * command finds only the data it is given, or the embedded sample, never the machine's dataset or the network.
 */
final class Cli {
    private Cli() {
    }

    record Result(int code, String out, String err) {
        /** The rules for bad input: exit code 2 and exactly one line on stderr, "ae4j: error: ...", no stack trace. */
        Result assertUsageError(String... fragments) {
            String what = "stdout: " + out + "\nstderr: " + err;
            assertEquals(2, code, what);
            assertEquals(1, err.lines().count(), "one line on stderr: " + what);
            assertTrue(err.startsWith("ae4j: error: "), what);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace or exception name: " + what);
            for (String f : fragments) {
                assertTrue(err.contains(f), "'" + f + "' in " + err);
            }
            return this;
        }

        Result assertOk() {
            assertEquals(0, code, "stdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    static Result run(String... args) {
        String before = System.setProperty(DataLocator.CONFINED_PROPERTY, "true");
        try {
            return capture(args);
        } finally {
            if (before == null) {
                System.clearProperty(DataLocator.CONFINED_PROPERTY);
            } else {
                System.setProperty(DataLocator.CONFINED_PROPERTY, before);
            }
        }
    }

    private static Result capture(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
