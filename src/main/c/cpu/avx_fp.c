// SPDX-License-Identifier: MIT
// AVX floating-point instructions (VEX.128 and VEX.256), FMA and F16C (SDM
// vol. 2). avx.c routes here every VEX opcode its is_fp() names. Packed ops
// work on 16 or 32 bytes (VEX.L) and zero the destination up to 32 bytes;
// 256-bit shuffles work per 128-bit lane; scalar ops take bits 127:32 (or
// 127:64) from VEX.vvvv and ignore VEX.L. Memory sources are read whole into
// c->tmpx before any register changes, so a page fault leaves no trace.
// Rounding is to nearest, with no exception flags, DAZ or FTZ, except where
// an immediate is the rounding control (vround*, vcvtps2ph); under a
// non-default MXCSR the arithmetic, FMA, dot products, conversions,
// compares and vround* go to mxcsr.c and mxcsr_cvt.c instead (see README
// "Quirks").
// NaN results follow x86: the first NaN source (in operand order) comes
// back quieted; an invalid operation gives the negative "indefinite".
// vrcpps/vrsqrtps and the ss forms are rcp.c's, shared with the legacy ones.
#include <math.h>

#include "internal.h"

#define PP(in) ((in)->pfx & (PFX_66 | PFX_F2 | PFX_F3))
#define VW(in) (((in)->pfx & PFX_REXW) != 0)
#define QD (1ull << 51)
#define QF (1u << 22)
#define INDEF_D 0xFFF8000000000000ull
#define INDEF_F 0xFFC00000u

static inline uint64_t dbits(double x) {
  uint64_t u;
  memcpy(&u, &x, 8);
  return u;
}
static inline double bitsd(uint64_t u) {
  double x;
  memcpy(&x, &u, 8);
  return x;
}
static inline uint32_t fbits(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  return u;
}
static inline float bitsf(uint32_t u) {
  float x;
  memcpy(&x, &u, 4);
  return x;
}

// r computed from a and b: a NaN result becomes the first NaN source quieted,
// or the indefinite when neither source is a NaN.
static inline double nan_d(double r, double a, double b) {
  if (LIKELY(r == r)) return r;
  if (a != a) return bitsd(dbits(a) | QD);
  if (b != b) return bitsd(dbits(b) | QD);
  return bitsd(INDEF_D);
}
static inline float nan_f(float r, float a, float b) {
  if (LIKELY(r == r)) return r;
  if (a != a) return bitsf(fbits(a) | QF);
  if (b != b) return bitsf(fbits(b) | QF);
  return bitsf(INDEF_F);
}
static inline float addf(float a, float b) { return nan_f(a + b, a, b); }
static inline float subf(float a, float b) { return nan_f(a - b, a, b); }
static inline float mulf(float a, float b) { return nan_f(a * b, a, b); }
static inline double addd(double a, double b) { return nan_d(a + b, a, b); }
static inline double subd(double a, double b) { return nan_d(a - b, a, b); }
static inline double muld(double a, double b) { return nan_d(a * b, a, b); }

// Width changes: NaNs keep their sign and top payload bits, quieted.
static inline uint64_t f2d_bits(uint32_t f) {
  if ((f & 0x7FFFFFFFu) > 0x7F800000u)
    return (uint64_t)(f >> 31) << 63 | 0x7FF0000000000000ull | QD | (uint64_t)(f & 0x7FFFFF) << 29;
  return dbits((double)bitsf(f));
}
static inline uint32_t d2f_bits(uint64_t d) {
  if ((d & ~(1ull << 63)) > 0x7FF0000000000000ull)
    return (uint32_t)(d >> 63) << 31 | 0x7F800000u | QF | (uint32_t)((d >> 29) & 0x7FFFFF);
  return fbits((float)bitsd(d));
}

// Double to integer with the x86 "integer indefinite" for NaN and overflow.
static inline int64_t cvt_d2i(double v, int size, int trunc) {
  if (!trunc) v = nearbyint(v);
  if (size == 8) {
    if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) return INT64_MIN;
    return (int64_t)v;
  }
  if (!(v > -2147483649.0 && v < 2147483648.0)) return INT32_MIN;
  return (int32_t)v;
}

// Constant-size copies (a variable n would be a memcpy call): the r/m
// vector operand of n = 16 or 32 bytes (register operands are used in
// place), and a 16- or 32-byte result written to register r.
static inline const union xmm *vsrc_n(struct cpu *c, const struct insn *in, union xmm *t, int n, int *rc) {
  if (in->mod == 3) return &c->xmm[in->rm];
  *rc = n == 32 ? ldn(c, ea(c, in), 32, t) : ldn(c, ea(c, in), 16, t);
  return t;
}
static inline void vput(struct cpu *c, int r, const union xmm *t, int n) {
  union xmm *d = &c->xmm[r];
  if (n == 32) {
    if (d != t) memcpy(d, t, 32);
  } else {
    if (d != t) memcpy(d, t, 16);
    memset(d->b + 16, 0, 16);
  }
}
// A scalar source: element 0 of an xmm register or k = 4 or 8 bytes of memory.
static inline uint64_t scalar_src(struct cpu *c, const struct insn *in, int k) {
  if (in->mod == 3) return c->xmm[in->rm].q[0];
  return ld(c, ea(c, in), k);
}

// ---- moves ----------------------------------------------------------------

