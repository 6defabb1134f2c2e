/*
 * engine.h — the CPU engine: a whole training step of a plan (ae4j_plan.h) in one call — gather the batch from the
 * resident data in the epoch's order, forward, loss, backward (tied gradients accumulated), optimizer — over the
 * kernels of kernels.h, plus evaluation, prediction and the gradients alone (for gradient checks).
 *
 * Threads: batches of plain dense layers up to a few hundred rows (UnitSplit::fits and ::pays) go to units.h,
 * which splits each layer's units instead, so that no weight of a split layer moves between cores (its shadow of
 * the output layer is handed back by copy_state_to_host, before evaluation, prediction and every step here).
 * Every other step shares its threads (pool.h) in two phases; in each, the work is cut into chunks that the
 * threads claim, each starting with its own share, so that a thread the OS has not scheduled does less instead of
 * holding up the step:
 *   1. rows of the batch: a chunk gathers its rows, runs the forward pass, the loss and the backward pass down to
 *      each layer's ∂L/∂z and ∂L/∂x on them, writing its block of rows of matrices shared by all threads (one
 *      arena, [B, width] per layer);
 *   2. once every row is done, rows of each W (with all the layers that use it: a tied W's second use is added)
 *      and each layer's b: a block computes those rows of the gradient over the whole batch (one GEMM with K = B,
 *      reading every chunk's rows) and applies the optimizer to them while they are in its thread's cache.
 * So the gradient is the whole batch's, each element summed over the rows in the same order whatever the number of
 * threads or who took which chunk (W rows are cut at multiples of 24, the GEMM's tile heights): n threads give the
 * same parameters as one, and the loss totals are added chunk by chunk in order. No per-thread gradient buffers, no
 * reduction. The weights are read by every thread but each row is written by one.
 *
 * Noise layers draw from the counter-based generator of ae4j_kernels.h keyed by the noise seed, the layer, the
 * phase and the step count t, with each row's position in the batch (training) or in the data (evaluation,
 * prediction): no split into chunks changes what they draw. Terms of a batch's mean activation (the KL
 * regularizer) need the whole batch's column sums before the backward pass: then phase 1 is itself split in two,
 * the forward pass and the loss over every chunk, the batch's sums (added chunk by chunk, in order), then the
 * backward pass over every chunk; evaluation takes such models in batches of the fit's size, one per chunk, as
 * Keras evaluates them.
 *
 * Memory: the parameters, gradients and optimizer state are the caller's (Java's flat vectors), used in place; the
 * activations live in one arena sized for the largest batch seen (grown outside the steps; the allocation count
 * tells the benchmark that steps allocate nothing).
 * Not here: shape and pointer checks (the Java side checks the plan and the data before calling), Java.
 */
#pragma once
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "ae4j_plan.h"
#include "kernels.h"
#include "pool.h"
#include "units.h"

