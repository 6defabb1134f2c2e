/*
 * units.h — the CPU engine's training step on several threads for batches of dense layers up to a few hundred
 * rows: each thread owns a share of every layer's units, and with them the weights that read them, which no other
 * thread reads or writes; what moves between cores is activations and their gradients, a few rows' worth.
 *
 * Why: splitting the batch (engine.h's rows) makes every thread read every weight each step after other threads
 * updated parts of it: (N−1)/N of the weights cross between cores per thread and step (328 KB for the stacked
 * autoencoder on 2 threads), and the weight gradient's rows need every thread's activations (450 KB more at batch
 * 256), which on a machine with slow cross-core transfers costs more than the arithmetic the second thread takes
 * over. Here what crosses per thread and step is 4 · (N−1)/N · B rows of 100-wide activations — for the stacked
 * autoencoder, the coding layer's input and the output layer's ∂L/∂x, which the threads add up, and the rows of
 * the middle's output and of the first layer's ∂L/∂z, which they gather: 26 KB at batch 32, 205 KB at 256 on 2
 * threads — plus (N−1)/N of the small layers' weights and gradient parts (24 KB).
 *
 * How: thread k of N owns units share(width, k) of each layer's input and output. For a layer x [B, I] → z [B, O]:
 *   forward:  its part of z, x[:, own] · W[own rows, :], over all O columns — the other threads' columns first;
 *             once every part is in, it adds every thread's part over its own output columns (in thread order),
 *             adds their bias and activates them — its own columns of the output, the next layer's own input
 *             (or all of them, for a layer run whole or split by columns above);
 *   the loss: over its own columns of the output (each thread its columns of each row; totals added in order);
 *   backward: ∂L/∂z on its own columns; from every thread's columns (each read once from the other core and
 *             transposed, as ∂L/∂x's product wants it) it computes ∂L/∂x for its own input columns (the layer
 *             below's own ∂L/∂output) and the gradient of its W rows, and applies the optimizer to its rows and
 *             its bias at once.
 * The output layer instead is split by its columns: each thread computes its own columns of the output from all of
 * the input (which the layer below leaves whole on every thread), so that its forward needs nothing from the others
 * and the loss starts at once; backward, its part of ∂L/∂x (over its columns) is the one exchange. A thread must not
 * write its columns of a row-major W while another writes the rest of each row: streaming its half of each row,
 * the hardware prefetchers drag in the other half's lines, and the update became 4× slower (measured). So the steps
 * keep that layer's W transposed, Wᵀ [O, I], with its gradient and optimizer state (the shadow): a thread owns whole
 * rows of it. The shadow takes the layer's values from the flat vectors at a step that needs it and hands them back
 * (release) before anything else reads those vectors: a step split by rows, evaluation, prediction, the gradient
 * alone, and the engine's copy_state_to_host (Java's StepEngine.copyStateToHost, after each epoch).
 * Each exchange is a sync point in two halves: a thread arrives as soon as what the others need from it is written,
 * then does the work that needs nothing of theirs (the own-column products), and only then waits — so a thread the
 * OS delayed, or that had more to do, holds the others up by less. A layer whose weights are fewer than the batch's
 * activations around it (I·O < B·(I + O), B at most 32: the stacked autoencoder's 100×30 and 30×100) is not split
 * by units — its exchanges would cost more than the arithmetic they share out — but run on every thread, each
 * thread still owning (adding up the gradient of, updating) its share of its rows once every thread has read them.
 * Such layers between a split layer and the output layer (the middle) take each thread's rows of the batch from
 * 16 rows on: the split layer below adds the threads' parts for those rows only, the middle runs on them, the
 * output layer takes every thread's rows of its input (a sync point), and backward each thread adds the output
 * layer's ∂L/∂x parts for its rows, runs the middle back on them, keeping its part of their weights' gradient (to
 * be added, in thread order, by the rows' owners), and the split layer below takes every thread's rows of its
 * ∂L/∂z. The same N gives the same weights run to run; against one thread the sums x · W are cut in N pieces,
 * which changes their rounding.
 *
 * Measured on a 2-core Xeon (README, Benchmarks): whole epochs of the stacked autoencoder on 2 threads run 1.70×
 * faster than on one at batch 32, 1.80× at 64, 1.90× at 128 and 2.00× at 256.
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

/* The optimizer, applied to parameters [lo, hi) of the flat vector once their gradients are in, or to n parameters
 * kept elsewhere with their gradients and their optimizer state's two slots (s1 unused by one-slot optimizers). */
