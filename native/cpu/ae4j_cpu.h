/*
 * ae4j_cpu.h — what the JavaCPP binding (ae4j.backend.NativeCpu) compiles: the CPU kernels (a single translation
 * unit, included here) and two functions that report and choose the instruction set of the GEMM.
 */
#pragma once
#include "kernels.h"

namespace ae4j {

/* "avx512", "avx2" or "portable": the GEMM in use. */
inline const char* cpu_variant() { return gemm::name(gemm::current()); }

/* "avx512", "avx2" or "portable": the best this CPU supports. */
inline const char* cpu_best_variant() { return gemm::name(gemm::best()); }

/* Uses a GEMM no better than `variant` (0 portable, 1 AVX2, 2 AVX-512); returns the variant now in use. */
inline int cpu_limit_variant(int variant) {
    gemm::Variant best = gemm::best();
    gemm::current() = variant < (int) best ? (gemm::Variant) variant : best;
    return (int) gemm::current();
}

/* The GEMM alone, for the benchmark: C[M,N] (=|+=) A[M,K]·B[K,N], A addressed by strides (see gemm.h). */
inline void sgemm(int M, int N, int K, const float* a, int64_t a_si, int64_t a_sk, const float* b, int64_t ldb,
                  float* c, int64_t ldc, int accumulate) {
    gemm::sgemm(M, N, K, a, a_si, a_sk, b, ldb, c, ldc, accumulate);
}

}  // namespace ae4j
