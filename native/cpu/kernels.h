/*
 * kernels.h — the CPU implementation of ae4j_kernels.h: the dense forward/backward pair, the noise layers (Gaussian
 * noise, dropout, sampling), the activity regularizers, the losses and the optimizer steps, as plain loops over raw
 * buffers (llm.c's style), on top of the small GEMM of gemm.h.
 *
 * The float entry points are compiled three times (target_clones: x86-64-v4 with AVX-512, x86-64-v3 with AVX2,
 * and baseline x86-64); the loader picks one for the CPU at run time, so the library ships with a portable
 * baseline and never depends on the build machine (no -march=native). The float64 versions serve the gradient
 * checks and take the portable path.
 * Not here: threads (one caller thread does everything), allocation on the hot path (scratch buffers grow once
 * and are reused), checks (the Java side validates shapes and pointers before every call).
 */
#pragma once
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <algorithm>
#include <vector>

#include "ae4j_kernels.h"
#include "gemm.h"
#include "mathfun.h"

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define AE4J_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define AE4J_CLONES
#endif
#define AE4J_INLINE static inline __attribute__((always_inline))

namespace ae4j {

static const double SELU_ALPHA = 1.6732632423543772848170429916717;
static const double SELU_SCALE = 1.0507009873554804934193349852946;
static const double ELU_ALPHA = 1.0; /* Keras's default */
static const double KERAS_EPSILON = 1e-7;

/* Per-thread scratch for the transposes of DenseTranspose and dx; grows to the largest shape once. */
template <typename T>
static T* scratch(int which, size_t n) {
    static thread_local std::vector<T> buffers[2];
    if (buffers[which].size() < n) buffers[which].resize(n);
    return buffers[which].data();
}

static inline void matmul(int M, int N, int K, const float* a, int64_t a_si, int64_t a_sk, const float* b, int64_t ldb,
                          float* c, int64_t ldc, int accumulate) {
    gemm::sgemm(M, N, K, a, a_si, a_sk, b, ldb, c, ldc, accumulate);
}
static inline void matmul(int M, int N, int K, const double* a, int64_t a_si, int64_t a_sk, const double* b, int64_t ldb,
                          double* c, int64_t ldc, int accumulate) {
    gemm::dgemm(M, N, K, a, a_si, a_sk, b, ldb, c, ldc, accumulate);
}

/* c[M,N] (=|+=) a[M,K] · b[N,K]ᵀ (b's rows ldb apart), with M the small (batch) side: computed as (b · aᵀ)ᵀ,
 * transposing a and the result in scratch, because the GEMM wants its right operand row-major along N. */
template <typename T>
static void matmul_nt(int M, int N, int K, const T* a, const T* b, int64_t ldb, T* c, int accumulate) {
    T* at = scratch<T>(0, (size_t) K * M);
    T* ct = scratch<T>(1, (size_t) N * M);
    gemm::transpose(at, a, M, K);
    matmul(N, M, K, b, ldb, 1, at, M, ct, M, 0);
    if (accumulate) {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) c[(int64_t) i * N + j] += ct[(int64_t) j * M + i];
    } else {
        gemm::transpose(c, ct, N, M);
    }
}

/* ---- activations: forward in place, backward through the output (see ae4j.spec.Activation) ---- */

template <typename T>
AE4J_INLINE void softmax_rows(T* x, int B, int n) {
    for (int r = 0; r < B; r++) {
        T* row = x + (int64_t) r * n;
        T max = row[0];
        for (int j = 1; j < n; j++) max = row[j] > max ? row[j] : max;
        T sum = 0;
        for (int j = 0; j < n; j++) {
            row[j] = fast_expf(row[j] - max);
            sum += row[j];
        }
        T inv = 1 / sum;
        for (int j = 0; j < n; j++) row[j] *= inv;
    }
}

/* out[B,n] += b[n], then out = act(out). */
template <typename T>
AE4J_INLINE void bias_activation_forward(T* out, const T* b, int B, int n, int act) {
    const T scale = (T) SELU_SCALE, scale_alpha = (T) (SELU_SCALE * SELU_ALPHA), elu_alpha = (T) ELU_ALPHA;
    for (int r = 0; r < B; r++) {
        T* row = out + (int64_t) r * n;
        switch (act) {
            case ACT_SELU:
                for (int j = 0; j < n; j++) {
                    T z = row[j] + b[j];
                    T neg = scale_alpha * (fast_expf(z < 0 ? z : 0) - 1);
                    row[j] = z > 0 ? scale * z : neg;
                }
                break;
            case ACT_ELU: /* as SELU: the exp of min(z, 0) on every lane, so that the loop vectorises and never overflows */
                for (int j = 0; j < n; j++) {
                    T z = row[j] + b[j];
                    T neg = elu_alpha * (fast_expf(z < 0 ? z : 0) - 1);
                    row[j] = z > 0 ? z : neg;
                }
                break;
            case ACT_SIGMOID:
                for (int j = 0; j < n; j++) row[j] = 1 / (1 + fast_expf(-(row[j] + b[j])));
                break;
            case ACT_RELU:
                for (int j = 0; j < n; j++) {
                    T z = row[j] + b[j];
                    row[j] = z > 0 ? z : 0;
                }
                break;
            case ACT_TANH:
                for (int j = 0; j < n; j++) {
                    T z = row[j] + b[j];
                    z = z < -20 ? -20 : z > 20 ? 20 : z;
                    row[j] = 1 - 2 / (fast_expf(2 * z) + 1);
                }
                break;
            default: /* identity, softmax */
                for (int j = 0; j < n; j++) row[j] += b[j];
        }
    }
    if (act == ACT_SOFTMAX) softmax_rows(out, B, n);
}

