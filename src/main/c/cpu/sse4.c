// SPDX-License-Identifier: MIT
// SSE3, SSSE3, SSE4.1, SSE4.2 and PCLMULQDQ in their legacy (66-prefixed,
// 128-bit) encodings, and the router for VEX-encoded instructions (SDM
// vol. 2). MMX (no-prefix) forms of SSSE3 go to mmx.c. Each group is its own
// small noinline function. Under a non-default MXCSR the floating-point
// ones (hadd/hsub/addsub, round, dpps/dppd) go to mxcsr.c and mxcsr_cvt.c.
#include <math.h>

#include "internal.h"

static inline int16_t sat16(int v) { return v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)v; }
static inline uint16_t satu16(int64_t v) { return v > 65535 ? 65535 : v < 0 ? 0 : (uint16_t)v; }

// x86 NaN results (first NaN source wins, quieted; else the indefinite).
static float fix_f(float r, float a, float b) {
  if (r == r) return r;
  uint32_t u;
  if (a != a) memcpy(&u, &a, 4), u |= 1u << 22;
  else if (b != b) memcpy(&u, &b, 4), u |= 1u << 22;
  else u = 0xFFC00000u;
  memcpy(&r, &u, 4);
  return r;
}
static double fix_d(double r, double a, double b) {
  if (r == r) return r;
  uint64_t u;
  if (a != a) memcpy(&u, &a, 8), u |= 1ull << 51;
  else if (b != b) memcpy(&u, &b, 8), u |= 1ull << 51;
  else u = 0xFFF8000000000000ull;
  memcpy(&r, &u, 8);
  return r;
}
static float addf(float a, float b) { return fix_f(a + b, a, b); }
static float subf(float a, float b) { return fix_f(a - b, a, b); }
static float mulf(float a, float b) { return fix_f(a * b, a, b); }
static double addd(double a, double b) { return fix_d(a + b, a, b); }
static double subd(double a, double b) { return fix_d(a - b, a, b); }
static double muld(double a, double b) { return fix_d(a * b, a, b); }

// SSE3: haddp[sd], hsubp[sd], addsubp[sd], lddqu, movddup, movs[lh]dup.
NOINLINE int cpu_sse3(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, rc;
  int f2 = (in->pfx & PFX_F2) != 0, f3 = (in->pfx & PFX_F3) != 0, p66 = !f2 && !f3 && (in->pfx & PFX_66);
  union xmm *s = &c->tmpx[0], *a = &c->tmpx[1], *d = &c->xmm[in->reg];
  if (op == 0xF0) { // lddqu
    if (!f2 || in->mod == 3) return STOP_UD;
    return ldn(c, ea(c, in), 16, d);
  }
  if (op == 0x12 && f2) { // movddup xmm, xmm/m64
    uint64_t v = in->mod == 3 ? c->xmm[in->rm].q[0] : ld(c, ea(c, in), 8);
    if (faulted(c)) return STOP_PAGEFAULT;
    d->q[0] = d->q[1] = v;
    return 0;
  }
  if (!f2 && !p66 && !(f3 && (op == 0x12 || op == 0x16))) return STOP_UD;
  if (op == 0x16 && !f3) return STOP_UD; // F2 0F 16 is undefined
  if (UNLIKELY(mxcsr_special(c)) && op != 0x12 && op != 0x16) return cpu_sse3_mx(c, in);
  if ((rc = src128(c, in, s, 1))) return rc;
  *a = *d;
  switch (op) {
  case 0x12: case 0x16: { // movsldup, movshdup
    int h = op == 0x16;
    d->d[0] = d->d[1] = s->d[h];
    d->d[2] = d->d[3] = s->d[2 + h];
    return 0;
  }
  case 0x7C: case 0x7D: // hadd, hsub
    if (p66) {
      d->dbl[0] = op == 0x7C ? addd(a->dbl[0], a->dbl[1]) : subd(a->dbl[0], a->dbl[1]);
      d->dbl[1] = op == 0x7C ? addd(s->dbl[0], s->dbl[1]) : subd(s->dbl[0], s->dbl[1]);
    } else {
      for (int i = 0; i < 4; i++) {
        const union xmm *x = i < 2 ? a : s;
        int k = 2 * (i & 1);
        d->f[i] = op == 0x7C ? addf(x->f[k], x->f[k + 1]) : subf(x->f[k], x->f[k + 1]);
      }
    }
    return 0;
  case 0xD0: // addsub
    if (p66) {
      d->dbl[0] = subd(a->dbl[0], s->dbl[0]);
      d->dbl[1] = addd(a->dbl[1], s->dbl[1]);
    } else {
      for (int i = 0; i < 4; i++) d->f[i] = (i & 1) ? addf(a->f[i], s->f[i]) : subf(a->f[i], s->f[i]);
    }
    return 0;
  default: return STOP_UD;
  }
}

