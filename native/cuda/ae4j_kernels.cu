/*
 * ae4j_kernels.cu — the CUDA device kernels of ae4j: everything in a training step except the GEMMs (bias and
 * activation, their backward, the noise layers, the activity regularizers, the losses, the batch gather and the
 * optimizer steps), with the semantics of the CPU kernels in native/cpu/kernels.h (Keras's; see ae4j_kernels.h).
 * The noise layers draw the CPU's numbers: the same counter-based generator (ae4j_kernels.h), keyed by the noise
 * seed and step count kept in the device-side StepState, so that a captured step draws anew at every replay.
 *
 * Device code only. The Java side compiles this text with NVRTC to compute_80 PTX (JIT-compiled by the driver on
 * newer GPUs) and launches the kernels through the driver API by their extern "C" names: C++ callers see them in
 * namespace ae4j, but the PTX entry names carry no namespace. The test kit (native/cuda/test) compiles it with nvcc.
 * Hence no host code and no include but ae4j_kernels.h, of which NVRTC sees only the codes (ACT_*, LOSS_*), the
 * noise generator, Nadam's schedule and StepState. The CUDA engine (native/cuda/engine) includes this file too: one
 * source for every CUDA kernel.
 * Not here: the GEMMs (cuBLAS; a row-major C = A·B is the column-major Cᵀ = Bᵀ·Aᵀ), allocation, streams, checks.
 *
 * Matrices are row-major and contiguous; float32 only. Blocks: any multiple of 32 threads up to 1024 (the launch
 * comments say 256). Grids: any size; every kernel walks its work with a grid stride.
 * Math: expf/logf as on the CPU, plus log1pf, expm1f and tanhf where CUDA has them, so results differ from the
 * CPU's only by float rounding. Do not compile with fast math (--use_fast_math), which would change that.
 */
#ifndef AE4J_KERNELS_CU
#define AE4J_KERNELS_CU
#include "ae4j_kernels.h"

namespace ae4j {
namespace {

constexpr float SELU_SCALE = 1.0507009873554804934193349852946f;
constexpr float SELU_SCALE_ALPHA = (float) (1.0507009873554804934193349852946 * 1.6732632423543772848170429916717);
constexpr float ELU_ALPHA = 1.0f; /* Keras's default */
constexpr float KERAS_EPSILON = 1e-7f;
constexpr int NO_INDEX = 0x7fffffff;

__device__ __forceinline__ float neg_inf() { return -__int_as_float(0x7f800000); }

__device__ __forceinline__ long long thread_index() { return (long long) blockIdx.x * blockDim.x + threadIdx.x; }
__device__ __forceinline__ long long grid_threads() { return (long long) gridDim.x * blockDim.x; }

/* σ(z) through e^−|z|, which cannot overflow. */
__device__ __forceinline__ float sigmoid(float z) {
    float e = expf(-fabsf(z));
    return (z >= 0.0f ? 1.0f : e) / (1.0f + e);
}

__device__ __forceinline__ float activate(float z, int act) {
    switch (act) {
        case ACT_SELU: return z > 0.0f ? SELU_SCALE * z : SELU_SCALE_ALPHA * expm1f(z);
        case ACT_SIGMOID: return sigmoid(z);
        case ACT_RELU: return z > 0.0f ? z : 0.0f;
        case ACT_TANH: return tanhf(z);
        case ACT_ELU: return z > 0.0f ? z : ELU_ALPHA * expm1f(z);
        default: return z; /* identity; softmax is applied by ae4j_softmax_rows */
    }
}

/* d ⊙ act'(z), with act' written through the output a = act(z). */
__device__ __forceinline__ float activation_backward(float d, float a, int act) {
    switch (act) {
        case ACT_SELU: return d * (a > 0.0f ? SELU_SCALE : a + SELU_SCALE_ALPHA);
        case ACT_SIGMOID: return d * a * (1.0f - a);
        case ACT_RELU: return a > 0.0f ? d : 0.0f; /* a select, as on the CPU: no 0·inf */
        case ACT_TANH: return d * (1.0f - a * a);
        case ACT_ELU: return d * (a > 0.0f ? 1.0f : a + ELU_ALPHA);
        default: return d;
    }
}

struct Sum {
    template <typename T>
    __device__ T operator()(T a, T b) const { return a + b; }
};
struct Max {
    __device__ float operator()(float a, float b) const { return fmaxf(a, b); }
};

template <typename T, typename Op>
__device__ __forceinline__ T warp_reduce(T v, Op op) {
    for (int offset = 16; offset > 0; offset >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, offset));
    return v;
}

/* v reduced over the block; every thread gets the result. All threads of the block must call it (it synchronises).
 * The barrier on entry lets consecutive calls reuse the shared slots safely. */
template <typename T, typename Op>
__device__ T block_reduce(T v, Op op, T identity) {
    __shared__ T partial[32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = warp_reduce(v, op);
    __syncthreads();
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    v = lane < (int) (blockDim.x >> 5) ? partial[lane] : identity;
    return warp_reduce(v, op);
}

__device__ __forceinline__ float block_sum(float v) { return block_reduce(v, Sum(), 0.0f); }
__device__ __forceinline__ float block_max(float v) { return block_reduce(v, Max(), neg_inf()); }

/* Keeps the first maximum: a later index wins only with a larger value (the CPU's strict `>` scan). */
__device__ __forceinline__ void argmax_merge(float& v, int& i, float other_v, int other_i) {
    if (other_v > v || (other_v == v && other_i < i)) {
        v = other_v;
        i = other_i;
    }
}

__device__ __forceinline__ void warp_argmax(float& v, int& i) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        float other_v = __shfl_xor_sync(0xffffffffu, v, offset);
        int other_i = __shfl_xor_sync(0xffffffffu, i, offset);
        argmax_merge(v, i, other_v, other_i);
    }
}