// vmovups/pd, vmovss/sd, vmovlps/hps/..., vmovsldup/shdup/ddup, vmovaps/pd,
// vmovntps/pd, vmovmskps/pd (0F 10-17, 28, 29, 2B, 50).
static NOINLINE int fp_mov(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, pp = PP(in), n = vlen(in), rc;
  union xmm *t = &c->tmpx[0];
  switch (op) {
  case 0x10: case 0x11: case 0x28: case 0x29: case 0x2B:
    if (UNLIKELY(pp & (PFX_F2 | PFX_F3))) {
      if (op > 0x11) return STOP_UD;
      int k = pp == PFX_F3 ? 4 : 8;
      if (in->mod != 3) { // vmovss/sd xmm, m (zeroes to VLMAX) and m, xmm
        if (in->vex_v) return STOP_UD;
        if (op == 0x11) return stn(c, ea(c, in), k, &c->xmm[in->reg]);
        memset(t, 0, 32);
        if ((rc = ldn(c, ea(c, in), k, t))) return rc;
        c->xmm[in->reg] = *t;
        return 0;
      }
      // register forms: low element from one register, 127:k*8 from vvvv
      int dst = op == 0x10 ? in->reg : in->rm, src = op == 0x10 ? in->rm : in->reg;
      memcpy(t, &c->xmm[in->vex_v], 16);
      memcpy(t, &c->xmm[src], k);
      vset(c, dst, t, 16);
      return 0;
    }
    if (in->vex_v) return STOP_UD;
    if (op >= 0x28) {
      if (op == 0x2B && in->mod == 3) return STOP_UD;
      if (!valigned(c, in, n)) return STOP_GP;
    }
    if (op == 0x10 || op == 0x28) {
      rc = 0;
      const union xmm *v = vsrc_n(c, in, t, n, &rc);
      if (rc) return rc;
      vput(c, in->reg, v, n);
      return 0;
    }
    if (in->mod == 3) {
      vput(c, in->rm, &c->xmm[in->reg], n);
      return 0;
    }
    return n == 32 ? stn(c, ea(c, in), 32, &c->xmm[in->reg]) : stn(c, ea(c, in), 16, &c->xmm[in->reg]);
  case 0x12: case 0x16:
    if (pp == PFX_F3 || (pp == PFX_F2 && op == 0x12)) { // vmovsldup, vmovshdup, vmovddup
      if (in->vex_v) return STOP_UD;
      if (pp == PFX_F2) {
        if ((rc = vsrc(c, in, t, n == 16 ? 8 : 32))) return rc;
        for (int i = 0; i < n / 8; i += 2) t->q[i + 1] = t->q[i];
      } else {
        int h = op == 0x16;
        if ((rc = vsrc(c, in, t, n))) return rc;
        for (int i = 0; i < n / 4; i += 2) t->d[i + 1 - h] = t->d[i + h];
      }
      vset(c, in->reg, t, n);
      return 0;
    }
    if (pp == PFX_F2 || in->vex_l) return STOP_UD;
    {
      const union xmm *v = &c->xmm[in->vex_v];
      uint64_t x;
      if (in->mod == 3) {
        if (pp == PFX_66) return STOP_UD;
        x = c->xmm[in->rm].q[op == 0x12]; // vmovhlps takes the high half, vmovlhps the low one
      } else {
        x = ld(c, ea(c, in), 8);
        if (faulted(c)) return STOP_PAGEFAULT;
      }
      t->q[0] = op == 0x12 ? x : v->q[0];
      t->q[1] = op == 0x12 ? v->q[1] : x;
      vset(c, in->reg, t, 16);
      return 0;
    }
  case 0x13: case 0x17: // vmovlps/pd, vmovhps/pd m64, xmm
    if ((pp & (PFX_F2 | PFX_F3)) || in->vex_l || in->vex_v || in->mod == 3) return STOP_UD;
    return stn(c, ea(c, in), 8, &c->xmm[in->reg].q[op == 0x17]);
  case 0x50: { // vmovmskps/pd r32, ymm
    if ((pp & (PFX_F2 | PFX_F3)) || in->vex_v || in->mod != 3) return STOP_UD;
    const union xmm *s = &c->xmm[in->rm];
    uint32_t m = 0;
    if (pp == PFX_66)
      for (int i = 0; i < n / 8; i++) m |= (uint32_t)(s->q[i] >> 63) << i;
    else
      for (int i = 0; i < n / 4; i++) m |= (s->d[i] >> 31) << i;
    c->r[in->reg] = m;
    return 0;
  }
  default: return STOP_UD;
  }
}

// ---- arithmetic -----------------------------------------------------------

static NOINLINE void arith_ps(union xmm *d, const union xmm *a, const union xmm *s, int cnt, int op) {
  switch (op) {
  case 0x51: for (int i = 0; i < cnt; i++) { float y = s->f[i]; d->f[i] = nan_f(sqrtf(y), y, y); } break;
  case 0x58: for (int i = 0; i < cnt; i++) d->f[i] = addf(a->f[i], s->f[i]); break;
  case 0x59: for (int i = 0; i < cnt; i++) d->f[i] = mulf(a->f[i], s->f[i]); break;
  case 0x5C: for (int i = 0; i < cnt; i++) d->f[i] = subf(a->f[i], s->f[i]); break;
  case 0x5D: for (int i = 0; i < cnt; i++) d->d[i] = a->f[i] < s->f[i] ? a->d[i] : s->d[i]; break;
  case 0x5E: for (int i = 0; i < cnt; i++) { float x = a->f[i], y = s->f[i]; d->f[i] = nan_f(x / y, x, y); } break;
  default: for (int i = 0; i < cnt; i++) d->d[i] = a->f[i] > s->f[i] ? a->d[i] : s->d[i]; break;
  }
}
static NOINLINE void arith_pd(union xmm *d, const union xmm *a, const union xmm *s, int cnt, int op) {
  switch (op) {
  case 0x51: for (int i = 0; i < cnt; i++) { double y = s->dbl[i]; d->dbl[i] = nan_d(sqrt(y), y, y); } break;
  case 0x58: for (int i = 0; i < cnt; i++) d->dbl[i] = addd(a->dbl[i], s->dbl[i]); break;
  case 0x59: for (int i = 0; i < cnt; i++) d->dbl[i] = muld(a->dbl[i], s->dbl[i]); break;
  case 0x5C: for (int i = 0; i < cnt; i++) d->dbl[i] = subd(a->dbl[i], s->dbl[i]); break;
  case 0x5D: for (int i = 0; i < cnt; i++) d->q[i] = a->dbl[i] < s->dbl[i] ? a->q[i] : s->q[i]; break;
  case 0x5E: for (int i = 0; i < cnt; i++) { double x = a->dbl[i], y = s->dbl[i]; d->dbl[i] = nan_d(x / y, x, y); } break;
  default: for (int i = 0; i < cnt; i++) d->q[i] = a->dbl[i] > s->dbl[i] ? a->q[i] : s->q[i]; break;
  }
}

