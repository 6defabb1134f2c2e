package ae4j.bench;

import ae4j.AtomicFile;
import ae4j.Rng;
import ae4j.UserInputException;
import ae4j.backend.BackendInfo;
import ae4j.backend.ProcessMemory;
import ae4j.data.DataReader;
import ae4j.data.FloatMatrix;
import ae4j.data.ReadOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ae4j bench csv}: reading a large CSV of floats, ae4j against pandas' {@code read_csv} (C engine) on the same
 * file and machine. The file is generated once per size and seed and kept: a header and {@link #COLUMNS} columns
 * of normal values at magnitudes from 1e-6 to 1e6, half of them float32 and half float64, written as pandas'
 * {@code to_csv} writes them (shortest round-trip digits, Python's layout: 0.00015, 12345678.0, 1.5e-05).
 * <p>
 * Each repetition runs, one after the other so that a noisy machine slows them alike: ae4j in a fresh JVM, as
 * {@code ./ae4j train custom --data} reads it ({@link DataReader#read} with default options, into float32, with
 * this JVM's options: the runtime profile's heap), which is the number that counts; pandas with
 * {@code dtype=np.float32} (the same output, the fair comparison) and with its default float64, each in a fresh
 * {@code python3}; and ae4j again in this JVM, warm. Reads are timed around the call alone, start-up and imports
 * left out; the fresh processes' whole wall time is kept beside. The file is read once before, untimed, so that
 * every reader finds it in the page cache.
 */
public final class CsvBenchmark {
    public static final String FORMAT = "ae4j-bench-csv/1";
    public static final int COLUMNS = 64;
    public static final String AE4J_FRESH = "ae4j-fresh-jvm";
    public static final String AE4J_WARM = "ae4j-warm";
    public static final String PANDAS_FLOAT32 = "pandas-c-float32";
    public static final String PANDAS_FLOAT64 = "pandas-c-float64";

    /** Prints the pandas, numpy and Python versions, or fails where pandas cannot be imported. */
    private static final String PANDAS_VERSIONS = "import sys, numpy, pandas; print(pandas.__version__, numpy.__version__, sys.version.split()[0])";

    /** Reads the file given as argv[1] into float32 or float64 (argv[2]) and prints the seconds of read_csv, its rows and columns. */
    private static final String PANDAS_READ = """
            import sys, time
            import numpy as np, pandas as pd
            path, output = sys.argv[1], sys.argv[2]
            start = time.perf_counter()
            if output == "float32":
                frame = pd.read_csv(path, engine="c", dtype=np.float32)
            else:
                frame = pd.read_csv(path, engine="c")
            seconds = time.perf_counter() - start
            print(repr(seconds), frame.shape[0], frame.shape[1])
            """;

    /**
     * @param sizeMib the file's size in MiB (it ends at the first whole row past it)
     * @param dir     where the file is generated and kept
     */
    public record Settings(int sizeMib, int repeats, Path dir, long seed) {
    }

    private final Settings settings;

    public CsvBenchmark(Settings settings) {
        this.settings = settings;
    }

    public CsvBenchReport run() throws IOException, InterruptedException {
        Path file = settings.dir().resolve(String.format("floats-%dmib-%dcols-seed%d.csv", settings.sizeMib(), COLUMNS, settings.seed()));
        if (!Files.isRegularFile(file)) {
            progress("writing " + file + " (once; later runs reuse it)");
            AtomicFile.write(file, tmp -> generate(tmp, (long) settings.sizeMib() << 20, settings.seed()));
        }
        long bytes = Files.size(file);
        progress("reading it once, untimed: the page cache, and this JVM's warm reads");
        long rows = read(file).rows();
        String pandas = pandasVersions();
        boolean withPandas = pandas.startsWith("pandas ");
        int n = settings.repeats();
        double[] fresh = new double[n];
        double[] freshProcess = new double[n];
        double[] warm = new double[n];
        double[][] pandasSeconds = new double[2][n];
        double[][] pandasProcess = new double[2][n];
        for (int r = 0; r < n; r++) {
            progress("repetition " + (r + 1) + " of " + n);
            Timed timed = freshJvm(file).checked(AE4J_FRESH, rows);
            fresh[r] = timed.seconds();
            freshProcess[r] = timed.processSeconds();
            for (int p = 0; withPandas && p < 2; p++) {
                timed = pandasRead(file, p == 0 ? "float32" : "float64").checked(p == 0 ? PANDAS_FLOAT32 : PANDAS_FLOAT64, rows);
                pandasSeconds[p][r] = timed.seconds();
                pandasProcess[p][r] = timed.processSeconds();
            }
            long start = System.nanoTime();
            FloatMatrix m = read(file);
            warm[r] = new Timed((System.nanoTime() - start) / 1e9, Double.NaN, m.rows(), m.cols()).checked(AE4J_WARM, rows).seconds();
        }
        String java = "DataReader.read, default options, into float32";
        String jvm = String.join(" ", jvmOptions().stream().filter(o -> o.startsWith("-X")).toList());
        List<CsvBenchReport.Read> reads = new ArrayList<>();
        reads.add(CsvBenchReport.Read.measured(AE4J_FRESH, "float32", java + ", a fresh JVM per run (" + jvm + ")", fresh, freshProcess, bytes));
        reads.add(CsvBenchReport.Read.measured(AE4J_WARM, "float32", java + ", in this JVM after an untimed read", warm, null, bytes));
        String[] how = {"pd.read_csv(path, engine=\"c\", dtype=np.float32)", "pd.read_csv(path, engine=\"c\"), float64"};
        for (int p = 0; p < 2; p++) {
            String reader = p == 0 ? PANDAS_FLOAT32 : PANDAS_FLOAT64;
            String output = p == 0 ? "float32" : "float64";
            reads.add(withPandas
                    ? CsvBenchReport.Read.measured(reader, output, how[p] + ", " + pandas + ", a fresh python3 per run", pandasSeconds[p], pandasProcess[p], bytes)
                    : CsvBenchReport.Read.skippedBecause(reader, output, how[p], pandas));
        }
        if (withPandas) {
            double pandas32 = reads.get(2).secondsMedian();
            double pandas64 = reads.get(3).secondsMedian();
            for (int i = 0; i < 2; i++) {
                CsvBenchReport.Read ae4j = reads.get(i);
                reads.set(i, ae4j.withSpeedups(pandas32 / ae4j.secondsMedian(), pandas64 / ae4j.secondsMedian()));
            }
        }
        return new CsvBenchReport(FORMAT, machine(), new CsvBenchReport.Input(file.toString(), bytes, rows, COLUMNS, settings.seed(),
                "normal, magnitudes 1e-6 to 1e6, even columns float32 and odd float64, as pandas' to_csv writes them"), n, reads,
                ProcessMemory.peakResidentMib());
    }

    private static FloatMatrix read(Path file) {
        return DataReader.read(file, ReadOptions.DEFAULTS);
    }

    /** One read: its seconds, those of its whole process (NaN when it ran in this one), and the table's shape. */
    private record Timed(double seconds, double processSeconds, long rows, long cols) {
        /** Every reader must have read the same table: the rows (the header left out) and the columns. */
        Timed checked(String reader, long expectedRows) {
            if (rows != expectedRows || cols != COLUMNS) {
                throw new IllegalStateException(String.format("%s read %d rows of %d columns, where ae4j read %d of %d", reader, rows, cols,
                        expectedRows, COLUMNS));
            }
            return this;
        }
    }

    private static void progress(String what) {
        System.err.println("ae4j bench csv: " + what);
    }

    /**
     * The fresh JVM's side of {@code bench csv}: reads the file named by the argument as {@code train custom
     * --data} does and prints the read's seconds, the rows and the columns; bad input is one line and exit code 2.
     */
    public static void main(String[] args) {
        try {
            long start = System.nanoTime();
            FloatMatrix m = read(Path.of(args[0]));
            System.out.println((System.nanoTime() - start) / 1e9 + " " + m.rows() + " " + m.cols());
        } catch (UserInputException e) {
            System.err.println("ae4j: error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** This JVM's options (the runtime profile's, as the launcher gave them), for the fresh JVMs. */
    private static List<String> jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    private static Timed freshJvm(Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CsvBenchmark.class.getName(), file.toString()));
        return timedProcess(command, "ae4j in a fresh JVM");
    }

    private static Timed pandasRead(Path file, String output) throws IOException, InterruptedException {
        return timedProcess(List.of("python3", "-c", PANDAS_READ, file.toString(), output), "pandas");
    }

    /** Runs a process that prints "seconds rows columns" last, and times it whole. */
    private static Timed timedProcess(List<String> command, String what) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code = process.waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        String[] last = out.isEmpty() ? new String[0] : out.lines().reduce((a, b) -> b).orElseThrow().split(" ");
        if (code != 0 || last.length != 3) {
            throw new IllegalStateException(what + " failed (exit code " + code + ")" + (out.isEmpty() ? "" : ": " + out));
        }
        return new Timed(Double.parseDouble(last[0]), wall, Long.parseLong(last[1]), Long.parseLong(last[2]));
    }

    /** "pandas 3.0.6, numpy 2.4.6, Python 3.11.7", or why pandas cannot run here. */
    private static String pandasVersions() throws InterruptedException {
        try {
            Process process = new ProcessBuilder("python3", "-c", PANDAS_VERSIONS).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String[] versions = out.split(" ");
            if (process.waitFor() != 0 || versions.length != 3) {
                String last = out.lines().reduce((a, b) -> b).orElse("no output");
                return "python3 cannot import pandas and numpy (" + last + ")";
            }
            return "pandas " + versions[0] + ", numpy " + versions[1] + ", Python " + versions[2];
        } catch (IOException e) {
            return "no python3 on the PATH (" + e.getMessage() + ")";
        }
    }

    private static BenchReport.Machine machine() {
        return new BenchReport.Machine(BackendInfo.cpuModel(), Runtime.getRuntime().availableProcessors(), null, null, null, null, null, null,
                null, null, null, null, System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), null);
    }

    /** Writes the benchmark's file: a header, then rows until the file holds at least {@code bytes}. */
    static void generate(Path file, long bytes, long seed) throws IOException {
        Rng rng = new Rng(seed);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < COLUMNS; c++) {
                line.append(c == 0 ? "" : ",").append('c').append(c);
            }
            long written = 0;
            while (written < bytes) {
                line.append('\n');
                out.append(line);
                written += line.length();
                line.setLength(0);
                for (int c = 0; c < COLUMNS; c++) {
                    double value = rng.nextGaussian() * Math.pow(10, c % 13 - 6);
                    line.append(c == 0 ? "" : ",").append(pythonRepr(c % 2 == 0 ? Float.toString((float) value) : Double.toString(value)));
                }
            }
        }
    }

    /**
     * Java's shortest round-trip digits ({@link Float#toString}, {@link Double#toString}) in the layout of Python's
     * repr, which pandas' to_csv writes: positional from 1e-4 up to 1e16 (0.00015, 12345678.0), else scientific
     * with a signed two-digit exponent (1.5e-05, 1e+16).
     */
    static String pythonRepr(String java) {
        boolean negative = java.startsWith("-");
        String s = negative ? java.substring(1) : java;
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        int dot = mantissa.indexOf('.');
        String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        int point = dot + (e < 0 ? 0 : Integer.parseInt(s.substring(e + 1))); // digits before the decimal point
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
        }
        int end = digits.length();
        while (end > lead + 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(lead, end);
        point -= lead;
        String sign = negative ? "-" : "";
        if (digits.equals("0")) {
            return sign + "0.0";
        }
        int exponent = point - 1;
        if (exponent < -4 || exponent >= 16) {
            return sign + digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "")
                    + (exponent < 0 ? "e-" : "e+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        if (point <= 0) {
            return sign + "0." + "0".repeat(-point) + digits;
        }
        if (point >= digits.length()) {
            return sign + digits + "0".repeat(point - digits.length()) + ".0";
        }
        return sign + digits.substring(0, point) + "." + digits.substring(point);
    }
}
