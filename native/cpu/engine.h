/*
 * engine.h — the CPU engine: a whole training step of a plan (ae4j_plan.h) in one call — gather the batch from the
 * resident data in the epoch's order, forward, loss, backward (tied gradients accumulated), optimizer — over the
 * kernels of kernels.h, plus evaluation, prediction and the gradients alone (for gradient checks).
 *
 * Noise layers draw from the counter-based generator of ae4j_kernels.h keyed by the noise seed, the layer, the
 * phase and the step count t, with each row's position in the batch (training) or in the data (evaluation,
 * prediction): no thread split or chunking changes what they draw. Terms of a batch's mean activation (the KL
 * regularizer) need the whole batch's column sums before the backward: the threads meet at one barrier after the
 * forward to share them, and evaluation takes the data in batches of the fit's size, one batch per thread, as
 * Keras evaluates them.
 *
 * Threads split a batch by samples: thread k takes rows [B·k/n, B·(k+1)/n) of the batch and runs the whole forward
 * and backward pass on them with activations of its own, writing its weight gradients to a buffer of its own
 * (thread 0: the model's gradient vector). After one barrier, each thread sums all threads' gradients over its
 * range of the parameter vector and applies the optimizer to that range. The gradient is the sum over the whole
 * batch as with one thread (the loss scales it by the whole batch's rows); only the order of the float additions
 * differs. The weights are read by every thread but written once per step, by one. One thread runs no pool, no
 * barrier and no reduction.
 *
 * Memory: the parameters, gradients and optimizer state are the caller's (Java's flat vectors), used in place; the
 * activations live in one arena per thread, sized for the largest batch seen (grown outside the steps; the
 * allocation count tells the benchmark that steps allocate nothing).
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
    virtual void evaluate(const void* x, const void* y, int rows, int batch, double* sums) = 0;
    virtual void predict(const void* x, int rows, int from, int to, void* out) = 0;
    virtual double loss_and_gradients(const void* x, const void* y, int rows) = 0;
    virtual void read_totals(double* sums) const = 0;
    virtual void reset_totals() = 0;
    virtual int64_t iteration() const = 0;
    virtual void set_iteration(int64_t t) = 0;
    virtual void set_noise_seed(uint64_t seed) = 0;
    virtual int threads() const = 0;
    virtual int64_t allocations() const = 0;
};

/* dst[lo, hi) = Σ_k src[k][lo, hi) over n sources (src[0] may be dst). */
template <typename T>
AE4J_INLINE void sum_range(T* dst, T* const* src, int n, int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; i++) {
        T s = src[0][i];
        for (int k = 1; k < n; k++) s += src[k][i];
        dst[i] = s;
    }
}
AE4J_CLONES void sum_gradients(float* dst, float* const* src, int n, int64_t lo, int64_t hi) {
    sum_range(dst, src, n, lo, hi);
}
void sum_gradients(double* dst, double* const* src, int n, int64_t lo, int64_t hi) { sum_range(dst, src, n, lo, hi); }

template <typename T>
class TypedCpuEngine final : public CpuEngine {
  public:
    TypedCpuEngine(const Plan& plan, T* params, T* grads, T* state, int threads)
        : plan_(plan), params_(params), grads_(grads), state_(state), pool_(threads), threads_(pool_.size()) {
        for (int k = 0; k < threads_; k++) workers_.emplace_back(new Worker());
        if (plan_.batch_terms) {
            size_t total = 0;
            for (int l = 0; l < plan_.layers; l++) total += plan_.layer[l].regularizer == REG_KL ? plan_.layer[l].outputs : 0;
            for (auto& w : workers_) {
                w->sums.assign(2 * total, 0);
                double* p = w->sums.data();
                for (int l = 0; l < plan_.layers; l++) {
                    if (plan_.layer[l].regularizer != REG_KL) continue;
                    w->column_sums[l] = p;
                    w->batch_sums[l] = p + plan_.layer[l].outputs;
                    p += 2 * plan_.layer[l].outputs;
                }
                allocations_++;
            }
        }
        workers_[0]->grads = grads_;
        for (int k = 1; k < threads_; k++) {
            workers_[k]->own_grads.assign((size_t) plan_.params, 0);
            workers_[k]->grads = workers_[k]->own_grads.data();
            allocations_++;
        }
        reset_totals();
    }

