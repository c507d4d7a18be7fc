// SPDX-License-Identifier: MIT
// SSE and SSE2 (legacy encoding): moves, packed and scalar float/double
// arithmetic with x86 NaN rules, conversions, and the 128-bit integer ops
// libc string routines use. MMX forms (no 66 prefix on integer ops) are in
// mmx.c; SSE3 and later in sse4.c. These paths round to nearest and set no
// MXCSR flags; arithmetic, conversions and compares go to mxcsr.c and
// mxcsr_cvt.c instead when MXCSR's control bits are not the default
// (see README "Quirks").
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

enum { P_NONE, P_66, P_F3, P_F2 };
static inline int sel(const struct insn *in) {
  return (in->pfx & PFX_F3) ? P_F3 : (in->pfx & PFX_F2) ? P_F2 : (in->pfx & PFX_66) ? P_66 : P_NONE;
}

static inline int srcn(struct cpu *c, const struct insn *in, union xmm *t, int n) {
  if (in->mod == 3) {
    memcpy(t, &c->xmm[in->rm], 16);
    return 0;
  }
  memset(t, 0, 16);
  return ldn(c, ea(c, in), n, t);
}

// x86 NaN results: a NaN operand is returned quieted (first source wins);
// an invalid operation gives the negative "indefinite" QNaN.
static inline double nan_d(double r, double a, double b) {
  if (LIKELY(r == r)) return r;
  uint64_t u;
  if (a != a) { memcpy(&u, &a, 8); u |= 1ull << 51; }
  else if (b != b) { memcpy(&u, &b, 8); u |= 1ull << 51; }
  else u = 0xFFF8000000000000ull;
  memcpy(&r, &u, 8);
  return r;
}
static inline float nan_f(float r, float a, float b) {
  if (LIKELY(r == r)) return r;
  uint32_t u;
  if (a != a) { memcpy(&u, &a, 4); u |= 1u << 22; }
  else if (b != b) { memcpy(&u, &b, 4); u |= 1u << 22; }
  else u = 0xFFC00000u;
  memcpy(&r, &u, 4);
  return r;
}

static inline double fop_d(int op, double a, double b) {
  double r;
  switch (op) {
  case 0x58: r = a + b; break;
  case 0x59: r = a * b; break;
  case 0x5C: r = a - b; break;
  case 0x5E: r = a / b; break;
  case 0x5D: return a < b ? a : b; // min: second operand unless strictly less
  case 0x5F: return a > b ? a : b;
  default: r = sqrt(b); return nan_d(r, b, b);
  }
  return nan_d(r, a, b);
}
static inline float fop_f(int op, float a, float b) {
  float r;
  switch (op) {
  case 0x58: r = a + b; break;
  case 0x59: r = a * b; break;
  case 0x5C: r = a - b; break;
  case 0x5E: r = a / b; break;
  case 0x5D: return a < b ? a : b;
  case 0x5F: return a > b ? a : b;
  default: r = sqrtf(b); return nan_f(r, b, b);
  }
  return nan_f(r, a, b);
}

static inline int cmp_pred(int pred, double a, double b) {
  int un = a != a || b != b;
  switch (pred & 7) {
  case 0: return !un && a == b;
  case 1: return !un && a < b;
  case 2: return !un && a <= b;
  case 3: return un;
  case 4: return un || a != b;
  case 5: return un || !(a < b);
  case 6: return un || !(a <= b);
  default: return !un;
  }
}

// Truncating/rounding double -> integer with the x86 "integer indefinite"
// for NaN and out-of-range values.
static inline int64_t cvt_d2i(double v, int size, int trunc) {
  if (!trunc) v = nearbyint(v);
  if (size == 8) {
    if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) return INT64_MIN;
    return (int64_t)v;
  }
  if (!(v > -2147483649.0 && v < 2147483648.0)) return INT32_MIN;
  return (int32_t)v;
}

