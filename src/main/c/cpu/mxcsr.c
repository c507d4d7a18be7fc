// SPDX-License-Identifier: MIT
// SSE and AVX arithmetic under a non-default MXCSR (SDM vol. 1, 11.5):
// rounding control, DAZ, FTZ, the six exception flags and unmasked
// exceptions (#XM, which Linux turns into SIGFPE). sse.c, sse4.c and
// avx_fp.c run their fast paths while MXCSR has Linux's default control
// bits (0x1F80: all masked, nearest, no DAZ/FTZ) and come here otherwise;
// conversions, compares and rounding to integers are in mxcsr_cvt.c.
// Results are first rounded to nearest by the host; the sign of the exact
// error (TwoSum, an FMA remainder or an exact expansion, with operands
// scaled out of the subnormal range) then steps them to the directed
// rounding and tells inexactness and tininess (after rounding with an
// unbounded exponent, as Intel defines it).
#include <float.h>
#include <math.h>

#include "internal.h"
#include "mxcsr.h"

enum { OP_SQRT = 0x51, OP_ADD = 0x58, OP_MUL = 0x59, OP_SUB = 0x5C, OP_MIN = 0x5D, OP_DIV = 0x5E, OP_MAX = 0x5F };

// The x86 NaN result: the first NaN operand, quieted.
static double qnan_d(double a, double b) { return from_d(bits_d(a != a ? a : b) | (1ull << 51)); }
static float qnan_f(float a, float b) { return from_f(bits_f(a != a ? a : b) | (1u << 22)); }

// Steps a nearest-rounded r to the rounding rc (1 down, 2 up, 3 toward
// zero) given the sign of the exact error (exact = r + err).
static double directed_d(double r, int esign, int rc) {
  if (!esign || rc == 0) return r;
  if (rc == 1) return esign < 0 ? nextafter(r, -INFINITY) : r;
  if (rc == 2) return esign > 0 ? nextafter(r, INFINITY) : r;
  if ((esign < 0 && r > 0) || (esign > 0 && r < 0)) return nextafter(r, 0.0);
  return r;
}
static float directed_f(float r, int esign, int rc) {
  if (!esign || rc == 0) return r;
  if (rc == 1) return esign < 0 ? nextafterf(r, -INFINITY) : r;
  if (rc == 2) return esign > 0 ? nextafterf(r, INFINITY) : r;
  if ((esign < 0 && r > 0) || (esign > 0 && r < 0)) return nextafterf(r, 0.0f);
  return r;
}

// The last steps of every rounding here: r is the exact result rounded to
// nearest (finite), es the sign of (exact - r), tm see mxcsr.h. Sets PE,
// steps r to the active rounding, and handles tininess (after rounding, as
// Intel defines it: UE with UM clear for any tiny result, with UM set only
// if also inexact) and FTZ (tiny results become a zero of the exact sign,
// UE and PE set, when UM is set). An element whose overflow or underflow
// is unmasked reports that flag without PE, as the host does.
double mx_finish_d(double r, int es, int tm, uint32_t mx, unsigned *fl) {
  int rc = (mx >> 13) & 3;
  int xs = r != 0 ? (r > 0) - (r < 0) : es; // sign of the exact result
  int below = fabs(r) < DBL_MIN || (fabs(r) == DBL_MIN && es * xs < 0); // |exact| < smallest normal
  r = directed_d(r, es, rc);
  unsigned f = es ? MX_PE : 0;
  if (isinf(r)) f = MX_OE | ((mx & (MX_OE << 7)) ? MX_PE : 0); // a directed step past the largest finite
  if (below && xs && (fabs(r) < DBL_MIN || tm)) {
    if (!(mx & (MX_UE << 7))) f = MX_UE; // unmasked: UE even if exact, and no PE (measured)
    else if (es) f |= MX_UE;
    if ((mx & MX_FTZ) && (mx & (MX_UE << 7))) {
      f |= MX_UE | MX_PE;
      r = copysign(0.0, (double)xs);
    }
  }
  *fl |= f;
  return r;
}
float mx_finish_f(float r, int es, int tm, uint32_t mx, unsigned *fl) {
  int rc = (mx >> 13) & 3;
  int xs = r != 0 ? (r > 0) - (r < 0) : es;
  int below = fabsf(r) < FLT_MIN || (fabsf(r) == FLT_MIN && es * xs < 0);
  r = directed_f(r, es, rc);
  unsigned f = es ? MX_PE : 0;
  if (isinf(r)) f = MX_OE | ((mx & (MX_OE << 7)) ? MX_PE : 0);
  if (below && xs && (fabsf(r) < FLT_MIN || tm)) {
    if (!(mx & (MX_UE << 7))) f = MX_UE;
    else if (es) f |= MX_UE;
    if ((mx & MX_FTZ) && (mx & (MX_UE << 7))) {
      f |= MX_UE | MX_PE;
      r = copysignf(0.0f, (float)xs);
    }
  }
  *fl |= f;
  return r;
}

