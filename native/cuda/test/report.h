/*
 * report.h — comparison of GPU results with the CPU reference, grouped by check: one summary line per group, and a
 * line for every failing case. An element passes when |gpu − ref| ≤ atol·scale + rtol·|ref|, NaN never. The scale
 * is max|ref| over the array, so that arrays of tiny values, like the 1/(B·D)-scaled gradients of a loss, are judged
 * at their own size; for sums whose terms may cancel (bias gradients, the softmax backward's d − Σd⊙a) the caller
 * passes the size of the terms instead, since the rounding error follows the terms, not the result.
 */
#pragma once
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace kit {

struct Tolerance {
    double rtol, atol;
};

/* Tolerances for float32 against the CPU's float32 (machine ε = 1.2e-7): */
constexpr Tolerance EXACT{0, 0};              /* copies (gather), CUDA graph vs stream launches */
constexpr Tolerance ELEMENTWISE{1e-5, 1e-6};  /* a few ulp: expf/expm1f/tanhf vs the CPU's polynomial exp, FMA */
constexpr Tolerance REDUCTION{1e-5, 1e-5};    /* plus a different summation order over up to 785 terms */
constexpr Tolerance DENSE{1e-4, 1e-5};        /* plus GEMMs of depth up to 785 (cuBLAS vs the CPU GEMM) */
constexpr Tolerance TRAIN_STEP{1e-3, 1e-4};   /* a whole step: 4 layers forward, loss, 4 layers backward */

inline double largest_abs(const float* v, size_t n) {
    double m = 0;
    for (size_t i = 0; i < n; i++) m = std::fmax(m, std::fabs((double) v[i]));
    return m;
}

/* max over the columns of Σ_rows |v[r,c]|: the size of the terms of a bias gradient. */
inline double max_column_abs_sum(const float* v, int rows, int cols) {
    std::vector<double> sums(cols, 0.0);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) sums[c] += std::fabs((double) v[(size_t) r * cols + c]);
    double m = 0;
    for (double s : sums) m = std::fmax(m, s);
    return m;
}

class Report {
  public:
    explicit Report(bool verbose) : verbose_(verbose) {}

    /* One case of `group`: gpu[n] against ref[n]; scale < 0: max|ref|. */
    void compare(const std::string& group, const std::string& what, const float* gpu, const float* ref, size_t n,
                 Tolerance tol, double scale = -1) {
        if (scale < 0) scale = largest_abs(ref, n);
        double max_abs = 0, max_rel = 0, worst = 0;
        size_t worst_i = 0;
        for (size_t i = 0; i < n; i++) {
            double r = ref[i], d = std::fabs((double) gpu[i] - r);
            double q = ratio(d, tol.atol * scale + tol.rtol * std::fabs(r));
            if (i == 0 || q > worst) {
                worst = q;
                worst_i = i;
            }
            if (!(d <= max_abs)) max_abs = d;
            if (std::fabs(r) >= 1e-3 * scale && r != 0) max_rel = std::fmax(max_rel, d / std::fabs(r));
        }
        char tol_text[48];
        std::snprintf(tol_text, sizeof tol_text, "rtol %g, atol %g", tol.rtol, tol.atol);
        record(group, what, tol_text, max_abs, max_rel, worst,
               n ? " [" + std::to_string(worst_i) + "] gpu " + num(gpu[worst_i]) + " ref " + num(ref[worst_i]) : "");
    }

    /* One scalar case: |gpu − ref| ≤ allowed; tol_text says how `allowed` was chosen. */
    void compare_scalar(const std::string& group, const std::string& what, double gpu, double ref, double allowed,
                        const char* tol_text) {
        double d = std::fabs(gpu - ref);
        record(group, what, tol_text, d, ref != 0 ? d / std::fabs(ref) : 0, ratio(d, allowed),
               " gpu " + num(gpu) + " ref " + num(ref));
    }

    /* Prints one line per group; returns the number of failed cases. */
    int summary() const {
        int failed = 0;
        std::printf("\n%-4s %-44s %6s %9s %9s %8s  %s\n", "", "check", "cases", "max abs", "max rel", "err/tol",
                    "tolerance");
        for (const Group& g : groups_) {
            failed += g.failed;
            std::printf("%-4s %-44s %6d %9.2e %9.2e %8.3f  %s\n", g.failed ? "FAIL" : "PASS", g.name.c_str(), g.cases,
                        g.max_abs, g.max_rel, g.worst, g.tol_text.c_str());
        }
        return failed;
    }

  private:
    struct Group {
        std::string name, tol_text;
        int cases = 0, failed = 0;
        double max_abs = 0, max_rel = 0, worst = 0;
    };

    /* d / allowed; infinite when d exceeds a zero allowance or is NaN. */
    static double ratio(double d, double allowed) {
        if (d <= allowed) return allowed > 0 ? d / allowed : 0;
        return allowed > 0 && d == d ? d / allowed : INFINITY;
    }

    static std::string num(double v) {
        char text[32];
        std::snprintf(text, sizeof text, "%.9g", v);
        return text;
    }

    void record(const std::string& group, const std::string& what, const std::string& tol_text, double max_abs,
                double max_rel, double worst, const std::string& detail) {
        Group* g = nullptr;
        for (Group& existing : groups_)
            if (existing.name == group) g = &existing;
        if (!g) {
            groups_.push_back(Group{group, tol_text});
            g = &groups_.back();
        }
        bool pass = worst <= 1;
        g->cases++;
        g->failed += !pass;
        g->max_abs = std::fmax(g->max_abs, max_abs);
        g->max_rel = std::fmax(g->max_rel, max_rel);
        g->worst = std::fmax(g->worst, worst);
        if (!pass || verbose_)
            std::printf("%s %s: %s: max abs %.2e, max rel %.2e, err/tol %.3f,%s\n", pass ? "pass" : "FAIL",
                        group.c_str(), what.c_str(), max_abs, max_rel, worst, detail.c_str());
    }

    bool verbose_;
    std::vector<Group> groups_;
};

}  // namespace kit
