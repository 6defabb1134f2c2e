/*
 * step_profile.cu — where a training step of the CUDA engine (native/cuda/engine/engine.cuh) spends its time, node by
 * node (and the whole step against the cuBLAS step it replaces): the book's stacked autoencoder (784-100-30-100-784,
 * SELU, sigmoid + binary cross-entropy, SGD 1.5) at batch 32 and 256. The step is captured as the engine captures it;
 * the whole graph is timed as the engine replays it, then each of its nodes alone (its own graph, the node chained 64
 * times, replayed; median of 5). The sum of the nodes against the whole step, and which nodes cost most, say what to
 * fuse first.
 * Not here: correctness (engine_check, validate); the numbers are times only (replaying a node alone repeats its
 * side effects: the parameters drift and the step counter runs on, which changes no kernel's work).
 * Usage: step_profile. Exit status: 0 done, 1 CUDA failed, 2 no usable GPU.
 */
#include <cxxabi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "../engine/engine.cuh"
#include "graph_timing.h"
#include "plan_builder.h"

namespace {

using ae4j::gpu::Context;
using ae4j::gpu::DeviceMatrix;
using ae4j::gpu::Engine;

constexpr int PIXELS = 784, ROWS = 16384, CHAIN = 64, REPEATS = 5;

using kit::check;

/* Node `node` of `step` alone, as a graph of CHAIN copies in a chain (child graphs keep every launch attribute). */
cudaGraphExec_t chain_of(cudaGraph_t step, cudaGraphNode_t node) {
    cudaGraph_t single;
    check(cudaGraphClone(&single, step), "cudaGraphClone");
    cudaGraphNode_t kept;
    check(cudaGraphNodeFindInClone(&kept, node, single), "cudaGraphNodeFindInClone");
    size_t n = 0;
    check(cudaGraphGetNodes(single, nullptr, &n), "cudaGraphGetNodes");
    std::vector<cudaGraphNode_t> nodes(n);
    check(cudaGraphGetNodes(single, nodes.data(), &n), "cudaGraphGetNodes");
    for (cudaGraphNode_t other : nodes)
        if (other != kept) check(cudaGraphDestroyNode(other), "cudaGraphDestroyNode");
    cudaGraph_t chain;
    check(cudaGraphCreate(&chain, 0), "cudaGraphCreate");
    cudaGraphNode_t previous = nullptr;
    for (int i = 0; i < CHAIN; i++) {
        cudaGraphNode_t next;
        check(cudaGraphAddChildGraphNode(&next, chain, previous ? &previous : nullptr, previous ? 1 : 0, single),
              "cudaGraphAddChildGraphNode");
        previous = next;
    }
    cudaGraphExec_t exec;
    check(cudaGraphInstantiateWithFlags(&exec, chain, 0), "cudaGraphInstantiate");
    cudaGraphDestroy(chain);
    cudaGraphDestroy(single);
    return exec;
}

std::string describe(cudaGraphNode_t node) {
    cudaGraphNodeType type;
    check(cudaGraphNodeGetType(node, &type), "cudaGraphNodeGetType");
    char text[160];
    if (type == cudaGraphNodeTypeKernel) {
        cudaKernelNodeParams p{};
        if (cudaGraphKernelNodeGetParams(node, &p) != cudaSuccess) { /* a kernel of a library's own module */
            cudaGetLastError();
            return "(a cuBLAS kernel)";
        }
        const char* name = nullptr;
        if (cudaFuncGetName(&name, p.func) != cudaSuccess || !name) {
            cudaGetLastError();
            name = "(a library kernel)";
        }
        /* fused.cuh's kernels are templates: their C++ names say which (forward<2, 8, false>) */
        int status = 0;
        std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(name, nullptr, nullptr, &status), std::free);
        std::string readable = status == 0 && demangled ? demangled.get() : name;
        readable = readable.substr(0, readable.find('('));
        if (readable.rfind("void ", 0) == 0) readable = readable.substr(5);
        std::snprintf(text, sizeof text, "%-48.48s grid %4u x%2u, block %4u", readable.c_str(), p.gridDim.x, p.gridDim.y,
                      p.blockDim.x);
    } else if (type == cudaGraphNodeTypeMemset) {
        std::snprintf(text, sizeof text, "memset");
    } else if (type == cudaGraphNodeTypeMemcpy) {
        std::snprintf(text, sizeof text, "memcpy");
    } else {
        std::snprintf(text, sizeof text, "node of type %d", (int) type);
    }
    return text;
}