// One scalar operation (x, y: the values; xb, yb: their bits, which min
// and max return unchanged).
static inline double op_sd(int op, double x, uint64_t xb, double y, uint64_t yb) {
  switch (op) {
  case 0x51: return nan_d(sqrt(y), y, y);
  case 0x58: return addd(x, y);
  case 0x59: return muld(x, y);
  case 0x5C: return subd(x, y);
  case 0x5D: return bitsd(x < y ? xb : yb);
  case 0x5E: return nan_d(x / y, x, y);
  default: return bitsd(x > y ? xb : yb);
  }
}
static inline float op_ss(int op, float x, uint32_t xb, float y, uint32_t yb) {
  switch (op) {
  case 0x51: return nan_f(sqrtf(y), y, y);
  case 0x58: return addf(x, y);
  case 0x59: return mulf(x, y);
  case 0x5C: return subf(x, y);
  case 0x5D: return bitsf(x < y ? xb : yb);
  case 0x5E: return nan_f(x / y, x, y);
  default: return bitsf(x > y ? xb : yb);
  }
}

// vsqrt, vand/andn/or/xor, vadd/mul/sub/min/div/max (0F 51, 54-59, 5C-5F).
static NOINLINE int fp_arith(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, pp = PP(in), n = vlen(in), rc;
  if (UNLIKELY(mxcsr_special(c)) && (op < 0x54 || op > 0x57)) return cpu_avx_arith_mx(c, in);
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg];
  const union xmm *a = &c->xmm[in->vex_v];
  if (pp & (PFX_F2 | PFX_F3)) { // scalar: 127:k*8 from vvvv
    if (op >= 0x54 && op <= 0x57) return STOP_UD;
    int k = pp == PFX_F2 ? 8 : 4;
    uint64_t y = scalar_src(c, in, k);
    if (faulted(c)) return STOP_PAGEFAULT;
    if (k == 8) {
      double r = op_sd(op, a->dbl[0], a->q[0], bitsd(y), y);
      if (d != a) d->q[1] = a->q[1];
      d->dbl[0] = r;
    } else {
      float r = op_ss(op, a->f[0], a->d[0], bitsf((uint32_t)y), (uint32_t)y);
      if (d != a) memcpy(d->b + 4, a->b + 4, 12);
      d->f[0] = r;
    }
    memset(d->b + 16, 0, 16);
    return 0;
  }
  if (op == 0x51 && in->vex_v) return STOP_UD;
  rc = 0;
  s = (union xmm *)vsrc_n(c, in, s, n, &rc);
  if (rc) return rc;
  if (op >= 0x54 && op <= 0x57) {
    for (int i = 0; i < n / 8; i++) {
      uint64_t x = a->q[i], y = s->q[i];
      d->q[i] = op == 0x54 ? x & y : op == 0x55 ? ~x & y : op == 0x56 ? x | y : x ^ y;
    }
  } else if (pp == PFX_66) {
    arith_pd(d, a, s, n / 8, op);
  } else {
    arith_ps(d, a, s, n / 4, op);
  }
  if (n == 16) memset(d->b + 16, 0, 16);
  return 0;
}

// vhaddps/pd, vhsubps/pd (per lane), vaddsubps/pd (0F 7C, 7D, D0).
static NOINLINE int fp_horiz(struct cpu *c, const struct insn *in) {
  if (UNLIKELY(mxcsr_special(c))) return cpu_avx_horiz_mx(c, in);
  int op = in->op & 0xFF, pp = PP(in), n = vlen(in), rc;
  union xmm *s = &c->tmpx[0], *d = &c->tmpx[1];
  const union xmm *a = &c->xmm[in->vex_v];
  if (pp != PFX_66 && pp != PFX_F2) return STOP_UD;
  if ((rc = vsrc(c, in, s, n))) return rc;
  if (op == 0xD0) {
    if (pp == PFX_66)
      for (int i = 0; i < n / 8; i++) d->dbl[i] = (i & 1) ? addd(a->dbl[i], s->dbl[i]) : subd(a->dbl[i], s->dbl[i]);
    else
      for (int i = 0; i < n / 4; i++) d->f[i] = (i & 1) ? addf(a->f[i], s->f[i]) : subf(a->f[i], s->f[i]);
  } else if (pp == PFX_66) {
    for (int l = 0; l < n / 8; l += 2) {
      const union xmm *x;
      for (int i = 0; i < 2; i++) {
        x = i ? s : a;
        double p = x->dbl[l], q = x->dbl[l + 1];
        d->dbl[l + i] = op == 0x7C ? addd(p, q) : subd(p, q);
      }
    }
  } else {
    for (int l = 0; l < n / 4; l += 4)
      for (int i = 0; i < 4; i++) {
        const union xmm *x = i < 2 ? a : s;
        float p = x->f[l + 2 * (i & 1)], q = x->f[l + 2 * (i & 1) + 1];
        d->f[l + i] = op == 0x7C ? addf(p, q) : subf(p, q);
      }
  }
  vset(c, in->reg, d, n);
  return 0;
}

