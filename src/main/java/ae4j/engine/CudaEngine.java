package ae4j.engine;

import ae4j.spec.Plan;
import java.lang.ref.Cleaner;

/**
 * The CUDA engine: whole training steps on an NVIDIA GPU of compute capability 7.0 or newer (Hopper and Blackwell
 * included), by ae4j's own engine ({@code native/cuda/engine}: for models of dense layers only its fused step, ae4j's
 * own products with the rest of the step in their epilogues; for the others the kernels of
 * {@code native/cuda/ae4j_kernels.cu} and cuBLAS for the products; each step captured once as a CUDA graph, launched
 * eight at a time), without ND4J's CUDA backend. A step may wait to be launched with the next ones: every other call
 * launches it first. The host side — data loading, model files, figures — stays on ND4J's CPU backend; this class
 * itself touches no ND4J.
 * <p>
 * The parameters, gradients and optimizer state live on the GPU and are copied to the host's vectors by
 * {@link #copyStateToHost()} (the model does after each epoch); data are copied to the GPU once, by
 * {@link #resident}. Float32 only.
 */
public final class CudaEngine implements StepEngine {
    /** What a native plan can hold: ae4j_plan.h's MAX_LAYERS and MAX_TOTALS (loss and metrics); CudaEngineTest reads them. */
    static final int MAX_LAYERS = 32;
    static final int MAX_TOTALS = 8;
    private static final Cleaner CLEANER = Cleaner.create();

    private final Plan plan;
    private final HostArray params;
    private final HostArray grads;
    private final HostArray state;
    private final CudaLibrary.GpuInfo gpu;
    private final Handle handle = new Handle();
    private final Cleaner.Cleanable cleanable;
    private int orderLength;
    private int largestIndex = -1;
    private int rowsDone;

    /** The native engine, destroyed once: by close() or by the cleaner. */
    private static final class Handle implements Runnable {
        long value;

        @Override
        public void run() {
            if (value != 0) {
                CudaNative.destroy(value);
                value = 0;
            }
        }
    }

    private CudaEngine(Plan plan, HostArray params, HostArray grads, HostArray state, CudaLibrary.GpuInfo gpu) {
        this.plan = plan;
        this.params = params;
        this.grads = grads;
        this.state = state;
        this.gpu = gpu;
        handle.value = CudaNative.create(plan.ints(), plan.reals(), params.address(), state.address());
        cleanable = CLEANER.register(this, handle);
    }

    /**
     * An engine for {@code plan}, starting from the host's parameters and optimizer state. Throws
     * {@link IllegalArgumentException} when the arguments cannot make an engine on any machine, and
     * {@link IllegalStateException} saying why when the engine cannot run here (no library, no GPU).
     */
    public static CudaEngine create(Plan plan, HostArray params, HostArray grads, HostArray state) {
        checkArguments(plan, params, grads, state);
        return new CudaEngine(plan, params, grads, state, CudaLibrary.require());
    }

    /**
     * Checked before the library is looked for, so that a caller's mistake is reported as such on a machine without
     * a GPU too; the limits are also ones the native side would refuse, in its own words.
     */
    private static void checkArguments(Plan plan, HostArray params, HostArray grads, HostArray state) {
        if (params.f64() || grads.f64() || state.f64()) {
            throw new IllegalArgumentException("the CUDA engine trains in float32 only");
        }
        if (plan.layers().size() > MAX_LAYERS) {
            throw new IllegalArgumentException("the CUDA engine runs at most " + MAX_LAYERS + " layers, the plan has "
                    + plan.layers().size());
        }
        if (plan.totals() > MAX_TOTALS) {
            throw new IllegalArgumentException("the CUDA engine keeps at most " + (MAX_TOTALS - 1)
                    + " metrics beside the loss, the plan has " + plan.metrics().size());
        }
        if (params.length() != plan.parameterCount()) {
            throw new IllegalArgumentException("the parameter vector has " + params.length() + " elements, the plan has "
                    + plan.parameterCount() + " parameters");
        }
        if (grads.length() != plan.parameterCount()) {
            throw new IllegalArgumentException("the gradient vector has " + grads.length() + " elements, the plan has "
                    + plan.parameterCount() + " parameters");
        }
        if (state.length() < plan.stateLength()) {
            throw new IllegalArgumentException("the optimizer state vector has " + state.length() + " elements, the plan's optimizer needs "
                    + plan.stateLength());
        }
    }

    public CudaLibrary.GpuInfo gpu() {
        return gpu;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        return "CUDA engine on " + gpu.describe() + ", steps as CUDA graphs";
    }

    private long live() {
        if (handle.value == 0) {
            throw new IllegalStateException("the engine is closed");
        }
        return handle.value;
    }

