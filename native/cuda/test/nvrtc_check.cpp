/*
 * nvrtc_check.cpp — compiles ae4j_kernels.cu with NVRTC as the Java side does: the file's text, ae4j_kernels.h given
 * in memory under its include name, no include paths, --gpu-architecture=compute_80; then checks that the PTX
 * exports every kernel under its plain name. The Makefile builds it only where NVRTC (nvrtc.h, libnvrtc) is found.
 * Usage: nvrtc_check [ae4j_kernels.cu ae4j_kernels.h [out.ptx]]. Exit status: 0 compiled with every entry, 1 not.
 */
#include <nvrtc.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

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
    return 0;
}
