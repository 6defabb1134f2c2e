package ae4j.bench;

import ae4j.backend.BackendInfo;
import ae4j.backend.ProcessMemory;
import ae4j.backend.RuntimeProfile;
import ae4j.data.FashionMnist;
import ae4j.data.Synthetic3d;
import ae4j.experiments.Recipe;
import ae4j.experiments.StackedAutoencoder;
import ae4j.experiments.TiedAutoencoder;
import ae4j.nn.Dense;
import ae4j.nn.Sequential;
import ae4j.spec.Activation;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import ae4j.train.Engine;
import ae4j.train.EngineChoice;
import ae4j.train.Model;
import ae4j.train.StepDriver;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.abstracts.Nd4jWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ae4j bench}: training steps of the chapter's models on the real data shapes, per model × engine (× threads
 * for the native engine) × batch size, and the Deeplearning4j baseline in the same process. Each configuration
 * warms up, then times its steps in several repetitions (see {@link StepTiming}); it also records which engine ran
 * and on what, and what a step allocates: native allocations by the engine (host or GPU), heap bytes, workspace
 * bytes, off-heap growth, and the process's peak memory.
 */
public final class Benchmark {
    /** The JSON format; 2 names engines and threads where 1 named kernels. */
    public static final String FORMAT = "ae4j-bench/2";

    /** The recipes whose training step is timed: their models have dense layers only. */
    public static final List<Recipe> MODELS = List.of(Recipe.LINEAR, Recipe.STACKED, Recipe.TIED);

    /**
     * @param models  some of {@link #MODELS}
     * @param threads thread counts for the native engine (the other engines run once)
     */
    public record Settings(List<Recipe> models, List<String> engines, List<Integer> threads, List<Integer> batchSizes, int warmup,
                           int steps, int repeats, boolean dl4j, boolean gemm) {
    }

    private final Settings settings;
    private final Supplier<FashionMnist> data;

    public Benchmark(Settings settings, Supplier<FashionMnist> data) {
        this.settings = settings;
        this.data = data;
    }

