/*
 * engine.h — the CPU engine: a whole training step of a plan (ae4j_plan.h) in one call — gather the batch from the
 * resident data in the epoch's order, forward, loss, backward (tied gradients accumulated), optimizer — over the
 * kernels of kernels.h, plus evaluation, prediction and the gradients alone (for gradient checks).
 *
 * Threads (pool.h) share a step in two phases, with one barrier between them:
 *   1. by rows of the batch: thread k gathers rows [B·k/n, B·(k+1)/n), runs the forward pass, the loss and the
 *      backward pass down to each layer's ∂L/∂z and ∂L/∂x on them, writing its block of rows of matrices shared
 *      by all threads (one arena, [B, width] per layer);
 *   2. by rows of each parameter: thread k computes its rows of every W's gradient and its entries of every b's
 *      over the whole batch (one GEMM with K = B, reading all threads' rows), adds a tied W's second use, and
 *      applies the optimizer to those rows while they are in its cache.
 * So the gradient is the whole batch's, each of its elements summed over the rows in the same order whatever the
 * number of threads (phase-2 rows split at multiples of 24, the GEMM's tile heights): n threads give the same
 * parameters as one. No per-thread gradient buffers, no reduction. The weights are read by every thread but each
 * row is written by one. One thread runs no pool and no barrier.
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

namespace ae4j {

/* The engine behind the handle the Java side holds, whatever its float type. */
class CpuEngine {
  public:
    virtual ~CpuEngine() = default;
    virtual void begin_epoch(const int32_t* order, int n) = 0;
    virtual void train_step(const void* x, const void* y, int start, int rows) = 0;
    virtual void evaluate(const void* x, const void* y, int rows, double* sums) = 0;
    virtual void predict(const void* x, int rows, int from, int to, void* out) = 0;
    virtual double loss_and_gradients(const void* x, const void* y, int rows) = 0;
    virtual void read_totals(double* sums) const = 0;
    virtual void reset_totals() = 0;
    virtual int64_t iteration() const = 0;
    virtual void set_iteration(int64_t t) = 0;
    virtual int threads() const = 0;
    virtual int64_t allocations() const = 0;
};

template <typename T>
class TypedCpuEngine final : public CpuEngine {
  public:
    TypedCpuEngine(const Plan& plan, T* params, T* grads, T* state, int threads)
        : plan_(plan), params_(params), grads_(grads), state_(state), pool_(threads), threads_(pool_.size()),
          workers_((size_t) threads_) {
        reset_totals();
    }

    void begin_epoch(const int32_t* order, int n) override {
        if ((int) order_.size() < n) allocations_++;
        order_.assign(order, order + n);
    }

    void train_step(const void* x, const void* y, int start, int rows) override {
        step(static_cast<const T*>(x), static_cast<const T*>(y), order_.data() + start, rows, true, totals_);
    }

    void evaluate(const void* x, const void* y, int rows, double* sums) override {
        for (int i = 0; i < plan_.totals; i++) sums[i] = 0;
        Job job{this, static_cast<const T*>(x), static_cast<const T*>(y), nullptr, nullptr, 0, 0, plan_.layers, false};
        ensure_capacity(EVAL_ROWS);
        for (int done = 0; done < rows; done += capacity_) {
            job.first_row = done;
            job.rows = std::min(rows - done, capacity_);
            pool_.run(&TypedCpuEngine::evaluate_task, &job);
            for (const Worker& w : workers_)
                for (int i = 0; i < plan_.totals; i++) sums[i] += w.totals[i];
        }
    }

    void predict(const void* x, int rows, int from, int to, void* out) override {
        Job job{this, static_cast<const T*>(x), nullptr, static_cast<T*>(out), nullptr, 0, from, to, false};
        ensure_capacity(EVAL_ROWS);
        for (int done = 0; done < rows; done += capacity_) {
            job.first_row = done;
            job.rows = std::min(rows - done, capacity_);
            pool_.run(&TypedCpuEngine::predict_task, &job);
        }
    }

