package ae4j.bench;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import ae4j.engine.NativeCpu;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the time of a step goes: the eleven matrix products of one stacked-autoencoder step (batch 32) through
 * three routes, each timed alone: ND4J's {@code Nd4j.gemm} (OpenBLAS behind ND4J's op dispatch), OpenBLAS's
 * {@code cblas_sgemm} called directly (the same OpenBLAS, no dispatch), and ae4j's own kernel. Also the machine's
 * single-precision GEMM peak: the best of OpenBLAS on a 1024³ product and ae4j's kernel on a cache-resident
 * 128×480×384 one (its blocking is made for small operands).
 * Runs on the CPU backend only.
 */
public final class GemmComparison {
    private static final int[] DIMS = {784, 100, 30, 100, 784};
    private static final int B = 32;

    private GemmComparison() {
    }

    private record Product(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c) {
    }

    /**
     * The step's products timed through each route (ae4j's kernel, and which variant of it, where the native
     * engine is built), and the peak.
     */
    public record Report(int productsPerStep, long flopsPerStep, StepTiming nd4jGemm, StepTiming openblasCblas, StepTiming ae4jKernel,
                         String ae4jKernelVariant, Peak gemmPeakGflops) {
    }

    /** GFLOP/s: OpenBLAS's, ae4j's kernel's (where built), and the better of the two. */
    public record Peak(double openblas, Double ae4j, double measured) {
    }

    /** The 11 products of a step: 4 forward, 4 dW = aᵀ·dz, 3 dx = dz·Wᵀ. */
    private static Product[] stepProducts() {
        Product[] p = new Product[11];
        int k = 0;
        INDArray in = Nd4j.rand(DataType.FLOAT, B, DIMS[0]);
        INDArray[] acts = new INDArray[4];
        INDArray[] w = new INDArray[4];
        for (int l = 0; l < 4; l++) {
            w[l] = Nd4j.rand(DataType.FLOAT, DIMS[l], DIMS[l + 1]);
            acts[l] = Nd4j.rand(DataType.FLOAT, B, DIMS[l + 1]);
            p[k++] = new Product(l == 0 ? in : acts[l - 1], false, w[l], false, Nd4j.create(DataType.FLOAT, B, DIMS[l + 1]));
        }
        for (int l = 3; l >= 0; l--) {
            INDArray dz = Nd4j.rand(DataType.FLOAT, B, DIMS[l + 1]);
            p[k++] = new Product(l == 0 ? in : acts[l - 1], true, dz, false, Nd4j.create(DataType.FLOAT, DIMS[l], DIMS[l + 1]));
            if (l > 0) {
                p[k++] = new Product(dz, false, w[l], true, Nd4j.create(DataType.FLOAT, B, DIMS[l]));
            }
        }
        return p;
    }

    public static Report run(int warmup, int steps, int repeats) {
        Product[] products = stepProducts();
        StepTiming nd4j = StepTiming.measure(() -> {
            for (Product p : products) {
                Nd4j.gemm(p.a, p.b, p.c, p.transA, p.transB, 1.0, 0.0);
            }
        }, warmup, steps, repeats);
        FloatPointer[][] pointers = new FloatPointer[products.length][];
        for (int i = 0; i < products.length; i++) {
            pointers[i] = new FloatPointer[]{pointer(products[i].a), pointer(products[i].b), pointer(products[i].c)};
        }
        StepTiming openblas = StepTiming.measure(() -> {
            for (int i = 0; i < products.length; i++) {
                cblas(products[i], pointers[i]);
            }
        }, warmup, steps, repeats);
        StepTiming ae4j = null;
        if (NativeCpu.isLoaded()) {
            // dx = dz·Wᵀ runs as (W·dzᵀ)ᵀ in ae4j's kernels; here dzᵀ is given, so only the product is timed.
            INDArray[] transposed = new INDArray[products.length];
            for (int i = 0; i < products.length; i++) {
                transposed[i] = products[i].transB ? products[i].a.transpose().dup('c') : null;
            }
            ae4j = StepTiming.measure(() -> {
                for (int i = 0; i < products.length; i++) {
                    ae4j(products[i], transposed[i]);
                }
            }, warmup, steps, repeats);
        }
        return new Report(products.length, flops(products), nd4j, openblas, ae4j, NativeCpu.isLoaded() ? NativeCpu.variant() : null, peak());
    }

    private static long flops(Product[] products) {
        long f = 0;
        for (Product p : products) {
            f += 2L * p.c.rows() * p.c.columns() * (p.transA ? p.a.rows() : p.a.columns());
        }
        return f;
    }

    private static FloatPointer pointer(INDArray a) {
        return new FloatPointer(a.data().addressPointer());
    }

    private static void cblas(Product p, FloatPointer[] ptr) {
        int m = (int) p.c.rows();
        int n = (int) p.c.columns();
        int k = (int) (p.transA ? p.a.rows() : p.a.columns());
        openblas_nolapack.cblas_sgemm(CblasRowMajor, p.transA ? CblasTrans : CblasNoTrans, p.transB ? CblasTrans : CblasNoTrans,
                m, n, k, 1f, ptr[0], (int) p.a.columns(), ptr[1], (int) p.b.columns(), 0f, ptr[2], n);
    }

    private static void ae4j(Product p, INDArray dzTransposed) {
        long a = p.a.data().addressPointer().address();
        long b = p.b.data().addressPointer().address();
        long c = p.c.data().addressPointer().address();
        int m = (int) p.c.rows();
        int n = (int) p.c.columns();
        if (p.transB) { // c[B,I] = dz[B,O]·W[I,O]ᵀ  ⇔  cᵀ[I,B] = W[I,O]·dzᵀ[O,B]
            NativeCpu.sgemm(n, m, (int) p.b.columns(), b, p.b.columns(), 1, dzTransposed.data().addressPointer().address(), m, c, m, 0);
        } else if (p.transA) {
            NativeCpu.sgemm(m, n, (int) p.a.rows(), a, 1, p.a.columns(), b, n, c, n, 0);
        } else {
            NativeCpu.sgemm(m, n, (int) p.a.columns(), a, p.a.columns(), 1, b, n, c, n, 0);
        }
    }

    /** GFLOP/s, best of several runs: OpenBLAS on 1024³, ae4j's kernel on 128×480×384. */
    private static Peak peak() {
        int n = 1024;
        FloatPointer pa = pointer(Nd4j.rand(DataType.FLOAT, n, n));
        FloatPointer pb = pointer(Nd4j.rand(DataType.FLOAT, n, n));
        FloatPointer pc = pointer(Nd4j.create(DataType.FLOAT, n, n));
        double openblas = 2.0 * n * n * n / best(() -> openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                n, n, n, 1f, pa, n, pb, n, 0f, pc, n)) / 1e9;
        if (!NativeCpu.isLoaded()) {
            return new Peak(openblas, null, openblas);
        }
        int m = 128;
        int cols = 480;
        int k = 384;
        long aa = pa.address();
        long ba = pb.address();
        long ca = pc.address();
        double ae4j = 2.0 * m * cols * k / best(() -> NativeCpu.sgemm(m, cols, k, aa, k, 1, ba, cols, ca, cols, 0)) / 1e9;
        return new Peak(openblas, ae4j, Math.max(openblas, ae4j));
    }

    private static double best(Runnable r) {
        r.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 21; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }
}
