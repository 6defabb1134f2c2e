package ae4j.bench;

import ae4j.Rng;
import ae4j.data.DataFile;
import ae4j.data.DatasetSource;
import ae4j.data.EpochOrder;
import ae4j.data.Idx;
import ae4j.engine.CudaEngine;
import ae4j.engine.CudaLibrary;
import ae4j.engine.HostArray;
import ae4j.engine.NativeCpuEngine;
import ae4j.engine.OffHeapArray;
import ae4j.engine.Resident;
import ae4j.engine.StepEngine;
import ae4j.experiments.Recipe;
import ae4j.spec.Activation;
import ae4j.spec.ActivityRegularizer;
import ae4j.spec.Init;
import ae4j.spec.LearningRateSchedule;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Optimizer;
import ae4j.train.Callback;
import ae4j.train.EpochLog;
import ae4j.train.TrainingLoop;
import ae4j.spec.Plan;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The check the GPU bundle runs ({@code native/cuda/device/run.sh}) where ND4J cannot travel: from ae4j's own
 * engines alone (this class loads no ND4J), it trains the book's stacked and tied autoencoders for whole
 * 55,000-image epochs at each batch size, and the chapter's later models at their batch size ({@link #models}) — on the CUDA engine with plain stream launches and as CUDA graphs, and
 * on the native CPU engine with the machine's cores — every run from the same initial weights and the same batch
 * order; times them; checks that the GPU and CPU engines agree (validation loss within 1e-3 relative) and that GPU
 * steps after the first epoch allocate nothing; and writes the initial weights and the order for the PyTorch
 * reference ({@code pytorch_reference.py}) with its results, {@code ae4j-results.json}.
 * <p>
 * Without a usable GPU it runs the CPU half, says in one line why the GPU half was skipped, and succeeds.
 * Exit codes: 0 checks passed (or skipped), 1 a check failed, 2 bad arguments or data; {@code --probe} only says
 * whether the CUDA engine runs here (0) or why not (3).
 */
public final class DeviceCheck {
    static final double AGREEMENT = 1e-3;
    /**
     * The variational autoencoder in float is sensitive to the order of a GEMM's sums (RMSprop and the sampled
     * latent): on one CPU, ae4j's native and ND4J engines (which agree within 1e-9 in double) end 3 epochs of it
     * 0.6% apart in validation loss, 1.0% after 2 — so GPU and CPU are held to 2% there.
     */
    static final double VARIATIONAL_AGREEMENT = 2e-2;

    /** One trained run: which engine, how fast, where it ended. */
    record Run(String model, String engine, int batch, double usPerStep, double secondsPerEpoch, double loss, double valLoss,
               double valRoundedAccuracy, long deviceAllocationsAfterFirstEpoch, long heapBytesPerStep) {
        String json() {
            return String.format(Locale.ROOT, "{\"model\": \"%s\", \"engine\": \"%s\", \"batch\": %d, \"us_per_step\": %.3f, "
                            + "\"seconds_per_epoch\": %.5f, \"loss\": %.6f, \"val_loss\": %.6f, \"val_rounded_accuracy\": %.6f, "
                            + "\"device_allocations_after_first_epoch\": %d, \"heap_bytes_per_step\": %d}",
                    model, engine, batch, usPerStep, secondsPerEpoch, loss, valLoss, valRoundedAccuracy,
                    deviceAllocationsAfterFirstEpoch, heapBytesPerStep);
        }
    }

    private final Path out;
    private final int epochs;
    private final List<Integer> batches;
    private final int threads;
    private final long seed;
    private final List<String> failures = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();

    DeviceCheck(Path out, int epochs, List<Integer> batches, int threads, long seed) {
        this.out = out;
        this.epochs = epochs;
        this.batches = batches;
        this.threads = threads;
        this.seed = seed;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        Path data = null;
        Path out = Path.of("device-check");
        int epochs = 3;
        List<Integer> batches = List.of(32, 256);
        int threads = Runtime.getRuntime().availableProcessors();
        boolean gpu = true;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data" -> data = Path.of(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                    case "--batch-sizes" -> batches = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                    case "--threads" -> threads = Integer.parseInt(args[++i]);
                    case "--no-gpu" -> gpu = false;
                    case "--probe" -> {
                        String problem = gpuProblem();
                        System.out.println(problem == null ? "GPU: " + CudaLibrary.require().describe() : "no GPU: " + problem);
                        return problem == null ? 0 : 3;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (epochs < 1 || threads < 1 || batches.stream().anyMatch(b -> b < 1)) {
                throw new IllegalArgumentException("--epochs, --threads and --batch-sizes must be positive");
            }
        } catch (RuntimeException e) {
            System.err.println("device-check: error: " + e.getMessage()
                    + "; usage: [--data DIR] [--out DIR] [--epochs N] [--batch-sizes 32,256] [--threads N] [--no-gpu] | --probe");
            return 2;
        }
        DeviceCheck check = new DeviceCheck(out, epochs, batches, threads, 42);
        try {
            return check.execute(data == null ? DatasetSource.embeddedSample() : new DatasetSource(DatasetSource.Origin.DATA_FLAG, data), gpu);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("device-check: error: " + e.getMessage());
            return 2;
        }
    }

