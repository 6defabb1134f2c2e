/*
 * gpu.cuh — the host side of the validation kit: error checks, device buffers, the launch configuration of the
 * kernels of ae4j_kernels.cu, the row-major GEMM (cuBLAS, or a fallback kernel when the kit is built without cuBLAS)
 * and the dense layer forward/backward composed from them, as the Java CUDA backend composes it.
 * Include after ../ae4j_kernels.cu (single translation unit: validate.cu).
 */
#pragma once
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#if defined(AE4J_HAVE_CUBLAS)
#include <cublas_v2.h>
#endif

#define CUDA_CHECK(call)                                                                                  \
    do {                                                                                                  \
        cudaError_t err_ = (call);                                                                        \
        if (err_ != cudaSuccess) {                                                                        \
            std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(err_)); \
            std::exit(1);                                                                                 \
        }                                                                                                 \
    } while (0)

#if defined(AE4J_HAVE_CUBLAS)
#define CUBLAS_CHECK(call)                                                                                 \
    do {                                                                                                   \
        cublasStatus_t st_ = (call);                                                                       \
        if (st_ != CUBLAS_STATUS_SUCCESS) {                                                                \
            std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, cublasGetStatusString(st_)); \
            std::exit(1);                                                                                  \
        }                                                                                                  \
    } while (0)
#endif

namespace kit {

/* A device array of n T; copies to and from host vectors. */
template <typename T>
class DeviceArray {
  public:
    explicit DeviceArray(size_t n) : n_(n) { CUDA_CHECK(cudaMalloc(&p_, (n ? n : 1) * sizeof(T))); }
    explicit DeviceArray(const std::vector<T>& host) : DeviceArray(host.size()) { upload(host); }
    ~DeviceArray() { cudaFree(p_); }
    DeviceArray(const DeviceArray&) = delete;
    DeviceArray& operator=(const DeviceArray&) = delete;

    T* get() const { return p_; }
    size_t size() const { return n_; }
    void upload(const std::vector<T>& host) {
        CUDA_CHECK(cudaMemcpy(p_, host.data(), n_ * sizeof(T), cudaMemcpyHostToDevice));
    }
    std::vector<T> download() const {
        std::vector<T> host(n_);
        CUDA_CHECK(cudaMemcpy(host.data(), p_, n_ * sizeof(T), cudaMemcpyDeviceToHost));
        return host;
    }

  private:
    T* p_ = nullptr;
    size_t n_;
};

/* Blocks and grids of the kernels, as documented above each kernel. max_grid > 0 caps every grid, which makes the
 * grid-stride loops do several passes (the checks run with tiny grids too). */
struct Launch {
    cudaStream_t stream = 0;
    int block = 256;
    int max_grid = 0;

    int grid(long long natural) const {
        long long g = natural < 1 ? 1 : natural;
        if (max_grid > 0 && g > max_grid) g = max_grid;
        return (int) (g < 0x7fffffffLL ? g : 0x7fffffffLL);
    }
    int elementwise(long long n) const { return grid((n + block - 1) / block); }
    int per_row(int rows) const { return grid(rows); }
    int column_tiles(int cols) const { return grid((cols + 31) / 32); }
};

#if !defined(AE4J_HAVE_CUBLAS)
constexpr int FALLBACK_TILE = 16;

/* C[M,N] (+)= op(A)·op(B), row-major; op(A) [M,K] is A[K,M]ᵀ when ta, op(B) [K,N] is B[N,K]ᵀ when tb.
 * One output per thread, 16×16 tiles staged in shared memory. Block 16×16, grid (⌈N/16⌉, ⌈M/16⌉). */
__global__ void fallback_sgemm(int ta, int tb, int M, int N, int K, const float* A, const float* B, float* C,
                               int accumulate) {
    __shared__ float a_tile[FALLBACK_TILE][FALLBACK_TILE + 1];
    __shared__ float b_tile[FALLBACK_TILE][FALLBACK_TILE + 1];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const long long row = (long long) blockIdx.y * FALLBACK_TILE + ty;
    const long long col = (long long) blockIdx.x * FALLBACK_TILE + tx;
    float acc = 0.0f;
    for (int k0 = 0; k0 < K; k0 += FALLBACK_TILE) {
        const int ka = k0 + tx, kb = k0 + ty;
        a_tile[ty][tx] = row < M && ka < K ? (ta ? A[(long long) ka * M + row] : A[row * K + ka]) : 0.0f;
        b_tile[ty][tx] = kb < K && col < N ? (tb ? B[col * K + kb] : B[(long long) kb * N + col]) : 0.0f;
        __syncthreads();
        for (int k = 0; k < FALLBACK_TILE; k++) acc += a_tile[ty][k] * b_tile[k][tx];
        __syncthreads();
    }
    if (row < M && col < N) {
        float* c = C + row * N + col;
        *c = accumulate ? *c + acc : acc;
    }
}
#endif

/* Row-major SGEMM on one stream: C[M,N] (+)= op(A)·op(B), op(A) = A[K,M]ᵀ when ta, op(B) = B[N,K]ᵀ when tb. */
class Gemm {
  public:
    explicit Gemm(cudaStream_t stream) : stream_(stream) {
#if defined(AE4J_HAVE_CUBLAS)
        CUBLAS_CHECK(cublasCreate(&handle_));
        CUBLAS_CHECK(cublasSetStream(handle_, stream));
        CUBLAS_CHECK(cublasSetMathMode(handle_, CUBLAS_DEFAULT_MATH)); /* true float32: no TF32 */
        /* A workspace of our own, so that cuBLAS allocates nothing while a CUDA graph is being captured. */
        CUDA_CHECK(cudaMalloc(&workspace_, WORKSPACE_BYTES));
        CUBLAS_CHECK(cublasSetWorkspace(handle_, workspace_, WORKSPACE_BYTES));
#endif
    }
    ~Gemm() {
#if defined(AE4J_HAVE_CUBLAS)
        cublasDestroy(handle_);
        cudaFree(workspace_);
#endif
    }
    Gemm(const Gemm&) = delete;
    Gemm& operator=(const Gemm&) = delete;

