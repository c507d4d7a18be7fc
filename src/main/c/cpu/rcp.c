// SPDX-License-Identifier: MIT
// RCPPS/RCPSS/RSQRTPS/RSQRTSS (0F 53 / 0F 52) and their VEX forms: the
// approximate reciprocal and reciprocal square root, bit for bit as Intel
// CPUs compute them. The 12-bit results come from two tables measured on
// the host CPU (rcp_table.inc, tools/rcp-table.c); around them:
//  - a denormal operand counts as zero (RCP and RSQRT give the signed
//    infinity), a result below the normal range is a signed zero, both
//    whatever MXCSR's DAZ and FTZ say;
//  - RSQRT of a negative number (not -0, not -denormal) or -inf is the
//    default NaN; a NaN operand comes back quieted;
//  - neither instruction reads MXCSR's rounding nor sets its flags.
// test_rcp (src/test/c) compares cpu_rcp_bits/cpu_rsqrt_bits with the host
// over all 2^32 operands; insntest's rcp class covers the instructions.
#include "internal.h"

#include "rcp_table.inc"

uint32_t cpu_rcp_bits(uint32_t x) {
  uint32_t sign = x & 0x80000000u, e = (x >> 23) & 0xFF, f = x & 0x7FFFFF;
  if (e == 0xFF) return f ? x | 0x400000 : sign; // NaN quieted; 1/inf = 0
  if (e == 0) return sign | 0x7F800000;           // zero or denormal: infinity
  int re = 253 - (int)e;                          // 1.f * 2^(e-127) -> 1.t * 2^(126-(e-127))
  if (re <= 0) return sign;                       // below the normal range: zero
  return sign | (uint32_t)re << 23 | (uint32_t)rcp_table[f >> 12] << 11;
}

uint32_t cpu_rsqrt_bits(uint32_t x) {
  uint32_t sign = x & 0x80000000u, e = (x >> 23) & 0xFF, f = x & 0x7FFFFF;
  if (e == 0xFF) {
    if (f) return x | 0x400000;
    return sign ? 0xFFC00000u : 0;
  }
  if (e == 0) return sign | 0x7F800000;
  if (sign) return 0xFFC00000u;
  // x = 1.f * 2^E with E = e - 127; E = 2k + p (p = 0 or 1):
  // 1/sqrt(x) = table(p, f) * 2^-k, the table's value having exponent -1.
  int E = (int)e - 127, p = E & 1, k = (E - p) / 2;
  return (uint32_t)(126 - k) << 23 | (uint32_t)rsqrt_table[p << 10 | f >> 13] << 11;
}

static uint32_t approx(int op, uint32_t x) { return op == 0x53 ? cpu_rcp_bits(x) : cpu_rsqrt_bits(x); }

// Legacy 0F 52/53 (no prefix: packed, F3: scalar) and VEX.0F 52/53 (VEX.pp
// none: packed at VEX.L width, F3: scalar merging vvvv's 127:32).
NOINLINE int cpu_rcp(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, rc;
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg];
  int pp = in->pfx & (PFX_66 | PFX_F2 | PFX_F3);
  int vex = (in->pfx & PFX_VEX) != 0;
  if (!vex && (pp & PFX_F3)) pp = PFX_F3; // legacy: F3 wins over a stray 66
  if (pp & PFX_F3 && !(pp & (PFX_66 | PFX_F2))) {
    uint32_t y;
    if (in->mod == 3) {
      y = c->xmm[in->rm].d[0];
    } else if ((rc = ldn(c, ea(c, in), 4, &y))) {
      return rc;
    }
    uint32_t r = approx(op, y);
    if (vex) {
      const union xmm *a = &c->xmm[in->vex_v];
      if (d != a) memcpy(d->b + 4, a->b + 4, 12);
      memset(d->b + 16, 0, 16);
    }
    d->d[0] = r;
    return 0;
  }
  if (pp) return STOP_UD;
  if (vex) {
    if (in->vex_v) return STOP_UD; // VEX.vvvv must be 1111
    int n = vlen(in);
    if ((rc = vsrc(c, in, s, n))) return rc;
    for (int i = 0; i < n / 4; i++) s->d[i] = approx(op, s->d[i]);
    vset(c, in->reg, s, n);
    return 0;
  }
  if ((rc = src128(c, in, s, 1))) return rc;
  for (int i = 0; i < 4; i++) d->d[i] = approx(op, s->d[i]);
  return 0;
}