// r: the nearest rounding of a finite operation, infinite. Overflow is
// decided on the exact result rounded with an unbounded exponent (SDM vol.
// 1, 4.9.1.4): when the active rounding goes toward zero for the result's
// sign (RZ, RD on positives, RU on negatives) that value exceeds the
// largest finite only if |exact| >= 2^1024 (2^128 for single), which the
// caller says in beyond. Between the largest finite + 1/2 ulp and there,
// the result is the largest finite, inexact, and no overflow.
static unsigned overflow_flags(int ovf, uint32_t mx) {
  if (!ovf) return MX_PE;
  return (mx & (MX_OE << 7)) ? MX_OE | MX_PE : MX_OE; // unmasked: no PE (measured)
}
double mx_overflow_d(double r, int beyond, uint32_t mx, unsigned *fl) {
  int rc = (mx >> 13) & 3, tozero = rc == 3 || (rc == 1 && r > 0) || (rc == 2 && r < 0);
  *fl |= overflow_flags(!tozero || beyond, mx);
  return tozero ? copysign(DBL_MAX, r) : r;
}
float mx_overflow_f(float r, int beyond, uint32_t mx, unsigned *fl) {
  int rc = (mx >> 13) & 3, tozero = rc == 3 || (rc == 1 && r > 0) || (rc == 2 && r < 0);
  *fl |= overflow_flags(!tozero || beyond, mx);
  return tozero ? copysignf(FLT_MAX, r) : r;
}

// Sign of (exact result - r) for r = a op b rounded to nearest (finite).
// Near the subnormal range the operands are scaled by 2^k so the FMA
// remainders stay exact.
static int err_sign_d(int op, double a, double b, double r) {
  switch (op) {
  case OP_ADD: case OP_SUB: {
    double bb = op == OP_ADD ? b : -b;
    if (r == a) return sgn(bb); // the whole of the other operand was lost
    if (r == bb) return sgn(a);
    if (fabs(r) > 0x1p1020) { // TwoSum would overflow: a quarter of everything (exact: no operand is tiny)
      a *= 0.25, bb *= 0.25, r *= 0.25;
    }
    double s = r, v = s - a;
    return sgn((a - (s - v)) + (bb - v));
  }
  case OP_MUL: case OP_DIV: {
    if (a == 0 || b == 0) return 0;
    // Both operands normalised to [1, 2) and r scaled alike, so the FMA
    // remainder is exact whatever the magnitudes (subnormals included).
    int ka = ilogb(a), kb = ilogb(b);
    double an = ldexp(a, -ka), bn = ldexp(b, -kb);
    if (op == OP_MUL) return sgn(fma(an, bn, -ldexp(r, -(ka + kb))));
    return sgn(fma(-ldexp(r, kb - ka), bn, an)) * sgn(b);
  }
  default: // sqrt of b
    if (b < 0x1p-900) return sgn(fma(-ldexp(r, 600), ldexp(r, 600), ldexp(b, 1200)));
    return sgn(fma(-r, r, b));
  }
}
static int err_sign_f(int op, float a, float b, float r) {
  switch (op) {
  case OP_ADD: case OP_SUB: { // TwoSum in double: no overflow near FLT_MAX
    double bb = op == OP_ADD ? b : -b, s = (double)a + bb, v = s - a;
    double e = (a - (s - v)) + (bb - v), d = s - (double)r;
    return d != 0 ? sgn(d) : sgn(e);
  }
  case OP_MUL: return sgn((double)a * b - r); // the product is exact in double
  case OP_DIV: return sgn((double)a - (double)r * b) * sgn(b);
  default: return sgn((double)b - (double)r * r);
  }
}

// |a op b| >= 2^1024 (see mx_overflow_d). Only called for finite operands
// whose nearest-rounded result is infinite, so the halved operand stays
// normal.
static int beyond_d(int op, double a, double b) {
  if (op == OP_ADD || op == OP_SUB) a *= 0.5, b *= 0.5;
  else if (op == OP_DIV || fabs(a) >= fabs(b)) a *= 0.5;
  else b *= 0.5;
  double s = op == OP_ADD ? a + b : op == OP_SUB ? a - b : op == OP_MUL ? a * b : a / b;
  if (fabs(s) != 0x1p1023) return fabs(s) > 0x1p1023;
  return err_sign_d(op, a, b, s) * sgn(s) >= 0; // rounded up to 2^1023 from below?
}
// Single: the double sum, product or quotient of two floats is exact or far
// (relatively 2^-24) from 2^128 when it is not exactly 2^128, so comparing
// it decides.
static int beyond_f(int op, float a, float b) {
  double x = a, y = b;
  double s = op == OP_ADD ? x + y : op == OP_SUB ? x - y : op == OP_MUL ? x * y : x / y;
  return fabs(s) >= 0x1p128;
}