// SSSE3 (66 0F38 00-0B, 1C-1E).
NOINLINE int cpu_ssse3_op(union xmm *d, const union xmm *a, const union xmm *s, int op) {
  switch (op) {
  case 0x00: for (int i = 0; i < 16; i++) d->b[i] = (s->b[i] & 0x80) ? 0 : a->b[s->b[i] & 15]; return 0;
  case 0x01: case 0x03: case 0x05: case 0x07:
    for (int i = 0; i < 8; i++) {
      const union xmm *x = i < 4 ? a : s;
      int k = 2 * (i & 3), v = op <= 0x03 ? x->sw[k] + x->sw[k + 1] : x->sw[k] - x->sw[k + 1];
      d->sw[i] = (op & 2) ? sat16(v) : (int16_t)v;
    }
    return 0;
  case 0x02: case 0x06:
    for (int i = 0; i < 4; i++) {
      const union xmm *x = i < 2 ? a : s;
      int k = 2 * (i & 1);
      d->d[i] = op == 0x02 ? x->d[k] + x->d[k + 1] : x->d[k] - x->d[k + 1];
    }
    return 0;
  case 0x04:
    for (int i = 0; i < 8; i++) d->sw[i] = sat16(a->b[2 * i] * s->sb[2 * i] + a->b[2 * i + 1] * s->sb[2 * i + 1]);
    return 0;
  case 0x08: for (int i = 0; i < 16; i++) d->sb[i] = s->sb[i] < 0 ? (int8_t)-a->sb[i] : s->sb[i] ? a->sb[i] : 0; return 0;
  case 0x09: for (int i = 0; i < 8; i++) d->sw[i] = s->sw[i] < 0 ? (int16_t)-a->sw[i] : s->sw[i] ? a->sw[i] : 0; return 0;
  case 0x0A:
    for (int i = 0; i < 4; i++) d->d[i] = s->sd[i] < 0 ? 0u - a->d[i] : s->sd[i] ? a->d[i] : 0;
    return 0;
  case 0x0B: for (int i = 0; i < 8; i++) d->sw[i] = (int16_t)((((a->sw[i] * s->sw[i]) >> 14) + 1) >> 1); return 0;
  case 0x1C: for (int i = 0; i < 16; i++) d->b[i] = (uint8_t)(s->sb[i] < 0 ? -s->sb[i] : s->sb[i]); return 0;
  case 0x1D: for (int i = 0; i < 8; i++) d->w[i] = (uint16_t)(s->sw[i] < 0 ? -s->sw[i] : s->sw[i]); return 0;
  case 0x1E: for (int i = 0; i < 4; i++) d->d[i] = s->sd[i] < 0 ? 0u - s->d[i] : s->d[i]; return 0;
  default: *d = *a; return STOP_UD;
  }
}