namespace ae4j {

/* The engine behind the handle the Java side holds, whatever its float type. */
class CpuEngine {
  public:
    virtual ~CpuEngine() = default;
    virtual void begin_epoch(const int32_t* order, int n) = 0;
    virtual void train_step(const void* x, const void* y, int start, int rows) = 0;
    virtual void evaluate(const void* x, const void* y, int rows, int batch, double* sums) = 0;
    virtual void predict(const void* x, int rows, int from, int to, void* out) = 0;
    virtual double loss_and_gradients(const void* x, const void* y, int rows) = 0;
    virtual void read_totals(double* sums) const = 0;
    virtual void reset_totals() = 0;
    virtual int64_t iteration() const = 0;
    virtual void set_iteration(int64_t t) = 0;
    /* The optimizer's learning rate, which the plan's schedule starts from at every step (ReduceLROnPlateau lowers it
     * between epochs). */
    virtual double learning_rate() const = 0;
    virtual void set_learning_rate(double lr) = 0;
    virtual void set_noise_seed(uint64_t seed) = 0;
    virtual int threads() const = 0;
    virtual int64_t allocations() const = 0;
    /* How the last training step shared its threads: SPLIT_NONE (one thread, or no step yet), rows or units. */
    virtual int split() const = 0;
    /* The caller's parameter, gradient and state vectors made current (the steps may keep some of them elsewhere). */
    virtual void copy_state_to_host() = 0;
    /* The caller changed those vectors: whatever the steps kept elsewhere is stale. */
    virtual void copy_state_from_host() = 0;
};

enum Split { SPLIT_NONE = 0, SPLIT_ROWS = 1, SPLIT_UNITS = 2 };

/* Asks for bytes [p, p + bytes) ahead of use, a cache line at a time: a thread then streams what another thread
 * wrote (rows of W updated by their owner, rows of activations of its share) instead of missing on it line by line,
 * which on a machine with slow cross-core transfers costs a third of a two-thread step. */
static inline void prefetch(const void* p, size_t bytes) {
    const char* c = static_cast<const char*>(p);
    for (size_t i = 0; i < bytes; i += 64) __builtin_prefetch(c + i, 0, 3);
}

template <typename T>
class TypedCpuEngine final : public CpuEngine, private ParameterUpdate<T> {
  public:
    TypedCpuEngine(const Plan& plan, T* params, T* grads, T* state, int threads)
        : plan_(plan), params_(params), grads_(grads), state_(state), pool_(threads), threads_(pool_.size()),
          max_chunks_(4 * threads_), chunks_((size_t) max_chunks_), blocks_(plan_blocks(plan_, threads_)), row_claims_(pool_, max_chunks_),
          back_claims_(pool_, max_chunks_), sum_claims_(pool_, 1), block_claims_(pool_, (int) blocks_.size()) {
        plan_batch_sums();
        reset_totals();
        if (threads_ > 1 && UnitSplit<T>::fits(plan_))
            unit_split_.reset(new UnitSplit<T>(plan_, params_, grads_, state_, state_slots(), pool_, *this));
    }

    ~TypedCpuEngine() override { pool_.stop(); }

    void begin_epoch(const int32_t* order, int n) override {
        if ((int) order_.size() < n) allocations_++;
        order_.assign(order, order + n);
    }

    void train_step(const void* x, const void* y, int start, int rows) override {
        step(static_cast<const T*>(x), static_cast<const T*>(y), order_.data() + start, rows, true, totals_);
    }

    /* With batch terms, each chunk is one batch of `batch` rows, as Keras evaluates; otherwise rows are shared freely. */
    void evaluate(const void* x, const void* y, int rows, int batch, double* sums) override {
        copy_state_to_host();
        for (int i = 0; i < plan_.totals; i++) sums[i] = 0;
        const int piece = plan_.batch_terms ? max_chunks_ * batch : EVAL_ROWS;
        ensure_capacity(piece);
        for (int done = 0; done < rows; done += piece) {
            job_ = Job{static_cast<const T*>(x) + (int64_t) done * plan_.input_size,
                       static_cast<const T*>(y) + (int64_t) done * plan_.output_size(), nullptr, nullptr,
                       std::min(rows - done, piece), 0, plan_.layers, false, done};
            run_rows(&TypedCpuEngine::evaluate_task, plan_.batch_terms ? batch : 0);
            add_chunk_totals(sums);
        }
    }

    void predict(const void* x, int rows, int from, int to, void* out) override {
        copy_state_to_host();
        ensure_capacity(EVAL_ROWS);
        const int I = plan_.layer[from].inputs, O = plan_.layer[to - 1].outputs;
        for (int done = 0; done < rows; done += capacity_) {
            job_ = Job{static_cast<const T*>(x) + (int64_t) done * I, nullptr, static_cast<T*>(out) + (int64_t) done * O, nullptr,
                       std::min(rows - done, capacity_), from, to, false, done};
            run_rows(&TypedCpuEngine::predict_task, 0);
        }
    }

    double loss_and_gradients(const void* x, const void* y, int rows) override {
        std::vector<int32_t> identity((size_t) rows);
        for (int i = 0; i < rows; i++) identity[i] = i;
        double sums[MAX_TOTALS] = {0};
        step(static_cast<const T*>(x), static_cast<const T*>(y), identity.data(), rows, false, sums);
        copy_state_to_host();
        return sums[0] / rows;
    }