/* d[B,n] := d ⊙ act'(z), act' written through the output a. */
template <typename T>
AE4J_INLINE void activation_backward(T* d, const T* a, int B, int n, int act) {
    const T scale = (T) SELU_SCALE, scale_alpha = (T) (SELU_SCALE * SELU_ALPHA), elu_alpha = (T) ELU_ALPHA;
    int64_t total = (int64_t) B * n;
    switch (act) {
        case ACT_SELU:
            for (int64_t i = 0; i < total; i++) d[i] *= a[i] > 0 ? scale : a[i] + scale_alpha;
            break;
        case ACT_ELU:
            for (int64_t i = 0; i < total; i++) d[i] *= a[i] > 0 ? 1 : a[i] + elu_alpha;
            break;
        case ACT_SIGMOID:
            for (int64_t i = 0; i < total; i++) d[i] *= a[i] * (1 - a[i]);
            break;
        case ACT_RELU:
            for (int64_t i = 0; i < total; i++) d[i] = a[i] > 0 ? d[i] : 0;
            break;
        case ACT_TANH:
            for (int64_t i = 0; i < total; i++) d[i] *= 1 - a[i] * a[i];
            break;
        case ACT_SOFTMAX:
            for (int r = 0; r < B; r++) {
                T* dr = d + (int64_t) r * n;
                const T* ar = a + (int64_t) r * n;
                T dot = 0;
                for (int j = 0; j < n; j++) dot += dr[j] * ar[j];
                for (int j = 0; j < n; j++) dr[j] = (dr[j] - dot) * ar[j];
            }
            break;
        default:
            break;
    }
}

/* ---- the dense layer ---- */

template <typename T>
AE4J_INLINE void dense_forward_impl(T* out, const T* x, const T* w, const T* b, int B, int I, int O, int transpose_w, int act) {
    if (transpose_w) {
        matmul_nt<T>(B, O, I, x, w, I, out, 0); /* out[B,O] = x[B,I] · W[O,I]ᵀ */
    } else {
        matmul(B, O, I, x, I, 1, w, O, out, O, 0); /* out[B,O] = x[B,I] · W[I,O] */
    }
    bias_activation_forward(out, b, B, O, act);
}

/* The backward of dense_forward up to its input, for B rows: dout[B,O] holds ∂L/∂out and becomes ∂L/∂z;
 * dx[B,I] = ∂L/∂z · Wᵀ (transposed: ∂L/∂z · W), skipped when dx is NULL. */
template <typename T>
AE4J_INLINE void dense_backward_input_impl(T* dx, T* dout, const T* out, const T* w, int B, int I, int O, int transpose_w,
                                           int act) {
    activation_backward(dout, out, B, O, act);
    if (!dx) return;
    if (transpose_w)
        matmul(B, I, O, dout, O, 1, w, I, dx, I, 0); /* dx[B,I] = dz[B,O] · W[O,I] */
    else
        matmul_nt<T>(B, I, O, dout, w, O, dx, 0); /* dx[B,I] = dz[B,O] · W[I,O]ᵀ */
}

/* db[c] = Σ_b dz[b,c] for c in [c0, c1), dz [B, ld]; each sum over b in order. */
template <typename T>
AE4J_INLINE void bias_gradient(T* db, const T* dz, int B, int ld, int c0, int c1) {
    for (int j = c0; j < c1; j++) db[j] = 0;
    for (int r = 0; r < B; r++) {
        const T* dr = dz + (int64_t) r * ld;
        for (int j = c0; j < c1; j++) db[j] += dr[j];
    }
}

/* The parameter gradients of a dense layer over all B rows, for rows [r0, r1) of its W and entries [c0, c1) of b:
 * dz[B,O] = ∂L/∂z, x[B,I] its input. W [I,O]: dW[r,:] (+)= Σ_b x[b,r]·dz[b,:]; transposed, W [O,I]:
 * dW[r,:] (+)= Σ_b dz[b,r]·x[b,:] (added when accumulate_w: a tied W's second user). db[c] = Σ_b dz[b,c].
 * Each element sums over b in order, so any split of the rows gives the same numbers. */
template <typename T>
AE4J_INLINE void dense_weight_gradient_impl(T* dw, T* db, const T* dz, const T* x, int B, int I, int O, int transpose_w,
                                            int accumulate_w, int r0, int r1, int c0, int c1) {
    if (r1 > r0) {
        if (transpose_w)
            matmul(r1 - r0, I, B, dz + r0, 1, O, x, I, dw + (int64_t) r0 * I, I, accumulate_w);
        else
            matmul(r1 - r0, O, B, x + r0, 1, I, dz, O, dw + (int64_t) r0 * O, O, accumulate_w);
    }
    bias_gradient(db, dz, B, O, c0, c1);
}

