/*
 * ae4j_plan.h — the network as ae4j's whole-step engines run it (the CPU engine in native/cpu/engine.h, the CUDA
 * engine in native/cuda/engine), decoded from the flat arrays the Java side builds (ae4j.spec.Plan#ints, #reals).
 *
 * A plan is a sequence of layers over one flat parameter vector. A dense layer says where its W and b lie in it,
 * whether it multiplies by W or by Wᵀ (a DenseTranspose: the W of another layer), and whether its weight gradient
 * is added to what a later layer already wrote there (the second user of a tied W, in backward order). The other
 * kinds have no parameters: Gaussian noise and dropout (active only while training), Keras's
 * ActivityRegularization (the identity, there for its regularizer), and the variational autoencoder's Sampling
 * (inputs [mean | log_var], 2k wide, outputs k; it samples in every phase and adds the latent loss). Any layer but
 * the last may carry an activity regularizer of its output (L1, or the KL divergence of a sigmoid layer). Then the
 * loss (fused with the output activation when that is its natural link), the totals it keeps (loss and metrics,
 * summed over samples) and the optimizer with its hyperparameters and its learning-rate schedule (ScheduleKind of
 * ae4j_kernels.h: each engine computes a step's rate from its step counter, scheduled_rate).
 *
 * Encoding (int64 "ints", float64 "reals"); keep in step with Plan.java:
 *   ints[0..15): version, input size, layer count, loss, output activation, rounded-accuracy slot, accuracy slot,
 *                totals, first backward layer, parameters, trainable parameters, optimizer, nesterov, learning-rate
 *                schedule, staircase
 *   then 9 per layer: kind, inputs, outputs, activation (as run), transpose_w, accumulate_w, W offset, b offset
 *                (both −1 without parameters), regularizer
 *   reals[0..8): learning rate, momentum, beta1, beta2, epsilon, rho, decay rate, decay steps (both 0 without
 *                decay)
 *   then 3 per layer: rate (Gaussian noise: stddev; dropout: rate; sampling: the latent loss's weight; else 0),
 *                regularizer weight (L1: the factor; KL: its weight), regularizer target (KL: the target activation)
 * Trainable parameters come first in the vector: [0, trainable) is what the optimizer updates.
 *
 * Not here: memory, kernels, threads.
 */
#pragma once
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "ae4j_kernels.h"

namespace ae4j {

/* In the order of ae4j.spec.LayerKind and ae4j.spec.Optimizer.Kind (PlanCodesTest holds them together). */
enum LayerKind { LAYER_DENSE = 0, LAYER_GAUSSIAN_NOISE = 1, LAYER_DROPOUT = 2, LAYER_ACTIVITY = 3, LAYER_SAMPLING = 4 };
enum OptimizerKind { OPT_SGD = 0, OPT_ADAM = 1, OPT_NADAM = 2, OPT_RMSPROP = 3 };

constexpr int PLAN_VERSION = 3;
constexpr int PLAN_HEADER = 15;
constexpr int PLAN_PER_LAYER = 9;
constexpr int PLAN_REALS = 8;
constexpr int PLAN_REALS_PER_LAYER = 3;
constexpr int MAX_LAYERS = 32;
constexpr int MAX_TOTALS = 8;

struct LayerPlan {
    int kind, inputs, outputs, act, transpose_w, accumulate_w;
    int64_t w, b;
    int regularizer;                    /* REG_* of ae4j_kernels.h, on this layer's output */
    double rate;                        /* Gaussian noise: stddev; dropout: rate; sampling: latent loss weight */
    double reg_weight, reg_target;      /* L1: factor; KL: weight and target */
};

struct Plan {
    int input_size, layers, loss, out_act, rounded_slot, accuracy_slot, totals, first_backward;
    int64_t params, trainable;
    int optimizer, nesterov;
    double lr, momentum, beta1, beta2, eps, rho;
    RateSchedule schedule;
    LayerPlan layer[MAX_LAYERS];
    bool batch_terms; /* a KL regularizer: a term of the batch's mean activation, not a sum over its rows */
    bool noisy;       /* a layer that draws noise (it needs the noise seed) */

