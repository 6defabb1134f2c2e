/*
 * ae4j_cpu.h — what the JavaCPP binding (ae4j.engine.NativeCpu) compiles: the CPU engine (engine.h, which
 * includes the kernels: a single translation unit) behind a handle, and the functions that report and choose the
 * instruction set of the GEMM.
 */
#pragma once
#include <string>

#include "engine.h"

namespace ae4j {

/* Why the last cpu_engine_create on this thread failed. */
inline std::string& cpu_engine_problem() {
    static thread_local std::string problem;
    return problem;
}

inline const char* cpu_engine_error() { return cpu_engine_problem().c_str(); }

/* A CPU engine for the encoded plan (ae4j_plan.h) over the caller's parameter, gradient and optimizer-state
 * vectors (float64 when f64, else float32), with `threads` threads; 0 when the plan is invalid (see
 * cpu_engine_error). The vectors must outlive the engine. */
inline int64_t cpu_engine_create(const int64_t* ints, int n_ints, const double* reals, int n_reals, int f64,
                                 void* params, void* grads, void* state, int threads) {
    Plan plan;
    char error[256];
    if (const char* problem = decode_plan(ints, n_ints, reals, n_reals, &plan, error, sizeof error)) {
        cpu_engine_problem() = problem;
        return 0;
    }
    threads = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
    CpuEngine* engine;
    if (f64)
        engine = new TypedCpuEngine<double>(plan, (double*) params, (double*) grads, (double*) state, threads);
    else
        engine = new TypedCpuEngine<float>(plan, (float*) params, (float*) grads, (float*) state, threads);
    return (int64_t) (intptr_t) engine;
}

inline CpuEngine* cpu_engine(int64_t handle) { return (CpuEngine*) (intptr_t) handle; }

inline void cpu_engine_destroy(int64_t e) { delete cpu_engine(e); }
/* The epoch's order of the rows (copied): train steps take rows order[start .. start + rows). */
inline void cpu_engine_begin_epoch(int64_t e, const int32_t* order, int n) { cpu_engine(e)->begin_epoch(order, n); }
inline void cpu_engine_train_step(int64_t e, const void* x, const void* y, int start, int rows) {
    cpu_engine(e)->train_step(x, y, start, rows);
}
/* Terms of a batch's mean (the KL regularizer) are taken over batches of `batch` rows, as fit's validation does. */
inline void cpu_engine_evaluate(int64_t e, const void* x, const void* y, int rows, int batch, double* sums) {
    cpu_engine(e)->evaluate(x, y, rows, batch, sums);
}
inline void cpu_engine_predict(int64_t e, const void* x, int rows, int from, int to, void* out) {
    cpu_engine(e)->predict(x, rows, from, to, out);
}
inline double cpu_engine_loss_and_gradients(int64_t e, const void* x, const void* y, int rows) {
    return cpu_engine(e)->loss_and_gradients(x, y, rows);
}
inline void cpu_engine_read_totals(int64_t e, double* sums) { cpu_engine(e)->read_totals(sums); }
inline void cpu_engine_reset_totals(int64_t e) { cpu_engine(e)->reset_totals(); }
inline int64_t cpu_engine_iteration(int64_t e) { return cpu_engine(e)->iteration(); }
inline void cpu_engine_set_iteration(int64_t e, int64_t t) { cpu_engine(e)->set_iteration(t); }
/* The optimizer's learning rate, which the plan's learning-rate schedule starts from at every step. */
inline double cpu_engine_learning_rate(int64_t e) { return cpu_engine(e)->learning_rate(); }
inline void cpu_engine_set_learning_rate(int64_t e, double lr) { cpu_engine(e)->set_learning_rate(lr); }
/* The seed every noise layer's numbers derive from (ae4j_kernels.h's noise_key). */
inline void cpu_engine_set_noise_seed(int64_t e, int64_t seed) { cpu_engine(e)->set_noise_seed((uint64_t) seed); }
inline int cpu_engine_threads(int64_t e) { return cpu_engine(e)->threads(); }
inline int64_t cpu_engine_allocations(int64_t e) { return cpu_engine(e)->allocations(); }
/* How the last training step shared its threads: 0 not at all (one thread, or no step yet), 1 by rows of the
 * batch, 2 by units (engine.h's Split). */
inline int cpu_engine_split(int64_t e) { return cpu_engine(e)->split(); }
/* The caller's vectors made current, or told that the caller changed them (StepEngine's copyStateTo/FromHost). */
inline void cpu_engine_copy_state_to_host(int64_t e) { cpu_engine(e)->copy_state_to_host(); }
inline void cpu_engine_copy_state_from_host(int64_t e) { cpu_engine(e)->copy_state_from_host(); }

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
