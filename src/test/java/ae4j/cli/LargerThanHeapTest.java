package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.NativeEngineBuilt;
import ae4j.Rng;
import ae4j.data.DataLocator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A .npy file larger than the JVM's heap trains on the native engine and is scored, in a JVM started as the
 * launcher starts it (the CPU profile's options) but with a heap of a third of the file: neither reads it whole.
 */
class LargerThanHeapTest {
    private static final int ROWS = 96 * 1024;
    private static final int COLS = 256;
    private static final String HEAP = "-Xmx32m";

    @TempDir
    Path dir;

    @Test
    void aFileThreeTimesTheHeapTrainsAndIsScored() throws IOException, InterruptedException {
        NativeEngineBuilt.assume();
        Path data = writeNpy(dir.resolve("big.npy"));
        assertTrue(Files.size(data) > 3L * 32 * 1024 * 1024, "the file is larger than three heaps");
        Path out = dir.resolve("run");
        String trained = ae4j("train", "custom", "--data", data.toString(), "--layers", "32,8", "--epochs", "1", "--batch-size", "256",
                "--engine", "native", "--out", out.toString());
        assertTrue(trained.contains("memory-mapped scratch files"), trained);
        assertTrue(Files.isRegularFile(out.resolve("model.zip")), trained);
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".f32")).toList(), "scratch files are deleted");
        }
        Path scores = dir.resolve("scores.csv");
        String scored = ae4j("score", "--model", out.resolve("model.zip").toString(), "--data", data.toString(), "--engine", "native",
                "--out", scores.toString());
        assertTrue(scored.contains("Scored " + String.format("%,d", ROWS) + " rows"), scored);
        try (Stream<String> lines = Files.lines(scores)) {
            assertEquals(ROWS + 1, lines.count());
        }
    }

    /**
     * A CSV whose float32 values are several times the heap is scored: it is streamed a block at a time, each row's
     * line written as it goes. The model is trained in-process on a small CSV of the same columns.
     */
    @Test
    void aCsvSeveralTimesTheHeapIsScoredAsItIsStreamed() throws IOException, InterruptedException {
        int rows = 100_000;
        Path small = writeCsv(dir.resolve("small.csv"), 2_000, 1);
        Path big = writeCsv(dir.resolve("big.csv"), rows, 2);
        assertTrue((long) rows * COLS * Float.BYTES > 3L * 32 * 1024 * 1024, "float32 values of three heaps");
        Path run = dir.resolve("run");
        Cli.run("train", "custom", "--data", small.toString(), "--label-column", "kind", "--layers", "16,4", "--epochs", "1", "--out",
                run.toString()).assertOk();
        Path scores = dir.resolve("scores.csv");
        String scored = ae4j("score", "--model", run.resolve("model.zip").toString(), "--data", big.toString(), "--label-column", "kind",
                "--anomaly-label", "odd", "--out", scores.toString());
        assertTrue(scored.contains("Scored " + String.format("%,d", rows) + " rows"), scored);
        assertTrue(Pattern.compile("Against label kind = odd: ROC AUC [01]\\.\\d{4}, average precision [01]\\.\\d{4}").matcher(scored).find(), scored);
        try (Stream<String> lines = Files.lines(scores)) {
            List<String> some = new ArrayList<>();
            assertEquals(rows + 1, lines.peek(l -> {
                if (some.size() < 2) {
                    some.add(l);
                }
            }).count());
            assertEquals("row,reconstruction_error,anomaly,label", some.get(0));
            assertTrue(some.get(1).startsWith("0,") && some.get(1).endsWith(",odd"), some.get(1));
        }
    }

    /**
     * {@code rows} rows of COLS values of three characters each (tenths in [0, 1], a sine of a random phase), every
     * tenth row noise, and a label column {@code kind}: "odd" for those, else "even".
     */
    private static Path writeCsv(Path file, int rows, long seed) throws IOException {
        Rng rng = new Rng(seed);
        try (java.io.Writer w = new java.io.BufferedWriter(Files.newBufferedWriter(file), 1 << 20)) {
            for (int j = 0; j < COLS; j++) {
                w.write("c" + j + ",");
            }
            w.write("kind\n");
            StringBuilder row = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                row.setLength(0);
                double phase = rng.nextDouble() * 6.28;
                boolean odd = r % 10 == 0;
                for (int j = 0; j < COLS; j++) {
                    double v = odd ? rng.nextDouble() : 0.5 + 0.4 * Math.sin(phase + j * 0.1);
                    long tenths = Math.round(v * 10);
                    row.append(tenths / 10).append('.').append(tenths % 10).append(',');
                }
                w.write(row.append(odd ? "odd" : "even").append('\n').toString());
            }
        }
        return file;
    }

    /**
     * A CSV's values are held on the heap when training reads it (only encode and score stream one): one too large
     * for it ends in one line, not a stack trace.
     */
    @Test
    void aCsvTooLargeForTheHeapEndsInOneLine() throws IOException, InterruptedException {
        Path csv = dir.resolve("big.csv");
        String row = String.join(",", java.util.Collections.nCopies(COLS, "0.5")) + "\n";
        try (java.io.Writer w = Files.newBufferedWriter(csv)) {
            for (int r = 0; r < 40_000; r++) {
                w.write(row);
            }
        }
        Run run = run("train", "custom", "--data", csv.toString(), "--epochs", "1", "--out", dir.resolve("run").toString());
        assertEquals(1, run.code(), run.output());
        assertEquals(1, run.output().lines().count(), run.output());
        assertTrue(run.output().startsWith("ae4j: error: out of Java heap (") && run.output().contains(".npy"), run.output());
    }

    private record Run(int code, String output) {
    }

    /** Runs ae4j in a JVM with the CPU profile's options and a small heap; its output, after asserting it succeeded. */
    private String ae4j(String... args) throws IOException, InterruptedException {
        Run run = run(args);
        assertEquals(0, run.code(), run.output());
        return run.output();
    }

    private Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(profileJvmOptions());
        command.addAll(List.of(HEAP, "-cp", System.getProperty("java.class.path"), "-D" + DataLocator.CONFINED_PROPERTY + "=true",
                "ae4j.cli.Main"));
        command.addAll(Arrays.asList(args));
        Path log = Files.createTempFile(dir, "ae4j", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ae4j finishes");
        return new Run(p.exitValue(), Files.readString(log));
    }

    /** The CPU profile's jvm.options without its heap sizes. */
    private static List<String> profileJvmOptions() throws IOException {
        String line = Files.readAllLines(Path.of("profiles", "cpu.properties")).stream().filter(l -> l.startsWith("jvm.options="))
                .findFirst().orElseThrow();
        return Arrays.stream(line.substring("jvm.options=".length()).trim().split(" +"))
                .filter(o -> !Pattern.matches("-Xm[sx].*", o)).toList();
    }

    /** ROWS × COLS float32 values in [0, 1], written a row at a time. */
    private static Path writeNpy(Path file) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + ROWS + ", " + COLS + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        Rng rng = new Rng(7);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            head.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
            out.write(head.array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            ByteBuffer row = ByteBuffer.allocate(COLS * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < ROWS; r++) {
                row.clear();
                double phase = rng.nextDouble() * 6.28;
                for (int j = 0; j < COLS; j++) {
                    row.putFloat((float) (0.5 + 0.4 * Math.sin(phase + j * 0.1)));
                }
                out.write(row.array());
            }
        }
        return file;
    }
}