    void read_totals(double* sums) const override {
        for (int i = 0; i < plan_.totals; i++) sums[i] = totals_[i];
    }
    void reset_totals() override {
        for (double& t : totals_) t = 0;
    }
    int64_t iteration() const override { return t_; }
    void set_iteration(int64_t t) override { t_ = t; }
    double learning_rate() const override { return lr_; }
    void set_learning_rate(double lr) override { lr_ = lr; }
    void set_noise_seed(uint64_t seed) override { noise_seed_ = seed; }
    int threads() const override { return threads_; }
    int64_t allocations() const override { return allocations_; }
    int split() const override { return split_; }
    void copy_state_to_host() override {
        if (unit_split_) unit_split_->release();
    }
    void copy_state_from_host() override {
        if (unit_split_) unit_split_->discard();
    }

  private:
    static constexpr int EVAL_ROWS = 512;
    static constexpr int TILE_ROWS = 24; /* a multiple of the GEMM's tile heights (8 with AVX-512, 6 with AVX2) */
    /* Rows a chunk of phase 1 aims at. Fewer chunks stream the weights fewer times, smaller ones keep their activations
     * in cache and balance the threads better: 32 measured faster than 64 on the stacked autoencoder, one thread at
     * batch 96 (0.79 against 0.82 ms) and two at 128 and 256 (1.26 against 1.30 ms). */
    static constexpr int CHUNK_ROWS = 32;

    /* A chunk of rows of a round: rows [lo, lo + rows) of the batch, the loss totals of those rows, and, for a
     * KL-regularized layer, the column sums of its output over them; a cache line of its own, so that threads
     * adding to their chunks' totals do not contend. */
    struct alignas(64) Chunk {
        int lo = 0, rows = 0;
        double totals[MAX_TOTALS] = {0};
        double* column_sums = nullptr;
    };

    /* A block of phase 2: rows [r0, r1) of the W of layer `owner` (the Dense that owns it), or, when bias, the b of
     * layer `owner`. */
    struct Block {
        int owner, r0, r1;
        bool bias;
    };

    /* The round's work: rows of x (and y) — through order for a training step — layers [from, to), out for
     * predict, and whether to apply the optimizer. The caller writes it before a round and threads read it only
     * after claiming a chunk of that round, while it cannot change. */
    struct Job {
        const T *x, *y;
        T* out;
        const int32_t* order;
        int rows, from, to;
        bool update;
        int64_t data_row; /* where x starts in the data, for evaluation and prediction (keys the noise) */
    };

    /* A pass over some rows: its noise phase, the step count that keys its noise, the position of its first row
     * (in the batch when training, in the data otherwise) and the rows of the batch its means are over. */
    struct Pass {
        int phase;
        int64_t step;
        int64_t first_row;
        int batch_rows;
    };

    static constexpr size_t ALIGN = 64 / sizeof(T); /* arena entries start on cache lines */

    /* One block per bias, and each W cut into row tiles (about two per thread for the large ones). */
    static std::vector<Block> plan_blocks(const Plan& plan, int threads) {
        std::vector<Block> blocks;
        for (int l = 0; l < plan.layers; l++) {
            const LayerPlan& L = plan.layer[l];
            if (L.kind != LAYER_DENSE) continue;
            blocks.push_back(Block{l, 0, 0, true});
            if (L.transpose_w) continue;
            const int tiles = (L.inputs + TILE_ROWS - 1) / TILE_ROWS;
            const int per_block = std::max(1, tiles / (2 * threads));
            for (int t = 0; t < tiles; t += per_block)
                blocks.push_back(Block{l, t * TILE_ROWS, std::min(L.inputs, (t + per_block) * TILE_ROWS), false});
        }
        return blocks;
    }

    /* Room for the column sums of every KL-regularized layer, per chunk and for the batch (the last block). */
    void plan_batch_sums() {
        int width = 0;
        for (int l = 0; l < plan_.layers; l++) {
            kl_offset_[l] = width;
            if (plan_.layer[l].regularizer == REG_KL) width += plan_.layer[l].outputs;
        }
        if (width == 0) return;
        kl_sums_.assign((size_t) (max_chunks_ + 1) * width, 0);
        for (int c = 0; c < max_chunks_; c++) chunks_[c].column_sums = kl_sums_.data() + (size_t) c * width;
        batch_sums_ = kl_sums_.data() + (size_t) max_chunks_ * width;
        allocations_++;
    }