// vcmpps/pd/ss/sd (0F C2, imm8 predicates 0-31).
static NOINLINE int fp_cmp(struct cpu *c, const struct insn *in) {
  if (UNLIKELY(mxcsr_special(c))) return cpu_avx_cmp_mx(c, in);
  int pp = PP(in), n = vlen(in), pred = (int)(in->imm & 31), rc;
  union xmm *s = &c->tmpx[0], *d = &c->tmpx[1];
  const union xmm *a = &c->xmm[in->vex_v];
  if (pp & (PFX_F2 | PFX_F3)) {
    int k = pp == PFX_F2 ? 8 : 4;
    if ((rc = vsrc(c, in, s, k))) return rc;
    memcpy(d, a, 16);
    if (k == 8) d->q[0] = cpu_cmp_pred(pred, a->dbl[0], s->dbl[0]) ? ~0ull : 0;
    else d->d[0] = cpu_cmp_pred(pred, a->f[0], s->f[0]) ? ~0u : 0;
    n = 16;
  } else {
    if ((rc = vsrc(c, in, s, n))) return rc;
    if (pp == PFX_66)
      for (int i = 0; i < n / 8; i++) d->q[i] = cpu_cmp_pred(pred, a->dbl[i], s->dbl[i]) ? ~0ull : 0;
    else
      for (int i = 0; i < n / 4; i++) d->d[i] = cpu_cmp_pred(pred, a->f[i], s->f[i]) ? ~0u : 0;
  }
  vset(c, in->reg, d, n);
  return 0;
}

// vunpcklps/pd, vunpckhps/pd, vshufps/pd (0F 14, 15, C6), per lane.
static NOINLINE int fp_shuf(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, pp = PP(in), n = vlen(in), im = (int)(in->imm & 0xFF), rc;
  union xmm *s = &c->tmpx[0], *d = &c->tmpx[1];
  const union xmm *a = &c->xmm[in->vex_v];
  if (pp & (PFX_F2 | PFX_F3)) return STOP_UD;
  if ((rc = vsrc(c, in, s, n))) return rc;
  for (int l = 0; l < n / 8; l += 2) { // l: first quadword of the lane
    if (op == 0xC6) {
      if (pp == PFX_66) {
        d->q[l] = a->q[l + ((im >> l) & 1)];
        d->q[l + 1] = s->q[l + ((im >> (l + 1)) & 1)];
      } else {
        int b = 2 * l;
        d->d[b] = a->d[b + (im & 3)];
        d->d[b + 1] = a->d[b + ((im >> 2) & 3)];
        d->d[b + 2] = s->d[b + ((im >> 4) & 3)];
        d->d[b + 3] = s->d[b + ((im >> 6) & 3)];
      }
    } else {
      int h = op == 0x15;
      if (pp == PFX_66) {
        d->q[l] = a->q[l + h];
        d->q[l + 1] = s->q[l + h];
      } else {
        int b = 2 * l, e = b + 2 * h;
        d->d[b] = a->d[e];
        d->d[b + 1] = s->d[e];
        d->d[b + 2] = a->d[e + 1];
        d->d[b + 3] = s->d[e + 1];
      }
    }
  }
  vset(c, in->reg, d, n);
  return 0;
}

// ---- conversions ----------------------------------------------------------

// vcvtsi2ss/sd, vcvt(t)ss2si/sd2si, v(u)comiss/sd (0F 2A, 2C-2F): scalar,
// VEX.L ignored.
static NOINLINE int fp_cvt_scalar(struct cpu *c, const struct insn *in) {
  if (UNLIKELY(mxcsr_special(c))) return cpu_avx_cvt_mx(c, in);
  int op = in->op & 0xFF, pp = PP(in), rc;
  union xmm *s = &c->tmpx[0];
  if (op == 0x2A) { // vcvtsi2ss/sd xmm1, xmm2, r/m32/64
    if (!(pp & (PFX_F2 | PFX_F3))) return STOP_UD;
    int q = VW(in);
    uint64_t v = in->mod == 3 ? c->r[in->rm] : ld(c, ea(c, in), q ? 8 : 4);
    if (faulted(c)) return STOP_PAGEFAULT;
    int64_t iv = q ? (int64_t)v : (int64_t)(int32_t)v;
    memcpy(s, &c->xmm[in->vex_v], 16);
    if (pp == PFX_F2) s->dbl[0] = (double)iv;
    else s->f[0] = (float)iv;
    vset(c, in->reg, s, 16);
    return 0;
  }
  if (in->vex_v) return STOP_UD;
  if (op == 0x2C || op == 0x2D) { // vcvt(t)ss2si / vcvt(t)sd2si r32/64, xmm/m
    if (!(pp & (PFX_F2 | PFX_F3))) return STOP_UD;
    if ((rc = vsrc(c, in, s, pp == PFX_F2 ? 8 : 4))) return rc;
    double x = pp == PFX_F2 ? s->dbl[0] : (double)s->f[0];
    int size = VW(in) ? 8 : 4;
    int64_t r = cvt_d2i(x, size, op == 0x2C);
    c->r[in->reg] = size == 8 ? (uint64_t)r : (uint32_t)r;
    return 0;
  }
  // vucomiss/vcomiss (none), vucomisd/vcomisd (66)
  if (pp & (PFX_F2 | PFX_F3)) return STOP_UD;
  int dbl = pp == PFX_66;
  if ((rc = vsrc(c, in, s, dbl ? 8 : 4))) return rc;
  const union xmm *d = &c->xmm[in->reg];
  double a = dbl ? d->dbl[0] : d->f[0], b = dbl ? s->dbl[0] : s->f[0];
  flags_sync(c);
  c->flags &= ~F_ARITH;
  if (a != a || b != b) c->flags |= F_ZF | F_PF | F_CF;
  else if (a < b) c->flags |= F_CF;
  else if (a == b) c->flags |= F_ZF;
  return 0;
}