template <typename T>
AE4J_INLINE void dense_backward_impl(T* dx, T* dw, T* db, T* dout, const T* x, const T* out, const T* w, int B, int I,
                                     int O, int transpose_w, int act, int accumulate_w) {
    dense_backward_input_impl(dx, dout, out, w, B, I, O, transpose_w, act);
    dense_weight_gradient_impl(dw, db, dout, x, B, I, O, transpose_w, accumulate_w, 0, transpose_w ? O : I, 0, O);
}

AE4J_CLONES void dense_forward(float* out, const float* x, const float* w, const float* b, int B, int I, int O,
                               int transpose_w, int act) {
    dense_forward_impl(out, x, w, b, B, I, O, transpose_w, act);
}
void dense_forward(double* out, const double* x, const double* w, const double* b, int B, int I, int O,
                   int transpose_w, int act) {
    dense_forward_impl(out, x, w, b, B, I, O, transpose_w, act);
}

AE4J_CLONES void dense_backward(float* dx, float* dw, float* db, float* dout, const float* x, const float* out,
                                const float* w, int B, int I, int O, int transpose_w, int act, int accumulate_w) {
    dense_backward_impl(dx, dw, db, dout, x, out, w, B, I, O, transpose_w, act, accumulate_w);
}
void dense_backward(double* dx, double* dw, double* db, double* dout, const double* x, const double* out,
                    const double* w, int B, int I, int O, int transpose_w, int act, int accumulate_w) {
    dense_backward_impl(dx, dw, db, dout, x, out, w, B, I, O, transpose_w, act, accumulate_w);
}
AE4J_CLONES void dense_backward_input(float* dx, float* dout, const float* out, const float* w, int B, int I, int O,
                                      int transpose_w, int act) {
    dense_backward_input_impl(dx, dout, out, w, B, I, O, transpose_w, act);
}
void dense_backward_input(double* dx, double* dout, const double* out, const double* w, int B, int I, int O,
                          int transpose_w, int act) {
    dense_backward_input_impl(dx, dout, out, w, B, I, O, transpose_w, act);
}
AE4J_CLONES void dense_weight_gradient(float* dw, float* db, const float* dz, const float* x, int B, int I, int O,
                                       int transpose_w, int accumulate_w, int r0, int r1, int c0, int c1) {
    dense_weight_gradient_impl(dw, db, dz, x, B, I, O, transpose_w, accumulate_w, r0, r1, c0, c1);
}
void dense_weight_gradient(double* dw, double* db, const double* dz, const double* x, int B, int I, int O,
                           int transpose_w, int accumulate_w, int r0, int r1, int c0, int c1) {
    dense_weight_gradient_impl(dw, db, dz, x, B, I, O, transpose_w, accumulate_w, r0, r1, c0, c1);
}

/* The pieces of the dense layer on their own, for a step that splits each layer's units among threads (units.h):
 * bias and activation of a block of outputs, the activation's derivative, a block's bias gradient. */
AE4J_CLONES void dense_activate(float* out, const float* b, int B, int n, int act) { bias_activation_forward(out, b, B, n, act); }
void dense_activate(double* out, const double* b, int B, int n, int act) { bias_activation_forward(out, b, B, n, act); }
AE4J_CLONES void dense_activate_backward(float* d, const float* a, int B, int n, int act) { activation_backward(d, a, B, n, act); }
void dense_activate_backward(double* d, const double* a, int B, int n, int act) { activation_backward(d, a, B, n, act); }
AE4J_CLONES void dense_bias_gradient(float* db, const float* dz, int B, int ld, int c0, int c1) {
    bias_gradient(db, dz, B, ld, c0, c1);
}
void dense_bias_gradient(double* db, const double* dz, int B, int ld, int c0, int c1) { bias_gradient(db, dz, B, ld, c0, c1); }

/* ---- noise layers (see ae4j_kernels.h for how elements draw their numbers) ---- */

static inline float sqrt_of(float x) { return sqrtf(x); }
static inline double sqrt_of(double x) { return sqrt(x); }
static inline void sin_cos(float x, float* s, float* c) {
    *s = sinf(x);
    *c = cosf(x);
}
static inline void sin_cos(double x, double* s, double* c) {
    *s = sin(x);
    *c = cos(x);
}

/* The normals of Box–Muller pair `index` of a stream: z0 for the even column, z1 for the odd one. */
template <typename T>
AE4J_INLINE void normal_pair(uint64_t key, uint64_t index, T* z0, T* z1) {
    float u1, u2;
    noise_uniform_pair(noise_bits(key, index), &u1, &u2);
    const T radius = sqrt_of(-2 * fast_logf((T) u1));
    T s, c;
    sin_cos((T) 6.283185307179586 * (T) u2, &s, &c);
    *z0 = radius * c;
    *z1 = radius * s;
}