static NOINLINE int sse_float(struct cpu *c, const struct insn *in) {
  if (UNLIKELY(mxcsr_special(c))) return cpu_sse_float_mx(c, in);
  int op2 = in->op & 0xFF, p = sel(in), rc;
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg];
  if (p == P_F2) { // scalar double
    if ((rc = srcn(c, in, s, 8))) return rc;
    d->dbl[0] = fop_d(op2, d->dbl[0], s->dbl[0]);
  } else if (p == P_F3) {
    if ((rc = srcn(c, in, s, 4))) return rc;
    d->f[0] = fop_f(op2, d->f[0], s->f[0]);
  } else if (p == P_66) {
    if ((rc = src128(c, in, s, 1))) return rc;
    for (int i = 0; i < 2; i++) d->dbl[i] = fop_d(op2, d->dbl[i], s->dbl[i]);
  } else {
    if ((rc = src128(c, in, s, 1))) return rc;
    for (int i = 0; i < 4; i++) d->f[i] = fop_f(op2, d->f[i], s->f[i]);
  }
  return 0;
}

static NOINLINE int sse_cvt(struct cpu *c, const struct insn *in) {
  if (UNLIKELY(mxcsr_special(c))) return cpu_sse_cvt_mx(c, in);
  int op2 = in->op & 0xFF, p = sel(in), rc;
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg];
  uint64_t v;
  switch (op2) {
  case 0x2A: // cvtsi2ss/sd
    if (p != P_F2 && p != P_F3) return STOP_UD;
    v = get_rm(c, in, (in->pfx & PFX_REXW) ? 8 : 4);
    if (faulted(c)) return STOP_PAGEFAULT;
    {
      int64_t iv = (in->pfx & PFX_REXW) ? (int64_t)v : (int64_t)(int32_t)v;
      if (p == P_F2) d->dbl[0] = (double)iv;
      else d->f[0] = (float)iv;
    }
    return 0;
  case 0x2C: case 0x2D: { // cvt(t)ss2si / cvt(t)sd2si
    if (p != P_F2 && p != P_F3) return STOP_UD;
    if ((rc = srcn(c, in, s, p == P_F2 ? 8 : 4))) return rc;
    double x = p == P_F2 ? s->dbl[0] : (double)s->f[0];
    int size = (in->pfx & PFX_REXW) ? 8 : 4;
    setreg(c, in, in->reg, size, (uint64_t)cvt_d2i(x, size, op2 == 0x2C));
    return 0;
  }
  case 0x5A:
    if (p == P_F2) { // cvtsd2ss
      if ((rc = srcn(c, in, s, 8))) return rc;
      d->f[0] = (float)s->dbl[0];
    } else if (p == P_F3) { // cvtss2sd
      if ((rc = srcn(c, in, s, 4))) return rc;
      d->dbl[0] = (double)s->f[0];
    } else if (p == P_66) { // cvtpd2ps
      if ((rc = src128(c, in, s, 1))) return rc;
      d->f[0] = (float)s->dbl[0];
      d->f[1] = (float)s->dbl[1];
      d->q[1] = 0;
    } else { // cvtps2pd
      if ((rc = srcn(c, in, s, 8))) return rc;
      double x0 = s->f[0], x1 = s->f[1];
      d->dbl[0] = x0;
      d->dbl[1] = x1;
    }
    return 0;
  case 0x5B:
    if (p == P_F2) return STOP_UD;
    if ((rc = src128(c, in, s, 1))) return rc;
    if (p == P_NONE) {
      for (int i = 0; i < 4; i++) d->f[i] = (float)s->sd[i];
    } else {
      for (int i = 0; i < 4; i++) {
        double x = s->f[i];
        d->sd[i] = (int32_t)cvt_d2i(x, 4, p == P_F3);
      }
    }
    return 0;
  case 0xE6:
    if (p == P_F3) { // cvtdq2pd
      if ((rc = srcn(c, in, s, 8))) return rc;
      int32_t a0 = s->sd[0], a1 = s->sd[1];
      d->dbl[0] = a0;
      d->dbl[1] = a1;
    } else if (p == P_66 || p == P_F2) { // cvttpd2dq, cvtpd2dq
      if ((rc = src128(c, in, s, 1))) return rc;
      d->sd[0] = (int32_t)cvt_d2i(s->dbl[0], 4, p == P_66);
      d->sd[1] = (int32_t)cvt_d2i(s->dbl[1], 4, p == P_66);
      d->q[1] = 0;
    } else return STOP_UD;
    return 0;
  case 0x2E: case 0x2F: { // (u)comiss / (u)comisd
    if (p == P_F2 || p == P_F3) return STOP_UD;
    int dbl = p == P_66;
    if ((rc = srcn(c, in, s, dbl ? 8 : 4))) return rc;
    double a = dbl ? d->dbl[0] : d->f[0], b = dbl ? s->dbl[0] : s->f[0];
    flags_sync(c);
    c->flags &= ~F_ARITH;
    if (a != a || b != b) c->flags |= F_ZF | F_PF | F_CF;
    else if (a < b) c->flags |= F_CF;
    else if (a == b) c->flags |= F_ZF;
    return 0;
  }
  case 0xC2: { // cmpps/pd/ss/sd
    int pred = (int)in->imm;
    if (p == P_F2 || p == P_F3) {
      if ((rc = srcn(c, in, s, p == P_F2 ? 8 : 4))) return rc;
      if (p == P_F2) d->q[0] = cmp_pred(pred, d->dbl[0], s->dbl[0]) ? ~0ull : 0;
      else d->d[0] = cmp_pred(pred, d->f[0], s->f[0]) ? ~0u : 0;
    } else {
      if ((rc = src128(c, in, s, 1))) return rc;
      if (p == P_66)
        for (int i = 0; i < 2; i++) d->q[i] = cmp_pred(pred, d->dbl[i], s->dbl[i]) ? ~0ull : 0;
      else
        for (int i = 0; i < 4; i++) d->d[i] = cmp_pred(pred, d->f[i], s->f[i]) ? ~0u : 0;
    }
    return 0;
  }
  default: return STOP_UD;
  }
}