// Sign of the exact sum of n <= 5 doubles: Shewchuk's Grow-Expansion (each
// TwoSum exact) leaves a non-overlapping expansion, whose sign is that of
// its largest nonzero component. The caller keeps every partial sum far
// from overflow.
static int sum_sign(const double *x, int n) {
  double e[5];
  int m = 0;
  for (int i = 0; i < n; i++) {
    double q = x[i];
    for (int j = 0; j < m; j++) {
      double sum = q + e[j], bv = sum - q;
      e[j] = (q - (sum - bv)) + (e[j] - bv);
      q = sum;
    }
    e[m++] = q;
  }
  while (m-- > 0)
    if (e[m] != 0) return sgn(e[m]);
  return 0;
}

// tm of mx_finish for a product or quotient near the smallest normal (sums
// and square roots there are exact or far from it): |exact| against the
// threshold. Double: |a| * |b| (the smaller factor scaled by 2^600, which
// keeps it far below 2^424) as ph + pl, or |a| * 2^600 against the
// threshold times |b| (>= 2^-52 here, so both parts are exact).
static int tiny_muldiv_d(int op, double a, double b, uint32_t mx) {
  double x = fabs(a), y = fabs(b), d = mx_th_d600(mx);
  if (op == OP_DIV) {
    double t[3] = {ldexp(x, 600), -0x1p-422 * y, d * y};
    return mx_tiny(sum_sign(t, 3), mx);
  }
  if (x <= y) x = ldexp(x, 600);
  else y = ldexp(y, 600);
  double ph = x * y, t[4] = {ph, fma(x, y, -ph), -0x1p-422, d};
  return mx_tiny(sum_sign(t, 4), mx);
}
static int tiny_muldiv_f(int op, float a, float b, uint32_t mx) {
  double th = mx_th_f(mx), x = fabs((double)a), y = fabs((double)b); // th * y is exact: 25 + 24 bits
  return mx_tiny(sgn(op == OP_MUL ? x * y - th : x - th * y), mx);
}

// One double operation (dest operand a, source b) under MXCSR mx; ORs
// exception flags into *fl and returns the result.
static double op_d1(int op, double a, double b, uint32_t mx, unsigned *fl, unsigned *de) {
  int rc = (mx >> 13) & 3;
  if (mx & MX_DAZ) {
    if (denorm_d(a)) a = copysign(0.0, a);
    if (denorm_d(b)) b = copysign(0.0, b);
  } else if ((op != OP_SQRT && denorm_d(a)) || denorm_d(b)) {
    *de = MX_DE;
  }
  if (op == OP_MIN || op == OP_MAX) { // any NaN is invalid; the source is returned then
    if (a != a || b != b) { *fl |= MX_IE; return b; }
    return op == OP_MIN ? (a < b ? a : b) : (a > b ? a : b);
  }
  int unary = op == OP_SQRT;
  if (b != b || (!unary && a != a)) {
    if (snan_d(b) || (!unary && snan_d(a))) *fl |= MX_IE;
    *de = 0; // a NaN operand: no denormal-operand flag (measured)
    return unary ? qnan_d(b, b) : qnan_d(a, b);
  }
  double r;
  switch (op) {
  case OP_ADD: r = a + b; break;
  case OP_SUB: r = a - b; break;
  case OP_MUL: r = a * b; break;
  case OP_DIV: r = a / b; break;
  default: r = sqrt(b); break;
  }
  if (r != r) { *fl |= MX_IE; return from_d(0xFFF8000000000000ull); }
  if (op == OP_DIV && b == 0 && !isinf(a)) { *fl |= MX_ZE; *de = 0; return r; }
  if (isinf(r)) {
    if ((unary || !isinf(a)) && !isinf(b)) r = mx_overflow_d(r, beyond_d(op, a, b), mx, fl);
    return r;
  }
  int es = ((!unary && isinf(a)) || isinf(b)) ? 0 : err_sign_d(op, a, b, r);
  if (r == 0 && !es && rc == 1 && (op == OP_ADD || op == OP_SUB)) { // an exact zero sum is -0 rounding down
    double bb = op == OP_ADD ? b : -b;
    r = (a == 0 && bb == 0 && !signbit(a) && !signbit(bb)) ? 0.0 : -0.0;
  }
  int tm = (op == OP_MUL || op == OP_DIV) && mx_near_min_d(r, es) ? tiny_muldiv_d(op, a, b, mx) : 1;
  return mx_finish_d(r, es, tm, mx, fl);
}