template <typename T>
AE4J_INLINE void gaussian_noise_impl(T* out, const T* x, int B, int n, double stddev, uint64_t key, int64_t first_row) {
    const int64_t pairs = (n + 1) / 2;
    const T s = (T) stddev;
    for (int r = 0; r < B; r++) {
        const T* xr = x + (int64_t) r * n;
        T* o = out + (int64_t) r * n;
        const uint64_t base = (uint64_t) ((first_row + r) * pairs);
        for (int j = 0; j < n; j += 2) {
            T z0, z1;
            normal_pair(key, base + j / 2, &z0, &z1);
            o[j] = xr[j] + s * z0;
            if (j + 1 < n) o[j + 1] = xr[j + 1] + s * z1;
        }
    }
}

/* out = in·[kept]·scale over B rows of n: the dropout mask of a pass, forward and backward alike. */
template <typename T>
AE4J_INLINE void dropout_impl(T* out, const T* in, int B, int n, double rate, uint64_t key, int64_t first_row) {
    const uint64_t threshold = dropout_threshold(rate);
    const T scale = (T) (1 / (1 - rate));
    for (int r = 0; r < B; r++) {
        const T* ir = in + (int64_t) r * n;
        T* o = out + (int64_t) r * n;
        const uint64_t base = (uint64_t) ((first_row + r) * n);
        for (int j = 0; j < n; j++) o[j] = (noise_bits(key, base + j) >> 40) >= threshold ? ir[j] * scale : 0;
    }
}

/* ε of row r: the k normals of the row's ⌈k/2⌉ Box–Muller pairs. */
template <typename T>
AE4J_INLINE void sampling_epsilons(T* eps, int k, uint64_t key, int64_t row) {
    const int64_t pairs = (k + 1) / 2;
    for (int j = 0; j < k; j += 2) {
        T z0, z1;
        normal_pair(key, (uint64_t) (row * pairs + j / 2), &z0, &z1);
        eps[j] = z0;
        if (j + 1 < k) eps[j + 1] = z1;
    }
}

template <typename T>
AE4J_INLINE void sampling_forward_impl(T* out, const T* x, int B, int k, double latent_weight, uint64_t key,
                                       int64_t first_row, double* totals) {
    T* eps = scratch<T>(0, (size_t) k);
    double latent = 0;
    for (int r = 0; r < B; r++) {
        const T* mean = x + (int64_t) r * 2 * k;
        const T* log_var = mean + k;
        T* o = out + (int64_t) r * k;
        sampling_epsilons(eps, k, key, first_row + r);
        for (int j = 0; j < k; j++) o[j] = mean[j] + fast_expf(log_var[j] / 2) * eps[j];
        if (totals)
            for (int j = 0; j < k; j++)
                latent += 1 + (double) log_var[j] - (double) fast_expf(log_var[j]) - (double) mean[j] * mean[j];
    }
    if (totals) totals[0] += -0.5 * latent_weight * latent;
}

template <typename T>
AE4J_INLINE void sampling_backward_impl(T* dx, const T* dout, const T* x, int B, int k, double latent_weight,
                                        uint64_t key, int64_t first_row, int batch_rows) {
    T* eps = scratch<T>(0, (size_t) k);
    const T w = (T) (latent_weight / batch_rows);
    for (int r = 0; r < B; r++) {
        const T* mean = x + (int64_t) r * 2 * k;
        const T* log_var = mean + k;
        const T* d = dout + (int64_t) r * k;
        T* d_mean = dx + (int64_t) r * 2 * k;
        T* d_log_var = d_mean + k;
        sampling_epsilons(eps, k, key, first_row + r);
        for (int j = 0; j < k; j++) {
            const T sd = fast_expf(log_var[j] / 2);
            d_mean[j] = d[j] + w * mean[j];
            d_log_var[j] = d[j] * eps[j] * sd / 2 + w * (sd * sd - 1) / 2;
        }
    }
}

AE4J_CLONES void gaussian_noise_forward(float* out, const float* x, int B, int n, double stddev, uint64_t key,
                                        int64_t first_row) {
    gaussian_noise_impl(out, x, B, n, stddev, key, first_row);
}
void gaussian_noise_forward(double* out, const double* x, int B, int n, double stddev, uint64_t key, int64_t first_row) {
    gaussian_noise_impl(out, x, B, n, stddev, key, first_row);
}
AE4J_CLONES void dropout_forward(float* out, const float* x, int B, int n, double rate, uint64_t key, int64_t first_row) {
    dropout_impl(out, x, B, n, rate, key, first_row);
}
void dropout_forward(double* out, const double* x, int B, int n, double rate, uint64_t key, int64_t first_row) {
    dropout_impl(out, x, B, n, rate, key, first_row);
}
AE4J_CLONES void dropout_backward(float* dx, const float* dout, int B, int n, double rate, uint64_t key,
                                  int64_t first_row) {
    dropout_impl(dx, dout, B, n, rate, key, first_row);
}
void dropout_backward(double* dx, const double* dout, int B, int n, double rate, uint64_t key, int64_t first_row) {
    dropout_impl(dx, dout, B, n, rate, key, first_row);
}
void sampling_forward(float* out, const float* x, int B, int k, double latent_weight, uint64_t key, int64_t first_row,
                      double* totals) {
    sampling_forward_impl(out, x, B, k, latent_weight, key, first_row, totals);
}
void sampling_forward(double* out, const double* x, int B, int k, double latent_weight, uint64_t key,
                      int64_t first_row, double* totals) {
    sampling_forward_impl(out, x, B, k, latent_weight, key, first_row, totals);
}
void sampling_backward(float* dx, const float* dout, const float* x, int B, int k, double latent_weight, uint64_t key,
                       int64_t first_row, int batch_rows) {
    sampling_backward_impl(dx, dout, x, B, k, latent_weight, key, first_row, batch_rows);
}
void sampling_backward(double* dx, const double* dout, const double* x, int B, int k, double latent_weight,
                       uint64_t key, int64_t first_row, int batch_rows) {
    sampling_backward_impl(dx, dout, x, B, k, latent_weight, key, first_row, batch_rows);
}

