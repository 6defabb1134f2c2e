/*
 * plan_decoder.cpp — a test tool, compiled by ae4j.engine.PlanDecodingTest (not by the build): it decodes a plan's
 * encoding as the native engines do, with ae4j::decode_plan of native/include/ae4j_plan.h, and prints what it
 * decoded, so that the test can hold ae4j.spec.Plan#ints and #reals to the header without a GPU.
 *
 * Input on stdin, separated by white space: the number of ints, the ints, the number of reals, the reals (any form
 * strtod reads; the test writes hexadecimal floats, which are exact).
 * Output: one "name value" line per field of ae4j::Plan, then per field of each layer ("layer[0].kind 0"); reals in
 * C's %a, exact. Exit 0. A plan decode_plan refuses: its message, one line, exit 1. Unreadable input: exit 2.
 */
#include <cinttypes>
#include <cstdio>
#include <vector>

#include "ae4j_plan.h"

static void integer(const char* name, long long value) { printf("%s %lld\n", name, value); }
static void real(const char* name, double value) { printf("%s %a\n", name, value); }

int main() {
    int n_ints = 0, n_reals = 0;
    if (scanf("%d", &n_ints) != 1 || n_ints < 0) return 2;
    std::vector<int64_t> ints((size_t) n_ints);
    for (int64_t& v : ints)
        if (scanf("%" SCNd64, &v) != 1) return 2;
    if (scanf("%d", &n_reals) != 1 || n_reals < 0) return 2;
    std::vector<double> reals((size_t) n_reals);
    for (double& v : reals)
        if (scanf("%lf", &v) != 1) return 2;

    static ae4j::Plan p;
    char error[256];
    if (const char* problem = ae4j::decode_plan(ints.data(), n_ints, reals.data(), n_reals, &p, error, sizeof error)) {
        printf("%s\n", problem);
        return 1;
    }
    integer("input_size", p.input_size);
    integer("layers", p.layers);
    integer("loss", p.loss);
    integer("out_act", p.out_act);
    integer("rounded_slot", p.rounded_slot);
    integer("accuracy_slot", p.accuracy_slot);
    integer("totals", p.totals);
    integer("first_backward", p.first_backward);
    integer("params", p.params);
    integer("trainable", p.trainable);
    integer("optimizer", p.optimizer);
    integer("nesterov", p.nesterov);
    real("lr", p.lr);
    real("momentum", p.momentum);
    real("beta1", p.beta1);
    real("beta2", p.beta2);
    real("eps", p.eps);
    real("rho", p.rho);
    integer("schedule.kind", p.schedule.kind);
    integer("schedule.staircase", p.schedule.staircase);
    real("schedule.decay_rate", p.schedule.decay_rate);
    real("schedule.decay_steps", p.schedule.decay_steps);
    integer("batch_terms", p.batch_terms);
    integer("noisy", p.noisy);
    for (int l = 0; l < p.layers; l++) {
        const ae4j::LayerPlan& L = p.layer[l];
        char name[64];
        auto field = [&](const char* what) {
            snprintf(name, sizeof name, "layer[%d].%s", l, what);
            return name;
        };
        integer(field("kind"), L.kind);
        integer(field("inputs"), L.inputs);
        integer(field("outputs"), L.outputs);
        integer(field("act"), L.act);
        integer(field("transpose_w"), L.transpose_w);
        integer(field("accumulate_w"), L.accumulate_w);
        integer(field("w"), L.w);
        integer(field("b"), L.b);
        integer(field("regularizer"), L.regularizer);
        real(field("rate"), L.rate);
        real(field("reg_weight"), L.reg_weight);
        real(field("reg_target"), L.reg_target);
    }
    return 0;
}
