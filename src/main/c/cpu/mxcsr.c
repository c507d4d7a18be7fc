// SPDX-License-Identifier: MIT
// SSE arithmetic under a non-default MXCSR (SDM vol. 1, 11.5): rounding
// control, DAZ, FTZ, the six exception flags and unmasked exceptions (#XM,
// which Linux turns into SIGFPE). sse.c runs its fast paths while MXCSR has
// Linux's default control bits (0x1F80: all masked, nearest, no DAZ/FTZ)
// and comes here otherwise. Results are first rounded to nearest by the
// host; the sign of the exact error (TwoSum, or an FMA remainder, with
// operands scaled out of the subnormal range) then steps them to the
// directed rounding and tells inexactness and tininess (after rounding, as
// Intel defines it).
#include <float.h>
#include <math.h>

#include "internal.h"

enum { IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32, DAZ = 0x40, FTZ = 0x8000 };
enum { OP_SQRT = 0x51, OP_ADD = 0x58, OP_MUL = 0x59, OP_SUB = 0x5C, OP_MIN = 0x5D, OP_DIV = 0x5E, OP_MAX = 0x5F };

static uint64_t bits_d(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static double from_d(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }
static uint32_t bits_f(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float from_f(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

static int snan_d(double x) { uint64_t u = bits_d(x); return (u & 0x7FF8000000000000ull) == 0x7FF0000000000000ull && (u << 12); }
static int snan_f(float x) { uint32_t u = bits_f(x); return (u & 0x7FC00000u) == 0x7F800000u && (u << 9); }
static int denorm_d(double x) { uint64_t u = bits_d(x); return !(u & 0x7FF0000000000000ull) && (u << 12); }
static int denorm_f(float x) { uint32_t u = bits_f(x); return !(u & 0x7F800000u) && (u << 9); }

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
static int sgn(double e) { return (e > 0) - (e < 0); }

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

// Overflow is decided on the exact result rounded with an unbounded
// exponent (SDM vol. 1, 4.9.1.4). When the nearest rounding already gave
// infinity but the active rounding goes toward zero for the result's sign
// (RZ, RD on positives, RU on negatives), that rounded value exceeds the
// largest finite only if |exact| >= 2^1024 (2^128 for single): between the
// largest finite + 1/2 ulp and there, the result is the largest finite,
// inexact, and not an overflow. Only called for finite operands whose
// nearest-rounded result is infinite, so the halved operand stays normal.
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

// One double operation (dest operand a, source b) under MXCSR mx; ORs
// exception flags into *fl and returns the result.
static double op_d1(int op, double a, double b, uint32_t mx, unsigned *fl, unsigned *de) {
  int rc = (mx >> 13) & 3;
  if (mx & DAZ) {
    if (denorm_d(a)) a = copysign(0.0, a);
    if (denorm_d(b)) b = copysign(0.0, b);
  } else if ((op != OP_SQRT && denorm_d(a)) || denorm_d(b)) {
    *de = DE;
  }
  if (op == OP_MIN || op == OP_MAX) { // any NaN is invalid; the source is returned then
    if (a != a || b != b) { *fl |= IE; return b; }
    return op == OP_MIN ? (a < b ? a : b) : (a > b ? a : b);
  }
  int unary = op == OP_SQRT;
  if (b != b || (!unary && a != a)) {
    if (snan_d(b) || (!unary && snan_d(a))) *fl |= IE;
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
  if (r != r) { *fl |= IE; return from_d(0xFFF8000000000000ull); }
  if (op == OP_DIV && b == 0 && !isinf(a)) { *fl |= ZE; *de = 0; return r; }
  if (isinf(r)) {
    if ((unary || !isinf(a)) && !isinf(b)) { // past the largest finite: see beyond_d
      int tozero = rc == 3 || (rc == 1 && r > 0) || (rc == 2 && r < 0);
      *fl |= PE | (!tozero || beyond_d(op, a, b) ? OE : 0);
      if (tozero) r = copysign(DBL_MAX, r);
    }
    return r;
  }
  int es = ((!unary && isinf(a)) || isinf(b)) ? 0 : err_sign_d(op, a, b, r);
  if (es) *fl |= PE;
  if (r == 0 && !es && rc == 1 && (op == OP_ADD || op == OP_SUB)) { // an exact zero sum is -0 rounding down
    double bb = op == OP_ADD ? b : -b;
    r = (a == 0 && bb == 0 && !signbit(a) && !signbit(bb)) ? 0.0 : -0.0;
  }
  int xs = r != 0 ? (r > 0) - (r < 0) : es; // sign of the exact result
  r = directed_d(r, es, rc);
  if (isinf(r)) *fl |= OE; // a directed step past the largest finite
  if (fabs(r) < DBL_MIN && (r != 0 || es)) { // tiny (after rounding, unbounded exponent)
    if (!(mx & (UE << 7))) *fl |= UE;
    else if (es) *fl |= UE;
    if ((mx & FTZ) && (mx & (UE << 7))) {
      *fl |= UE | PE;
      r = copysign(0.0, (double)xs);
    }
  }
  return r;
}

static float op_f1(int op, float a, float b, uint32_t mx, unsigned *fl, unsigned *de) {
  int rc = (mx >> 13) & 3;
  if (mx & DAZ) {
    if (denorm_f(a)) a = copysignf(0.0f, a);
    if (denorm_f(b)) b = copysignf(0.0f, b);
  } else if ((op != OP_SQRT && denorm_f(a)) || denorm_f(b)) {
    *de = DE;
  }
  if (op == OP_MIN || op == OP_MAX) {
    if (a != a || b != b) { *fl |= IE; return b; }
    return op == OP_MIN ? (a < b ? a : b) : (a > b ? a : b);
  }
  int unary = op == OP_SQRT;
  if (b != b || (!unary && a != a)) {
    if (snan_f(b) || (!unary && snan_f(a))) *fl |= IE;
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
  if (r != r) { *fl |= IE; return from_f(0xFFC00000u); }
  if (op == OP_DIV && b == 0 && !isinf(a)) { *fl |= ZE; *de = 0; return r; }
  if (isinf(r)) {
    if ((unary || !isinf(a)) && !isinf(b)) {
      int tozero = rc == 3 || (rc == 1 && r > 0) || (rc == 2 && r < 0);
      *fl |= PE | (!tozero || beyond_f(op, a, b) ? OE : 0);
      if (tozero) r = copysignf(FLT_MAX, r);
    }
    return r;
  }
  int es = ((!unary && isinf(a)) || isinf(b)) ? 0 : err_sign_f(op, a, b, r);
  if (es) *fl |= PE;
  if (r == 0 && !es && rc == 1 && (op == OP_ADD || op == OP_SUB)) {
    float bb = op == OP_ADD ? b : -b;
    r = (a == 0 && bb == 0 && !signbit(a) && !signbit(bb)) ? 0.0f : -0.0f;
  }
  int xs = r != 0 ? (r > 0) - (r < 0) : es; // sign of the exact result
  r = directed_f(r, es, rc);
  if (isinf(r)) *fl |= OE;
  if (fabsf(r) < FLT_MIN && (r != 0 || es)) {
    if (!(mx & (UE << 7))) *fl |= UE;
    else if (es) *fl |= UE;
    if ((mx & FTZ) && (mx & (UE << 7))) {
      *fl |= UE | PE;
      r = copysignf(0.0f, (float)xs);
    }
  }
  return r;
}

// The denormal-operand flag is not reported for an invalid operation (as
// measured on hardware: sqrt of a negative denormal sets IE only).
static double op_d(int op, double a, double b, uint32_t mx, unsigned *fl) {
  unsigned f = 0, de = 0;
  double r = op_d1(op, a, b, mx, &f, &de);
  *fl |= f | ((f & IE) ? 0 : de);
  return r;
}
static float op_f(int op, float a, float b, uint32_t mx, unsigned *fl) {
  unsigned f = 0, de = 0;
  float r = op_f1(op, a, b, mx, &f, &de);
  *fl |= f | ((f & IE) ? 0 : de);
  return r;
}

// Raises #XM for unmasked flags (destination untouched), else records them.
static int commit(struct cpu *c, unsigned fl) {
  c->mxcsr |= fl;
  if (fl & ~(c->mxcsr >> 7) & 0x3F) {
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
  if (f2) r->dbl[0] = op_d(op, d->dbl[0], s->dbl[0], mx, &fl);
  else if (f3) r->f[0] = op_f(op, d->f[0], s->f[0], mx, &fl);
  else if (p66) for (int i = 0; i < 2; i++) r->dbl[i] = op_d(op, d->dbl[i], s->dbl[i], mx, &fl);
  else for (int i = 0; i < 4; i++) r->f[i] = op_f(op, d->f[i], s->f[i], mx, &fl);
  if ((rc = commit(c, fl))) return rc;
  memcpy(d, r, 16);
  return 0;
}
