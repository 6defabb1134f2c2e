/*
 * checks.cuh — every kernel of ae4j_kernels.cu against the CPU kernels (cpu_ref.h): each activation forward and
 * backward, the bias gradient, the gather, the five loss cases, the noise layers (Gaussian noise, dropout,
 * sampling with its latent loss), the activity regularizers (L1, column sums, KL), the optimizers (RMSprop
 * included), and whole dense layers (GEMMs and kernels) against dense_forward/dense_backward. Shapes: the book's (batch 32 and 256; 784, 100, 30) and odd ones;
 * the kernels also run with small and large blocks and capped grids, so that the grid-stride loops and the block
 * reductions take several passes. Inputs include saturating values (|z| up to 100) and values Keras clips.
 */
#pragma once
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "cpu_ref.h"
#include "gpu.cuh"
#include "report.h"

namespace kit {

static const char* const ACT_NAMES[] = {"identity", "selu", "sigmoid", "relu", "tanh", "softmax", "elu"};
static_assert(sizeof ACT_NAMES / sizeof ACT_NAMES[0] == ae4j::ACT_COUNT, "a name for every activation");

class Rng {
  public:
    explicit Rng(uint64_t seed) : engine_(seed) {}
    float uniform(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(engine_); }
    int index(int n) { return std::uniform_int_distribution<int>(0, n - 1)(engine_); }
    std::vector<float> vec(size_t n, float lo, float hi) {
        std::vector<float> v(n);
        for (float& x : v) x = uniform(lo, hi);
        return v;
    }
    /* uniform(lo, hi), with every 13th value pushed to ±[20, 100], where exp saturates */
    std::vector<float> with_spikes(size_t n, float lo, float hi) {
        std::vector<float> v = vec(n, lo, hi);
        for (size_t i = 5; i < n; i += 13) v[i] = (index(2) ? 1 : -1) * uniform(20, 100);
        return v;
    }