/* The index of the block's first maximum, given each thread's own (value, index); same contract as block_reduce. */
__device__ int block_argmax(float v, int i) {
    __shared__ float partial_v[32];
    __shared__ int partial_i[32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    warp_argmax(v, i);
    __syncthreads();
    if (lane == 0) {
        partial_v[warp] = v;
        partial_i[warp] = i;
    }
    __syncthreads();
    const bool filled = lane < (int) (blockDim.x >> 5);
    v = filled ? partial_v[lane] : neg_inf();
    i = filled ? partial_i[lane] : NO_INDEX;
    warp_argmax(v, i);
    return i;
}

/* The standard normal of element (row, col) of an n-wide layer: its Box–Muller pair as the CPU's normal_pair. */
__device__ __forceinline__ float noise_normal(unsigned long long key, long long row, int col, int n) {
    float u1, u2;
    noise_uniform_pair(noise_bits(key, (unsigned long long) (row * ((n + 1) / 2) + col / 2)), &u1, &u2);
    const float radius = sqrtf(-2.0f * logf(u1));
    float sine, cosine;
    sincosf(6.283185307179586f * u2, &sine, &cosine);
    return radius * ((col & 1) ? sine : cosine);
}

/* Keras's kullback_leibler_divergence clips both sides to [ε, 1] (in double, as the CPU). */
__device__ __forceinline__ double clip_unit(double v) { return v < 1e-7 ? 1e-7 : v > 1.0 ? 1.0 : v; }

/* d/dm of KL(t‖m) + KL(1−t‖1−m); an active clip passes no gradient. */
__device__ __forceinline__ double kl_unit_derivative(double m, double target) {
    const double p = clip_unit(m), q = clip_unit(1.0 - m);
    const bool inside_p = m >= 1e-7 && m <= 1.0, inside_q = 1.0 - m >= 1e-7 && 1.0 - m <= 1.0;
    return (inside_p ? -clip_unit(target) / p : 0.0) + (inside_q ? clip_unit(1.0 - target) / q : 0.0);
}

}  // namespace

/* out[rows,cols] = act(out + b[cols]); for ACT_SOFTMAX only the bias is added (ae4j_softmax_rows follows).
 * Launch: 256 threads, ceil(rows·cols / 256) blocks (any grid). */