static NOINLINE int sse_move(struct cpu *c, const struct insn *in) {
  int op2 = in->op & 0xFF, p = sel(in), rc;
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg];
  uint64_t v;
  // F2/F3 select another instruction only for movss/movsd and (F3) the
  // movdqu/movq forms; with the rest they are undefined.
  if (UNLIKELY(p == P_F2 || p == P_F3) && op2 != 0x10 && op2 != 0x11 &&
      !(p == P_F3 && (op2 == 0x6F || op2 == 0x7F || op2 == 0x7E)))
    return STOP_UD;
  if (UNLIKELY((op2 == 0x2B || op2 == 0xE7) && in->mod == 3)) return STOP_UD; // non-temporal stores: memory only
  switch (op2) {
  case 0x10: // movups/movupd/movss/movsd load
    if (p == P_F3 || p == P_F2) {
      int n = p == P_F3 ? 4 : 8;
      if (in->mod == 3) {
        memcpy(d, &c->xmm[in->rm], n);
        return 0;
      }
      if ((rc = ldn(c, ea(c, in), n, s))) return rc;
      memset(d->b, 0, 16);
      memcpy(d, s, n);
      return 0;
    }
    if ((rc = src128(c, in, s, 0))) return rc;
    memcpy(d, s, 16);
    return 0;
  case 0x11: case 0x29: case 0x2B: case 0x7F: case 0xE7: { // stores
    if (in->mod == 3) {
      union xmm *t = &c->xmm[in->rm];
      if (op2 == 0x11 && (p == P_F3 || p == P_F2)) memcpy(t, d, p == P_F3 ? 4 : 8);
      else if (op2 == 0x7F && p == P_NONE) return STOP_UD;
      else memcpy(t, d, 16);
      return 0;
    }
    uint64_t a = ea(c, in);
    if (op2 == 0x11 && (p == P_F3 || p == P_F2)) return stn(c, a, p == P_F3 ? 4 : 8, d);
    if (op2 == 0x7F && p == P_NONE) return STOP_UD;
    if ((op2 == 0x29 || op2 == 0x2B || op2 == 0xE7 || (op2 == 0x7F && p == P_66)) && (a & 15)) return STOP_GP;
    return stn(c, a, 16, d);
  }
  case 0x28: case 0x6F: // movaps/movapd, movdqa/movdqu
    if (op2 == 0x6F && p == P_NONE) return STOP_UD;
    if ((rc = src128(c, in, s, !(op2 == 0x6F && p == P_F3)))) return rc;
    memcpy(d, s, 16);
    return 0;
  case 0x12: case 0x13: case 0x16: case 0x17: { // movlps/movlpd/movhlps, movhps/movhpd/movlhps
    int hi = op2 >= 0x16;
    if (p == P_F3 || p == P_F2) return STOP_UD; // SSE3 forms
    if (op2 & 1) { // store form
      if (in->mod == 3) return STOP_UD;
      return stn(c, ea(c, in), 8, &d->q[hi]);
    }
    if (in->mod == 3) {
      if (p == P_66) return STOP_UD;
      d->q[hi] = c->xmm[in->rm].q[hi ? 0 : 1]; // movlhps / movhlps
      return 0;
    }
    v = ld(c, ea(c, in), 8);
    if (faulted(c)) return STOP_PAGEFAULT;
    d->q[hi] = v;
    return 0;
  }
  case 0x14: case 0x15: { // unpck{l,h}{ps,pd}
    if ((rc = src128(c, in, s, 1))) return rc;
    union xmm *a = &c->tmpx[1];
    *a = *d;
    int h = op2 == 0x15;
    if (p == P_66) {
      d->q[0] = a->q[h];
      d->q[1] = s->q[h];
    } else {
      d->d[0] = a->d[2 * h];
      d->d[1] = s->d[2 * h];
      d->d[2] = a->d[2 * h + 1];
      d->d[3] = s->d[2 * h + 1];
    }
    return 0;
  }
  case 0x50: { // movmskps/pd
    union xmm *t = &c->xmm[in->rm];
    if (in->mod != 3) return STOP_UD;
    uint64_t m = 0;
    if (p == P_66) m = (t->q[0] >> 63) | ((t->q[1] >> 63) << 1);
    else for (int i = 0; i < 4; i++) m |= (uint64_t)(t->d[i] >> 31) << i;
    setreg(c, in, in->reg, 4, m);
    return 0;
  }
  case 0x54: case 0x55: case 0x56: case 0x57: { // and, andn, or, xor (ps/pd)
    if ((rc = src128(c, in, s, 1))) return rc;
    for (int i = 0; i < 2; i++) {
      uint64_t a = d->q[i], b = s->q[i];
      d->q[i] = op2 == 0x54 ? a & b : op2 == 0x55 ? ~a & b : op2 == 0x56 ? a | b : a ^ b;
    }
    return 0;
  }
  case 0x6E: // movd/movq xmm, r/m
    if (p != P_66) return STOP_UD;
    v = get_rm(c, in, (in->pfx & PFX_REXW) ? 8 : 4);
    if (faulted(c)) return STOP_PAGEFAULT;
    memset(d, 0, 16);
    d->q[0] = v;
    return 0;
  case 0x7E:
    if (p == P_F3) { // movq xmm, xmm/m64
      if ((rc = srcn(c, in, s, 8))) return rc;
      d->q[0] = s->q[0];
      d->q[1] = 0;
      return 0;
    }
    if (p != P_66) return STOP_UD;
    return set_rm(c, in, (in->pfx & PFX_REXW) ? 8 : 4, d->q[0]);
  case 0xD6: // movq xmm/m64, xmm
    if (p != P_66) return STOP_UD;
    if (in->mod == 3) {
      c->xmm[in->rm].q[0] = d->q[0];
      c->xmm[in->rm].q[1] = 0;
      return 0;
    }
    return stn(c, ea(c, in), 8, &d->q[0]);
  case 0xC6: { // shufps / shufpd
    if ((rc = src128(c, in, s, 1))) return rc;
    union xmm *a = &c->tmpx[1];
    *a = *d;
    int im = (int)in->imm;
    if (p == P_66) {
      d->q[0] = a->q[im & 1];
      d->q[1] = s->q[(im >> 1) & 1];
    } else {
      d->d[0] = a->d[im & 3];
      d->d[1] = a->d[(im >> 2) & 3];
      d->d[2] = s->d[(im >> 4) & 3];
      d->d[3] = s->d[(im >> 6) & 3];
    }
    return 0;
  }
  case 0xC4: // pinsrw
    if (p != P_66) return STOP_UD;
    v = get_rm(c, in, 2);
    if (faulted(c)) return STOP_PAGEFAULT;
    d->w[in->imm & 7] = (uint16_t)v;
    return 0;
  case 0xC5: // pextrw
    if (p != P_66 || in->mod != 3) return STOP_UD;
    setreg(c, in, in->reg, 4, c->xmm[in->rm].w[in->imm & 7]);
    return 0;
  case 0xF7: { // maskmovdqu: bytes whose mask byte has bit 7 go to [rdi]
    if (p != P_66 || in->mod != 3) return STOP_UD;
    union xmm *m = &c->xmm[in->rm];
    uint64_t a = c->r[RDI];
    if (in->pfx & PFX_67) a = (uint32_t)a;
    if (in->seg) a += in->seg == 4 ? c->fs_base : c->gs_base;
    for (int i = 0; i < 16; i++)
      if (m->b[i] & 0x80)
        if ((rc = st(c, a + i, 1, d->b[i]))) return rc;
    return 0;
  }
  case 0xD7: { // pmovmskb
    if (p != P_66 || in->mod != 3) return STOP_UD;
    union xmm *t = &c->xmm[in->rm];
    uint32_t m = 0;
    for (int i = 0; i < 16; i++) m |= (uint32_t)(t->b[i] >> 7) << i;
    setreg(c, in, in->reg, 4, m);
    return 0;
  }
  default: return STOP_UD;
  }
}