/* ---- activity regularizers ---- */

template <typename T>
AE4J_INLINE double l1_loss_impl(const T* a, int B, int n, double l1) {
    double sum = 0;
    for (int64_t i = 0; i < (int64_t) B * n; i++) sum += a[i] < 0 ? -(double) a[i] : (double) a[i];
    return l1 * sum;
}

/* sign(a) as TensorFlow's abs differentiates: 0 at 0. */
template <typename T>
AE4J_INLINE void l1_backward_impl(T* da, const T* a, int B, int n, double l1, int batch_rows) {
    const T step = (T) (l1 / batch_rows);
    for (int64_t i = 0; i < (int64_t) B * n; i++) da[i] += a[i] > 0 ? step : a[i] < 0 ? -step : 0;
}

template <typename T>
AE4J_INLINE void column_sums_impl(double* sums, const T* a, int B, int n) {
    for (int j = 0; j < n; j++) sums[j] = 0;
    for (int r = 0; r < B; r++) {
        const T* row = a + (int64_t) r * n;
        for (int j = 0; j < n; j++) sums[j] += row[j];
    }
}

static inline double clip_unit(double v) {
    return v < KERAS_EPSILON ? KERAS_EPSILON : v > 1 ? 1 : v;
}

/* d/dm of KL(t‖m) + KL(1−t‖1−m) with Keras's clips to [ε, 1]: a clip that is active passes no gradient. */
static inline double kl_unit_derivative(double m, double target) {
    const double p = clip_unit(m), q = clip_unit(1 - m);
    const double inside_p = m >= KERAS_EPSILON && m <= 1, inside_q = 1 - m >= KERAS_EPSILON && 1 - m <= 1;
    return (inside_p ? -clip_unit(target) / p : 0) + (inside_q ? clip_unit(1 - target) / q : 0);
}

double kl_activity_loss(const double* sums, int n, int batch_rows, double weight, double target) {
    const double t = clip_unit(target), u = clip_unit(1 - target);
    double kl = 0;
    for (int j = 0; j < n; j++) {
        const double m = sums[j] / batch_rows;
        kl += t * log(t / clip_unit(m)) + u * log(u / clip_unit(1 - m));
    }
    return weight * kl;
}

template <typename T>
AE4J_INLINE void kl_backward_impl(T* da, int B, int n, const double* sums, int batch_rows, double weight, double target) {
    const double scale = weight / ((double) batch_rows * batch_rows);
    for (int r = 0; r < B; r++) {
        T* row = da + (int64_t) r * n;
        for (int j = 0; j < n; j++) row[j] += (T) (scale * kl_unit_derivative(sums[j] / batch_rows, target));
    }
}

double l1_activity_loss(const float* a, int B, int n, double l1) { return l1_loss_impl(a, B, n, l1); }
double l1_activity_loss(const double* a, int B, int n, double l1) { return l1_loss_impl(a, B, n, l1); }
void l1_activity_backward(float* da, const float* a, int B, int n, double l1, int batch_rows) {
    l1_backward_impl(da, a, B, n, l1, batch_rows);
}
void l1_activity_backward(double* da, const double* a, int B, int n, double l1, int batch_rows) {
    l1_backward_impl(da, a, B, n, l1, batch_rows);
}
void column_sums(double* sums, const float* a, int B, int n) { column_sums_impl(sums, a, B, n); }
void column_sums(double* sums, const double* a, int B, int n) { column_sums_impl(sums, a, B, n); }
void kl_activity_backward(float* da, int B, int n, const double* sums, int batch_rows, double weight, double target) {
    kl_backward_impl(da, B, n, sums, batch_rows, weight, target);
}
void kl_activity_backward(double* da, int B, int n, const double* sums, int batch_rows, double weight, double target) {
    kl_backward_impl(da, B, n, sums, batch_rows, weight, target);
}

/* ---- losses ---- */