// SSE4.1/4.2 two-operand integer ops of the 0F38 map.
static NOINLINE int sse41_op(struct cpu *c, union xmm *d, const union xmm *a, const union xmm *s, int op) {
  const union xmm *x0 = &c->xmm[0];
  switch (op) {
  case 0x10: for (int i = 0; i < 16; i++) d->b[i] = (x0->b[i] & 0x80) ? s->b[i] : a->b[i]; return 0;
  case 0x14: for (int i = 0; i < 4; i++) d->d[i] = (x0->d[i] >> 31) ? s->d[i] : a->d[i]; return 0;
  case 0x15: for (int i = 0; i < 2; i++) d->q[i] = (x0->q[i] >> 63) ? s->q[i] : a->q[i]; return 0;
  case 0x28: for (int i = 0; i < 2; i++) d->sq[i] = (int64_t)a->sd[2 * i] * s->sd[2 * i]; return 0;
  case 0x29: for (int i = 0; i < 2; i++) d->q[i] = a->q[i] == s->q[i] ? ~0ull : 0; return 0;
  case 0x2B:
    for (int i = 0; i < 4; i++) {
      d->w[i] = satu16(a->sd[i]);
      d->w[4 + i] = satu16(s->sd[i]);
    }
    return 0;
  case 0x37: for (int i = 0; i < 2; i++) d->q[i] = a->sq[i] > s->sq[i] ? ~0ull : 0; return 0;
  case 0x38: for (int i = 0; i < 16; i++) d->sb[i] = a->sb[i] < s->sb[i] ? a->sb[i] : s->sb[i]; return 0;
  case 0x39: for (int i = 0; i < 4; i++) d->sd[i] = a->sd[i] < s->sd[i] ? a->sd[i] : s->sd[i]; return 0;
  case 0x3A: for (int i = 0; i < 8; i++) d->w[i] = a->w[i] < s->w[i] ? a->w[i] : s->w[i]; return 0;
  case 0x3B: for (int i = 0; i < 4; i++) d->d[i] = a->d[i] < s->d[i] ? a->d[i] : s->d[i]; return 0;
  case 0x3C: for (int i = 0; i < 16; i++) d->sb[i] = a->sb[i] > s->sb[i] ? a->sb[i] : s->sb[i]; return 0;
  case 0x3D: for (int i = 0; i < 4; i++) d->sd[i] = a->sd[i] > s->sd[i] ? a->sd[i] : s->sd[i]; return 0;
  case 0x3E: for (int i = 0; i < 8; i++) d->w[i] = a->w[i] > s->w[i] ? a->w[i] : s->w[i]; return 0;
  case 0x3F: for (int i = 0; i < 4; i++) d->d[i] = a->d[i] > s->d[i] ? a->d[i] : s->d[i]; return 0;
  case 0x40: for (int i = 0; i < 4; i++) d->d[i] = a->d[i] * s->d[i]; return 0;
  case 0x41: {
    int k = 0;
    for (int i = 1; i < 8; i++) if (s->w[i] < s->w[k]) k = i;
    uint16_t m = s->w[k];
    memset(d, 0, 16);
    d->w[0] = m;
    d->w[1] = (uint16_t)k;
    return 0;
  }
  default: *d = *a; return STOP_UD;
  }
}

// pmovsx/pmovzx (66 0F38 20-25, 30-35): source m64/m32/m16 or an xmm.
static NOINLINE int pmovx(struct cpu *c, const struct insn *in, int op) {
  static const uint8_t from[6] = {1, 1, 1, 2, 2, 4}, to[6] = {2, 4, 8, 4, 8, 8};
  int k = op & 7, sx = op < 0x30;
  if (k > 5) return STOP_UD;
  int n = 16 / to[k], fs = from[k], ts = to[k];
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg];
  memset(s, 0, 16);
  if (in->mod == 3) memcpy(s, &c->xmm[in->rm], 16);
  else {
    int rc = ldn(c, ea(c, in), n * fs, s);
    if (rc) return rc;
  }
  union xmm *r = &c->tmpx[1];
  for (int i = 0; i < n; i++) {
    uint64_t v = 0;
    memcpy(&v, s->b + i * fs, fs);
    if (sx) v = (uint64_t)sext(v, fs);
    memcpy(r->b + i * ts, &v, ts);
  }
  memcpy(d, r, 16);
  return 0;
}

static NOINLINE int ptest(struct cpu *c, const struct insn *in) {
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg];
  int rc = src128(c, in, s, 1);
  if (rc) return rc;
  c->lf_op = LF_NONE;
  c->flags &= ~F_ARITH;
  if (!((d->q[0] & s->q[0]) | (d->q[1] & s->q[1]))) c->flags |= F_ZF;
  if (!((~d->q[0] & s->q[0]) | (~d->q[1] & s->q[1]))) c->flags |= F_CF;
  return 0;
}

// roundps/pd/ss/sd: imm[1:0] mode unless imm[2] (then MXCSR.RC).
static double round_mode(double v, int mode) {
  switch (mode) {
  case 0: return nearbyint(v);
  case 1: return floor(v);
  case 2: return ceil(v);
  default: return trunc(v);
  }
}
static NOINLINE int sse41_round(struct cpu *c, const struct insn *in, int op) {
  if (UNLIKELY(mxcsr_special(c))) return cpu_sse_round_mx(c, in, op);
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg];
  int rc, mode = (in->imm & 4) ? (int)((c->mxcsr >> 13) & 3) : (int)(in->imm & 3);
  if (op == 0x0A || op == 0x0B) {
    int n = op == 0x0A ? 4 : 8;
    if (in->mod == 3) memcpy(s, &c->xmm[in->rm], 16);
    else if ((rc = ldn(c, ea(c, in), n, s))) return rc;
  } else if ((rc = src128(c, in, s, 1))) {
    return rc;
  }
  int dbl = op & 1, cnt = (op & 2) ? 1 : dbl ? 2 : 4;
  for (int i = 0; i < cnt; i++) {
    if (dbl) {
      double v = s->dbl[i];
      if (v != v) d->q[i] = s->q[i] | (1ull << 51);
      else d->dbl[i] = round_mode(v, mode);
    } else {
      float v = s->f[i];
      if (v != v) d->d[i] = s->d[i] | (1u << 22);
      else d->f[i] = (float)round_mode(v, mode); // exact: an integral float fits
    }
  }
  return 0;
}