static inline int8_t sat8(int v) { return v > 127 ? 127 : v < -128 ? -128 : (int8_t)v; }
static inline uint8_t satu8(int v) { return v > 255 ? 255 : v < 0 ? 0 : (uint8_t)v; }
static inline int16_t sat16(int v) { return v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)v; }
static inline uint16_t satu16(int v) { return v > 65535 ? 65535 : v < 0 ? 0 : (uint16_t)v; }

// Shifts of each element by count (>= width gives 0, or sign fill for sra).
static void pshift(union xmm *d, int width, int kind, uint64_t count) {
  int n = 16 / width;
  for (int i = 0; i < n; i++) {
    if (width == 2) {
      uint16_t x = d->w[i];
      if (kind == 0) d->w[i] = count > 15 ? 0 : (uint16_t)(x >> count);
      else if (kind == 1) d->sw[i] = (int16_t)(d->sw[i] >> (count > 15 ? 15 : count));
      else d->w[i] = count > 15 ? 0 : (uint16_t)(x << count);
    } else if (width == 4) {
      uint32_t x = d->d[i];
      if (kind == 0) d->d[i] = count > 31 ? 0 : x >> count;
      else if (kind == 1) d->sd[i] = d->sd[i] >> (count > 31 ? 31 : count);
      else d->d[i] = count > 31 ? 0 : x << count;
    } else {
      uint64_t x = d->q[i];
      if (kind == 0) d->q[i] = count > 63 ? 0 : x >> count;
      else d->q[i] = count > 63 ? 0 : x << count;
    }
  }
}

