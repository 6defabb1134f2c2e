/*
 * fused.cuh — the CUDA engine's fused training step, for plans of dense layers only (the book's linear, stacked
 * and tied autoencoders and the greedy layer-wise ones): ae4j's own products in place of cuBLAS, each ending in the
 * work that used to follow it as a launch of its own, so that a step is one launch per layer forward and one per
 * layer backward, plus the optimizer's when the batch is over SLICE_ROWS rows (the stacked autoencoder: 8 launches
 * at batch 32, 9 at 256, instead of 32).
 *
 *   forward, layer l:   out_l[B,O] = act(in[B,I]·W + b)                        (product_tile, EPI_ACTIVATE)
 *                       the first gathers its rows through the epoch's order and keeps them (x, and y if apart);
 *                       the second also starts the step (step_begin), since it reads no StepState;
 *                       the last computes the loss instead: out, ∂L/∂z and the tiles' loss sums (EPI_LOSS)
 *   backward, layer l:  dW (+)= inᵀ·dz, db = Σ_rows dz, by slices of rows       (weight_gradient_tile)
 *                       and, in the same launch, dz_{l−1} = (dz·Wᵀ) ⊙ act'(out_{l−1}) (product_tile, EPI_ACT_GRADIENT);
 *                       the last layer's adds the loss sums to the totals, the first trained one's (one slice)
 *                       updates the parameters too
 *   optimizer:          the slices of the gradient added up, then the update (optimize; more than one slice)
 *
 * Dense and DenseTranspose share both tiles: the only difference is which way W is read (the product's m_nk flag)
 * and which operand the weight gradient's rows come from. A product's tile shape (Shape) is chosen per product by
 * choose_shape, calibrated on the H200 by native/cuda/test/tile_sweep. Every sum is in a fixed order (no atomics),
 * so a step gives the same parameters, and the same totals, every time. Shapes: B rows, I inputs, O outputs;
 * row-major; float32.
 * Not here: plans the fused step cannot run (softmax, noise layers, regularizers, argmax accuracy: engine.cuh runs
 * those through cuBLAS and a launch per operation), evaluation and prediction (cuBLAS too), the optimizers' formulas
 * (ae4j_kernels.cu's *_element).
 */
#pragma once
#include "../ae4j_kernels.cu"
#include "ae4j_plan.h"

