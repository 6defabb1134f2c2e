package ae4j.nn.cuda;

import static ae4j.nn.KernelChecks.checkUsable;
import static ae4j.nn.KernelChecks.cols;
import static ae4j.nn.KernelChecks.rows;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.cublasSetStream_v2;
import static org.bytedeco.cuda.global.cublas.cublasSgemm_v2;

import ae4j.nn.KernelChecks;
import ae4j.nn.Kernels;
import ae4j.spec.Activation;
import ae4j.spec.Loss;
import ae4j.spec.Metric;
import ae4j.spec.Plan;
import java.util.List;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.jita.allocator.impl.AtomicAllocator;
import org.nd4j.jita.flow.FlowController;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.jcublas.context.CudaContext;

/**
 * The kernels on ND4J's CUDA backend: cuBLAS GEMMs on ND4J's own handle and stream, and the device kernels of
 * {@code native/cuda/ae4j_kernels.cu} ({@link CudaModule}) launched on that same stream with ND4J's device
 * pointers. ND4J's flow controller is told what each call reads and writes (prepareAction / registerAction), so
 * ND4J keeps host and device copies coherent, and nothing here synchronises the CPU with the GPU: the loss totals
 * stay on the device until the trainer reads them. Float32 only.
 */
public final class CudaKernels implements Kernels {
    private static final int BLOCK = 256;
    private static final int MAX_GRID = 65_535;

    private final CudaModule module = CudaModule.get();
    private final FlowController flow = AtomicAllocator.getInstance().getFlowController();
    private final FloatPointer one = new FloatPointer(1f);
    private final FloatPointer zero = new FloatPointer(0f);
    private INDArray deviceRows;
    private int[] uploadedRows;

    @Override
    public String name() {
        return "native";
    }

    @Override
    public void denseForward(INDArray out, INDArray x, INDArray w, boolean transposeW, INDArray b, Activation act) {
        KernelChecks.DenseDims d = KernelChecks.denseForward(out, x, w, transposeW, b);
        int rows = d.rows();
        int outputs = d.outputs();
        checkAll(out, x, w, b);
        CudaContext ctx = flow.prepareAction(out, x, w, b);
        gemm(ctx, rows, outputs, d.inputs(), pointer(x, ctx), false, pointer(w, ctx), transposeW, 0f, pointer(out, ctx));
        long o = address(out, ctx);
        module.launch(ctx, "ae4j_bias_act_forward", grid((long) rows * outputs), BLOCK,
                o, address(b, ctx), rows, outputs, Plan.code(act));
        if (act == Activation.SOFTMAX) {
            module.launch(ctx, "ae4j_softmax_rows", Math.min(rows, MAX_GRID), BLOCK, o, rows, outputs);
        }
        flow.registerAction(ctx, out, x, w, b);
    }

    @Override
    public void denseBackward(INDArray dx, INDArray dW, boolean accumulateW, INDArray db, INDArray dOut,
                              INDArray x, INDArray out, INDArray w, boolean transposeW, Activation act) {
        KernelChecks.DenseDims d = KernelChecks.denseBackward(dx, dW, db, dOut, x, out, w, transposeW);
        int rows = d.rows();
        int inputs = d.inputs();
        int outputs = d.outputs();
        if (dx != null) {
            checkAll(dx);
        }
        checkAll(dW, db, dOut, x, out, w);
        CudaContext ctx = dx == null ? flow.prepareAction(dOut, dW, db, x, out, w) : flow.prepareAction(dOut, dx, dW, db, x, out, w);
        long dz = address(dOut, ctx);
        if (act == Activation.SOFTMAX) {
            module.launch(ctx, "ae4j_softmax_backward_rows", Math.min(rows, MAX_GRID), BLOCK, dz, address(out, ctx), rows, outputs);
        } else if (act != Activation.IDENTITY) {
            module.launch(ctx, "ae4j_act_backward", grid((long) rows * outputs), BLOCK, dz, address(out, ctx), rows, outputs, Plan.code(act));
        }
        module.launch(ctx, "ae4j_bias_grad", Math.min((outputs + 31) / 32, MAX_GRID), BLOCK, address(db, ctx), dz, rows, outputs);
        float beta = accumulateW ? 1f : 0f;
        if (transposeW) {
            gemm(ctx, outputs, inputs, rows, pointer(dOut, ctx), true, pointer(x, ctx), false, beta, pointer(dW, ctx));   // dW[O,I] = dzᵀ·x
            if (dx != null) {
                gemm(ctx, rows, inputs, outputs, pointer(dOut, ctx), false, pointer(w, ctx), false, 0f, pointer(dx, ctx)); // dx = dz·W
            }
        } else {
            gemm(ctx, inputs, outputs, rows, pointer(x, ctx), true, pointer(dOut, ctx), false, beta, pointer(dW, ctx));   // dW[I,O] = xᵀ·dz
            if (dx != null) {
                gemm(ctx, rows, inputs, outputs, pointer(dOut, ctx), false, pointer(w, ctx), true, 0f, pointer(dx, ctx));  // dx = dz·Wᵀ
            }
        }
        flow.registerAction(ctx, dOut, x, out, w);
        flow.registerAction(ctx, dW);
        flow.registerAction(ctx, db);
        if (dx != null) {
            flow.registerAction(ctx, dx);
        }
    }

