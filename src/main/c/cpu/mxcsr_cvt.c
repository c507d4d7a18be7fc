// SPDX-License-Identifier: MIT
// SSE and AVX conversions, compares and rounds to integers under a
// non-default MXCSR (SDM vol. 1, 11.5; vol. 2 per instruction): rounding
// control, DAZ, FTZ, the exception flags and #XM for unmasked ones (the
// destination untouched). sse.c, sse4.c and avx_fp.c come here from their
// conversion, compare and round groups only when mxcsr_special(); the
// arithmetic is in mxcsr.c. Each instruction reads its operands, computes
// every element into c->tmpx[1] with the flags, and writes only if no
// unmasked flag came up.
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "internal.h"
#include "mxcsr.h"

static inline int rc_of(uint32_t mx) { return (int)(mx >> 13) & 3; }

// Operands as the instruction sees them: DAZ reads a denormal as a zero
// of its sign.
static inline float in_f(float x, uint32_t mx) { return (mx & MX_DAZ) && denorm_f(x) ? copysignf(0.0f, x) : x; }
static inline double in_d(double x, uint32_t mx) { return (mx & MX_DAZ) && denorm_d(x) ? copysign(0.0, x) : x; }

// x rounded to an integral value by mode (0 nearest-even, 1 down, 2 up, 3
// toward zero). nearbyint is to nearest: xos never changes the host's
// rounding mode, and wasm has no other.
static double round_to(double x, int mode) {
  switch (mode) {
  case 0: return nearbyint(x);
  case 1: return floor(x);
  case 2: return ceil(x);
  default: return trunc(x);
  }
}

// ---- element conversions ---------------------------------------------------

// x (a double, or a single widened exactly) to a signed integer of size 4
// or 8 bytes, rounded by mode (3 also for the truncating cvtt forms). NaN
// and out-of-range values give IE and the "integer indefinite" (the most
// negative integer); otherwise an inexact result gives PE. No DE: these
// conversions report only invalid and precision.
static int64_t to_int(double x, int size, int mode, unsigned *fl) {
  double lim = size == 8 ? 0x1p63 : 0x1p31;
  double y = x == x ? round_to(x, mode) : x;
  if (!(y >= -lim && y < lim)) {
    *fl |= MX_IE;
    return size == 8 ? INT64_MIN : INT32_MIN;
  }
  if (y != x) *fl |= MX_PE;
  return (int64_t)y;
}

// A signed integer to the bits of a binary float with p significand bits
// (24: single, 53: double), rounded by rc. The integer part of the work is
// exact: the top p bits, then the dropped ones decide the rounding.
static uint64_t int_to_fp(int64_t v, int p, int rc, unsigned *fl) {
  if (v == 0) return 0;
  uint64_t neg = v < 0, u = neg ? 0 - (uint64_t)v : (uint64_t)v, m, rem = 0, half = 0;
  int msb = 63 - __builtin_clzll(u), sh = msb - (p - 1);
  if (sh > 0) {
    m = u >> sh;
    rem = u & ((1ull << sh) - 1);
    half = 1ull << (sh - 1);
  } else {
    m = u << -sh;
  }
  if (rem) {
    *fl |= MX_PE;
    int up = rc == 0 ? rem > half || (rem == half && (m & 1)) : rc == 1 ? (int)neg : rc == 2 ? !neg : 0;
    m += (uint64_t)up;
    if (m >> p) m >>= 1, msb++; // rounded up to the next power of two
  }
  uint64_t bias = p == 24 ? 127 : 1023, signbit = p == 24 ? 1ull << 31 : 1ull << 63;
  return (neg ? signbit : 0) | (msb + bias) << (p - 1) | (m & ((1ull << (p - 1)) - 1));
}

