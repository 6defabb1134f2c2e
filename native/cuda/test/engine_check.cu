/*
 * engine_check.cu — the CUDA engine (native/cuda/engine/engine.cuh, what ae4j's --engine cuda runs) against the CPU
 * engine (native/cpu/engine.h, through cpu_ref.h) on the plans of the chapter's models: the stacked and tied
 * autoencoders, an MSE one with Adam and a linear one (the fused step, fused.cuh, which must also agree with the
 * cuBLAS step), and denoising with Gaussian noise and with dropout, sparse with L1 and with KL activity
 * regularization, and the variational autoencoder with RMSprop (cuBLAS and a launch per operation). From the same
 * parameters and noise seed, each engine trains the steps of one epoch (three of 32 rows, or of 90: weight gradients
 * in two slices, or twelve of 20: a group of eight steps in one graph; captured and replayed as CUDA graphs on the
 * GPU; then a short one of 20), then evaluates (batches of 32) and predicts through the whole network, and computes
 * the gradient of 40 rows: the noise layers must draw the same numbers on both, so that everything agrees within
 * float rounding. Two models decay their learning rate step by step (Keras's ExponentialDecay, computed by each
 * engine from its step count) and have it lowered before their last step, as ReduceLROnPlateau does between epochs
 * (the CUDA engine's captured graphs must read the new rate). Then the same steps as plain stream launches must give
 * the graphs' parameters bit for bit.
 * Not here: the kernels one by one (validate.cu), Java (the JNI binding only forwards these calls).
 * Usage: engine_check [--verbose] [--fused-only] (the models of the fused step only: short enough for
 * compute-sanitizer). Exit status: 0 all passed, 1 a check failed or CUDA failed, 2 no usable GPU.
 */
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../engine/engine.cuh"
#include "cpu_ref.h"
#include "plan_builder.h"
#include "report.h"