namespace ae4j {
namespace gpu {
namespace fused {

constexpr int THREADS = 256, WARPS = THREADS / 32;
constexpr int TILE = 32;   /* output columns per product tile; the weight gradient's tiles are TILE × TILE */
constexpr int SLICE_ROWS = 64; /* batch rows per slice of a weight gradient, staged at once */
constexpr int MAX_WIDTH = 1024; /* widest layer: a product tile stages whole rows of A (the thinnest, 2 of them) */
constexpr int STAGED = 16; /* loads a thread keeps in flight while staging a product's rows */

enum Epilogue { EPI_ACTIVATE = 0, EPI_ACT_GRADIENT = 1, EPI_LOSS = 2 };

/* C[rows,n] = A[rows,k] · M, M row-major [k,n] (m_nk = 0) or [n,k] read transposed (m_nk = 1), then the epilogue:
 *   EPI_ACTIVATE      c = act(C + bias)
 *   EPI_ACT_GRADIENT  c = C ⊙ act'(activated), act' through the output `activated` [rows,n]
 *   EPI_LOSS          c = the prediction, delta = ∂L/∂z, partials[2·tile] = the tile's Σ loss / n and
 *                     partials[2·tile + 1] its Σ matches / n (LossTotals adds them up); loss LOSS_BCE is from the
 *                     logits C + bias (sigmoid fused), LOSS_MSE on act(C + bias); scale = 1/(rows·n) (BCE) or
 *                     2/(rows·n) (MSE)
 * With order: row r of A is a[order[step->next + r]], and the column tiles at 0 copy it to a_copy (and y's row to
 * y_copy when y is given). */
struct Product {
    const float* a;
    int rows, k, n;
    const float* m;
    int m_nk;
    float* c;
    int epilogue, act;
    const float* bias;
    const float* activated;
    const int32_t* order;
    const StepState* step;
    float* a_copy;
    const float* y;
    float* y_copy;
    int y_width;
    float* delta;
    const float* target;
    int loss;
    float scale;
    double* partials;
};

/* The loss tiles' partial sums added to the totals, in a fixed order (so the totals too are the same every run):
 * totals[0] += Σ partials[2i], totals[rounded_slot] += Σ partials[2i + 1], by one block. */
struct LossTotals {
    const double* partials;
    int count;
    double* totals;
    int rounded_slot;
};

/* C[m,n] (+)= Pᵀ·Q over `rows` rows, P[rows,m], Q[rows,n] (accumulate: a tied W's second user); unless bias is
 * NULL, bias = the column sums of Q (bias_of_q) or of P, by the tiles along the other operand's first tile. The
 * rows go in slices of SLICE_ROWS, each summed by tiles of its own into its own copy of C and bias, slice_stride
 * floats after the one before (the optimizer adds the slices up: OptimizerStep). */
struct WeightGradient {
    const float* p;
    const float* q;
    int rows, m, n;
    float* c;
    int accumulate;
    float* bias;
    int bias_of_q;
    long long slice_stride;
    long long first, bias_first; /* indices of c[0] and bias[0] among the parameters (for an update in place) */
};

/* Who starts the step (step_begin), and with what; step NULL: nobody in this launch. */
struct Advance {
    StepState* step;
    int rows, optimizer;
    double beta1, beta2;
    RateSchedule schedule;
};

/* A product tile's shape: tw rows per warp, and its warps split into ks slices of k (M [k,n]: the other warps,
 * WARPS/ks groups of them, take further rows); M [n,k] splits k among the lanes instead, and its warps the
 * columns: ks = WARPS. Either way a tile is rows() × TILE. */
struct Shape {
    int tw, ks;
    int rows() const { return tw * WARPS / ks; }
};

inline int product_tiles(int rows, int n, Shape s) { return (rows + s.rows() - 1) / s.rows() * ((n + TILE - 1) / TILE); }
inline int weight_slices(int rows) { return (rows + SLICE_ROWS - 1) / SLICE_ROWS; }
inline int weight_tiles(const WeightGradient& g) {
    return ((g.m + TILE - 1) / TILE) * ((g.n + TILE - 1) / TILE) * weight_slices(g.rows);
}

/* Shared memory, in floats: the tile's rows of A, and the partial sums of the k slices (of the lanes' shuffles). */
inline size_t product_floats(int k, Shape s, bool m_nk) {
    const size_t tm = (size_t) s.rows();
    return tm * k + (m_nk ? tm * TILE : s.ks > 1 ? s.ks * tm * TILE : 0);
}
constexpr size_t WEIGHT_FLOATS = 2 * SLICE_ROWS * TILE; /* a slice's rows of P and Q */
constexpr size_t MAX_SHARED_BYTES = 48 << 10; /* without opting in */

/* a[0..TM) = s[0..TM), with vector loads (s is 8- or 16-byte aligned for TM 2, 4, 8). */
template <int TM>
__device__ __forceinline__ void load_rows(const float* s, float (&a)[TM]) {
    if constexpr (TM % 4 == 0) {
#pragma unroll
        for (int i = 0; i < TM / 4; i++) {
            const float4 v = reinterpret_cast<const float4*>(s)[i];
            a[4 * i] = v.x, a[4 * i + 1] = v.y, a[4 * i + 2] = v.z, a[4 * i + 3] = v.w;
        }
    } else if constexpr (TM == 2) {
        const float2 v = *reinterpret_cast<const float2*>(s);
        a[0] = v.x, a[1] = v.y;
    } else {
#pragma unroll
        for (int r = 0; r < TM; r++) a[r] = s[r];
    }
}

/* Element (row, col) of the product, v = Σ_k A[row,k]·M(k,col); adds its loss terms to loss and matches. */
__device__ __forceinline__ void finish(const Product& p, int row, int col, float v, double& loss, double& matches) {
    if (row >= p.rows || col >= p.n) return;
    const long long at = (long long) row * p.n + col;
    if (p.epilogue == EPI_ACTIVATE) {
        p.c[at] = activate(v + p.bias[col], p.act);
    } else if (p.epilogue == EPI_ACT_GRADIENT) {
        p.c[at] = activation_backward(v, p.activated[at], p.act);
    } else {
        const float z = v + p.bias[col], t = p.target[at];
        float out, d;
        if (p.loss == LOSS_BCE) { /* from the logits, as ae4j_loss: max(z,0) − z·y + log(1 + e^−|z|) */
            const float e = expf(-fabsf(z));
            out = (z >= 0.0f ? 1.0f : e) / (1.0f + e);
            loss += (z > 0.0f ? z : 0.0f) - z * t + log1pf(e);
            d = (out - t) * p.scale;
        } else {
            out = activate(z, p.act);
            const float diff = out - t;
            loss += diff * diff;
            d = activation_backward(diff * p.scale, out, p.act);
        }
        p.c[at] = out;
        p.delta[at] = d;
        matches += (t > 0.5f) == (out > 0.5f);
    }
}

/* One tile of a Product (Shape {TW, KS}: TM = TW·WARPS/KS rows × TILE columns), by a whole block of THREADS. The
 * tile's rows of A are staged in shared memory. M [k,n]: each lane owns a column; warp (group, slice) sums TW rows
 * over its slice of k, and the slices' partial sums are added in a fixed order. M [n,k]: each warp owns four
 * columns and its lanes split k (coalesced reads of M's rows), reduced by shuffles. */
template <int TW, int KS, bool M_NK>
__device__ void product_tile(const Product& p, int tile, float* smem) {
    constexpr int TM = TW * WARPS / KS;
    const int col_tiles = (p.n + TILE - 1) / TILE;
    const int row0 = tile / col_tiles * TM, col0 = tile % col_tiles * TILE;
    const int K = p.k, lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    float* as = smem;               /* M_NK: [TM][K]; else [K][TM] */
    float* partial = smem + TM * K; /* M_NK: [TM][TILE]; else [KS][TM][TILE] */
    __shared__ const float* a_rows[TM];
    __shared__ const float* y_rows[TM];
    const bool copies = p.order && col0 == 0;
    if (threadIdx.x < TM) {
        const int r = row0 + threadIdx.x;
        const long long source = r >= p.rows ? 0 : p.order ? p.order[p.step->next + r] : r;
        a_rows[threadIdx.x] = r < p.rows ? p.a + source * K : nullptr;
        y_rows[threadIdx.x] = r < p.rows && p.y ? p.y + source * p.y_width : nullptr;
    }
    __syncthreads();
    /* Loads first, then stores: each thread keeps STAGED loads in flight instead of waiting for one at a time. */
    const int total = TM * K;
    for (int base = threadIdx.x; base < total; base += THREADS * STAGED) {
        float v[STAGED];
#pragma unroll
        for (int b = 0; b < STAGED; b++) {
            const int i = base + b * THREADS, r = i / K;
            v[b] = i < total && a_rows[r] ? a_rows[r][i - r * K] : 0.0f;
        }
#pragma unroll
        for (int b = 0; b < STAGED; b++) {
            const int i = base + b * THREADS, r = i / K, kk = i - r * K;
            if (i >= total) break;
            as[M_NK ? i : kk * TM + r] = v[b];
            if (copies && a_rows[r]) p.a_copy[(long long) (row0 + r) * K + kk] = v[b];
        }
    }
    if (copies && p.y)
        for (int i = threadIdx.x; i < TM * p.y_width; i += THREADS) {
            const int r = i / p.y_width, j = i - r * p.y_width;
            if (y_rows[r]) p.y_copy[(long long) (row0 + r) * p.y_width + j] = y_rows[r][j];
        }
    __syncthreads();

    double loss = 0.0, matches = 0.0;
    if constexpr (!M_NK) {
        constexpr int GROUPS = WARPS / KS;
        const int group = warp % GROUPS, slice = warp / GROUPS;
        const int per_slice = (K + KS - 1) / KS, k0 = slice * per_slice, k1 = min(K, k0 + per_slice);
        const int col = col0 + lane;
        float acc[TW] = {};
        if (col < p.n) {
            const float* m = p.m + col;
            const float* a_group = as + group * TW;
#pragma unroll 16
            for (int kk = k0; kk < k1; kk++) {
                const float w = __ldg(m + (long long) kk * p.n);
                float a[TW];
                load_rows<TW>(a_group + kk * TM, a);
#pragma unroll
                for (int r = 0; r < TW; r++) acc[r] += a[r] * w;
            }
        }
        if constexpr (KS > 1) {
#pragma unroll
            for (int r = 0; r < TW; r++) partial[(slice * TM + group * TW + r) * TILE + lane] = acc[r];
            __syncthreads();
            if (slice == 0)
#pragma unroll
                for (int r = 0; r < TW; r++)
                    for (int other = 1; other < KS; other++) acc[r] += partial[(other * TM + group * TW + r) * TILE + lane];
        }
        if (slice == 0)
#pragma unroll
            for (int r = 0; r < TW; r++) finish(p, row0 + group * TW + r, col, acc[r], loss, matches);
    } else {
        constexpr int COLS = TILE / WARPS;
        float acc[COLS][TM] = {};
        const float* m_row[COLS];
        bool inside[COLS];
#pragma unroll
        for (int c = 0; c < COLS; c++) {
            const int col = col0 + warp * COLS + c;
            inside[c] = col < p.n;
            m_row[c] = p.m + (long long) (inside[c] ? col : 0) * K;
        }
#pragma unroll 4
        for (int kk = lane; kk < K; kk += 32) {
            float a[TM];
#pragma unroll
            for (int r = 0; r < TM; r++) a[r] = as[r * K + kk];
#pragma unroll
            for (int c = 0; c < COLS; c++) {
                const float w = inside[c] ? __ldg(m_row[c] + kk) : 0.0f;
#pragma unroll
                for (int r = 0; r < TM; r++) acc[c][r] += a[r] * w;
            }
        }
#pragma unroll
        for (int c = 0; c < COLS; c++)
#pragma unroll
            for (int r = 0; r < TM; r++) {
                const float sum = warp_reduce(acc[c][r], Sum());
                if (lane == 0) partial[r * TILE + warp * COLS + c] = sum;
            }
        __syncthreads();
        if (threadIdx.x < TM * TILE) finish(p, row0 + threadIdx.x / TILE, col0 + lane, partial[threadIdx.x], loss, matches);
    }
    if (p.epilogue == EPI_LOSS) {
        loss = block_reduce(loss, Sum(), 0.0);
        matches = block_reduce(matches, Sum(), 0.0);
        if (threadIdx.x == 0) {
            p.partials[2 * tile] = loss / p.n;
            p.partials[2 * tile + 1] = matches / p.n;
        }
    }
}

/* The optimizer's step over the trainable parameters p[n], with their gradient the sum of `slices` slices of g
 * (slice_stride floats apart, added in order and left in g's first); the general (cuBLAS) step's too, with one slice.
 * The step's learning rate is the StepState's (step_begin derives it), which the host may change between launches. */
struct OptimizerStep {
    float* p;
    float* g;
    int slices;
    long long slice_stride, n;
    int kind; /* OptimizerKind */
    float momentum, beta1, beta2, eps, rho;
    int nesterov;
    float* state; /* SGD with momentum: v; RMSprop: rms; Adam, Nadam: m then v */
    const StepState* step;
};

/* Parameter i's update with its whole gradient gi. */
__device__ __forceinline__ void update(const OptimizerStep& o, long long i, float gi) {
    const StepState* s = o.step;
    switch (o.kind) {
        case OPT_SGD: sgd_element(o.p, gi, o.momentum != 0.0f ? o.state : nullptr, i, s->rate, o.momentum, o.nesterov); break;
        case OPT_ADAM: adam_element(o.p, gi, o.state, o.state + o.n, i, s->rate * s->lr_t, o.beta1, o.beta2, o.eps); break;
        case OPT_RMSPROP: rmsprop_element(o.p, gi, o.state, i, s->rate, o.rho, o.eps); break;
        default:
            nadam_element(o.p, gi, o.state, o.state + o.n, i, s->rate, o.beta1, o.beta2, o.eps, s->g_scale, s->m_scale,
                          s->v_scale);
    }
}

/* A whole step's update. Launch: THREADS threads, enough blocks for p (any grid). */
__global__ void __launch_bounds__(THREADS) optimize(OptimizerStep o) {
    for (long long i = (long long) blockIdx.x * THREADS + threadIdx.x; i < o.n; i += (long long) gridDim.x * THREADS) {
        float gi = o.g[i];
        if (o.slices > 1) {
            for (int slice = 1; slice < o.slices; slice++) gi += o.g[slice * o.slice_stride + i];
            o.g[i] = gi;
        }
        update(o, i, gi);
    }
}

/* One TILE × TILE tile of one slice of a WeightGradient, by a whole block: the slice's rows of P and Q staged at
 * once (every load in flight together); each lane owns a column of the tile and each warp four of its rows, summed
 * over the slice's rows in order. With a step (one slice: the sums are the whole gradient), it also updates the
 * tile's parameters. */
__device__ void weight_gradient_tile(const WeightGradient& g, int tile, float* smem, const OptimizerStep* step) {
    const int m_tiles = (g.m + TILE - 1) / TILE, n_tiles = (g.n + TILE - 1) / TILE;
    const int slice = tile / (m_tiles * n_tiles), in_slice = tile % (m_tiles * n_tiles);
    const int m0 = in_slice % m_tiles * TILE, n0 = in_slice / m_tiles * TILE, r0 = slice * SLICE_ROWS;
    const int rows = min(SLICE_ROWS, g.rows - r0);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    float* ps = smem;                     /* [SLICE_ROWS][TILE] */
    float* qs = smem + SLICE_ROWS * TILE; /* [SLICE_ROWS][TILE] */
    constexpr int PER_THREAD = SLICE_ROWS * TILE / THREADS;
    float pv[PER_THREAD], qv[PER_THREAD];
#pragma unroll
    for (int b = 0; b < PER_THREAD; b++) {
        const int i = threadIdx.x + b * THREADS, r = i / TILE, j = i % TILE;
        pv[b] = r < rows && m0 + j < g.m ? g.p[(long long) (r0 + r) * g.m + m0 + j] : 0.0f;
        qv[b] = r < rows && n0 + j < g.n ? g.q[(long long) (r0 + r) * g.n + n0 + j] : 0.0f;
    }
#pragma unroll
    for (int b = 0; b < PER_THREAD; b++) {
        ps[threadIdx.x + b * THREADS] = pv[b];
        qs[threadIdx.x + b * THREADS] = qv[b];
    }
    __syncthreads();
    const bool bias_here = g.bias && warp == 0 && (g.bias_of_q ? m0 == 0 : n0 == 0);
    float acc[4] = {};
    float bias_sum = 0.0f;
#pragma unroll 8
    for (int r = 0; r < rows; r++) {
        const float q = qs[r * TILE + lane];
        const float4 p4 = *reinterpret_cast<const float4*>(ps + r * TILE + 4 * warp);
        acc[0] += p4.x * q;
        acc[1] += p4.y * q;
        acc[2] += p4.z * q;
        acc[3] += p4.w * q;
        if (bias_here) bias_sum += g.bias_of_q ? q : ps[r * TILE + lane];
    }
    const long long offset = slice * g.slice_stride;
    const int col = n0 + lane;
#pragma unroll
    for (int j = 0; j < 4; j++) {
        const int row = m0 + 4 * warp + j;
        if (row < g.m && col < g.n) {
            float* c = g.c + offset + (long long) row * g.n + col;
            const float sum = g.accumulate ? *c + acc[j] : acc[j];
            *c = sum;
            if (step) update(*step, g.first + (long long) row * g.n + col, sum);
        }
    }
    if (bias_here) {
        const int j = (g.bias_of_q ? n0 : m0) + lane;
        if (j < (g.bias_of_q ? g.n : g.m)) {
            g.bias[offset + j] = bias_sum;
            if (step) update(*step, g.bias_first + j, bias_sum);
        }
    }
}

__device__ __forceinline__ void maybe_begin(const Advance& advance) {
    if (advance.step && blockIdx.x == 0 && threadIdx.x == 0)
        step_begin(advance.step, advance.rows, advance.optimizer, advance.beta1, advance.beta2, advance.schedule);
}

/* A layer's forward. Launch: THREADS threads, product_tiles blocks, product_floats floats of shared memory. */
template <int TW, int KS, bool M_NK>
__global__ void __launch_bounds__(THREADS) forward(Product p, Advance advance) {
    extern __shared__ float4 shared[];
    maybe_begin(advance);
    product_tile<TW, KS, M_NK>(p, blockIdx.x, reinterpret_cast<float*>(shared));
}

__device__ void add_totals(const LossTotals& t) {
    double loss = 0.0, matches = 0.0;
    for (int i = threadIdx.x; i < t.count; i += THREADS) {
        loss += t.partials[2 * i];
        matches += t.partials[2 * i + 1];
    }
    loss = block_reduce(loss, Sum(), 0.0);
    matches = block_reduce(matches, Sum(), 0.0);
    if (threadIdx.x == 0) {
        t.totals[0] += loss;
        if (t.rounded_slot >= 0) t.totals[t.rounded_slot] += matches;
    }
}

/* A layer's backward: blocks [0, weights) the weight gradient's tiles, then `products` tiles of the product (none
 * for the first layer trained), then, with loss partials (the last layer's backward), one block that adds them to
 * the totals, then `updates` blocks. With updates (the first layer trained, its gradient in one slice), the
 * optimizer's step is folded in: the weight tiles update their own parameters, the update blocks every other
 * trainable one (all of whose gradients are complete by now). Launch: THREADS threads, that many blocks, the larger
 * shared memory of the tiles. */
template <int TW, int KS, bool M_NK>
__global__ void __launch_bounds__(THREADS) backward(WeightGradient g, int weights, Product dx, int products,
                                                    LossTotals totals, OptimizerStep step, int updates) {
    extern __shared__ float4 shared[];
    const int block = blockIdx.x, first_update = weights + products + (totals.partials ? 1 : 0);
    if (block < weights) {
        weight_gradient_tile(g, block, reinterpret_cast<float*>(shared), updates ? &step : nullptr);
    } else if (block < weights + products) {
        product_tile<TW, KS, M_NK>(dx, block - weights, reinterpret_cast<float*>(shared));
    } else if (block < first_update) {
        add_totals(totals);
    } else {
        const long long w_end = g.first + (long long) g.m * g.n, b_end = g.bias_first + (g.bias_of_q ? g.n : g.m);
        for (long long i = (long long) (block - first_update) * THREADS + threadIdx.x; i < step.n;
             i += (long long) updates * THREADS)
            if ((i < g.first || i >= w_end) && (i < g.bias_first || i >= b_end)) update(step, i, step.g[i]);
    }
}

using ForwardKernel = void (*)(Product, Advance);
using BackwardKernel = void (*)(WeightGradient, int, Product, int, LossTotals, OptimizerStep, int);

/* The shapes compiled, for M [k,n] from the most rows per tile to the fewest, and for M [n,k]. */
constexpr Shape ROWS_BY_K_SHAPES[] = {{4, 1}, {2, 1}, {4, 2}, {2, 2}, {4, 4}, {2, 4}, {4, 8}, {2, 8}};
constexpr Shape ROWS_BY_N_SHAPES[] = {{8, 8}, {4, 8}, {2, 8}};

template <template <int, int, bool> class Pick>
inline auto kernel_for(Shape s, bool m_nk) {
    if (m_nk) return s.tw == 8 ? Pick<8, 8, true>::kernel : s.tw == 4 ? Pick<4, 8, true>::kernel : Pick<2, 8, true>::kernel;
    switch (s.tw * 10 + s.ks) {
        case 41: return Pick<4, 1, false>::kernel;
        case 21: return Pick<2, 1, false>::kernel;
        case 42: return Pick<4, 2, false>::kernel;
        case 22: return Pick<2, 2, false>::kernel;
        case 44: return Pick<4, 4, false>::kernel;
        case 24: return Pick<2, 4, false>::kernel;
        case 48: return Pick<4, 8, false>::kernel;
        default: return Pick<2, 8, false>::kernel;
    }
}
template <int TW, int KS, bool M_NK>
struct PickForward {
    static constexpr ForwardKernel kernel = forward<TW, KS, M_NK>;
};
template <int TW, int KS, bool M_NK>
struct PickBackward {
    static constexpr BackwardKernel kernel = backward<TW, KS, M_NK>;
};

/* The shape of a product of `rows` rows, k deep, n wide, calibrated on tile_sweep's measurements on the H200: the
 * most rows per tile that still gives half the multiprocessors a tile (all of them with M [n,k]), within the shared
 * memory; short of that, the one with the most tiles. M [k,n] deeper than 64 is sliced just enough to leave each
 * warp 64 or less of k (a long k is a long chain of loads; finer slices cost more partial sums than they save). */
inline Shape choose_shape(int rows, int k, int n, bool m_nk, int multiprocessors) {
    const Shape* shapes = m_nk ? ROWS_BY_N_SHAPES : ROWS_BY_K_SHAPES;
    const int count = m_nk ? 3 : 8;
    const int enough = m_nk ? multiprocessors : (multiprocessors + 1) / 2;
    int slices = 1;
    while (slices < WARPS && k > 64 * slices) slices *= 2;
    Shape best{0, 0};
    bool best_enough = false;
    for (int i = 0; i < count; i++) {
        const Shape s = shapes[i];
        const bool sliced = m_nk || k <= 64 || s.ks == slices;
        if (!sliced || product_floats(k, s, m_nk) * sizeof(float) > MAX_SHARED_BYTES) continue;
        const int tiles = product_tiles(rows, n, s);
        const bool is_enough = tiles >= enough;
        if (!best.tw) {
            best = s, best_enough = is_enough;
            continue;
        }
        const int best_tiles = product_tiles(rows, n, best);
        if (best_enough) {
            /* a shape with as many rows but fewer slices of k is better */
            if (is_enough && s.rows() == best.rows() && s.ks < best.ks) best = s;
        } else if (is_enough || tiles > best_tiles || (tiles == best_tiles && s.tw > best.tw)) {
            best = s, best_enough = is_enough;
        }
    }
    return best;
}

/* Launches a layer's forward in `shape` on stream s. */
inline void launch_forward(const Product& p, const Advance& a, Shape shape, cudaStream_t s) {
    const ForwardKernel kernel = kernel_for<PickForward>(shape, p.m_nk != 0);
    const size_t bytes = product_floats(p.k, shape, p.m_nk != 0) * sizeof(float);
    kernel<<<product_tiles(p.rows, p.n, shape), THREADS, bytes, s>>>(p, a);
}

/* Launches the optimizer's step on stream s. */
inline void launch_optimize(const OptimizerStep& o, cudaStream_t s) {
    const long long blocks = (o.n + THREADS - 1) / THREADS;
    optimize<<<(int) (blocks < 65535 ? blocks : 65535), THREADS, 0, s>>>(o);
}

/* Launches a layer's backward on stream s, its product (dx; NULL for the first layer trained) in `shape`;
 * t.partials NULL but for the last layer's; step NULL, or the optimizer's step to fold in (the first layer trained,
 * one slice). */
inline void launch_backward(const WeightGradient& g, const Product* dx, Shape shape, const LossTotals& t,
                            const OptimizerStep* step, cudaStream_t s) {
    const BackwardKernel kernel = kernel_for<PickBackward>(shape, dx && dx->m_nk);
    const int weights = weight_tiles(g), products = dx ? product_tiles(dx->rows, dx->n, shape) : 0;
    /* the update blocks: four parameters a thread */
    const long long others = step ? step->n - (long long) g.m * g.n - (g.bias_of_q ? g.n : g.m) : 0;
    const int updates = step ? (int) ((others + 4LL * THREADS - 1) / (4LL * THREADS)) + 1 : 0;
    const int blocks = weights + products + (t.partials ? 1 : 0) + updates;
    size_t floats = WEIGHT_FLOATS;
    if (dx && product_floats(dx->k, shape, dx->m_nk) > floats) floats = product_floats(dx->k, shape, dx->m_nk);
    kernel<<<blocks, THREADS, floats * sizeof(float), s>>>(g, weights, dx ? *dx : Product{}, products, t,
                                                           step ? *step : OptimizerStep{}, updates);
}

}  // namespace fused
}  // namespace gpu
}  // namespace ae4j
