/*
 * ae4j_kernels.h — the kernels of ae4j's native DenseTranspose op, one header shared by the CPU implementation
 * (native/cpu) and the CUDA one (native/cuda).
 *
 * In the manner of llm.c's layer functions: each layer is a *_forward / *_backward pair over raw buffers that the
 * caller allocates; every matrix is row-major (c-order) and contiguous; shapes are stated above each function.
 * B = rows in the batch, I = inputs and O = outputs of a layer, D = outputs of the model, P = parameters.
 * Dense and DenseTranspose share dense_forward/dense_backward: the only difference is transpose_w (and who owns W).
 * The noise layers (Gaussian noise, dropout, sampling) draw their random numbers from noise_bits below: a pure
 * function of (seed, layer, phase, step, element), so that every engine, thread split and launch order draws the
 * same ones (ae4j.engine.Noise is its Java twin). Nadam's momentum schedule (nadam_mu, nadam_schedule) and the
 * learning-rate schedules (scheduled_rate) are here too, once for the CPU engine, the CUDA engine and kernels, and
 * the CUDA check kit.
 *
 * The CUDA kernels (native/cuda/ae4j_kernels.cu) include this header for the codes below; they are compiled by
 * nvcc and, at run time, by NVRTC, which sees only the part outside the host-only guard.
 *
 * Not here: allocation, threads, error handling (callers check shapes and pointers before calling), Java.
 */
#pragma once

#if !defined(__CUDACC_RTC__)
#include <math.h>
#endif