  private:
    std::mt19937_64 engine_;
};

struct Shape {
    int rows, cols;
};

inline std::vector<Shape> kernel_shapes() {
    std::vector<Shape> shapes;
    for (int rows : {32, 256})
        for (int cols : {784, 100, 30}) shapes.push_back({rows, cols});
    for (int rows : {1, 7, 33})
        for (int cols : {1, 3, 31, 785}) shapes.push_back({rows, cols});
    return shapes;
}

/* The documented launch (256 threads, natural grid), then small blocks and big blocks on capped grids. */
inline std::vector<Launch> launch_configs(cudaStream_t stream) {
    return {Launch{stream, 256, 0}, Launch{stream, 64, 3}, Launch{stream, 1024, 2}};
}

inline std::string describe(Shape s, const Launch& l) {
    return std::to_string(s.rows) + "x" + std::to_string(s.cols) + ", block " + std::to_string(l.block) +
           (l.max_grid ? ", grid <= " + std::to_string(l.max_grid) : "");
}

inline void sync() {
    CUDA_CHECK(cudaGetLastError());
    CUDA_CHECK(cudaDeviceSynchronize());
}

inline void check_activations(Report& report, Rng& rng, Shape s, const Launch& l) {
    const int R = s.rows, C = s.cols;
    for (int act = 0; act < ae4j::ACT_COUNT; act++) {
        const std::string name = ACT_NAMES[act], where = describe(s, l);
        std::vector<float> a = rng.with_spikes((size_t) R * C, -4, 4), b = rng.vec(C, -0.5f, 0.5f);
        DeviceArray<float> a_gpu(a), b_gpu(b);
        ref::bias_act_forward(a.data(), b.data(), R, C, act);
        ae4j::ae4j_bias_act_forward<<<l.elementwise((long long) R * C), l.block, 0, l.stream>>>(
            a_gpu.get(), b_gpu.get(), R, C, act);
        if (act == ae4j::ACT_SOFTMAX)
            ae4j::ae4j_softmax_rows<<<l.per_row(R), l.block, 0, l.stream>>>(a_gpu.get(), R, C);
        sync();
        const Tolerance tol = act == ae4j::ACT_SOFTMAX ? REDUCTION : ELEMENTWISE;
        report.compare("act forward " + name, where, a_gpu.download().data(), a.data(), a.size(), tol);

        /* backward through the CPU's output, so that both sides start from the same a */
        std::vector<float> d = rng.vec((size_t) R * C, -1, 1);
        DeviceArray<float> d_gpu(d), out_gpu(a);
        /* softmax: a ⊙ (d − Σd⊙a) may cancel, so errors are judged against |d| */
        const double scale = act == ae4j::ACT_SOFTMAX ? largest_abs(d.data(), d.size()) : -1;
        ref::act_backward(d.data(), a.data(), R, C, act);
        if (act == ae4j::ACT_SOFTMAX)
            ae4j::ae4j_softmax_backward_rows<<<l.per_row(R), l.block, 0, l.stream>>>(d_gpu.get(), out_gpu.get(), R, C);
        else
            ae4j::ae4j_act_backward<<<l.elementwise((long long) R * C), l.block, 0, l.stream>>>(
                d_gpu.get(), out_gpu.get(), R, C, act);
        sync();
        report.compare("act backward " + name, where, d_gpu.download().data(), d.data(), d.size(), tol, scale);
    }
}

inline void check_bias_grad_and_gather(Report& report, Rng& rng, Shape s, const Launch& l) {
    const int R = s.rows, C = s.cols;
    std::vector<float> dz = rng.vec((size_t) R * C, -1, 1), db(C);
    DeviceArray<float> dz_gpu(dz), db_gpu(std::vector<float>(C, NAN)); /* NaN: the kernel must overwrite */
    ref::bias_grad(db.data(), dz.data(), R, C);
    ae4j::ae4j_bias_grad<<<l.column_tiles(C), l.block, 0, l.stream>>>(db_gpu.get(), dz_gpu.get(), R, C);
    sync();
    report.compare("bias grad", describe(s, l), db_gpu.download().data(), db.data(), db.size(), REDUCTION,
                   max_column_abs_sum(dz.data(), R, C));

    const int source_rows = 3 * R + 5;
    std::vector<float> src = rng.vec((size_t) source_rows * C, -1, 1), dst((size_t) R * C);
    std::vector<int32_t> rows(R);
    for (int32_t& r : rows) r = rng.index(source_rows);
    rows[0] = source_rows - 1;
    rows[R - 1] = 0;
    DeviceArray<float> src_gpu(src), dst_gpu(std::vector<float>(dst.size(), NAN));
    DeviceArray<int32_t> rows_gpu(rows);
    ae4j::gather_rows(dst.data(), src.data(), rows.data(), R, C);
    ae4j::ae4j_gather_rows<<<l.per_row(R), l.block, 0, l.stream>>>(dst_gpu.get(), src_gpu.get(), rows_gpu.get(), R, C);
    sync();
    report.compare("gather rows", describe(s, l), dst_gpu.download().data(), dst.data(), dst.size(), EXACT);
}

struct LossCase {
    const char* name;
    int loss, out_act;
};

/* Targets: pixel-like (many exact 0 and some exact 1) for MSE and BCE; one-hot rows and unnormalised soft rows for
 * CCE. Outputs: logits with spikes when fused; probabilities with exact 0 and 1 and values below ε otherwise. */
inline void loss_inputs(Rng& rng, const LossCase& c, Shape s, std::vector<float>& out, std::vector<float>& y) {
    const size_t n = (size_t) s.rows * s.cols;
    const bool fused = c.out_act != ae4j::ACT_IDENTITY;
    if (c.loss == ae4j::LOSS_CCE) {
        y.assign(n, 0.0f);
        for (int r = 0; r < s.rows; r++) {
            float* row = y.data() + (size_t) r * s.cols;
            if (r % 2 == 0) {
                row[rng.index(s.cols)] = 1.0f;
            } else {
                for (int j = 0; j < s.cols; j++) row[j] = rng.uniform(0, 1);
            }
        }
        out = fused ? rng.with_spikes(n, -5, 5) : rng.vec(n, 0.01f, 1);
        if (!fused)
            for (size_t i = 3; i < n; i += 7) out[i] = 1e-12f; /* q = p / Σp below ε: clipped */
        return;
    }
    y = rng.vec(n, 0, 1);
    for (size_t i = 0; i < n; i++) y[i] = i % 5 < 2 ? 0.0f : i % 10 == 2 ? 1.0f : y[i];
    if (c.loss == ae4j::LOSS_MSE) {
        out = rng.vec(n, -2, 2);
    } else if (fused) {
        out = rng.with_spikes(n, -8, 8);
    } else {
        out = rng.vec(n, 0, 1);
        for (size_t i = 0; i < n; i += 11) out[i] = 0.0f;
        for (size_t i = 6; i < n; i += 13) out[i] = 1.0f;
        for (size_t i = 9; i < n; i += 17) out[i] = 3e-8f; /* below ε */
    }
}

/* How far the CPU's rounded accuracy and accuracy totals may honestly differ from the GPU's: elements within 1e-5
 * of the 0.5 threshold, and rows whose two largest outputs are within 1e-5, may fall either way. */
inline void metric_ambiguity(const std::vector<float>& out, Shape s, double& rounded, double& accuracy) {
    rounded = accuracy = 0;
    for (int r = 0; r < s.rows; r++) {
        const float* row = out.data() + (size_t) r * s.cols;
        int near = 0;
        float first = -INFINITY, second = -INFINITY;
        for (int j = 0; j < s.cols; j++) {
            near += std::fabs(row[j] - 0.5f) < 1e-5f;
            if (row[j] > first) {
                second = first;
                first = row[j];
            } else if (row[j] > second) {
                second = row[j];
            }
        }
        rounded += (double) near / s.cols;
        accuracy += first - second < 1e-5f * std::fmax(1.0f, std::fabs(first));
    }
}

inline void check_losses(Report& report, Rng& rng, Shape s, const Launch& l) {
    static const LossCase cases[] = {
        {"mse", ae4j::LOSS_MSE, ae4j::ACT_IDENTITY},
        {"bce+sigmoid (logits)", ae4j::LOSS_BCE, ae4j::ACT_SIGMOID},
        {"bce (probabilities)", ae4j::LOSS_BCE, ae4j::ACT_IDENTITY},
        {"cce+softmax (logits)", ae4j::LOSS_CCE, ae4j::ACT_SOFTMAX},
        {"cce (probabilities)", ae4j::LOSS_CCE, ae4j::ACT_IDENTITY},
    };
    /* (with dout, rounded slot, accuracy slot): both metrics; evaluation without dout; one metric */
    static const int runs[][3] = {{1, 1, 2}, {0, -1, 3}, {1, 2, -1}};
    const int R = s.rows, C = s.cols;
    for (const LossCase& c : cases) {
        const std::string name = std::string("loss ") + c.name;
        for (const int* run : runs) {
            const bool with_dout = run[0];
            const int rounded_slot = run[1], accuracy_slot = run[2];
            const std::string where = describe(s, l) + (with_dout ? "" : ", dout NULL") + ", slots " +
                                      std::to_string(rounded_slot) + "/" + std::to_string(accuracy_slot);
            std::vector<float> out, y;
            loss_inputs(rng, c, s, out, y);
            std::vector<float> dout((size_t) R * C);
            std::vector<double> totals = {0.25, 1.5, 2.5, 3.5}, initial = totals;
            DeviceArray<float> out_gpu(out), y_gpu(y), dout_gpu(std::vector<float>(dout.size(), NAN));
            DeviceArray<double> totals_gpu(totals);
            ae4j::loss_forward_backward(c.loss, c.out_act, out.data(), y.data(), with_dout ? dout.data() : nullptr, R,
                                        C, totals.data(), rounded_slot, accuracy_slot);
            ae4j::ae4j_loss<<<l.per_row(R), l.block, 0, l.stream>>>(c.loss, c.out_act, out_gpu.get(), y_gpu.get(),
                                                                    with_dout ? dout_gpu.get() : nullptr, R, C,
                                                                    totals_gpu.get(), rounded_slot, accuracy_slot);
            sync();
            report.compare(name + ": out", where, out_gpu.download().data(), out.data(), out.size(), REDUCTION);
            if (with_dout)
                report.compare(name + ": dout", where, dout_gpu.download().data(), dout.data(), dout.size(), REDUCTION);
            const std::vector<double> got = totals_gpu.download();
            report.compare_scalar(name + ": loss total", where, got[0], totals[0], 1e-5 * std::fabs(totals[0]) + 1e-7,
                                  "rtol 1e-05");
            double rounded_slack, accuracy_slack;
            metric_ambiguity(out, s, rounded_slack, accuracy_slack);
            for (int slot = 1; slot < 4; slot++) {
                if (slot == rounded_slot)
                    report.compare_scalar(name + ": rounded accuracy", where, got[slot], totals[slot],
                                          rounded_slack + 1e-9, "exact but elements within 1e-5 of 0.5");
                else if (slot == accuracy_slot)
                    report.compare_scalar(name + ": accuracy", where, got[slot], totals[slot], accuracy_slack + 1e-9,
                                          "exact but rows with a near tie");
                else
                    report.compare_scalar("loss: slots not requested stay", where + ", slot " + std::to_string(slot),
                                          got[slot], initial[slot], 0, "exact");
            }
        }
    }
}

/* Three steps of each optimizer (the state carries over), for P parameters. */
inline void check_optimizers(Report& report, Rng& rng, long long P, const Launch& l) {
    const std::string where =
        "P " + std::to_string(P) + ", block " + std::to_string(l.block) +
        (l.max_grid ? ", grid <= " + std::to_string(l.max_grid) : "");
    const int grid = l.elementwise(P);
    const std::vector<float> p0 = rng.vec(P, -1, 1);
    const double lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-7;

    static const char* const sgd_names[] = {"sgd", "sgd momentum", "sgd nesterov"};
    for (int variant = 0; variant < 3; variant++) {
        std::vector<float> p = p0, v(P, 0.0f);
        DeviceArray<float> p_gpu(p), v_gpu(v), g_gpu(P);
        float* v_cpu = variant ? v.data() : nullptr;
        float* v_dev = variant ? v_gpu.get() : nullptr;
        for (int t = 1; t <= 3; t++) {
            std::vector<float> g = rng.vec(P, -0.1f, 0.1f);
            g_gpu.upload(g);
            ae4j::sgd_step(p.data(), g.data(), v_cpu, P, 0.01f, 0.9f, variant == 2);
            ae4j::ae4j_sgd_step<<<grid, l.block, 0, l.stream>>>(p_gpu.get(), g_gpu.get(), v_dev, P, 0.01f, 0.9f,
                                                                variant == 2);
            sync();
        }
        report.compare(std::string(sgd_names[variant]) + ": p", where, p_gpu.download().data(), p.data(), P,
                       ELEMENTWISE);
        if (variant)
            report.compare(std::string(sgd_names[variant]) + ": v", where, v_gpu.download().data(), v.data(), P,
                           ELEMENTWISE);
    }

    for (int nadam = 0; nadam < 2; nadam++) {
        const std::string name = nadam ? "nadam" : "adam";
        std::vector<float> p = p0, m(P, 0.0f), v(P, 0.0f);
        DeviceArray<float> p_gpu(p), m_gpu(m), v_gpu(v), g_gpu(P);
        double schedule = 1;
        for (int t = 1; t <= 3; t++) {
            std::vector<float> g = rng.vec(P, -0.1f, 0.1f);
            g_gpu.upload(g);
            if (nadam) {
                const double mu_t = ae4j::nadam_mu(beta1, t), mu_next = ae4j::nadam_mu(beta1, t + 1);
                schedule *= mu_t;
                ae4j::nadam_step(p.data(), g.data(), m.data(), v.data(), P, lr, beta1, beta2, eps, t, mu_t, mu_next,
                                 schedule);
                const float g_scale = (float) ((1 - mu_t) / (1 - schedule));
                const float m_scale = (float) (mu_next / (1 - schedule * mu_next));
                const float v_scale = (float) (1 / (1 - std::pow(beta2, (double) t)));
                ae4j::ae4j_nadam_step<<<grid, l.block, 0, l.stream>>>(p_gpu.get(), g_gpu.get(), m_gpu.get(),
                                                                      v_gpu.get(), P, (float) lr, (float) beta1,
                                                                      (float) beta2, (float) eps, g_scale, m_scale,
                                                                      v_scale);
            } else {
                ae4j::adam_step(p.data(), g.data(), m.data(), v.data(), P, lr, beta1, beta2, eps, t);
                const float lr_t = (float) (lr * std::sqrt(1 - std::pow(beta2, (double) t)) /
                                            (1 - std::pow(beta1, (double) t)));
                ae4j::ae4j_adam_step<<<grid, l.block, 0, l.stream>>>(p_gpu.get(), g_gpu.get(), m_gpu.get(),
                                                                     v_gpu.get(), P, lr_t, (float) beta1,
                                                                     (float) beta2, (float) eps);
            }
            sync();
        }
        report.compare(name + ": p", where, p_gpu.download().data(), p.data(), P, ELEMENTWISE);
        report.compare(name + ": m", where, m_gpu.download().data(), m.data(), P, ELEMENTWISE);
        report.compare(name + ": v", where, v_gpu.download().data(), v.data(), P, ELEMENTWISE);
    }

    std::vector<float> p = p0, rms(P, 0.0f);
    DeviceArray<float> p_gpu(p), rms_gpu(rms), g_gpu(P);
    for (int t = 1; t <= 3; t++) {
        std::vector<float> g = rng.vec(P, -0.1f, 0.1f);
        g_gpu.upload(g);
        ae4j::rmsprop_step(p.data(), g.data(), rms.data(), P, 0.001, 0.9, eps);
        ae4j::ae4j_rmsprop_step<<<grid, l.block, 0, l.stream>>>(p_gpu.get(), g_gpu.get(), rms_gpu.get(), P, 0.001f, 0.9f,
                                                                (float) eps);
        sync();
    }
    report.compare("rmsprop: p", where, p_gpu.download().data(), p.data(), P, ELEMENTWISE);
    report.compare("rmsprop: rms", where, rms_gpu.download().data(), rms.data(), P, ELEMENTWISE);
}

/* A device StepState holding a noise seed and step count t, as the CUDA engine keeps them. */
inline DeviceArray<ae4j::StepState> step_state(unsigned long long seed, long long t) {
    ae4j::StepState s{};
    s.noise_seed = seed;
    s.t = t;
    return DeviceArray<ae4j::StepState>(std::vector<ae4j::StepState>{s});
}

/* The noise layers in each phase, keyed as the engines key them (seed, layer 3, step 17), from a first row that
 * is not 0 (a thread's or a chunk's share); the CPU draws its numbers with ae4j::noise_key on the host. */
inline void check_noise_layers(Report& report, Rng& rng, Shape s, const Launch& l) {
    const int R = s.rows, C = s.cols, layer = 3;
    const unsigned long long seed = 0x5eed0123456789abULL;
    const long long step = 17, first_row = 5;
    DeviceArray<ae4j::StepState> state = step_state(seed, step);
    for (int phase = ae4j::PHASE_TRAIN; phase <= ae4j::PHASE_PREDICT; phase++) {
        const uint64_t key = ae4j::noise_key(seed, layer, phase, step);
        const std::string where = describe(s, l) + ", phase " + std::to_string(phase);
        const int n_grid = l.elementwise((long long) R * C);

        std::vector<float> x = rng.vec((size_t) R * C, -1, 1), out(x.size());
        DeviceArray<float> x_gpu(x), out_gpu(std::vector<float>(x.size(), NAN));
        ae4j::gaussian_noise_forward(out.data(), x.data(), R, C, 0.2, key, first_row);
        ae4j::ae4j_gaussian_noise<<<n_grid, l.block, 0, l.stream>>>(out_gpu.get(), x_gpu.get(), R, C, 0.2f, state.get(),
                                                                    layer, phase, first_row);
        sync();
        report.compare("gaussian noise", where, out_gpu.download().data(), out.data(), out.size(), ELEMENTWISE);

        for (double rate : {0.5, 0.1}) {
            const float scale = (float) (1 / (1 - rate));
            ae4j::dropout_forward(out.data(), x.data(), R, C, rate, key, first_row);
            ae4j::ae4j_dropout<<<n_grid, l.block, 0, l.stream>>>(out_gpu.get(), x_gpu.get(), R, C, ae4j::dropout_threshold(rate),
                                                                 scale, state.get(), layer, phase, first_row);
            sync();
            report.compare("dropout", where + ", rate " + std::to_string(rate), out_gpu.download().data(), out.data(),
                           out.size(), EXACT);
            ae4j::dropout_backward(out.data(), x.data(), R, C, rate, key, first_row);
            report.compare("dropout backward = forward's mask", where, out_gpu.download().data(), out.data(), out.size(),
                           EXACT);
        }

        /* Sampling: k = C codings from 2C inputs, log-variances in [−4, 2] */
        std::vector<float> codings = rng.vec((size_t) R * 2 * C, -2, 2);
        for (int r = 0; r < R; r++)
            for (int j = 0; j < C; j++) codings[(size_t) r * 2 * C + C + j] = rng.uniform(-4, 2);
        std::vector<float> sample((size_t) R * C), dout = rng.vec((size_t) R * C, -1, 1), dx(codings.size());
        std::vector<double> totals = {0.25};
        DeviceArray<float> codings_gpu(codings), sample_gpu(sample.size()), dout_gpu(dout), dx_gpu(dx.size());
        DeviceArray<double> totals_gpu(totals);
        const double weight = 1.0 / 784;
        ae4j::sampling_forward(sample.data(), codings.data(), R, C, weight, key, first_row, totals.data());
        ae4j::ae4j_sampling_forward<<<n_grid, l.block, 0, l.stream>>>(sample_gpu.get(), codings_gpu.get(), R, C, weight,
                                                                      state.get(), layer, phase, first_row, totals_gpu.get());
        sync();
        report.compare("sampling forward", where, sample_gpu.download().data(), sample.data(), sample.size(), ELEMENTWISE);
        report.compare_scalar("sampling: latent loss total", where, totals_gpu.download()[0], totals[0],
                              1e-5 * std::fabs(totals[0]) + 1e-9, "rtol 1e-05");
        const int batch_rows = R + 3; /* a share of a larger batch */
        ae4j::sampling_backward(dx.data(), dout.data(), codings.data(), R, C, weight, key, first_row, batch_rows);
        ae4j::ae4j_sampling_backward<<<n_grid, l.block, 0, l.stream>>>(dx_gpu.get(), dout_gpu.get(), codings_gpu.get(), R, C,
                                                                       (float) (weight / batch_rows), state.get(), layer,
                                                                       phase, first_row);
        sync();
        report.compare("sampling backward", where, dx_gpu.download().data(), dx.data(), dx.size(), ELEMENTWISE);
    }
}

/* L1 and KL activity regularizers of a sigmoid-like output a in (0, 1) (L1 also of signed values, zeros included). */
inline void check_regularizers(Report& report, Rng& rng, Shape s, const Launch& l) {
    const int R = s.rows, C = s.cols, batch_rows = R + 2;
    const std::string where = describe(s, l);
    const int n_grid = l.elementwise((long long) R * C);
    std::vector<float> a = rng.vec((size_t) R * C, -1, 1);
    for (size_t i = 0; i < a.size(); i += 9) a[i] = 0.0f;
    std::vector<float> da = rng.vec(a.size(), -0.01f, 0.01f);
    std::vector<double> totals = {0.5};
    DeviceArray<float> a_gpu(a), da_gpu(da);
    DeviceArray<double> totals_gpu(totals);
    totals[0] += ae4j::l1_activity_loss(a.data(), R, C, 1e-3);
    ae4j::l1_activity_backward(da.data(), a.data(), R, C, 1e-3, batch_rows);
    ae4j::ae4j_l1_activity<<<n_grid, l.block, 0, l.stream>>>(a_gpu.get(), da_gpu.get(), R, C, 1e-3, batch_rows,
                                                             totals_gpu.get());
    sync();
    report.compare("l1 activity: da", where, da_gpu.download().data(), da.data(), da.size(), ELEMENTWISE);
    report.compare_scalar("l1 activity: loss total", where, totals_gpu.download()[0], totals[0],
                          1e-9 * std::fabs(totals[0]) + 1e-12, "rtol 1e-09 (double sums)");

    /* sigmoid outputs; some columns saturated at exactly 0 and 1, where Keras's clips stop the gradient */
    std::vector<float> p = rng.vec((size_t) R * C, 0.01f, 0.4f);
    for (int r = 0; r < R; r++) {
        if (C > 1) p[(size_t) r * C + 1] = 0.0f;
        if (C > 2) p[(size_t) r * C + 2] = 1.0f;
    }
    std::vector<double> sums(C);
    DeviceArray<float> p_gpu(p);
    DeviceArray<double> sums_gpu(std::vector<double>(C, NAN));
    ae4j::column_sums(sums.data(), p.data(), R, C);
    ae4j::ae4j_column_sums<<<l.column_tiles(C), l.block, 0, l.stream>>>(sums_gpu.get(), p_gpu.get(), R, C);
    sync();
    const std::vector<double> got_sums = sums_gpu.download();
    double worst = 0;
    for (int j = 0; j < C; j++) worst = std::fmax(worst, std::fabs(got_sums[j] - sums[j]));
    report.compare_scalar("column sums (double)", where, worst, 0, 1e-9 * R, "atol 1e-09 x rows");

    std::vector<float> dp = rng.vec(p.size(), -0.01f, 0.01f);
    std::vector<double> kl_totals = {0.5};
    DeviceArray<float> dp_gpu(dp);
    DeviceArray<double> kl_totals_gpu(kl_totals);
    kl_totals[0] += ae4j::kl_activity_loss(sums.data(), C, R, 0.05, 0.1);
    ae4j::kl_activity_backward(dp.data(), R, C, sums.data(), R, 0.05, 0.1);
    ae4j::ae4j_kl_activity<<<n_grid, l.block, 0, l.stream>>>(dp_gpu.get(), R, C, sums_gpu.get(), R, 0.05, 0.1,
                                                             kl_totals_gpu.get());
    sync();
    report.compare("kl activity: da", where, dp_gpu.download().data(), dp.data(), dp.size(), ELEMENTWISE);
    report.compare_scalar("kl activity: loss total", where, kl_totals_gpu.download()[0], kl_totals[0],
                          1e-9 * std::fabs(kl_totals[0]) + 1e-12, "rtol 1e-09 (double)");
}

struct DenseShape {
    int B, I, O;
};

/* One dense layer, forward then backward, on the GPU (GEMM + kernels) and the CPU, from the same inputs. */
inline void check_dense(Report& report, Rng& rng, Gemm& gemm, const Launch& l, DenseShape s, int transpose_w, int act,
                        int accumulate_w, bool first_layer) {
    const int B = s.B, I = s.I, O = s.O;
    const std::string w_name = transpose_w ? "Wt" : "W";
    const std::string where = std::to_string(B) + "x" + std::to_string(I) + "->" + std::to_string(O) + ", " +
                              ACT_NAMES[act] + (accumulate_w ? ", accumulate" : "") + (first_layer ? ", dx NULL" : "");
    const float limit = std::sqrt(6.0f / (I + O)); /* Glorot uniform */
    std::vector<float> x = rng.vec((size_t) B * I, 0, 1), w = rng.vec((size_t) I * O, -limit, limit),
                       b = rng.vec(O, -0.1f, 0.1f), out((size_t) B * O);
    DeviceArray<float> x_gpu(x), w_gpu(w), b_gpu(b), out_gpu(out.size());
    ae4j::dense_forward(out.data(), x.data(), w.data(), b.data(), B, I, O, transpose_w, act);
    dense_forward(gemm, l, out_gpu.get(), x_gpu.get(), w_gpu.get(), b_gpu.get(), B, I, O, transpose_w, act);
    sync();
    report.compare("dense forward " + w_name + ": out", where, out_gpu.download().data(), out.data(), out.size(),
                   DENSE);

    std::vector<float> dout = rng.vec((size_t) B * O, -1, 1), dw = rng.vec((size_t) I * O, -0.1f, 0.1f), db(O),
                       dx((size_t) B * I);
    DeviceArray<float> dout_gpu(dout), dw_gpu(dw), db_gpu(db.size()), dx_gpu(dx.size()), out_cpu_gpu(out);
    const double dz_scale = act == ae4j::ACT_SOFTMAX ? largest_abs(dout.data(), dout.size()) : -1;
    ae4j::dense_backward(first_layer ? nullptr : dx.data(), dw.data(), db.data(), dout.data(), x.data(), out.data(),
                         w.data(), B, I, O, transpose_w, act, accumulate_w);
    dense_backward(gemm, l, first_layer ? nullptr : dx_gpu.get(), dw_gpu.get(), db_gpu.get(), dout_gpu.get(),
                   x_gpu.get(), out_cpu_gpu.get(), w_gpu.get(), B, I, O, transpose_w, act, accumulate_w);
    sync();
    const std::string group = "dense backward " + w_name + ": ";
    report.compare(group + "dz", where, dout_gpu.download().data(), dout.data(), dout.size(), DENSE, dz_scale);
    report.compare(group + "db", where, db_gpu.download().data(), db.data(), db.size(), DENSE,
                   max_column_abs_sum(dout.data(), B, O));
    report.compare(group + "dW", where, dw_gpu.download().data(), dw.data(), dw.size(), DENSE);
    if (!first_layer) report.compare(group + "dx", where, dx_gpu.download().data(), dx.data(), dx.size(), DENSE);
}

inline void check_kernels(Report& report, Gemm& gemm, cudaStream_t stream) {
    Rng rng(20240917);
    for (const Launch& l : launch_configs(stream)) {
        for (Shape s : kernel_shapes()) {
            check_activations(report, rng, s, l);
            check_bias_grad_and_gather(report, rng, s, l);
            check_losses(report, rng, s, l);
            check_noise_layers(report, rng, s, l);
            check_regularizers(report, rng, s, l);
        }
        for (long long P : {1LL, 31LL, 1000LL, 163814LL}) check_optimizers(report, rng, P, l);
    }
    const DenseShape dense_shapes[] = {{32, 784, 100}, {32, 100, 30},  {32, 30, 100},  {32, 100, 784},
                                       {256, 784, 100}, {256, 100, 30}, {256, 30, 100}, {256, 100, 784},
                                       {1, 785, 33},    {7, 31, 3},     {33, 3, 1},     {33, 785, 31},
                                       {7, 1, 785}};
    const Launch natural{stream, 256, 0};
    for (DenseShape s : dense_shapes)
        for (int transpose_w = 0; transpose_w < 2; transpose_w++) {
            for (int act = 0; act < ae4j::ACT_COUNT; act++)
                for (int accumulate_w = 0; accumulate_w < 2; accumulate_w++)
                    check_dense(report, rng, gemm, natural, s, transpose_w, act, accumulate_w, false);
            check_dense(report, rng, gemm, natural, s, transpose_w, ae4j::ACT_SELU, 0, true); /* first layer */
        }
}

}  // namespace kit