static NOINLINE int sse_shift_imm(struct cpu *c, const struct insn *in) {
  if (sel(in) != P_66 || in->mod != 3) return STOP_UD;
  union xmm *d = &c->xmm[in->rm];
  int op2 = in->op & 0xFF, sub = in->reg & 7;
  uint64_t n = in->imm & 0xFF;
  int width = op2 == 0x71 ? 2 : op2 == 0x72 ? 4 : 8;
  if (op2 == 0x73 && (sub == 3 || sub == 7)) { // psrldq, pslldq (bytes)
    union xmm *t = &c->tmpx[0];
    memset(t, 0, sizeof *t);
    if (n < 16) {
      if (sub == 3) memcpy(t->b, d->b + n, 16 - n);
      else memcpy(t->b + n, d->b, 16 - n);
    }
    memcpy(d, t, 16);
    return 0;
  }
  if (sub == 2) pshift(d, width, 0, n);
  else if (sub == 4 && width != 8) pshift(d, width, 1, n);
  else if (sub == 6) pshift(d, width, 2, n);
  else return STOP_UD;
  return 0;
}

// 128-bit integer ops, split in three so each compiled method stays small.
static NOINLINE int sse_int_unpack(union xmm *d, const union xmm *a, const union xmm *s, int op2) {
  switch (op2) {
  case 0x60: for (int i = 0; i < 8; i++) { d->b[2 * i] = a->b[i]; d->b[2 * i + 1] = s->b[i]; } break;
  case 0x61: for (int i = 0; i < 4; i++) { d->w[2 * i] = a->w[i]; d->w[2 * i + 1] = s->w[i]; } break;
  case 0x62: for (int i = 0; i < 2; i++) { d->d[2 * i] = a->d[i]; d->d[2 * i + 1] = s->d[i]; } break;
  case 0x68: for (int i = 0; i < 8; i++) { d->b[2 * i] = a->b[8 + i]; d->b[2 * i + 1] = s->b[8 + i]; } break;
  case 0x69: for (int i = 0; i < 4; i++) { d->w[2 * i] = a->w[4 + i]; d->w[2 * i + 1] = s->w[4 + i]; } break;
  case 0x6A: for (int i = 0; i < 2; i++) { d->d[2 * i] = a->d[2 + i]; d->d[2 * i + 1] = s->d[2 + i]; } break;
  case 0x6C: d->q[0] = a->q[0]; d->q[1] = s->q[0]; break;
  case 0x6D: d->q[0] = a->q[1]; d->q[1] = s->q[1]; break;
  case 0x63: for (int i = 0; i < 8; i++) { d->sb[i] = sat8(a->sw[i]); d->sb[8 + i] = sat8(s->sw[i]); } break;
  case 0x67: for (int i = 0; i < 8; i++) { d->b[i] = satu8(a->sw[i]); d->b[8 + i] = satu8(s->sw[i]); } break;
  case 0x6B: for (int i = 0; i < 4; i++) { d->sw[i] = sat16(a->sd[i]); d->sw[4 + i] = sat16(s->sd[i]); } break;
  case 0x64: for (int i = 0; i < 16; i++) d->b[i] = a->sb[i] > s->sb[i] ? 0xFF : 0; break;
  case 0x65: for (int i = 0; i < 8; i++) d->w[i] = a->sw[i] > s->sw[i] ? 0xFFFF : 0; break;
  case 0x66: for (int i = 0; i < 4; i++) d->d[i] = a->sd[i] > s->sd[i] ? ~0u : 0; break;
  case 0x74: for (int i = 0; i < 16; i++) d->b[i] = a->b[i] == s->b[i] ? 0xFF : 0; break;
  case 0x75: for (int i = 0; i < 8; i++) d->w[i] = a->w[i] == s->w[i] ? 0xFFFF : 0; break;
  case 0x76: for (int i = 0; i < 4; i++) d->d[i] = a->d[i] == s->d[i] ? ~0u : 0; break;
  default: *d = *a; return STOP_UD;
  }
  return 0;
}

