/*
 * bench.cuh — a full training step of the book's stacked autoencoder 784-100-30-100-784 (SELU; sigmoid output fused
 * with BCE; SGD) on the GPU, as the Java CUDA backend runs it: gather the batch from a device-resident dataset,
 * 4 dense layers forward, the loss (with the rounded-accuracy metric), 4 layers backward, one SGD step over the flat
 * parameter vector. Checked once against the same step on the CPU kernels and between its two launch modes (plain
 * stream launches and a captured CUDA graph), then timed in both modes.
 */
#pragma once
#include <algorithm>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "checks.cuh"

namespace kit {

constexpr int AE_LAYERS = 4;
constexpr int AE_DIMS[AE_LAYERS + 1] = {784, 100, 30, 100, 784};
/* The last layer outputs logits: its sigmoid is fused into the BCE loss, which hands back ∂L/∂logits. */
constexpr int AE_ACTS[AE_LAYERS] = {ae4j::ACT_SELU, ae4j::ACT_SELU, ae4j::ACT_SELU, ae4j::ACT_IDENTITY};
constexpr int DATASET_ROWS = 55000;
constexpr float AE_LR = 1.5f; /* the book's SGD(learning_rate=1.5) */

/* Offsets of W_l [in,out] and b_l [out] in the flat parameter (and gradient) vector. */
struct AeLayout {
    size_t w[AE_LAYERS], b[AE_LAYERS], total = 0;
    AeLayout() {
        for (int l = 0; l < AE_LAYERS; l++) {
            w[l] = total;
            total += (size_t) AE_DIMS[l] * AE_DIMS[l + 1];
            b[l] = total;
            total += AE_DIMS[l + 1];
        }
    }
};

inline std::vector<float> ae_initial_params(Rng& rng) {
    AeLayout layout;
    std::vector<float> params(layout.total);
    for (int l = 0; l < AE_LAYERS; l++) {
        const int in = AE_DIMS[l], out = AE_DIMS[l + 1];
        const float limit = std::sqrt(6.0f / (in + out));
        for (size_t i = 0; i < (size_t) in * out; i++) params[layout.w[l] + i] = rng.uniform(-limit, limit);
        for (int j = 0; j < out; j++) params[layout.b[l] + j] = rng.uniform(-0.01f, 0.01f);
    }
    return params;
}

/* The model's buffers for one batch size on the GPU; step() only enqueues work, so it can be graph-captured. */
struct GpuAutoencoder {
    int batch;
    AeLayout layout;
    DeviceArray<float> params, grads, x;
    DeviceArray<double> totals;                             /* [0] loss, [1] rounded accuracy, summed over steps */
    std::vector<std::unique_ptr<DeviceArray<float>>> a, d; /* layer outputs and ∂L/∂(outputs) */

    GpuAutoencoder(int batch, const std::vector<float>& initial)
        : batch(batch), params(initial), grads(initial.size()), x((size_t) batch * AE_DIMS[0]), totals(2) {
        for (int k = 0; k < AE_LAYERS; k++) {
            a.emplace_back(new DeviceArray<float>((size_t) batch * AE_DIMS[k + 1]));
            d.emplace_back(new DeviceArray<float>((size_t) batch * AE_DIMS[k + 1]));
        }
        CUDA_CHECK(cudaMemset(totals.get(), 0, 2 * sizeof(double)));
    }