// Double to single (cvtsd2ss, cvtpd2ps): IE for a SNaN (NaNs keep their
// sign and top payload bits, quieted), DE for a denormal source, then the
// rounding of mx_finish_f. x - r is exact (r is 0 or within a factor of 2
// of x), so its sign is the rounding error's.
static uint32_t d2f(double x, uint32_t mx, unsigned *fl) {
  uint64_t u = bits_d(x);
  if (x != x) {
    if (snan_d(x)) *fl |= MX_IE;
    return (uint32_t)(u >> 63) << 31 | 0x7FC00000u | (uint32_t)((u >> 29) & 0x7FFFFF);
  }
  if (denorm_d(x)) {
    if (mx & MX_DAZ) return (uint32_t)(u >> 63) << 31;
    *fl |= MX_DE;
  }
  float r = (float)x;
  if (isinf(x)) return bits_f(r);
  if (isinf(r)) return bits_f(mx_overflow_f(r, fabs(x) >= 0x1p128, mx, fl));
  int es = sgn(x - (double)r);
  int tm = mx_near_min_f(r, es) ? mx_tiny(sgn(fabs(x) - mx_th_f(mx)), mx) : 1;
  return bits_f(mx_finish_f(r, es, tm, mx, fl));
}

// Single to double (cvtss2sd, cvtps2pd): exact; IE for a SNaN, DE for a
// denormal source (a zero under DAZ).
static uint64_t f2d(float x, uint32_t mx, unsigned *fl) {
  uint32_t u = bits_f(x);
  if (x != x) {
    if (snan_f(x)) *fl |= MX_IE;
    return (uint64_t)(u >> 31) << 63 | 0x7FF8000000000000ull | (uint64_t)(u & 0x3FFFFF) << 29;
  }
  if (denorm_f(x)) {
    if (mx & MX_DAZ) return (uint64_t)(u >> 31) << 63;
    *fl |= MX_DE;
  }
  return bits_d((double)x);
}

// The conversions of 0F 5A, 5B and E6 on cnt elements of s into r (pp: the
// mandatory prefix as PFX_* bits). Scalar cvtss2sd/cvtsd2ss are the
// ps2pd/pd2ps rows with one element.
static void cvt_vec(int op, int pp, union xmm *r, const union xmm *s, int cnt, uint32_t mx, unsigned *fl) {
  int rc = rc_of(mx);
  for (int i = 0; i < cnt; i++) {
    switch (op << 4 | pp) {
    case 0x5A0: case 0x5A0 | PFX_F3: r->q[i] = f2d(s->f[i], mx, fl); break;
    case 0x5A0 | PFX_66: case 0x5A0 | PFX_F2: r->d[i] = d2f(s->dbl[i], mx, fl); break;
    case 0x5B0: r->d[i] = (uint32_t)int_to_fp(s->sd[i], 24, rc, fl); break;
    case 0x5B0 | PFX_66: case 0x5B0 | PFX_F3:
      r->sd[i] = (int32_t)to_int(in_f(s->f[i], mx), 4, pp == PFX_F3 ? 3 : rc, fl);
      break;
    case 0xE60 | PFX_F3: r->dbl[i] = s->sd[i]; break; // cvtdq2pd: exact
    default: r->sd[i] = (int32_t)to_int(in_d(s->dbl[i], mx), 4, pp == PFX_66 ? 3 : rc, fl); break;
    }
  }
}

// cvtsi2ss/sd: integer v into element 0 of r (only 64-bit sources, and
// 32-bit ones to single, can be inexact).
static void cvt_si(int pp, union xmm *r, int64_t v, uint32_t mx, unsigned *fl) {
  if (pp == PFX_F2) r->q[0] = int_to_fp(v, 53, rc_of(mx), fl);
  else r->d[0] = (uint32_t)int_to_fp(v, 24, rc_of(mx), fl);
}
// cvt(t)ss2si/cvt(t)sd2si: element 0 of s to an integer of size bytes.
static int64_t cvt_2si(int op, int pp, const union xmm *s, int size, uint32_t mx, unsigned *fl) {
  double x = pp == PFX_F2 ? in_d(s->dbl[0], mx) : (double)in_f(s->f[0], mx);
  return to_int(x, size, op == 0x2C ? 3 : rc_of(mx), fl);
}

