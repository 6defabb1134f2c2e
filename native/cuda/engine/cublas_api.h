/*
 * cublas_api.h — the five cuBLAS functions the CUDA engine calls, looked up at run time in whichever libcublas the
 * machine has (CUDA 11, 12 or 13: these functions' ABI has not changed since CUDA 11.0), so that the engine
 * builds with nvcc alone, without cuBLAS's headers, and one library runs against the toolkit of the machine.
 * $AE4J_CUBLAS names the library to use; otherwise the dynamic loader's search path, then the usual toolkit
 * folders, are tried, newest version first.
 * Not here: the GEMM composition (engine.cuh).
 */
#pragma once
#include <cuda_runtime.h>
#include <dlfcn.h>
#include <stdlib.h>

#include <string>

namespace ae4j {
namespace cublas {

typedef struct cublasContext* Handle;
typedef int Status; /* CUBLAS_STATUS_SUCCESS = 0 */
enum Operation { OP_N = 0, OP_T = 1 };
constexpr int DEFAULT_MATH = 0; /* CUBLAS_DEFAULT_MATH: true float32, no TF32 */

struct Api {
    Status (*create)(Handle*) = nullptr;
    Status (*destroy)(Handle) = nullptr;
    Status (*set_stream)(Handle, cudaStream_t) = nullptr;
    Status (*set_workspace)(Handle, void*, size_t) = nullptr;
    Status (*set_math_mode)(Handle, int) = nullptr;
    Status (*get_version)(Handle, int*) = nullptr;
    Status (*sgemm)(Handle, int, int, int, int, int, const float*, const float*, int, const float*, int, const float*,
                    float*, int) = nullptr;
    std::string path;
};

/* Loads cuBLAS once; returns NULL, or why it cannot be used. */
inline const char* load(Api& api, std::string& problem) {
    const char* candidates[] = {getenv("AE4J_CUBLAS"), "libcublas.so.13", "libcublas.so.12", "libcublas.so.11",
                                "libcublas.so", "/usr/local/cuda/lib64/libcublas.so",
                                "/usr/local/cuda/targets/x86_64-linux/lib/libcublas.so",
                                "/usr/lib/x86_64-linux-gnu/libcublas.so"};
    void* lib = nullptr;
    for (const char* name : candidates) {
        if (!name || !*name) continue;
        if ((lib = dlopen(name, RTLD_NOW | RTLD_LOCAL))) {
            api.path = name;
            break;
        }
    }
    if (!lib) {
        problem = "cuBLAS not found (libcublas.so.11, .12 or .13; set AE4J_CUBLAS to its path)";
        return problem.c_str();
    }
    struct Symbol {
        void** slot;
        const char* name;
    } symbols[] = {{(void**) &api.create, "cublasCreate_v2"},
                   {(void**) &api.destroy, "cublasDestroy_v2"},
                   {(void**) &api.set_stream, "cublasSetStream_v2"},
                   {(void**) &api.set_workspace, "cublasSetWorkspace_v2"},
                   {(void**) &api.set_math_mode, "cublasSetMathMode"},
                   {(void**) &api.get_version, "cublasGetVersion_v2"},
                   {(void**) &api.sgemm, "cublasSgemm_v2"}};
    for (Symbol& s : symbols) {
        if (!(*s.slot = dlsym(lib, s.name))) {
            problem = api.path + " lacks " + s.name + " (cuBLAS 11.0 or newer is needed)";
            return problem.c_str();
        }
    }
    return nullptr;
}

}  // namespace cublas
}  // namespace ae4j