extern "C" __global__ void ae4j_bias_act_forward(float* out, const float* b, int rows, int cols, int act) {
    const long long n = (long long) rows * cols;
    for (long long i = thread_index(); i < n; i += grid_threads()) out[i] = activate(out[i] + b[i % cols], act);
}

/* x[rows,cols] = softmax(x) along each row, in place, with the row's maximum subtracted first.
 * Launch: 256 threads, one block per row (any grid). */
extern "C" __global__ void ae4j_softmax_rows(float* x, int rows, int cols) {
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        float* row = x + r * cols;
        float max = neg_inf();
        for (int j = threadIdx.x; j < cols; j += blockDim.x) max = fmaxf(max, row[j]);
        max = block_max(max);
        float sum = 0.0f;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            float e = expf(row[j] - max);
            row[j] = e; /* each thread reads back only its own elements below: no barrier needed */
            sum += e;
        }
        const float inv = 1.0f / block_sum(sum);
        for (int j = threadIdx.x; j < cols; j += blockDim.x) row[j] *= inv;
    }
}

/* dout[rows,cols]: ∂L/∂a on entry, ∂L/∂z = ∂L/∂a ⊙ act'(z) on return, from out[rows,cols] = a. Identity and
 * ACT_SOFTMAX leave dout unchanged (softmax: ae4j_softmax_backward_rows).
 * Launch: 256 threads, ceil(rows·cols / 256) blocks (any grid). */
extern "C" __global__ void ae4j_act_backward(float* dout, const float* out, int rows, int cols, int act) {
    if (act == ACT_IDENTITY || act == ACT_SOFTMAX) return;
    const long long n = (long long) rows * cols;
    for (long long i = thread_index(); i < n; i += grid_threads()) dout[i] = activation_backward(dout[i], out[i], act);
}

/* dout[rows,cols] := a ⊙ (d − Σ_row d⊙a) for a softmax layer, a = out[rows,cols].
 * Launch: 256 threads, one block per row (any grid). */
extern "C" __global__ void ae4j_softmax_backward_rows(float* dout, const float* out, int rows, int cols) {
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        float* d = dout + r * cols;
        const float* a = out + r * cols;
        float dot = 0.0f;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) dot += d[j] * a[j];
        dot = block_sum(dot);
        for (int j = threadIdx.x; j < cols; j += blockDim.x) d[j] = (d[j] - dot) * a[j];
    }
}

/* sums[cols] = Σ_r a[r,c] (overwrites), summed in Acc. Each block takes 32-column tiles: lane = column, so every
 * warp reads 128 contiguous bytes of a row; the warps split the rows and their partial sums meet in shared memory.
 * Deterministic (no atomics). Launch: a multiple of 32 threads up to 1024, ceil(cols / 32) blocks (any grid). */