    public Map<String, Object> run() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("format", FORMAT);
        report.put("machine", machine());
        report.put("settings", Map.of("warmup_steps", settings.warmup(), "timed_steps", settings.steps(), "repeats", settings.repeats()));
        List<Map<String, Object>> results = new ArrayList<>();
        INDArray images = null;
        double peak = Double.NaN;
        if (settings.gemm() && "cpu".equals(BackendInfo.backendName())) {
            progress("GEMM routes and peak");
            Map<String, Object> gemm = GemmComparison.run(settings.warmup(), settings.steps(), settings.repeats());
            report.put("gemm", gemm);
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) gemm.get("gemm_peak_gflops");
            peak = (double) p.get("measured");
        }
        for (Recipe model : settings.models()) {
            INDArray x;
            if (!model.onFashionMnist()) {
                x = Nd4j.createFromArray(Synthetic3d.generate(Synthetic3d.BOOK_SIZE, Synthetic3d.BOOK_SEED)).castTo(DataType.FLOAT);
            } else {
                if (images == null) {
                    images = data.get().train().images();
                }
                x = images;
            }
            for (String engine : settings.engines()) {
                for (int threads : engine.equals("native") ? settings.threads() : List.of(1)) {
                    for (int batch : settings.batchSizes()) {
                        if (batch > x.rows()) {
                            results.add(skipped(model, engine, batch, "the " + model.id() + " model has " + x.rows() + " samples"));
                            continue;
                        }
                        progress(model.id() + " / " + engine + (engine.equals("native") ? " × " + threads : "") + " / batch " + batch);
                        results.add(measure(model, engine, threads, batch, x, peak));
                    }
                }
            }
            if (settings.dl4j() && model == Recipe.STACKED) {
                for (int batch : settings.batchSizes()) {
                    progress("stacked / dl4j-mln / batch " + batch);
                    results.add(measureDl4j(batch, x, peak));
                }
            }
        }
        addSpeedups(results);
        report.put("results", results);
        if (settings.threads().size() > 1 && settings.engines().contains("native") && images != null) {
            report.put("scaling", scaling(images));
        }
        report.put("peak_rss_mib", ProcessMemory.peakResidentMib());
        return report;
    }

    private static void progress(String what) {
        System.err.println("ae4j bench: " + what);
    }

    /**
     * Whole training epochs of the stacked autoencoder (History's seconds) on the native engine with each thread
     * count, one run beside the other: every repetition trains two more epochs of each, in turn, so that a noisy
     * machine slows them alike, and times the second — as a user's consecutive epochs run. (On the 2-vCPU
     * machine, a 2-thread epoch right after its threads sat parked through another engine's took 5% longer in the
     * median, up to 17%, than the next one.) The median epoch and its speed-up over one thread, per batch size.
     */
    private List<Map<String, Object>> scaling(INDArray x) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Integer> counts = settings.threads();
        warmUpFit(x);
        for (int batch : settings.batchSizes()) {
            progress("scaling: stacked, native × " + counts + ", batch " + batch + ", " + settings.repeats() + " timed epochs each, each after an untimed one");
            List<Model> models = new ArrayList<>();
            for (int threads : counts) models.add(nativeStacked(threads));
            double[][] seconds = new double[counts.size()][settings.repeats()];
            for (int r = 0; r < settings.repeats(); r++) {
                for (int i = 0; i < counts.size(); i++) { // two epochs, the second timed
                    seconds[i][r] = models.get(i).fit(x, x, 2 * r + 2, batch, null, null).last().seconds();
                }
            }
            double one = StepTiming.percentile(seconds[counts.indexOf(1) < 0 ? 0 : counts.indexOf(1)], 50);
            for (int i = 0; i < counts.size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("model", Recipe.STACKED.id());
                row.put("batch_size", batch);
                row.put("threads", counts.get(i));
                row.put("epoch_seconds_median", StepTiming.percentile(seconds[i], 50));
                row.put("epoch_seconds", seconds[i].clone());
                row.put("speedup_vs_1_thread", counts.contains(1) ? one / StepTiming.percentile(seconds[i], 50) : null);
                rows.add(row);
            }
            models.forEach(m -> m.steps().close());
        }
        return rows;
    }

    /**
     * Runs fit's loop up to 20,000 times (one thread, batches of one row of x's first 1,000) before any epoch is timed, so
     * that the JIT has compiled its Java code: compiling it meanwhile took a core from the first batch size's
     * two-thread epochs (seen with -XX:+PrintCompilation: the step's wrapper and the callbacks compiled then).
     */
    private static void warmUpFit(INDArray x) {
        Model model = nativeStacked(1);
        INDArray slice = x.get(NDArrayIndex.interval(0, Math.min(1000, x.rows())), NDArrayIndex.all()).dup();
        model.fit(slice, slice, 20, 1, null, null);
        model.steps().close();
    }

    /** The book's stacked autoencoder on the native engine with {@code threads} threads, seed 42, as the scaling table trains it. */
    private static Model nativeStacked(int threads) {
        Engine engine = new Engine(Engine.Kind.NATIVE, threads, EngineChoice.nd4jKernels(), DataType.FLOAT, 42, 0).verbose(false);
        return engine.compile(network(Recipe.STACKED), 784, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
    }

    private static Sequential network(Recipe model) {
        return switch (model) {
            case LINEAR -> Sequential.of(Sequential.of(new Dense(2, Activation.IDENTITY)), Sequential.of(new Dense(3, Activation.IDENTITY)));
            case STACKED -> StackedAutoencoder.build().network();
            case TIED -> TiedAutoencoder.build().network();
            default -> throw new IllegalArgumentException(model.id() + " is not benchmarked");
        };
    }

    private Map<String, Object> measure(Recipe recipe, String engineName, int threadCount, int batch, INDArray x, double peak) {
        Engine engine = new Engine(EngineChoice.select(engineName).kind(), threadCount, EngineChoice.nd4jKernels(), DataType.FLOAT, 42,
                (long) RuntimeProfile.current().getInt("workspace.initialMb", 8) << 20).verbose(false);
        boolean linear = recipe == Recipe.LINEAR;
        Model model = linear
                ? engine.compile(network(recipe), 3, Loss.MSE, new Optimizer.Sgd(1.5))
                : engine.compile(network(recipe), 784, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        try (StepDriver driver = model.stepDriver(x, x, batch)) {
            for (int i = 0; i < settings.warmup(); i++) {
                driver.step();
            }
            driver.finish();
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().getId();
            long heapBefore = threads.getThreadAllocatedBytes(thread);
            long offHeapBefore = Pointer.totalBytes();
            long allocationsBefore = model.steps().allocations();
            boolean asynchronous = engine.kind() == Engine.Kind.CUDA;
            StepTiming timing = StepTiming.measure(driver::step, driver::finish, asynchronous, settings.steps(), settings.repeats());
            long timedSteps = (long) settings.steps() * settings.repeats();
            long heapPerStep = (threads.getThreadAllocatedBytes(thread) - heapBefore) / timedSteps;
            long offHeapGrowth = (Pointer.totalBytes() - offHeapBefore) / timedSteps;

            Map<String, Object> r = entry(recipe.id(), engine.kind().id(), batch, Flops.perStep(model.layers(), batch),
                    linear ? (int) x.rows() : 55_000, timing, engine.kind() == Engine.Kind.NATIVE ? peak * threadCount : peak);
            r.put("threads", engine.kind() == Engine.Kind.NATIVE ? threadCount : null);
            r.put("engine_description", model.steps().description());
            r.put("parameters", model.parameterCount());
            r.put("engine_allocations_per_step", (double) (model.steps().allocations() - allocationsBefore) / timedSteps);
            if (engine.kind() == Engine.Kind.ND4J) {
                Nd4jWorkspace ws = (Nd4jWorkspace) Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(Engine.WORKSPACE_ID);
                r.put("workspace_bytes", ws.getCurrentSize());
                r.put("workspace_bytes_per_step", ws.getLastCycleAllocations());
                r.put("workspace_spilled_bytes", ws.getSpilledSize());
            }
            r.put("heap_bytes_per_step", heapPerStep);
            r.put("offheap_growth_bytes_per_step", offHeapGrowth);
            r.put("offheap_bytes", Pointer.totalBytes());
            r.put("peak_rss_mib", ProcessMemory.peakResidentMib());
            model.steps().close();
            return r;
        }
    }

    private Map<String, Object> measureDl4j(int batch, INDArray x, double peak) {
        Dl4jBaseline baseline;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            baseline = new Dl4jBaseline(x, batch, 42, 64);
        }
        StepTiming timing = StepTiming.measure(baseline::step, settings.warmup(), settings.steps(), settings.repeats());
        Sequential stacked = network(Recipe.STACKED);
        stacked.build(784);
        Map<String, Object> r = entry(Recipe.STACKED.id(), "dl4j-mln", batch, Flops.perStep(stacked.layers(), batch), 55_000, timing, peak);
        r.put("peak_rss_mib", ProcessMemory.peakResidentMib());
        return r;
    }

    private static Map<String, Object> entry(String model, String engine, int batch, long flops, int epochSamples,
                                             StepTiming timing, double peak) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("engine", engine);
        r.put("batch_size", batch);
        r.put("flops_per_step", flops);
        r.putAll(timing.toJson());
        double seconds = timing.medianMs() / 1e3;
        r.put("samples_per_second", batch / seconds);
        r.put("epoch_samples", epochSamples);
        r.put("epoch_seconds", Math.ceil((double) epochSamples / batch) * seconds);
        double gflops = flops / seconds / 1e9;
        r.put("gflops", gflops);
        r.put("percent_of_gemm_peak", Double.isNaN(peak) ? null : 100 * gflops / peak);
        return r;
    }

    private static Map<String, Object> skipped(Recipe model, String engine, int batch, String why) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model.id());
        r.put("engine", engine);
        r.put("batch_size", batch);
        r.put("skipped", why);
        return r;
    }

    /** Each stacked configuration's speed-up over DL4J at the same batch size, measured in this run. */
    private static void addSpeedups(List<Map<String, Object>> results) {
        for (Map<String, Object> r : results) {
            if (!r.containsKey("skipped") && Recipe.STACKED.id().equals(r.get("model")) && !"dl4j-mln".equals(r.get("engine"))) {
                for (Map<String, Object> d : results) {
                    if ("dl4j-mln".equals(d.get("engine")) && d.get("batch_size").equals(r.get("batch_size"))) {
                        r.put("speedup_vs_dl4j", (double) d.get("ms_per_step_median") / (double) r.get("ms_per_step_median"));
                    }
                }
            }
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> info = BackendInfo.collect(EngineChoice.describeEngines());
        Map<String, Object> m = new LinkedHashMap<>();
        for (String key : List.of("cpu_model", "cpu_cores", "cpu_features", "gpus", "gpu_driver", "backend", "build", "nd4j", "blas_vendor",
                "blas_threads", "omp_threads", "engines", "java", "os", "profile")) {
            m.put(key, info.get(key));
        }
        return m;
    }
}