    /* One arena for `rows` rows: input and target [rows, I|D], then per layer its output and ∂L/∂output. */
    void ensure_capacity(int rows) {
        if (rows <= capacity_) return;
        arena_.assign(arena_layout<T>(plan_, (size_t) rows, ALIGN, nullptr, nullptr, nullptr, nullptr, nullptr), 0);
        arena_layout(plan_, (size_t) rows, ALIGN, arena_.data(), &x_, &y_, out_, delta_);
        capacity_ = rows;
        allocations_++;
    }

    /* The activation a layer runs with: the plan's (identity for an output fused with its loss), or, when
     * predicting, the layer's own. */
    int activation(int l, bool predicting) const {
        return predicting && l == plan_.layers - 1 ? plan_.out_act : plan_.layer[l].act;
    }

    uint64_t key(int l, const Pass& pass) const { return noise_key(noise_seed_, l, pass.phase, pass.step); }

    /* Rows [lo, lo + n) of the shared matrices (from `in`, rows of an input with its own width) through layers
     * [from, to); the loss terms of their outputs (latent loss, activity regularizers) are added to totals unless
     * it is NULL, and a KL-regularized layer leaves its column sums in sums (unless NULL). In a training step with
     * several threads, each W is first streamed in, the other threads having updated parts of it. */
    void forward(const T* in, int lo, int n, int from, int to, const Pass& pass, double* totals, double* sums, bool stream_weights) {
        const bool training = pass.phase == PHASE_TRAIN;
        for (int l = from; l < to; l++) {
            const LayerPlan& L = plan_.layer[l];
            T* out = out_[l] + (int64_t) lo * L.outputs;
            const size_t bytes = sizeof(T) * (size_t) n * L.outputs;
            switch (L.kind) {
                case LAYER_DENSE:
                    if (stream_weights) prefetch(params_ + L.w, sizeof(T) * (size_t) L.inputs * L.outputs);
                    dense_forward(out, in, params_ + L.w, params_ + L.b, n, L.inputs, L.outputs, L.transpose_w,
                                  activation(l, pass.phase == PHASE_PREDICT));
                    break;
                case LAYER_GAUSSIAN_NOISE:
                    if (training)
                        gaussian_noise_forward(out, in, n, L.outputs, L.rate, key(l, pass), pass.first_row);
                    else
                        memcpy(out, in, bytes);
                    break;
                case LAYER_DROPOUT:
                    if (training)
                        dropout_forward(out, in, n, L.outputs, L.rate, key(l, pass), pass.first_row);
                    else
                        memcpy(out, in, bytes);
                    break;
                case LAYER_SAMPLING:
                    sampling_forward(out, in, n, L.outputs, L.rate, key(l, pass), pass.first_row, totals);
                    break;
                default: /* activity regularization: the identity */
                    memcpy(out, in, bytes);
            }
            if (L.regularizer == REG_L1 && totals) totals[0] += l1_activity_loss(out, n, L.outputs, L.reg_weight);
            if (L.regularizer == REG_KL && sums) column_sums(sums + kl_offset_[l], out, n, L.outputs);
            in = out;
        }
    }

    /* The batch's column sums of each KL-regularized layer, the chunks' [c0, c1) added in order, into batch_sums_;
     * adds the KL terms to totals. */
    void batch_terms(int c0, int c1, int batch_rows, double* totals) {
        for (int l = 0; l < plan_.layers; l++) {
            const LayerPlan& L = plan_.layer[l];
            if (L.regularizer != REG_KL) continue;
            double* sums = batch_sums_ + kl_offset_[l];
            for (int j = 0; j < L.outputs; j++) {
                double s = 0;
                for (int c = c0; c < c1; c++) s += chunks_[c].column_sums[kl_offset_[l] + j];
                sums[j] = s;
            }
            totals[0] += kl_activity_loss(sums, L.outputs, batch_rows, L.reg_weight, L.reg_target);
        }
    }

    void loss(const T* target, int lo, int n, int batch_rows, bool gradient, double* totals) {
        const int last = plan_.layers - 1, D = plan_.output_size();
        loss_share(plan_.loss, plan_.out_act, out_[last] + (int64_t) lo * D, target, gradient ? delta_[last] + (int64_t) lo * D : nullptr,
                   n, batch_rows, D, D, totals, plan_.rounded_slot, plan_.accuracy_slot);
    }