/* Σ v[0..n), in 16 independent lanes: a plain float sum would not vectorise (it may not be reassociated). */
template <typename T>
AE4J_INLINE T sum_lanes(const T* v, int n) {
    T lane[16] = {0};
    int j = 0;
    for (; j + 16 <= n; j += 16)
        for (int l = 0; l < 16; l++) lane[l] += v[j + l];
    T sum = 0;
    for (; j < n; j++) sum += v[j];
    for (int l = 0; l < 16; l++) sum += lane[l];
    return sum;
}

/* Σ over a row of the book's rounded accuracy: round(y) == round(p), with round(0.5) = 0 as in tf.round. */
template <typename T>
AE4J_INLINE int rounded_matches(const T* p, const T* y, int D) {
    int matches = 0;
    for (int j = 0; j < D; j++) matches += (y[j] > (T) 0.5) == (p[j] > (T) 0.5);
    return matches;
}

template <typename T>
AE4J_INLINE int argmax(const T* v, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) best = v[j] > v[best] ? j : best;
    return best;
}

/* B rows of `columns` of the D outputs (a thread's share of the output units when the step is split by units; the
 * categorical losses, whose rows are not sums over columns, need them all). grad_rows: the rows of the whole batch,
 * which scales the gradient (a thread's share of a batch has fewer). */
template <typename T>
AE4J_INLINE void loss_impl(int loss, int out_act, T* out, const T* y, T* dout, int B, int grad_rows, int D, int columns,
                           double* totals, int rounded_slot, int accuracy_slot) {
    const T eps = (T) KERAS_EPSILON;
    int fused = (loss == LOSS_BCE && out_act == ACT_SIGMOID) || (loss == LOSS_CCE && out_act == ACT_SOFTMAX);
    double loss_sum = 0;
    for (int r = 0; r < B; r++) {
        T* o = out + (int64_t) r * columns;
        const T* t = y + (int64_t) r * columns;
        T* g = dout ? dout + (int64_t) r * columns : nullptr;
        T row = 0;
        T* terms = scratch<T>(0, (size_t) columns); /* per-element losses, summed in lanes */
        if (loss == LOSS_MSE) {
            const T scale = (T) (2.0 / ((double) grad_rows * D));
            for (int j = 0; j < columns; j++) {
                T diff = o[j] - t[j];
                terms[j] = diff * diff;
            }
            if (g)
                for (int j = 0; j < columns; j++) g[j] = (o[j] - t[j]) * scale;
            row = sum_lanes(terms, columns) / D;
        } else if (loss == LOSS_BCE && fused) {
            /* from logits: max(z,0) − z·y + log(1 + e^−|z|); p = σ(z); ∂L/∂z = (p − y) / (B·D) */
            const T scale = (T) (1.0 / ((double) grad_rows * D));
            for (int j = 0; j < columns; j++) {
                T z = o[j];
                T e = fast_expf(z < 0 ? z : -z);
                T inv = 1 / (1 + e);
                T p = (z >= 0 ? 1 : e) * inv;
                terms[j] = (z > 0 ? z : 0) - z * t[j] + fast_logf(1 + e);
                o[j] = p;
            }
            if (g)
                for (int j = 0; j < columns; j++) g[j] = (o[j] - t[j]) * scale;
            row = sum_lanes(terms, columns) / D;
        } else if (loss == LOSS_BCE) {
            /* Keras on probabilities: p clipped to [ε, 1−ε]; −(y·log(p+ε) + (1−y)·log(1−p+ε)) */
            const T scale = (T) (1.0 / ((double) grad_rows * D));
            for (int j = 0; j < columns; j++) {
                T p = o[j] < eps ? eps : o[j] > 1 - eps ? 1 - eps : o[j];
                row -= t[j] * fast_logf(p + eps) + (1 - t[j]) * fast_logf(1 - p + eps);
                if (g) {
                    T inside = (o[j] >= eps && o[j] <= 1 - eps) ? 1 : 0;
                    g[j] = -(t[j] / (p + eps) - (1 - t[j]) / (1 - p + eps)) * inside * scale;
                }
            }
            row /= D;
        } else if (fused) {
            /* CCE from logits: −Σ y·log_softmax(z); p = softmax(z); ∂L/∂z = (p·Σy − y) / B */
            T max = o[0];
            for (int j = 1; j < D; j++) max = o[j] > max ? o[j] : max;
            T sum = 0;
            for (int j = 0; j < D; j++) sum += fast_expf(o[j] - max);
            T log_sum = fast_logf(sum);
            T y_sum = 0;
            for (int j = 0; j < D; j++) {
                row -= t[j] * (o[j] - max - log_sum);
                y_sum += t[j];
            }
            for (int j = 0; j < D; j++) o[j] = fast_expf(o[j] - max - log_sum);
            if (g)
                for (int j = 0; j < D; j++) g[j] = (o[j] * y_sum - t[j]) / (T) grad_rows;
        } else {
            /* Keras CCE on probabilities: q = p / Σp clipped to [ε, 1−ε]; −Σ y·log q */
            T sum = 0;
            for (int j = 0; j < D; j++) sum += o[j];
            T gq = 0;
            for (int j = 0; j < D; j++) {
                T q = o[j] / sum;
                T qc = q < eps ? eps : q > 1 - eps ? 1 - eps : q;
                row -= t[j] * fast_logf(qc);
                T gj = (q >= eps && q <= 1 - eps) ? -t[j] / qc : 0;
                if (g) g[j] = gj;
                gq += gj * q;
            }
            if (g)
                for (int j = 0; j < D; j++) g[j] = (g[j] - gq) / sum / (T) grad_rows;
        }
        loss_sum += row;
        if (rounded_slot >= 0) totals[rounded_slot] += (double) rounded_matches(o, t, columns) / D;
        if (accuracy_slot >= 0) totals[accuracy_slot] += argmax(o, D) == argmax(t, D) ? 1 : 0;
    }
    totals[0] += loss_sum;
}