static NOINLINE int sse_int_arith(union xmm *d, const union xmm *a, const union xmm *s, int op2) {
  switch (op2) {
  case 0xD1: memcpy(d, a, 16); pshift(d, 2, 0, s->q[0]); break;
  case 0xD2: memcpy(d, a, 16); pshift(d, 4, 0, s->q[0]); break;
  case 0xD3: memcpy(d, a, 16); pshift(d, 8, 0, s->q[0]); break;
  case 0xE1: memcpy(d, a, 16); pshift(d, 2, 1, s->q[0]); break;
  case 0xE2: memcpy(d, a, 16); pshift(d, 4, 1, s->q[0]); break;
  case 0xD4: for (int i = 0; i < 2; i++) d->q[i] = a->q[i] + s->q[i]; break;
  case 0xD5: for (int i = 0; i < 8; i++) d->w[i] = (uint16_t)(a->sw[i] * s->sw[i]); break;
  case 0xE5: for (int i = 0; i < 8; i++) d->w[i] = (uint16_t)((a->sw[i] * s->sw[i]) >> 16); break;
  case 0xE4: for (int i = 0; i < 8; i++) d->w[i] = (uint16_t)(((uint32_t)a->w[i] * s->w[i]) >> 16); break;
  case 0xD8: for (int i = 0; i < 16; i++) d->b[i] = satu8(a->b[i] - s->b[i]); break;
  case 0xD9: for (int i = 0; i < 8; i++) d->w[i] = satu16(a->w[i] - s->w[i]); break;
  case 0xDC: for (int i = 0; i < 16; i++) d->b[i] = satu8(a->b[i] + s->b[i]); break;
  case 0xDD: for (int i = 0; i < 8; i++) d->w[i] = satu16(a->w[i] + s->w[i]); break;
  case 0xE8: for (int i = 0; i < 16; i++) d->sb[i] = sat8(a->sb[i] - s->sb[i]); break;
  case 0xE9: for (int i = 0; i < 8; i++) d->sw[i] = sat16(a->sw[i] - s->sw[i]); break;
  case 0xDA: for (int i = 0; i < 16; i++) d->b[i] = a->b[i] < s->b[i] ? a->b[i] : s->b[i]; break;
  case 0xDE: for (int i = 0; i < 16; i++) d->b[i] = a->b[i] > s->b[i] ? a->b[i] : s->b[i]; break;
  case 0xE0: for (int i = 0; i < 16; i++) d->b[i] = (uint8_t)((a->b[i] + s->b[i] + 1) >> 1); break;
  case 0xE3: for (int i = 0; i < 8; i++) d->w[i] = (uint16_t)((a->w[i] + s->w[i] + 1) >> 1); break;
  case 0xDB: for (int i = 0; i < 2; i++) d->q[i] = a->q[i] & s->q[i]; break;
  case 0xDF: for (int i = 0; i < 2; i++) d->q[i] = ~a->q[i] & s->q[i]; break;
  default: *d = *a; return STOP_UD;
  }
  return 0;
}