    int output_size() const { return layer[layers - 1].outputs; }
    /* The widest layer output: the size of the scratch rows the engines keep per sample. */
    int widest() const {
        int w = input_size;
        for (int l = 0; l < layers; l++) w = layer[l].outputs > w ? layer[l].outputs : w;
        return w;
    }
};

/* The activations both engines keep for `rows` rows, in one arena: the gathered x and y, then each layer's output
 * and the gradient there, each padded to a multiple of `align` elements. Returns the arena's length in elements;
 * with a base, also points x, y, out[l] and delta[l] into it. */
template <typename T>
size_t arena_layout(const Plan& plan, size_t rows, size_t align, T* base, T** x, T** y, T** out, T** delta) {
    auto padded = [align](size_t n) { return (n + align - 1) / align * align; };
    size_t at = 0;
    auto take = [&](size_t n, T** where) {
        if (base) *where = base + at;
        at += padded(n);
    };
    take(rows * plan.input_size, x);
    take(rows * plan.output_size(), y);
    for (int l = 0; l < plan.layers; l++) {
        take(rows * plan.layer[l].outputs, out + l);
        take(rows * plan.layer[l].outputs, delta + l);
    }
    return at;
}

/* Fills *p from the encoding; returns NULL, or what is wrong with it (written to error[0..capacity)). */
inline const char* decode_plan(const int64_t* ints, int n_ints, const double* reals, int n_reals, Plan* p, char* error,
                               int capacity) {
    auto fail = [&](const char* what, long long value) {
        snprintf(error, (size_t) capacity, "invalid engine plan: %s (%lld)", what, value);
        return error;
    };
    if (n_ints < PLAN_HEADER || ints[0] != PLAN_VERSION) return fail("version", n_ints < 1 ? -1 : (long long) ints[0]);
    if (n_reals < PLAN_REALS) return fail("reals", n_reals);
    auto finite = [](double v) { return isfinite(v) != 0; };
    p->input_size = (int) ints[1];
    p->layers = (int) ints[2];
    p->loss = (int) ints[3];
    p->out_act = (int) ints[4];
    p->rounded_slot = (int) ints[5];
    p->accuracy_slot = (int) ints[6];
    p->totals = (int) ints[7];
    p->first_backward = (int) ints[8];
    p->params = ints[9];
    p->trainable = ints[10];
    p->optimizer = (int) ints[11];
    p->nesterov = (int) ints[12];
    p->schedule.kind = (int) ints[13];
    p->schedule.staircase = (int) ints[14];
    p->lr = reals[0];
    p->momentum = reals[1];
    p->beta1 = reals[2];
    p->beta2 = reals[3];
    p->eps = reals[4];
    p->rho = reals[5];
    p->schedule.decay_rate = reals[6];
    p->schedule.decay_steps = reals[7];
    if (p->layers < 1 || p->layers > MAX_LAYERS) return fail("layer count", p->layers);
    if (n_ints != PLAN_HEADER + PLAN_PER_LAYER * p->layers) return fail("length", n_ints);
    if (n_reals != PLAN_REALS + PLAN_REALS_PER_LAYER * p->layers) return fail("reals", n_reals);
    if (p->totals < 1 || p->totals > MAX_TOTALS) return fail("totals", p->totals);
    if (p->trainable < 0 || p->trainable > p->params) return fail("trainable parameters", p->trainable);
    if (p->first_backward < 0 || p->first_backward > p->layers) return fail("first backward layer", p->first_backward);
    if (p->optimizer < OPT_SGD || p->optimizer > OPT_RMSPROP) return fail("optimizer", p->optimizer);
    const RateSchedule& s = p->schedule;
    if (s.kind < SCHEDULE_CONSTANT || s.kind > SCHEDULE_EXPONENTIAL_DECAY) return fail("learning-rate schedule", s.kind);
    if (s.kind == SCHEDULE_EXPONENTIAL_DECAY && !(finite(s.decay_rate) && s.decay_rate > 0 && finite(s.decay_steps) && s.decay_steps > 0))
        return fail("decay rate or steps of the learning-rate schedule", s.kind);
    p->batch_terms = false;
    p->noisy = false;
    int inputs = p->input_size;
    for (int l = 0; l < p->layers; l++) {
        const int64_t* e = ints + PLAN_HEADER + PLAN_PER_LAYER * l;
        const double* r = reals + PLAN_REALS + PLAN_REALS_PER_LAYER * l;
        LayerPlan& L = p->layer[l];
        L.kind = (int) e[0];
        L.inputs = (int) e[1];
        L.outputs = (int) e[2];
        L.act = (int) e[3];
        L.transpose_w = (int) e[4];
        L.accumulate_w = (int) e[5];
        L.w = e[6];
        L.b = e[7];
        L.regularizer = (int) e[8];
        L.rate = r[0];
        L.reg_weight = r[1];
        L.reg_target = r[2];
        if (L.kind < LAYER_DENSE || L.kind > LAYER_SAMPLING) return fail("layer kind", L.kind);
        if (L.inputs != inputs || L.outputs < 1) return fail("layer sizes", l);
        if (L.act < ACT_IDENTITY || L.act >= ACT_COUNT) return fail("activation", L.act);
        if (L.kind == LAYER_DENSE) {
            if (L.w < 0 || L.w + (int64_t) L.inputs * L.outputs > p->params) return fail("W offset", L.w);
            if (L.b < 0 || L.b + L.outputs > p->params) return fail("b offset", L.b);
        } else {
            if (L.w != -1 || L.b != -1 || L.transpose_w || L.accumulate_w || L.act != ACT_IDENTITY)
                return fail("a layer without parameters has parameters or an activation", l);
            const bool sizes = L.kind == LAYER_SAMPLING ? L.inputs == 2 * L.outputs : L.inputs == L.outputs;
            if (!sizes) return fail("layer sizes", l);
        }
        if (!finite(L.rate) || L.rate < 0 || (L.kind == LAYER_DROPOUT && L.rate >= 1)) return fail("rate of layer", l);
        if (L.regularizer < REG_NONE || L.regularizer > REG_KL) return fail("regularizer", L.regularizer);
        if (L.regularizer != REG_NONE && l == p->layers - 1) return fail("a regularizer on the output layer", l);
        if (!finite(L.reg_weight) || L.reg_weight < 0) return fail("regularizer weight of layer", l);
        if (L.regularizer == REG_KL && !(L.reg_target > 0 && L.reg_target < 1)) return fail("KL target of layer", l);
        p->batch_terms |= L.regularizer == REG_KL;
        p->noisy |= L.kind == LAYER_GAUSSIAN_NOISE || L.kind == LAYER_DROPOUT || L.kind == LAYER_SAMPLING;
        inputs = L.outputs;
    }
    return nullptr;
}

}  // namespace ae4j
