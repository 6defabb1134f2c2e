package ae4j.backend;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JavaCPP binding of the native CPU kernels ({@code native/cpu}, declared in
 * {@code native/include/ae4j_kernels.h}), built by the JavaCPP Maven plugin with the ordinary build. Pointers are
 * passed as raw addresses: callers ({@code ae4j.nn.NativeKernels}) take them only from live, c-order, contiguous
 * arrays whose shapes they have checked. Methods ending in {@code F64} are the float64 versions (gradient checks).
 */
@Platform(include = "ae4j_cpu.h")
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

    @Name("dense_forward")
    public static native void denseForward(@Cast("float*") long out, @Cast("const float*") long x, @Cast("const float*") long w,
                                           @Cast("const float*") long b, int rows, int inputs, int outputs, int transposeW, int act);

    @Name("dense_forward")
    public static native void denseForwardF64(@Cast("double*") long out, @Cast("const double*") long x, @Cast("const double*") long w,
                                              @Cast("const double*") long b, int rows, int inputs, int outputs, int transposeW, int act);

    @Name("dense_backward")
    public static native void denseBackward(@Cast("float*") long dx, @Cast("float*") long dw, @Cast("float*") long db,
                                            @Cast("float*") long dout, @Cast("const float*") long x, @Cast("const float*") long out,
                                            @Cast("const float*") long w, int rows, int inputs, int outputs, int transposeW, int act,
                                            int accumulateW);

    @Name("dense_backward")
    public static native void denseBackwardF64(@Cast("double*") long dx, @Cast("double*") long dw, @Cast("double*") long db,
                                               @Cast("double*") long dout, @Cast("const double*") long x, @Cast("const double*") long out,
                                               @Cast("const double*") long w, int rows, int inputs, int outputs, int transposeW, int act,
                                               int accumulateW);

    @Name("loss_forward_backward")
    public static native void loss(int loss, int outAct, @Cast("float*") long out, @Cast("const float*") long y, @Cast("float*") long dout,
                                   int rows, int features, @Cast("double*") long totals, int roundedSlot, int accuracySlot);

    @Name("loss_forward_backward")
    public static native void lossF64(int loss, int outAct, @Cast("double*") long out, @Cast("const double*") long y, @Cast("double*") long dout,
                                      int rows, int features, @Cast("double*") long totals, int roundedSlot, int accuracySlot);

    @Name("gather_rows")
    public static native void gatherRows(@Cast("float*") long dst, @Cast("const float*") long src, @Cast("const int32_t*") long rows,
                                         int n, int width);

    @Name("gather_rows")
    public static native void gatherRowsF64(@Cast("double*") long dst, @Cast("const double*") long src, @Cast("const int32_t*") long rows,
                                            int n, int width);

    @Name("sgd_step")
    public static native void sgdStep(@Cast("float*") long p, @Cast("const float*") long g, @Cast("float*") long v, long count,
                                      float lr, float momentum, int nesterov);

    @Name("sgd_step")
    public static native void sgdStepF64(@Cast("double*") long p, @Cast("const double*") long g, @Cast("double*") long v, long count,
                                         double lr, double momentum, int nesterov);

    @Name("adam_step")
    public static native void adamStep(@Cast("float*") long p, @Cast("const float*") long g, @Cast("float*") long m, @Cast("float*") long v,
                                       long count, double lr, double beta1, double beta2, double eps, long t);

    @Name("adam_step")
    public static native void adamStepF64(@Cast("double*") long p, @Cast("const double*") long g, @Cast("double*") long m, @Cast("double*") long v,
                                          long count, double lr, double beta1, double beta2, double eps, long t);

    @Name("nadam_step")
    public static native void nadamStep(@Cast("float*") long p, @Cast("const float*") long g, @Cast("float*") long m, @Cast("float*") long v,
                                        long count, double lr, double beta1, double beta2, double eps, long t, double muT, double muNext,
                                        double scheduleT);

    @Name("nadam_step")
    public static native void nadamStepF64(@Cast("double*") long p, @Cast("const double*") long g, @Cast("double*") long m, @Cast("double*") long v,
                                           long count, double lr, double beta1, double beta2, double eps, long t, double muT, double muNext,
                                           double scheduleT);

    @Name("sgemm")
    public static native void sgemm(int m, int n, int k, @Cast("const float*") long a, long aRowStride, long aColStride,
                                    @Cast("const float*") long b, long ldb, @Cast("float*") long c, long ldc, int accumulate);
}
