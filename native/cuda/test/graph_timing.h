/*
 * graph_timing.h — what the kit's profilers (step_profile, tile_sweep) share: a CUDA call checked, and the median
 * time of a CUDA graph's replays. Not here: what is timed.
 */
#pragma once
#include <cuda_runtime.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace kit {

/* Throws, naming the call, unless status is cudaSuccess. */
inline void check(cudaError_t status, const char* what) {
    if (status != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
}

/* Median µs per unit of `exec` (a graph that runs `per_launch` units) over `repeats` timed replays, after one. */
inline double median_graph_us(cudaGraphExec_t exec, cudaStream_t stream, int per_launch, int repeats) {
    cudaEvent_t start, stop;
    check(cudaEventCreate(&start), "cudaEventCreate");
    check(cudaEventCreate(&stop), "cudaEventCreate");
    check(cudaGraphLaunch(exec, stream), "cudaGraphLaunch"); /* warm-up */
    std::vector<double> us;
    for (int r = 0; r < repeats; r++) {
        check(cudaEventRecord(start, stream), "cudaEventRecord");
        check(cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
        check(cudaEventRecord(stop, stream), "cudaEventRecord");
        check(cudaEventSynchronize(stop), "cudaEventSynchronize");
        float ms = 0;
        check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
        us.push_back(1000.0 * ms / per_launch);
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    std::sort(us.begin(), us.end());
    return us[us.size() / 2];
}

}  // namespace kit
