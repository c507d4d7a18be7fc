// SPDX-License-Identifier: MIT
// x87 double-extended arithmetic in software (SDM vol. 1, 4.2 and 8.1.5):
// a 64-bit significand with an explicit integer bit and a 15-bit exponent,
// rounded as the x87 control word says (precision control PC, bits 8-9;
// rounding control RC, bits 10-11). Native and wasm builds run this same
// code, so both agree with the hardware bit for bit. Pure functions: no CPU
// state; exceptions are ORed into the status word passed in.
#ifndef XOS_CPU_F80_H
#define XOS_CPU_F80_H

#include <stdint.h>

//  79  78      64 63 62                          0
// +---+----------+--+-----------------------------+
// | S | exponent |J |          fraction           |
// +---+----------+--+-----------------------------+
struct f80 {
  uint64_t m;  // significand, J (integer bit) at bit 63
  uint16_t se; // sign (bit 15) and biased exponent (bias 16383)
};

// Status word exception bits (SDM vol. 1, 8.1.3).
#define FX_IE 0x01
#define FX_DE 0x02
#define FX_ZE 0x04
#define FX_OE 0x08
#define FX_UE 0x10
#define FX_PE 0x20
#define FX_C1 0x0200 // condition code 1: the result was rounded up (in magnitude)

static inline int f80_isnan(struct f80 a) { return (a.se & 0x7FFF) == 0x7FFF && (a.m << 1) != 0; }
static inline int f80_sign(struct f80 a) { return a.se >> 15; }
static inline struct f80 f80_make(int sign, int exp, uint64_t m) {
  struct f80 r = {m, (uint16_t)((sign ? 0x8000 : 0) | exp)};
  return r;
}

// Arithmetic under control word cw; exceptions ORed into *sw.
struct f80 f80_add(struct f80 a, struct f80 b, int negate_b, unsigned cw, uint16_t *sw);
struct f80 f80_mul(struct f80 a, struct f80 b, unsigned cw, uint16_t *sw);
struct f80 f80_div(struct f80 a, struct f80 b, unsigned cw, uint16_t *sw);
struct f80 f80_sqrt(struct f80 a, unsigned cw, uint16_t *sw);
struct f80 f80_scale(struct f80 a, struct f80 b, unsigned cw, uint16_t *sw);
struct f80 f80_rndint(struct f80 a, unsigned cw, uint16_t *sw);
// Partial remainder (fprem; fprem1 when ieee). *cc gets C0..C3 in status
// word positions (C2 set: reduction incomplete).
struct f80 f80_rem(struct f80 a, struct f80 b, int ieee, uint16_t *cc, uint16_t *sw);
// Rounds a value to the control word's precision (results of host math).
struct f80 f80_round(struct f80 a, unsigned cw, uint16_t *sw);
// -1 less, 0 equal, 1 greater, 2 unordered. Sets IE for SNaN (or any NaN
// when signal_qnan).
int f80_cmp(struct f80 a, struct f80 b, int signal_qnan, uint16_t *sw);

// Conversions. Loads of float/double/int are exact.
struct f80 f80_from_f32(uint32_t v, uint16_t *sw);
struct f80 f80_from_f64(uint64_t v, uint16_t *sw);
struct f80 f80_from_i64(int64_t v);
uint32_t f80_to_f32(struct f80 a, unsigned cw, uint16_t *sw);
uint64_t f80_to_f64(struct f80 a, unsigned cw, uint16_t *sw);
// Integer of size 2, 4 or 8 bytes rounded with rc (0-3); the integer
// indefinite (sign bit only) when out of range or NaN.
uint64_t f80_to_int(struct f80 a, int size, int rc, uint16_t *sw);
// Constants (fldpi and friends), rounded with the control word's RC.
struct f80 f80_const(int k, unsigned cw);

// Host long double bridge for the transcendental instructions.
long double f80_to_ld(struct f80 a);
struct f80 f80_from_ld(long double v);

#endif