    /* Phase 1 below the loss, rows [lo, lo + n): the regularizers' gradients, each dense layer's ∂L/∂z, and ∂L/∂x
     * for the layer below (through the noise and sampling layers too). */
    void backward_rows(int lo, int n, const Pass& pass) {
        for (int l = plan_.layers - 1; l >= plan_.first_backward; l--) {
            const LayerPlan& L = plan_.layer[l];
            T* d = delta_[l] + (int64_t) lo * L.outputs;
            const T* out = out_[l] + (int64_t) lo * L.outputs;
            if (L.regularizer == REG_L1) l1_activity_backward(d, out, n, L.outputs, L.reg_weight, pass.batch_rows);
            if (L.regularizer == REG_KL)
                kl_activity_backward(d, n, L.outputs, batch_sums_ + kl_offset_[l], pass.batch_rows, L.reg_weight, L.reg_target);
            T* dx = l > plan_.first_backward ? delta_[l - 1] + (int64_t) lo * L.inputs : nullptr;
            switch (L.kind) {
                case LAYER_DENSE:
                    dense_backward_input(dx, d, out, params_ + L.w, n, L.inputs, L.outputs, L.transpose_w, L.act);
                    break;
                case LAYER_DROPOUT:
                    if (dx) dropout_backward(dx, d, n, L.outputs, L.rate, key(l, pass), pass.first_row);
                    break;
                case LAYER_SAMPLING:
                    if (dx)
                        sampling_backward(dx, d, (l ? out_[l - 1] : x_) + (int64_t) lo * L.inputs, n, L.outputs, L.rate,
                                          key(l, pass), pass.first_row, pass.batch_rows);
                    break;
                default: /* Gaussian noise and activity regularization pass the gradient through */
                    if (dx) memcpy(dx, d, sizeof(T) * (size_t) n * L.outputs);
            }
        }
    }

    /* A block of phase 2 over all `batch` rows: its rows of a W's gradient, summed over the layers that use that W
     * (in backward order: the first stores, the others add), or a b's gradient; then, when `update`, the optimizer
     * on them. A training step skips what is frozen; a gradient check computes every layer's gradients. */
    void run_block(const Block& u, int batch, bool update) {
        const LayerPlan& O = plan_.layer[u.owner];
        if (u.bias) {
            if (u.owner < plan_.first_backward || (update && O.b >= plan_.trainable)) return;
            dense_weight_gradient(grads_ + O.w, grads_ + O.b, delta_[u.owner], u.owner ? out_[u.owner - 1] : x_, batch, O.inputs,
                                  O.outputs, O.transpose_w, 0, 0, 0, 0, O.outputs);
            if (update) apply_optimizer(O.b, O.b + O.outputs);
            return;
        }
        if (update && O.w >= plan_.trainable) return;
        bool stored = false;
        for (int l = plan_.layers - 1; l >= std::max(u.owner, plan_.first_backward); l--) {
            const LayerPlan& L = plan_.layer[l];
            if (L.kind != LAYER_DENSE || L.w != O.w) continue;
            const T* x = l ? out_[l - 1] : x_;
            if (threads_ > 1) { /* this block's columns of x and all of ∂L/∂z, written by every thread */
                if (L.transpose_w)
                    prefetch(x, sizeof(T) * (size_t) batch * L.inputs);
                else
                    for (int b = 0; b < batch; b++) prefetch(x + (int64_t) b * L.inputs + u.r0, sizeof(T) * (size_t) (u.r1 - u.r0));
                prefetch(delta_[l], sizeof(T) * (size_t) batch * L.outputs);
            }
            dense_weight_gradient(grads_ + L.w, grads_ + L.b, delta_[l], x, batch, L.inputs, L.outputs, L.transpose_w, stored ? 1 : 0,
                                  u.r0, u.r1, 0, 0);
            stored = true;
        }
        if (update && stored) apply_optimizer(O.w + (int64_t) u.r0 * O.outputs, O.w + (int64_t) u.r1 * O.outputs);
    }

