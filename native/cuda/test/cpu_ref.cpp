/* cpu_ref.cpp — the CPU kernels and engine (native/cpu via ae4j_cpu.h, one translation unit) and the wrappers of cpu_ref.h. */
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

int64_t engine_create(const int64_t* ints, int n_ints, const double* reals, int n_reals, float* params, float* grads,
                      float* state, int threads) {
    return ae4j::cpu_engine_create(ints, n_ints, reals, n_reals, 0, params, grads, state, threads);
}
const char* engine_error() { return ae4j::cpu_engine_error(); }
void engine_destroy(int64_t e) { ae4j::cpu_engine_destroy(e); }
void engine_set_noise_seed(int64_t e, uint64_t seed) { ae4j::cpu_engine_set_noise_seed(e, (int64_t) seed); }
void engine_set_learning_rate(int64_t e, double lr) { ae4j::cpu_engine_set_learning_rate(e, lr); }
void engine_begin_epoch(int64_t e, const int32_t* order, int n) { ae4j::cpu_engine_begin_epoch(e, order, n); }
void engine_train_step(int64_t e, const float* x, int start, int rows) { ae4j::cpu_engine_train_step(e, x, x, start, rows); }
void engine_read_totals(int64_t e, double* sums) { ae4j::cpu_engine_read_totals(e, sums); }
void engine_evaluate(int64_t e, const float* x, int rows, int batch, double* sums) {
    ae4j::cpu_engine_evaluate(e, x, x, rows, batch, sums);
}
void engine_predict(int64_t e, const float* x, int rows, int from, int to, float* out) {
    ae4j::cpu_engine_predict(e, x, rows, from, to, out);
}
double engine_loss_and_gradients(int64_t e, const float* x, int rows) {
    return ae4j::cpu_engine_loss_and_gradients(e, x, x, rows);
}

}  // namespace ref
