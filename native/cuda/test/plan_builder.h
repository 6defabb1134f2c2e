/*
 * plan_builder.h — the kit's plans: what ae4j.spec.Plan encodes (ae4j_plan.h), built layer by layer, for
 * engine_check and step_profile. Not here: decoding or checking a plan (ae4j_plan.h's decode_plan).
 */
#ifndef AE4J_PLAN_BUILDER_H
#define AE4J_PLAN_BUILDER_H

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "ae4j_plan.h"

/* A plan as ae4j.spec.Plan encodes it (ae4j_plan.h), built layer by layer; sigmoid output fused with BCE. */
class PlanBuilder {
  public:
    explicit PlanBuilder(int inputs) : inputs_(inputs), width_(inputs) {}

    PlanBuilder& dense(int units, int act, int regularizer = ae4j::REG_NONE, double weight = 0, double target = 0) {
        if (first_dense_ < 0) first_dense_ = count_;
        layer(ae4j::LAYER_DENSE, units, act, next_, next_ + (int64_t) width_ * units, regularizer, 0, weight, target);
        limits_.push_back({next_, width_, units});
        next_ += (int64_t) width_ * units + units;
        width_ = units;
        return *this;
    }
    /* A DenseTranspose of dense layer `owner` (counted among the layers): its Wᵀ, its own bias; the owner, second in
     * backward order, adds its gradient to this one's. */
    PlanBuilder& tied(int owner, int act) {
        const int64_t* o = &layer_ints_[(size_t) ae4j::PLAN_PER_LAYER * owner];
        const int units = (int) o[1];
        layer(ae4j::LAYER_DENSE, units, act, o[6], next_, ae4j::REG_NONE, 0, 0, 0);
        layer_ints_[(size_t) ae4j::PLAN_PER_LAYER * (count_ - 1) + 4] = 1;
        layer_ints_[(size_t) ae4j::PLAN_PER_LAYER * owner + 5] = 1;
        next_ += units;
        width_ = units;
        return *this;
    }
    PlanBuilder& without_parameters(int kind, double rate, int regularizer = ae4j::REG_NONE, double weight = 0) {
        const int outputs = kind == ae4j::LAYER_SAMPLING ? width_ / 2 : width_;
        layer(kind, outputs, ae4j::ACT_IDENTITY, -1, -1, regularizer, rate, weight, 0);
        width_ = outputs;
        return *this;
    }

    /* ints and reals of the plan, with the optimizer (OPT_SGD: lr; OPT_RMSPROP: lr, rho 0.9, ε 1e-7; OPT_ADAM: lr,
     * β 0.9 and 0.999, ε 1e-7), its learning-rate schedule and the loss: BCE with the sigmoid output fused, or MSE on
     * the last activation. */
    void encode(int optimizer, double lr, std::vector<int64_t>& ints, std::vector<double>& reals,
                int loss = ae4j::LOSS_BCE, ae4j::RateSchedule schedule = {}) const {
        const int last_act = (int) layer_ints_[(size_t) ae4j::PLAN_PER_LAYER * (count_ - 1) + 3];
        ints = {ae4j::PLAN_VERSION, inputs_, count_, loss, loss == ae4j::LOSS_BCE ? ae4j::ACT_SIGMOID : last_act, 1, -1, 2,
                first_dense_, next_, next_, optimizer, 0, schedule.kind, schedule.staircase};
        ints.insert(ints.end(), layer_ints_.begin(), layer_ints_.end());
        if (loss == ae4j::LOSS_BCE) /* fused with the loss */
            ints[ae4j::PLAN_HEADER + ae4j::PLAN_PER_LAYER * (count_ - 1) + 3] = ae4j::ACT_IDENTITY;
        const bool adam = optimizer == ae4j::OPT_ADAM;
        reals = {lr, 0, adam ? 0.9 : 0, adam ? 0.999 : 0, 1e-7, optimizer == ae4j::OPT_RMSPROP ? 0.9 : 0,
                 schedule.decay_rate, schedule.decay_steps};
        reals.insert(reals.end(), layer_reals_.begin(), layer_reals_.end());
    }

    /* Glorot-uniform kernels, zero biases. */
    std::vector<float> initial_params(std::mt19937_64& rng) const {
        std::vector<float> p((size_t) next_, 0.0f);
        for (const Limit& d : limits_) {
            const float limit = std::sqrt(6.0f / (d.inputs + d.outputs));
            std::uniform_real_distribution<float> u(-limit, limit);
            for (int64_t i = 0; i < (int64_t) d.inputs * d.outputs; i++) p[d.w + i] = u(rng);
        }
        return p;
    }

    int layers() const { return count_; }

  private:
    struct Limit {
        int64_t w;
        int inputs, outputs;
    };

    void layer(int kind, int outputs, int act, int64_t w, int64_t b, int regularizer, double rate, double weight,
               double target) {
        layer_ints_.insert(layer_ints_.end(), {kind, width_, outputs, act, 0, 0, w, b, regularizer});
        layer_reals_.insert(layer_reals_.end(), {rate, weight, target});
        count_++;
    }

    int inputs_, width_, count_ = 0, first_dense_ = -1;
    int64_t next_ = 0;
    std::vector<int64_t> layer_ints_;
    std::vector<double> layer_reals_;
    std::vector<Limit> limits_;
};

#endif  // AE4J_PLAN_BUILDER_H