// vcvtps2pd/pd2ps/ss2sd/sd2ss, vcvtdq2ps/ps2dq/tps2dq, vcvtdq2pd/tpd2dq/pd2dq
// (0F 5A, 5B, E6). The packed widening forms read half the destination
// width; the narrowing ones write half the source width.
static NOINLINE int fp_cvt(struct cpu *c, const struct insn *in) {
  if (UNLIKELY(mxcsr_special(c))) return cpu_avx_cvt_mx(c, in);
  int op = in->op & 0xFF, pp = PP(in), n = vlen(in), rc;
  union xmm *s = &c->tmpx[0], *d = &c->tmpx[1];
  if (op == 0x5A && (pp & (PFX_F2 | PFX_F3))) { // vcvtss2sd, vcvtsd2ss xmm1, xmm2, xmm3/m
    if ((rc = vsrc(c, in, s, pp == PFX_F2 ? 8 : 4))) return rc;
    memcpy(d, &c->xmm[in->vex_v], 16);
    if (pp == PFX_F3) d->q[0] = f2d_bits(s->d[0]);
    else d->d[0] = d2f_bits(s->q[0]);
    vset(c, in->reg, d, 16);
    return 0;
  }
  if (in->vex_v) return STOP_UD;
  int out = n;
  switch (op << 4 | pp) {
  case 0x5A0: // vcvtps2pd
    if ((rc = vsrc(c, in, s, n / 2))) return rc;
    for (int i = 0; i < n / 8; i++) d->q[i] = f2d_bits(s->d[i]);
    break;
  case 0x5A0 | PFX_66: // vcvtpd2ps
    if ((rc = vsrc(c, in, s, n))) return rc;
    for (int i = 0; i < n / 8; i++) d->d[i] = d2f_bits(s->q[i]);
    out = n / 2;
    break;
  case 0x5B0: // vcvtdq2ps
    if ((rc = vsrc(c, in, s, n))) return rc;
    for (int i = 0; i < n / 4; i++) d->f[i] = (float)s->sd[i];
    break;
  case 0x5B0 | PFX_66: case 0x5B0 | PFX_F3: // vcvtps2dq, vcvttps2dq
    if ((rc = vsrc(c, in, s, n))) return rc;
    for (int i = 0; i < n / 4; i++) d->sd[i] = (int32_t)cvt_d2i(s->f[i], 4, pp == PFX_F3);
    break;
  case 0xE60 | PFX_F3: // vcvtdq2pd
    if ((rc = vsrc(c, in, s, n / 2))) return rc;
    for (int i = 0; i < n / 8; i++) d->dbl[i] = s->sd[i];
    break;
  case 0xE60 | PFX_66: case 0xE60 | PFX_F2: // vcvttpd2dq, vcvtpd2dq
    if ((rc = vsrc(c, in, s, n))) return rc;
    for (int i = 0; i < n / 8; i++) d->sd[i] = (int32_t)cvt_d2i(s->dbl[i], 4, pp == PFX_66);
    out = n / 2;
    break;
  default: return STOP_UD;
  }
  vset(c, in->reg, d, out);
  return 0;
}

// ---- F16C -----------------------------------------------------------------

// Half to single: exact (denormal halves become normal singles); NaNs quieted.
static uint32_t h2f(uint32_t h) {
  uint32_t s = (h & 0x8000u) << 16, e = (h >> 10) & 31, m = h & 0x3FF;
  if (e == 31) return s | 0x7F800000u | m << 13 | (m ? QF : 0);
  if (e == 0) {
    if (!m) return s;
    int sh = __builtin_clz(m) - 21; // shifts that bring bit 10 up
    return s | (uint32_t)(113 - sh) << 23 | ((m << sh) & 0x3FF) << 13;
  }
  return s | (e + 112) << 23 | m << 13;
}

// Single to half, rounding mode rm (0 nearest-even, 1 down, 2 up, 3 toward 0).
static uint32_t f2h(uint32_t f, int rm) {
  uint32_t s = (f >> 16) & 0x8000u, e = (f >> 23) & 0xFF, m = f & 0x7FFFFF;
  if (e == 255) return s | 0x7C00 | (m ? 0x200 | m >> 13 : 0);
  if (e == 0 && m == 0) return s;
  uint32_t sig = e ? m | 0x800000 : m;
  int ex = e ? (int)e - 150 : -149; // value = sig * 2^ex
  int msb = 31 - __builtin_clz(sig) + ex;
  int q = msb - 10 < -24 ? -24 : msb - 10; // exponent of the half's last bit
  int sh = q - ex;                          // >= 13
  uint64_t hm, rem, half;
  if (sh >= 40) {
    hm = 0, rem = 1, half = 2; // below half an ulp, not zero
  } else {
    hm = (uint64_t)sig >> sh;
    rem = sig & ((1ull << sh) - 1);
    half = 1ull << (sh - 1);
  }
  int up = rm == 0 ? (rem > half || (rem == half && (hm & 1))) : rm == 1 ? (rem && s) : rm == 2 ? (rem && !s) : 0;
  hm += (uint64_t)up;
  if (hm == 2048) hm = 1024, q++;
  if (hm < 1024) return s | (uint32_t)hm; // denormal (q == -24)
  int he = q + 25;
  if (he >= 31) { // overflow: infinity or the largest finite half
    int inf = rm == 0 || (rm == 1 && s) || (rm == 2 && !s);
    return s | (inf ? 0x7C00u : 0x7BFFu);
  }
  return s | (uint32_t)he << 10 | (uint32_t)(hm - 1024);
}

// vcvtph2ps ymm, xmm/m128 (0F38 13) and vcvtps2ph xmm/m128, ymm, imm8 (0F3A 1D).
static NOINLINE int fp_f16c(struct cpu *c, const struct insn *in) {
  int n = vlen(in), rc;
  union xmm *s = &c->tmpx[0], *d = &c->tmpx[1];
  if (PP(in) != PFX_66 || VW(in) || in->vex_v) return STOP_UD;
  if (in->op == 0x213) {
    if ((rc = vsrc(c, in, s, n / 2))) return rc;
    for (int i = 0; i < n / 4; i++) d->d[i] = h2f(s->w[i]);
    vset(c, in->reg, d, n);
    return 0;
  }
  int rm = (in->imm & 4) ? (int)((c->mxcsr >> 13) & 3) : (int)(in->imm & 3);
  const union xmm *x = &c->xmm[in->reg];
  for (int i = 0; i < n / 4; i++) d->w[i] = (uint16_t)f2h(x->d[i], rm);
  if (in->mod != 3) return stn(c, ea(c, in), n / 2, d);
  vset(c, in->rm, d, n / 2);
  return 0;
}