    /** A matrix copied to the GPU. */
    private static final class DeviceData implements Resident {
        private final int rows;
        private final int cols;
        private long matrix;

        DeviceData(HostArray host) {
            this.rows = host.rows();
            this.cols = host.cols();
            this.matrix = CudaNative.upload(host.address(), rows, cols);
        }

        long matrix() {
            if (matrix == 0) {
                throw new IllegalStateException("the data were released");
            }
            return matrix;
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int cols() {
            return cols;
        }

        @Override
        public void close() {
            if (matrix != 0) {
                CudaNative.release(matrix);
                matrix = 0;
            }
        }
    }

    @Override
    public Resident resident(HostArray data) {
        if (data.f64()) {
            throw new IllegalArgumentException("the CUDA engine trains in float32 only");
        }
        return new DeviceData(data);
    }

    private static long device(Resident r) {
        if (r instanceof DeviceData d) {
            return d.matrix();
        }
        throw new IllegalArgumentException("data made resident by another engine");
    }

    private void checkPair(Resident x, Resident y) {
        if (x.cols() != plan.inputSize() || y.cols() != plan.outputSize() || y.rows() != x.rows()) {
            throw new IllegalArgumentException("data must be [n, " + plan.inputSize() + "] and [n, " + plan.outputSize() + "]");
        }
    }

    @Override
    public void beginEpoch(int[] order) {
        int largest = -1;
        for (int i : order) {
            if (i < 0) {
                throw new IllegalArgumentException("negative row index in the order");
            }
            largest = Math.max(largest, i);
        }
        CudaNative.beginEpoch(live(), order);
        orderLength = order.length;
        largestIndex = largest;
        rowsDone = 0;
    }

    /** The position in the order is kept on the GPU too (captured steps advance it); this one checks the bounds. */
    @Override
    public void trainStep(Resident x, Resident y, int rows) {
        checkPair(x, y);
        StepEngine.checkStep(rowsDone, rows, orderLength);
        if (largestIndex >= x.rows()) {
            throw new IllegalArgumentException("the epoch's order names row " + largestIndex + " of " + x.rows());
        }
        CudaNative.trainStep(live(), device(x), device(y), rows);
        rowsDone += rows;
    }

    @Override
    public void readTotals(double[] sums) {
        CudaNative.readTotals(live(), sums);
    }

    @Override
    public void resetTotals() {
        CudaNative.resetTotals(live());
    }

    @Override
    public void evaluate(Resident x, Resident y, int batchSize, double[] sums) {
        checkPair(x, y);
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size " + batchSize);
        }
        CudaNative.evaluate(live(), device(x), device(y), batchSize, sums);
    }

    @Override
    public void predict(Resident x, int fromLayer, int toLayer, HostArray out) {
        if (fromLayer < 0 || fromLayer >= toLayer || toLayer > plan.layers().size()
                || x.cols() != plan.layers().get(fromLayer).inputs()
                || out.rows() != x.rows() || out.cols() != plan.layers().get(toLayer - 1).outputs() || out.f64()) {
            throw new IllegalArgumentException("predict: shapes do not match layers " + fromLayer + ".." + toLayer);
        }
        CudaNative.predict(live(), device(x), fromLayer, toLayer, out.address());
    }

    @Override
    public double lossAndGradients(Resident x, Resident y) {
        checkPair(x, y);
        return CudaNative.lossAndGradients(live(), device(x), device(y));
    }

    @Override
    public long iteration() {
        return CudaNative.iteration(live());
    }

    @Override
    public void setIteration(long t) {
        CudaNative.setIteration(live(), t);
    }

    @Override
    public double learningRate() {
        return CudaNative.learningRate(live());
    }

    /** The rate is read by the captured steps from the GPU's step state: changing it captures nothing again. */
    @Override
    public void setLearningRate(double lr) {
        CudaNative.setLearningRate(live(), lr);
    }

    @Override
    public void setNoiseSeed(long seed) {
        CudaNative.setNoiseSeed(live(), seed);
    }

    @Override
    public void copyStateToHost() {
        CudaNative.copyToHost(live(), params.address(), grads.address(), state.address());
    }

    @Override
    public void copyStateFromHost() {
        CudaNative.copyFromHost(live(), params.address(), state.address());
    }

    @Override
    public void synchronize() {
        CudaNative.synchronize(live());
    }

    /** Plain stream launches instead of CUDA graphs, to time both. */
    public void useGraphs(boolean on) {
        CudaNative.useGraphs(live(), on);
    }

    /** Device allocations ae4j has made in this process (all engines). */
    @Override
    public long allocations() {
        return CudaNative.allocations();
    }

    /** Device memory in use on the GPU (cudaMemGetInfo). */
    public static long deviceMemoryUsed() {
        return CudaNative.memoryUsed();
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
