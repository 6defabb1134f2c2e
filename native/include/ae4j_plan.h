/*
 * ae4j_plan.h — the network as ae4j's whole-step engines run it (the CPU engine in native/cpu/engine.h, the CUDA
 * engine in native/cuda/engine), decoded from the flat arrays the Java side builds (ae4j.engine.Plan#encode).
 *
 * A plan is a sequence of layers over one flat parameter vector: each layer says where its W and b lie in it,
 * whether it multiplies by W or by Wᵀ (a DenseTranspose: the W of another layer), and whether its weight gradient
 * is added to what a later layer already wrote there (the second user of a tied W, in backward order). Then the
 * loss (fused with the output activation when that is its natural link), the totals it keeps (loss and metrics,
 * summed over samples) and the optimizer with its hyperparameters.
 *
 * Encoding (int64 "ints", float64 "reals"); keep in step with Plan.java:
 *   ints[0..13): version, input size, layer count, loss, output activation, rounded-accuracy slot, accuracy slot,
 *                totals, first backward layer, parameters, trainable parameters, optimizer, nesterov
 *   then 8 per layer: kind, inputs, outputs, activation (as run), transpose_w, accumulate_w, W offset, b offset
 *   reals: learning rate, momentum, beta1, beta2, epsilon
 * Trainable parameters come first in the vector: [0, trainable) is what the optimizer updates.
 *
 * Not here: memory, kernels, threads.
 */
#pragma once
#include <stdint.h>
#include <stdio.h>

#include "ae4j_kernels.h"

namespace ae4j {

enum LayerKind { LAYER_DENSE = 0 };
enum OptimizerKind { OPT_SGD = 0, OPT_ADAM = 1, OPT_NADAM = 2 };

constexpr int PLAN_VERSION = 1;
constexpr int PLAN_HEADER = 13;
constexpr int PLAN_PER_LAYER = 8;
constexpr int PLAN_REALS = 5;
constexpr int MAX_LAYERS = 32;
constexpr int MAX_TOTALS = 8;

struct LayerPlan {
    int kind, inputs, outputs, act, transpose_w, accumulate_w;
    int64_t w, b;
};

struct Plan {
    int input_size, layers, loss, out_act, rounded_slot, accuracy_slot, totals, first_backward;
    int64_t params, trainable;
    int optimizer, nesterov;
    double lr, momentum, beta1, beta2, eps;
    LayerPlan layer[MAX_LAYERS];

    int output_size() const { return layer[layers - 1].outputs; }
    /* The widest layer output: the size of the scratch rows the engines keep per sample. */
    int widest() const {
        int w = input_size;
        for (int l = 0; l < layers; l++) w = layer[l].outputs > w ? layer[l].outputs : w;
        return w;
    }
};

/* Fills *p from the encoding; returns NULL, or what is wrong with it (written to error[0..capacity)). */
inline const char* decode_plan(const int64_t* ints, int n_ints, const double* reals, int n_reals, Plan* p, char* error,
                               int capacity) {
    auto fail = [&](const char* what, long long value) {
        snprintf(error, (size_t) capacity, "invalid engine plan: %s (%lld)", what, value);
        return error;
    };
    if (n_ints < PLAN_HEADER || ints[0] != PLAN_VERSION) return fail("version", n_ints < 1 ? -1 : (long long) ints[0]);
    if (n_reals < PLAN_REALS) return fail("reals", n_reals);
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
    p->lr = reals[0];
    p->momentum = reals[1];
    p->beta1 = reals[2];
    p->beta2 = reals[3];
    p->eps = reals[4];
    if (p->layers < 1 || p->layers > MAX_LAYERS) return fail("layer count", p->layers);
    if (n_ints != PLAN_HEADER + PLAN_PER_LAYER * p->layers) return fail("length", n_ints);
    if (p->totals < 1 || p->totals > MAX_TOTALS) return fail("totals", p->totals);
    if (p->trainable < 0 || p->trainable > p->params) return fail("trainable parameters", p->trainable);
    if (p->first_backward < 0 || p->first_backward > p->layers) return fail("first backward layer", p->first_backward);
    if (p->optimizer < OPT_SGD || p->optimizer > OPT_NADAM) return fail("optimizer", p->optimizer);
    int inputs = p->input_size;
    for (int l = 0; l < p->layers; l++) {
        const int64_t* e = ints + PLAN_HEADER + PLAN_PER_LAYER * l;
        LayerPlan& L = p->layer[l];
        L.kind = (int) e[0];
        L.inputs = (int) e[1];
        L.outputs = (int) e[2];
        L.act = (int) e[3];
        L.transpose_w = (int) e[4];
        L.accumulate_w = (int) e[5];
        L.w = e[6];
        L.b = e[7];
        if (L.kind != LAYER_DENSE) return fail("layer kind", L.kind);
        if (L.inputs != inputs || L.outputs < 1) return fail("layer sizes", l);
        if (L.act < ACT_IDENTITY || L.act > ACT_SOFTMAX) return fail("activation", L.act);
        if (L.w < 0 || L.w + (int64_t) L.inputs * L.outputs > p->params) return fail("W offset", L.w);
        if (L.b < 0 || L.b + L.outputs > p->params) return fail("b offset", L.b);
        inputs = L.outputs;
    }
    return nullptr;
}

}  // namespace ae4j
