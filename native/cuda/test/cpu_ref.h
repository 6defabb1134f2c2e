/*
 * cpu_ref.h — the CPU reference of the validation kit: the real CPU kernels of native/cpu/kernels.h, compiled by g++
 * in their own translation unit (cpu_ref.cpp) from ae4j_cpu.h, as the Java build compiles them. The exported ones are
 * declared by ae4j_kernels.h; these wrappers expose the internal steps that have a CUDA kernel of their own.
 */
#pragma once
#include <stdint.h>

#include "ae4j_kernels.h"

namespace ref {

/* "avx512", "avx2" or "portable": the CPU GEMM in use. */
const char* cpu_variant();

/* out[B,n] = act(out + b[n]) (softmax included): kernels.h's bias_activation_forward. */
void bias_act_forward(float* out, const float* b, int B, int n, int act);
/* d[B,n] := d ⊙ act'(z) through a[B,n] (softmax included): kernels.h's activation_backward. */
void act_backward(float* d, const float* a, int B, int n, int act);
/* db[n] = Σ_rows dz[B,n]: the loop inside kernels.h's dense_backward. */
void bias_grad(float* db, const float* dz, int B, int n);

/* The CPU engine of native/cpu/engine.h in float32, through ae4j_cpu.h's entry points (see there): a handle, or 0
 * with engine_error() saying why. */
int64_t engine_create(const int64_t* ints, int n_ints, const double* reals, int n_reals, float* params, float* grads,
                      float* state, int threads);
const char* engine_error();
void engine_destroy(int64_t e);
void engine_set_noise_seed(int64_t e, uint64_t seed);
void engine_set_learning_rate(int64_t e, double lr);
void engine_begin_epoch(int64_t e, const int32_t* order, int n);
void engine_train_step(int64_t e, const float* x, int start, int rows);
void engine_read_totals(int64_t e, double* sums);
void engine_evaluate(int64_t e, const float* x, int rows, int batch, double* sums);
void engine_predict(int64_t e, const float* x, int rows, int from, int to, float* out);
double engine_loss_and_gradients(int64_t e, const float* x, int rows);

}  // namespace ref