// ---- compares --------------------------------------------------------------

// The signalling predicates (LT, LE, NLT, NLE, NGE, NGT, GE, GT in 0-15;
// the others in 16-31) raise IE for a QNaN too; every compare does for a
// SNaN. A denormal operand raises DE unless a NaN is there.
static int cmp_signals(int pred) {
  int s = (pred & 3) == 1 || (pred & 3) == 2;
  return (pred & 16) ? !s : s;
}
static void cmp_flags(int sig, double a, double b, int sn, int de, unsigned *fl) {
  if (a != a || b != b) {
    if (sn || sig) *fl |= MX_IE;
  } else if (de) {
    *fl |= MX_DE;
  }
}
// Element compares of a and s into masks in r.
static void cmp_vec(int pred, int dbl, union xmm *r, const union xmm *a, const union xmm *s, int cnt, uint32_t mx,
                    unsigned *fl) {
  int sig = cmp_signals(pred);
  for (int i = 0; i < cnt; i++) {
    if (dbl) {
      double x = a->dbl[i], y = s->dbl[i];
      int de = !(mx & MX_DAZ) && (denorm_d(x) || denorm_d(y));
      cmp_flags(sig, x, y, snan_d(x) || snan_d(y), de, fl);
      r->q[i] = cpu_cmp_pred(pred, in_d(x, mx), in_d(y, mx)) ? ~0ull : 0;
    } else {
      float x = a->f[i], y = s->f[i];
      int de = !(mx & MX_DAZ) && (denorm_f(x) || denorm_f(y));
      cmp_flags(sig, x, y, snan_f(x) || snan_f(y), de, fl);
      r->d[i] = cpu_cmp_pred(pred, in_f(x, mx), in_f(y, mx)) ? ~0u : 0;
    }
  }
}
// comiss/comisd (signalling) and ucomiss/ucomisd: the ZF, PF, CF they set.
static uint32_t comi(int sig, int dbl, const union xmm *a, const union xmm *s, uint32_t mx, unsigned *fl) {
  double x, y;
  if (dbl) {
    x = a->dbl[0], y = s->dbl[0];
    cmp_flags(sig, x, y, snan_d(x) || snan_d(y), !(mx & MX_DAZ) && (denorm_d(x) || denorm_d(y)), fl);
    x = in_d(x, mx), y = in_d(y, mx);
  } else {
    float xf = a->f[0], yf = s->f[0];
    cmp_flags(sig, xf, yf, snan_f(xf) || snan_f(yf), !(mx & MX_DAZ) && (denorm_f(xf) || denorm_f(yf)), fl);
    x = in_f(xf, mx), y = in_f(yf, mx);
  }
  if (x != x || y != y) return F_ZF | F_PF | F_CF;
  return x < y ? F_CF : x == y ? F_ZF : 0;
}

// ---- round -----------------------------------------------------------------

// roundps/pd/ss/sd on cnt elements: imm[1:0] is the mode unless imm[2]
// (MXCSR.RC); imm[3] suppresses PE. IE for a SNaN (returned quieted).
static void round_vec(int dbl, union xmm *r, const union xmm *s, int cnt, int imm, uint32_t mx, unsigned *fl) {
  int mode = (imm & 4) ? rc_of(mx) : imm & 3;
  for (int i = 0; i < cnt; i++) {
    double x = dbl ? in_d(s->dbl[i], mx) : (double)in_f(s->f[i], mx);
    if (x != x) {
      if (dbl ? snan_d(s->dbl[i]) : snan_f(s->f[i])) *fl |= MX_IE;
      if (dbl) r->q[i] = s->q[i] | (1ull << 51);
      else r->d[i] = s->d[i] | (1u << 22);
      continue;
    }
    double y = round_to(x, mode);
    if (y != x && !(imm & 8)) *fl |= MX_PE;
    if (dbl) r->dbl[i] = y;
    else r->f[i] = (float)y; // exact: an integral value of a single fits
  }
}