void profile(const ae4j::Plan& plan, const std::vector<float>& params, const DeviceMatrix& x, const std::vector<int32_t>& order,
             int batch) {
    std::vector<float> zeros(params.size(), 0.0f);
    Engine engine(plan, params.data(), zeros.data());
    cudaStream_t stream = Context::get().stream;
    auto restart = [&] { /* the step state back to an epoch's first step, so every gather reads inside the data */
        engine.use_graphs(false);
        engine.begin_epoch(order.data(), (int) order.size());
        engine.train_step(x, x, batch);
        engine.synchronize();
    };

    /* the step as fit runs it: graphs replayed, timed over 200 steps */
    auto replay = [&] {
        engine.use_graphs(true);
        engine.begin_epoch(order.data(), (int) order.size());
        for (int i = 0; i < 20; i++) engine.train_step(x, x, batch);
        engine.synchronize();
        const int steps = std::min(200, ROWS / batch - 20);
        cudaEvent_t start, stop;
        check(cudaEventCreate(&start), "cudaEventCreate");
        check(cudaEventCreate(&stop), "cudaEventCreate");
        check(cudaEventRecord(start, stream), "cudaEventRecord");
        for (int i = 0; i < steps; i++) engine.train_step(x, x, batch);
        check(cudaEventRecord(stop, stream), "cudaEventRecord");
        check(cudaEventSynchronize(stop), "cudaEventSynchronize");
        float ms = 0;
        check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
        cudaEventDestroy(start);
        cudaEventDestroy(stop);
        return 1000.0 * ms / steps;
    };
    engine.use_fused(false);
    const double cublas_step = replay();
    engine.use_fused(true);
    const double replayed = replay();

    /* the same step captured from outside the engine, as its nodes */
    restart();
    cudaGraph_t step;
    check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
    engine.train_step(x, x, batch);
    check(cudaStreamEndCapture(stream, &step), "cudaStreamEndCapture");
    size_t n = 0;
    check(cudaGraphGetNodes(step, nullptr, &n), "cudaGraphGetNodes");
    std::vector<cudaGraphNode_t> nodes(n);
    check(cudaGraphGetNodes(step, nodes.data(), &n), "cudaGraphGetNodes");

    std::printf("\nbatch %d: %zu graph nodes; the whole step as the engine replays it: %.1f us (%s; the cuBLAS step: "
                "%.1f us)\n", batch, n, replayed, engine.fused() ? "fused" : "not fused", cublas_step);
    std::printf("%4s  %-78s %8s\n", "node", "what", "us alone");
    double sum = 0;
    std::vector<std::pair<double, size_t>> costs;
    for (size_t i = 0; i < n; i++) {
        restart();
        cudaGraphExec_t exec = chain_of(step, nodes[i]);
        const double us = kit::median_graph_us(exec, stream, CHAIN, REPEATS);
        cudaGraphExecDestroy(exec);
        sum += us;
        costs.push_back({us, i});
        std::printf("%4zu  %-78s %8.2f\n", i, describe(nodes[i]).c_str(), us);
    }
    std::sort(costs.rbegin(), costs.rend());
    std::printf("sum of the nodes alone: %.1f us (the whole step: %.1f us); costliest: node %zu %.2f, node %zu %.2f, "
                "node %zu %.2f\n", sum, replayed, costs[0].second, costs[0].first, costs[1].second, costs[1].first,
                costs[2].second, costs[2].first);
    cudaGraphDestroy(step);
}

}  // namespace

int main() {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        std::printf("step_profile: no usable GPU\n");
        return 2;
    }
    try {
        using namespace ae4j;
        PlanBuilder builder(PIXELS);
        builder.dense(100, ACT_SELU).dense(30, ACT_SELU).dense(100, ACT_SELU).dense(PIXELS, ACT_SIGMOID);
        std::vector<int64_t> ints;
        std::vector<double> reals;
        builder.encode(OPT_SGD, 1.5, ints, reals);
        Plan plan;
        char error[256];
        if (const char* problem = decode_plan(ints.data(), (int) ints.size(), reals.data(), (int) reals.size(), &plan, error,
                                              sizeof error)) {
            std::printf("step_profile: bad plan: %s\n", problem);
            return 1;
        }
        std::mt19937_64 rng(42);
        const std::vector<float> params = builder.initial_params(rng);
        std::vector<float> data((size_t) ROWS * PIXELS);
        std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
        for (float& v : data) v = pixel(rng);
        std::vector<int32_t> order(ROWS);
        for (int i = 0; i < ROWS; i++) order[i] = i;
        std::shuffle(order.begin(), order.end(), rng);
        const DeviceMatrix x = Engine::upload(data.data(), ROWS, PIXELS);
        cudaDeviceProp prop{};
        cudaGetDeviceProperties(&prop, 0);
        std::printf("step_profile: %s (compute capability %d.%d); the stacked autoencoder, SGD; each node alone is the "
                    "median of %d replays of %d copies in a chain\n", prop.name, prop.major, prop.minor, REPEATS, CHAIN);
        for (int batch : {32, 256}) profile(plan, params, x, order, batch);
        return 0;
    } catch (const std::exception& e) {
        std::printf("step_profile: CUDA failed: %s\n", e.what());
        return 1;
    }
}