namespace {

using ae4j::gpu::DeviceMatrix;
using ae4j::gpu::Engine;

constexpr int ROWS = 300, VALID = 70, PIXELS = 784, BATCH = 32, LAST_BATCH = 20, GRADIENT_ROWS = 40;
constexpr unsigned long long NOISE_SEED = 0x0123456789abcdefULL;

/* Room for the optimizer state of a plan encoded with `ints` (Adam and Nadam keep two moments per parameter). */
size_t state_size(const std::vector<int64_t>& ints, size_t params) {
    const int64_t optimizer = ints[11];
    return (optimizer == ae4j::OPT_ADAM || optimizer == ae4j::OPT_NADAM ? 2 : 1) * params;
}

struct Model {
    const char* name;
    PlanBuilder plan;
    int optimizer;
    double lr;
    int loss = ae4j::LOSS_BCE;
    int batch = BATCH; /* of the first `steps` steps (the last has LAST_BATCH rows) */
    int steps = 3;
    ae4j::RateSchedule schedule{};
    double lowered_lr = 0; /* the learning rate set before the last step; 0: kept */
};

std::vector<Model> models() {
    using namespace ae4j;
    std::vector<Model> m;
    auto stacked = [](PlanBuilder b) {
        return b.dense(100, ACT_SELU).dense(30, ACT_SELU).dense(100, ACT_SELU).dense(PIXELS, ACT_SIGMOID);
    };
    /* dense layers only: the fused step (fused.cuh) */
    m.push_back({"stacked, SGD 1.5", stacked(PlanBuilder(PIXELS)), OPT_SGD, 1.5});
    m.push_back({"tied, SGD 1.5", PlanBuilder(PIXELS).dense(100, ACT_SELU).dense(30, ACT_SELU).tied(1, ACT_SELU)
                                      .tied(0, ACT_SIGMOID), OPT_SGD, 1.5});
    /* batches of 90 rows: the weight gradients in two slices (fused::SLICE_ROWS), the second partial */
    m.push_back({"stacked, SGD 1.5, batch 90", stacked(PlanBuilder(PIXELS)), OPT_SGD, 1.5, LOSS_BCE, 90});
    /* 13 steps of one shape: one plain, one graph, a group of eight in one graph, three left waiting until read */
    m.push_back({"stacked, SGD 1.5, 13 steps of 20", stacked(PlanBuilder(PIXELS)), OPT_SGD, 1.5, LOSS_BCE, 20, 12});
    m.push_back({"tied, Adam, batch 90", PlanBuilder(PIXELS).dense(100, ACT_SELU).dense(30, ACT_SELU).tied(1, ACT_SELU)
                                             .tied(0, ACT_SIGMOID), OPT_ADAM, 0.01, LOSS_BCE, 90});
    m.push_back({"MSE on a sigmoid output, Adam", PlanBuilder(PIXELS).dense(100, ACT_SELU).dense(PIXELS, ACT_SIGMOID),
                 OPT_ADAM, 0.01, LOSS_MSE});
    m.push_back({"linear, MSE", PlanBuilder(PIXELS).dense(30, ACT_IDENTITY).dense(PIXELS, ACT_IDENTITY), OPT_SGD, 0.01,
                 LOSS_MSE});
    /* the rate decays by half every 4 steps, and is lowered to 0.3 before the last step, which replays a graph */
    m.push_back({"stacked, SGD 1.5 decaying, lowered, 13 steps of 20", stacked(PlanBuilder(PIXELS)), OPT_SGD, 1.5, LOSS_BCE,
                 20, 12, RateSchedule{SCHEDULE_EXPONENTIAL_DECAY, 0, 0.5, 4}, 0.3});
    /* with noise layers or regularizers: cuBLAS and a launch per operation */
    m.push_back({"denoising, Gaussian noise 0.2", stacked(PlanBuilder(PIXELS).without_parameters(LAYER_GAUSSIAN_NOISE, 0.2)),
                 OPT_SGD, 1.0});
    m.push_back({"denoising, dropout 0.5", stacked(PlanBuilder(PIXELS).without_parameters(LAYER_DROPOUT, 0.5)), OPT_SGD, 1.0});
    m.push_back({"denoising, dropout 0.5, Adam in a staircase decay, lowered",
                 stacked(PlanBuilder(PIXELS).without_parameters(LAYER_DROPOUT, 0.5)), OPT_ADAM, 0.01, LOSS_BCE, BATCH, 3,
                 RateSchedule{SCHEDULE_EXPONENTIAL_DECAY, 1, 0.1, 2}, 0.002});
    m.push_back({"sparse, L1 1e-3", PlanBuilder(PIXELS).dense(100, ACT_SELU).dense(300, ACT_SIGMOID)
                                        .without_parameters(LAYER_ACTIVITY, 0, REG_L1, 1e-3)
                                        .dense(100, ACT_SELU).dense(PIXELS, ACT_SIGMOID), OPT_SGD, 1.0});
    m.push_back({"sparse, KL 0.05 to 0.1", PlanBuilder(PIXELS).dense(100, ACT_SELU).dense(300, ACT_SIGMOID, REG_KL, 0.05, 0.1)
                                               .dense(100, ACT_SELU).dense(PIXELS, ACT_SIGMOID), OPT_SGD, 1.0});
    m.push_back({"variational, RMSprop", PlanBuilder(PIXELS).dense(150, ACT_SELU).dense(100, ACT_SELU).dense(20, ACT_IDENTITY)
                                             .without_parameters(LAYER_SAMPLING, 1.0 / 784)
                                             .dense(100, ACT_SELU).dense(150, ACT_SELU).dense(PIXELS, ACT_SIGMOID),
                 OPT_RMSPROP, 0.001});
    return m;
}

/* What a run of either engine leaves: the training totals, the parameters and the optimizer state after the steps,
 * the evaluation's totals, the predictions and the gradient of the first GRADIENT_ROWS rows. */
struct Run {
    double train_totals[2], eval_totals[2];
    std::vector<float> params, state, predictions, gradients;
    double gradient_loss;
};

Run run_cpu(const std::vector<int64_t>& ints, const std::vector<double>& reals, const std::vector<float>& params0,
            const std::vector<float>& data, const std::vector<float>& valid, const std::vector<int32_t>& order, int threads,
            int layers, int batch, int steps, double lowered_lr) {
    Run r;
    r.params = params0;
    std::vector<float> grads(params0.size(), 0.0f);
    r.state.assign(state_size(ints, params0.size()), 0.0f);
    const int64_t e = ref::engine_create(ints.data(), (int) ints.size(), reals.data(), (int) reals.size(), r.params.data(),
                                         grads.data(), r.state.data(), threads);
    if (!e) {
        std::printf("engine_check: the CPU engine refused the plan: %s\n", ref::engine_error());
        std::exit(1);
    }
    ref::engine_set_noise_seed(e, NOISE_SEED);
    ref::engine_begin_epoch(e, order.data(), (int) order.size());
    for (int step = 0; step < steps; step++) ref::engine_train_step(e, data.data(), step * batch, batch);
    if (lowered_lr > 0) ref::engine_set_learning_rate(e, lowered_lr);
    ref::engine_train_step(e, data.data(), steps * batch, LAST_BATCH);
    ref::engine_read_totals(e, r.train_totals);
    ref::engine_evaluate(e, valid.data(), VALID, BATCH, r.eval_totals);
    r.predictions.resize((size_t) VALID * PIXELS);
    ref::engine_predict(e, valid.data(), VALID, 0, layers, r.predictions.data());
    r.gradient_loss = ref::engine_loss_and_gradients(e, data.data(), GRADIENT_ROWS);
    r.gradients = grads;
    ref::engine_destroy(e);
    return r;
}

/* The plan `ints` and `reals` encode. */
ae4j::Plan decoded(const std::vector<int64_t>& ints, const std::vector<double>& reals) {
    ae4j::Plan plan;
    char error[256];
    if (const char* problem = ae4j::decode_plan(ints.data(), (int) ints.size(), reals.data(), (int) reals.size(), &plan,
                                                error, sizeof error)) {
        std::printf("engine_check: the plan does not decode: %s\n", problem);
        std::exit(1);
    }
    return plan;
}

/* The GPU's run; `first` holds the first GRADIENT_ROWS rows of the training data. */
Run run_gpu(const std::vector<int64_t>& ints, const std::vector<double>& reals, const std::vector<float>& params0,
            const DeviceMatrix& data, const DeviceMatrix& first, const DeviceMatrix& valid, const std::vector<int32_t>& order,
            bool graphs, int layers, int batch, int steps, double lowered_lr, bool fused = true, bool* ran_fused = nullptr) {
    const ae4j::Plan plan = decoded(ints, reals);
    Run r;
    const std::vector<float> zeros(state_size(ints, params0.size()), 0.0f);
    Engine engine(plan, params0.data(), zeros.data());
    engine.use_graphs(graphs);
    engine.use_fused(fused);
    if (ran_fused) *ran_fused = engine.fused();
    engine.set_noise_seed(NOISE_SEED);
    engine.begin_epoch(order.data(), (int) order.size());
    for (int step = 0; step < steps; step++) engine.train_step(data, data, batch);
    if (lowered_lr > 0) engine.set_learning_rate(lowered_lr);
    engine.train_step(data, data, LAST_BATCH);
    engine.read_totals(r.train_totals);
    engine.evaluate(valid, valid, BATCH, r.eval_totals);
    r.predictions.resize((size_t) VALID * PIXELS);
    engine.predict(valid, 0, layers, r.predictions.data());
    r.params.resize(params0.size());
    r.state.assign(state_size(ints, params0.size()), 0.0f);
    r.gradients.resize(params0.size());
    engine.copy_to_host(r.params.data(), r.gradients.data(), r.state.data());
    r.gradient_loss = engine.loss_and_gradients(first, first);
    std::vector<float> unchanged(params0.size());
    engine.copy_to_host(unchanged.data(), r.gradients.data(), r.state.data());
    return r;
}

void compare(kit::Report& report, const std::string& model, const Run& gpu, const Run& cpu, bool with_state) {
    const std::string where = model;
    for (int i = 0; i < 2; i++) {
        const char* what = i ? "rounded accuracy total" : "loss total";
        report.compare_scalar(std::string("engine: training ") + what, where, gpu.train_totals[i], cpu.train_totals[i],
                              1e-4 * std::fabs(cpu.train_totals[i]), "rtol 1e-04");
        report.compare_scalar(std::string("engine: evaluation ") + what, where, gpu.eval_totals[i], cpu.eval_totals[i],
                              1e-4 * std::fabs(cpu.eval_totals[i]), "rtol 1e-04");
    }
    report.compare("engine: parameters after the steps", where, gpu.params.data(), cpu.params.data(), cpu.params.size(),
                   kit::TRAIN_STEP);
    if (with_state)
        report.compare("engine: optimizer state after the steps", where, gpu.state.data(), cpu.state.data(), cpu.state.size(),
                       kit::TRAIN_STEP);
    report.compare("engine: predictions", where, gpu.predictions.data(), cpu.predictions.data(), cpu.predictions.size(),
                   kit::TRAIN_STEP);
    report.compare("engine: gradient of 40 rows", where, gpu.gradients.data(), cpu.gradients.data(), cpu.gradients.size(),
                   kit::TRAIN_STEP);
    report.compare_scalar("engine: loss of the gradient's rows", where, gpu.gradient_loss, cpu.gradient_loss,
                          1e-4 * std::fabs(cpu.gradient_loss), "rtol 1e-04");
}

}  // namespace