// ---- instructions ----------------------------------------------------------

// The mandatory prefix of a legacy instruction as one PFX_* bit (F3 wins
// over F2, which wins over 66, as the decoder's sel() does).
static int legacy_pp(const struct insn *in) {
  return (in->pfx & PFX_F3) ? PFX_F3 : (in->pfx & PFX_F2) ? PFX_F2 : (in->pfx & PFX_66) ? PFX_66 : 0;
}
// A legacy scalar source of n bytes (a register gives all 16).
static int ld_scalar(struct cpu *c, const struct insn *in, union xmm *t, int n) {
  if (in->mod == 3) {
    memcpy(t, &c->xmm[in->rm], 16);
    return 0;
  }
  memset(t, 0, 16);
  return ldn(c, ea(c, in), n, t);
}
static void set_comi_flags(struct cpu *c, uint32_t f) {
  flags_sync(c);
  c->flags = (c->flags & ~F_ARITH) | f;
}

// Legacy 0F 5A/5B/E6 into r (a copy of the destination): 0 or a stop.
static int sse_cvt_vec(struct cpu *c, const struct insn *in, int op, int pp, union xmm *r, unsigned *fl) {
  union xmm *s = &c->tmpx[0];
  int rc, cnt, half = 0;
  switch (op << 4 | pp) {
  case 0x5A0 | PFX_F2: rc = ld_scalar(c, in, s, 8), cnt = 1; break;       // cvtsd2ss
  case 0x5A0 | PFX_F3: rc = ld_scalar(c, in, s, 4), cnt = 1; break;       // cvtss2sd
  case 0x5A0 | PFX_66: rc = src128(c, in, s, 1), cnt = 2, half = 1; break; // cvtpd2ps
  case 0x5A0: case 0xE60 | PFX_F3: rc = ld_scalar(c, in, s, 8), cnt = 2; break; // cvtps2pd, cvtdq2pd
  case 0x5B0: case 0x5B0 | PFX_66: case 0x5B0 | PFX_F3: rc = src128(c, in, s, 1), cnt = 4; break;
  case 0xE60 | PFX_66: case 0xE60 | PFX_F2: rc = src128(c, in, s, 1), cnt = 2, half = 1; break; // cvt(t)pd2dq
  default: return STOP_UD;
  }
  if (rc) return rc;
  cvt_vec(op, pp, r, s, cnt, c->mxcsr, fl);
  if (half) r->q[1] = 0;
  return 0;
}