static float op_f1(int op, float a, float b, uint32_t mx, unsigned *fl, unsigned *de) {
  int rc = (mx >> 13) & 3;
  if (mx & MX_DAZ) {
    if (denorm_f(a)) a = copysignf(0.0f, a);
    if (denorm_f(b)) b = copysignf(0.0f, b);
  } else if ((op != OP_SQRT && denorm_f(a)) || denorm_f(b)) {
    *de = MX_DE;
  }
  if (op == OP_MIN || op == OP_MAX) {
    if (a != a || b != b) { *fl |= MX_IE; return b; }
    return op == OP_MIN ? (a < b ? a : b) : (a > b ? a : b);
  }
  int unary = op == OP_SQRT;
  if (b != b || (!unary && a != a)) {
    if (snan_f(b) || (!unary && snan_f(a))) *fl |= MX_IE;
    *de = 0; // a NaN operand: no denormal-operand flag (measured)
    return unary ? qnan_f(b, b) : qnan_f(a, b);
  }
  float r;
  switch (op) {
  case OP_ADD: r = a + b; break;
  case OP_SUB: r = a - b; break;
  case OP_MUL: r = a * b; break;
  case OP_DIV: r = a / b; break;
  default: r = sqrtf(b); break;
  }
  if (r != r) { *fl |= MX_IE; return from_f(0xFFC00000u); }
  if (op == OP_DIV && b == 0 && !isinf(a)) { *fl |= MX_ZE; *de = 0; return r; }
  if (isinf(r)) {
    if ((unary || !isinf(a)) && !isinf(b)) r = mx_overflow_f(r, beyond_f(op, a, b), mx, fl);
    return r;
  }
  int es = ((!unary && isinf(a)) || isinf(b)) ? 0 : err_sign_f(op, a, b, r);
  if (r == 0 && !es && rc == 1 && (op == OP_ADD || op == OP_SUB)) {
    float bb = op == OP_ADD ? b : -b;
    r = (a == 0 && bb == 0 && !signbit(a) && !signbit(bb)) ? 0.0f : -0.0f;
  }
  int tm = (op == OP_MUL || op == OP_DIV) && mx_near_min_f(r, es) ? tiny_muldiv_f(op, a, b, mx) : 1;
  return mx_finish_f(r, es, tm, mx, fl);
}

// The denormal-operand flag is not reported for an invalid operation (as
// measured on hardware: sqrt of a negative denormal sets IE only).
double mx_op_d(int op, double a, double b, uint32_t mx, unsigned *fl) {
  unsigned f = 0, de = 0;
  double r = op_d1(op, a, b, mx, &f, &de);
  *fl |= f | ((f & MX_IE) ? 0 : de);
  return r;
}
float mx_op_f(int op, float a, float b, uint32_t mx, unsigned *fl) {
  unsigned f = 0, de = 0;
  float r = op_f1(op, a, b, mx, &f, &de);
  *fl |= f | ((f & MX_IE) ? 0 : de);
  return r;
}

// Raises #XM for unmasked flags (destination untouched), else records them.
// An unmasked pre-computation exception (IE, DE, ZE) in any element stops
// the instruction before the results are rounded: only those flags are
// recorded then (SDM vol. 1, 11.5.1; measured with divpd and cvtpd2dq).
int mx_commit(struct cpu *c, unsigned fl) {
  unsigned unmasked = fl & ~(c->mxcsr >> 7) & 0x3F;
  if (unmasked & (MX_IE | MX_DE | MX_ZE)) fl &= MX_IE | MX_DE | MX_ZE;
  c->mxcsr |= fl;
  if (unmasked) {
    c->fpe_vector = 19;
    return STOP_FPE;
  }
  return 0;
}

// addps/pd/ss/sd, sub, mul, div, min, max, sqrt (0F 51, 58-5F) in their
// legacy encodings: a = xmm[reg], b = xmm/mem.
NOINLINE int cpu_sse_float_mx(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, rc;
  int f2 = (in->pfx & PFX_F2) != 0, f3 = (in->pfx & PFX_F3) != 0, p66 = !f2 && !f3 && (in->pfx & PFX_66);
  union xmm *s = &c->tmpx[0], *d = &c->xmm[in->reg], *r = &c->tmpx[1];
  unsigned fl = 0;
  uint32_t mx = c->mxcsr;
  if (f2 || f3) {
    int n = f2 ? 8 : 4;
    if (in->mod == 3) memcpy(s, &c->xmm[in->rm], 16);
    else if ((rc = ldn(c, ea(c, in), n, s))) return rc;
  } else if ((rc = src128(c, in, s, 1))) {
    return rc;
  }
  memcpy(r, d, 16);
  if (f2) r->dbl[0] = mx_op_d(op, d->dbl[0], s->dbl[0], mx, &fl);
  else if (f3) r->f[0] = mx_op_f(op, d->f[0], s->f[0], mx, &fl);
  else if (p66) for (int i = 0; i < 2; i++) r->dbl[i] = mx_op_d(op, d->dbl[i], s->dbl[i], mx, &fl);
  else for (int i = 0; i < 4; i++) r->f[i] = mx_op_f(op, d->f[i], s->f[i], mx, &fl);
  if ((rc = mx_commit(c, fl))) return rc;
  memcpy(d, r, 16);
  return 0;
}