    static const char* name() {
#if defined(AE4J_HAVE_CUBLAS)
        return "cuBLAS cublasSgemm";
#else
        return "fallback GEMM, not cuBLAS (tiled shared-memory kernel of the kit)";
#endif
    }

    void run(bool ta, bool tb, int M, int N, int K, const float* A, const float* B, float* C, bool accumulate) {
#if defined(AE4J_HAVE_CUBLAS)
        /* Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands, keep each one's flag. */
        const float alpha = 1.0f, beta = accumulate ? 1.0f : 0.0f;
        CUBLAS_CHECK(cublasSgemm(handle_, tb ? CUBLAS_OP_T : CUBLAS_OP_N, ta ? CUBLAS_OP_T : CUBLAS_OP_N, N, M, K,
                                 &alpha, B, tb ? K : N, A, ta ? M : K, &beta, C, N));
#else
        dim3 block(FALLBACK_TILE, FALLBACK_TILE);
        dim3 grid((N + FALLBACK_TILE - 1) / FALLBACK_TILE, (M + FALLBACK_TILE - 1) / FALLBACK_TILE);
        fallback_sgemm<<<grid, block, 0, stream_>>>(ta, tb, M, N, K, A, B, C, accumulate);
        CUDA_CHECK(cudaGetLastError());
#endif
    }

  private:
    cudaStream_t stream_;
#if defined(AE4J_HAVE_CUBLAS)
    static constexpr size_t WORKSPACE_BYTES = 32u << 20;
    cublasHandle_t handle_ = nullptr;
    void* workspace_ = nullptr;
#endif
};

/* ae4j::dense_forward on the GPU: out[B,O] = act(x[B,I]·W + b), W [I,O]; transposed: act(x·Wᵀ + b), W [O,I]. */
inline void dense_forward(Gemm& gemm, const Launch& l, float* out, const float* x, const float* w, const float* b,
                          int B, int I, int O, int transpose_w, int act) {
    gemm.run(false, transpose_w != 0, B, O, I, x, w, out, false);
    ae4j::ae4j_bias_act_forward<<<l.elementwise((long long) B * O), l.block, 0, l.stream>>>(out, b, B, O, act);
    if (act == ae4j::ACT_SOFTMAX) ae4j::ae4j_softmax_rows<<<l.per_row(B), l.block, 0, l.stream>>>(out, B, O);
    CUDA_CHECK(cudaGetLastError());
}

/* ae4j::dense_backward on the GPU: dout ∂L/∂out → ∂L/∂z; db = Σ_rows; dW (+)= xᵀ·dz (transposed: dzᵀ·x);
 * dx = dz·Wᵀ (transposed: dz·W) unless dx is NULL. */
inline void dense_backward(Gemm& gemm, const Launch& l, float* dx, float* dw, float* db, float* dout, const float* x,
                           const float* out, const float* w, int B, int I, int O, int transpose_w, int act,
                           int accumulate_w) {
    if (act == ae4j::ACT_SOFTMAX)
        ae4j::ae4j_softmax_backward_rows<<<l.per_row(B), l.block, 0, l.stream>>>(dout, out, B, O);
    else if (act != ae4j::ACT_IDENTITY)
        ae4j::ae4j_act_backward<<<l.elementwise((long long) B * O), l.block, 0, l.stream>>>(dout, out, B, O, act);
    ae4j::ae4j_bias_grad<<<l.column_tiles(O), l.block, 0, l.stream>>>(db, dout, B, O);
    CUDA_CHECK(cudaGetLastError());
    if (transpose_w) {
        if (dx) gemm.run(false, false, B, I, O, dout, w, dx, false); /* dx[B,I] = dz[B,O]·W[O,I] */
        gemm.run(true, false, O, I, B, dout, x, dw, accumulate_w);  /* dW[O,I] (+)= dzᵀ·x */
    } else {
        if (dx) gemm.run(false, true, B, I, O, dout, w, dx, false); /* dx[B,I] = dz[B,O]·W[I,O]ᵀ */
        gemm.run(true, false, I, O, B, x, dout, dw, accumulate_w);  /* dW[I,O] (+)= xᵀ·dz */
    }
}

}  // namespace kit
