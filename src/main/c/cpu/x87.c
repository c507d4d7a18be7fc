// SPDX-License-Identifier: MIT
// The x87 FPU (SDM vol. 1, chapter 8): register stack, control/status/tag
// words, loads and stores of every memory format (m16/m32/m64 int, m32/m64/m80
// float), arithmetic, compares, constants, transcendentals and fxsave/fxrstor.
// Values are host long double: 80-bit on the native build; binary128 in wasm,
// which keeps more precision than the hardware (README "Quirks"); the m80
// format is converted exactly in both directions.
#include <float.h>
#include <math.h>

#include "internal.h"

#define SW_C0 0x0100
#define SW_C1 0x0200
#define SW_C2 0x0400
#define SW_C3 0x4000

void cpu_x87_init(struct cpu *c) {
  memset(&c->fpu, 0, sizeof c->fpu);
  c->fpu.cw = 0x037F; // Linux's default: all exceptions masked, 64-bit precision
}

static inline long double *sti(struct cpu *c, int i) { return &c->fpu.st[(c->fpu.top + i) & 7]; }
static inline void fpush(struct cpu *c, long double v) {
  c->fpu.top = (c->fpu.top - 1) & 7;
  c->fpu.st[c->fpu.top] = v;
  c->fpu.tag |= 1 << c->fpu.top;
}
static inline void fpop(struct cpu *c) {
  c->fpu.tag &= ~(1 << c->fpu.top);
  c->fpu.top = (c->fpu.top + 1) & 7;
}

// Results are rounded as the control word says (precision control PC, bits
// 8-9, and rounding control RC, bits 10-11). The native build runs its long
// double arithmetic on the host x87 under the guest's control word (see
// cpu_exec_x87); the wasm build's binary128 results are rounded here.
#if LDBL_MANT_DIG == 113
static long double round_prec(long double v, int p, int rc) {
  unsigned __int128 u;
  memcpy(&u, &v, 16);
  unsigned e = (unsigned)(u >> 112) & 0x7FFF;
  if (e == 0x7FFF || e == 0) return v; // inf, nan, zero, denormal: as they are
  int drop = 113 - p;
  unsigned __int128 mask = ((unsigned __int128)1 << drop) - 1, low = u & mask;
  if (!low) return v;
  int neg = (int)(u >> 127), up;
  unsigned __int128 half = (unsigned __int128)1 << (drop - 1);
  switch (rc) {
  case 0: up = low > half || (low == half && ((u >> drop) & 1)); break;
  case 1: up = neg; break;
  case 2: up = !neg; break;
  default: up = 0; break;
  }
  u &= ~mask;
  if (up) u += (unsigned __int128)1 << drop; // a carry into the exponent is right
  memcpy(&v, &u, 16);
  return v;
}
static long double fix(struct cpu *c, long double v) {
  static const int prec[4] = {24, 64, 53, 64}; // PC=01 is reserved
  return round_prec(v, prec[(c->fpu.cw >> 8) & 3], (c->fpu.cw >> 10) & 3);
}
static float to_f32(struct cpu *c, long double v) { return (float)round_prec(v, 24, (c->fpu.cw >> 10) & 3); }
static double to_f64(struct cpu *c, long double v) { return (double)round_prec(v, 53, (c->fpu.cw >> 10) & 3); }
#else
static long double fix(struct cpu *c, long double v) { return v; }
static float to_f32(struct cpu *c, long double v) { return (float)v; }
static double to_f64(struct cpu *c, long double v) { return (double)v; }
#endif

