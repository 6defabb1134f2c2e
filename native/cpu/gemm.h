/*
 * gemm.h — the small single-precision GEMM under the dense kernels: C[M,N] (=|+=) A[M,K] · B[K,N].
 * A is addressed by strides (element (i,k) at a[i·a_si + k·a_sk]), so A·B and Aᵀ·B are the same call; B and C are
 * row-major. The shapes it is built for are the chapter's: one side is a batch (32–500 rows), the others 30–784.
 *
 * Register-blocked microkernels, no packing (every operand of these shapes stays in L1/L2):
 *   AVX-512: 8 rows × 48 columns (24 zmm accumulators), the last column vector masked;
 *   AVX2:    6 rows × 16 columns (12 ymm accumulators), the last column vector masked;
 *   portable loops elsewhere (and for float64, which only the gradient checks use).
 * The AVX2/AVX-512 code carries target attributes and is chosen at run time (gemm_variant), so the library is
 * compiled for plain x86-64 and runs on any x86-64 machine.
 * Also the transposes that C = A·Bᵀ needs (callers transpose the smaller operand). Not here: threads.
 */
#pragma once
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ae4j {
namespace gemm {

enum Variant { PORTABLE = 0, AVX2 = 1, AVX512 = 2 };

/* Loop order i-k-j: the innermost loop runs along contiguous rows of B and C and vectorises. */
template <typename T>
static void gemm_portable(int M, int N, int K, const T* a, int64_t a_si, int64_t a_sk, const T* b, int64_t ldb,
                          T* c, int64_t ldc, int accumulate) {
    for (int i = 0; i < M; i++) {
        T* ci = c + i * ldc;
        if (!accumulate) {
            for (int j = 0; j < N; j++) ci[j] = 0;
        }
        for (int k = 0; k < K; k++) {
            T aik = a[i * a_si + k * a_sk];
            const T* bk = b + k * ldb;
            for (int j = 0; j < N; j++) ci[j] += aik * bk[j];
        }
    }
}

#if defined(__x86_64__)

#define AE4J_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,fma")))
#define AE4J_AVX2 __attribute__((target("avx2,fma")))

/* One MR × (16·NV) tile of C; lanes of the last column vector beyond the matrix are masked off. */
template <int MR, int NV>
AE4J_AVX512 static void tile_avx512(int K, const float* a, int64_t a_si, int64_t a_sk, const float* b, int64_t ldb,
                                    float* c, int64_t ldc, __mmask16 last, int accumulate) {
    __m512 acc[MR][NV];
#pragma GCC unroll 8
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    for (int k = 0; k < K; k++) {
        const float* bk = b + k * ldb;
        const float* ak = a + k * a_sk;
        __m512 bv[NV];
#pragma GCC unroll 3
        for (int v = 0; v < NV - 1; v++) bv[v] = _mm512_loadu_ps(bk + 16 * v);
        bv[NV - 1] = _mm512_maskz_loadu_ps(last, bk + 16 * (NV - 1));
#pragma GCC unroll 8
        for (int r = 0; r < MR; r++) {
            __m512 ar = _mm512_set1_ps(ak[r * a_si]);
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(ar, bv[v], acc[r][v]);
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < MR; r++) {
        float* cr = c + r * ldc;
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) {
            __mmask16 m = v == NV - 1 ? last : (__mmask16) 0xFFFF;
            __m512 x = acc[r][v];
            if (accumulate) x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(m, cr + 16 * v));
            _mm512_mask_storeu_ps(cr + 16 * v, m, x);
        }
    }
}

typedef void (*TileAvx512)(int, const float*, int64_t, int64_t, const float*, int64_t, float*, int64_t, __mmask16, int);

template <int MR>
static TileAvx512 pick_avx512(int nv) {
    return nv == 1 ? tile_avx512<MR, 1> : nv == 2 ? tile_avx512<MR, 2> : tile_avx512<MR, 3>;
}

AE4J_AVX512 static void gemm_avx512(int M, int N, int K, const float* a, int64_t a_si, int64_t a_sk, const float* b,
                                    int64_t ldb, float* c, int64_t ldc, int accumulate) {
    static const TileAvx512 full_rows[3] = {pick_avx512<8>(1), pick_avx512<8>(2), pick_avx512<8>(3)};
    for (int j0 = 0; j0 < N; j0 += 48) {
        int cols = N - j0 < 48 ? N - j0 : 48;
        int nv = (cols + 15) / 16;
        int tail = cols - 16 * (nv - 1);
        __mmask16 last = (__mmask16) ((1u << tail) - 1);
        TileAvx512 full = full_rows[nv - 1];
        int i0 = 0;
        for (; i0 + 8 <= M; i0 += 8) {
            full(K, a + i0 * a_si, a_si, a_sk, b + j0, ldb, c + i0 * ldc + j0, ldc, last, accumulate);
        }
        if (i0 < M) {
            TileAvx512 rest;
            switch (M - i0) {
                case 1: rest = pick_avx512<1>(nv); break;
                case 2: rest = pick_avx512<2>(nv); break;
                case 3: rest = pick_avx512<3>(nv); break;
                case 4: rest = pick_avx512<4>(nv); break;
                case 5: rest = pick_avx512<5>(nv); break;
                case 6: rest = pick_avx512<6>(nv); break;
                default: rest = pick_avx512<7>(nv); break;
            }
            rest(K, a + i0 * a_si, a_si, a_sk, b + j0, ldb, c + i0 * ldc + j0, ldc, last, accumulate);
        }
    }
}

/* AVX2 has no mask registers: the last column vector uses maskload/maskstore with an integer lane mask. */
template <int MR, int NV>
AE4J_AVX2 static void tile_avx2(int K, const float* a, int64_t a_si, int64_t a_sk, const float* b, int64_t ldb,
                                float* c, int64_t ldc, __m256i last, int accumulate) {
    __m256 acc[MR][NV];
#pragma GCC unroll 6
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 2
        for (int v = 0; v < NV; v++) acc[r][v] = _mm256_setzero_ps();
    for (int k = 0; k < K; k++) {
        const float* bk = b + k * ldb;
        const float* ak = a + k * a_sk;
        __m256 bv[NV];
#pragma GCC unroll 2
        for (int v = 0; v < NV - 1; v++) bv[v] = _mm256_loadu_ps(bk + 8 * v);
        bv[NV - 1] = _mm256_maskload_ps(bk + 8 * (NV - 1), last);
#pragma GCC unroll 6
        for (int r = 0; r < MR; r++) {
            __m256 ar = _mm256_broadcast_ss(ak + r * a_si);
#pragma GCC unroll 2
            for (int v = 0; v < NV; v++) acc[r][v] = _mm256_fmadd_ps(ar, bv[v], acc[r][v]);
        }
    }
    const __m256i all = _mm256_set1_epi32(-1);
#pragma GCC unroll 6
    for (int r = 0; r < MR; r++) {
        float* cr = c + r * ldc;
#pragma GCC unroll 2
        for (int v = 0; v < NV; v++) {
            __m256i m = v == NV - 1 ? last : all;
            __m256 x = acc[r][v];
            if (accumulate) x = _mm256_add_ps(x, _mm256_maskload_ps(cr + 8 * v, m));
            _mm256_maskstore_ps(cr + 8 * v, m, x);
        }
    }
}

typedef void (*TileAvx2)(int, const float*, int64_t, int64_t, const float*, int64_t, float*, int64_t, __m256i, int);

template <int MR>
static TileAvx2 pick_avx2(int nv) {
    return nv == 1 ? tile_avx2<MR, 1> : tile_avx2<MR, 2>;
}

AE4J_AVX2 static void gemm_avx2(int M, int N, int K, const float* a, int64_t a_si, int64_t a_sk, const float* b,
                                int64_t ldb, float* c, int64_t ldc, int accumulate) {
    for (int j0 = 0; j0 < N; j0 += 16) {
        int cols = N - j0 < 16 ? N - j0 : 16;
        int nv = (cols + 7) / 8;
        int tail = cols - 8 * (nv - 1);
        alignas(32) int32_t lanes[8];
        for (int l = 0; l < 8; l++) lanes[l] = l < tail ? -1 : 0;
        __m256i last = _mm256_load_si256((const __m256i*) lanes);
        TileAvx2 full = pick_avx2<6>(nv);
        int i0 = 0;
        for (; i0 + 6 <= M; i0 += 6) {
            full(K, a + i0 * a_si, a_si, a_sk, b + j0, ldb, c + i0 * ldc + j0, ldc, last, accumulate);
        }
        if (i0 < M) {
            TileAvx2 rest;
            switch (M - i0) {
                case 1: rest = pick_avx2<1>(nv); break;
                case 2: rest = pick_avx2<2>(nv); break;
                case 3: rest = pick_avx2<3>(nv); break;
                case 4: rest = pick_avx2<4>(nv); break;
                default: rest = pick_avx2<5>(nv); break;
            }
            rest(K, a + i0 * a_si, a_si, a_sk, b + j0, ldb, c + i0 * ldc + j0, ldc, last, accumulate);
        }
    }
}

/* dst[cols,rows] = src[rows,cols]ᵀ in 8×8 register blocks; edges elementwise. */
AE4J_AVX2 static void transpose_avx2(float* dst, const float* src, int rows, int cols) {
    int i0 = 0;
    for (; i0 + 8 <= rows; i0 += 8) {
        int j0 = 0;
        for (; j0 + 8 <= cols; j0 += 8) {
            __m256 r[8], t[8];
            for (int k = 0; k < 8; k++) r[k] = _mm256_loadu_ps(src + (int64_t) (i0 + k) * cols + j0);
            for (int k = 0; k < 8; k += 2) {
                t[k] = _mm256_unpacklo_ps(r[k], r[k + 1]);
                t[k + 1] = _mm256_unpackhi_ps(r[k], r[k + 1]);
            }
            for (int k = 0; k < 8; k += 4) {
                r[k] = _mm256_shuffle_ps(t[k], t[k + 2], _MM_SHUFFLE(1, 0, 1, 0));
                r[k + 1] = _mm256_shuffle_ps(t[k], t[k + 2], _MM_SHUFFLE(3, 2, 3, 2));
                r[k + 2] = _mm256_shuffle_ps(t[k + 1], t[k + 3], _MM_SHUFFLE(1, 0, 1, 0));
                r[k + 3] = _mm256_shuffle_ps(t[k + 1], t[k + 3], _MM_SHUFFLE(3, 2, 3, 2));
            }
            for (int k = 0; k < 4; k++) {
                _mm256_storeu_ps(dst + (int64_t) (j0 + k) * rows + i0, _mm256_permute2f128_ps(r[k], r[k + 4], 0x20));
                _mm256_storeu_ps(dst + (int64_t) (j0 + k + 4) * rows + i0, _mm256_permute2f128_ps(r[k], r[k + 4], 0x31));
            }
        }
        for (; j0 < cols; j0++)
            for (int k = 0; k < 8; k++) dst[(int64_t) j0 * rows + i0 + k] = src[(int64_t) (i0 + k) * cols + j0];
    }
    for (; i0 < rows; i0++)
        for (int j = 0; j < cols; j++) dst[(int64_t) j * rows + i0] = src[(int64_t) i0 * cols + j];
}

static Variant detect() {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl")) {
        return AVX512;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return AVX2;
    return PORTABLE;
}
#else
static Variant detect() { return PORTABLE; }
#endif

/* The variant in use: the best the CPU has, unless lowered (tests and benchmarks compare them). */
static Variant& current() {
    static Variant v = detect();
    return v;
}

static Variant best() {
    static Variant v = detect();
    return v;
}

static const char* name(Variant v) {
    return v == AVX512 ? "avx512" : v == AVX2 ? "avx2" : "portable";
}

static void sgemm(int M, int N, int K, const float* a, int64_t a_si, int64_t a_sk, const float* b, int64_t ldb,
                  float* c, int64_t ldc, int accumulate) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        if (!accumulate)
            for (int i = 0; i < M; i++) memset(c + i * ldc, 0, sizeof(float) * N);
        return;
    }
    switch (current()) {
#if defined(__x86_64__)
        case AVX512: gemm_avx512(M, N, K, a, a_si, a_sk, b, ldb, c, ldc, accumulate); return;
        case AVX2: gemm_avx2(M, N, K, a, a_si, a_sk, b, ldb, c, ldc, accumulate); return;
#endif
        default: gemm_portable(M, N, K, a, a_si, a_sk, b, ldb, c, ldc, accumulate); return;
    }
}

