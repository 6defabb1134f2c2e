/*
 * mathfun.h — exp and log for float loops that the compiler can vectorise (libm's expf/logf are calls that stop
 * vectorisation). Cephes's range reductions and polynomials: relative error about 1e-7, the same as libm's for
 * the values a network produces; branch-free, so every lane takes the same path.
 */
#pragma once
#include <math.h>
#include <stdint.h>
#include <string.h>

namespace ae4j {

static inline __attribute__((always_inline)) float bits_to_float(int32_t i) {
    float f;
    memcpy(&f, &i, sizeof f);
    return f;
}

static inline __attribute__((always_inline)) int32_t float_to_bits(float f) {
    int32_t i;
    memcpy(&i, &f, sizeof i);
    return i;
}

/* e^x for x in float's range; saturates at the ends (0 below −87.3, +huge above 88.7). */
static inline __attribute__((always_inline)) float fast_expf(float x) {
    x = x < -87.3f ? -87.3f : x > 88.7f ? 88.7f : x;
    /* round to nearest by the 1.5·2^23 trick: floorf would be a libm call and stop vectorisation */
    float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float r2 = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r2 + r + 1.0f;
    return p * bits_to_float(((int32_t) n + 127) << 23);
}

/* ln x for positive normal x. */
static inline __attribute__((always_inline)) float fast_logf(float x) {
    int32_t bits = float_to_bits(x);
    float e = (float) (((bits >> 23) & 0xff) - 126);
    float m = bits_to_float((bits & 0x807fffff) | 0x3f000000); /* mantissa in [0.5, 1) */
    /* selects only pick operands: arithmetic inside a ?: arm keeps GCC from if-converting (it might trap) */
    int small = m < 0.707106781186547524f;
    e -= small ? 1.0f : 0.0f;
    m = m + (small ? m : 0.0f) - 1.0f;
    float z = m * m;
    float y = 7.0376836292e-2f;
    y = y * m - 1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m - 1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m - 1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m - 2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    y = y * m * z;
    y += -2.12194440e-4f * e;
    y += -0.5f * z;
    return m + y + 0.693359375f * e;
}

/* Double precision (gradient checks only): libm is exact enough and vectorisation does not matter. */
static inline double fast_expf(double x) { return exp(x); }
static inline double fast_logf(double x) { return log(x); }

}  // namespace ae4j
