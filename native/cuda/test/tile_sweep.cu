/*
 * tile_sweep.cu — every shape of the fused step's product tile (native/cuda/engine/fused.cuh) timed on the products
 * of the book's stacked and tied autoencoders, at batch 32 and 256, against the shape fused::choose_shape picks; and
 * the weight-gradient tiles of the same layers. What choose_shape's rule is calibrated on.
 * Each kernel is timed alone: a graph of CHAIN launches in a chain, replayed; median of REPEATS, µs per launch.
 * Every shape's result must match the fewest-rows shape's within float rounding (they differ only in the order of
 * their sums); the steps themselves are checked by engine_check.
 * Usage: tile_sweep. Exit status: 0 done, 1 a shape disagreed or CUDA failed, 2 no usable GPU.
 */
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "../engine/fused.cuh"
#include "graph_timing.h"

namespace {

namespace fused = ae4j::gpu::fused;

constexpr int CHAIN = 32, REPEATS = 5, MAX_ROWS = 256, MAX_WIDTH = 1024;

using kit::check;

/* µs per launch of enqueue(), captured CHAIN times in a graph and replayed (median of REPEATS). */
template <typename Enqueue>
double time_launches(cudaStream_t stream, Enqueue enqueue) {
    cudaGraph_t graph;
    check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
    for (int i = 0; i < CHAIN; i++) check(enqueue(), "a launch");
    check(cudaStreamEndCapture(stream, &graph), "cudaStreamEndCapture");
    cudaGraphExec_t exec;
    check(cudaGraphInstantiateWithFlags(&exec, graph, 0), "cudaGraphInstantiate");
    cudaGraphDestroy(graph);
    const double us = kit::median_graph_us(exec, stream, CHAIN, REPEATS);
    cudaGraphExecDestroy(exec);
    return us;
}

struct ProductCase {
    const char* what;
    int k, n;
    bool m_nk;
};

}  // namespace

int main() {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        std::printf("tile_sweep: no usable GPU\n");
        return 2;
    }
    try {
        cudaDeviceProp prop{};
        check(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties");
        const int sms = prop.multiProcessorCount;
        int disagreements = 0;
        cudaStream_t stream;
        check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");
        float *a, *m, *bias, *c, *p, *q, *dw, *db;
        const size_t big = (size_t) MAX_WIDTH * MAX_WIDTH;
        for (float** buffer : {&a, &m, &bias, &c, &p, &q, &dw, &db}) check(cudaMalloc(buffer, big * sizeof(float)), "cudaMalloc");
        std::vector<float> ones(big);
        for (size_t i = 0; i < big; i++) ones[i] = 0.001f * (float) (i % 997);
        for (float* buffer : {a, m, bias, p, q})
            check(cudaMemcpy(buffer, ones.data(), big * sizeof(float), cudaMemcpyHostToDevice), "cudaMemcpy");

        std::printf("tile_sweep: %s, %d multiprocessors; µs per launch alone (graph of %d, median of %d); "
                    "* = choose_shape's pick\n", prop.name, sms, CHAIN, REPEATS);
        const ProductCase cases[] = {
            {"784->100 forward (M [k,n])", 784, 100, false}, {"100->30 forward", 100, 30, false},
            {"30->100 forward", 30, 100, false},             {"100->784 forward", 100, 784, false},
            {"tied 30->100 forward (M [n,k])", 30, 100, true}, {"tied 100->784 forward", 100, 784, true},
            {"dx of 100->784 (M [n,k])", 784, 100, true},    {"dx of 30->100", 100, 30, true},
            {"dx of 100->30", 30, 100, true},                {"tied dx of 100->784 (M [k,n])", 784, 100, false},
        };
        for (int rows : {32, MAX_ROWS}) {
            std::printf("\nbatch %d\n", rows);
            for (const ProductCase& pc : cases) {
                const fused::Shape pick = fused::choose_shape(rows, pc.k, pc.n, pc.m_nk, sms);
                std::printf("  %-32s", pc.what);
                std::vector<float> reference, result((size_t) rows * pc.n);
                double best = 1e30;
                fused::Shape best_shape{};
                const fused::Shape* shapes = pc.m_nk ? fused::ROWS_BY_N_SHAPES : fused::ROWS_BY_K_SHAPES;
                const int count = pc.m_nk ? 3 : 8;
                for (int i = count - 1; i >= 0; i--) {
                    const fused::Shape s = shapes[i];
                    if (fused::product_floats(pc.k, s, pc.m_nk) * sizeof(float) > fused::MAX_SHARED_BYTES) continue;
                    fused::Product pr{};
                    pr.a = a, pr.rows = rows, pr.k = pc.k, pr.n = pc.n, pr.m = m, pr.m_nk = pc.m_nk, pr.c = c;
                    pr.epilogue = fused::EPI_ACTIVATE, pr.act = ae4j::ACT_SELU, pr.bias = bias;
                    const double us = time_launches(stream, [&] {
                        fused::launch_forward(pr, fused::Advance{}, s, stream);
                        return cudaGetLastError();
                    });
                    check(cudaMemcpy(result.data(), c, result.size() * sizeof(float), cudaMemcpyDeviceToHost), "cudaMemcpy");
                    if (reference.empty()) reference = result;
                    for (size_t e = 0; e < result.size(); e++)
                        if (std::fabs(result[e] - reference[e]) > 1e-4f * (1.0f + std::fabs(reference[e]))) {
                            std::printf("\ntile_sweep: shape %dx%d disagrees at element %zu: %g, not %g\n", s.tw, s.ks, e,
                                        result[e], reference[e]);
                            disagreements++;
                            break;
                        }
                    const bool picked = s.tw == pick.tw && s.ks == pick.ks;
                    std::printf(" %dx%d(%2d rows, %4d tiles)%s %5.2f |", s.tw, s.ks, s.rows(),
                                fused::product_tiles(rows, pc.n, s), picked ? "*" : " ", us);
                    if (us < best) best = us, best_shape = s;
                }
                std::printf(" best %dx%d %.2f\n", best_shape.tw, best_shape.ks, best);
            }
            for (const ProductCase& pc : {ProductCase{"dW 784x100", 784, 100, false}, ProductCase{"dW 100x30", 100, 30, false},
                                          ProductCase{"dW 30x100", 30, 100, false}, ProductCase{"dW 100x784", 100, 784, false}}) {
                fused::WeightGradient g{p, q, rows, pc.k, pc.n, dw, 0, db, 1, 100000, 0, 0};
                const double us = time_launches(stream, [&] {
                    fused::launch_backward(g, nullptr, fused::Shape{8, 8}, fused::LossTotals{}, nullptr, stream);
                    return cudaGetLastError();
                });
                std::printf("  %-32s %d tiles %.2f\n", pc.what, fused::weight_tiles(g), us);
            }
        }
        std::printf(disagreements ? "\ntile_sweep: %d shape(s) disagreed\n" : "\ntile_sweep: every shape agrees\n",
                    disagreements);
        return disagreements ? 1 : 0;
    } catch (const std::exception& e) {
        std::printf("tile_sweep: CUDA failed: %s\n", e.what());
        return 1;
    }
}
