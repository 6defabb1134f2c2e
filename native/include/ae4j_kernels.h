/*
 * ae4j_kernels.h — the kernels of ae4j's native DenseTranspose op, one header shared by the CPU implementation
 * (native/cpu) and the CUDA one (native/cuda).
 *
 * In the manner of llm.c's layer functions: each layer is a *_forward / *_backward pair over raw buffers that the
 * caller allocates; every matrix is row-major (c-order) and contiguous; shapes are stated above each function.
 * B = rows in the batch, I = inputs and O = outputs of a layer, D = outputs of the model, P = parameters.
 * Dense and DenseTranspose share dense_forward/dense_backward: the only difference is transpose_w (and who owns W).
 *
 * The CUDA kernels (native/cuda/ae4j_kernels.cu) include this header for the codes below; they are compiled by
 * nvcc and, at run time, by NVRTC, which sees only the part outside the host-only guard.
 *
 * Not here: allocation, threads, error handling (callers check shapes and pointers before calling), Java.
 */
#pragma once

namespace ae4j {

/* Activation codes, in the order of ae4j.nn.Activation. */
enum Act { ACT_IDENTITY = 0, ACT_SELU = 1, ACT_SIGMOID = 2, ACT_RELU = 3, ACT_TANH = 4, ACT_SOFTMAX = 5 };
/* Loss codes, in the order of ae4j.nn.Loss. */
enum LossKind { LOSS_MSE = 0, LOSS_BCE = 1, LOSS_CCE = 2 };

/* What changes from one training step to the next, kept on the GPU by the CUDA engine, so that every step of an
 * epoch is the same launch sequence (and one CUDA graph): ae4j_step_begin advances it, the gather and the
 * optimizer kernels read it. */
struct StepState {
    long long t;           /* optimizer steps done, this one included */
    double nadam_schedule; /* Π μ_1..μ_t */
    int cursor;            /* this step's first position in the epoch's order */
    int next;              /* the next step's */
    float lr_t;            /* Adam: lr·√(1−β2^t)/(1−β1^t) */
    float g_scale, m_scale, v_scale; /* Nadam: (1−μ_t)/(1−Π_t), μ_{t+1}/(1−Π_t·μ_{t+1}), 1/(1−β2^t) */
};

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

/* Keras Nadam at step t: mu_t, mu_next = μ_t, μ_{t+1}; schedule_t = Π μ_1..μ_t. m, v [P]. */
void nadam_step(float* p, const float* g, float* m, float* v, int64_t P, double lr, double beta1, double beta2,
                double eps, int64_t t, double mu_t, double mu_next, double schedule_t);
void nadam_step(double* p, const double* g, double* m, double* v, int64_t P, double lr, double beta1, double beta2,
                double eps, int64_t t, double mu_t, double mu_next, double schedule_t);

}  // namespace ae4j
#endif  // !__CUDACC_RTC__