// VEX vsqrt/vadd/vmul/vsub/vmin/vdiv/vmax (0F 51, 58-5F): a = xmm[vvvv],
// b = r/m; packed forms at VEX.L width, scalar ones take 127:k*8 from
// vvvv; the destination is zeroed above the result up to 255.
NOINLINE int cpu_avx_arith_mx(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, pp = in->pfx & (PFX_66 | PFX_F2 | PFX_F3), n = vlen(in), rc;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  const union xmm *a = &c->xmm[in->vex_v];
  unsigned fl = 0;
  uint32_t mx = c->mxcsr;
  if (pp & (PFX_F2 | PFX_F3)) {
    int k = pp == PFX_F2 ? 8 : 4;
    if (in->mod == 3) memcpy(s, &c->xmm[in->rm], 16);
    else if ((rc = ldn(c, ea(c, in), k, s))) return rc;
    memcpy(r, a, 16);
    if (k == 8) r->dbl[0] = mx_op_d(op, a->dbl[0], s->dbl[0], mx, &fl);
    else r->f[0] = mx_op_f(op, a->f[0], s->f[0], mx, &fl);
    n = 16;
  } else {
    if (op == OP_SQRT && in->vex_v) return STOP_UD;
    if ((rc = vsrc(c, in, s, n))) return rc;
    if (pp == PFX_66) for (int i = 0; i < n / 8; i++) r->dbl[i] = mx_op_d(op, a->dbl[i], s->dbl[i], mx, &fl);
    else for (int i = 0; i < n / 4; i++) r->f[i] = mx_op_f(op, a->f[i], s->f[i], mx, &fl);
  }
  if ((rc = mx_commit(c, fl))) return rc;
  vset(c, in->reg, r, n);
  return 0;
}

// haddps/pd and hsubps/pd (pairs within each 128-bit lane: the first
// source's, then the second's) and addsubps/pd (even elements subtract),
// n = 16 or 32 bytes.
static void horiz_mx(int op, int dbl, union xmm *r, const union xmm *a, const union xmm *s, int n, uint32_t mx,
                     unsigned *fl) {
  int o = op == 0x7C ? OP_ADD : OP_SUB;
  if (op == 0xD0) {
    if (dbl) for (int i = 0; i < n / 8; i++) r->dbl[i] = mx_op_d(i & 1 ? OP_ADD : OP_SUB, a->dbl[i], s->dbl[i], mx, fl);
    else for (int i = 0; i < n / 4; i++) r->f[i] = mx_op_f(i & 1 ? OP_ADD : OP_SUB, a->f[i], s->f[i], mx, fl);
  } else if (dbl) {
    for (int l = 0; l < n / 8; l += 2)
      for (int i = 0; i < 2; i++) {
        const union xmm *x = i ? s : a;
        r->dbl[l + i] = mx_op_d(o, x->dbl[l], x->dbl[l + 1], mx, fl);
      }
  } else {
    for (int l = 0; l < n / 4; l += 4)
      for (int i = 0; i < 4; i++) {
        const union xmm *x = i < 2 ? a : s;
        int k = l + 2 * (i & 1);
        r->f[l + i] = mx_op_f(o, x->f[k], x->f[k + 1], mx, fl);
      }
  }
}

// Legacy haddps/pd, hsubps/pd, addsubps/pd (F2/66 0F 7C, 7D, D0).
NOINLINE int cpu_sse3_mx(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, dbl = !(in->pfx & PFX_F2), rc;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1], *d = &c->xmm[in->reg];
  unsigned fl = 0;
  if ((rc = src128(c, in, s, 1))) return rc;
  horiz_mx(op, dbl, r, d, s, 16, c->mxcsr, &fl);
  if ((rc = mx_commit(c, fl))) return rc;
  memcpy(d, r, 16);
  return 0;
}

// VEX vhaddps/pd, vhsubps/pd, vaddsubps/pd: a = xmm[vvvv], b = r/m.
NOINLINE int cpu_avx_horiz_mx(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, pp = in->pfx & (PFX_66 | PFX_F2 | PFX_F3), n = vlen(in), rc;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  unsigned fl = 0;
  if (pp != PFX_66 && pp != PFX_F2) return STOP_UD;
  if ((rc = vsrc(c, in, s, n))) return rc;
  horiz_mx(op, pp == PFX_66, r, &c->xmm[in->vex_v], s, n, c->mxcsr, &fl);
  if ((rc = mx_commit(c, fl))) return rc;
  vset(c, in->reg, r, n);
  return 0;
}