    /* The round's rows cut into chunks: with batch > 0, one per batch of that many rows; else about CHUNK_ROWS rows
     * each, as many for every thread (batch 192 on 2 threads in 3 chunks took 1.28× as long as in 4), at most four
     * per thread (some empty when the rows are fewer). */
    void cut_rows(int rows, int batch) {
        if (batch > 0) {
            chunk_count_ = (rows + batch - 1) / batch;
            for (int c = 0; c < chunk_count_; c++) {
                chunks_[c].lo = c * batch;
                chunks_[c].rows = std::min(batch, rows - c * batch);
            }
        } else {
            const int wanted = std::max(1, rows / CHUNK_ROWS);
            chunk_count_ = std::min(max_chunks_, (wanted + threads_ - 1) / threads_ * threads_);
            for (int c = 0; c < chunk_count_; c++) {
                Chunk& k = chunks_[c];
                k.lo = (int) ((int64_t) rows * c / chunk_count_);
                k.rows = (int) ((int64_t) rows * (c + 1) / chunk_count_) - k.lo;
            }
        }
        for (int c = 0; c < chunk_count_; c++)
            for (double& t : chunks_[c].totals) t = 0;
    }

    void add_chunk_totals(double* sums) const {
        for (int c = 0; c < chunk_count_; c++)
            for (int i = 0; i < plan_.totals; i++) sums[i] += chunks_[c].totals[i];
    }

    /* Waits, spinning then parking, until `count` of `done` are done, or the round is over (a late thread). */
    void await_done(const std::atomic<int>& done, int count, uint64_t round) {
        pool_.await([&] { return done.load() >= count || pool_.round() != round; });
    }

    void finished(std::atomic<int>& done) {
        done++;
        pool_.wake();
    }

    /* One step over rows order[0..rows) of x/y: the gradient into grads_, and, when `update`, the optimizer; the
     * loss totals are added to sums. */
    void step(const T* x, const T* y, const int32_t* order, int rows, bool update, double* sums) {
        if (update) {
            rate_ = scheduled_rate(lr_, plan_.schedule, t_);
            t_++;
        }
        if (update && plan_.optimizer == OPT_NADAM) advance_nadam_schedule();
        split_ = threads_ == 1 ? SPLIT_NONE : unit_split_ && UnitSplit<T>::pays(plan_, rows) ? SPLIT_UNITS : SPLIT_ROWS;
        if (split_ == SPLIT_UNITS) {
            if (unit_split_->ensure_capacity(rows)) allocations_++;
            unit_split_->step(x, y, order, rows, update, sums);
            return;
        }
        copy_state_to_host();
        ensure_capacity(rows);
        job_ = Job{x, y, nullptr, order, rows, 0, plan_.layers, update, 0};
        cut_rows(rows, 0);
        rows_done_ = 0;
        sums_done_ = 0;
        backs_done_ = 0;
        blocks_done_ = 0;
        pool_.run(&TypedCpuEngine::step_task, this);
        add_chunk_totals(sums);
    }

    /* Phase 1 (chunks of rows: forward, loss, backward — split in two around the batch's sums when the loss has
     * batch terms), then phase 2 (blocks of parameter rows). */
    static void step_task(void* context, int k, uint64_t round) {
        TypedCpuEngine& e = *static_cast<TypedCpuEngine*>(context);
        const bool split = e.plan_.batch_terms;
        bool first = true;
        e.claim(e.row_claims_, e.rows_done_, e.chunk_count_, k, round, [&](int c) {
            Chunk& chunk = e.chunks_[c];
            if (chunk.rows > 0) e.step_rows(chunk, first && e.threads_ > 1, !split);
            first = false;
        });
        e.await_done(e.rows_done_, e.chunk_count_, round);
        if (split) {
            e.claim(e.sum_claims_, e.sums_done_, 1, k, round,
                    [&](int) { e.batch_terms(0, e.chunk_count_, e.job_.rows, e.chunks_[0].totals); });
            e.await_done(e.sums_done_, 1, round);
            e.claim(e.back_claims_, e.backs_done_, e.chunk_count_, k, round, [&](int c) {
                const Chunk& chunk = e.chunks_[c];
                if (chunk.rows > 0) e.backward_rows(chunk.lo, chunk.rows, e.train_pass(chunk));
            });
            e.await_done(e.backs_done_, e.chunk_count_, round);
        }
        const int blocks = (int) e.blocks_.size();
        e.claim(e.block_claims_, e.blocks_done_, blocks, k, round, [&](int b) { e.run_block(e.blocks_[b], e.job_.rows, e.job_.update); });
        if (k == 0) e.await_done(e.blocks_done_, blocks, round);
    }