template <typename Acc>
__device__ void column_sums_by_tiles(Acc* sums, const float* a, int rows, int cols) {
    __shared__ Acc partial[32][32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    const long long tiles = (cols + 31LL) / 32;
    for (long long tile = blockIdx.x; tile < tiles; tile += gridDim.x) {
        const long long c = tile * 32 + lane;
        Acc sum = 0;
        if (c < cols)
            for (long long r = warp; r < rows; r += warps) sum += a[r * cols + c];
        partial[warp][lane] = sum;
        __syncthreads();
        if (warp == 0) {
            for (int w = 1; w < warps; w++) sum += partial[w][lane];
            if (c < cols) sums[c] = sum;
        }
        __syncthreads(); /* before the next tile overwrites partial */
    }
}

/* db[cols] = Σ_r dz[r,c] (overwrites db). Launch as column_sums_by_tiles. */
extern "C" __global__ void __launch_bounds__(1024) ae4j_bias_grad(float* db, const float* dz, int rows, int cols) {
    column_sums_by_tiles(db, dz, rows, cols);
}

/* The loss of a batch, as the CPU's loss_forward_backward (Keras semantics). out[rows,cols]: logits when the loss is
 * fused with out_act (sigmoid+BCE, softmax+CCE), replaced by act(logits); otherwise predictions, left unchanged.
 * y[rows,cols] targets. dout[rows,cols] = ∂L/∂out (∂L/∂logits when fused), or NULL. totals[0] += Σ_rows loss(row);
 * totals[rounded_slot] += Σ_rows (matches of (y > .5) == (out > .5)) / cols; totals[accuracy_slot] += Σ_rows
 * [argmax out == argmax y]; a slot < 0 is not computed. Each block adds its rows into totals once (atomicAdd).
 * Launch: 256 threads, one block per row (any grid). */
extern "C" __global__ void ae4j_loss(int loss, int out_act, float* out, const float* y, float* dout, int rows, int cols,
                                     double* totals, int rounded_slot, int accuracy_slot) {
    const bool fused = (loss == LOSS_BCE && out_act == ACT_SIGMOID) ||
                       (loss == LOSS_CCE && out_act == ACT_SOFTMAX);
    const float eps = KERAS_EPSILON;
    const float mse_scale = (float) (2.0 / ((double) rows * cols)); /* MSE and BCE: means over rows and features */
    const float bce_scale = (float) (1.0 / ((double) rows * cols));
    double loss_sum = 0.0, rounded_sum = 0.0, accuracy_sum = 0.0; /* over this block's rows; thread 0 adds them */
    /* Every loop over j below gives a thread the same elements, so it reads back only what it wrote itself. */
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        float* o = out + r * cols;
        const float* t = y + r * cols;
        float* g = dout ? dout + r * cols : nullptr;
        float row;
        if (loss == LOSS_MSE) {
            float s = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                float diff = o[j] - t[j];
                s += diff * diff;
                if (g) g[j] = diff * mse_scale;
            }
            row = block_sum(s) / cols;
        } else if (loss == LOSS_BCE && fused) {
            /* from logits: max(z,0) − z·y + log(1 + e^−|z|); p = σ(z); ∂L/∂z = (p − y) / (rows·cols) */
            float s = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                float z = o[j];
                float e = expf(-fabsf(z));
                float p = (z >= 0.0f ? 1.0f : e) / (1.0f + e);
                s += (z > 0.0f ? z : 0.0f) - z * t[j] + log1pf(e);
                o[j] = p;
                if (g) g[j] = (p - t[j]) * bce_scale;
            }
            row = block_sum(s) / cols;
        } else if (loss == LOSS_BCE) {
            /* Keras on probabilities: −(y·log(p+ε) + (1−y)·log(1−p+ε)) with p clipped to [ε, 1−ε];
             * no gradient where clipped */
            float s = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                float p = fminf(fmaxf(o[j], eps), 1.0f - eps);
                s -= t[j] * logf(p + eps) + (1.0f - t[j]) * logf(1.0f - p + eps);
                if (g) {
                    float inside = (o[j] >= eps && o[j] <= 1.0f - eps) ? 1.0f : 0.0f;
                    g[j] = -(t[j] / (p + eps) - (1.0f - t[j]) / (1.0f - p + eps)) * inside * bce_scale;
                }
            }
            row = block_sum(s) / cols;
        } else if (fused) {
            /* CCE from logits: −Σ y·log_softmax(z); p = softmax(z); ∂L/∂z = (p·Σy − y) / rows */
            float max = neg_inf();
            for (int j = threadIdx.x; j < cols; j += blockDim.x) max = fmaxf(max, o[j]);
            max = block_max(max);
            float sum = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) sum += expf(o[j] - max);
            const float log_sum = logf(block_sum(sum));
            float s = 0.0f, y_sum = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                float shifted = o[j] - max - log_sum;
                s -= t[j] * shifted;
                y_sum += t[j];
                o[j] = expf(shifted);
            }
            row = block_sum(s);
            y_sum = block_sum(y_sum);
            if (g)
                for (int j = threadIdx.x; j < cols; j += blockDim.x) g[j] = (o[j] * y_sum - t[j]) / (float) rows;
        } else {
            /* Keras CCE on probabilities: q = p / Σp clipped to [ε, 1−ε]; −Σ y·log q; no gradient where clipped */
            float sum = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) sum += o[j];
            sum = block_sum(sum);
            float s = 0.0f, gq = 0.0f;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                float q = o[j] / sum;
                float qc = fminf(fmaxf(q, eps), 1.0f - eps);
                s -= t[j] * logf(qc);
                float gj = (q >= eps && q <= 1.0f - eps) ? -t[j] / qc : 0.0f;
                if (g) g[j] = gj;
                gq += gj * q;
            }
            row = block_sum(s);
            if (g) {
                gq = block_sum(gq);
                for (int j = threadIdx.x; j < cols; j += blockDim.x) g[j] = (g[j] - gq) / sum / (float) rows;
            }
        }
        if (rounded_slot >= 0 || accuracy_slot >= 0) {
            int matches = 0;
            float best_o = neg_inf(), best_t = neg_inf();
            int arg_o = NO_INDEX, arg_t = NO_INDEX;
            for (int j = threadIdx.x; j < cols; j += blockDim.x) {
                matches += (t[j] > 0.5f) == (o[j] > 0.5f);
                argmax_merge(best_o, arg_o, o[j], j);
                argmax_merge(best_t, arg_t, t[j], j);
            }
            if (rounded_slot >= 0) {
                matches = block_reduce(matches, Sum(), 0);
                rounded_sum += (double) matches / cols;
            }
            if (accuracy_slot >= 0) {
                arg_o = block_argmax(best_o, arg_o);
                arg_t = block_argmax(best_t, arg_t);
                accuracy_sum += arg_o == arg_t ? 1.0 : 0.0;
            }
        }
        loss_sum += row;
    }
    if (threadIdx.x == 0 && blockIdx.x < rows) {
        atomicAdd(totals, loss_sum);
        if (rounded_slot >= 0) atomicAdd(totals + rounded_slot, rounded_sum);
        if (accuracy_slot >= 0) atomicAdd(totals + accuracy_slot, accuracy_sum);
    }
}

