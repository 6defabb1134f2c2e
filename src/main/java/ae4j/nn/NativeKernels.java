package ae4j.nn;

import static ae4j.nn.KernelChecks.checkUsable;
import static ae4j.nn.KernelChecks.cols;
import static ae4j.nn.KernelChecks.rows;

import ae4j.backend.NativeCpu;
import java.util.IdentityHashMap;
import java.util.List;
import org.bytedeco.javacpp.IntPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The kernels as fused native calls ({@code native/cpu} through {@link NativeCpu}): one call per layer per
 * direction, per loss and per optimizer step, with no ND4J dispatch in between. Only host memory: this is the CPU
 * backend's implementation.
 * <p>
 * Raw pointers are handed to C++, so every array is checked before every call: float32 (or float64 for all of a
 * call's arrays), c-order and contiguous, not closed, and, when it lives in a workspace, inside a scope that is
 * still open; shapes must agree. A violation throws {@link IllegalArgumentException} instead of corrupting memory.
 */
public final class NativeKernels implements Kernels {
    private IntPointer rowIndices = new IntPointer(64);
    /**
     * Addresses by array object: ND4J's addressPointer() costs ~0.5 µs, more than the rest of a small call. An
     * array's address never changes, and its liveness is checked again on every call; the cache is bounded.
     */
    private final IdentityHashMap<INDArray, Long> addresses = new IdentityHashMap<>();

    /** Throws {@link IllegalStateException} with the reason when the native library cannot be loaded here. */
    public NativeKernels() {
        if (!NativeCpu.isLoaded()) {
            throw new IllegalStateException("native kernels unavailable: " + NativeCpu.loadProblem());
        }
    }

    @Override
    public String name() {
        return "native";
    }

    /** The instruction set of the GEMM in use: "avx512", "avx2" or "portable". */
    public static String variant() {
        return NativeCpu.variant();
    }

    @Override
    public void denseForward(INDArray out, INDArray x, INDArray w, boolean transposeW, INDArray b, Activation act) {
        KernelChecks.DenseDims d = KernelChecks.denseForward(out, x, w, transposeW, b);
        DataType t = out.dataType();
        long o = address(out, t, "out");
        long xa = address(x, t, "x");
        long wa = address(w, t, "W");
        long ba = address(b, t, "b");
        if (t == DataType.DOUBLE) {
            NativeCpu.denseForwardF64(o, xa, wa, ba, d.rows(), d.inputs(), d.outputs(), flag(transposeW), NativeCodes.of(act));
        } else {
            NativeCpu.denseForward(o, xa, wa, ba, d.rows(), d.inputs(), d.outputs(), flag(transposeW), NativeCodes.of(act));
        }
    }

    @Override
    public void denseBackward(INDArray dx, INDArray dW, boolean accumulateW, INDArray db, INDArray dOut,
                              INDArray x, INDArray out, INDArray w, boolean transposeW, Activation act) {
        KernelChecks.DenseDims d = KernelChecks.denseBackward(dx, dW, db, dOut, x, out, w, transposeW);
        DataType t = dOut.dataType();
        long dxa = dx == null ? 0 : address(dx, t, "dx");
        long dwa = address(dW, t, "dW");
        long dba = address(db, t, "db");
        long da = address(dOut, t, "dOut");
        long xa = address(x, t, "x");
        long oa = address(out, t, "out");
        long wa = address(w, t, "W");
        if (t == DataType.DOUBLE) {
            NativeCpu.denseBackwardF64(dxa, dwa, dba, da, xa, oa, wa, d.rows(), d.inputs(), d.outputs(), flag(transposeW),
                    NativeCodes.of(act), flag(accumulateW));
        } else {
            NativeCpu.denseBackward(dxa, dwa, dba, da, xa, oa, wa, d.rows(), d.inputs(), d.outputs(), flag(transposeW),
                    NativeCodes.of(act), flag(accumulateW));
        }
    }

    @Override
    public void lossAndGradient(Loss loss, Activation outputActivation, INDArray out, INDArray target, INDArray dOut,
                                List<Metric> metrics, INDArray totals) {
        KernelChecks.loss(out, target, dOut, totals, metrics.size());
        int rows = rows(out);
        int features = cols(out);
        DataType t = out.dataType();
        long oa = address(out, t, "out");
        long ya = address(target, t, "target");
        long da = dOut == null ? 0 : address(dOut, t, "dOut");
        long ta = address(totals, DataType.DOUBLE, "totals");
        int rounded = NativeCodes.slot(metrics, Metric.ROUNDED_ACCURACY);
        int accuracy = NativeCodes.slot(metrics, Metric.ACCURACY);
        if (t == DataType.DOUBLE) {
            NativeCpu.lossF64(NativeCodes.of(loss), NativeCodes.of(outputActivation), oa, ya, da, rows, features, ta, rounded, accuracy);
        } else {
            NativeCpu.loss(NativeCodes.of(loss), NativeCodes.of(outputActivation), oa, ya, da, rows, features, ta, rounded, accuracy);
        }
    }

    @Override
    public void gatherRows(INDArray dst, INDArray src, int[] rows, int from) {
        KernelChecks.gather(dst, src, rows, from);
        int n = rows(dst);
        int width = cols(dst);
        if (rowIndices.capacity() < n) {
            rowIndices.close();
            rowIndices = new IntPointer(n);
        }
        rowIndices.put(rows, from, n);
        DataType t = dst.dataType();
        long da = address(dst, t, "dst");
        long sa = address(src, t, "src");
        if (t == DataType.DOUBLE) {
            NativeCpu.gatherRowsF64(da, sa, rowIndices.address(), n, width);
        } else {
            NativeCpu.gatherRows(da, sa, rowIndices.address(), n, width);
        }
    }

    @Override
    public void sgdStep(INDArray params, INDArray grads, INDArray velocity, double lr, double momentum, boolean nesterov) {
        KernelChecks.optimizer(params, grads, velocity, 1);
        long n = params.length();
        DataType t = params.dataType();
        long p = address(params, t, "params");
        long g = address(grads, t, "grads");
        long v = velocity == null ? 0 : address(velocity, t, "velocity");
        if (t == DataType.DOUBLE) {
            NativeCpu.sgdStepF64(p, g, v, n, lr, momentum, flag(nesterov));
        } else {
            NativeCpu.sgdStep(p, g, v, n, (float) lr, (float) momentum, flag(nesterov));
        }
    }

    @Override
    public void adamStep(INDArray params, INDArray grads, INDArray state, double lr, double beta1, double beta2,
                         double epsilon, long t) {
        Moments b = moments(params, grads, state);
        if (b.f64()) {
            NativeCpu.adamStepF64(b.p(), b.g(), b.m(), b.v(), b.n(), lr, beta1, beta2, epsilon, t);
        } else {
            NativeCpu.adamStep(b.p(), b.g(), b.m(), b.v(), b.n(), lr, beta1, beta2, epsilon, t);
        }
    }

    @Override
    public void nadamStep(INDArray params, INDArray grads, INDArray state, double lr, double beta1, double beta2,
                          double epsilon, long t, double muT, double muNext, double scheduleT) {
        Moments b = moments(params, grads, state);
        if (b.f64()) {
            NativeCpu.nadamStepF64(b.p(), b.g(), b.m(), b.v(), b.n(), lr, beta1, beta2, epsilon, t, muT, muNext, scheduleT);
        } else {
            NativeCpu.nadamStep(b.p(), b.g(), b.m(), b.v(), b.n(), lr, beta1, beta2, epsilon, t, muT, muNext, scheduleT);
        }
    }

    /** Addresses of an Adam-family step's buffers: params and grads [n], state [2n] holding m then v. */
    private record Moments(long n, boolean f64, long p, long g, long m, long v) {
    }

    private Moments moments(INDArray params, INDArray grads, INDArray state) {
        KernelChecks.optimizer(params, grads, state, 2);
        long n = params.length();
        DataType type = params.dataType();
        long p = address(params, type, "params");
        long g = address(grads, type, "grads");
        long m = address(state, type, "state");
        return new Moments(n, type == DataType.DOUBLE, p, g, m, m + n * type.width());
    }

    /**
     * The address of the first element, after checking that the memory may be handed to C++. In ND4J 1.0.0-M2.1
     * {@code addressPointer()} already includes a view's offset (adding {@code offset()} again is wrong).
     */
    private long address(INDArray a, DataType expected, String what) {
        checkUsable(a, expected, what);
        Long cached = addresses.get(a);
        if (cached != null) {
            return cached;
        }
        if (addresses.size() >= 1024) {
            addresses.clear();
        }
        long address = a.data().addressPointer().address();
        addresses.put(a, address);
        return address;
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }
}