int main(int argc, char** argv) {
    bool verbose = false, fused_only = false;
    for (int i = 1; i < argc; i++) {
        verbose |= !std::strcmp(argv[i], "--verbose");
        fused_only |= !std::strcmp(argv[i], "--fused-only");
    }
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        std::printf("engine_check: no CUDA GPU available; nothing was checked\n");
        return 2;
    }
    std::mt19937_64 rng(2024);
    std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
    std::vector<float> data((size_t) ROWS * PIXELS), valid((size_t) VALID * PIXELS);
    for (float& v : data) v = pixel(rng) < 0.5f ? 0.0f : pixel(rng); /* half the pixels 0, as Fashion-MNIST's are */
    for (float& v : valid) v = pixel(rng) < 0.5f ? 0.0f : pixel(rng);
    std::vector<int32_t> order(ROWS);
    for (int i = 0; i < ROWS; i++) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);

    kit::Report report(verbose);
    try {
        const DeviceMatrix data_gpu = Engine::upload(data.data(), ROWS, PIXELS);
        const DeviceMatrix first_gpu = Engine::upload(data.data(), GRADIENT_ROWS, PIXELS);
        const DeviceMatrix valid_gpu = Engine::upload(valid.data(), VALID, PIXELS);
        for (const Model& m : models()) {
            std::vector<int64_t> ints;
            std::vector<double> reals;
            m.plan.encode(m.optimizer, m.lr, ints, reals, m.loss, m.schedule);
            const std::vector<float> params0 = m.plan.initial_params(rng);
            if (fused_only && !ae4j::gpu::Engine::fusable(decoded(ints, reals))) continue;
            bool fused = false;
            const Run graphed = run_gpu(ints, reals, params0, data_gpu, first_gpu, valid_gpu, order, true, m.plan.layers(),
                                        m.batch, m.steps, m.lowered_lr, true, &fused);
            std::printf("%s: %s\n", m.name, fused ? "fused step" : "cuBLAS step");
            for (int threads : {1, 2}) {
                const Run cpu = run_cpu(ints, reals, params0, data, valid, order, threads, m.plan.layers(), m.batch,
                                        m.steps, m.lowered_lr);
                compare(report, std::string(m.name) + ", CPU " + std::to_string(threads) + " thread(s)", graphed, cpu,
                        m.optimizer != ae4j::OPT_SGD);
            }
            const Run plain = run_gpu(ints, reals, params0, data_gpu, first_gpu, valid_gpu, order, false, m.plan.layers(),
                                      m.batch, m.steps, m.lowered_lr);
            report.compare("engine: CUDA graphs vs stream launches", m.name, graphed.params.data(), plain.params.data(),
                           plain.params.size(), kit::EXACT);
            if (fused) {
                const Run unfused = run_gpu(ints, reals, params0, data_gpu, first_gpu, valid_gpu, order, true,
                                            m.plan.layers(), m.batch, m.steps, m.lowered_lr, false);
                report.compare("engine: fused step vs cuBLAS step", m.name, graphed.params.data(), unfused.params.data(),
                               unfused.params.size(), kit::TRAIN_STEP);
            }
        }
        Engine::release(valid_gpu);
        Engine::release(first_gpu);
        Engine::release(data_gpu);
    } catch (const ae4j::gpu::Error& e) {
        std::printf("engine_check: %s\n", e.what());
        return 1;
    }
    const int failed = report.summary();
    std::printf(failed ? "\nengine_check: %d check case(s) FAILED\n" : "\nengine_check: all checks passed\n", failed);
    return failed ? 1 : 0;
}