// dpps (per 128-bit lane) and dppd: the products imm[7:4] selects (the
// others +0, raising nothing), summed pairwise in each destination
// element's own order as in sse41_dp; elements imm[3:0] leaves out get +0.
// Every step is one rounding under mx, with DAZ, FTZ and flags.
static void dp_mx(int dbl, union xmm *r, const union xmm *a, const union xmm *s, int n, int im, uint32_t mx,
                  unsigned *fl) {
  if (dbl) {
    double t0 = (im >> 4) & 1 ? mx_op_d(OP_MUL, a->dbl[0], s->dbl[0], mx, fl) : 0.0;
    double t1 = (im >> 5) & 1 ? mx_op_d(OP_MUL, a->dbl[1], s->dbl[1], mx, fl) : 0.0;
    double r0 = mx_op_d(OP_ADD, t0, t1, mx, fl), r1 = mx_op_d(OP_ADD, t1, t0, mx, fl);
    r->dbl[0] = (im & 1) ? r0 : 0.0;
    r->dbl[1] = (im & 2) ? r1 : 0.0;
    return;
  }
  for (int l = 0; l < n / 4; l += 4) {
    float t[4];
    for (int i = 0; i < 4; i++) t[i] = (im >> (4 + i)) & 1 ? mx_op_f(OP_MUL, a->f[l + i], s->f[l + i], mx, fl) : 0.0f;
    float e0 = mx_op_f(OP_ADD, t[1], t[0], mx, fl), o0 = mx_op_f(OP_ADD, t[0], t[1], mx, fl);
    float e1 = mx_op_f(OP_ADD, t[3], t[2], mx, fl), o1 = mx_op_f(OP_ADD, t[2], t[3], mx, fl);
    float x[4] = {mx_op_f(OP_ADD, e0, e1, mx, fl), mx_op_f(OP_ADD, o0, o1, mx, fl), mx_op_f(OP_ADD, e1, e0, mx, fl),
                  mx_op_f(OP_ADD, o1, o0, mx, fl)};
    for (int i = 0; i < 4; i++) r->f[l + i] = (im >> i) & 1 ? x[i] : 0.0f;
  }
}

// Legacy dpps/dppd (66 0F3A 40, 41).
NOINLINE int cpu_sse_dp_mx(struct cpu *c, const struct insn *in, int op) {
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1], *d = &c->xmm[in->reg];
  unsigned fl = 0;
  int rc = src128(c, in, s, 1);
  if (rc) return rc;
  dp_mx(op == 0x41, r, d, s, 16, (int)(in->imm & 0xFF), c->mxcsr, &fl);
  if ((rc = mx_commit(c, fl))) return rc;
  memcpy(d, r, 16);
  return 0;
}

// VEX vdpps (128/256) and vdppd (128 only): a = xmm[vvvv], b = r/m.
NOINLINE int cpu_avx_dp_mx(struct cpu *c, const struct insn *in) {
  int n = vlen(in), rc;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  unsigned fl = 0;
  if (in->op == 0x341 && in->vex_l) return STOP_UD;
  if ((rc = vsrc(c, in, s, n))) return rc;
  dp_mx(in->op == 0x341, r, &c->xmm[in->vex_v], s, n, (int)(in->imm & 0xFF), c->mxcsr, &fl);
  if ((rc = mx_commit(c, fl))) return rc;
  vset(c, in->reg, r, n);
  return 0;
}

// ---- fused multiply-add ------------------------------------------------------

// Sign of (a*b + c - r) for finite a, b, c, r. When one of a*b and c is
// below the other by more than 2^200, the larger decides unless it is
// matched exactly (then the smaller's sign does). Otherwise everything is
// scaled by 2^-(exponent of a*b), which is exact for all four (the product
// of the normalised factors is in [1, 4); c and the non-zero r stay above
// 2^-260), and the product split exactly into ph + pl.
static int fma_err_sign(double a, double b, double c, double r) {
  if (a == 0 || b == 0) return sgn(c - r);
  int ka = ilogb(a), kb = ilogb(b), kab = ka + kb;
  int pab = sgn(a) * sgn(b);
  if (c != 0 && ilogb(c) - kab > 200) return c != r ? sgn(c - r) : pab;
  double an = ldexp(a, -ka), bn = ldexp(b, -kb), rs = ldexp(r, -kab);
  if (c == 0 || kab - ilogb(c) > 200) {
    int s = sgn(fma(an, bn, -rs));
    return s ? s : sgn(c);
  }
  double ph = an * bn, x[4] = {ph, fma(an, bn, -ph), ldexp(c, -kab), -rs};
  return sum_sign(x, 4);
}