// dpps/dppd: masked products summed pairwise, the sum written to the
// lanes imm[3:0] selects (SDM vol. 2, DPPS). The sum is the same in every
// lane except for which NaN wins: measured on hardware, each lane adds the
// terms in its own order (dpps lane i: pairs (t1,t0),(t3,t2) for even i and
// (t0,t1),(t2,t3) for odd i, low pair first for i < 2; dppd lane i: t_i
// first).
static NOINLINE int sse41_dp(struct cpu *c, const struct insn *in, int op) {
  if (UNLIKELY(mxcsr_special(c))) return cpu_sse_dp_mx(c, in, op);
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg];
  int rc = src128(c, in, s, 1), im = (int)in->imm;
  if (rc) return rc;
  if (op == 0x40) {
    float t[4], r[4];
    for (int i = 0; i < 4; i++) t[i] = (im >> (4 + i)) & 1 ? mulf(d->f[i], s->f[i]) : 0.0f;
    for (int i = 0; i < 4; i++) {
      float lo = (i & 1) ? addf(t[0], t[1]) : addf(t[1], t[0]);
      float hi = (i & 1) ? addf(t[2], t[3]) : addf(t[3], t[2]);
      r[i] = (i & 2) ? addf(hi, lo) : addf(lo, hi);
    }
    for (int i = 0; i < 4; i++) d->f[i] = (im >> i) & 1 ? r[i] : 0.0f;
  } else {
    double t0 = (im >> 4) & 1 ? muld(d->dbl[0], s->dbl[0]) : 0.0;
    double t1 = (im >> 5) & 1 ? muld(d->dbl[1], s->dbl[1]) : 0.0;
    double r0 = addd(t0, t1), r1 = addd(t1, t0);
    d->dbl[0] = (im & 1) ? r0 : 0.0;
    d->dbl[1] = (im & 2) ? r1 : 0.0;
  }
  return 0;
}

// Blends, palignr, mpsadbw, pclmulqdq (0F3A, xmm, xmm/m128, imm8).
static NOINLINE int sse41_imm(struct cpu *c, const struct insn *in, int op) {
  union xmm *s = &c->tmpx[0], *a = &c->tmpx[1], *d = &c->xmm[in->reg];
  int rc = src128(c, in, s, 1), im = (int)(in->imm & 0xFF);
  if (rc) return rc;
  *a = *d;
  switch (op) {
  case 0x0C: for (int i = 0; i < 4; i++) if ((im >> i) & 1) d->d[i] = s->d[i]; return 0;
  case 0x0D: for (int i = 0; i < 2; i++) if ((im >> i) & 1) d->q[i] = s->q[i]; return 0;
  case 0x0E: for (int i = 0; i < 8; i++) if ((im >> i) & 1) d->w[i] = s->w[i]; return 0;
  case 0x0F: // palignr: (a:s) >> 8*imm
    for (int i = 0; i < 16; i++) {
      int k = i + im;
      d->b[i] = k < 16 ? s->b[k] : k < 32 ? a->b[k - 16] : 0;
    }
    return 0;
  case 0x42: {
    int ao = (im & 4) ? 4 : 0, so = (im & 3) * 4;
    for (int i = 0; i < 8; i++) {
      int sum = 0;
      for (int j = 0; j < 4; j++) {
        int x = a->b[ao + i + j] - s->b[so + j];
        sum += x < 0 ? -x : x;
      }
      d->w[i] = (uint16_t)sum;
    }
    return 0;
  }
  case 0x44: { // pclmulqdq
    uint64_t x = a->q[im & 1], y = s->q[(im >> 4) & 1], lo = 0, hi = 0;
    for (int i = 0; i < 64; i++)
      if ((y >> i) & 1) {
        lo ^= x << i;
        if (i) hi ^= x >> (64 - i);
      }
    d->q[0] = lo;
    d->q[1] = hi;
    return 0;
  }
  default: return STOP_UD;
  }
}

