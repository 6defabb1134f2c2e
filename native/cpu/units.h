/*
 * units.h — the CPU engine's training step on several threads for small batches of dense layers: each thread owns
 * a share of every layer's units, and with them the weights that read them, which no other thread reads or writes;
 * what moves between cores is activations and their gradients, a few rows' worth.
 *
 * Why: splitting the batch (engine.h's rows) makes every thread read every weight each step after other threads
 * updated parts of it: (N−1)/N of the weights cross between cores per thread and step (328 KB for the stacked
 * autoencoder on 2 threads), which on a machine with slow cross-core transfers costs more than the arithmetic the
 * second thread takes over at batch 32. Here each thread and step moves 2·(N−1)/N · B · Σ widths floats of the split
 * layers (113 KB at batch 32), plus the (N−1)/N of the whole-run layers' weights that others updated (12 KB). Threads must not share columns of a row-major W either: a thread streaming its half of each row drags
 * in the other half's lines (the hardware prefetchers), measured 2.6× slower than halves of separate matrices;
 * so a thread owns whole rows of W.
 *
 * How: thread k of N owns units share(width, k) of each layer's input and output. For a layer x [B, I] → z [B, O]:
 *   forward:  its part of z, x[:, own] · W[own rows, :], over all O columns; after a barrier it adds every thread's
 *             part over its own output columns (in thread order), adds their bias and activates them — its own
 *             columns of the output, the next layer's own input;
 *   the loss: over its own columns of the output (each thread its columns of each row; totals added in order);
 *   backward: ∂L/∂z on its own columns; after a barrier it copies every thread's columns into the whole ∂L/∂z
 *             [B, O], from which it computes the gradient of its W rows, ∂L/∂x for its own input columns (the
 *             layer below's own ∂L/∂output) and applies the optimizer to its rows and its bias at once.
 * Two barriers per split layer; no thread waits for another otherwise. A layer whose weights are fewer than the
 * batch's activations around it (I·O < B·(I + O): the stacked autoencoder's 100×30 and 30×100 at batch 32) is
 * not split but run whole on every thread — its barriers and sums cost more than the arithmetic they share out —
 * each thread still owning (computing the gradient of, updating) its share of its rows, after a last barrier,
 * once every thread has read them. The same N gives the same weights run to run; against one thread the sums
 * x · W are cut in N pieces, which changes their rounding.
 *
 * Measured on a 2-core Xeon (README, Benchmarks): the stacked autoencoder's step at batch 32 on 2 threads takes
 * 0.185–0.190 ms against 0.286–0.293 on one (the batch split: 0.224).
 * Not here: layers without weights, tied weights, activity regularizers and the categorical losses (their rows
 * need every column) — engine.h's batch split runs those, large batches (where the weights weigh less than the
 * activations: engine.h), and every plan on one thread; evaluation and prediction (read-only weights).
 */
#pragma once
#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <atomic>
#include <utility>
#include <vector>

#include "ae4j_plan.h"
#include "kernels.h"
#include "pool.h"

namespace ae4j {

/* The optimizer, applied to parameters [lo, hi) of the flat vector once their gradients are in. */
class ParameterUpdate {
  public:
    virtual void apply(int64_t lo, int64_t hi) = 0;

  protected:
    ~ParameterUpdate() = default;
};

template <typename T>
class UnitSplit {
  public:
    /* Whether a plan is one this step runs: dense layers with their own W, no activity regularizer, a loss that
     * sums over columns (MSE, binary cross-entropy) without the accuracy metric, every layer trained. */
    static bool fits(const Plan& plan) {
        if (plan.first_backward != 0 || plan.accuracy_slot >= 0 || plan.batch_terms) return false;
        if (plan.loss != LOSS_MSE && plan.loss != LOSS_BCE) return false;
        for (int l = 0; l < plan.layers; l++) {
            const LayerPlan& L = plan.layer[l];
            if (L.kind != LAYER_DENSE || L.transpose_w || L.accumulate_w || L.regularizer != REG_NONE) return false;
        }
        return true;
    }

    /* Whether a batch of `rows` rows moves less between cores this way than split by rows: the activations and
     * their gradients (B · Σ widths each way) against the weights (P, each way). */
    static bool pays(const Plan& plan, int rows) {
        int64_t widths = 0;
        for (int l = 0; l < plan.layers; l++) widths += plan.layer[l].outputs;
        return (int64_t) rows * widths < plan.params;
    }

    UnitSplit(const Plan& plan, T* params, T* grads, Pool& pool, ParameterUpdate& update)
        : plan_(plan), params_(params), grads_(grads), pool_(pool), update_(update), n_(pool.size()), lanes_((size_t) n_) {}