    /* Thread k's share of `count` pieces of a round: it claims them one by one (its own first, then others'), works
     * on each and counts it done. */
    template <typename Work>
    void claim(Claims& claims, std::atomic<int>& done, int count, int k, uint64_t round, Work work) {
        int cursor = 0;
        for (int c; (c = claims.next(k, threads_, count, round, cursor)) >= 0;) {
            work(c);
            finished(done);
        }
    }

    Pass train_pass(const Chunk& chunk) const { return Pass{PHASE_TRAIN, t_, chunk.lo, job_.rows}; }

    /* Phase 1 for one chunk of a training step (or of a gradient check): gather, forward, loss and, unless the
     * loss has batch terms, backward; a thread's first chunk of a step streams the weights in. */
    void step_rows(Chunk& chunk, bool stream_weights, bool backward) {
        const int I = plan_.input_size, D = plan_.output_size();
        const int32_t* rows = job_.order + chunk.lo;
        T* x = x_ + (int64_t) chunk.lo * I;
        gather_rows(x, job_.x, rows, chunk.rows, I);
        const T* target = x;
        if (job_.y != job_.x) {
            T* y = y_ + (int64_t) chunk.lo * D;
            gather_rows(y, job_.y, rows, chunk.rows, D);
            target = y;
        }
        const Pass pass = train_pass(chunk);
        forward(x, chunk.lo, chunk.rows, 0, plan_.layers, pass, chunk.totals, chunk.column_sums, stream_weights);
        loss(target, chunk.lo, chunk.rows, job_.rows, true, chunk.totals);
        if (backward) backward_rows(chunk.lo, chunk.rows, pass);
    }

    /* A round over job_.rows contiguous rows, chunk by chunk (batch > 0: chunks of that many), returning when
     * every chunk is done. */
    void run_rows(Pool::Task task, int batch) {
        cut_rows(job_.rows, batch);
        rows_done_ = 0;
        pool_.run(task, this);
    }

    /* A round of chunks of rows (evaluation, prediction): thread 0 returns when every chunk is done. */
    template <typename Work>
    static void claim_rows(TypedCpuEngine& e, int k, uint64_t round, Work work) {
        e.claim(e.row_claims_, e.rows_done_, e.chunk_count_, k, round, [&](int c) {
            if (e.chunks_[c].rows > 0) work(e.chunks_[c]);
        });
        if (k == 0) e.await_done(e.rows_done_, e.chunk_count_, round);
    }

    static void evaluate_task(void* context, int k, uint64_t round) {
        TypedCpuEngine& e = *static_cast<TypedCpuEngine*>(context);
        claim_rows(e, k, round, [&e](Chunk& c) {
            const Pass pass{PHASE_EVALUATE, e.t_, e.job_.data_row + c.lo, c.rows};
            e.forward(e.job_.x + (int64_t) c.lo * e.plan_.input_size, c.lo, c.rows, 0, e.plan_.layers, pass, c.totals,
                      c.column_sums, false);
            if (e.plan_.batch_terms) e.batch_terms_of_chunk(c, c.totals);
            e.loss(e.job_.y + (int64_t) c.lo * e.plan_.output_size(), c.lo, c.rows, c.rows, false, c.totals);
        });
    }

    /* The KL terms of a chunk that is a whole batch (evaluation): from its own column sums. */
    void batch_terms_of_chunk(const Chunk& c, double* totals) const {
        for (int l = 0; l < plan_.layers; l++) {
            const LayerPlan& L = plan_.layer[l];
            if (L.regularizer == REG_KL)
                totals[0] += kl_activity_loss(c.column_sums + kl_offset_[l], L.outputs, c.rows, L.reg_weight, L.reg_target);
        }
    }