AE4J_CLONES void loss_forward_backward(int loss, int out_act, float* out, const float* y, float* dout, int B, int D,
                                       double* totals, int rounded_slot, int accuracy_slot) {
    loss_impl(loss, out_act, out, y, dout, B, B, D, D, totals, rounded_slot, accuracy_slot);
}
void loss_forward_backward(int loss, int out_act, double* out, const double* y, double* dout, int B, int D,
                           double* totals, int rounded_slot, int accuracy_slot) {
    loss_impl(loss, out_act, out, y, dout, B, B, D, D, totals, rounded_slot, accuracy_slot);
}
AE4J_CLONES void loss_share(int loss, int out_act, float* out, const float* y, float* dout, int B, int batch_rows,
                            int D, int columns, double* totals, int rounded_slot, int accuracy_slot) {
    loss_impl(loss, out_act, out, y, dout, B, batch_rows, D, columns, totals, rounded_slot, accuracy_slot);
}
void loss_share(int loss, int out_act, double* out, const double* y, double* dout, int B, int batch_rows, int D,
                int columns, double* totals, int rounded_slot, int accuracy_slot) {
    loss_impl(loss, out_act, out, y, dout, B, batch_rows, D, columns, totals, rounded_slot, accuracy_slot);
}

/* ---- data ---- */

/* Columns [lo, hi) of the given rows of src [·, width], packed into dst [n, hi − lo]. The rows lie scattered in a
 * dataset far larger than the caches, so each row's copy would wait on DRAM: the rows about GATHER_AHEAD bytes ahead
 * are prefetched while one is copied (5–6 µs less per stacked-autoencoder step at batch 32, on 1 and 2 threads). */
constexpr size_t GATHER_AHEAD = 12 << 10;

template <typename T>
AE4J_INLINE void prefetch_row(const T* src, size_t bytes) {
    const char* p = (const char*) src;
    for (size_t o = 0; o < bytes; o += 64) __builtin_prefetch(p + o);
}

template <typename T>
AE4J_INLINE void gather_columns_impl(T* dst, const T* src, const int32_t* rows, int n, int width, int lo, int hi) {
    const size_t bytes = sizeof(T) * (size_t) (hi - lo);
    const int ahead = bytes ? (int) std::max<size_t>(1, GATHER_AHEAD / bytes) : 0;
    for (int i = 0; i < std::min(n, ahead); i++) prefetch_row(src + (int64_t) rows[i] * width + lo, bytes);
    for (int i = 0; i < n; i++) {
        if (i + ahead < n) prefetch_row(src + (int64_t) rows[i + ahead] * width + lo, bytes);
        memcpy(dst + (int64_t) i * (hi - lo), src + (int64_t) rows[i] * width + lo, bytes);
    }
}
void gather_rows(float* dst, const float* src, const int32_t* rows, int n, int width) {
    gather_columns_impl(dst, src, rows, n, width, 0, width);
}
void gather_rows(double* dst, const double* src, const int32_t* rows, int n, int width) {
    gather_columns_impl(dst, src, rows, n, width, 0, width);
}
void gather_columns(float* dst, const float* src, const int32_t* rows, int n, int width, int lo, int hi) {
    gather_columns_impl(dst, src, rows, n, width, lo, hi);
}
void gather_columns(double* dst, const double* src, const int32_t* rows, int n, int width, int lo, int hi) {
    gather_columns_impl(dst, src, rows, n, width, lo, hi);
}

/* out[b, ·] = Σ_p parts[p][b, lo..hi), p = 0, 1, … in order: columns [lo, hi) of `count` matrices [B, ld] added
 * into out [B, hi − lo]. */
template <typename T>
AE4J_INLINE void sum_part_columns_impl(T* out, const T* const* parts, int count, int B, int ld, int lo, int hi) {
    const int n = hi - lo;
    for (int b = 0; b < B; b++) {
        T* o = out + (int64_t) b * n;
        memcpy(o, parts[0] + (int64_t) b * ld + lo, sizeof(T) * (size_t) n);
        for (int p = 1; p < count; p++) {
            const T* q = parts[p] + (int64_t) b * ld + lo;
            for (int j = 0; j < n; j++) o[j] += q[j];
        }
    }
}
AE4J_CLONES void sum_part_columns(float* out, const float* const* parts, int count, int B, int ld, int lo, int hi) {
    sum_part_columns_impl(out, parts, count, B, ld, lo, hi);
}
void sum_part_columns(double* out, const double* const* parts, int count, int B, int ld, int lo, int hi) {
    sum_part_columns_impl(out, parts, count, B, ld, lo, hi);
}