// 80-bit extended format <-> long double.
static void to_m80(long double v, uint8_t out[10]) {
#if LDBL_MANT_DIG == 64
  memcpy(out, &v, 10);
#else
  uint64_t mant = 0;
  uint16_t se = 0;
  if (signbit(v)) se = 0x8000;
  if (isnan(v)) {
    se |= 0x7FFF;
    mant = 0xC000000000000000ull;
  } else if (isinf(v)) {
    se |= 0x7FFF;
    mant = 0x8000000000000000ull;
  } else if (v != 0) {
    int e;
    long double f = frexpl(fabsl(v), &e); // f in [0.5, 1)
    int be = e - 1 + 16383;
    if (be <= 0) { // denormal in 80-bit
      f = ldexpl(f, be - 1 + 64);
      be = 0;
    } else {
      f = ldexpl(f, 64);
    }
    long double r = nearbyintl(f);
    if (r >= 18446744073709551616.0L) { r = r / 2; be++; }
    mant = (uint64_t)r;
    se |= (uint16_t)be;
  }
  memcpy(out, &mant, 8);
  memcpy(out + 8, &se, 2);
#endif
}

static long double from_m80(const uint8_t in[10]) {
#if LDBL_MANT_DIG == 64
  long double v = 0;
  memcpy(&v, in, 10);
  return v;
#else
  uint64_t mant;
  uint16_t se;
  memcpy(&mant, in, 8);
  memcpy(&se, in + 8, 2);
  int e = se & 0x7FFF;
  long double v;
  if (e == 0x7FFF) v = (mant << 1) ? NAN : INFINITY;
  else if (e == 0) v = ldexpl((long double)mant, -16382 - 63);
  else v = ldexpl((long double)mant, e - 16383 - 63);
  return (se & 0x8000) ? -v : v;
#endif
}

// Rounds to an integer with the control word's rounding mode.
static long double fround(struct cpu *c, long double v) {
  switch ((c->fpu.cw >> 10) & 3) {
  case 0: return nearbyintl(v);
  case 1: return floorl(v);
  case 2: return ceill(v);
  default: return truncl(v);
  }
}

static int64_t to_int(long double v, int size) {
  long double lim = size == 8 ? 9223372036854775808.0L : size == 4 ? 2147483648.0L : 32768.0L;
  if (!(v >= -lim && v < lim)) return size == 8 ? INT64_MIN : size == 4 ? INT32_MIN : INT16_MIN;
  return (int64_t)v;
}

static void set_cc(struct cpu *c, long double a, long double b) {
  c->fpu.sw &= ~(SW_C0 | SW_C2 | SW_C3);
  if (a != a || b != b) c->fpu.sw |= SW_C0 | SW_C2 | SW_C3;
  else if (a < b) c->fpu.sw |= SW_C0;
  else if (a == b) c->fpu.sw |= SW_C3;
}
static void set_eflags_cmp(struct cpu *c, long double a, long double b) {
  flags_sync(c);
  c->flags &= ~F_ARITH;
  if (a != a || b != b) c->flags |= F_ZF | F_PF | F_CF;
  else if (a < b) c->flags |= F_CF;
  else if (a == b) c->flags |= F_ZF;
}

static long double arith(struct cpu *c, int op, long double a, long double b) {
  switch (op & 7) {
  case 0: return fix(c, a + b);
  case 1: return fix(c, a * b);
  case 4: return fix(c, a - b);
  case 5: return fix(c, b - a);
  case 6: return fix(c, a / b);
  case 7: return fix(c, b / a);
  default: return a; // compares handled by the caller
  }
}