template <typename T>
class ParameterUpdate {
  public:
    virtual void apply(int64_t lo, int64_t hi) = 0;
    virtual void apply_to(T* p, const T* g, T* s0, T* s1, int64_t n) = 0;

  protected:
    ~ParameterUpdate() = default;
};

template <typename T>
class UnitSplit {
  public:
    /* Whether a plan is one this step runs: dense layers with their own W and an activation of each unit alone (not
     * softmax), no activity regularizer, a loss that sums over columns (MSE, binary cross-entropy) without the
     * accuracy metric, every layer trained. */
    static bool fits(const Plan& plan) {
        if (plan.first_backward != 0 || plan.accuracy_slot >= 0 || plan.batch_terms) return false;
        if ((plan.loss != LOSS_MSE && plan.loss != LOSS_BCE) || plan.out_act == ACT_SOFTMAX) return false;
        for (int l = 0; l < plan.layers; l++) {
            const LayerPlan& L = plan.layer[l];
            if (L.kind != LAYER_DENSE || L.transpose_w || L.accumulate_w || L.regularizer != REG_NONE) return false;
            if (L.act == ACT_SOFTMAX) return false;
        }
        return true;
    }

    /* Whether a batch of `rows` rows is faster split this way than by rows: what a thread reads from the others
     * grows here with the activations ((N − 1)/N · B · a few widths), there with the weights and the activations
     * ((N − 1)/N · (P + B · widths)). Measured on the stacked autoencoder on 2 threads, whole epochs (README): the
     * unit split takes 0.90–0.97 of the row split's time at batch 96–288, the same at 320, 1.05 at 384, so the
     * crossover is near B · Σ widths = 2 · P (batch 323); both grow alike with N, so it is kept for any N (only 2
     * threads measured). */
    static bool pays(const Plan& plan, int rows) {
        int64_t widths = 0;
        for (int l = 0; l < plan.layers; l++) widths += plan.layer[l].outputs;
        return (int64_t) rows * widths < 2 * plan.params;
    }

    UnitSplit(const Plan& plan, T* params, T* grads, T* state, int state_slots, Pool& pool, ParameterUpdate<T>& update)
        : plan_(plan), params_(params), grads_(grads), state_(state), slots_(output_layer_trained(plan) ? state_slots : 0),
          pool_(pool), update_(update), n_(pool.size()), lanes_((size_t) n_), output_by_columns_(plan.layers > 1) {
        const LayerPlan& L = plan_.layer[plan_.layers - 1];
        if (output_by_columns_) shadow_.assign((size_t) L.inputs * L.outputs * (2 + slots_), 0);
    }

    /* Whether the output layer's W is in the trainable range (which alone has optimizer state). */
    static bool output_layer_trained(const Plan& plan) {
        const LayerPlan& L = plan.layer[plan.layers - 1];
        return L.w + (int64_t) L.inputs * L.outputs <= plan.trainable;
    }

    /* Hands the output layer's W, its gradient and optimizer state back to the flat vectors if the steps have been
     * keeping them (transposed); done before anything else reads those vectors. */
    void release() {
        if (!shadow_holds_) return;
        const LayerPlan& L = plan_.layer[plan_.layers - 1];
        const int I = L.inputs, O = L.outputs;
        const size_t n = (size_t) I * O;
        gemm::transpose(params_ + L.w, shadow_.data(), O, I);
        gemm::transpose(grads_ + L.w, shadow_.data() + n, O, I);
        for (int s = 0; s < slots_; s++) gemm::transpose(state_ + s * plan_.trainable + L.w, shadow_.data() + (2 + s) * n, O, I);
        shadow_holds_ = false;
    }