    /* Room for batches of `rows` rows; returns whether it allocated. */
    bool ensure_capacity(int rows) {
        if (rows <= capacity_) return false;
        for (int k = 0; k < n_; k++) layout(k, rows);
        capacity_ = rows;
        return true;
    }

    /* One step over rows order[0..rows) of x and y (y == x for an autoencoder): the gradients into the flat
     * gradient vector, the optimizer when `update`; the loss totals are added to sums. */
    void step(const T* x, const T* y, const int32_t* order, int rows, bool update, double* sums) {
        job_ = Job{x, y, order, rows, update};
        choose_layers(rows);
        arrivals_ = 0;
        pool_.run(&UnitSplit::task, this);
        for (const Lane& lane : lanes_)
            for (int i = 0; i < plan_.totals; i++) sums[i] += lane.totals[i];
    }

  private:
    struct Range {
        int lo, hi;
        int n() const { return hi - lo; }
    };

    /* A thread's buffers: its columns of the input and of the target; per layer its columns of the output and of
     * ∂L/∂output, its part of z (read by every thread) and the whole ∂L/∂z. */
    struct alignas(64) Lane {
        std::vector<T> memory;
        T *x = nullptr, *y = nullptr;
        T* out[MAX_LAYERS] = {nullptr};
        T* delta[MAX_LAYERS] = {nullptr};
        T* part[MAX_LAYERS] = {nullptr};
        T* dz[MAX_LAYERS] = {nullptr};
        double totals[MAX_TOTALS] = {0};
    };

    struct Job {
        const T *x, *y;
        const int32_t* order;
        int rows;
        bool update;
    };

    /* Thread k's units of a layer `width` wide. */
    Range share(int width, int k) const { return Range{(int) ((int64_t) width * k / n_), (int) ((int64_t) width * (k + 1) / n_)}; }

    void layout(int k, int rows) {
        Lane& lane = lanes_[k];
        const size_t R = (size_t) rows;
        std::vector<std::pair<T**, size_t>> pieces;
        pieces.push_back({&lane.x, R * plan_.input_size});
        pieces.push_back({&lane.y, R * share(plan_.output_size(), k).n()});
        for (int l = 0; l < plan_.layers; l++) {
            const size_t O = (size_t) plan_.layer[l].outputs;
            pieces.push_back({&lane.out[l], R * O});
            pieces.push_back({&lane.delta[l], R * O});
            pieces.push_back({&lane.part[l], R * O});
            pieces.push_back({&lane.dz[l], R * O});
        }
        const size_t align = 64 / sizeof(T);
        auto padded = [align](size_t n) { return (n + align - 1) / align * align; };
        size_t total = align;
        for (auto& p : pieces) total += padded(p.second);
        lane.memory.assign(total, 0);
        T* at = lane.memory.data();
        while ((uintptr_t) at % 64) at++;
        for (auto& p : pieces) {
            *p.first = at;
            at += padded(p.second);
        }
    }

    static void task(void* context, int k, uint64_t) { static_cast<UnitSplit*>(context)->run(k); }

    /* This thread has reached the next sync point of the step. */
    void arrive() {
        arrivals_.fetch_add(1);
        pool_.wake();
    }

    /* Waits until every thread has reached the step's `point`-th sync point. */
    void await_all(int point) {
        const int target = n_ * point;
        pool_.await([&] { return arrivals_.load() >= target; });
    }

    /* Arrives at the step's next barrier (counted in `passed`) and waits for every thread there. */
    void barrier(int& passed) {
        arrive();
        await_all(++passed);
    }

    void apply(int64_t lo, int64_t hi) {
        if (job_.update && lo < plan_.trainable) update_.apply(lo, std::min(hi, plan_.trainable));
    }

    /* Which layers this batch runs on every thread (see the file's header) and which outputs every thread holds
     * whole: a replicated layer's, and a split layer's below a replicated one. The last layer is split. */
    void choose_layers(int rows) {
        const int last = plan_.layers - 1;
        replicated_any_ = false;
        for (int l = 0; l <= last; l++) {
            const LayerPlan& L = plan_.layer[l];
            replicated_[l] = l < last && (int64_t) L.inputs * L.outputs < (int64_t) rows * (L.inputs + L.outputs);
            replicated_any_ |= replicated_[l];
        }
        for (int l = 0; l <= last; l++) whole_[l] = replicated_[l] || (l < last && replicated_[l + 1]);
    }