// Legacy cvt*, (u)comis*, cmp* (0F 2A, 2C-2F, 5A, 5B, C2, E6; MMX forms
// excluded by the caller).
NOINLINE int cpu_sse_cvt_mx(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, pp = legacy_pp(in), scalar = (pp & (PFX_F2 | PFX_F3)) != 0, rc;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1], *d = &c->xmm[in->reg];
  unsigned fl = 0;
  uint32_t mx = c->mxcsr;
  memcpy(r, d, 16);
  switch (op) {
  case 0x2A: { // cvtsi2ss/sd xmm, r/m32/64
    if (!scalar) return STOP_UD;
    int q = (in->pfx & PFX_REXW) != 0;
    uint64_t v = get_rm(c, in, q ? 8 : 4);
    if (faulted(c)) return STOP_PAGEFAULT;
    cvt_si(pp, r, q ? (int64_t)v : (int64_t)(int32_t)v, mx, &fl);
    break;
  }
  case 0x2C: case 0x2D: { // cvt(t)ss2si/sd2si r32/64, xmm/m
    if (!scalar) return STOP_UD;
    if ((rc = ld_scalar(c, in, s, pp == PFX_F2 ? 8 : 4))) return rc;
    int size = (in->pfx & PFX_REXW) ? 8 : 4;
    int64_t v = cvt_2si(op, pp, s, size, mx, &fl);
    if ((rc = mx_commit(c, fl))) return rc;
    setreg(c, in, in->reg, size, (uint64_t)v);
    return 0;
  }
  case 0x2E: case 0x2F: { // ucomiss/comiss, ucomisd/comisd
    if (scalar) return STOP_UD;
    if ((rc = ld_scalar(c, in, s, pp == PFX_66 ? 8 : 4))) return rc;
    uint32_t f = comi(op == 0x2F, pp == PFX_66, d, s, mx, &fl);
    if ((rc = mx_commit(c, fl))) return rc;
    set_comi_flags(c, f);
    return 0;
  }
  case 0xC2: { // cmpps/pd/ss/sd, predicates 0-7
    int pred = (int)(in->imm & 7), dbl = pp == PFX_66 || pp == PFX_F2;
    if (scalar) rc = ld_scalar(c, in, s, dbl ? 8 : 4);
    else rc = src128(c, in, s, 1);
    if (rc) return rc;
    cmp_vec(pred, dbl, r, d, s, scalar ? 1 : dbl ? 2 : 4, mx, &fl);
    break;
  }
  default:
    if ((rc = sse_cvt_vec(c, in, op, pp, r, &fl))) return rc;
    break;
  }
  if ((rc = mx_commit(c, fl))) return rc;
  memcpy(d, r, 16);
  return 0;
}

// Legacy roundps/pd/ss/sd (66 0F3A 08-0B).
NOINLINE int cpu_sse_round_mx(struct cpu *c, const struct insn *in, int op) {
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1], *d = &c->xmm[in->reg];
  int dbl = op & 1, scalar = op >= 0x0A, rc;
  unsigned fl = 0;
  if (scalar) rc = ld_scalar(c, in, s, dbl ? 8 : 4);
  else rc = src128(c, in, s, 1);
  if (rc) return rc;
  memcpy(r, d, 16);
  round_vec(dbl, r, s, scalar ? 1 : dbl ? 2 : 4, (int)in->imm, c->mxcsr, &fl);
  if ((rc = mx_commit(c, fl))) return rc;
  memcpy(d, r, 16);
  return 0;
}

// VEX vcvtsi2ss/sd, vcvt(t)ss2si/sd2si, v(u)comiss/sd (0F 2A, 2C-2F).
static int avx_cvt_scalar(struct cpu *c, const struct insn *in, int op, int pp) {
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  unsigned fl = 0;
  uint32_t mx = c->mxcsr;
  int rc, w = (in->pfx & PFX_REXW) != 0;
  if (op == 0x2A) {
    if (!(pp & (PFX_F2 | PFX_F3))) return STOP_UD;
    uint64_t v = in->mod == 3 ? c->r[in->rm] : ld(c, ea(c, in), w ? 8 : 4);
    if (faulted(c)) return STOP_PAGEFAULT;
    memcpy(r, &c->xmm[in->vex_v], 16);
    cvt_si(pp, r, w ? (int64_t)v : (int64_t)(int32_t)v, mx, &fl);
    if ((rc = mx_commit(c, fl))) return rc;
    vset(c, in->reg, r, 16);
    return 0;
  }
  if (in->vex_v) return STOP_UD;
  if (op == 0x2C || op == 0x2D) {
    if (!(pp & (PFX_F2 | PFX_F3))) return STOP_UD;
    if ((rc = vsrc(c, in, s, pp == PFX_F2 ? 8 : 4))) return rc;
    int64_t v = cvt_2si(op, pp, s, w ? 8 : 4, mx, &fl);
    if ((rc = mx_commit(c, fl))) return rc;
    c->r[in->reg] = w ? (uint64_t)v : (uint32_t)v;
    return 0;
  }
  if (pp & (PFX_F2 | PFX_F3)) return STOP_UD;
  if ((rc = vsrc(c, in, s, pp == PFX_66 ? 8 : 4))) return rc;
  uint32_t f = comi(op == 0x2F, pp == PFX_66, &c->xmm[in->reg], s, mx, &fl);
  if ((rc = mx_commit(c, fl))) return rc;
  set_comi_flags(c, f);
  return 0;
}