    void step(Gemm& gemm, const Launch& l, const float* dataset, const int32_t* rows) {
        const int B = batch;
        float* p = params.get();
        float* g = grads.get();
        ae4j::ae4j_gather_rows<<<l.per_row(B), l.block, 0, l.stream>>>(x.get(), dataset, rows, B, AE_DIMS[0]);
        const float* in = x.get();
        for (int k = 0; k < AE_LAYERS; k++) {
            dense_forward(gemm, l, a[k]->get(), in, p + layout.w[k], p + layout.b[k], B, AE_DIMS[k], AE_DIMS[k + 1], 0,
                          AE_ACTS[k]);
            in = a[k]->get();
        }
        ae4j::ae4j_loss<<<l.per_row(B), l.block, 0, l.stream>>>(ae4j::LOSS_BCE, ae4j::ACT_SIGMOID, a[3]->get(), x.get(),
                                                                d[3]->get(), B, AE_DIMS[4], totals.get(), 1, -1);
        for (int k = AE_LAYERS - 1; k >= 0; k--)
            dense_backward(gemm, l, k ? d[k - 1]->get() : nullptr, g + layout.w[k], g + layout.b[k], d[k]->get(),
                           k ? a[k - 1]->get() : x.get(), a[k]->get(), p + layout.w[k], B, AE_DIMS[k], AE_DIMS[k + 1],
                           0, AE_ACTS[k], 0);
        const long long P = (long long) layout.total;
        ae4j::ae4j_sgd_step<<<l.elementwise(P), l.block, 0, l.stream>>>(p, g, nullptr, P, AE_LR, 0.0f, 0);
        CUDA_CHECK(cudaGetLastError());
    }
};

/* The same step on the CPU kernels: returns the loss and leaves the gradients in grads, the new params in params. */
inline double cpu_step(int B, std::vector<float>& params, std::vector<float>& grads, const std::vector<float>& dataset,
                       const std::vector<int32_t>& rows) {
    AeLayout layout;
    std::vector<float> x((size_t) B * AE_DIMS[0]);
    std::vector<std::vector<float>> a(AE_LAYERS), d(AE_LAYERS);
    ae4j::gather_rows(x.data(), dataset.data(), rows.data(), B, AE_DIMS[0]);
    const float* in = x.data();
    for (int k = 0; k < AE_LAYERS; k++) {
        a[k].resize((size_t) B * AE_DIMS[k + 1]);
        d[k].resize(a[k].size());
        ae4j::dense_forward(a[k].data(), in, &params[layout.w[k]], &params[layout.b[k]], B, AE_DIMS[k], AE_DIMS[k + 1],
                            0, AE_ACTS[k]);
        in = a[k].data();
    }
    double totals[2] = {0, 0};
    ae4j::loss_forward_backward(ae4j::LOSS_BCE, ae4j::ACT_SIGMOID, a[3].data(), x.data(), d[3].data(), B, AE_DIMS[4],
                                totals, 1, -1);
    for (int k = AE_LAYERS - 1; k >= 0; k--)
        ae4j::dense_backward(k ? d[k - 1].data() : nullptr, &grads[layout.w[k]], &grads[layout.b[k]], d[k].data(),
                             k ? a[k - 1].data() : x.data(), a[k].data(), &params[layout.w[k]], B, AE_DIMS[k],
                             AE_DIMS[k + 1], 0, AE_ACTS[k], 0);
    ae4j::sgd_step(params.data(), grads.data(), nullptr, (int64_t) params.size(), AE_LR, 0.0f, 0);
    return totals[0];
}

/* A captured CUDA graph of one step, on the batch rows given at capture time. */
class StepGraph {
  public:
    StepGraph(GpuAutoencoder& model, Gemm& gemm, const Launch& l, const float* dataset, const int32_t* rows)
        : stream_(l.stream) {
        CUDA_CHECK(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
        model.step(gemm, l, dataset, rows);
        CUDA_CHECK(cudaStreamEndCapture(stream_, &graph_));
        CUDA_CHECK(cudaGraphGetNodes(graph_, nullptr, &nodes_));
        CUDA_CHECK(cudaGraphInstantiate(&exec_, graph_, 0));
    }
    ~StepGraph() {
        cudaGraphExecDestroy(exec_);
        cudaGraphDestroy(graph_);
    }
    StepGraph(const StepGraph&) = delete;
    StepGraph& operator=(const StepGraph&) = delete;

    void launch() { CUDA_CHECK(cudaGraphLaunch(exec_, stream_)); }
    size_t nodes() const { return nodes_; }

  private:
    cudaStream_t stream_;
    cudaGraph_t graph_ = nullptr;
    cudaGraphExec_t exec_ = nullptr;
    size_t nodes_ = 0;
};

/* The dataset (uniform pixels in [0, 1]) on the host and the device, and a permutation of its rows. */
struct Dataset {
    std::vector<float> host;
    std::vector<int32_t> order;
    std::unique_ptr<DeviceArray<float>> device;
    std::unique_ptr<DeviceArray<int32_t>> device_order;

