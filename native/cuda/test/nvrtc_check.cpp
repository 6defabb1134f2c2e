/*
 * nvrtc_check.cpp — compiles ae4j_kernels.cu with NVRTC as the Java side does: the file's text, ae4j_kernels.h given
 * in memory under its include name, no include paths, --gpu-architecture=compute_80; then checks that the PTX
 * exports every kernel under its plain name. Where a CUDA driver and GPU are present it then does what the Java side
 * does next: loads that PTX with cuModuleLoadData (the driver JITs compute_80 to the GPU's own architecture, sm_90 on
 * a Hopper), looks up every entry, and launches ae4j_sgd_step and ae4j_bias_act_forward with cuLaunchKernel,
 * comparing their results with the host. The driver is opened with dlopen, so the program builds and runs (compile
 * check only) where there is none. The Makefile builds it only where NVRTC (nvrtc.h, libnvrtc) is found.
 * Usage: nvrtc_check [ae4j_kernels.cu ae4j_kernels.h [out.ptx]].
 * Exit status: 0 compiled with every entry (and, with a GPU, loaded and computed right), 1 not.
 */
#include <dlfcn.h>
#include <nvrtc.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ae4j_kernels.h"

static const char* const ENTRIES[] = {"ae4j_bias_act_forward", "ae4j_softmax_rows", "ae4j_act_backward",
                                      "ae4j_softmax_backward_rows", "ae4j_bias_grad", "ae4j_loss",
                                      "ae4j_gather_rows", "ae4j_sgd_step", "ae4j_adam_step", "ae4j_nadam_step"};

static bool read_file(const char* path, std::string& text) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    return in.good() || in.eof();
}

// The few driver API declarations used, by their ABI (cuda.h is not needed, nor is the driver at build time).
using CUresult = int;
using CUdeviceptr = unsigned long long;
struct Driver {
    CUresult (*init)(unsigned);
    CUresult (*device_get)(int*, int);
    CUresult (*device_attribute)(int*, int, int);
    CUresult (*primary_ctx_retain)(void**, int);
    CUresult (*ctx_set_current)(void*);
    CUresult (*module_load_data)(void**, const void*);
    CUresult (*module_get_function)(void**, void*, const char*);
    CUresult (*mem_alloc)(CUdeviceptr*, size_t);
    CUresult (*mem_free)(CUdeviceptr);
    CUresult (*htod)(CUdeviceptr, const void*, size_t);
    CUresult (*dtoh)(void*, CUdeviceptr, size_t);
    CUresult (*launch)(void*, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void*, void**,
                       void**);
    CUresult (*synchronize)();
    CUresult (*error_string)(CUresult, const char**);
};
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;

template <typename F> static bool bind(void* lib, const char* name, F& fn) {
    fn = reinterpret_cast<F>(dlsym(lib, name));
    if (!fn) std::printf("nvrtc_check: the CUDA driver lacks %s\n", name);
    return fn != nullptr;
}

static bool cu(const Driver& d, CUresult result, const char* what) {
    if (result == 0) return true;
    const char* text = nullptr;
    d.error_string(result, &text);
    std::printf("nvrtc_check: %s: error %d (%s)\n", what, result, text ? text : "unknown");
    return false;
}