// ---- 0F38: permutes, tests, broadcasts, masked moves ------------------------

static NOINLINE int fp_38(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, n = vlen(in), rc;
  union xmm *s = &c->tmpx[0], *d = &c->tmpx[1];
  const union xmm *a = &c->xmm[in->vex_v];
  if (PP(in) != PFX_66 || VW(in)) return STOP_UD;
  switch (op) {
  case 0x0C: case 0x0D: // vpermilps/pd ymm1, ymm2, ymm3/m: selectors from r/m
    if ((rc = vsrc(c, in, s, n))) return rc;
    if (op == 0x0C)
      for (int i = 0; i < n / 4; i++) d->d[i] = a->d[(i & ~3) + (s->d[i] & 3)];
    else
      for (int i = 0; i < n / 8; i++) d->q[i] = a->q[(i & ~1) + ((s->q[i] >> 1) & 1)];
    break;
  case 0x0E: case 0x0F: { // vtestps/pd: sign bits only
    if (in->vex_v) return STOP_UD;
    if ((rc = vsrc(c, in, s, n))) return rc;
    const union xmm *x = &c->xmm[in->reg];
    uint64_t m = op == 0x0E ? 0x8000000080000000ull : 0x8000000000000000ull, z = 0, cf = 0;
    for (int i = 0; i < n / 8; i++) {
      z |= x->q[i] & s->q[i] & m;
      cf |= ~x->q[i] & s->q[i] & m;
    }
    c->lf_op = LF_NONE;
    c->flags &= ~F_ARITH;
    if (!z) c->flags |= F_ZF;
    if (!cf) c->flags |= F_CF;
    return 0;
  }
  case 0x16: // vpermps ymm1, ymm2 (indices), ymm3/m256
    if (!in->vex_l) return STOP_UD;
    if ((rc = vsrc(c, in, s, 32))) return rc;
    for (int i = 0; i < 8; i++) d->d[i] = s->d[a->d[i] & 7];
    break;
  case 0x18: case 0x19: case 0x1A: { // vbroadcastss, vbroadcastsd, vbroadcastf128
    int k = op == 0x18 ? 4 : op == 0x19 ? 8 : 16;
    if (in->vex_v || (k > 4 && !in->vex_l) || (k == 16 && in->mod == 3)) return STOP_UD;
    if ((rc = vsrc(c, in, s, k))) return rc;
    for (int i = 0; i < n; i += k) memcpy(d->b + i, s, k);
    break;
  }
  case 0x2C: case 0x2D: { // vmaskmovps/pd ymm1, ymm2 (mask), m: masked-off elements are not read
    if (in->mod == 3) return STOP_UD;
    int k = op == 0x2C ? 4 : 8;
    uint64_t addr = ea(c, in);
    memset(d, 0, 32);
    for (int i = 0; i < n; i += k)
      if (a->b[i + k - 1] & 0x80)
        if ((rc = ldn(c, addr + i, k, d->b + i))) return rc;
    break;
  }
  case 0x2E: case 0x2F: { // vmaskmovps/pd m, ymm1 (mask), ymm2: all or nothing, masked-off never fault
    if (in->mod == 3) return STOP_UD;
    int k = op == 0x2E ? 4 : 8;
    uint64_t addr = ea(c, in);
    const union xmm *x = &c->xmm[in->reg];
    for (int i = 0; i < n; i += k)
      if (a->b[i + k - 1] & 0x80) {
        // the host reports the element's last byte as the fault address
        if (!mm_wr(c->mm, addr + i + k - 1)) return page_fault(c, addr + i + k - 1, 1);
        if (!mm_wr(c->mm, addr + i)) return page_fault(c, addr + i, 1);
      }
    for (int i = 0; i < n; i += k)
      if (a->b[i + k - 1] & 0x80)
        if ((rc = stn(c, addr + i, k, x->b + i))) return rc;
    return 0;
  }
  default: return STOP_UD;
  }
  vset(c, in->reg, d, n);
  return 0;
}

// ---- FMA (0F38 96-9F, A6-AF, B6-BF) ----------------------------------------

// One fused multiply-add, a*b+c with the signs the form asks for (np:
// negate the product, nc: negate the addend), rounded once. A NaN source
// wins in the order a, b, c (quieted, sign unchanged by the negations), as
// the host does; an invalid operation without NaN sources gives the
// indefinite.
static inline double fma_d(double a, double b, double c, int np, int nc) {
  if (UNLIKELY(a != a)) return bitsd(dbits(a) | QD);
  if (UNLIKELY(b != b)) return bitsd(dbits(b) | QD);
  if (UNLIKELY(c != c)) return bitsd(dbits(c) | QD);
  double x = np ? -a : a, z = nc ? -c : c, r = fma(x, b, z);
  // A zero addend: wasi-libc's fma returns x * b + z, which loses the sign of a product that
  // underflows to -0 (-tiny + 0 is +0). The product alone has it; exact zeros add as IEEE says.
  if (UNLIKELY(r == 0) && z == 0) r = (x == 0 || b == 0) ? x * b + z : x * b;
  return LIKELY(r == r) ? r : bitsd(INDEF_D);
}
// Single-precision fma without fmaf: wasi-libc's fmaf fixes double
// rounding with fesetround, which wasm lacks, so halfway cases came out one
// ulp off. The product of two singles is exact in a double; the sum is
// rounded to odd (TwoSum gives its error) and then to single, which rounds
// once, correctly (53 >= 24 + 2 bits).
static float fma_single(float a, float b, float c) {
  double xy = (double)a * b, z = c, r = xy + z;
  if (LIKELY(r - r == 0)) { // finite
    double bb = r - xy, err = (xy - (r - bb)) + (z - bb);
    if (err != 0) {
      uint64_t u = dbits(r);
      if ((err > 0) != (r > 0)) u--; // |exact| < |r|: the truncation is one below
      r = bitsd(u | 1);
    }
  }
  return (float)r;
}
static inline float fma_f(float a, float b, float c, int np, int nc) {
  if (UNLIKELY(a != a)) return bitsf(fbits(a) | QF);
  if (UNLIKELY(b != b)) return bitsf(fbits(b) | QF);
  if (UNLIKELY(c != c)) return bitsf(fbits(c) | QF);
  float r = fma_single(np ? -a : a, b, nc ? -c : c);
  return LIKELY(r == r) ? r : bitsf(INDEF_F);
}