    explicit Dataset(Rng& rng) : host((size_t) DATASET_ROWS * AE_DIMS[0]), order(DATASET_ROWS) {
        uint32_t state = 12345; /* a cheap LCG: 43 M values */
        for (float& v : host) v = ((state = state * 1664525u + 1013904223u) >> 8) * (1.0f / 16777216.0f);
        for (int i = 0; i < DATASET_ROWS; i++) order[i] = i;
        for (int i = DATASET_ROWS - 1; i > 0; i--) std::swap(order[i], order[rng.index(i + 1)]);
        device.reset(new DeviceArray<float>(host));
        device_order.reset(new DeviceArray<int32_t>(order));
    }
};

/* One step from the same start on the GPU (stream launches and graph) and on the CPU. */
inline void check_train_step(Report& report, Gemm& gemm, cudaStream_t stream, const Dataset& data,
                             const std::vector<float>& params0, int B) {
    const Launch l{stream, 256, 0};
    const std::string where = "batch " + std::to_string(B);
    GpuAutoencoder model(B, params0);
    model.step(gemm, l, data.device->get(), data.device_order->get());
    CUDA_CHECK(cudaStreamSynchronize(stream));
    const std::vector<float> gpu_params = model.params.download(), gpu_grads = model.grads.download();
    const double gpu_loss = model.totals.download()[0];

    std::vector<float> params = params0, grads(params0.size());
    std::vector<int32_t> rows(data.order.begin(), data.order.begin() + B);
    const double loss = cpu_step(B, params, grads, data.host, rows);
    report.compare("train step vs CPU: gradients", where, gpu_grads.data(), grads.data(), grads.size(), TRAIN_STEP);
    report.compare("train step vs CPU: params", where, gpu_params.data(), params.data(), params.size(), TRAIN_STEP);
    report.compare_scalar("train step vs CPU: loss", where, gpu_loss, loss, 1e-4 * std::fabs(loss), "rtol 1e-04");

    model.params.upload(params0);
    CUDA_CHECK(cudaDeviceSynchronize());
    StepGraph graph(model, gemm, l, data.device->get(), data.device_order->get());
    graph.launch();
    CUDA_CHECK(cudaStreamSynchronize(stream));
    report.compare("train step: CUDA graph vs stream launches", where, model.params.download().data(),
                   gpu_params.data(), gpu_params.size(), EXACT);
}

struct Timing {
    double median_us, mean_us;
};

/* Enqueues `warmup` then `steps` steps on the stream; per-step times from events between consecutive steps. */
inline Timing time_steps(cudaStream_t stream, int warmup, int steps, const std::function<void(int)>& enqueue) {
    for (int i = 0; i < warmup; i++) enqueue(i);
    std::vector<cudaEvent_t> events(steps + 1);
    for (cudaEvent_t& e : events) CUDA_CHECK(cudaEventCreate(&e));
    for (int i = 0; i < steps; i++) {
        CUDA_CHECK(cudaEventRecord(events[i], stream));
        enqueue(warmup + i);
    }
    CUDA_CHECK(cudaEventRecord(events[steps], stream));
    CUDA_CHECK(cudaEventSynchronize(events[steps]));
    std::vector<double> us(steps);
    for (int i = 0; i < steps; i++) {
        float ms = 0;
        CUDA_CHECK(cudaEventElapsedTime(&ms, events[i], events[i + 1]));
        us[i] = 1000.0 * ms;
    }
    float total_ms = 0;
    CUDA_CHECK(cudaEventElapsedTime(&total_ms, events[0], events[steps]));
    for (cudaEvent_t e : events) cudaEventDestroy(e);
    std::nth_element(us.begin(), us.begin() + steps / 2, us.end());
    return Timing{us[steps / 2], 1000.0 * total_ms / steps};
}

inline void bench_train_step(Gemm& gemm, cudaStream_t stream, const Dataset& data, const std::vector<float>& params0) {
    const int warmup = 50, steps = 500;
    std::printf("\nTraining step of the stacked autoencoder 784-100-30-100-784 (SELU, sigmoid+BCE, SGD lr %.1f), "
                "dataset %d x %d on the device; median of %d steps after %d warm-up steps\n",
                AE_LR, DATASET_ROWS, AE_DIMS[0], steps, warmup);
    std::printf("%6s  %-28s %14s %14s %22s\n", "batch", "launch", "median us/step", "mean us/step",
                "s/epoch (55,000 img)");
    const Launch l{stream, 256, 0};
    for (int B : {32, 256}) {
        GpuAutoencoder model(B, params0);
        const int batches = DATASET_ROWS / B;
        const int steps_per_epoch = (DATASET_ROWS + B - 1) / B;
        const int32_t* order = data.device_order->get();
        Timing plain = time_steps(stream, warmup, steps, [&](int i) {
            model.step(gemm, l, data.device->get(), order + (size_t) (i % batches) * B);
        });
        StepGraph graph(model, gemm, l, data.device->get(), order);
        Timing graphed = time_steps(stream, warmup, steps, [&](int) { graph.launch(); });
        const std::string graph_name = "CUDA graph (" + std::to_string(graph.nodes()) + " nodes)";
        std::printf("%6d  %-28s %14.1f %14.1f %22.3f\n", B, "stream launches", plain.median_us, plain.mean_us,
                    plain.median_us * steps_per_epoch * 1e-6);
        std::printf("%6d  %-28s %14.1f %14.1f %22.3f\n", B, graph_name.c_str(), graphed.median_us, graphed.mean_us,
                    graphed.median_us * steps_per_epoch * 1e-6);
    }
    std::printf("(the graph replays one captured batch; a training loop would point its gather node at each batch)\n");
}

}  // namespace kit