// pextrb/w/d/q, extractps, pinsrb/d/q, insertps (66 0F3A 14-17, 20-22).
static NOINLINE int sse41_ins_ext(struct cpu *c, const struct insn *in, int op) {
  union xmm *x = &c->xmm[in->reg];
  int im = (int)(in->imm & 0xFF), q = (in->pfx & PFX_REXW) != 0, rc;
  uint64_t v;
  switch (op) {
  case 0x14: case 0x15: case 0x16: case 0x17: {
    int size = op == 0x14 ? 1 : op == 0x15 ? 2 : (op == 0x16 && q) ? 8 : 4;
    v = size == 1 ? x->b[im & 15] : size == 2 ? x->w[im & 7] : size == 4 ? x->d[im & 3] : x->q[im & 1];
    if (in->mod == 3) {
      c->r[in->rm] = v; // zero-extended into the whole register
      return 0;
    }
    return st(c, ea(c, in), size, v);
  }
  case 0x20: case 0x22: {
    int size = op == 0x20 ? 1 : q ? 8 : 4;
    v = in->mod == 3 ? c->r[in->rm] : ld(c, ea(c, in), size);
    if (faulted(c)) return STOP_PAGEFAULT;
    if (size == 1) x->b[im & 15] = (uint8_t)v;
    else if (size == 4) x->d[im & 3] = (uint32_t)v;
    else x->q[im & 1] = v;
    return 0;
  }
  case 0x21: { // insertps
    uint32_t e;
    if (in->mod == 3) e = c->xmm[in->rm].d[(im >> 6) & 3];
    else {
      e = (uint32_t)ld(c, ea(c, in), 4);
      if (faulted(c)) return STOP_PAGEFAULT;
    }
    x->d[(im >> 4) & 3] = e;
    for (int i = 0; i < 4; i++) if ((im >> i) & 1) x->d[i] = 0;
    return 0;
  }
  default: (void)rc; return STOP_UD;
  }
}

// SSE4.2 string compares (SDM vol. 2, 4.1 "Imm8 control byte operation for
// PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM").
static int str_len_explicit(uint64_t r, int w64, int n) {
  int64_t v = w64 ? (int64_t)r : (int64_t)(int32_t)r;
  if (v < 0) v = v == INT64_MIN ? n : -v;
  return v > n ? n : (int)v;
}
static int str_elem(const union xmm *x, int i, int fmt) {
  switch (fmt) {
  case 0: return x->b[i];
  case 1: return x->w[i];
  case 2: return x->sb[i];
  default: return x->sw[i];
  }
}
static int str_len_implicit(const union xmm *x, int n, int fmt) {
  for (int i = 0; i < n; i++) if (!str_elem(x, i, fmt)) return i;
  return n;
}