/* ---- noise layers. Their numbers come from the stream noise_key(s->noise_seed, layer, phase, s->t); row r of the
 * buffers is row first_row + r of the pass (of the batch when training, of the data otherwise). ---- */

/* Keras GaussianNoise while training: out[rows,cols] = x + stddev·N(0, 1).
 * Launch: 256 threads, ceil(rows·cols / 256) blocks (any grid). */
extern "C" __global__ void ae4j_gaussian_noise(float* out, const float* x, int rows, int cols, float stddev,
                                              const StepState* s, int layer, int phase, long long first_row) {
    const unsigned long long key = noise_key(s->noise_seed, layer, phase, s->t);
    const long long n = (long long) rows * cols;
    for (long long i = thread_index(); i < n; i += grid_threads())
        out[i] = x[i] + stddev * noise_normal(key, first_row + i / cols, (int) (i % cols), cols);
}

/* Keras Dropout, forward (in = x) and backward (in = ∂L/∂out) alike: out[rows,cols] = in·scale where the element's
 * bits >> 40 ≥ threshold (dropout_threshold(rate)), else 0; scale = 1/(1 − rate).
 * Launch: 256 threads, ceil(rows·cols / 256) blocks (any grid). */
extern "C" __global__ void ae4j_dropout(float* out, const float* in, int rows, int cols, unsigned int threshold, float scale,
                                       const StepState* s, int layer, int phase, long long first_row) {
    const unsigned long long key = noise_key(s->noise_seed, layer, phase, s->t);
    const long long n = (long long) rows * cols;
    for (long long i = thread_index(); i < n; i += grid_threads()) {
        const unsigned long long index = (unsigned long long) ((first_row + i / cols) * cols + i % cols);
        out[i] = (noise_bits(key, index) >> 40) >= threshold ? in[i] * scale : 0.0f;
    }
}

/* The variational Sampling: x[rows,2k] = [mean | log_var], out[rows,k] = mean + exp(log_var/2)·ε; unless totals is
 * NULL, totals[0] += latent_weight·Σ −0.5·(1 + log_var − e^log_var − mean²), each block adding its share once.
 * Launch: 256 threads, ceil(rows·k / 256) blocks (any grid). */