    void begin_epoch(const int32_t* order, int n) override {
        if ((int) order_.size() < n) allocations_++;
        order_.assign(order, order + n);
    }

    void train_step(const void* x, const void* y, int start, int rows) override {
        step(static_cast<const T*>(x), static_cast<const T*>(y), order_.data() + start, rows, true, totals_);
    }

    /* With batch terms, thread k takes batch k of each chunk of `threads` batches; otherwise rows are shared freely. */
    void evaluate(const void* x, const void* y, int rows, int batch, double* sums) override {
        for (int i = 0; i < plan_.totals; i++) sums[i] = 0;
        Job job{this, static_cast<const T*>(x), static_cast<const T*>(y), nullptr, rows, 0, plan_.layers, nullptr};
        if (plan_.batch_terms) {
            job.batch = batch;
            ensure_capacity(batch * threads_);
        }
        for (int done = 0; done < rows;) {
            const int chunk =
                std::min(rows - done, plan_.batch_terms ? batch * threads_ : capacity_ > 0 ? capacity_ : rows);
            ensure_capacity(chunk);
            job.first_row = done;
            job.rows = chunk;
            pool_.run(&TypedCpuEngine::evaluate_task, &job);
            for (int k = 0; k < threads_; k++)
                for (int i = 0; i < plan_.totals; i++) sums[i] += workers_[k]->totals[i];
            done += chunk;
        }
    }

