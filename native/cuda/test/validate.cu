/*
 * validate.cu — the standalone GPU validation kit of ae4j's CUDA kernels (no Java, no ND4J):
 *   1. prints the GPU, its compute capability, the driver and runtime versions and the GEMM in use;
 *   2. checks every kernel of ../ae4j_kernels.cu, whole dense layers and a whole training step against the CPU
 *      kernels of native/cpu (checks.cuh, bench.cuh; tolerances in report.h);
 *   3. times a training step of the stacked autoencoder, with stream launches and as a CUDA graph (bench.cuh).
 * Usage: validate [--verbose] [--no-bench]. Exit status: 0 all checks passed, 1 a check failed or CUDA failed,
 * 2 no usable GPU.
 * The kernels are compiled into this translation unit from their source; the CPU kernels come from cpu_ref.cpp.
 */
#include "../ae4j_kernels.cu"

#include <cstdio>
#include <cstring>

#include "bench.cuh"
#include "checks.cuh"

namespace {

void print_versions(const cudaDeviceProp& prop) {
    int driver = 0, runtime = 0;
    CUDA_CHECK(cudaDriverGetVersion(&driver));
    CUDA_CHECK(cudaRuntimeGetVersion(&runtime));
    std::printf("GPU 0: %s, compute capability %d.%d, %d SMs, %.1f GiB\n", prop.name, prop.major, prop.minor,
                prop.multiProcessorCount, prop.totalGlobalMem / 1073741824.0);
    std::printf("CUDA driver %d.%d, runtime %d.%d\n", driver / 1000, driver % 1000 / 10, runtime / 1000,
                runtime % 1000 / 10);
#if defined(AE4J_HAVE_CUBLAS)
    int major = 0, minor = 0, patch = 0;
    cublasGetProperty(MAJOR_VERSION, &major);
    cublasGetProperty(MINOR_VERSION, &minor);
    cublasGetProperty(PATCH_LEVEL, &patch);
    std::printf("GEMM: %s %d.%d.%d\n", kit::Gemm::name(), major, minor, patch);
#else
    std::printf("GEMM: %s\n", kit::Gemm::name());
#endif
    std::printf("CPU reference: native/cpu kernels, %s GEMM\n", ref::cpu_variant());
}

}  // namespace

int main(int argc, char** argv) {
    bool verbose = false, bench = true;
    for (int i = 1; i < argc; i++) {
        if (!std::strcmp(argv[i], "--verbose")) {
            verbose = true;
        } else if (!std::strcmp(argv[i], "--no-bench")) {
            bench = false;
        } else {
            std::fprintf(stderr, "usage: %s [--verbose] [--no-bench]\n", argv[0]);
            return 1;
        }
    }

    int devices = 0;
    cudaError_t err = cudaGetDeviceCount(&devices);
    if (err != cudaSuccess || devices == 0) {
        std::printf("validate: no CUDA GPU available (%s); nothing was checked\n",
                    err != cudaSuccess ? cudaGetErrorString(err) : "no device found");
        return 2;
    }
    cudaDeviceProp prop;
    CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
    print_versions(prop);
    if (prop.major < 8) {
        std::printf("validate: compute capability %d.%d is below 8.0, the oldest this kit is built for\n", prop.major,
                    prop.minor);
        return 2;
    }

    /* A blocking stream: the kit's synchronous cudaMemcpy/cudaMemset (legacy stream) are ordered with it. */
    cudaStream_t stream;
    CUDA_CHECK(cudaStreamCreate(&stream));
    int failed = 0;
    {
        kit::Gemm gemm(stream);
        kit::Report report(verbose);
        kit::check_kernels(report, gemm, stream);
        kit::Rng rng(7);
        const kit::Dataset data(rng);
        const std::vector<float> params = kit::ae_initial_params(rng);
        for (int B : {32, 256}) kit::check_train_step(report, gemm, stream, data, params, B);
        failed = report.summary();
        if (bench) kit::bench_train_step(gemm, stream, data, params);
    }
    CUDA_CHECK(cudaStreamDestroy(stream));
    if (failed)
        std::printf("\nvalidate: %d check case(s) FAILED\n", failed);
    else
        std::printf("\nvalidate: all checks passed\n");
    return failed ? 1 : 0;
}