extern "C" __global__ void ae4j_sampling_forward(float* out, const float* x, int rows, int k, double latent_weight,
                                                 const StepState* s, int layer, int phase, long long first_row,
                                                 double* totals) {
    const unsigned long long key = noise_key(s->noise_seed, layer, phase, s->t);
    const long long n = (long long) rows * k;
    double latent = 0.0;
    for (long long i = thread_index(); i < n; i += grid_threads()) {
        const long long r = i / k;
        const int j = (int) (i % k);
        const float mean = x[r * 2 * k + j], log_var = x[r * 2 * k + k + j];
        out[i] = mean + expf(log_var / 2) * noise_normal(key, first_row + r, j, k);
        latent += 1.0 + (double) log_var - (double) expf(log_var) - (double) mean * mean;
    }
    if (totals) {
        latent = block_reduce(latent, Sum(), 0.0);
        if (threadIdx.x == 0) atomicAdd(totals, -0.5 * latent_weight * latent);
    }
}

/* The backward of ae4j_sampling_forward, its latent loss included: dx[rows,2k] from dout[rows,k]: ∂/∂mean = dout +
 * w·mean, ∂/∂log_var = dout·ε·exp(log_var/2)/2 + w·(e^log_var − 1)/2, w = latent_weight / batch rows (by the host).
 * Launch: 256 threads, ceil(rows·k / 256) blocks (any grid). */
extern "C" __global__ void ae4j_sampling_backward(float* dx, const float* dout, const float* x, int rows, int k, float w,
                                                  const StepState* s, int layer, int phase, long long first_row) {
    const unsigned long long key = noise_key(s->noise_seed, layer, phase, s->t);
    const long long n = (long long) rows * k;
    for (long long i = thread_index(); i < n; i += grid_threads()) {
        const long long r = i / k;
        const int j = (int) (i % k);
        const float mean = x[r * 2 * k + j], log_var = x[r * 2 * k + k + j];
        const float sd = expf(log_var / 2);
        dx[r * 2 * k + j] = dout[i] + w * mean;
        dx[r * 2 * k + k + j] = dout[i] * noise_normal(key, first_row + r, j, k) * sd / 2 + w * (sd * sd - 1.0f) / 2;
    }
}

/* ---- activity regularizers of a layer's output a[rows,cols] (see ae4j_kernels.h) ---- */

/* L1: unless da is NULL, da += l1·sign(a)/batch_rows; unless totals is NULL, totals[0] += l1·Σ|a| (each block once).
 * Launch: 256 threads, ceil(rows·cols / 256) blocks (any grid). */
extern "C" __global__ void ae4j_l1_activity(const float* a, float* da, int rows, int cols, double l1, int batch_rows,
                                           double* totals) {
    const float step = (float) (l1 / batch_rows);
    const long long n = (long long) rows * cols;
    double sum = 0.0;
    for (long long i = thread_index(); i < n; i += grid_threads()) {
        const float v = a[i];
        if (da) da[i] += v > 0.0f ? step : v < 0.0f ? -step : 0.0f;
        sum += fabs((double) v);
    }
    if (totals) {
        sum = block_reduce(sum, Sum(), 0.0);
        if (threadIdx.x == 0) atomicAdd(totals, l1 * sum);
    }
}

/* sums[cols] = Σ_r a[r,c] in double (overwrites): the column sums a KL regularizer's mean activations come from.
 * Launch as column_sums_by_tiles. */
extern "C" __global__ void __launch_bounds__(1024) ae4j_column_sums(double* sums, const float* a, int rows, int cols) {
    column_sums_by_tiles(sums, a, rows, cols);
}

/* The book's KL regularizer, m_j = sums[j]/batch_rows: unless da is NULL, da[rows,cols] += weight·∂KL/∂m_j /
 * batch_rows²; unless totals is NULL, totals[0] += weight·Σ_j KL(target‖m_j) + KL(1−target‖1−m_j), by block 0.
 * Launch: 256 threads, ceil(rows·cols / 256) blocks (any grid, at least one block). */