    double loss_and_gradients(const void* x, const void* y, int rows) override {
        std::vector<int32_t> identity((size_t) rows);
        for (int i = 0; i < rows; i++) identity[i] = i;
        double sums[MAX_TOTALS] = {0};
        step(static_cast<const T*>(x), static_cast<const T*>(y), identity.data(), rows, false, sums);
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
    int threads() const override { return threads_; }
    int64_t allocations() const override { return allocations_; }

  private:
    static constexpr int EVAL_ROWS = 512;
    static constexpr int TILE_ROWS = 24; /* a multiple of the GEMM's tile heights (8 with AVX-512, 6 with AVX2) */

    /* A thread's share of the current job: rows [lo, lo + rows) of the batch, and its loss totals; a cache line of
     * its own, so that threads adding to their totals do not contend. */
    struct alignas(64) Worker {
        int lo = 0, rows = 0;
        double totals[MAX_TOTALS] = {0};
    };

    /* What a task works on: rows [first_row, first_row + rows) of x (and y), layers [from, to), out for predict;
     * for a training step, the rows' positions in the data (order) and whether to apply the optimizer. */
    struct Job {
        TypedCpuEngine* engine;
        const T *x, *y;
        T* out;
        const int32_t* order;
        int rows, from, to;
        bool update;
        int first_row = 0;
    };

    static size_t padded(size_t n) { return (n + 15) & ~(size_t) 15; } /* 64-byte multiples for float */

    /* One arena for `rows` rows: input and target [rows, I|D], then per layer its output and ∂L/∂output. */
    void ensure_capacity(int rows) {
        if (rows <= capacity_) return;
        const size_t C = (size_t) rows;
        const int D = plan_.output_size();
        size_t total = padded(C * plan_.input_size) + padded(C * D);
        for (int l = 0; l < plan_.layers; l++) total += 2 * padded(C * plan_.layer[l].outputs);
        arena_.assign(total, 0);
        T* p = arena_.data();
        x_ = p;
        p += padded(C * plan_.input_size);
        y_ = p;
        p += padded(C * D);
        for (int l = 0; l < plan_.layers; l++) {
            out_[l] = p;
            p += padded(C * plan_.layer[l].outputs);
            delta_[l] = p;
            p += padded(C * plan_.layer[l].outputs);
        }
        capacity_ = rows;
        allocations_++;
    }

    /* The activation a layer runs with: the plan's (identity for an output fused with its loss), or, when
     * predicting, the layer's own. */
    int activation(int l, bool predicting) const {
        return predicting && l == plan_.layers - 1 ? plan_.out_act : plan_.layer[l].act;
    }

    /* Rows [lo, lo + n) of the shared matrices (or of `in`, rows of an input with its own width) through layers
     * [from, to). */
    void forward(const T* in, int lo, int n, int from, int to, bool predicting) {
        for (int l = from; l < to; l++) {
            const LayerPlan& L = plan_.layer[l];
            T* out = out_[l] + (int64_t) lo * L.outputs;
            dense_forward(out, in, params_ + L.w, params_ + L.b, n, L.inputs, L.outputs, L.transpose_w, activation(l, predicting));
            in = out;
        }
    }

    void loss(const T* target, int lo, int n, int batch_rows, bool gradient, double* totals) {
        const int last = plan_.layers - 1, D = plan_.output_size();
        loss_share(plan_.loss, plan_.out_act, out_[last] + (int64_t) lo * D, target, gradient ? delta_[last] + (int64_t) lo * D : nullptr,
                   n, batch_rows, D, totals, plan_.rounded_slot, plan_.accuracy_slot);
    }

    /* Phase 1 below the loss, rows [lo, lo + n): each layer's ∂L/∂z, and ∂L/∂x for the layer below. */
    void backward_rows(int lo, int n) {
        for (int l = plan_.layers - 1; l >= plan_.first_backward; l--) {
            const LayerPlan& L = plan_.layer[l];
            T* dx = l > plan_.first_backward ? delta_[l - 1] + (int64_t) lo * L.inputs : nullptr;
            dense_backward_input(dx, delta_[l] + (int64_t) lo * L.outputs, out_[l] + (int64_t) lo * L.outputs, params_ + L.w, n,
                                 L.inputs, L.outputs, L.transpose_w, L.act);
        }
    }

    /* Thread k's share [lo, hi) of `count` rows: whole tiles of TILE_ROWS, the last thread taking the rest. */
    void rows_of(int k, int count, int& lo, int& hi) const {
        const int tiles = (count + TILE_ROWS - 1) / TILE_ROWS;
        lo = std::min(count, tiles * k / threads_ * TILE_ROWS);
        hi = k + 1 == threads_ ? count : std::min(count, tiles * (k + 1) / threads_ * TILE_ROWS);
    }

    /* Phase 2 for thread k: its rows of every trainable W's gradient and its entries of every trainable b's, over
     * all `batch` rows; then, when `update`, the optimizer on them. A tied W is updated at its owner (the Dense,
     * whose transpose_w is 0), the last of its users in backward order. In a gradient check (no update) every
     * layer's gradients are computed. */
    void weight_gradients(int k, int batch, bool update) {
        for (int l = plan_.layers - 1; l >= plan_.first_backward; l--) {
            const LayerPlan& L = plan_.layer[l];
            const bool w_trainable = L.w < plan_.trainable, b_trainable = L.b < plan_.trainable;
            const int w_rows = L.transpose_w ? L.outputs : L.inputs, w_cols = L.transpose_w ? L.inputs : L.outputs;
            int r0 = 0, r1 = 0, c0 = 0, c1 = 0;
            if (w_trainable || !update) rows_of(k, w_rows, r0, r1);
            if (b_trainable || !update) rows_of(k, L.outputs, c0, c1);
            const T* x = l ? out_[l - 1] : x_;
            dense_weight_gradient(grads_ + L.w, grads_ + L.b, delta_[l], x, batch, L.inputs, L.outputs, L.transpose_w,
                                  L.accumulate_w, r0, r1, c0, c1);
            if (!update) continue;
            if (w_trainable && !L.transpose_w) apply_optimizer(L.w + (int64_t) r0 * w_cols, L.w + (int64_t) r1 * w_cols);
            if (b_trainable) apply_optimizer(L.b + c0, L.b + c1);
        }
    }

    /* One step over rows order[0..rows) of x/y: the gradient into grads_, and, when `update`, the optimizer; the
     * loss totals are added to sums. */
    void step(const T* x, const T* y, const int32_t* order, int rows, bool update, double* sums) {
        ensure_capacity(rows);
        if (update) t_++;
        if (update && plan_.optimizer == OPT_NADAM) advance_nadam_schedule();
        const int active = std::min(threads_, rows);
        for (int k = 0; k < threads_; k++) {
            Worker& w = workers_[k];
            w.lo = k < active ? (int) ((int64_t) rows * k / active) : rows;
            w.rows = k < active ? (int) ((int64_t) rows * (k + 1) / active) - w.lo : 0;
        }
        Job job{this, x, y, nullptr, order, rows, 0, plan_.layers, update};
        pool_.run(&TypedCpuEngine::step_task, &job);
        for (int k = 0; k < active; k++)
            for (int i = 0; i < plan_.totals; i++) sums[i] += workers_[k].totals[i];
    }

    static void step_task(void* context, int k) {
        Job& job = *static_cast<Job*>(context);
        TypedCpuEngine& e = *job.engine;
        Worker& w = e.workers_[k];
        for (int i = 0; i < e.plan_.totals; i++) w.totals[i] = 0;
        if (w.rows > 0) {
            const int I = e.plan_.input_size, D = e.plan_.output_size();
            const int32_t* rows = job.order + w.lo;
            T* x = e.x_ + (int64_t) w.lo * I;
            gather_rows(x, job.x, rows, w.rows, I);
            const T* target = x;
            if (job.y != job.x) {
                T* y = e.y_ + (int64_t) w.lo * D;
                gather_rows(y, job.y, rows, w.rows, D);
                target = y;
            }
            e.forward(x, w.lo, w.rows, 0, e.plan_.layers, false);
            e.loss(target, w.lo, w.rows, job.rows, true, w.totals);
            e.backward_rows(w.lo, w.rows);
        }
        e.pool_.barrier();
        e.weight_gradients(k, job.rows, job.update);
    }

    void advance_nadam_schedule() {
        if (t_ != schedule_step_ + 1) { /* a resumed run: rebuild the product once */
            schedule_step_ = 0;
            schedule_ = 1;
            while (schedule_step_ < t_ - 1) schedule_ *= nadam_mu(++schedule_step_);
        }
        schedule_ *= nadam_mu(t_);
        schedule_step_ = t_;
    }

    /* Keras's Nadam momentum cache μ_t = β1·(1 − 0.5·0.96^(0.004·t)). */
    double nadam_mu(int64_t t) const { return plan_.beta1 * (1 - 0.5 * pow(0.96, 0.004 * (double) t)); }

    /* The optimizer on parameters [lo, hi) of the trainable range. */
    void apply_optimizer(int64_t lo, int64_t hi) {
        if (hi <= lo) return;
        const int64_t n = hi - lo, P = plan_.trainable;
        T *p = params_ + lo, *g = grads_ + lo;
        switch (plan_.optimizer) {
            case OPT_SGD:
                sgd_step(p, g, plan_.momentum != 0 ? state_ + lo : nullptr, n, (T) plan_.lr, (T) plan_.momentum,
                         plan_.nesterov);
                break;
            case OPT_ADAM:
                adam_step(p, g, state_ + lo, state_ + P + lo, n, plan_.lr, plan_.beta1, plan_.beta2, plan_.eps, t_);
                break;
            case OPT_NADAM:
                nadam_step(p, g, state_ + lo, state_ + P + lo, n, plan_.lr, plan_.beta1, plan_.beta2, plan_.eps, t_,
                           nadam_mu(t_), nadam_mu(t_ + 1), schedule_);
                break;
        }
    }

    /* Thread k's rows of the chunk [first_row, first_row + rows) of a job over contiguous rows. */
    static void share(const Job& job, int threads, int k, int& lo, int& n) {
        lo = (int) ((int64_t) job.rows * k / threads);
        n = (int) ((int64_t) job.rows * (k + 1) / threads) - lo;
    }

    static void evaluate_task(void* context, int k) {
        Job& job = *static_cast<Job*>(context);
        TypedCpuEngine& e = *job.engine;
        Worker& w = e.workers_[k];
        for (int i = 0; i < e.plan_.totals; i++) w.totals[i] = 0;
        int lo, n;
        share(job, e.threads_, k, lo, n);
        if (n == 0) return;
        const int64_t row = job.first_row + lo;
        e.forward(job.x + row * e.plan_.input_size, lo, n, 0, e.plan_.layers, false);
        e.loss(job.y + row * e.plan_.output_size(), lo, n, n, false, w.totals);
    }

    static void predict_task(void* context, int k) {
        Job& job = *static_cast<Job*>(context);
        TypedCpuEngine& e = *job.engine;
        int lo, n;
        share(job, e.threads_, k, lo, n);
        if (n == 0) return;
        const int I = e.plan_.layer[job.from].inputs, O = e.plan_.layer[job.to - 1].outputs;
        const int64_t row = job.first_row + lo;
        e.forward(job.x + row * I, lo, n, job.from, job.to, true);
        memcpy(job.out + row * O, e.out_[job.to - 1] + (int64_t) lo * O, sizeof(T) * (size_t) n * O);
    }

    const Plan plan_;
    T* const params_;
    T* const grads_;
    T* const state_;
    Pool pool_;
    const int threads_;
    std::vector<Worker> workers_;
    std::vector<int32_t> order_;
    std::vector<T> arena_;
    int capacity_ = 0;
    T *x_ = nullptr, *y_ = nullptr;
    T* out_[MAX_LAYERS] = {nullptr};
    T* delta_[MAX_LAYERS] = {nullptr};
    double totals_[MAX_TOTALS];
    int64_t t_ = 0;
    int64_t schedule_step_ = 0;
    double schedule_ = 1;
    int64_t allocations_ = 0;
};

}  // namespace ae4j