NOINLINE int cpu_sse42_str(struct cpu *c, const struct insn *in, int op) {
  union xmm *b = &c->tmpx[0], *a = &c->xmm[in->reg];
  int rc = src128(c, in, b, 0);
  if (rc) return rc;
  int im = (int)(in->imm & 0xFF), fmt = im & 3, agg = (im >> 2) & 3, pol = (im >> 4) & 3;
  int n = (fmt & 1) ? 8 : 16, w64 = (in->pfx & PFX_REXW) != 0, la, lb;
  if (op <= 0x61) {
    la = str_len_explicit(c->r[RAX], w64, n);
    lb = str_len_explicit(c->r[RDX], w64, n);
  } else {
    la = str_len_implicit(a, n, fmt);
    lb = str_len_implicit(b, n, fmt);
  }
  unsigned res = 0;
  for (int j = 0; j < n; j++) {
    int bj = str_elem(b, j, fmt), hit = 0;
    switch (agg) {
    case 0: // equal any
      if (j < lb) for (int i = 0; i < la && !hit; i++) hit = str_elem(a, i, fmt) == bj;
      break;
    case 1: // ranges
      if (j < lb)
        for (int i = 0; i + 1 < la && !hit; i += 2) hit = str_elem(a, i, fmt) <= bj && bj <= str_elem(a, i + 1, fmt);
      break;
    case 2: // equal each
      hit = (j >= la && j >= lb) ? 1 : (j >= la || j >= lb) ? 0 : str_elem(a, j, fmt) == bj;
      break;
    default: // equal ordered
      hit = 1;
      for (int k = 0; k < n - j && hit; k++) {
        if (k >= la) break;
        if (j + k >= lb) hit = 0;
        else hit = str_elem(a, k, fmt) == str_elem(b, j + k, fmt);
      }
      break;
    }
    res |= (unsigned)hit << j;
  }
  unsigned all = (1u << n) - 1;
  if (pol == 1) res ^= all;
  else if (pol == 3) res ^= (1u << lb) - 1;
  res &= all;
  if (op & 1) { // index into ECX
    c->r[RCX] = !res ? (uint64_t)n : (im & 0x40) ? (uint64_t)(31 - __builtin_clz(res)) : (uint64_t)__builtin_ctz(res);
  } else { // mask into XMM0
    union xmm *x0 = &c->xmm[0];
    memset(x0, 0, (in->pfx & PFX_VEX) ? 32 : 16); // VEX zeroes the upper half too
    if (im & 0x40) {
      for (int j = 0; j < n; j++)
        if ((res >> j) & 1) memset(x0->b + j * (16 / n), 0xFF, 16 / n);
    } else {
      x0->q[0] = res;
    }
  }
  c->lf_op = LF_NONE;
  c->flags &= ~F_ARITH;
  if (res) c->flags |= F_CF;
  if (lb < n) c->flags |= F_ZF;
  if (la < n) c->flags |= F_SF;
  if (res & 1) c->flags |= F_OF;
  return 0;
}

// Legacy 0F38 and 0F3A maps (op 0x200-0x3FF).
NOINLINE int cpu_exec_0f38(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, rc;
  if (in->op < 0x300) {
    if (op == 0xF0 || op == 0xF1 || op == 0xF6) return cpu_exec_gpr38(c, in);
    if (!(in->pfx & (PFX_66 | PFX_F2 | PFX_F3)) && (op <= 0x0B || (op >= 0x1C && op <= 0x1E)))
      return cpu_exec_mmx(c, in); // SSSE3 on MMX registers
    if ((in->pfx & (PFX_66 | PFX_F2 | PFX_F3)) != PFX_66) return STOP_UD;
    if ((op >= 0x20 && op <= 0x25) || (op >= 0x30 && op <= 0x35)) return pmovx(c, in, op);
    if (op == 0x17) return ptest(c, in);
    union xmm *s = &c->tmpx[0], *a = &c->tmpx[1], *d = &c->xmm[in->reg];
    if (op == 0x2A) { // movntdqa
      if (in->mod == 3) return STOP_UD;
      return src128(c, in, d, 1);
    }
    // Valid 66 0F38 opcodes left (the rest #UD before touching memory).
    static const uint32_t valid_lo = 0x70B10FFFu; // 00-0B 10 14 15 17 1C-1E (bit n: opcode n)
    static const uint32_t valid_hi = 0xFFBF0F3Fu; // 20-25 28-2B 30-35 37-3F (bit n: opcode 20+n)
    int valid = op < 0x20 ? (valid_lo >> op) & 1 : op < 0x40 ? (valid_hi >> (op - 0x20)) & 1 : op <= 0x41;
    if (!valid) return STOP_UD;
    if ((rc = src128(c, in, s, 1))) return rc;
    *a = *d;
    if (op <= 0x0B || (op >= 0x1C && op <= 0x1E)) return cpu_ssse3_op(d, a, s, op);
    return sse41_op(c, d, a, s, op);
  }
  if (op == 0x0F && !(in->pfx & (PFX_66 | PFX_F2 | PFX_F3))) return cpu_exec_mmx(c, in); // palignr mm
  if ((in->pfx & (PFX_66 | PFX_F2 | PFX_F3)) != PFX_66) return STOP_UD;
  switch (op) {
  case 0x08: case 0x09: case 0x0A: case 0x0B: return sse41_round(c, in, op);
  case 0x0C: case 0x0D: case 0x0E: case 0x0F: case 0x42: case 0x44: return sse41_imm(c, in, op);
  case 0x14: case 0x15: case 0x16: case 0x17: case 0x20: case 0x21: case 0x22: return sse41_ins_ext(c, in, op);
  case 0x40: case 0x41: return sse41_dp(c, in, op);
  case 0x60: case 0x61: case 0x62: case 0x63: return cpu_sse42_str(c, in, op);
  default: return STOP_UD;
  }
}