extern "C" __global__ void ae4j_kl_activity(float* da, int rows, int cols, const double* sums, int batch_rows,
                                           double weight, double target, double* totals) {
    if (da) {
        const double scale = weight / ((double) batch_rows * batch_rows);
        const long long n = (long long) rows * cols;
        for (long long i = thread_index(); i < n; i += grid_threads()) {
            const int j = (int) (i % cols);
            da[i] += (float) (scale * kl_unit_derivative(sums[j] / batch_rows, target));
        }
    }
    if (totals && blockIdx.x == 0) {
        const double t = clip_unit(target), u = clip_unit(1.0 - target);
        double kl = 0.0;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            const double m = sums[j] / batch_rows;
            kl += t * log(t / clip_unit(m)) + u * log(u / clip_unit(1.0 - m));
        }
        kl = block_reduce(kl, Sum(), 0.0);
        if (threadIdx.x == 0) atomicAdd(totals, weight * kl);
    }
}

/* dst[n,width] = src[rows[i],:] for i < n. Launch: 256 threads, one block per row (any grid). */
extern "C" __global__ void ae4j_gather_rows(float* dst, const float* src, const int* rows, int n, int width) {
    for (long long i = blockIdx.x; i < n; i += gridDim.x) {
        const float* from = src + (long long) rows[i] * width;
        float* to = dst + i * width;
        for (int c = threadIdx.x; c < width; c += blockDim.x) to[c] = from[c];
    }
}

/* ---- the optimizers' updates of one parameter i with its gradient gi (Keras's), then kernels over [0, n) ---- */

/* SGD: v == NULL: p −= lr·g; else v = momentum·v − lr·g and p += v (nesterov: p += momentum·v − lr·g). */
__device__ __forceinline__ void sgd_element(float* p, float gi, float* v, long long i, float lr, float momentum,
                                            int nesterov) {
    if (!v) {
        p[i] -= lr * gi;
    } else {
        const float vi = momentum * v[i] - lr * gi;
        v[i] = vi;
        p[i] += nesterov ? momentum * vi - lr * gi : vi;
    }
}

/* RMSprop without momentum: rms = ρ·rms + (1−ρ)·g²; p −= lr·g/(√rms + ε). */
__device__ __forceinline__ void rmsprop_element(float* p, float gi, float* rms, long long i, float lr, float rho, float eps) {
    const float ri = rho * rms[i] + (1.0f - rho) * gi * gi;
    rms[i] = ri;
    p[i] -= lr * gi / (sqrtf(ri) + eps);
}

/* The moments' update every Adam-family step makes: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g². */
__device__ __forceinline__ void update_moments(float gi, float* m, float* v, float beta1, float beta2, float* mi, float* vi) {
    *mi = beta1 * *m + (1.0f - beta1) * gi;
    *vi = beta2 * *v + (1.0f - beta2) * gi * gi;
    *m = *mi;
    *v = *vi;
}

/* Adam: p −= lr_t·m/(√v + ε). */
__device__ __forceinline__ void adam_element(float* p, float gi, float* m, float* v, long long i, float lr_t, float beta1,
                                             float beta2, float eps) {
    float mi, vi;
    update_moments(gi, m + i, v + i, beta1, beta2, &mi, &vi);
    p[i] -= lr_t * mi / (sqrtf(vi) + eps);
}

/* Nadam: p −= lr·(g_scale·g + m_scale·m)/(√(v·v_scale) + ε). */
__device__ __forceinline__ void nadam_element(float* p, float gi, float* m, float* v, long long i, float lr, float beta1,
                                              float beta2, float eps, float g_scale, float m_scale, float v_scale) {
    float mi, vi;
    update_moments(gi, m + i, v + i, beta1, beta2, &mi, &vi);
    p[i] -= lr * (g_scale * gi + m_scale * mi) / (sqrtf(vi * v_scale) + eps);
}

/* Keras SGD over p, g[n] (v[n] or NULL), as sgd_element. Launch: 256 threads, ceil(n / 256) blocks (any grid). */
extern "C" __global__ void ae4j_sgd_step(float* p, const float* g, float* v, long long n, float lr, float momentum,
                                         int nesterov) {
    for (long long i = thread_index(); i < n; i += grid_threads()) sgd_element(p, g[i], v, i, lr, momentum, nesterov);
}

/* Keras RMSprop without momentum over p, g, rms[n]: rms = ρ·rms + (1−ρ)·g²; p −= lr·g/(√rms + ε).
 * Launch: 256 threads, ceil(n / 256) blocks (any grid). */