// Runs the PTX on the GPU as the Java side would. Returns 0 passed, 1 failed, 2 no driver or GPU (not checked).
static int run_on_gpu(const std::string& ptx) {
    void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        std::printf("nvrtc_check: no CUDA driver (libcuda.so.1): the PTX was not loaded on a GPU\n");
        return 2;
    }
    Driver d{};
    if (!(bind(lib, "cuInit", d.init) && bind(lib, "cuDeviceGet", d.device_get) &&
          bind(lib, "cuDeviceGetAttribute", d.device_attribute) &&
          bind(lib, "cuDevicePrimaryCtxRetain", d.primary_ctx_retain) &&
          bind(lib, "cuCtxSetCurrent", d.ctx_set_current) && bind(lib, "cuModuleLoadData", d.module_load_data) &&
          bind(lib, "cuModuleGetFunction", d.module_get_function) && bind(lib, "cuMemAlloc_v2", d.mem_alloc) &&
          bind(lib, "cuMemFree_v2", d.mem_free) && bind(lib, "cuMemcpyHtoD_v2", d.htod) &&
          bind(lib, "cuMemcpyDtoH_v2", d.dtoh) && bind(lib, "cuLaunchKernel", d.launch) &&
          bind(lib, "cuCtxSynchronize", d.synchronize) && bind(lib, "cuGetErrorString", d.error_string)))
        return 1;
    int device = 0, major = 0, minor = 0;
    void* context = nullptr;
    if (d.init(0) != 0 || d.device_get(&device, 0) != 0) {
        std::printf("nvrtc_check: the CUDA driver finds no GPU: the PTX was not loaded on a GPU\n");
        return 2;
    }
    if (!(cu(d, d.device_attribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "attribute") &&
          cu(d, d.device_attribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "attribute") &&
          cu(d, d.primary_ctx_retain(&context, device), "cuDevicePrimaryCtxRetain") &&
          cu(d, d.ctx_set_current(context), "cuCtxSetCurrent")))
        return 1;
    void* module = nullptr;
    if (!cu(d, d.module_load_data(&module, ptx.c_str()), "cuModuleLoadData (driver JIT of the compute_80 PTX)"))
        return 1;
    for (const char* entry : ENTRIES) {
        void* function = nullptr;
        if (!cu(d, d.module_get_function(&function, module, entry), entry)) return 1;
    }

    // SGD without momentum over an odd length, then bias + SELU over a 33 x 31 matrix: pointer, long long, float
    // and int arguments, packed as the Java side packs them (one slot per argument, its address in the array).
    const int rows = 33, cols = 31, n_act = rows * cols;
    const long long n = 4097;
    std::vector<float> p(n), g(n), z(n_act), b(cols);
    for (long long i = 0; i < n; i++) p[i] = std::sin(0.37f * i), g[i] = std::cos(0.11f * i);
    for (int i = 0; i < n_act; i++) z[i] = 3.0f * std::sin(0.05f * i);
    for (int j = 0; j < cols; j++) b[j] = 0.1f * (j - 15);
    CUdeviceptr dp = 0, dg = 0, dz = 0, db = 0;
    bool good = cu(d, d.mem_alloc(&dp, n * 4), "cuMemAlloc") && cu(d, d.mem_alloc(&dg, n * 4), "cuMemAlloc") &&
                cu(d, d.mem_alloc(&dz, n_act * 4), "cuMemAlloc") && cu(d, d.mem_alloc(&db, cols * 4), "cuMemAlloc") &&
                cu(d, d.htod(dp, p.data(), n * 4), "copy") && cu(d, d.htod(dg, g.data(), n * 4), "copy") &&
                cu(d, d.htod(dz, z.data(), n_act * 4), "copy") && cu(d, d.htod(db, b.data(), cols * 4), "copy");
    void* sgd = nullptr;
    void* bias_act = nullptr;
    good = good && cu(d, d.module_get_function(&sgd, module, "ae4j_sgd_step"), "ae4j_sgd_step") &&
           cu(d, d.module_get_function(&bias_act, module, "ae4j_bias_act_forward"), "ae4j_bias_act_forward");
    CUdeviceptr no_velocity = 0;
    float lr = 1.5f, momentum = 0.0f;
    int nesterov = 0, act = ae4j::ACT_SELU, rows_arg = rows, cols_arg = cols;
    long long n_arg = n;
    void* sgd_args[] = {&dp, &dg, &no_velocity, &n_arg, &lr, &momentum, &nesterov};
    void* act_args[] = {&dz, &db, &rows_arg, &cols_arg, &act};
    good = good && cu(d, d.launch(sgd, 3, 1, 1, 256, 1, 1, 0, nullptr, sgd_args, nullptr), "launch ae4j_sgd_step") &&
           cu(d, d.launch(bias_act, 2, 1, 1, 128, 1, 1, 0, nullptr, act_args, nullptr), "launch bias_act") &&
           cu(d, d.synchronize(), "cuCtxSynchronize");
    std::vector<float> p_gpu(n), z_gpu(n_act);
    good = good && cu(d, d.dtoh(p_gpu.data(), dp, n * 4), "copy back") &&
           cu(d, d.dtoh(z_gpu.data(), dz, n_act * 4), "copy back");
    d.mem_free(dp), d.mem_free(dg), d.mem_free(dz), d.mem_free(db);
    if (!good) return 1;

    double sgd_err = 0, act_err = 0;
    for (long long i = 0; i < n; i++) {  // relative to the terms, since p - lr·g may cancel
        const double step = (double) lr * g[i];
        sgd_err = std::fmax(sgd_err, std::fabs(p_gpu[i] - (p[i] - step)) / (1e-6 + std::fabs(p[i]) + std::fabs(step)));
    }
    for (int i = 0; i < n_act; i++) {
        const double x = (double) z[i] + b[i % cols];
        const double want = 1.0507009873554804934 * (x > 0 ? x : 1.6732632423543772848 * std::expm1(x));
        act_err = std::fmax(act_err, std::fabs(z_gpu[i] - want) / (1e-6 + std::fabs(want)));
    }
    const bool passed = sgd_err <= 1e-5 && act_err <= 1e-5;
    std::printf("nvrtc_check: the driver loaded the PTX on a compute capability %d.%d GPU, found all %zu entry points;"
                " ae4j_sgd_step max rel err %.2e, ae4j_bias_act_forward (SELU) max rel err %.2e (limit 1e-5): %s\n",
                major, minor, sizeof ENTRIES / sizeof ENTRIES[0], sgd_err, act_err, passed ? "PASS" : "FAIL");
    return passed ? 0 : 1;
}

