package ae4j.cli;

import ae4j.UserInputException;
import ae4j.backend.BackendBootstrap;
import ae4j.backend.BackendInfo;
import ae4j.backend.RuntimeProfile;
import ae4j.bench.BenchReport;
import ae4j.bench.Benchmark;
import ae4j.bench.CsvBenchReport;
import ae4j.bench.CsvBenchmark;
import ae4j.bench.GemmComparison;
import ae4j.bench.StepTiming;
import ae4j.engine.CudaLibrary;
import ae4j.experiments.Recipe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ae4j bench}: time training steps per model, engine, threads and batch size, beside a DL4J baseline. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.Compare.class, BenchCommand.Csv.class},
        description = {"Time training steps per model, engine (and threads) and batch size, beside Deeplearning4j.",
                "Runs the chapter's models on the real data shapes, and Deeplearning4j's MultiLayerNetwork running the same stacked "
                        + "autoencoder in the same process.",
                "Prints a table (median and 95th-percentile step time, spread of the repetitions, samples/s, seconds per "
                        + "55,000-image epoch, GFLOP/s against the measured one-core GEMM peak times the engine's threads, speed-up "
                        + "over DL4J, allocations and memory per step) and, with several --threads, how the native engine scales."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--models", split = ",", paramLabel = "M", defaultValue = "linear,stacked,tied",
            description = "Models, comma-separated: linear, stacked and tied. Default: all three.")
    List<String> models;

    @Option(names = "--engines", split = ",", paramLabel = "E",
            description = "Engines, comma-separated: nd4j, native (on the CPU backend) and cuda. Default: nd4j and native, and cuda where the "
                    + "CUDA engine runs.")
    List<String> engines;

    @Option(names = "--threads", split = ",", paramLabel = "N",
            description = "Thread counts for the native engine (a scaling table compares them). Default: bench.threads in the profile (1).")
    List<Integer> threads;

    @Option(names = "--batch-sizes", split = ",", paramLabel = "N", description = "Batch sizes. Default: bench.batchSizes in the profile (32,256).")
    List<Integer> batchSizes;

    @Option(names = "--steps", paramLabel = "N", description = "Timed steps per repetition. Default: bench.steps in the profile.")
    Integer steps;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed warm-up steps. Default: bench.warmupSteps in the profile.")
    Integer warmup;

    @Option(names = "--repeats", paramLabel = "N", description = "Repetitions. Default: bench.repeats in the profile.")
    Integer repeats;

    @Option(names = "--no-dl4j", description = "Skip the Deeplearning4j baseline.")
    boolean noDl4j;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results, with the machine's description, as JSON.")
    Path json;

    @Option(names = "--backends", split = ",", paramLabel = "B",
            description = "Run each backend's build (cpu, cuda) in its own process and print them side by side; a backend that cannot run here is reported as unavailable, with the reason.")
    List<String> backends;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        List<Recipe> recipes = new ArrayList<>();
        for (String m : models) {
            recipes.add(Recipe.byId(m).filter(Benchmark.MODELS::contains).orElseThrow(() -> new UserInputException("--models: unknown model '" + m
                    + "' (" + String.join(", ", Benchmark.MODELS.stream().map(Recipe::id).toList()) + ")")));
        }
        if (engines == null) {
            engines = new ArrayList<>(List.of("nd4j", "native"));
            if (CudaLibrary.available()) {
                engines.add("cuda");
            }
        }
        for (String e : engines) {
            if (!List.of("nd4j", "native", "cuda").contains(e)) {
                throw new UserInputException("--engines: unknown engine '" + e + "' (nd4j, native, cuda)");
            }
        }
        RuntimeProfile profile = RuntimeProfile.current();
        List<Integer> threadCounts = threads != null ? threads
                : Arrays.stream(profile.get("bench.threads", "1").split(",")).map(String::trim).map(Integer::valueOf).toList();
        for (int t : threadCounts) {
            Flags.between("--threads", t, 1, 64);
        }
        List<Integer> batches = batchSizes != null ? batchSizes
                : Arrays.stream(profile.get("bench.batchSizes", "32,256").split(",")).map(String::trim).map(Integer::valueOf).toList();
        int timed = Flags.positive("--steps", steps != null ? steps : profile.getInt("bench.steps", 400));
        int warm = Flags.atLeast("--warmup", warmup != null ? warmup : profile.getInt("bench.warmupSteps", 100), 0);
        int reps = Flags.positive("--repeats", repeats != null ? repeats : profile.getInt("bench.repeats", 5));
        for (int b : batches) {
            Flags.positive("--batch-sizes", b);
        }
        if (json != null) {
            OutputFolder.requireWritableFile(json, "--json");
        }
        for (String backend : backends != null ? backends : List.<String>of()) {
            if (!List.of("cpu", "cuda").contains(backend)) {
                throw new UserInputException("--backends: unknown backend '" + backend + "' (cpu, cuda)");
            }
        }
        if (backends != null) {
            return acrossBackends();
        }
        profile.applyToNd4j();
        if (!"cpu".equals(BackendInfo.backendName())) {
            engines = engines.stream().filter(k -> !k.equals("native")).toList();
        }
        Benchmark bench = new Benchmark(new Benchmark.Settings(recipes, engines, threadCounts, batches, warm, timed, reps, !noDl4j, true),
                data::load);
        BenchReport report = bench.run();
        printTable(report);
        if (json != null) {
            Json.write(report, json);
            System.out.println("Wrote " + json);
        }
        return Main.EXIT_OK;
    }

    static void printTable(BenchReport report) {
        BenchReport.Machine machine = report.machine();
        System.out.printf("%n%s, %s cores, %s backend (%s build), ND4J %s, BLAS %s with %s thread(s), OMP threads %s%n",
                machine.cpuModel(), machine.cpuCores(), machine.backend(), machine.build(), machine.nd4j(), machine.blasVendor(),
                machine.blasThreads(), machine.ompThreads());
        GemmComparison.Report gemm = report.gemm();
        if (gemm != null) {
            GemmComparison.Peak peak = gemm.gemmPeakGflops();
            System.out.printf("GEMM peak (1024³): %.1f GFLOP/s (OpenBLAS %.1f%s)%n", peak.measured(), peak.openblas(),
                    peak.ae4j() == null ? "" : String.format(", ae4j's kernel %.1f", peak.ae4j()));
            System.out.printf("The %s products of a stacked step (batch 32, %.1f MFLOP):", gemm.productsPerStep(), gemm.flopsPerStep() / 1e6);
            Map<String, StepTiming> routes = new LinkedHashMap<>();
            routes.put("nd4j_gemm", gemm.nd4jGemm());
            routes.put("openblas_cblas", gemm.openblasCblas());
            routes.put("ae4j_kernel", gemm.ae4jKernel());
            routes.forEach((route, t) -> {
                if (t != null) {
                    System.out.printf("  %s %.0f µs", route, 1e3 * t.msPerStepMedian());
                }
            });
            System.out.println();
        }
        List<BenchReport.Result> results = report.results();
        results.stream().map(BenchReport.Result::engineDescription).filter(d -> d != null).distinct()
                .forEach(d -> System.out.println("Engine: " + d));
        System.out.printf("%n%-8s %-9s %3s %5s %24s %11s %9s %8s %6s %8s %11s %10s %11s%n", "model", "engine", "thr", "batch",
                "ms/step med (p95) [reps]", "samples/s", "s/epoch", "GFLOP/s", "%peak", "×DL4J", "allocs/step", "ws B/step", "heap B/step");
        for (BenchReport.Result r : results) {
            if (r.skipped() != null) {
                System.out.printf("%-8s %-9s %3s %5s   skipped: %s%n", r.model(), r.engine(), "", r.batchSize(), r.skipped());
                continue;
            }
            String timing = String.format("%.3f (%.3f) [%.3f–%.3f]", r.msPerStepMedian(), r.msPerStepP95(), r.msPerStepRepetitionMin(),
                    r.msPerStepRepetitionMax());
            System.out.printf("%-8s %-9s %3s %5s %24s %,11.0f %9.3f %8.1f %6s %8s %11s %10s %11s%n", r.model(), r.engine(),
                    r.threads() == null ? "-" : r.threads(), r.batchSize(), timing, r.samplesPerSecond(), r.epochSeconds(), r.gflops(),
                    r.percentOfGemmPeak() == null ? "-" : String.format("%.0f%%", r.percentOfGemmPeak()),
                    r.speedupVsDl4j() == null ? "-" : String.format("%.1f×", r.speedupVsDl4j()),
                    r.engineAllocationsPerStep() == null ? "-" : String.format("%.3f", r.engineAllocationsPerStep()),
                    r.workspaceBytesPerStep() == null ? "-" : String.valueOf(r.workspaceBytesPerStep()),
                    r.heapBytesPerStep() == null ? "-" : String.valueOf(r.heapBytesPerStep()));
        }
        printScaling(report.scaling());
        System.out.printf("Peak resident memory: %s MiB%n", report.peakRssMib());
    }

    /** Whole epochs of the native engine per thread count, measured one run beside the other, against one thread. */
    static void printScaling(List<BenchReport.Scaling> rows) {
        if (rows == null) {
            return;
        }
        System.out.printf("%nNative engine, whole 55,000-image epochs of the stacked autoencoder, thread counts in turn (median s/epoch)%n");
        System.out.printf("%5s %7s %10s %9s %11s%n", "batch", "threads", "s/epoch", "speed-up", "efficiency");
        for (BenchReport.Scaling r : rows) {
            Double speedup = r.speedupVs1Thread();
            System.out.printf("%5s %7d %10.3f %9s %11s%n", r.batchSize(), r.threads(), r.epochSecondsMedian(),
                    speedup == null ? "-" : String.format("%.2f×", speedup),
                    speedup == null ? "-" : String.format("%.0f%%", 100 * speedup / r.threads()));
        }
    }

    /** One child process per backend, through the launcher; a backend that cannot run is reported, not fatal. */
    private int acrossBackends() throws IOException, InterruptedException {
        String home = System.getProperty("ae4j.home");
        if (home == null) {
            throw new UserInputException("--backends runs each backend's build through the ./ae4j launcher; start ae4j with it");
        }
        Map<String, BenchReport> reports = new LinkedHashMap<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (String backend : backends) {
            if (backend.equals("cuda") && BackendInfo.nvidiaDriver() == null) {
                unavailable.put(backend, "no NVIDIA driver on this machine (/proc/driver/nvidia/version is absent)");
                continue;
            }
            Path out = Files.createTempFile("ae4j-bench-" + backend, ".json");
            List<String> command = new ArrayList<>(List.of(Path.of(home, "ae4j").toString(), "--backend", backend, "bench", "--json", out.toString(),
                    "--models", String.join(",", models), "--engines", String.join(",", engines.stream().filter(e -> !e.equals("cuda")).toList())));
            for (String[] option : new String[][]{{"--steps", str(steps)}, {"--warmup", str(warmup)}, {"--repeats", str(repeats)}}) {
                if (option[1] != null) {
                    command.addAll(List.of(option));
                }
            }
            if (batchSizes != null) {
                command.addAll(List.of("--batch-sizes", batchSizes.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow()));
            }
            if (noDl4j) {
                command.add("--no-dl4j");
            }
            if (data.dir != null) {
                command.addAll(List.of("--data", data.dir.toString()));
            }
            System.err.println("ae4j bench: running the " + backend + " backend in its own process");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put(BackendBootstrap.REQUIRE_GPU_ENV, "1");
            Path err = Files.createTempFile("ae4j-bench-" + backend, ".err");
            pb.redirectError(err.toFile());
            int code = pb.start().waitFor();
            if (code == 0) {
                reports.put(backend, readReport(out));
            } else {
                List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("ae4j: error")).toList();
                unavailable.put(backend, lines.isEmpty() ? "exited with code " + code + " (see " + err + ")" : lines.get(lines.size() - 1).replace("ae4j: error: ", ""));
            }
            Files.deleteIfExists(out);
        }
        SideBySide.print(reports, unavailable);
        if (json != null) {
            Json.write(new AcrossBackends(AcrossBackends.FORMAT, reports, unavailable), json);
            System.out.println("Wrote " + json);
        }
        return Main.EXIT_OK;
    }

    /** {@code bench --backends --json}: each backend's report, or why it could not run. */
    record AcrossBackends(String format, Map<String, BenchReport> reports, Map<String, String> unavailable) {
        static final String FORMAT = "ae4j-bench-backends/1";
    }

    private static String str(Integer v) {
        return v == null ? null : String.valueOf(v);
    }

    /** {@code ae4j bench compare A.json B.json}: two recorded runs (other machines, other backends) side by side. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Print two benchmark JSON files (from ae4j bench --json) side by side, with the speed ratio of each configuration.")
    static final class Compare implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "A.json", description = "A file written by ae4j bench --json.")
        Path first;

        @Parameters(index = "1", paramLabel = "B.json", description = "Another, to set beside it.")
        Path second;

        @Override
        public Integer call() {
            Map<String, BenchReport> reports = new LinkedHashMap<>();
            reports.put(first.getFileName().toString(), readReport(first));
            reports.put(second.getFileName().toString().equals(first.getFileName().toString()) ? second.toString() : second.getFileName().toString(),
                    readReport(second));
            SideBySide.print(reports, Map.of());
            return Main.EXIT_OK;
        }
    }

    /** {@code ae4j bench csv}: reading a large CSV of floats, ae4j against pandas' read_csv on the same file. */
    @Command(name = "csv", mixinStandardHelpOptions = true,
            description = {"Time reading a large CSV of floats: ae4j (a fresh JVM per run, as train custom --data reads it, and warm) against "
                    + "pandas' read_csv with its C engine, into float32 and float64.",
                    "Generates the file once (a header and 64 columns of float32 and float64 values as pandas' to_csv writes them) and "
                            + "keeps it; pandas is skipped, with the reason, where python3 cannot import it.",
                    "Prints the median, range and MiB/s of each reader and ae4j's speed against pandas."})
    static final class Csv implements Callable<Integer> {
        @Option(names = "--size-mb", paramLabel = "MIB", defaultValue = "1024", description = "The file's size in MiB. Default: 1024.")
        int sizeMib;

        @Option(names = "--repeats", paramLabel = "N", defaultValue = "5", description = "Timed reads of each reader, taken in turn. Default: 5.")
        int repeats;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Where the file is generated and kept for later runs. Default: ae4j-bench in the system's temporary folder.")
        Path dir;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "The seed of the file's values. Default: 42.")
        long seed;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the results, with the machine's description, as JSON.")
        Path json;

        @Override
        public Integer call() throws Exception {
            Flags.between("--size-mb", sizeMib, 1, 1 << 16);
            Flags.positive("--repeats", repeats);
            Path folder = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "ae4j-bench");
            OutputFolder.requireWritable(folder, "--dir");
            if (json != null) {
                OutputFolder.requireWritableFile(json, "--json");
            }
            CsvBenchReport report = new CsvBenchmark(new CsvBenchmark.Settings(sizeMib, repeats, folder, seed)).run();
            printCsvTable(report);
            if (json != null) {
                Json.write(report, json);
                System.out.println("Wrote " + json);
            }
            return Main.EXIT_OK;
        }
    }

    static void printCsvTable(CsvBenchReport report) {
        CsvBenchReport.Input file = report.file();
        System.out.printf("%n%s: %,.1f MiB, %,d rows of %d columns%n", file.path(), file.bytes() / (double) (1 << 20), file.rows(), file.columns());
        System.out.printf("%s, %d cores, Java %s; each reader timed %d times, the readers in turn%n", report.machine().cpuModel(), report.machine().cpuCores(),
                report.machine().java(), report.repeats());
        System.out.printf("%n%-17s %-7s %22s %7s %10s %14s%n", "reader", "output", "s median (min-max)", "MiB/s", "process s", "× pandas 32/64");
        for (CsvBenchReport.Read r : report.reads()) {
            if (r.skipped() != null) {
                System.out.printf("%-17s %-7s skipped: %s%n", r.reader(), r.output(), r.skipped());
                continue;
            }
            System.out.printf("%-17s %-7s %22s %7.0f %10s %14s%n", r.reader(), r.output(),
                    String.format("%.2f (%.2f-%.2f)", r.secondsMedian(), r.secondsMin(), r.secondsMax()), r.mibPerSecond(),
                    r.processSecondsMedian() == null ? "-" : String.format("%.2f", r.processSecondsMedian()),
                    r.speedupVsPandasFloat32() == null ? "-" : String.format("%.2f× / %.2f×", r.speedupVsPandasFloat32(), r.speedupVsPandasFloat64()));
        }
        for (CsvBenchReport.Read r : report.reads()) {
            System.out.println("  " + r.reader() + ": " + r.how());
        }
        System.out.println("× pandas: pandas' median over this reader's (above 1: faster); float32 is the fair comparison, the same output.");
    }

    /**
     * A report of {@code ae4j bench --json}, checked for every field {@link SideBySide} reads before anything is
     * printed (a file of another shape is one usage error naming the field), then read into a {@link BenchReport}.
     */
    @SuppressWarnings("unchecked")
    static BenchReport readReport(Path file) {
        Map<String, Object> report = Json.read(file, Map.class, "an ae4j bench JSON file");
        String what = file + ": not an ae4j bench JSON file (";
        if (!Benchmark.FORMAT.equals(report.get("format"))) {
            throw new UserInputException(what + "format " + report.get("format") + ")");
        }
        if (!(report.get("machine") instanceof Map<?, ?> machine) || !(machine.get("cpu_model") instanceof String)
                || !(machine.get("backend") instanceof String) || !(machine.get("cpu_cores") instanceof Number)) {
            throw new UserInputException(what + "\"machine\" must be an object with cpu_model, cpu_cores and backend)");
        }
        if (!(report.get("results") instanceof List<?> results)) {
            throw new UserInputException(what + "\"results\" must be a list)");
        }
        for (int i = 0; i < results.size(); i++) {
            String where = what + "results[" + i + "]: ";
            if (!(results.get(i) instanceof Map<?, ?> r)) {
                throw new UserInputException(where + "not an object)");
            }
            if (r.containsKey("skipped")) {
                continue;
            }
            for (String key : List.of("model", "engine")) {
                if (!(r.get(key) instanceof String)) {
                    throw new UserInputException(where + "\"" + key + "\" is missing or not a string)");
                }
            }
            if (!(r.get("batch_size") instanceof Integer)) {
                throw new UserInputException(where + "\"batch_size\" is missing or not a whole number)");
            }
            if (!(r.get("ms_per_step_median") instanceof Number ms) || !(ms.doubleValue() > 0)) {
                throw new UserInputException(where + "\"ms_per_step_median\" is missing or not a positive number)");
            }
        }
        try {
            return Json.MAPPER.convertValue(report, BenchReport.class);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(what + Json.firstLine(e.getMessage()) + ")");
        }
    }
}