// |a*b + c| >= 2^1024, for finite operands whose nearest rounding overflowed
// (see mx_overflow_d): halved, against 2^1023. A subnormal c would lose its
// last bit when halved; it can only matter when the rest is exactly 2^1023.
static int fma_beyond_d(double a, double b, double c) {
  if (fabs(a) >= fabs(b)) a *= 0.5;
  else b *= 0.5;
  double t = copysign(0x1p1023, fma(a, b, c * 0.5));
  int s = fabs(c) < DBL_MIN ? fma_err_sign(a, b, 0, t) : fma_err_sign(a, b, c * 0.5, t);
  if (s == 0 && fabs(c) < DBL_MIN) s = sgn(c) * sgn(t);
  else s *= sgn(t);
  return s >= 0;
}

// tm of mx_finish for x = a*b + c near the smallest normal, r its nearest
// rounding: sgn(r) * x against the threshold, scaled by 2^600 (the
// product's smaller factor and c; a c beyond 2^400 cannot cancel the
// product down to here, as the sum would be a multiple of 2^295). A product
// below 2^-1200 only breaks a tie that cannot happen: c is a multiple of
// 2^-1074, the threshold is not.
static int fma_tiny_d(double a, double b, double c, double r, uint32_t mx) {
  if (fabs(c) > 0x1p400) return 1;
  double sr = r > 0 ? 1 : -1;
  if (a == 0 || b == 0 || ilogb(a) + ilogb(b) < -1200) return mx_tiny(fabs(c) >= DBL_MIN ? 1 : -1, mx);
  if (fabs(a) <= fabs(b)) a = ldexp(a, 600);
  else b = ldexp(b, 600);
  double ph = a * b, t[5] = {sr * ph, sr * fma(a, b, -ph), sr * ldexp(c, 600), -0x1p-422, mx_th_d600(mx)};
  return mx_tiny(sum_sign(t, 5), mx);
}

// NaN operands of an FMA: the first NaN among a, b, c, quieted (the
// negations of vfnmadd and friends never change it). IE only for a SNaN:
// inf * 0 beside a QNaN addend is not invalid (measured on the host).
static int fma_nan_d(double a, double b, double c, double *r, unsigned *fl) {
  if (a == a && b == b && c == c) return 0;
  if (snan_d(a) || snan_d(b) || snan_d(c)) *fl |= MX_IE;
  *r = from_d(bits_d(a != a ? a : b != b ? b : c) | (1ull << 51));
  return 1;
}
static int fma_nan_f(float a, float b, float c, float *r, unsigned *fl) {
  if (a == a && b == b && c == c) return 0;
  if (snan_f(a) || snan_f(b) || snan_f(c)) *fl |= MX_IE;
  *r = from_f(bits_f(a != a ? a : b != b ? b : c) | (1u << 22));
  return 1;
}

// (np ? -a : a) * b + (nc ? -c : c) rounded once under mx. DE as for the
// other arithmetic: a denormal operand, unless a NaN or an invalid
// operation is there.
static double fma_mx_d(double a, double b, double c, int np, int nc, uint32_t mx, unsigned *fl) {
  int rc = (mx >> 13) & 3;
  unsigned de = 0;
  if (mx & MX_DAZ) {
    if (denorm_d(a)) a = copysign(0.0, a);
    if (denorm_d(b)) b = copysign(0.0, b);
    if (denorm_d(c)) c = copysign(0.0, c);
  } else if (denorm_d(a) || denorm_d(b) || denorm_d(c)) {
    de = MX_DE;
  }
  double r;
  if (fma_nan_d(a, b, c, &r, fl)) return r;
  if (np) a = -a;
  if (nc) c = -c;
  r = fma(a, b, c);
  if (r != r) { *fl |= MX_IE; return from_d(0xFFF8000000000000ull); }
  *fl |= de;
  if (isinf(a) || isinf(b) || isinf(c)) return r;
  if (isinf(r)) return mx_overflow_d(r, fma_beyond_d(a, b, c), mx, fl);
  int es = fma_err_sign(a, b, c, r);
  if (r == 0) { // the sign of a zero by IEEE rules: wasi-libc's fma loses it for -tiny + 0
    int ps = (signbit(a) != 0) ^ (signbit(b) != 0);
    if (es) r = es < 0 ? -0.0 : 0.0; // a nonzero exact value rounded to zero keeps its sign
    else if ((a == 0 || b == 0) && c == 0 && ps == (signbit(c) != 0)) r = ps ? -0.0 : 0.0; // two zeros alike
    else r = rc == 1 ? -0.0 : 0.0; // an exact cancellation: -0 only rounding down
  }
  return mx_finish_d(r, es, mx_near_min_d(r, es) ? fma_tiny_d(a, b, c, r, mx) : 1, mx, fl);
}