static bool ok(nvrtcResult result, const char* what) {
    if (result == NVRTC_SUCCESS) return true;
    std::printf("nvrtc_check: %s: %s\n", what, nvrtcGetErrorString(result));
    return false;
}

int main(int argc, char** argv) {
    const char* cu_path = argc > 2 ? argv[1] : AE4J_KERNELS_CU;
    const char* h_path = argc > 2 ? argv[2] : AE4J_KERNELS_H;
    std::string source, header;
    if (!read_file(cu_path, source) || !read_file(h_path, header) || source.empty() || header.empty()) {
        std::printf("nvrtc_check: cannot read %s or %s\n", cu_path, h_path);
        return 1;
    }
    int major = 0, minor = 0;
    if (!ok(nvrtcVersion(&major, &minor), "nvrtcVersion")) return 1;

    const char* headers[] = {header.c_str()};
    const char* include_names[] = {"ae4j_kernels.h"};
    const char* options[] = {"--gpu-architecture=compute_80", "--std=c++17"};
    nvrtcProgram program;
    if (!ok(nvrtcCreateProgram(&program, source.c_str(), "ae4j_kernels.cu", 1, headers, include_names),
            "nvrtcCreateProgram"))
        return 1;
    const nvrtcResult compiled = nvrtcCompileProgram(program, 2, options);
    size_t log_size = 0;
    nvrtcGetProgramLogSize(program, &log_size);
    std::string log(log_size, '\0');
    if (log_size > 1) {
        nvrtcGetProgramLog(program, &log[0]);
        std::printf("NVRTC log:\n%s\n", log.c_str());
    }
    std::string ptx;
    bool good = ok(compiled, "nvrtcCompileProgram");
    if (good) {
        size_t ptx_size = 0;
        good = ok(nvrtcGetPTXSize(program, &ptx_size), "nvrtcGetPTXSize");
        ptx.assign(ptx_size, '\0');
        good = good && ok(nvrtcGetPTX(program, &ptx[0]), "nvrtcGetPTX");
    }
    nvrtcDestroyProgram(&program);
    if (!good) return 1;

    int missing = 0;
    for (const char* entry : ENTRIES)
        if (ptx.find(std::string(".entry ") + entry + "(") == std::string::npos) {
            std::printf("nvrtc_check: PTX lacks the entry %s\n", entry);
            missing++;
        }
    if (argc > 3) std::ofstream(argv[3], std::ios::binary) << ptx.c_str();
    if (missing) return 1;
    std::printf("nvrtc_check: NVRTC %d.%d compiled %s to compute_80 PTX (%zu bytes) with all %zu entry points%s\n",
                major, minor, cu_path, ptx.size(), sizeof ENTRIES / sizeof ENTRIES[0],
                log_size > 1 ? " (see the log above)" : "");
    return run_on_gpu(ptx) == 1 ? 1 : 0;
}