static NOINLINE int sse_int_logic(union xmm *d, const union xmm *a, const union xmm *s, int op2) {
  switch (op2) {
  case 0xF1: memcpy(d, a, 16); pshift(d, 2, 2, s->q[0]); break;
  case 0xF2: memcpy(d, a, 16); pshift(d, 4, 2, s->q[0]); break;
  case 0xF3: memcpy(d, a, 16); pshift(d, 8, 2, s->q[0]); break;
  case 0xFB: for (int i = 0; i < 2; i++) d->q[i] = a->q[i] - s->q[i]; break;
  case 0xF4: for (int i = 0; i < 2; i++) d->q[i] = (uint64_t)a->d[2 * i] * s->d[2 * i]; break;
  case 0xF5:
    for (int i = 0; i < 4; i++)
      d->sd[i] = (int32_t)((uint32_t)(a->sw[2 * i] * s->sw[2 * i]) + (uint32_t)(a->sw[2 * i + 1] * s->sw[2 * i + 1]));
    break;
  case 0xF6: {
    for (int h = 0; h < 2; h++) {
      unsigned sum = 0;
      for (int i = 0; i < 8; i++) sum += (unsigned)abs((int)a->b[8 * h + i] - (int)s->b[8 * h + i]);
      d->q[h] = sum;
    }
    break;
  }
  case 0xEC: for (int i = 0; i < 16; i++) d->sb[i] = sat8(a->sb[i] + s->sb[i]); break;
  case 0xED: for (int i = 0; i < 8; i++) d->sw[i] = sat16(a->sw[i] + s->sw[i]); break;
  case 0xEA: for (int i = 0; i < 8; i++) d->sw[i] = a->sw[i] < s->sw[i] ? a->sw[i] : s->sw[i]; break;
  case 0xEE: for (int i = 0; i < 8; i++) d->sw[i] = a->sw[i] > s->sw[i] ? a->sw[i] : s->sw[i]; break;
  case 0xEB: for (int i = 0; i < 2; i++) d->q[i] = a->q[i] | s->q[i]; break;
  case 0xEF: for (int i = 0; i < 2; i++) d->q[i] = a->q[i] ^ s->q[i]; break;
  case 0xF8: for (int i = 0; i < 16; i++) d->b[i] = a->b[i] - s->b[i]; break;
  case 0xF9: for (int i = 0; i < 8; i++) d->w[i] = a->w[i] - s->w[i]; break;
  case 0xFA: for (int i = 0; i < 4; i++) d->d[i] = a->d[i] - s->d[i]; break;
  case 0xFC: for (int i = 0; i < 16; i++) d->b[i] = a->b[i] + s->b[i]; break;
  case 0xFD: for (int i = 0; i < 8; i++) d->w[i] = a->w[i] + s->w[i]; break;
  case 0xFE: for (int i = 0; i < 4; i++) d->d[i] = a->d[i] + s->d[i]; break;
  default: *d = *a; return STOP_UD;
  }
  return 0;
}