// VEX conversions (0F 2A, 2C-2F, 5A, 5B, E6): the packed widening forms
// read half the destination width, the narrowing ones write half the
// source width; vcvtss2sd/vcvtsd2ss take 127:k*8 from vvvv.
NOINLINE int cpu_avx_cvt_mx(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, pp = in->pfx & (PFX_66 | PFX_F2 | PFX_F3), n = vlen(in), rc, cnt, src, out;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  unsigned fl = 0;
  if (op < 0x30) return avx_cvt_scalar(c, in, op, pp);
  if (op == 0x5A && (pp & (PFX_F2 | PFX_F3))) {
    if ((rc = vsrc(c, in, s, pp == PFX_F2 ? 8 : 4))) return rc;
    memcpy(r, &c->xmm[in->vex_v], 16);
    cnt = 1, out = 16;
  } else {
    if (in->vex_v) return STOP_UD;
    switch (op << 4 | pp) {
    case 0x5A0: case 0xE60 | PFX_F3: src = n / 2, cnt = n / 8, out = n; break; // vcvtps2pd, vcvtdq2pd
    case 0x5A0 | PFX_66: case 0xE60 | PFX_66: case 0xE60 | PFX_F2: src = n, cnt = n / 8, out = n / 2; break;
    case 0x5B0: case 0x5B0 | PFX_66: case 0x5B0 | PFX_F3: src = n, cnt = n / 4, out = n; break;
    default: return STOP_UD;
    }
    if ((rc = vsrc(c, in, s, src))) return rc;
  }
  cvt_vec(op, pp, r, s, cnt, c->mxcsr, &fl);
  if ((rc = mx_commit(c, fl))) return rc;
  vset(c, in->reg, r, out);
  return 0;
}

// VEX vcmpps/pd/ss/sd (0F C2, predicates 0-31).
NOINLINE int cpu_avx_cmp_mx(struct cpu *c, const struct insn *in) {
  int pp = in->pfx & (PFX_66 | PFX_F2 | PFX_F3), n = vlen(in), pred = (int)(in->imm & 31), rc, cnt;
  int dbl = pp == PFX_66 || pp == PFX_F2;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  const union xmm *a = &c->xmm[in->vex_v];
  unsigned fl = 0;
  if (pp & (PFX_F2 | PFX_F3)) {
    if ((rc = vsrc(c, in, s, dbl ? 8 : 4))) return rc;
    memcpy(r, a, 16);
    cnt = 1, n = 16;
  } else {
    if ((rc = vsrc(c, in, s, n))) return rc;
    cnt = dbl ? n / 8 : n / 4;
  }
  cmp_vec(pred, dbl, r, a, s, cnt, c->mxcsr, &fl);
  if ((rc = mx_commit(c, fl))) return rc;
  vset(c, in->reg, r, n);
  return 0;
}

// VEX vroundps/pd/ss/sd (0F3A 08-0B); the scalar forms take 127:k*8 from vvvv.
NOINLINE int cpu_avx_round_mx(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, n = vlen(in), dbl = op & 1, rc, cnt;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  unsigned fl = 0;
  if (op >= 0x0A) {
    if ((rc = vsrc(c, in, s, dbl ? 8 : 4))) return rc;
    memcpy(r, &c->xmm[in->vex_v], 16);
    cnt = 1, n = 16;
  } else {
    if (in->vex_v) return STOP_UD;
    if ((rc = vsrc(c, in, s, n))) return rc;
    cnt = dbl ? n / 8 : n / 4;
  }
  round_vec(dbl, r, s, cnt, (int)in->imm, c->mxcsr, &fl);
  if ((rc = mx_commit(c, fl))) return rc;
  vset(c, in->reg, r, n);
  return 0;
}