// Single: the product is exact in a double and TwoSum gives the sum as s +
// e exactly; s rounded to odd and then to single rounds once. s - r is
// exact (Sterbenz, or r = 0), so it and e give the error's sign.
static float fma_mx_f(float a, float b, float c, int np, int nc, uint32_t mx, unsigned *fl) {
  int rc = (mx >> 13) & 3;
  unsigned de = 0;
  if (mx & MX_DAZ) {
    if (denorm_f(a)) a = copysignf(0.0f, a);
    if (denorm_f(b)) b = copysignf(0.0f, b);
    if (denorm_f(c)) c = copysignf(0.0f, c);
  } else if (denorm_f(a) || denorm_f(b) || denorm_f(c)) {
    de = MX_DE;
  }
  float r;
  if (fma_nan_f(a, b, c, &r, fl)) return r;
  double p = (double)(np ? -a : a) * b, z = nc ? -c : c, s = p + z;
  if (s != s) { *fl |= MX_IE; return from_f(0xFFC00000u); }
  *fl |= de;
  if (isinf(s)) return (float)s; // an infinite operand
  double bv = s - p, e = (p - (s - bv)) + (z - bv), so = s;
  if (e != 0) {
    uint64_t u = bits_d(s);
    if ((e > 0) != (s > 0)) u--; // |exact| < |s|: the truncation is one below
    so = from_d(u | 1);
  }
  r = (float)so;
  if (isinf(r)) return mx_overflow_f(r, fabs(s) > 0x1p128 || (fabs(s) == 0x1p128 && e * s >= 0), mx, fl);
  double d = s - (double)r;
  int es = d != 0 ? sgn(d) : sgn(e), tm = 1;
  if (r == 0 && !es && rc == 1)
    r = ((a == 0 || b == 0) && c == 0 && !((signbit(a) != 0) ^ np ^ (signbit(b) != 0)) && !((signbit(c) != 0) ^ nc)) ? 0.0f : -0.0f;
  if (mx_near_min_f(r, es)) { // the exact s + e against the threshold (s - th is exact: Sterbenz)
    double dt = s - copysign(mx_th_f(mx), s);
    tm = mx_tiny((dt != 0 ? sgn(dt) : sgn(e)) * sgn(s), mx);
  }
  return mx_finish_f(r, es, tm, mx, fl);
}

// VEX FMA (0F38 96-9F, A6-AF, B6-BF): as fp_fma in avx_fp.c, with every
// element computed into c->tmpx[1] before anything is written.
NOINLINE int cpu_avx_fma_mx(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, lo = op & 15, n = vlen(in), rc;
  int dbl = (in->pfx & PFX_REXW) != 0, scalar = lo >= 8 && (lo & 1), k = dbl ? 8 : 4;
  union xmm *t = &c->tmpx[0], *r = &c->tmpx[1];
  const union xmm *x1 = &c->xmm[in->reg], *x2 = &c->xmm[in->vex_v], *fa, *fb, *ad;
  unsigned fl = 0;
  uint32_t mx = c->mxcsr;
  if (scalar) {
    if (in->mod == 3) memcpy(t, &c->xmm[in->rm], 16);
    else if ((rc = ldn(c, ea(c, in), k, t))) return rc;
  } else if ((rc = vsrc(c, in, t, n))) {
    return rc;
  }
  switch (op >> 4) { // 132 x1*x3+x2, 213 x2*x1+x3, 231 x2*x3+x1
  case 0x9: fa = x1, fb = t, ad = x2; break;
  case 0xA: fa = x2, fb = x1, ad = t; break;
  default: fa = x2, fb = t, ad = x1; break;
  }
  // lo: 6 addsub (even elements subtract), 7 subadd, 8/9 add, A/B sub, C/D nadd, E/F nsub.
  int np = lo >= 12, nc = lo == 10 || lo == 11 || lo >= 14, cnt = scalar ? 1 : n / k;
  memcpy(r, x1, 32);
  for (int i = 0; i < cnt; i++) {
    int sub = lo == 6 ? !(i & 1) : lo == 7 ? (i & 1) : nc;
    if (dbl) r->dbl[i] = fma_mx_d(fa->dbl[i], fb->dbl[i], ad->dbl[i], np, sub, mx, &fl);
    else r->f[i] = fma_mx_f(fa->f[i], fb->f[i], ad->f[i], np, sub, mx, &fl);
  }
  if ((rc = mx_commit(c, fl))) return rc;
  vset(c, in->reg, r, scalar ? 16 : n);
  return 0;
}