    @Override
    public void lossAndGradient(Loss loss, Activation outputActivation, INDArray out, INDArray target, INDArray dOut,
                                List<Metric> metrics, INDArray totals) {
        KernelChecks.loss(out, target, dOut, totals, metrics.size());
        int rows = rows(out);
        int features = cols(out);
        checkAll(out, target);
        checkUsable(totals, DataType.DOUBLE, "totals");
        if (dOut != null) {
            checkAll(dOut);
        }
        CudaContext ctx = dOut == null ? flow.prepareAction(out, target, totals) : flow.prepareAction(out, target, dOut, totals);
        module.launch(ctx, "ae4j_loss", Math.min(rows, MAX_GRID), BLOCK, Plan.code(loss), Plan.code(outputActivation),
                address(out, ctx), address(target, ctx), dOut == null ? 0L : address(dOut, ctx), rows, features, address(totals, ctx),
                Plan.slot(metrics, Metric.ROUNDED_ACCURACY), Plan.slot(metrics, Metric.ACCURACY));
        flow.registerAction(ctx, out, target);
        flow.registerAction(ctx, totals);
        if (dOut != null) {
            flow.registerAction(ctx, dOut);
        }
    }

    @Override
    public void gatherRows(INDArray dst, INDArray src, int[] rows, int from) {
        KernelChecks.gather(dst, src, rows, from);
        int n = rows(dst);
        int width = cols(dst);
        checkAll(dst, src);
        if (from == 0 || rows != uploadedRows) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                deviceRows = Nd4j.createFromArray(rows); // once per epoch: the order lives on the device
            }
            uploadedRows = rows;
        }
        CudaContext ctx = flow.prepareAction(dst, src, deviceRows);
        module.launch(ctx, "ae4j_gather_rows", Math.min(n, MAX_GRID), BLOCK, address(dst, ctx), address(src, ctx),
                address(deviceRows, ctx) + 4L * from, n, width);
        flow.registerAction(ctx, dst, src, deviceRows);
    }

    @Override
    public void sgdStep(INDArray params, INDArray grads, INDArray velocity, double lr, double momentum, boolean nesterov) {
        KernelChecks.optimizer(params, grads, velocity, 1);
        long n = params.length();
        checkAll(params, grads);
        if (velocity != null) {
            checkAll(velocity);
        }
        CudaContext ctx = velocity == null ? flow.prepareAction(params, grads) : flow.prepareAction(params, grads, velocity);
        module.launch(ctx, "ae4j_sgd_step", grid(n), BLOCK, address(params, ctx), address(grads, ctx),
                velocity == null ? 0L : address(velocity, ctx), n, (float) lr, (float) momentum, nesterov ? 1 : 0);
        flow.registerAction(ctx, params, grads);
        if (velocity != null) {
            flow.registerAction(ctx, velocity);
        }
    }

    @Override
    public void adamStep(INDArray params, INDArray grads, INDArray state, double lr, double beta1, double beta2,
                         double epsilon, long t) {
        KernelChecks.optimizer(params, grads, state, 2);
        long n = params.length();
        checkAll(params, grads, state);
        float lrT = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        CudaContext ctx = flow.prepareAction(params, grads, state);
        long m = address(state, ctx);
        module.launch(ctx, "ae4j_adam_step", grid(n), BLOCK, address(params, ctx), address(grads, ctx), m, m + 4 * n, n,
                lrT, (float) beta1, (float) beta2, (float) epsilon);
        flow.registerAction(ctx, params, grads);
        flow.registerAction(ctx, state);
    }

    @Override
    public void nadamStep(INDArray params, INDArray grads, INDArray state, double lr, double beta1, double beta2,
                          double epsilon, long t, double muT, double muNext, double scheduleT) {
        KernelChecks.optimizer(params, grads, state, 2);
        long n = params.length();
        checkAll(params, grads, state);
        CudaContext ctx = flow.prepareAction(params, grads, state);
        long m = address(state, ctx);
        module.launch(ctx, "ae4j_nadam_step", grid(n), BLOCK, address(params, ctx), address(grads, ctx), m, m + 4 * n, n,
                (float) lr, (float) beta1, (float) beta2, (float) epsilon, (float) ((1 - muT) / (1 - scheduleT)),
                (float) (muNext / (1 - scheduleT * muNext)), (float) (1 / (1 - Math.pow(beta2, t))));
        flow.registerAction(ctx, params, grads);
        flow.registerAction(ctx, state);
    }

    /**
     * Row-major C[M,N] = op(A)·op(B) (+ beta·C) on ND4J's cuBLAS handle and stream. cuBLAS is column-major, where a
     * row-major matrix reads as its transpose, so the call computes Cᵀ = op(B)ᵀ·op(A)ᵀ with the operands swapped.
     */
    private void gemm(CudaContext ctx, int m, int n, int k, Pointer a, boolean transA, Pointer b, boolean transB, float beta, Pointer c) {
        cublasContext handle = new cublasContext(ctx.getCublasHandle());
        cublasSetStream_v2(handle, new CUstream_st(ctx.getOldStream()));
        int status = cublasSgemm_v2(handle, transB ? CUBLAS_OP_T : CUBLAS_OP_N, transA ? CUBLAS_OP_T : CUBLAS_OP_N, n, m, k, one,
                new FloatPointer(b), transB ? k : n, new FloatPointer(a), transA ? m : k, beta == 0f ? zero : one, new FloatPointer(c), n);
        if (status != 0) {
            throw new IllegalStateException("cuBLAS sgemm failed with status " + status + " (" + m + "×" + n + "×" + k + ")");
        }
    }

    private static Pointer pointer(INDArray a, CudaContext ctx) {
        return AtomicAllocator.getInstance().getPointer(a, ctx);
    }

    private static long address(INDArray a, CudaContext ctx) {
        return pointer(a, ctx).address();
    }

    private static void checkAll(INDArray... arrays) {
        for (INDArray a : arrays) {
            checkUsable(a, DataType.FLOAT, "a CUDA kernel operand");
        }
    }

    private static int grid(long elements) {
        return (int) Math.max(1, Math.min(MAX_GRID, (elements + BLOCK - 1) / BLOCK));
    }
}