/* dst[cols,rows] = src[rows,cols]ᵀ */
template <typename T>
static void transpose_portable(T* dst, const T* src, int rows, int cols) {
    for (int i0 = 0; i0 < rows; i0 += 16) {
        int i1 = i0 + 16 < rows ? i0 + 16 : rows;
        for (int j0 = 0; j0 < cols; j0 += 16) {
            int j1 = j0 + 16 < cols ? j0 + 16 : cols;
            for (int j = j0; j < j1; j++)
                for (int i = i0; i < i1; i++) dst[(int64_t) j * rows + i] = src[(int64_t) i * cols + j];
        }
    }
}

static void transpose(float* dst, const float* src, int rows, int cols) {
#if defined(__x86_64__)
    if (current() != PORTABLE) {
        transpose_avx2(dst, src, rows, cols);
        return;
    }
#endif
    transpose_portable(dst, src, rows, cols);
}

static void transpose(double* dst, const double* src, int rows, int cols) {
    transpose_portable(dst, src, rows, cols);
}

static void dgemm(int M, int N, int K, const double* a, int64_t a_si, int64_t a_sk, const double* b, int64_t ldb,
                  double* c, int64_t ldc, int accumulate) {
    gemm_portable(M, N, K, a, a_si, a_sk, b, ldb, c, ldc, accumulate);
}

}  // namespace gemm
}  // namespace ae4j
