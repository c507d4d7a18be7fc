// SPDX-License-Identifier: MIT
// Element-level pieces of the non-default-MXCSR paths shared by mxcsr.c
// (arithmetic) and mxcsr_cvt.c (conversions, compares, rounding to
// integers). Only those two files include it; everyone else enters
// through the cpu_*_mx functions declared in internal.h.
#ifndef XOS_CPU_MXCSR_H
#define XOS_CPU_MXCSR_H

#include <stdint.h>
#include <string.h>

// MXCSR bits (SDM vol. 1, 10.2.3): flags 5:0, DAZ, masks 12:7 (a flag's
// mask is the flag << 7), RC 14:13, FTZ.
enum { MX_IE = 1, MX_DE = 2, MX_ZE = 4, MX_OE = 8, MX_UE = 16, MX_PE = 32, MX_DAZ = 0x40, MX_FTZ = 0x8000 };

static inline uint64_t bits_d(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static inline double from_d(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }
static inline uint32_t bits_f(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static inline float from_f(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

static inline int snan_d(double x) { uint64_t u = bits_d(x); return (u & 0x7FF8000000000000ull) == 0x7FF0000000000000ull && (u << 12); }
static inline int snan_f(float x) { uint32_t u = bits_f(x); return (u & 0x7FC00000u) == 0x7F800000u && (u << 9); }
static inline int denorm_d(double x) { uint64_t u = bits_d(x); return !(u & 0x7FF0000000000000ull) && (u << 12); }
static inline int denorm_f(float x) { uint32_t u = bits_f(x); return !(u & 0x7F800000u) && (u << 9); }
static inline int sgn(double e) { return (e > 0) - (e < 0); }

// Tininess is decided on the exact result rounded with an unbounded
// exponent (SDM vol. 1, 4.9.1.5). An exact |x| just below the smallest
// normal that the subnormal grid rounds up to it may still be tiny: the
// callers say so in tm (see mx_tiny) when mx_near_min says it matters.
double mx_finish_d(double r, int es, int tm, uint32_t mx, unsigned *fl);
float mx_finish_f(float r, int es, int tm, uint32_t mx, unsigned *fl);
static inline int mx_near_min_d(double r, int es) {
  return es && (__builtin_fabs(r) == 0x1p-1022 || __builtin_fabs(r) == 0x1p-1022 - 0x1p-1074);
}
static inline int mx_near_min_f(float r, int es) {
  return es && (__builtin_fabsf(r) == 0x1p-126f || __builtin_fabsf(r) == 0x1p-126f - 0x1p-149f);
}
// The threshold below which such an x is tiny: the smallest normal less
// half (nearest) or one (directed) unbounded ulp. For double that takes 54
// bits: callers compare with 2^-422 - mx_th_d600 after scaling by 2^600.
static inline double mx_th_f(uint32_t mx) { return ((mx >> 13) & 3) ? 0x1p-126 - 0x1p-150 : 0x1p-126 - 0x1p-151; }
static inline double mx_th_d600(uint32_t mx) { return ((mx >> 13) & 3) ? 0x1p-475 : 0x1p-476; }
// s: the sign of |x| - threshold. A tie at the nearest threshold rounds to
// the (even) smallest normal.
static inline int mx_tiny(int s, uint32_t mx) { return ((mx >> 13) & 3) ? s <= 0 : s < 0; }
double mx_overflow_d(double r, int beyond, uint32_t mx, unsigned *fl);
float mx_overflow_f(float r, int beyond, uint32_t mx, unsigned *fl);
double mx_op_d(int op, double a, double b, uint32_t mx, unsigned *fl);
float mx_op_f(int op, float a, float b, uint32_t mx, unsigned *fl);
int mx_commit(struct cpu *c, unsigned fl);

#endif