    /* The flat vectors were changed from outside: what the steps kept is stale. */
    void discard() { shadow_holds_ = false; }

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
        if (output_by_columns_) hold();
        for (int p = 0; p <= points_; p++) arrivals_[p] = 0;
        pool_.run(&UnitSplit::task, this);
        for (const Lane& lane : lanes_)
            for (int i = 0; i < plan_.totals; i++) sums[i] += lane.totals[i];
    }

  private:
    /* Beyond this many rows a replicated layer's arithmetic costs more than its exchanges would (measured: replicating
     * the stacked autoencoder's 784×100 layers at batch 96–160 made the step 20–40% slower than splitting them). */
    static constexpr int REPLICATE_ROWS = 32;
    /* From this many rows, whole-run layers between a split layer and the output layer take each thread's rows of
     * the batch instead of all of them (the header's "middle"). Measured on the stacked autoencoder, whole epochs:
     * 0.99 of the time at batch 24, 0.98–0.99 at 32, 0.96 at 64, 0.94 at 128 and 256. */
    static constexpr int MIDDLE_ROWS = 16;

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
        T* dx_part = nullptr;                 /* its part of the output layer's ∂L/∂x, split by columns */
        T* w_own = nullptr;                   /* its columns of the output layer's W, for large batches */
        T* grad_part[MAX_LAYERS] = {nullptr}; /* a whole-run layer's W and b gradient over its rows of the batch */
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
        pieces.push_back({&lane.dx_part, R * widest});
        const LayerPlan& out = plan_.layer[plan_.layers - 1];
        pieces.push_back({&lane.w_own, (size_t) out.inputs * share(out.outputs, k).n()});
        for (int l = 0; l < plan_.layers; l++) {
            const size_t O = (size_t) plan_.layer[l].outputs;
            if (l < plan_.layers - 1 && replicable(plan_.layer[l], REPLICATE_ROWS))
                pieces.push_back({&lane.grad_part[l], (plan_.layer[l].inputs + 1) * O});
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
     * whole: a replicated layer's, and a split layer's below a replicated one or below the output layer, which is
     * split by columns (when it has a layer below). A layer is replicated when its weights are fewer than its
     * activations for min(B, REPLICATE_ROWS) rows: its arithmetic, run on every thread, grows with B while a split
     * layer's sync points do not. */
    void choose_layers(int rows) {
        const int last = plan_.layers - 1;
        const int64_t reach = std::min(rows, REPLICATE_ROWS);
        lowest_replicated_ = -1;
        for (int l = last; l >= 0; l--) {
            const LayerPlan& L = plan_.layer[l];
            replicated_[l] = l < last && replicable(L, reach);
            if (replicated_[l]) lowest_replicated_ = l;
        }
        for (int l = 0; l <= last; l++) whole_[l] = replicated_[l] || (l < last && (replicated_[l + 1] || by_columns(l + 1)));
        middle_by_rows_ = rows >= MIDDLE_ROWS && lowest_replicated_ >= 1 && output_by_columns_;
        for (int l = std::max(lowest_replicated_, 0); l < last; l++) middle_by_rows_ &= replicated_[l];
    }

    bool by_columns(int l) const { return output_by_columns_ && l == plan_.layers - 1; }

    /* Whether a layer's weights are fewer than its activations for `rows` rows (run whole, not split by units). */
    static bool replicable(const LayerPlan& L, int64_t rows) { return (int64_t) L.inputs * L.outputs < rows * (L.inputs + L.outputs); }

    /* The output layer's parameters into the shadow, transposed, unless it holds them already. */
    void hold() {
        if (shadow_holds_) return;
        const LayerPlan& L = plan_.layer[plan_.layers - 1];
        const int I = L.inputs, O = L.outputs;
        const size_t n = (size_t) I * O;
        gemm::transpose(shadow_.data(), params_ + L.w, I, O);
        for (int s = 0; s < slots_; s++) gemm::transpose(shadow_.data() + (2 + s) * n, state_ + s * plan_.trainable + L.w, I, O);
        shadow_holds_ = true;
    }

    /* Thread k's whole step. Each sync point is split in two where it can: a thread arrives as soon as what the
     * others need from it is written, does the work that needs nothing from them, then waits — so a thread the OS
     * delayed holds the others up by less. */
    void run(int k) {
        Lane& me = lanes_[k];
        const int B = job_.rows, last = plan_.layers - 1, I0 = plan_.input_size, D = plan_.output_size();
        int point = 0;
        for (double& t : me.totals) t = 0;
        const T* parts[MAX_THREADS];

        const Range input = share(I0, k);
        if (replicated_[0])
            gather_rows(me.x, job_.x, job_.order, B, I0);
        else
            gather_columns(me.x, job_.x, job_.order, B, I0, input.lo, input.hi);
        const Range mine = share(B, k); /* its rows of the batch, for the whole-run layers when middle_by_rows_ */
        int gathered = 0;               /* the sync point after which every thread's rows of those layers are in */
        for (int l = 0; l <= last; l++) {
            const LayerPlan& L = plan_.layer[l];
            const int I = L.inputs, O = L.outputs;
            const T *w = params_ + L.w, *b = params_ + L.b;
            const T* in = l ? me.out[l - 1] : me.x;
            if (replicated_[l]) {
                if (middle_by_rows_) {
                    dense_forward(me.out[l] + (int64_t) mine.lo * O, in + (int64_t) mine.lo * I, w, b, mine.n(), I, O, 0, L.act);
                    if (l == last - 1) arrive(gathered = ++point);
                } else {
                    dense_forward(me.out[l], in, w, b, B, I, O, 0, L.act);
                }
                continue;
            }
            if (by_columns(l)) { /* its own columns of the output from all of the input: z[:, own] = x · (Wᵀ[own])ᵀ */
                if (middle_by_rows_) {
                    await_all(gathered);
                    take_rows(me.out[l - 1], l - 1, false, B, k);
                }
                const Range c = share(O, k);
                const T* wt = shadow_.data() + (int64_t) c.lo * I;
                if (c.n() && (int64_t) B * (I + c.n()) > (int64_t) I * c.n()) { /* fewer to transpose: its W than x and z */
                    gemm::transpose(me.w_own, wt, c.n(), I);
                    matmul(B, c.n(), I, in, I, 1, me.w_own, c.n(), me.out[l], c.n(), 0);
                } else if (c.n()) {
                    matmul_nt(B, c.n(), I, in, wt, I, me.out[l], 0);
                }
                dense_activate(me.out[l], b + c.lo, B, c.n(), L.act);
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
            const Range rows = middle_by_rows_ && whole_[l] ? mine : Range{0, B}; /* below the whole-run layers */
            for (int p = 0; p < n_; p++) parts[p] = lanes_[p].part[l] + (int64_t) rows.lo * O;
            const Range kept = whole_[l] ? Range{0, O} : c;
            T* out = me.out[l] + (int64_t) rows.lo * kept.n();
            sum_part_columns(out, parts, n_, rows.n(), O, kept.lo, kept.hi);
            dense_activate(out, b + kept.lo, rows.n(), kept.n(), L.act);
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
        int ready = 0; /* the sync point after which every thread's columns of the current layer's ∂L/∂z are in place */
        if (!output_by_columns_) arrive(ready = ++point);
        const int reads_done = replicated_any() ? ++point : 0; /* every thread has read the replicated layers' W */

        bool delta_whole = false; /* whether me.delta[l] holds all of ∂L/∂output or this thread's columns */
        int gathered_delta = 0;   /* with middle_by_rows_: every thread's rows of the split layer's ∂L/∂z are in */
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
            if (by_columns(l)) { /* its part of ∂L/∂x for every thread, then the gradient of its rows of Wᵀ and their update */
                const T* dz = me.delta[l];
                const T* a = me.out[l - 1];
                const size_t n = (size_t) I * O;
                T* wt = shadow_.data() + (int64_t) c.lo * I;
                T* gt = wt + n;
                if (c.n())
                    matmul(B, I, c.n(), dz, c.n(), 1, wt, I, me.dx_part, I, 0);
                else
                    std::fill(me.dx_part, me.dx_part + (size_t) B * I, T(0));
                const int sync = ++point;
                arrive(sync);
                if (c.n()) matmul(c.n(), I, B, dz, 1, c.n(), a, I, gt, I, 0);
                dense_bias_gradient(grads_ + L.b + c.lo, dz, B, c.n(), 0, c.n());
                if (job_.update && output_layer_trained(plan_))
                    update_.apply_to(wt, gt, slots_ > 0 ? wt + 2 * n : nullptr, slots_ > 1 ? wt + 3 * n : nullptr, (int64_t) c.n() * I);
                apply(L.b + c.lo, L.b + c.hi);
                await_all(sync);
                const Range rows = middle_by_rows_ ? mine : Range{0, B};
                for (int p = 0; p < n_; p++) parts[p] = lanes_[p].dx_part + (int64_t) rows.lo * I;
                sum_part_columns(me.delta[l - 1] + (int64_t) rows.lo * I, parts, n_, rows.n(), I, 0, I);
                delta_whole = true;
                continue;
            }
            if (replicated_[l] && middle_by_rows_) { /* its rows: ∂L/∂x, and its part of the gradient, added up at the end */
                const int64_t at = (int64_t) mine.lo * O;
                T* dz = me.delta[l] + at;
                const T* a = me.out[l - 1] + (int64_t) mine.lo * I;
                dense_activate_backward(dz, me.out[l] + at, mine.n(), O, L.act);
                T* dxr = me.delta[l - 1] + (int64_t) mine.lo * I;
                matmul_nt(mine.n(), I, O, dz, w, O, dxr, 0);
                if (l == lowest_replicated_) { /* the split layer below needs every thread's rows of its ∂L/∂z */
                    dense_activate_backward(dxr, a, mine.n(), I, plan_.layer[l - 1].act);
                    arrive(gathered_delta = ++point);
                }
                T* g = me.grad_part[l];
                matmul(I, O, mine.n(), a, 1, I, dz, O, g, O, 0);
                dense_bias_gradient(g + (int64_t) I * O, dz, mine.n(), O, 0, O);
                if (l == lowest_replicated_) arrive(reads_done);
                continue;
            }
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
                if (gathered_delta) { /* ∂L/∂z already, its rows here, the others' in their lanes */
                    await_all(gathered_delta);
                    take_rows(dz, l, true, B, k);
                } else {
                    dense_activate_backward(dz, me.out[l], B, O, L.act);
                }
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
            for (int l = 0; l < last; l++) {
                if (!replicated_[l]) continue;
                if (middle_by_rows_) add_gradient_parts(l, k);
                apply_rows(l, k);
            }
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

    /* The other threads' rows of the batch of layer l's output (or ∂L/∂output), into this thread's whole [B, O]. */
    void take_rows(T* whole, int l, bool delta, int B, int k) {
        const int O = plan_.layer[l].outputs;
        for (int p = 0; p < n_; p++) {
            if (p == k) continue;
            const Range rp = share(B, p);
            const T* theirs = (delta ? lanes_[p].delta[l] : lanes_[p].out[l]) + (int64_t) rp.lo * O;
            memcpy(whole + (int64_t) rp.lo * O, theirs, sizeof(T) * (size_t) rp.n() * O);
        }
    }

    /* Thread k's rows of layer l's W gradient and its entries of b's: every thread's part added, in thread order. */
    void add_gradient_parts(int l, int k) {
        const LayerPlan& L = plan_.layer[l];
        const Range r = share(L.inputs, k), c = share(L.outputs, k);
        const T* parts[MAX_THREADS];
        const int64_t w_at = (int64_t) r.lo * L.outputs, b_at = (int64_t) L.inputs * L.outputs + c.lo;
        const int w_n = r.n() * L.outputs;
        for (int p = 0; p < n_; p++) parts[p] = lanes_[p].grad_part[l] + w_at;
        sum_part_columns(grads_ + L.w + w_at, parts, n_, 1, w_n, 0, w_n);
        for (int p = 0; p < n_; p++) parts[p] = lanes_[p].grad_part[l] + b_at;
        sum_part_columns(grads_ + L.b + c.lo, parts, n_, 1, c.n(), 0, c.n());
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
    T* const state_;
    const int slots_; /* the optimizer's state vectors: 0, 1 or 2, each laid out like the trainable parameters */
    Pool& pool_;
    ParameterUpdate<T>& update_;
    const int n_;
    std::vector<Lane> lanes_;
    const bool output_by_columns_; /* the output layer split by its columns: whenever it has a layer below */
    bool replicated_[MAX_LAYERS] = {false};
    bool whole_[MAX_LAYERS] = {false};
    bool middle_by_rows_ = false; /* the whole-run layers (between a split layer and the output layer) by rows */
    /* The output layer's Wᵀ [O, I], its gradient and its optimizer state's slots, each thread owning whole rows
     * (units); while shadow_holds_, these are the layer's values and the flat vectors' copies are stale. */
    std::vector<T> shadow_;
    bool shadow_holds_ = false;
    int lowest_replicated_ = -1;
    int capacity_ = 0;
    Job job_{};
    int points_ = 0; /* the most sync points a step has used */
    std::atomic<int> arrivals_[2 * MAX_LAYERS + 4] = {};
};

}  // namespace ae4j