    static void predict_task(void* context, int k, uint64_t round) {
        TypedCpuEngine& e = *static_cast<TypedCpuEngine*>(context);
        claim_rows(e, k, round, [&e](Chunk& c) {
            const Job& j = e.job_;
            const int I = e.plan_.layer[j.from].inputs, O = e.plan_.layer[j.to - 1].outputs;
            const Pass pass{PHASE_PREDICT, e.t_, j.data_row + c.lo, c.rows};
            e.forward(j.x + (int64_t) c.lo * I, c.lo, c.rows, j.from, j.to, pass, nullptr, nullptr, false);
            memcpy(j.out + (int64_t) c.lo * O, e.out_[j.to - 1] + (int64_t) c.lo * O, sizeof(T) * (size_t) c.rows * O);
        });
    }

    /* Carries the product to this step, or rebuilds it once for a resumed run. */
    void advance_nadam_schedule() {
        schedule_ = t_ == schedule_step_ + 1 ? schedule_ * nadam_mu(plan_.beta1, t_) : nadam_schedule(plan_.beta1, t_);
        schedule_step_ = t_;
    }

    void apply(int64_t lo, int64_t hi) override { apply_optimizer(lo, hi); }

    /* The optimizer on parameters [lo, hi) of the trainable range. */
    void apply_optimizer(int64_t lo, int64_t hi) {
        if (hi > lo) apply_to(params_ + lo, grads_ + lo, state_ + lo, state_ + plan_.trainable + lo, hi - lo);
    }

    /* How many vectors laid out like the trainable parameters the optimizer keeps in state_. */
    int state_slots() const {
        switch (plan_.optimizer) {
            case OPT_SGD: return plan_.momentum != 0 ? 1 : 0;
            case OPT_RMSPROP: return 1;
            default: return 2;
        }
    }

    /* The optimizer on n parameters p with gradients g and state slots s0, s1 (those the optimizer keeps). */
    void apply_to(T* p, const T* g, T* s0, T* s1, int64_t n) override {
        switch (plan_.optimizer) {
            case OPT_SGD:
                sgd_step(p, g, plan_.momentum != 0 ? s0 : nullptr, n, (T) rate_, (T) plan_.momentum, plan_.nesterov);
                break;
            case OPT_ADAM:
                adam_step(p, g, s0, s1, n, rate_, plan_.beta1, plan_.beta2, plan_.eps, t_);
                break;
            case OPT_NADAM:
                nadam_step(p, g, s0, s1, n, rate_, plan_.beta1, plan_.beta2, plan_.eps, t_, nadam_mu(plan_.beta1, t_),
                           nadam_mu(plan_.beta1, t_ + 1), schedule_);
                break;
            case OPT_RMSPROP:
                rmsprop_step(p, g, s0, n, rate_, plan_.rho, plan_.eps);
                break;
        }
    }

    const Plan plan_;
    T* const params_;
    T* const grads_;
    T* const state_;
    std::vector<int32_t> order_;
    std::vector<T> arena_;
    int capacity_ = 0;
    T *x_ = nullptr, *y_ = nullptr;
    T* out_[MAX_LAYERS] = {nullptr};
    T* delta_[MAX_LAYERS] = {nullptr};
    double totals_[MAX_TOTALS];
    int64_t t_ = 0;
    double lr_ = plan_.lr; /* the optimizer's learning rate, which the schedule starts from */
    double rate_ = plan_.lr; /* this step's: the schedule's after t_ − 1 updates */
    uint64_t noise_seed_ = 0;
    int64_t schedule_step_ = 0;
    double schedule_ = 1;
    int64_t allocations_ = 0;
    Pool pool_;
    const int threads_;
    const int max_chunks_;
    int chunk_count_ = 1;
    std::vector<Chunk> chunks_;
    std::vector<Block> blocks_;
    Claims row_claims_;
    Claims back_claims_;
    Claims sum_claims_;
    Claims block_claims_;
    std::vector<double> kl_sums_;
    double* batch_sums_ = nullptr;
    int kl_offset_[MAX_LAYERS] = {0};
    Job job_{};
    std::atomic<int> rows_done_{0};
    std::atomic<int> sums_done_{0};
    std::atomic<int> backs_done_{0};
    std::atomic<int> blocks_done_{0};
    std::unique_ptr<UnitSplit<T>> unit_split_; /* the step on several threads for the batches and plans it fits */
    int split_ = SPLIT_NONE;
};

}  // namespace ae4j
