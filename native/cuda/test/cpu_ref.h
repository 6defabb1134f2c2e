/*
 * cpu_ref.h — the CPU reference of the validation kit: the real CPU kernels of native/cpu/kernels.h, compiled by g++
 * in their own translation unit (cpu_ref.cpp) from ae4j_cpu.h, as the Java build compiles them. The exported ones are
 * declared by ae4j_kernels.h; these wrappers expose the internal steps that have a CUDA kernel of their own.
 */
#pragma once
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

}  // namespace ref