    void predict(const void* x, int rows, int from, int to, void* out) override {
        Job job{this, static_cast<const T*>(x), nullptr, static_cast<T*>(out), rows, from, to, nullptr};
        for (int done = 0; done < rows;) {
            const int chunk = std::min(rows - done, capacity_ > 0 ? capacity_ : rows);
            ensure_capacity(chunk);
            job.first_row = done;
            job.rows = chunk;
            pool_.run(&TypedCpuEngine::predict_task, &job);
            done += chunk;
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
    void set_noise_seed(uint64_t seed) override { noise_seed_ = seed; }
    int threads() const override { return threads_; }
    int64_t allocations() const override { return allocations_; }

  private:
    /* One thread's activations for up to `capacity` rows: input and target [rows, I|D], then per layer its output
     * and ∂L/∂output [rows, O_l]; gradients (thread 0: the model's vector) and loss totals; per KL-regularized
     * layer, the column sums of its output over this thread's rows and over the whole batch. */
    struct Worker {
        std::vector<T> arena, own_grads;
        std::vector<double> sums;
        T *x = nullptr, *y = nullptr, *grads = nullptr;
        T* out[MAX_LAYERS] = {nullptr};
        T* delta[MAX_LAYERS] = {nullptr};
        double* column_sums[MAX_LAYERS] = {nullptr};
        double* batch_sums[MAX_LAYERS] = {nullptr};
        double totals[MAX_TOTALS] = {0};
        int lo = 0, rows = 0; /* this thread's share of the current batch */
    };

    /* What a task works on: rows [first_row, first_row + rows) of x (and y), layers [from, to), out for predict;
     * batch > 0: evaluation in batches of that many rows. */
    struct Job {
        TypedCpuEngine* engine;
        const T *x, *y;
        T* out;
        int rows, from, to;
        const int32_t* order;
        int first_row = 0;
        bool update = false;
        int batch = 0;
    };

    /* A pass over some rows: its noise phase, the step count that keys its noise, the position of its first row
     * (in the batch when training, in the data otherwise) and the rows of the batch its means are over. */
    struct Pass {
        int phase;
        int64_t step;
        int64_t first_row;
        int batch_rows;
    };

    static size_t padded(size_t n) { return (n + 15) & ~(size_t) 15; } /* 64-byte multiples for float */

    void ensure_capacity(int rows) {
        if (rows <= capacity_) return;
        const int per_thread = (rows + threads_ - 1) / threads_;
        const int D = plan_.output_size();
        size_t total = padded((size_t) per_thread * plan_.input_size) + padded((size_t) per_thread * D);
        for (int l = 0; l < plan_.layers; l++) total += 2 * padded((size_t) per_thread * plan_.layer[l].outputs);
        for (auto& w : workers_) {
            w->arena.assign(total, 0);
            T* p = w->arena.data();
            w->x = p;
            p += padded((size_t) per_thread * plan_.input_size);
            w->y = p;
            p += padded((size_t) per_thread * D);
            for (int l = 0; l < plan_.layers; l++) {
                w->out[l] = p;
                p += padded((size_t) per_thread * plan_.layer[l].outputs);
                w->delta[l] = p;
                p += padded((size_t) per_thread * plan_.layer[l].outputs);
            }
            allocations_++;
        }
        capacity_ = per_thread * threads_;
    }

    /* The activation a layer runs with: the plan's (identity for an output fused with its loss), or, when
     * predicting, the layer's own. */
    int activation(int l, bool predicting) const {
        return predicting && l == plan_.layers - 1 ? plan_.out_act : plan_.layer[l].act;
    }

    uint64_t key(int l, const Pass& pass) const { return noise_key(noise_seed_, l, pass.phase, pass.step); }

    /* Layers [from, to) on rows of `in`; the loss terms of their outputs (latent loss, activity regularizers) are
     * added to totals unless it is NULL. A KL-regularized layer leaves its column sums in w.column_sums. */
    void forward(Worker& w, const T* in, int rows, int from, int to, const Pass& pass, double* totals) {
        const bool training = pass.phase == PHASE_TRAIN;
        for (int l = from; l < to; l++) {
            const LayerPlan& L = plan_.layer[l];
            T* out = w.out[l];
            const size_t bytes = sizeof(T) * (size_t) rows * L.outputs;
            switch (L.kind) {
                case LAYER_DENSE:
                    dense_forward(out, in, params_ + L.w, params_ + L.b, rows, L.inputs, L.outputs, L.transpose_w,
                                  activation(l, pass.phase == PHASE_PREDICT));
                    break;
                case LAYER_GAUSSIAN_NOISE:
                    if (training)
                        gaussian_noise_forward(out, in, rows, L.outputs, L.rate, key(l, pass), pass.first_row);
                    else
                        memcpy(out, in, bytes);
                    break;
                case LAYER_DROPOUT:
                    if (training)
                        dropout_forward(out, in, rows, L.outputs, L.rate, key(l, pass), pass.first_row);
                    else
                        memcpy(out, in, bytes);
                    break;
                case LAYER_SAMPLING:
                    sampling_forward(out, in, rows, L.outputs, L.rate, key(l, pass), pass.first_row, totals);
                    break;
                default: /* activity regularization: the identity */
                    memcpy(out, in, bytes);
            }
            if (L.regularizer == REG_L1 && totals) totals[0] += l1_activity_loss(out, rows, L.outputs, L.reg_weight);
            if (L.regularizer == REG_KL) column_sums(w.column_sums[l], out, rows, L.outputs);
            in = out;
        }
    }

    /* The batch's column sums of each KL-regularized layer, summed over the `count` shares of the batch in a fixed
     * order (every thread gets the same sums); adds the KL terms to totals unless it is NULL. */
    void batch_terms(Worker& w, const std::unique_ptr<Worker>* shares, int count, int batch_rows, double* totals) {
        for (int l = 0; l < plan_.layers; l++) {
            const LayerPlan& L = plan_.layer[l];
            if (L.regularizer != REG_KL) continue;
            double* sums = w.batch_sums[l];
            for (int j = 0; j < L.outputs; j++) {
                double s = 0;
                for (int k = 0; k < count; k++) s += shares[k]->column_sums[l][j];
                sums[j] = s;
            }
            if (totals) totals[0] += kl_activity_loss(sums, L.outputs, batch_rows, L.reg_weight, L.reg_target);
        }
    }

    void backward(Worker& w, const T* input, int rows, const Pass& pass) {
        for (int l = plan_.layers - 1; l >= plan_.first_backward; l--) {
            const LayerPlan& L = plan_.layer[l];
            T* d = w.delta[l];
            if (L.regularizer == REG_L1) l1_activity_backward(d, w.out[l], rows, L.outputs, L.reg_weight, pass.batch_rows);
            if (L.regularizer == REG_KL)
                kl_activity_backward(d, rows, L.outputs, w.batch_sums[l], pass.batch_rows, L.reg_weight, L.reg_target);
            const T* x = l ? w.out[l - 1] : input;
            T* dx = l > plan_.first_backward ? w.delta[l - 1] : nullptr;
            switch (L.kind) {
                case LAYER_DENSE:
                    dense_backward(dx, w.grads + L.w, w.grads + L.b, d, x, w.out[l], params_ + L.w, rows, L.inputs,
                                   L.outputs, L.transpose_w, L.act, L.accumulate_w);
                    break;
                case LAYER_DROPOUT:
                    if (dx) dropout_backward(dx, d, rows, L.outputs, L.rate, key(l, pass), pass.first_row);
                    break;
                case LAYER_SAMPLING:
                    if (dx)
                        sampling_backward(dx, d, x, rows, L.outputs, L.rate, key(l, pass), pass.first_row,
                                          pass.batch_rows);
                    break;
                default: /* Gaussian noise and activity regularization pass the gradient through */
                    if (dx) memcpy(dx, d, sizeof(T) * (size_t) rows * L.outputs);
            }
        }
    }

    void loss(Worker& w, const T* target, int rows, int batch_rows, bool gradient) {
        const int last = plan_.layers - 1;
        loss_share(plan_.loss, plan_.out_act, w.out[last], target, gradient ? w.delta[last] : nullptr, rows,
                   batch_rows, plan_.output_size(), w.totals, plan_.rounded_slot, plan_.accuracy_slot);
    }

    /* One step over rows order[0..rows) of x/y: the gradient (summed over threads into grads_), and, when
     * `update`, the optimizer; loss totals are added to sums. */
    void step(const T* x, const T* y, const int32_t* order, int rows, bool update, double* sums) {
        ensure_capacity(rows);
        if (update) t_++;
        const int active = std::min(threads_, rows);
        for (int k = 0; k < threads_; k++) {
            Worker& w = *workers_[k];
            w.lo = k < active ? (int) ((int64_t) rows * k / active) : rows;
            w.rows = k < active ? (int) ((int64_t) rows * (k + 1) / active) - w.lo : 0;
        }
        if (update && plan_.optimizer == OPT_NADAM) advance_nadam_schedule();
        Job job{this, x, y, nullptr, rows, 0, plan_.layers, order};
        job.update = update;
        pool_.run(&TypedCpuEngine::step_task, &job);
        for (int k = 0; k < active; k++)
            for (int i = 0; i < plan_.totals; i++) sums[i] += workers_[k]->totals[i];
    }

    static void step_task(void* context, int k) {
        Job& job = *static_cast<Job*>(context);
        TypedCpuEngine& e = *job.engine;
        Worker& w = *e.workers_[k];
        for (int i = 0; i < e.plan_.totals; i++) w.totals[i] = 0;
        const Pass pass{PHASE_TRAIN, e.t_, w.lo, job.rows};
        if (w.rows > 0) {
            const int I = e.plan_.input_size, D = e.plan_.output_size();
            const int32_t* rows = job.order + w.lo;
            gather_rows(w.x, job.x, rows, w.rows, I);
            const T* target = w.x;
            if (job.y != job.x) {
                gather_rows(w.y, job.y, rows, w.rows, D);
                target = w.y;
            }
            e.forward(w, w.x, w.rows, 0, e.plan_.layers, pass, w.totals);
            e.loss(w, target, w.rows, job.rows, true);
        }
        const int active = std::min(e.threads_, job.rows);
        if (e.plan_.batch_terms) {
            if (active > 1) e.pool_.barrier(); /* every share's column sums are written */
            if (w.rows > 0) e.batch_terms(w, e.workers_.data(), active, job.rows, k == 0 ? w.totals : nullptr);
        }
        if (w.rows > 0) e.backward(w, w.x, w.rows, pass);
        if (active > 1) {
            e.pool_.barrier();
            if (k >= active) return;
            int64_t lo, hi;
            e.parameter_range(k, active, lo, hi);
            T* sources[64];
            for (int s = 0; s < active; s++) sources[s] = e.workers_[s]->grads;
            const int64_t block = 4096; /* sum a cache-sized block, then update it while it is hot */
            for (int64_t b = lo; b < hi; b += block) {
                const int64_t end = std::min(hi, b + block);
                sum_gradients(e.grads_, sources, active, b, end);
                if (job.update) e.apply_optimizer(b, end);
            }
        } else if (k == 0 && job.update) {
            e.apply_optimizer(0, e.plan_.trainable);
        }
    }

    /* Thread k's share of the trainable parameters: contiguous, in 16-element (64-byte) multiples. */
    void parameter_range(int k, int active, int64_t& lo, int64_t& hi) const {
        const int64_t units = (plan_.trainable + 15) / 16;
        lo = std::min(plan_.trainable, units * k / active * 16);
        hi = std::min(plan_.trainable, units * (k + 1) / active * 16);
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

    void apply_optimizer(int64_t lo, int64_t hi) {
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
            case OPT_RMSPROP:
                rmsprop_step(p, g, state_ + lo, n, plan_.lr, plan_.rho, plan_.eps);
                break;
        }
    }

    /* Thread k's rows of the chunk [first_row, first_row + rows) of a job over contiguous rows: an equal share, or
     * with batches, batch k of the chunk. */
    static void share(const Job& job, int threads, int k, int& lo, int& n) {
        if (job.batch > 0) {
            lo = std::min(job.rows, k * job.batch);
            n = std::min(job.rows, lo + job.batch) - lo;
        } else {
            lo = (int) ((int64_t) job.rows * k / threads);
            n = (int) ((int64_t) job.rows * (k + 1) / threads) - lo;
        }
        lo += job.first_row;
    }

    static void evaluate_task(void* context, int k) {
        Job& job = *static_cast<Job*>(context);
        TypedCpuEngine& e = *job.engine;
        Worker& w = *e.workers_[k];
        for (int i = 0; i < e.plan_.totals; i++) w.totals[i] = 0;
        int lo, n;
        share(job, e.threads_, k, lo, n);
        if (n == 0) return;
        const T* in = job.x + (int64_t) lo * e.plan_.input_size;
        e.forward(w, in, n, 0, e.plan_.layers, Pass{PHASE_EVALUATE, e.t_, lo, n}, w.totals);
        if (e.plan_.batch_terms) e.batch_terms(w, &e.workers_[k], 1, n, w.totals);
        e.loss(w, job.y + (int64_t) lo * e.plan_.output_size(), n, n, false);
    }

    static void predict_task(void* context, int k) {
        Job& job = *static_cast<Job*>(context);
        TypedCpuEngine& e = *job.engine;
        Worker& w = *e.workers_[k];
        int lo, n;
        share(job, e.threads_, k, lo, n);
        if (n == 0) return;
        const int I = e.plan_.layer[job.from].inputs, O = e.plan_.layer[job.to - 1].outputs;
        e.forward(w, job.x + (int64_t) lo * I, n, job.from, job.to, Pass{PHASE_PREDICT, e.t_, lo, n}, nullptr);
        memcpy(job.out + (int64_t) lo * O, w.out[job.to - 1], sizeof(T) * (size_t) n * O);
    }

    const Plan plan_;
    T* const params_;
    T* const grads_;
    T* const state_;
    Pool pool_;
    const int threads_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<int32_t> order_;
    int capacity_ = 0;
    double totals_[MAX_TOTALS];
    int64_t t_ = 0;
    uint64_t noise_seed_ = 0;
    int64_t schedule_step_ = 0;
    double schedule_ = 1;
    int64_t allocations_ = 0;
};

}  // namespace ae4j