static NOINLINE int fp_fma(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, lo = op & 15, n = vlen(in), rc = 0;
  if (PP(in) != PFX_66 || lo < 6) return STOP_UD;
  if (UNLIKELY(mxcsr_special(c))) return cpu_avx_fma_mx(c, in);
  int dbl = VW(in), scalar = lo >= 8 && (lo & 1), k = dbl ? 8 : 4;
  union xmm *t = &c->tmpx[0], *x1 = &c->xmm[in->reg];
  const union xmm *s, *x2 = &c->xmm[in->vex_v];
  if (scalar) {
    uint64_t y = scalar_src(c, in, k);
    if (faulted(c)) return STOP_PAGEFAULT;
    t->q[0] = y;
    s = t;
  } else {
    s = vsrc_n(c, in, t, n, &rc);
    if (rc) return rc;
  }
  // factor a, factor b, addend c: 132 x1*x3+x2, 213 x2*x1+x3, 231 x2*x3+x1
  const union xmm *fa, *fb, *ad;
  switch (op >> 4) {
  case 0x9: fa = x1, fb = s, ad = x2; break;
  case 0xA: fa = x2, fb = x1, ad = s; break;
  default: fa = x2, fb = s, ad = x1; break;
  }
  // lo: 6 addsub (even elements subtract), 7 subadd, 8/9 add, A/B sub, C/D nadd, E/F nsub.
  // Element-wise, so the result goes straight to x1 (scalar: 127:k*8 of x1 stay).
  int np = lo >= 12, nc = lo == 10 || lo == 11 || lo >= 14;
  int cnt = scalar ? 1 : n / k;
  if (dbl) {
    for (int i = 0; i < cnt; i++) {
      int sub = lo == 6 ? !(i & 1) : lo == 7 ? (i & 1) : nc;
      x1->dbl[i] = fma_d(fa->dbl[i], fb->dbl[i], ad->dbl[i], np, sub);
    }
  } else {
    for (int i = 0; i < cnt; i++) {
      int sub = lo == 6 ? !(i & 1) : lo == 7 ? (i & 1) : nc;
      x1->f[i] = fma_f(fa->f[i], fb->f[i], ad->f[i], np, sub);
    }
  }
  if (n == 16 || scalar) memset(x1->b + 16, 0, 16);
  return 0;
}

// ---- 0F3A ------------------------------------------------------------------

static double round_mode(double v, int mode) {
  switch (mode) {
  case 0: return nearbyint(v);
  case 1: return floor(v);
  case 2: return ceil(v);
  default: return trunc(v);
  }
}

// vroundps/pd/ss/sd (0F3A 08-0B): imm[1:0], or MXCSR.RC when imm[2] is set.
static NOINLINE int fp_round(struct cpu *c, const struct insn *in) {
  if (UNLIKELY(mxcsr_special(c))) return cpu_avx_round_mx(c, in);
  int op = in->op & 0xFF, n = vlen(in), rc;
  int mode = (in->imm & 4) ? (int)((c->mxcsr >> 13) & 3) : (int)(in->imm & 3);
  union xmm *s = &c->tmpx[0], *d = &c->tmpx[1];
  int dbl = op & 1, cnt;
  if (op >= 0x0A) { // scalar, 127:k*8 from vvvv
    if ((rc = vsrc(c, in, s, dbl ? 8 : 4))) return rc;
    memcpy(d, &c->xmm[in->vex_v], 16);
    cnt = 1;
    n = 16;
  } else {
    if (in->vex_v) return STOP_UD;
    if ((rc = vsrc(c, in, s, n))) return rc;
    cnt = dbl ? n / 8 : n / 4;
  }
  for (int i = 0; i < cnt; i++) {
    if (dbl) {
      double v = s->dbl[i];
      if (v != v) d->q[i] = s->q[i] | QD;
      else d->dbl[i] = round_mode(v, mode);
    } else {
      float v = s->f[i];
      if (v != v) d->d[i] = s->d[i] | QF;
      else d->f[i] = (float)round_mode(v, mode); // exact: an integral float fits
    }
  }
  vset(c, in->reg, d, n);
  return 0;
}

// vdpps (per lane) / vdppd (0F3A 40, 41): each destination element adds the
// products in its own order, as measured on the host (legacy DPPS does the
// same; it only decides which NaN is returned).
static NOINLINE int fp_dp(struct cpu *c, const struct insn *in) {
  if (UNLIKELY(mxcsr_special(c))) return cpu_avx_dp_mx(c, in);
  int n = vlen(in), im = (int)(in->imm & 0xFF), rc;
  union xmm *s = &c->tmpx[0], *d = &c->tmpx[1];
  const union xmm *a = &c->xmm[in->vex_v];
  if (in->op == 0x341 && in->vex_l) return STOP_UD;
  if ((rc = vsrc(c, in, s, n))) return rc;
  if (in->op == 0x340) {
    for (int l = 0; l < n / 4; l += 4) {
      float t[4];
      for (int i = 0; i < 4; i++) t[i] = (im >> (4 + i)) & 1 ? mulf(a->f[l + i], s->f[l + i]) : 0.0f;
      float e0 = addf(t[1], t[0]), o0 = addf(t[0], t[1]), e1 = addf(t[3], t[2]), o1 = addf(t[2], t[3]);
      float r[4] = {addf(e0, e1), addf(o0, o1), addf(e1, e0), addf(o1, o0)};
      for (int i = 0; i < 4; i++) d->f[l + i] = (im >> i) & 1 ? r[i] : 0.0f;
    }
  } else {
    double t0 = (im >> 4) & 1 ? muld(a->dbl[0], s->dbl[0]) : 0.0;
    double t1 = (im >> 5) & 1 ? muld(a->dbl[1], s->dbl[1]) : 0.0;
    double r0 = addd(t0, t1), r1 = addd(t1, t0);
    d->dbl[0] = (im & 1) ? r0 : 0.0;
    d->dbl[1] = (im & 2) ? r1 : 0.0;
  }
  vset(c, in->reg, d, n);
  return 0;
}

