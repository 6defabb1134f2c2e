/* cpu_ref.cpp — the CPU kernels (native/cpu via ae4j_cpu.h, one translation unit) and the wrappers of cpu_ref.h. */
#include "cpu_ref.h"

#include "../../cpu/ae4j_cpu.h"

namespace ref {

const char* cpu_variant() { return ae4j::cpu_variant(); }

void bias_act_forward(float* out, const float* b, int B, int n, int act) {
    ae4j::bias_activation_forward(out, b, B, n, act);
}

void act_backward(float* d, const float* a, int B, int n, int act) { ae4j::activation_backward(d, a, B, n, act); }

void bias_grad(float* db, const float* dz, int B, int n) {
    for (int j = 0; j < n; j++) db[j] = 0;
    for (int r = 0; r < B; r++)
        for (int j = 0; j < n; j++) db[j] += dz[(int64_t) r * n + j];
}

}  // namespace ref