/* src [B, hi − lo] into columns [lo, hi) of dst [B, ld]. */
template <typename T>
void place_columns(T* dst, const T* src, int B, int ld, int lo, int hi) {
    for (int b = 0; b < B; b++) memcpy(dst + (int64_t) b * ld + lo, src + (int64_t) b * (hi - lo), sizeof(T) * (size_t) (hi - lo));
}

/* ---- optimizers (Keras's rules; see ae4j.spec.Optimizer) ---- */

template <typename T>
AE4J_INLINE void sgd_impl(T* p, const T* g, T* v, int64_t P, T lr, T momentum, int nesterov) {
    if (!v) {
        for (int64_t i = 0; i < P; i++) p[i] -= lr * g[i];
    } else if (nesterov) {
        for (int64_t i = 0; i < P; i++) {
            v[i] = momentum * v[i] - lr * g[i];
            p[i] += momentum * v[i] - lr * g[i];
        }
    } else {
        for (int64_t i = 0; i < P; i++) {
            v[i] = momentum * v[i] - lr * g[i];
            p[i] += v[i];
        }
    }
}

template <typename T>
AE4J_INLINE void adam_impl(T* p, const T* g, T* m, T* v, int64_t P, double lr, double beta1, double beta2, double eps, int64_t t) {
    const T lr_t = (T) (lr * sqrt(1 - pow(beta2, (double) t)) / (1 - pow(beta1, (double) t)));
    const T b1 = (T) beta1, b2 = (T) beta2, e = (T) eps;
    for (int64_t i = 0; i < P; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= lr_t * m[i] / (sqrt(v[i]) + e);
    }
}

template <typename T>
AE4J_INLINE void nadam_impl(T* p, const T* g, T* m, T* v, int64_t P, double lr, double beta1, double beta2, double eps,
                            int64_t t, double mu_t, double mu_next, double schedule_t) {
    const T g_scale = (T) ((1 - mu_t) / (1 - schedule_t));
    const T m_scale = (T) (mu_next / (1 - schedule_t * mu_next));
    const T v_scale = (T) (1 / (1 - pow(beta2, (double) t)));
    const T b1 = (T) beta1, b2 = (T) beta2, e = (T) eps, rate = (T) lr;
    for (int64_t i = 0; i < P; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        T m_bar = g_scale * g[i] + m_scale * m[i];
        p[i] -= rate * m_bar / (sqrt(v[i] * v_scale) + e);
    }
}

template <typename T>
AE4J_INLINE void rmsprop_impl(T* p, const T* g, T* rms, int64_t P, double lr, double rho, double eps) {
    const T r = (T) rho, rate = (T) lr, e = (T) eps;
    for (int64_t i = 0; i < P; i++) {
        rms[i] = r * rms[i] + (1 - r) * g[i] * g[i];
        p[i] -= rate * g[i] / (sqrt(rms[i]) + e);
    }
}

AE4J_CLONES void sgd_step(float* p, const float* g, float* v, int64_t P, float lr, float momentum, int nesterov) {
    sgd_impl(p, g, v, P, lr, momentum, nesterov);
}
void sgd_step(double* p, const double* g, double* v, int64_t P, double lr, double momentum, int nesterov) {
    sgd_impl(p, g, v, P, lr, momentum, nesterov);
}
AE4J_CLONES void adam_step(float* p, const float* g, float* m, float* v, int64_t P, double lr, double beta1, double beta2,
                           double eps, int64_t t) {
    adam_impl(p, g, m, v, P, lr, beta1, beta2, eps, t);
}
void adam_step(double* p, const double* g, double* m, double* v, int64_t P, double lr, double beta1, double beta2,
               double eps, int64_t t) {
    adam_impl(p, g, m, v, P, lr, beta1, beta2, eps, t);
}
AE4J_CLONES void rmsprop_step(float* p, const float* g, float* rms, int64_t P, double lr, double rho, double eps) {
    rmsprop_impl(p, g, rms, P, lr, rho, eps);
}
void rmsprop_step(double* p, const double* g, double* rms, int64_t P, double lr, double rho, double eps) {
    rmsprop_impl(p, g, rms, P, lr, rho, eps);
}
AE4J_CLONES void nadam_step(float* p, const float* g, float* m, float* v, int64_t P, double lr, double beta1, double beta2,
                            double eps, int64_t t, double mu_t, double mu_next, double schedule_t) {
    nadam_impl(p, g, m, v, P, lr, beta1, beta2, eps, t, mu_t, mu_next, schedule_t);
}
void nadam_step(double* p, const double* g, double* m, double* v, int64_t P, double lr, double beta1, double beta2,
                double eps, int64_t t, double mu_t, double mu_next, double schedule_t) {
    nadam_impl(p, g, m, v, P, lr, beta1, beta2, eps, t, mu_t, mu_next, schedule_t);
}

}  // namespace ae4j