// vpermpd, vpermilps/pd imm, vperm2f128, vblendps/pd, vblendvps/pd,
// vextractps, vinsertps (0F3A 01, 04-06, 0C, 0D, 17, 21, 4A, 4B).
static NOINLINE int fp_3a(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, n = vlen(in), im = (int)(in->imm & 0xFF), rc;
  union xmm *s = &c->tmpx[0], *d = &c->tmpx[1];
  const union xmm *a = &c->xmm[in->vex_v];
  switch (op) {
  case 0x01: // vpermpd ymm1, ymm2/m256, imm8 (W1)
    if (!VW(in) || !in->vex_l || in->vex_v) return STOP_UD;
    if ((rc = vsrc(c, in, s, 32))) return rc;
    for (int i = 0; i < 4; i++) d->q[i] = s->q[(im >> (2 * i)) & 3];
    break;
  case 0x04: case 0x05: // vpermilps/pd ymm1, ymm2/m, imm8
    if (VW(in) || in->vex_v) return STOP_UD;
    if ((rc = vsrc(c, in, s, n))) return rc;
    if (op == 0x04)
      for (int i = 0; i < n / 4; i++) d->d[i] = s->d[(i & ~3) + ((im >> (2 * (i & 3))) & 3)];
    else
      for (int i = 0; i < n / 8; i++) d->q[i] = s->q[(i & ~1) + ((im >> i) & 1)];
    break;
  case 0x06: // vperm2f128 ymm1, ymm2, ymm3/m256, imm8
    if (VW(in) || !in->vex_l) return STOP_UD;
    if ((rc = vsrc(c, in, s, 32))) return rc;
    for (int h = 0; h < 2; h++) {
      int sel = im >> (4 * h);
      if (sel & 8) memset(d->b + 16 * h, 0, 16);
      else memcpy(d->b + 16 * h, (sel & 2 ? s : a)->b + 16 * (sel & 1), 16);
    }
    break;
  case 0x0C: case 0x0D: { // vblendps/pd
    if ((rc = vsrc(c, in, s, n))) return rc;
    int k = op == 0x0C ? 4 : 8;
    for (int i = 0; i < n / k; i++) memcpy(d->b + k * i, ((im >> i) & 1 ? s : a)->b + k * i, k);
    break;
  }
  case 0x4A: case 0x4B: { // vblendvps/pd ymm1, ymm2, ymm3/m, ymm4 (imm8[7:4])
    if (VW(in)) return STOP_UD;
    if ((rc = vsrc(c, in, s, n))) return rc;
    int k = op == 0x4A ? 4 : 8;
    const union xmm *m = &c->xmm[(im >> 4) & 15];
    for (int i = 0; i < n; i += k) memcpy(d->b + i, (m->b[i + k - 1] & 0x80 ? s : a)->b + i, k);
    break;
  }
  case 0x17: // vextractps r/m32, xmm1, imm8
    if (in->vex_l || in->vex_v) return STOP_UD;
    if (in->mod == 3) {
      c->r[in->rm] = c->xmm[in->reg].d[im & 3];
      return 0;
    }
    return st(c, ea(c, in), 4, c->xmm[in->reg].d[im & 3]);
  case 0x21: { // vinsertps xmm1, xmm2, xmm3/m32, imm8
    if (in->vex_l) return STOP_UD;
    uint32_t e;
    if (in->mod == 3) {
      e = c->xmm[in->rm].d[(im >> 6) & 3];
    } else {
      e = (uint32_t)ld(c, ea(c, in), 4);
      if (faulted(c)) return STOP_PAGEFAULT;
    }
    memcpy(d, a, 16);
    d->d[(im >> 4) & 3] = e;
    for (int i = 0; i < 4; i++)
      if ((im >> i) & 1) d->d[i] = 0;
    n = 16;
    break;
  }
  default: return STOP_UD;
  }
  vset(c, in->reg, d, n);
  return 0;
}

NOINLINE int cpu_avx_fp(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF;
  switch (in->op >> 8) {
  case 1:
    switch (op) {
    case 0x10: case 0x11: case 0x12: case 0x13: case 0x16: case 0x17: case 0x28: case 0x29: case 0x2B: case 0x50:
      return fp_mov(c, in);
    case 0x51: case 0x54: case 0x55: case 0x56: case 0x57: case 0x58: case 0x59: case 0x5C: case 0x5D: case 0x5E:
    case 0x5F:
      return fp_arith(c, in);
    case 0x14: case 0x15: case 0xC6: return fp_shuf(c, in);
    case 0x2A: case 0x2C: case 0x2D: case 0x2E: case 0x2F: return fp_cvt_scalar(c, in);
    case 0x5A: case 0x5B: case 0xE6: return fp_cvt(c, in);
    case 0x7C: case 0x7D: case 0xD0: return fp_horiz(c, in);
    case 0xC2: return fp_cmp(c, in);
    case 0x52: case 0x53: return cpu_rcp(c, in);
    default: return STOP_UD;
    }
  case 2:
    if (op >= 0x96) return fp_fma(c, in);
    if (op == 0x13) return fp_f16c(c, in);
    return fp_38(c, in);
  default:
    if (PP(in) != PFX_66) return STOP_UD;
    switch (op) {
    case 0x08: case 0x09: case 0x0A: case 0x0B: return fp_round(c, in);
    case 0x1D: return fp_f16c(c, in);
    case 0x40: case 0x41: return fp_dp(c, in);
    default: return fp_3a(c, in);
    }
  }
}
