/*
 * units.h — the CPU engine's training step on several threads for small batches of dense layers: each thread owns
 * a share of every layer's units, and with them the weights that read them, which no other thread reads or writes;
 * what moves between cores is activations and their gradients, a few rows' worth.
 *
 * Why: splitting the batch (engine.h's rows) makes every thread read every weight each step after other threads
 * updated parts of it: (N−1)/N of the weights cross between cores per thread and step (328 KB for the stacked
 * autoencoder on 2 threads), which on a machine with slow cross-core transfers costs more than the arithmetic the
 * second thread takes over at batch 32. Here what crosses is each split layer's partial products forward and its
 * ∂L/∂z backward, the other threads' share of each (about 120 KB per thread at batch 32 on 2 threads, for the 100-
 * and 784-wide layers), plus the (N−1)/N of the whole-run layers' weights that others updated (12 KB). Threads
 * must not share columns of a row-major W either: a thread streaming its half of each row drags in the other
 * half's lines (the hardware prefetchers), measured 2.6× slower than halves of separate matrices; so a thread owns
 * whole rows of W. (Splitting the 784-wide output layer by columns instead, so that its forward needs no exchange,
 * measured no faster: its updates became 4× slower for that reason.)
 *
 * How: thread k of N owns units share(width, k) of each layer's input and output. For a layer x [B, I] → z [B, O]:
 *   forward:  its part of z, x[:, own] · W[own rows, :], over all O columns — the other threads' columns first;
 *             once every part is in, it adds every thread's part over its own output columns (in thread order),
 *             adds their bias and activates them — its own columns of the output, the next layer's own input;
 *   the loss: over its own columns of the output (each thread its columns of each row; totals added in order);
 *   backward: ∂L/∂z on its own columns; from every thread's columns (each read once from the other core and
 *             transposed, as ∂L/∂x's product wants it) it computes ∂L/∂x for its own input columns (the layer
 *             below's own ∂L/∂output) and the gradient of its W rows, and applies the optimizer to its rows and
 *             its bias at once.
 * Each of these exchanges is a sync point in two halves: a thread arrives as soon as what the others need from it
 * is written, then does the work that needs nothing of theirs (the own-column products), and only then waits —
 * so a thread the OS delayed, or that had more to do, holds the others up by less. A layer whose weights are fewer
 * than the batch's activations around it (I·O < B·(I + O), B at most 32: the stacked autoencoder's 100×30 and
 * 30×100) is not split but run whole on every thread — its exchanges cost more than the arithmetic they share out —
 * each thread still owning (computing the gradient of, updating) its share of its rows, once every thread has
 * read them. The same N gives the same weights run to run; against one thread the sums x · W are cut in N
 * pieces, which changes their rounding.
 *
 * Measured on a 2-core Xeon (README, Benchmarks): the stacked autoencoder's step at batch 32 on 2 threads takes
 * 0.172–0.175 ms against 0.272–0.276 on one (the batch split: 0.214).
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

    /* Whether a batch of `rows` rows is faster split this way than by rows: what crosses between cores here grows
     * with the activations (B · Σ widths), there with the weights (P) and half the activations. Measured on the
     * stacked autoencoder on 2 threads, the unit split wins up to batch 64 and the row split from 96 (README): the
     * crossover is near 2 · B · Σ widths = P (batch 80). */
    static bool pays(const Plan& plan, int rows) {
        int64_t widths = 0;
        for (int l = 0; l < plan.layers; l++) widths += plan.layer[l].outputs;
        return 2 * (int64_t) rows * widths < plan.params;
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
        for (int p = 0; p <= points_; p++) arrivals_[p] = 0;
        pool_.run(&UnitSplit::task, this);
        for (const Lane& lane : lanes_)
            for (int i = 0; i < plan_.totals; i++) sums[i] += lane.totals[i];
    }

  private:
    /* Beyond this many rows a replicated layer's arithmetic costs more than its exchanges would (measured: replicating
     * the stacked autoencoder's 784×100 layers at batch 96–160 made the step 20–40% slower than splitting them). */
    static constexpr int REPLICATE_ROWS = 32;

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
        T *dzt = nullptr, *dxt = nullptr; /* a ∂L/∂z part and ∂L/∂x, transposed */
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
        int widest = 0;
        for (int l = 0; l < plan_.layers; l++) widest = std::max({widest, plan_.layer[l].inputs, plan_.layer[l].outputs});
        pieces.push_back({&lane.dzt, R * widest});
        pieces.push_back({&lane.dxt, R * widest});
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

    /* This thread has reached sync point `point` of the step (numbered from 1 in the order every thread meets them). */
    void arrive(int point) {
        arrivals_[point].fetch_add(1);
        pool_.wake();
    }

    /* Waits until every thread has reached sync point `point`. */
    void await_all(int point) {
        pool_.await([&] { return arrivals_[point].load() >= n_; });
    }

    void apply(int64_t lo, int64_t hi) {
        if (job_.update && lo < plan_.trainable) update_.apply(lo, std::min(hi, plan_.trainable));
    }

    /* Which layers this batch runs on every thread (see the file's header) and which outputs every thread holds
     * whole: a replicated layer's, and a split layer's below a replicated one. The last layer is split. A layer is
     * replicated when its weights are fewer than its activations for min(B, REPLICATE_ROWS) rows: its arithmetic,
     * run on every thread, grows with B while a split layer's sync points do not. */
    void choose_layers(int rows) {
        const int last = plan_.layers - 1;
        const int64_t reach = std::min(rows, REPLICATE_ROWS);
        lowest_replicated_ = -1;
        for (int l = last; l >= 0; l--) {
            const LayerPlan& L = plan_.layer[l];
            replicated_[l] = l < last && (int64_t) L.inputs * L.outputs < reach * (L.inputs + L.outputs);
            if (replicated_[l]) lowest_replicated_ = l;
        }
        for (int l = 0; l <= last; l++) whole_[l] = replicated_[l] || (l < last && replicated_[l + 1]);
    }

    /* Thread k's whole step. Each sync point is split in two where it can: a thread arrives as soon as what the
     * others need from it is written, does the work that needs nothing from them, then waits — so a thread the OS
     * delayed holds the others up by less. */
    void run(int k) {
        Lane& me = lanes_[k];
        const int B = job_.rows, last = plan_.layers - 1, I0 = plan_.input_size, D = plan_.output_size();
        int point = 0;
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
            const T* x = in + (in_whole ? r.lo : 0);
            const int ldx = in_whole ? I : r.n();
            const T* wr = w + (int64_t) r.lo * O;
            T* part = me.part[l];
            const int sync = ++point;
            if (whole_[l]) { /* every thread adds all of every part */
                matmul(B, O, r.n(), x, ldx, 1, wr, O, part, O, 0);
                arrive(sync);
            } else { /* the other threads' columns of its part first, then its own while they add theirs */
                for (int q = 1; q < n_; q++) {
                    const Range cq = share(O, (k + q) % n_);
                    if (cq.n()) matmul(B, cq.n(), r.n(), x, ldx, 1, wr + cq.lo, O, part + cq.lo, O, 0);
                }
                arrive(sync);
                if (c.n()) matmul(B, c.n(), r.n(), x, ldx, 1, wr + c.lo, O, part + c.lo, O, 0);
            }
            await_all(sync);
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
        dense_activate_backward(me.delta[last], me.out[last], B, own.n(), plan_.layer[last].act);
        int ready = ++point; /* every thread's columns of the current layer's ∂L/∂z (or ∂L/∂output) are in place */
        arrive(ready);
        const int reads_done = replicated_any() ? ++point : 0; /* every thread has read the replicated layers' W */

        bool delta_whole = false; /* whether me.delta[l] holds all of ∂L/∂output or this thread's columns */
        for (int l = last; l >= 0; l--) {
            const LayerPlan& L = plan_.layer[l];
            const int I = L.inputs, O = L.outputs;
            const Range r = share(I, k), c = share(O, k);
            const T* w = params_ + L.w;
            T* gw = grads_ + L.w;
            T* dx = l ? me.delta[l - 1] : nullptr;
            const bool in_whole = l ? whole_[l - 1] : replicated_[0];
            const T* x = (l ? me.out[l - 1] : me.x) + (in_whole ? r.lo : 0);
            const int ldx = in_whole ? I : r.n();
            if (replicated_[l]) { /* all of ∂L/∂x from W, then its rows' gradient; they are updated after reads_done */
                T* dz = me.delta[l];
                if (!delta_whole) {
                    await_all(ready);
                    dz = me.dz[l];
                    for (int p = 0; p < n_; p++) {
                        const Range cp = share(O, p);
                        place_columns(dz, lanes_[p].delta[l], B, O, cp.lo, cp.hi);
                    }
                }
                dense_activate_backward(dz, me.out[l], B, O, L.act);
                if (l > 0) matmul_nt(B, I, O, dz, w, O, dx, 0);
                if (l == lowest_replicated_) arrive(reads_done);
                matmul(r.n(), O, B, x, 1, ldx, dz, O, gw + (int64_t) r.lo * O, O, 0);
                dense_bias_gradient(grads_ + L.b, dz, B, O, c.lo, c.hi);
                delta_whole = true;
                continue;
            }
            const T* wr = w + (int64_t) r.lo * O;
            T* gr = gw + (int64_t) r.lo * O;
            if (delta_whole) { /* all of ∂L/∂output, from the replicated layer above */
                T* dz = me.delta[l];
                dense_activate_backward(dz, me.out[l], B, O, L.act);
                if (l > 0) {
                    matmul_nt(B, r.n(), O, dz, wr, O, dx, 0);
                    ready = announce(me, l - 1, dx, B, r.n(), point);
                }
                matmul(r.n(), O, B, x, 1, ldx, dz, O, gr, O, 0);
                dense_bias_gradient(grads_ + L.b, dz, B, O, c.lo, c.hi);
            } else { /* each thread's columns of ∂L/∂z, in its delta: its own first, then the others' once in place */
                const T* mine = me.delta[l];
                T* dxt = me.dxt; /* ∂L/∂x transposed, [r.n(), B]: Σ_p W[r, columns of p] · (∂L/∂z of p)ᵀ */
                if (l > 0) {
                    if (c.n()) {
                        gemm::transpose(me.dzt, mine, B, c.n());
                        matmul(r.n(), B, c.n(), wr + c.lo, O, 1, me.dzt, B, dxt, B, 0);
                    } else {
                        std::fill(dxt, dxt + (size_t) B * r.n(), T(0));
                    }
                }
                if (c.n()) matmul(r.n(), c.n(), B, x, 1, ldx, mine, c.n(), gr + c.lo, O, 0);
                await_all(ready);
                if (l > 0) {
                    for (int q = 1; q < n_; q++) {
                        const int p = (k + q) % n_;
                        const Range cp = share(O, p);
                        if (!cp.n()) continue;
                        gemm::transpose(me.dzt, lanes_[p].delta[l], B, cp.n()); /* read once from the other core */
                        matmul(r.n(), B, cp.n(), wr + cp.lo, O, 1, me.dzt, B, dxt, B, 1);
                    }
                    gemm::transpose(dx, dxt, r.n(), B);
                    ready = announce(me, l - 1, dx, B, r.n(), point);
                }
                for (int q = 1; q < n_; q++) {
                    const int p = (k + q) % n_;
                    const Range cp = share(O, p);
                    if (cp.n()) matmul(r.n(), cp.n(), B, x, 1, ldx, lanes_[p].delta[l], cp.n(), gr + cp.lo, O, 0);
                }
                dense_bias_gradient(grads_ + L.b + c.lo, mine, B, c.n(), 0, c.n());
            }
            apply_rows(l, k);
            delta_whole = false;
        }
        if (reads_done) { /* every thread has read the replicated layers' W: now their owners update them */
            await_all(reads_done);
            for (int l = 0; l < last; l++)
                if (replicated_[l]) apply_rows(l, k);
        }

        const int end = ++point;
        if (k == 0) points_ = std::max(points_, end);
        arrive(end); /* the step's end: only thread 0, which returns to the caller, waits for the others */
        if (k == 0) await_all(end);
    }

    bool replicated_any() const { return lowest_replicated_ >= 0; }

    /* This thread's columns of layer l's ∂L/∂output are in dx [B, n]: made ∂L/∂z if the layer is split (all that
     * the threads need of them), then a sync point for the others; returns its number. */
    int announce(Lane& me, int l, T* dx, int B, int n, int& point) {
        if (!replicated_[l]) dense_activate_backward(dx, me.out[l], B, n, plan_.layer[l].act);
        const int sync = ++point;
        arrive(sync);
        return sync;
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
    int lowest_replicated_ = -1;
    int capacity_ = 0;
    Job job_{};
    int points_ = 0; /* the most sync points a step has used */
    std::atomic<int> arrivals_[2 * MAX_LAYERS + 4] = {};
};

}  // namespace ae4j