    /* Thread k's whole step. */
    void run(int k) {
        Lane& me = lanes_[k];
        const int B = job_.rows, last = plan_.layers - 1, I0 = plan_.input_size, D = plan_.output_size();
        int passed = 0;
        for (double& t : me.totals) t = 0;
        const T* parts[64];

        const Range input = share(I0, k);
        if (replicated_[0])
            gather_rows(me.x, job_.x, job_.order, B, I0);
        else
            gather_columns(me.x, job_.x, job_.order, B, I0, input.lo, input.hi);
        for (int l = 0; l <= last; l++) {
            const LayerPlan& L = plan_.layer[l];
            const int I = L.inputs, O = L.outputs;
            const T *w = params_ + L.w, *b = params_ + L.b;
            const T* in = l ? me.out[l - 1] : me.x;
            if (replicated_[l]) {
                dense_forward(me.out[l], in, w, b, B, I, O, 0, L.act);
                continue;
            }
            const Range r = share(I, k), c = share(O, k);
            const bool in_whole = l ? whole_[l - 1] : false;
            matmul(B, O, r.n(), in + (in_whole ? r.lo : 0), in_whole ? I : r.n(), 1, w + (int64_t) r.lo * O, O, me.part[l], O, 0);
            barrier(passed);
            for (int p = 0; p < n_; p++) parts[p] = lanes_[p].part[l];
            const Range kept = whole_[l] ? Range{0, O} : c;
            sum_part_columns(me.out[l], parts, n_, B, O, kept.lo, kept.hi);
            dense_activate(me.out[l], b + kept.lo, B, kept.n(), L.act);
        }

        const Range own = share(D, k);
        const T* target = me.x; /* an autoencoder's target columns are its input columns, gathered already */
        if (job_.y != job_.x || replicated_[0] || I0 != D) {
            gather_columns(me.y, job_.y, job_.order, B, D, own.lo, own.hi);
            target = me.y;
        }
        loss_share(plan_.loss, plan_.out_act, me.out[last], target, me.delta[last], B, B, D, own.n(), me.totals,
                   plan_.rounded_slot, -1);

        bool delta_whole = false; /* whether me.delta[l] holds all of ∂L/∂output or this thread's columns */
        for (int l = last; l >= 0; l--) {
            const LayerPlan& L = plan_.layer[l];
            const int I = L.inputs, O = L.outputs;
            const Range r = share(I, k), c = share(O, k);
            const T* w = params_ + L.w;
            T* dz = me.delta[l];
            if (!delta_whole) { /* its columns: to ∂L/∂z (a split layer's), then every thread's */
                if (!replicated_[l]) dense_activate_backward(me.delta[l], me.out[l], B, c.n(), L.act);
                barrier(passed);
                dz = me.dz[l];
                for (int p = 0; p < n_; p++) {
                    const Range cp = share(O, p);
                    place_columns(dz, lanes_[p].delta[l], B, O, cp.lo, cp.hi);
                }
                if (replicated_[l]) dense_activate_backward(dz, me.out[l], B, O, L.act);
            } else {
                dense_activate_backward(dz, me.out[l], B, O, L.act);
            }
            if (l > 0) { /* ∂L/∂x from W before its update: all of it on a replicated layer, else its columns */
                if (replicated_[l])
                    matmul_nt(B, I, O, dz, w, O, me.delta[l - 1], 0);
                else
                    matmul_nt(B, r.n(), O, dz, w + (int64_t) r.lo * O, O, me.delta[l - 1], 0);
            }
            const bool in_whole = l ? whole_[l - 1] : replicated_[0];
            const T* in = (l ? me.out[l - 1] : me.x) + (in_whole ? r.lo : 0);
            matmul(r.n(), O, B, in, 1, in_whole ? I : r.n(), dz, O, grads_ + L.w + (int64_t) r.lo * O, O, 0);
            dense_bias_gradient(grads_ + L.b, dz, B, O, c.lo, c.hi);
            if (!replicated_[l]) apply_rows(l, k);
            delta_whole = replicated_[l];
        }
        if (replicated_any_) { /* every thread has read the replicated layers' W: now their owners update them */
            barrier(passed);
            for (int l = 0; l < last; l++)
                if (replicated_[l]) apply_rows(l, k);
        }

        arrive(); /* the step's end: only thread 0, which returns to the caller, waits for the others */
        if (k == 0) await_all(passed + 1);
    }

    /* The optimizer on thread k's rows of layer l's W and its entries of b. */
    void apply_rows(int l, int k) {
        const LayerPlan& L = plan_.layer[l];
        const Range r = share(L.inputs, k), c = share(L.outputs, k);
        apply(L.w + (int64_t) r.lo * L.outputs, L.w + (int64_t) r.hi * L.outputs);
        apply(L.b + c.lo, L.b + c.hi);
    }

    const Plan& plan_;
    T* const params_;
    T* const grads_;
    Pool& pool_;
    ParameterUpdate& update_;
    const int n_;
    std::vector<Lane> lanes_;
    bool replicated_[MAX_LAYERS] = {false};
    bool whole_[MAX_LAYERS] = {false};
    bool replicated_any_ = false;
    int capacity_ = 0;
    Job job_{};
    std::atomic<int> arrivals_{0};
};

}  // namespace ae4j