    /** One model the check trains: its plan, the batch sizes it runs at, and how close GPU and CPU must end. */
    record Model(String name, Plan plan, List<Integer> batches, double agreement) {
    }

    /**
     * The book's stacked and tied autoencoders at every batch size, and once each, at the book's batch size, the
     * chapter's later models: dropout denoising, KL sparsity and the variational autoencoder, whose noise the GPU
     * and CPU engines draw alike from the same seed; and a model as train custom builds one (ELU, tied, Adam with
     * exponential decay), whose pieces the recipes do not use.
     */
    static List<Model> models(List<Integer> batches) {
        Plan stacked = Plan.sequential(784).dense(100, Activation.SELU).dense(30, Activation.SELU).dense(100, Activation.SELU)
                .dense(784, Activation.SIGMOID).build(Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        Plan tied = Plan.sequential(784).dense(100, Activation.SELU).dense(30, Activation.SELU).denseTransposeOf(1, Activation.SELU)
                .denseTransposeOf(0, Activation.SIGMOID).build(Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.5), Metric.ROUNDED_ACCURACY);
        Plan dropout = Plan.sequential(784).dropout(0.5).dense(100, Activation.SELU).dense(30, Activation.SELU).dense(100, Activation.SELU)
                .dense(784, Activation.SIGMOID).build(Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0), Metric.ROUNDED_ACCURACY);
        Plan sparse = Plan.sequential(784).dense(100, Activation.SELU)
                .dense(300, Activation.SIGMOID, Init.GLOROT_UNIFORM, new ActivityRegularizer.KlDivergence(0.05, 0.1))
                .dense(100, Activation.SELU).dense(784, Activation.SIGMOID)
                .build(Loss.BINARY_CROSSENTROPY, new Optimizer.Sgd(1.0), Metric.ROUNDED_ACCURACY);
        Plan variational = Plan.sequential(784).dense(150, Activation.SELU).dense(100, Activation.SELU)
                .dense(2 * 10, Activation.IDENTITY, Init.GLOROT_UNIFORM_TWO_HEADS, ActivityRegularizer.NONE).sampling(1.0 / 784)
                .dense(100, Activation.SELU).dense(150, Activation.SELU).dense(784, Activation.SIGMOID)
                .build(Loss.BINARY_CROSSENTROPY, new Optimizer.Rmsprop(0.001, 0.9, 1e-7), Metric.ROUNDED_ACCURACY);
        Plan custom = Plan.sequential(784).dense(256, Activation.ELU).dense(32, Activation.ELU).denseTransposeOf(1, Activation.ELU)
                .denseTransposeOf(0, Activation.SIGMOID).build(Loss.BINARY_CROSSENTROPY,
                        new Optimizer.Adam(1e-3).withSchedule(new LearningRateSchedule.ExponentialDecay(0.9, 500, false)), Metric.ROUNDED_ACCURACY);
        return List.of(new Model(Recipe.STACKED.id(), stacked, batches, AGREEMENT), new Model(Recipe.TIED.id(), tied, batches, AGREEMENT),
                new Model("custom", custom, List.of(64), AGREEMENT),
                new Model(Recipe.DENOISING_DROPOUT.id(), dropout, List.of(32), AGREEMENT),
                new Model(Recipe.SPARSE_KL.id(), sparse, List.of(32), AGREEMENT),
                new Model(Recipe.VARIATIONAL.id(), variational, List.of(128), VARIATIONAL_AGREEMENT));
    }

    int execute(DatasetSource source, boolean gpuWanted) throws IOException {
        Files.createDirectories(out);
        Idx.Images images;
        try (InputStream in = source.open(DataFile.TRAIN_IMAGES)) {
            images = Idx.readImages(in, source.name(DataFile.TRAIN_IMAGES));
        }
        int total = images.count();
        int validation = total / 12; // the book's split: the last 5,000 of 60,000
        try (OffHeapArray pixels = OffHeapArray.floats(total, 784)) {
            float[] row = new float[784];
            byte[] bytes = images.pixels();
            for (int r = 0; r < total; r++) {
                for (int j = 0; j < 784; j++) {
                    row[j] = (bytes[r * 784 + j] & 0xFF) / 255f;
                }
                pixels.put((long) r * 784, row);
            }
            HostArray train = pixels.rows(0, total - validation);
            HostArray valid = pixels.rows(total - validation, total);
            writeOrders(orders(train.rows()));
            String gpu = gpuWanted ? gpuProblem() : "--no-gpu";
            System.out.printf("device-check: %,d training and %,d validation images (%s), %d epochs per run, batch sizes %s, CPU engine on %d threads%n",
                    train.rows(), valid.rows(), source.describe(), epochs, batches, threads);
            if (gpu == null) {
                System.out.println("device-check: GPU: " + CudaLibrary.require().describe());
            } else {
                System.out.println("device-check: GPU half skipped: " + gpu);
            }
            for (Model model : models(batches)) {
                double[] initial = model.plan().initialParameters(new Rng(seed));
                writeFloats(out.resolve("init-" + model.name() + ".bin"), initial);
                for (int batch : model.batches()) {
                    Run cpu = train(model, "cpu x" + threads, initial, train, valid, batch);
                    if (gpu == null) {
                        try {
                            Run stream = train(model, "cuda stream", initial, train, valid, batch);
                            Run graph = train(model, "cuda graph", initial, train, valid, batch);
                            agree(graph, cpu, model.agreement());
                            agree(stream, graph, 1e-6);
                            if (graph.deviceAllocationsAfterFirstEpoch() != 0) {
                                failures.add(graph.model() + " batch " + graph.batch() + ": " + graph.deviceAllocationsAfterFirstEpoch()
                                        + " GPU allocations after the first epoch");
                            }
                        } catch (RuntimeException e) { // one failing run must not hide the others' results
                            failures.add(model.name() + " batch " + batch + " on the GPU: " + e);
                            System.out.println("device-check: " + model.name() + " batch " + batch + " on the GPU failed: " + e);
                        }
                    }
                }
            }
        }
        writeResults();
        printTable();
        failures.forEach(f -> System.out.println("device-check: FAILED: " + f));
        System.out.println(failures.isEmpty() ? "device-check: all checks passed" : "device-check: " + failures.size() + " check(s) failed");
        return failures.isEmpty() ? 0 : 1;
    }

    /** Null when the CUDA engine can run here, otherwise why not. */
    private static String gpuProblem() {
        try {
            CudaLibrary.require();
            return null;
        } catch (IllegalStateException | UnsatisfiedLinkError e) {
            return e.getMessage();
        }
    }

    /** The batch order every run follows (each run draws it afresh from the same seed); the PyTorch reference reads it. */
    private EpochOrder order(int rows) {
        return new EpochOrder(rows, new Rng(seed + 1));
    }

    private int[][] orders(int rows) {
        EpochOrder order = order(rows);
        int[][] all = new int[epochs][];
        for (int e = 0; e < epochs; e++) {
            all[e] = order.next().clone();
        }
        return all;
    }

    private Run train(Model model, String engineName, double[] initial, HostArray train, HostArray valid, int batch) {
        Plan plan = model.plan();
        try (OffHeapArray params = OffHeapArray.floats(1, (int) plan.parameterCount());
             OffHeapArray grads = OffHeapArray.floats(1, (int) plan.parameterCount());
             OffHeapArray state = OffHeapArray.floats(1, (int) Math.max(1, plan.stateLength()))) {
            float[] p = new float[initial.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) initial[i];
            }
            params.put(0, p);
            boolean cuda = engineName.startsWith("cuda");
            try (StepEngine engine = cuda ? CudaEngine.create(plan, params, grads, state) : new NativeCpuEngine(plan, params, grads, state, threads);
                 Resident x = engine.resident(train);
                 Resident v = engine.resident(valid)) {
                if (engine instanceof CudaEngine c) {
                    c.useGraphs(engineName.endsWith("graph"));
                }
                engine.setNoiseSeed(seed + 2);
                EpochTimings timings = new EpochTimings();
                try (TrainingLoop loop = new TrainingLoop(engine, plan, null, x, x, v, v, batch, order(train.rows()), List.of(timings), null)) {
                    loop.run(1, epochs);
                }
                EpochLog last = timings.logs.get(epochs - 1);
                double median = timings.medianSeconds();
                int steps = EpochOrder.batchCount(train.rows(), batch);
                Run run = new Run(model.name(), engineName, batch, median * 1e6 / steps, median, last.loss(), last.valLoss(),
                        last.valMetrics().get(Metric.ROUNDED_ACCURACY.id), timings.allocationsAfterFirst, timings.heapBytesPerStep / steps);
                System.out.printf(Locale.ROOT, "device-check: %-17s %-12s batch %3d: %8.1f us/step, %.4f s/epoch, loss %.4f, val_loss %.4f%n",
                        model.name(), engineName, batch, run.usPerStep(), run.secondsPerEpoch(), run.loss(), run.valLoss());
                runs.add(run);
                return run;
            }
        }
    }

    /**
     * What the check takes of each epoch the loop runs: its log (the training pass's seconds, as History keeps them),
     * the engine's device allocations and this thread's heap allocations from the second epoch on.
     */
    private static final class EpochTimings implements Callback {
        private static final ThreadMXBean HEAP = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        final List<EpochLog> logs = new ArrayList<>();
        long allocationsAfterFirst;
        long heapBytesPerStep;
        private long allocationsAtStart;
        private long heapAtStart;

        @Override
        public void onEpochBegin(TrainingLoop loop, int epoch) {
            allocationsAtStart = loop.steps().allocations();
            heapAtStart = HEAP.getThreadAllocatedBytes(Thread.currentThread().getId());
        }

        @Override
        public void onEpochEnd(TrainingLoop loop, EpochLog log) {
            if (log.epoch() > 1) {
                allocationsAfterFirst += loop.steps().allocations() - allocationsAtStart;
                heapBytesPerStep = HEAP.getThreadAllocatedBytes(Thread.currentThread().getId()) - heapAtStart;
            }
            logs.add(log);
        }

        double medianSeconds() {
            double[] seconds = logs.stream().mapToDouble(EpochLog::seconds).sorted().toArray();
            return seconds[seconds.length / 2];
        }
    }

    private void agree(Run a, Run b, double tolerance) {
        double relative = Math.abs(a.valLoss() - b.valLoss()) / Math.abs(b.valLoss());
        if (!(relative <= tolerance)) {
            failures.add(String.format(Locale.ROOT, "%s batch %d: %s val_loss %.6f vs %s %.6f (%.2e relative, limit %.0e)", a.model(), a.batch(),
                    a.engine(), a.valLoss(), b.engine(), b.valLoss(), relative, tolerance));
        }
    }

    private void writeOrders(int[][] orders) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * orders.length * orders[0].length).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] order : orders) {
            for (int i : order) {
                buffer.putInt(i);
            }
        }
        Files.write(out.resolve("orders.bin"), buffer.array());
    }

    private static void writeFloats(Path file, double[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            buffer.putFloat((float) v);
        }
        Files.write(file, buffer.array());
    }

    private void writeResults() throws IOException {
        StringBuilder json = new StringBuilder("{\n  \"epochs\": " + epochs + ",\n  \"threads\": " + threads + ",\n  \"runs\": [\n");
        for (int i = 0; i < runs.size(); i++) {
            json.append("    ").append(runs.get(i).json()).append(i + 1 < runs.size() ? ",\n" : "\n");
        }
        json.append("  ],\n  \"failures\": [");
        for (int i = 0; i < failures.size(); i++) {
            json.append(i > 0 ? ", " : "").append('"').append(failures.get(i).replace("\"", "'")).append('"');
        }
        json.append("]\n}\n");
        Files.writeString(out.resolve("ae4j-results.json"), json);
    }

    private void printTable() {
        System.out.printf("%n%-17s %-13s %5s %12s %12s %10s %10s%n", "model", "engine", "batch", "us/step", "s/epoch", "loss", "val_loss");
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "%-17s %-13s %5d %12.1f %12.4f %10.4f %10.4f%n", r.model(), r.engine(), r.batch(), r.usPerStep(),
                    r.secondsPerEpoch(), r.loss(), r.valLoss());
        }
    }
}
