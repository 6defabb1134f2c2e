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
import ae4j.train.TrainingLoop;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** The engine name of the Deeplearning4j baseline's rows. */
    static final String DL4J = "dl4j-mln";

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

    public BenchReport run() {
        List<BenchReport.Result> results = new ArrayList<>();
        INDArray images = null;
        GemmComparison.Report gemm = null;
        double peak = Double.NaN;
        if (settings.gemm() && "cpu".equals(BackendInfo.backendName())) {
            progress("GEMM routes and peak");
            gemm = GemmComparison.run(settings.warmup(), settings.steps(), settings.repeats());
            peak = gemm.gemmPeakGflops().measured();
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
                            results.add(BenchReport.Result.skippedBecause(model.id(), engine, batch, "the " + model.id() + " model has " + x.rows() + " samples"));
                            continue;
                        }
                        progress(model.id() + " / " + engine + (engine.equals("native") ? " × " + threads : "") + " / batch " + batch);
                        results.add(measure(model, engine, threads, batch, x, peak));
                    }
                }
            }
            if (settings.dl4j() && model == Recipe.STACKED) {
                for (int batch : settings.batchSizes()) {
                    progress("stacked / " + DL4J + " / batch " + batch);
                    results.add(measureDl4j(batch, x, peak));
                }
            }
        }
        List<BenchReport.Scaling> scaling = settings.threads().size() > 1 && settings.engines().contains("native") && images != null
                ? scaling(images) : null;
        return new BenchReport(FORMAT, machine(), new BenchReport.Steps(settings.warmup(), settings.steps(), settings.repeats()), gemm,
                BenchReport.withSpeedupsOverDl4j(results), scaling, ProcessMemory.peakResidentMib());
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
    private List<BenchReport.Scaling> scaling(INDArray x) {
        List<BenchReport.Scaling> rows = new ArrayList<>();
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
                double median = StepTiming.percentile(seconds[i], 50);
                rows.add(new BenchReport.Scaling(Recipe.STACKED.id(), batch, counts.get(i), median, Arrays.stream(seconds[i]).boxed().toList(),
                        counts.contains(1) ? one / median : null));
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
        Engine engine = new Engine(Engine.Kind.NATIVE, threads, EngineChoice.nd4jKernels(), DataType.FLOAT, 42, 0);
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

    private BenchReport.Result measure(Recipe recipe, String engineName, int threadCount, int batch, INDArray x, double peak) {
        Engine engine = new Engine(EngineChoice.select(engineName).kind(), threadCount, EngineChoice.nd4jKernels(), DataType.FLOAT, 42,
                (long) RuntimeProfile.current().getInt("workspace.initialMb", 8) << 20);
        boolean linear = recipe == Recipe.LINEAR;
        Model model = linear
                ? engine.compile(network(recipe), 3, Loss.MSE, new Optimizer.Sgd(1.5))
                : engine.compile(network(recipe), 784, Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        try (TrainingLoop driver = model.stepLoop(x, x, batch)) {
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
            Nd4jWorkspace ws = engine.kind() != Engine.Kind.ND4J ? null
                    : (Nd4jWorkspace) Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(Engine.WORKSPACE_ID);
            BenchReport.Result.Allocations allocations = new BenchReport.Result.Allocations(model.steps().description(), model.parameterCount(),
                    (double) (model.steps().allocations() - allocationsBefore) / timedSteps, ws == null ? null : ws.getCurrentSize(),
                    ws == null ? null : ws.getLastCycleAllocations(), ws == null ? null : ws.getSpilledSize(), heapPerStep, offHeapGrowth,
                    Pointer.totalBytes());
            boolean nativeEngine = engine.kind() == Engine.Kind.NATIVE;
            BenchReport.Result r = BenchReport.Result.measured(recipe.id(), engine.kind().id(), nativeEngine ? threadCount : null, batch,
                    Flops.perStep(model.layers(), batch), linear ? (int) x.rows() : 55_000, timing, nativeEngine ? peak * threadCount : peak,
                    allocations, ProcessMemory.peakResidentMib());
            model.steps().close();
            return r;
        }
    }

    private BenchReport.Result measureDl4j(int batch, INDArray x, double peak) {
        Dl4jBaseline baseline;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            baseline = new Dl4jBaseline(x, batch, 42, 64);
        }
        StepTiming timing = StepTiming.measure(baseline::step, settings.warmup(), settings.steps(), settings.repeats());
        Sequential stacked = network(Recipe.STACKED);
        stacked.build(784);
        return BenchReport.Result.measured(Recipe.STACKED.id(), DL4J, null, batch, Flops.perStep(stacked.layers(), batch), 55_000, timing, peak,
                BenchReport.Result.Allocations.UNSEEN, ProcessMemory.peakResidentMib());
    }

    /** The keys of BackendInfo that describe the machine. */
    @SuppressWarnings("unchecked")
    private static BenchReport.Machine machine() {
        Map<String, Object> info = BackendInfo.collect(EngineChoice.describeEngines());
        return new BenchReport.Machine((String) info.get("cpu_model"), (Integer) info.get("cpu_cores"), (List<String>) info.get("cpu_features"),
                (List<Map<String, Object>>) info.get("gpus"), (String) info.get("gpu_driver"), (String) info.get("backend"),
                (String) info.get("build"), (String) info.get("nd4j"), (String) info.get("blas_vendor"), (Integer) info.get("blas_threads"),
                (String) info.get("omp_threads"), (String) info.get("engines"), (String) info.get("java"), (String) info.get("os"),
                (String) info.get("profile"));
    }
}