static NOINLINE int x87_mem(struct cpu *c, const struct insn *in) {
  int opc = in->op, sub = in->reg & 7, rc;
  uint64_t a = ea(c, in), v;
  long double x;
  switch (opc) {
  case 0xD8: case 0xDA: case 0xDC: case 0xDE: { // arithmetic with a memory operand
    int size = opc == 0xD8 ? 4 : opc == 0xDA ? 4 : opc == 0xDC ? 8 : 2;
    v = ld(c, a, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    if (opc == 0xD8) { float f; uint32_t u = (uint32_t)v; memcpy(&f, &u, 4); x = f; }
    else if (opc == 0xDC) { double d; memcpy(&d, &v, 8); x = d; }
    else x = (long double)sext(v, size);
    if (sub == 2 || sub == 3) {
      set_cc(c, *sti(c, 0), x);
      if (sub == 3) fpop(c);
    } else {
      *sti(c, 0) = arith(c, sub, *sti(c, 0), x);
    }
    return 0;
  }
  case 0xD9:
    switch (sub) {
    case 0: {
      v = ld(c, a, 4);
    if (faulted(c)) return STOP_PAGEFAULT;
      float f; uint32_t u = (uint32_t)v; memcpy(&f, &u, 4);
      fpush(c, f);
      return 0;
    }
    case 2: case 3: {
      float f = to_f32(c, *sti(c, 0));
      uint32_t u; memcpy(&u, &f, 4);
      if ((rc = st(c, a, 4, u))) return rc;
      if (sub == 3) fpop(c);
      return 0;
    }
    case 5:
      v = ld(c, a, 2);
    if (faulted(c)) return STOP_PAGEFAULT;
      c->fpu.cw = (uint16_t)v;
      return 0;
    case 7: return st(c, a, 2, c->fpu.cw);
    case 4: case 6: { // fldenv / fnstenv (28-byte 32-bit format)
      uint8_t env[28];
      if (sub == 6) {
        memset(env, 0, sizeof env);
        uint32_t w[7] = {c->fpu.cw | 0xFFFF0000u, (uint32_t)((c->fpu.sw & ~0x3800) | (c->fpu.top << 11)) | 0xFFFF0000u,
                         0xFFFFFFFFu, 0, 0, 0, 0xFFFF0000u};
        uint32_t tw = 0;
        for (int i = 0; i < 8; i++) tw |= (c->fpu.tag & (1 << i)) ? 0 : 3u << (2 * i);
        w[2] = tw | 0xFFFF0000u;
        memcpy(env, w, 28);
        if ((rc = stn(c, a, 28, env))) return rc;
        c->fpu.cw |= 0x3F; // fnstenv masks all exceptions
        return 0;
      }
      if ((rc = ldn(c, a, 28, env))) return rc;
      uint32_t w[7];
      memcpy(w, env, 28);
      c->fpu.cw = (uint16_t)w[0];
      c->fpu.sw = (uint16_t)w[1] & ~0x3800;
      c->fpu.top = (w[1] >> 11) & 7;
      c->fpu.tag = 0;
      for (int i = 0; i < 8; i++) if (((w[2] >> (2 * i)) & 3) != 3) c->fpu.tag |= 1 << i;
      return 0;
    }
    default: return STOP_UD;
    }
  case 0xDB:
    switch (sub) {
    case 0:
      v = ld(c, a, 4);
    if (faulted(c)) return STOP_PAGEFAULT;
      fpush(c, (long double)(int32_t)v);
      return 0;
    case 1: case 2: case 3: {
      long double y = *sti(c, 0);
      y = sub == 1 ? truncl(y) : fround(c, y);
      if ((rc = st(c, a, 4, (uint64_t)to_int(y, 4)))) return rc;
      if (sub != 2) fpop(c);
      return 0;
    }
    case 5: {
      uint8_t b[10];
      if ((rc = ldn(c, a, 10, b))) return rc;
      fpush(c, from_m80(b));
      return 0;
    }
    case 7: {
      uint8_t b[10];
      to_m80(*sti(c, 0), b);
      if ((rc = stn(c, a, 10, b))) return rc;
      fpop(c);
      return 0;
    }
    default: return STOP_UD;
    }
  case 0xDD:
    switch (sub) {
    case 0: {
      v = ld(c, a, 8);
    if (faulted(c)) return STOP_PAGEFAULT;
      double d; memcpy(&d, &v, 8);
      fpush(c, d);
      return 0;
    }
    case 1: case 2: case 3: {
      if (sub == 1) {
        if ((rc = st(c, a, 8, (uint64_t)to_int(truncl(*sti(c, 0)), 8)))) return rc;
      } else {
        double d = to_f64(c, *sti(c, 0));
        memcpy(&v, &d, 8);
        if ((rc = st(c, a, 8, v))) return rc;
      }
      if (sub != 2) fpop(c);
      return 0;
    }
    case 7: return st(c, a, 2, (c->fpu.sw & ~0x3800) | (c->fpu.top << 11));
    default: return STOP_UD; // frstor/fnsave: issue 4
    }
  default: // DF
    switch (sub) {
    case 0:
      v = ld(c, a, 2);
    if (faulted(c)) return STOP_PAGEFAULT;
      fpush(c, (long double)(int16_t)v);
      return 0;
    case 5:
      v = ld(c, a, 8);
    if (faulted(c)) return STOP_PAGEFAULT;
      fpush(c, (long double)(int64_t)v);
      return 0;
    case 1: case 2: case 3: {
      long double y = *sti(c, 0);
      y = sub == 1 ? truncl(y) : fround(c, y);
      if ((rc = st(c, a, 2, (uint64_t)to_int(y, 2)))) return rc;
      if (sub != 2) fpop(c);
      return 0;
    }
    case 7: {
      if ((rc = st(c, a, 8, (uint64_t)to_int(fround(c, *sti(c, 0)), 8)))) return rc;
      fpop(c);
      return 0;
    }
    default: return STOP_UD; // fbld/fbstp
    }
  }
}

static NOINLINE int x87_d9_reg(struct cpu *c, const struct insn *in) {
  int modrm = 0xC0 | ((in->reg & 7) << 3) | (in->rm & 7), i = in->rm & 7;
  long double *s0 = sti(c, 0), t;
  if (modrm >= 0xC0 && modrm <= 0xC7) { t = *sti(c, i); fpush(c, t); return 0; }
  if (modrm >= 0xC8 && modrm <= 0xCF) { t = *s0; *s0 = *sti(c, i); *sti(c, i) = t; return 0; }
  switch (modrm) {
  case 0xD0: return 0;
  case 0xE0: *s0 = -*s0; return 0;
  case 0xE1: *s0 = fabsl(*s0); return 0;
  case 0xE4: set_cc(c, *s0, 0); return 0;
  case 0xE5: { // fxam
    long double v = *s0;
    c->fpu.sw &= ~(SW_C0 | SW_C1 | SW_C2 | SW_C3);
    if (signbit(v)) c->fpu.sw |= SW_C1;
    if (!(c->fpu.tag & (1 << c->fpu.top))) c->fpu.sw |= SW_C3 | SW_C0;
    else if (isnan(v)) c->fpu.sw |= SW_C0;
    else if (isinf(v)) c->fpu.sw |= SW_C2 | SW_C0;
    else if (v == 0) c->fpu.sw |= SW_C3;
    else if (fpclassify(v) == FP_SUBNORMAL) c->fpu.sw |= SW_C3 | SW_C2;
    else c->fpu.sw |= SW_C2;
    return 0;
  }
  case 0xE8: fpush(c, 1.0L); return 0;
  case 0xE9: fpush(c, 3.321928094887362347870319429489390175864831393L); return 0;
  case 0xEA: fpush(c, 1.442695040888963407359924681001892137426645954L); return 0;
  case 0xEB: fpush(c, 3.141592653589793238462643383279502884197169399L); return 0;
  case 0xEC: fpush(c, 0.301029995663981195213738894724493026768189881L); return 0;
  case 0xED: fpush(c, 0.693147180559945309417232121458176568075500134L); return 0;
  case 0xEE: fpush(c, 0.0L); return 0;
  case 0xF0: *s0 = fix(c, exp2l(*s0) - 1); return 0;
  case 0xF1: t = fix(c, *sti(c, 1) * log2l(*s0)); fpop(c); *sti(c, 0) = t; return 0;
  case 0xF2: *s0 = fix(c, tanl(*s0)); fpush(c, 1.0L); c->fpu.sw &= ~SW_C2; return 0;
  case 0xF3: t = fix(c, atan2l(*sti(c, 1), *s0)); fpop(c); *sti(c, 0) = t; return 0;
  case 0xF4: { // fxtract
    int e;
    long double m = frexpl(*s0, &e);
    *s0 = (long double)(e - 1);
    fpush(c, m * 2);
    return 0;
  }
  case 0xF5: case 0xF8: { // fprem1, fprem
    long double a = *s0, b = *sti(c, 1);
    *s0 = modrm == 0xF8 ? fmodl(a, b) : remainderl(a, b);
    c->fpu.sw &= ~(SW_C0 | SW_C1 | SW_C2 | SW_C3);
    if (isfinite(a) && isfinite(b) && b != 0) {
      long double q = modrm == 0xF8 ? truncl(a / b) : nearbyintl(a / b);
      uint64_t qi = (uint64_t)fabsl(fmodl(q, 8.0L));
      if (qi & 1) c->fpu.sw |= SW_C1;
      if (qi & 2) c->fpu.sw |= SW_C3;
      if (qi & 4) c->fpu.sw |= SW_C0;
    }
    return 0;
  }
  case 0xF6: c->fpu.top = (c->fpu.top - 1) & 7; return 0;
  case 0xF7: c->fpu.top = (c->fpu.top + 1) & 7; return 0;
  case 0xF9: t = fix(c, *sti(c, 1) * log2l(*s0 + 1)); fpop(c); *sti(c, 0) = t; return 0;
  case 0xFA: *s0 = fix(c, sqrtl(*s0)); return 0;
  case 0xFB: t = *s0; *s0 = fix(c, sinl(t)); fpush(c, fix(c, cosl(t))); c->fpu.sw &= ~SW_C2; return 0;
  case 0xFC: *s0 = fround(c, *s0); return 0;
  case 0xFD: { // fscale: the scale is clamped before it becomes an int
    long double k = truncl(*sti(c, 1));
    if (k != k) { *s0 = k; return 0; }
    *s0 = fix(c, ldexpl(*s0, k > 70000 ? 70000 : k < -70000 ? -70000 : (int)k));
    return 0;
  }
  case 0xFE: *s0 = fix(c, sinl(*s0)); c->fpu.sw &= ~SW_C2; return 0;
  case 0xFF: *s0 = fix(c, cosl(*s0)); c->fpu.sw &= ~SW_C2; return 0;
  default: return STOP_UD;
  }
}

static NOINLINE int x87_reg(struct cpu *c, const struct insn *in) {
  int opc = in->op, sub = in->reg & 7, i = in->rm & 7;
  long double *s0 = sti(c, 0), *si = sti(c, i);
  switch (opc) {
  case 0xD8:
    if (sub == 2 || sub == 3) {
      set_cc(c, *s0, *si);
      if (sub == 3) fpop(c);
    } else *s0 = arith(c, sub, *s0, *si);
    return 0;
  case 0xD9: return x87_d9_reg(c, in);
  case 0xDA:
    if (sub == 5 && i == 1) { set_cc(c, *s0, *sti(c, 1)); fpop(c); fpop(c); return 0; } // fucompp
    if (sub < 4) {
      static const int cc[4] = {2, 4, 6, 10}; // b, e, be, u
      if (cond(c, cc[sub])) *s0 = *si;
      return 0;
    }
    return STOP_UD;
  case 0xDB:
    if (sub < 4) {
      static const int cc[4] = {3, 5, 7, 11}; // nb, ne, nbe, nu
      if (cond(c, cc[sub])) *s0 = *si;
      return 0;
    }
    if (sub == 4 && i == 2) { c->fpu.sw &= 0x7F00; return 0; } // fnclex
    if (sub == 4 && i == 3) { cpu_x87_init(c); return 0; }     // fninit
    if (sub == 5 || sub == 6) { set_eflags_cmp(c, *s0, *si); return 0; } // fucomi, fcomi
    return STOP_UD;
  case 0xDC: // st(i) = st(i) op st(0), with sub/div reversed in this encoding
    if (sub == 2 || sub == 3) { set_cc(c, *s0, *si); if (sub == 3) fpop(c); return 0; }
    *si = arith(c, sub ^ ((sub >= 4) ? 1 : 0), *si, *s0);
    return 0;
  case 0xDD:
    switch (sub) {
    case 0: c->fpu.tag &= ~(1 << ((c->fpu.top + i) & 7)); return 0; // ffree
    case 2: *si = *s0; return 0;
    case 3: *si = *s0; fpop(c); return 0;
    case 4: set_cc(c, *s0, *si); return 0;
    case 5: set_cc(c, *s0, *si); fpop(c); return 0;
    default: return STOP_UD;
    }
  case 0xDE:
    if (sub == 3 && i == 1) { set_cc(c, *s0, *sti(c, 1)); fpop(c); fpop(c); return 0; } // fcompp
    if (sub == 2 || sub == 3) return STOP_UD;
    *si = arith(c, sub ^ ((sub >= 4) ? 1 : 0), *si, *s0);
    fpop(c);
    return 0;
  default: // DF
    if (sub == 4 && i == 0) { // fnstsw ax
      c->r[RAX] = (c->r[RAX] & ~0xFFFFull) | ((c->fpu.sw & ~0x3800) | (c->fpu.top << 11));
      return 0;
    }
    if (sub == 5 || sub == 6) { set_eflags_cmp(c, *s0, *si); fpop(c); return 0; } // fucomip, fcomip
    return STOP_UD;
  }
}

NOINLINE int cpu_exec_x87(struct cpu *c, const struct insn *in) {
#if defined(__x86_64__) && LDBL_MANT_DIG == 64
  // Native build: the host x87 computes under the guest's control word
  // (exceptions stay masked on the host).
  uint16_t host_cw, guest_cw = c->fpu.cw | 0x3F;
  __asm__ volatile("fnstcw %0" : "=m"(host_cw));
  __asm__ volatile("fldcw %0" : : "m"(guest_cw));
  int rc = in->mod == 3 ? x87_reg(c, in) : x87_mem(c, in);
  __asm__ volatile("fldcw %0" : : "m"(host_cw));
  return rc;
#else
  return in->mod == 3 ? x87_reg(c, in) : x87_mem(c, in);
#endif
}

void cpu_fxsave(struct cpu *c, uint8_t *img) {
  memset(img, 0, 512);
  uint16_t sw = (c->fpu.sw & ~0x3800) | (c->fpu.top << 11);
  memcpy(img, &c->fpu.cw, 2);
  memcpy(img + 2, &sw, 2);
  img[4] = (uint8_t)c->fpu.tag;
  memcpy(img + 24, &c->mxcsr, 4);
  uint32_t mask = 0xFFFF;
  memcpy(img + 28, &mask, 4);
  for (int i = 0; i < 8; i++) to_m80(*sti(c, i), img + 32 + 16 * i);
  for (int i = 0; i < 16; i++) memcpy(img + 160 + 16 * i, &c->xmm[i], 16);
}

void cpu_fxrstor(struct cpu *c, const uint8_t *img) {
  uint16_t sw;
  memcpy(&c->fpu.cw, img, 2);
  memcpy(&sw, img + 2, 2);
  c->fpu.top = (sw >> 11) & 7;
  c->fpu.sw = sw & ~0x3800;
  c->fpu.tag = img[4];
  memcpy(&c->mxcsr, img + 24, 4);
  for (int i = 0; i < 8; i++) *sti(c, i) = from_m80(img + 32 + 16 * i);
  for (int i = 0; i < 16; i++) memcpy(&c->xmm[i], img + 160 + 16 * i, 16);
}