extern "C" __global__ void ae4j_rmsprop_step(float* p, const float* g, float* rms, long long n, float lr, float rho,
                                            float eps) {
    for (long long i = thread_index(); i < n; i += grid_threads()) rmsprop_element(p, g[i], rms, i, lr, rho, eps);
}

/* Keras Adam over p, g, m, v[n]: lr_t = lr·√(1−β2^t)/(1−β1^t), computed by the host in double.
 * Launch: 256 threads, ceil(n / 256) blocks (any grid). */
extern "C" __global__ void ae4j_adam_step(float* p, const float* g, float* m, float* v, long long n, float lr_t,
                                          float beta1, float beta2, float eps) {
    for (long long i = thread_index(); i < n; i += grid_threads()) adam_element(p, g[i], m, v, i, lr_t, beta1, beta2, eps);
}

/* Keras Nadam over p, g, m, v[n], with the host's (double) g_scale = (1−μ_t)/(1−Π_t),
 * m_scale = μ_{t+1}/(1−Π_t·μ_{t+1}), v_scale = 1/(1−β2^t) (Π_t = μ_1···μ_t).
 * Launch: 256 threads, ceil(n / 256) blocks (any grid). */
extern "C" __global__ void ae4j_nadam_step(float* p, const float* g, float* m, float* v, long long n, float lr,
                                           float beta1, float beta2, float eps, float g_scale, float m_scale,
                                           float v_scale) {
    for (long long i = thread_index(); i < n; i += grid_threads())
        nadam_element(p, g[i], m, v, i, lr, beta1, beta2, eps, g_scale, m_scale, v_scale);
}

/* The start of a training step of `rows` rows with the CUDA engine's optimizer (OPT_* of ae4j_plan.h): takes this
 * step's place in the epoch's order, counts the step and derives the optimizer's per-step scalars from t — the
 * step's learning rate from the StepState's by the schedule — in double as the CPU does. One thread calls it, in a
 * launch that nothing else in it reads the StepState. */
__device__ inline void step_begin(StepState* s, int rows, int optimizer, double beta1, double beta2, RateSchedule schedule) {
    s->cursor = s->next;
    s->next += rows;
    s->rate = (float) scheduled_rate(s->lr, schedule, s->t);
    const long long t = ++s->t;
    if (optimizer == 1) { /* Adam */
        s->lr_t = (float) (sqrt(1.0 - pow(beta2, (double) t)) / (1.0 - pow(beta1, (double) t)));
    } else if (optimizer == 2) { /* Nadam: the schedule carried from the previous step (ae4j_kernels.h) */
        const double mu_t = nadam_mu(beta1, t);
        const double mu_next = nadam_mu(beta1, t + 1);
        const double schedule = s->nadam_schedule * mu_t;
        s->nadam_schedule = schedule;
        s->g_scale = (float) ((1.0 - mu_t) / (1.0 - schedule));
        s->m_scale = (float) (mu_next / (1.0 - schedule * mu_next));
        s->v_scale = (float) (1.0 / (1.0 - pow(beta2, (double) t)));
    }
}

/* step_begin as a launch of its own. Launch: one thread. */
extern "C" __global__ void ae4j_step_begin(StepState* s, int rows, int optimizer, double beta1, double beta2,
                                           RateSchedule schedule) {
    if (blockIdx.x == 0 && threadIdx.x == 0) step_begin(s, rows, optimizer, beta1, beta2, schedule);
}

/* dst[n,width] = src[order[s->cursor + i],:] for i < n: the batch of the current step.
 * Launch: 256 threads, one block per row (any grid). */
extern "C" __global__ void ae4j_gather_batch(float* dst, const float* src, const int* order, const StepState* s, int n,
                                             int width) {
    const int* rows = order + s->cursor;
    for (long long i = blockIdx.x; i < n; i += gridDim.x) {
        const float* from = src + (long long) rows[i] * width;
        float* to = dst + i * width;
        for (int c = threadIdx.x; c < width; c += blockDim.x) to[c] = from[c];
    }
}

}  // namespace ae4j
#endif  // AE4J_KERNELS_CU
