package ae4j.engine;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JavaCPP binding of the native CPU engine ({@code native/cpu}, entry points in {@code native/cpu/ae4j_cpu.h}),
 * built by the JavaCPP Maven plugin with the ordinary build. Memory is passed as raw addresses: the caller
 * ({@link ae4j.engine.NativeCpuEngine}) takes them only from live, c-order, contiguous arrays whose shapes it has
 * checked against the engine's plan. Nothing here touches ND4J.
 */
@Platform(include = "ae4j_cpu.h", compiler = "cpp17")
@Namespace("ae4j")
public final class NativeCpu {
    private static final String PROBLEM = load();

    private NativeCpu() {
    }

    private static String load() {
        try {
            Loader.load();
            return null;
        } catch (Throwable e) { // UnsatisfiedLinkError, or no library built for this platform
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Null when the library is loaded; otherwise why not. */
    public static String loadProblem() {
        return PROBLEM;
    }

    public static boolean isLoaded() {
        return PROBLEM == null;
    }

    @Name("cpu_variant")
    public static native String variant();

    @Name("cpu_best_variant")
    public static native String bestVariant();

    @Name("cpu_limit_variant")
    public static native int limitVariant(int variant);

    /** An engine handle, or 0 when the plan is invalid ({@link #engineError()} says why). */
    @Name("cpu_engine_create")
    public static native long engineCreate(@Cast("const int64_t*") long[] ints, int intCount, @Cast("const double*") double[] reals,
                                           int realCount, int f64, @Cast("void*") long params, @Cast("void*") long grads,
                                           @Cast("void*") long state, int threads);

    @Name("cpu_engine_error")
    public static native String engineError();

    @Name("cpu_engine_destroy")
    public static native void engineDestroy(long engine);

    @Name("cpu_engine_begin_epoch")
    public static native void engineBeginEpoch(long engine, @Cast("const int32_t*") int[] order, int n);

    @Name("cpu_engine_train_step")
    public static native void engineTrainStep(long engine, @Cast("const void*") long x, @Cast("const void*") long y, int start, int rows);

    @Name("cpu_engine_evaluate")
    public static native void engineEvaluate(long engine, @Cast("const void*") long x, @Cast("const void*") long y, int rows, int batch,
                                             double[] sums);

    @Name("cpu_engine_predict")
    public static native void enginePredict(long engine, @Cast("const void*") long x, int rows, int from, int to, @Cast("void*") long out);

    @Name("cpu_engine_loss_and_gradients")
    public static native double engineLossAndGradients(long engine, @Cast("const void*") long x, @Cast("const void*") long y, int rows);

    @Name("cpu_engine_read_totals")
    public static native void engineReadTotals(long engine, double[] sums);

    @Name("cpu_engine_reset_totals")
    public static native void engineResetTotals(long engine);

    @Name("cpu_engine_iteration")
    public static native long engineIteration(long engine);

    @Name("cpu_engine_set_iteration")
    public static native void engineSetIteration(long engine, long t);

    @Name("cpu_engine_learning_rate")
    public static native double engineLearningRate(long engine);

    @Name("cpu_engine_set_learning_rate")
    public static native void engineSetLearningRate(long engine, double lr);

    @Name("cpu_engine_set_noise_seed")
    public static native void engineSetNoiseSeed(long engine, long seed);

    @Name("cpu_engine_threads")
    public static native int engineThreads(long engine);

    @Name("cpu_engine_allocations")
    public static native long engineAllocations(long engine);

    /** How the last training step shared its threads: 0 not at all, 1 by rows of the batch, 2 by units. */
    @Name("cpu_engine_split")
    public static native int engineSplit(long engine);

    /** Makes the host's parameter, gradient and state vectors current: steps split by units keep the output layer's elsewhere. */
    @Name("cpu_engine_copy_state_to_host")
    public static native void engineCopyStateToHost(long engine);

    /** Tells the engine that the host's vectors were changed: what the steps kept elsewhere is stale. */
    @Name("cpu_engine_copy_state_from_host")
    public static native void engineCopyStateFromHost(long engine);

    @Name("sgemm")
    public static native void sgemm(int m, int n, int k, @Cast("const float*") long a, long aRowStride, long aColStride,
                                    @Cast("const float*") long b, long ldb, @Cast("float*") long c, long ldc, int accumulate);
}