// The element-wise integer ops on 16-byte operands (MMX reuses them on the
// low 8 bytes).
int cpu_sse_int_op(union xmm *d, const union xmm *a, const union xmm *s, int op2) {
  if (op2 <= 0x76) return sse_int_unpack(d, a, s, op2);
  if (op2 <= 0xE9) return sse_int_arith(d, a, s, op2);
  return sse_int_logic(d, a, s, op2);
}

static NOINLINE int sse_int(struct cpu *c, const struct insn *in) {
  int op2 = in->op & 0xFF, rc;
  if (sel(in) != P_66) return STOP_UD; // MMX forms: issue 4
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg], *a = &c->tmpx[1];
  *a = *d;
  if ((rc = src128(c, in, s, 1))) return rc;
  if (op2 <= 0x76) return sse_int_unpack(d, a, s, op2);
  if (op2 <= 0xE9) return sse_int_arith(d, a, s, op2);
  return sse_int_logic(d, a, s, op2);
}

static NOINLINE int sse_shuffle(struct cpu *c, const struct insn *in) {
  int p = sel(in), rc;
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg];
  if (p == P_NONE) return STOP_UD;
  if ((rc = src128(c, in, s, 1))) return rc;
  int im = (int)in->imm;
  if (p == P_66) {
    for (int i = 0; i < 4; i++) d->d[i] = s->d[(im >> (2 * i)) & 3];
  } else if (p == P_F3) { // pshufhw
    d->q[0] = s->q[0];
    for (int i = 0; i < 4; i++) d->w[4 + i] = s->w[4 + ((im >> (2 * i)) & 3)];
  } else { // pshuflw
    d->q[1] = s->q[1];
    for (int i = 0; i < 4; i++) d->w[i] = s->w[(im >> (2 * i)) & 3];
  }
  return 0;
}

// Opcodes whose operands are MMX registers: the integer ops without a
// prefix, movq2dq/movdq2q (F3/F2 D6) and the cvt*pi* conversions.
static int is_mmx_form(int op2, int pfx) {
  int p = pfx & (PFX_66 | PFX_F2 | PFX_F3);
  if (op2 == 0x2A || op2 == 0x2C || op2 == 0x2D) return p == 0 || p == PFX_66;
  if (op2 == 0xD6) return p == PFX_F2 || p == PFX_F3;
  if (p) return 0;
  return (op2 >= 0x60 && op2 <= 0x7F) || op2 == 0xC4 || op2 == 0xC5 || op2 >= 0xD0;
}

NOINLINE int cpu_exec_sse(struct cpu *c, const struct insn *in) {
  if (UNLIKELY(in->pfx & PFX_VEX)) return cpu_exec_vex(c, in);
  if (in->op >= 0x200) return cpu_exec_0f38(c, in);
  int op2 = in->op & 0xFF;
  if (is_mmx_form(op2, in->pfx)) return cpu_exec_mmx(c, in);
  switch (op2) {
  case 0x7C: case 0x7D: case 0xD0: case 0xF0: return cpu_sse3(c, in);
  case 0x12: case 0x16:
    if (in->pfx & (PFX_F2 | PFX_F3)) return cpu_sse3(c, in);
    return sse_move(c, in);
  case 0x51: case 0x58: case 0x59: case 0x5C: case 0x5D: case 0x5E: case 0x5F: return sse_float(c, in);
  case 0x52: case 0x53: return cpu_rcp(c, in);
  case 0x2A: case 0x2C: case 0x2D: case 0x2E: case 0x2F: case 0x5A: case 0x5B: case 0xC2: case 0xE6:
    return sse_cvt(c, in);
  case 0x70: return sse_shuffle(c, in);
  case 0x71: case 0x72: case 0x73: return sse_shift_imm(c, in);
  case 0x10: case 0x11: case 0x13: case 0x14: case 0x15: case 0x17: case 0x28:
  case 0x29: case 0x2B: case 0x50: case 0x54: case 0x55: case 0x56: case 0x57: case 0x6E: case 0x6F:
  case 0x7E: case 0x7F: case 0xC4: case 0xC5: case 0xC6: case 0xD6: case 0xD7: case 0xE7: case 0xF7:
    return sse_move(c, in);
  default:
    if ((op2 >= 0x60 && op2 <= 0x76) || op2 >= 0xD0) return sse_int(c, in);
    return STOP_UD;
  }
}