namespace ae4j {

/* Activation codes, in the order of ae4j.spec.Activation. ELU is Keras's with its default alpha, 1. */
enum Act { ACT_IDENTITY = 0, ACT_SELU = 1, ACT_SIGMOID = 2, ACT_RELU = 3, ACT_TANH = 4, ACT_SOFTMAX = 5, ACT_ELU = 6 };
constexpr int ACT_COUNT = ACT_ELU + 1;
/* Loss codes, in the order of ae4j.spec.Loss. */
enum LossKind { LOSS_MSE = 0, LOSS_BCE = 1, LOSS_CCE = 2 };
/* Which pass draws the noise: training (noise layers active), evaluation or prediction (only Sampling draws). */
enum NoisePhase { PHASE_TRAIN = 0, PHASE_EVALUATE = 1, PHASE_PREDICT = 2 };

#if defined(__CUDACC__) || defined(__CUDACC_RTC__)
#define AE4J_HOST_DEVICE __host__ __device__
#else
#define AE4J_HOST_DEVICE
#endif

constexpr unsigned long long NOISE_GAMMA = 0x9E3779B97F4A7C15ULL;

/* SplitMix64's finaliser: a bijection of 64-bit words whose outputs for consecutive inputs look independent. */
AE4J_HOST_DEVICE inline unsigned long long noise_mix(unsigned long long z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The stream of layer `layer` in one pass: phase (NoisePhase) and step (the optimizer's step count t). */
AE4J_HOST_DEVICE inline unsigned long long noise_key(unsigned long long seed, int layer, int phase, long long step) {
    const unsigned long long stream = noise_mix(seed + NOISE_GAMMA * (unsigned long long) (3 * layer + phase + 1));
    return noise_mix(stream + NOISE_GAMMA * (unsigned long long) step);
}

/* 64 random bits, number `index` of a stream. */
AE4J_HOST_DEVICE inline unsigned long long noise_bits(unsigned long long key, unsigned long long index) {
    return noise_mix(key + NOISE_GAMMA * (index + 1));
}

/* Dropout keeps element `index` when its 24-bit uniform u = (bits >> 40)·2^-24 is ≥ rate, i.e. when
 * bits >> 40 ≥ ceil(rate·2^24): an integer test every engine makes exactly alike. */
AE4J_HOST_DEVICE inline unsigned int dropout_threshold(double rate) {
    const double scaled = rate * 16777216.0;
    const unsigned int floor = (unsigned int) scaled;
    return (double) floor < scaled ? floor + 1 : floor;
}

/* The two uniforms of a Box–Muller pair from one word: u1 in (0, 1] (top 24 bits), u2 in [0, 1) (the next 24);
 * the normals are √(−2 ln u1)·cos(2π u2) for an even column and ·sin(2π u2) for the odd one after it. */
AE4J_HOST_DEVICE inline void noise_uniform_pair(unsigned long long bits, float* u1, float* u2) {
    *u1 = (float) ((bits >> 40) + 1) * (1.0f / 16777216.0f);
    *u2 = (float) ((bits >> 16) & 0xFFFFFFULL) * (1.0f / 16777216.0f);
}

/* Keras's Nadam momentum cache at step t, μ_t = β1·(1 − 0.5·0.96^(0.004·t)) (ae4j.spec.Optimizer.Nadam.mu is its
 * Java twin). */
AE4J_HOST_DEVICE inline double nadam_mu(double beta1, long long t) {
    return beta1 * (1.0 - 0.5 * pow(0.96, 0.004 * (double) t));
}

/* Nadam's schedule Π_t = μ_1·…·μ_t (Π_0 = 1). A run carries it from step to step, Π_t = Π_{t−1}·μ_t, as Keras does;
 * this rebuilds it for a run resumed at step t by the same products in the same order, so to the same bits. */
AE4J_HOST_DEVICE inline double nadam_schedule(double beta1, long long t) {
    double schedule = 1;
    for (long long i = 1; i <= t; i++) schedule *= nadam_mu(beta1, i);
    return schedule;
}

/* Learning-rate schedules, in the order of ae4j.spec.LearningRateSchedule.Kind: the rate as it is, and Keras's
 * ExponentialDecay. */
enum ScheduleKind { SCHEDULE_CONSTANT = 0, SCHEDULE_EXPONENTIAL_DECAY = 1 };

/* A plan's learning-rate schedule: its ScheduleKind and, for the decay, its settings. */
struct RateSchedule {
    int kind, staircase;
    double decay_rate, decay_steps;
};

/* The learning rate of the update after `step` updates (Keras's optimizer.iterations before it counts this one),
 * starting from lr: with SCHEDULE_EXPONENTIAL_DECAY, lr·decay_rate^(step/decay_steps), the exponent floored when
 * staircase; otherwise lr. In double on every engine (ae4j.spec.LearningRateSchedule#rate is its Java twin). */
AE4J_HOST_DEVICE inline double scheduled_rate(double lr, const RateSchedule& s, long long step) {
    if (s.kind != SCHEDULE_EXPONENTIAL_DECAY) return lr;
    const double exponent = (double) step / s.decay_steps;
    return lr * pow(s.decay_rate, s.staircase ? floor(exponent) : exponent);
}

/* What changes from one training step to the next, kept on the GPU by the CUDA engine, so that every step of an
 * epoch is the same launch sequence (and one CUDA graph): ae4j_step_begin advances it, the gather and the
 * optimizer kernels read it. The learning rate is here rather than in the launches' arguments, so that the host
 * can lower it between epochs (ReduceLROnPlateau) without capturing the steps again. */
struct StepState {
    long long t;           /* optimizer steps done, this one included */
    unsigned long long noise_seed; /* the model's noise seed: noise_key(noise_seed, layer, phase, t) */
    double nadam_schedule; /* Π μ_1..μ_t */
    double lr;             /* the optimizer's learning rate, which the schedule starts from (the host sets it) */
    int cursor;            /* this step's first position in the epoch's order */
    int next;              /* the next step's */
    float rate;            /* this step's learning rate: scheduled_rate(lr, …, t − 1) */
    float lr_t;            /* Adam: √(1−β2^t)/(1−β1^t), the factor of the rate */
    float g_scale, m_scale, v_scale; /* Nadam: (1−μ_t)/(1−Π_t), μ_{t+1}/(1−Π_t·μ_{t+1}), 1/(1−β2^t) */
};

/* Activity regularizers of a layer's output (Keras's activity_regularizer), in the order of
 * ae4j.spec.ActivityRegularizer: none, l1 (factor), Keras's KL divergence of a sigmoid layer (weight, target). */
enum RegularizerKind { REG_NONE = 0, REG_L1 = 1, REG_KL = 2 };

}  // namespace ae4j

#if !defined(__CUDACC_RTC__)
#include <stdint.h>

namespace ae4j {

/* out[B,O] = act(x[B,I] · W + b)        W [I,O]    (transpose_w = 0: Dense)
 * out[B,O] = act(x[B,I] · Wᵀ + b)       W [O,I]    (transpose_w = 1: DenseTranspose, W owned by another layer) */
void dense_forward(float* out, const float* x, const float* w, const float* b,
                   int B, int I, int O, int transpose_w, int act);
void dense_forward(double* out, const double* x, const double* w, const double* b,
                   int B, int I, int O, int transpose_w, int act);

/* dout[B,O]: ∂L/∂out on entry, ∂L/∂z on return.   db[O] = Σ_rows ∂L/∂z.
 * dw [I,O] (transposed: [O,I]) = xᵀ·∂L/∂z (transposed: (∂L/∂z)ᵀ·x), added to dw when accumulate_w (tied W).
 * dx[B,I] = ∂L/∂z · Wᵀ (transposed: ∂L/∂z · W); not computed when dx is NULL (first layer). */
void dense_backward(float* dx, float* dw, float* db, float* dout, const float* x, const float* out, const float* w,
                    int B, int I, int O, int transpose_w, int act, int accumulate_w);
void dense_backward(double* dx, double* dw, double* db, double* dout, const double* x, const double* out, const double* w,
                    int B, int I, int O, int transpose_w, int act, int accumulate_w);

/* The loss of one batch, with Keras's semantics (mean over the batch; MSE and BCE also over the features).
 * out[B,D]: the output layer's logits when the loss is fused with out_act (sigmoid+BCE, softmax+CCE), replaced by
 * act(logits); otherwise its predictions. y[B,D] targets. dout[B,D] = ∂L/∂out (∂L/∂logits when fused), or NULL.
 * totals[0] += Σ_rows loss(row); totals[rounded_slot] += Σ_rows rounded accuracy(row) and
 * totals[accuracy_slot] += Σ_rows [argmax out == argmax y] when the slot is >= 0. */
void loss_forward_backward(int loss, int out_act, float* out, const float* y, float* dout, int B, int D,
                           double* totals, int rounded_slot, int accuracy_slot);
void loss_forward_backward(int loss, int out_act, double* out, const double* y, double* dout, int B, int D,
                           double* totals, int rounded_slot, int accuracy_slot);

/* ---- noise layers: `key` = noise_key(seed, layer, phase, step); row r of the buffers is row first_row + r of the
 * pass (of the batch when training, of the data otherwise), and element (row, j) of an n-wide layer draws
 * noise_bits(key, row·n + j) (dropout) or the Box–Muller pair (row·⌈n/2⌉ + j/2) (normals). ---- */

/* Keras GaussianNoise while training: out[B,n] = x + stddev·N(0, 1). */
void gaussian_noise_forward(float* out, const float* x, int B, int n, double stddev, uint64_t key, int64_t first_row);
void gaussian_noise_forward(double* out, const double* x, int B, int n, double stddev, uint64_t key, int64_t first_row);

/* Keras Dropout while training: out[B,n] = x·[u ≥ rate]/(1 − rate); its backward dx[B,n] = dout·[u ≥ rate]/(1 − rate). */
void dropout_forward(float* out, const float* x, int B, int n, double rate, uint64_t key, int64_t first_row);
void dropout_forward(double* out, const double* x, int B, int n, double rate, uint64_t key, int64_t first_row);
void dropout_backward(float* dx, const float* dout, int B, int n, double rate, uint64_t key, int64_t first_row);
void dropout_backward(double* dx, const double* dout, int B, int n, double rate, uint64_t key, int64_t first_row);

/* The variational autoencoder's Sampling (in every phase): x[B,2k] = [mean | log_var], out[B,k] = mean +
 * exp(log_var/2)·ε with ε ~ N(0, 1); totals[0] += latent_weight·Σ_rows −0.5·Σ_j (1 + log_var − e^log_var − mean²)
 * unless totals is NULL (the latent loss, added to the batch loss as its mean over the rows). */
void sampling_forward(float* out, const float* x, int B, int k, double latent_weight, uint64_t key, int64_t first_row,
                      double* totals);
void sampling_forward(double* out, const double* x, int B, int k, double latent_weight, uint64_t key,
                      int64_t first_row, double* totals);
/* dx[B,2k] from dout[B,k]: ∂/∂mean = dout + w·mean/batch_rows, ∂/∂log_var = dout·ε·exp(log_var/2)/2 +
 * w·(e^log_var − 1)/(2·batch_rows), w = latent_weight; batch_rows: the whole batch's rows (the mean's). */
void sampling_backward(float* dx, const float* dout, const float* x, int B, int k, double latent_weight, uint64_t key,
                       int64_t first_row, int batch_rows);
void sampling_backward(double* dx, const double* dout, const double* x, int B, int k, double latent_weight,
                       uint64_t key, int64_t first_row, int batch_rows);

/* ---- activity regularizers of a layer's output a[B,n]; Keras adds each to the batch's loss divided by the batch's
 * rows. The *_loss functions return the batch's contribution to the summed loss (batch rows × its share of the mean
 * loss); the *_backward ones add ∂(batch loss)/∂a to da[B,n]. ---- */

/* L1: l1·Σ|a|; da += l1·sign(a)/batch_rows. */
double l1_activity_loss(const float* a, int B, int n, double l1);
double l1_activity_loss(const double* a, int B, int n, double l1);
void l1_activity_backward(float* da, const float* a, int B, int n, double l1, int batch_rows);
void l1_activity_backward(double* da, const double* a, int B, int n, double l1, int batch_rows);

/* sums[n] = Σ_rows a[B,n] (overwritten): a batch's share of the column sums that give the KL's mean activations. */
void column_sums(double* sums, const float* a, int B, int n);
void column_sums(double* sums, const double* a, int B, int n);
/* KL (the book's KLDivergenceRegularizer): with m_j = sums[j]/batch_rows, weight·Σ_j KL(target ‖ m_j) + KL(1 −
 * target ‖ 1 − m_j), Keras's kullback_leibler_divergence clipping both sides to [ε, 1]. */
double kl_activity_loss(const double* sums, int n, int batch_rows, double weight, double target);
/* da[B,n] += weight·∂KL/∂m_j / batch_rows² (no gradient where a clip is active). */
void kl_activity_backward(float* da, int B, int n, const double* sums, int batch_rows, double weight, double target);
void kl_activity_backward(double* da, int B, int n, const double* sums, int batch_rows, double weight, double target);

/* dst[n,width] = src[rows[i],:] for i < n */
void gather_rows(float* dst, const float* src, const int32_t* rows, int n, int width);
void gather_rows(double* dst, const double* src, const int32_t* rows, int n, int width);

/* Keras SGD over P parameters: v == NULL: p -= lr·g; else v = m·v − lr·g and p += v (nesterov: p += m·v − lr·g). */
void sgd_step(float* p, const float* g, float* v, int64_t P, float lr, float momentum, int nesterov);
void sgd_step(double* p, const double* g, double* v, int64_t P, double lr, double momentum, int nesterov);

/* Keras Adam at step t (1-based); m, v [P]. */
void adam_step(float* p, const float* g, float* m, float* v, int64_t P, double lr, double beta1, double beta2,
               double eps, int64_t t);
void adam_step(double* p, const double* g, double* m, double* v, int64_t P, double lr, double beta1, double beta2,
               double eps, int64_t t);

/* Keras RMSprop without momentum (TF 2's _resource_apply_dense): rms = ρ·rms + (1−ρ)·g²; p −= lr·g/(√rms + ε). */
void rmsprop_step(float* p, const float* g, float* rms, int64_t P, double lr, double rho, double eps);
void rmsprop_step(double* p, const double* g, double* rms, int64_t P, double lr, double rho, double eps);

/* Keras Nadam at step t: mu_t, mu_next = μ_t, μ_{t+1} and schedule_t = Π μ_1..μ_t (nadam_mu, nadam_schedule). m, v [P]. */
void nadam_step(float* p, const float* g, float* m, float* v, int64_t P, double lr, double beta1, double beta2,
                double eps, int64_t t, double mu_t, double mu_next, double schedule_t);
void nadam_step(double* p, const double* g, double* m, double* v, int64_t P, double lr, double beta1, double beta2,
                double eps, int64_t t, double mu_t, double mu_next, double schedule_t);

}  // namespace ae4j
#endif  // !__CUDACC_RTC__
