// SPDX-License-Identifier: MIT
// Software x87 double-extended arithmetic (see f80.h). Values are unpacked to
// a sign, an exponent (biased as in the 80-bit format, but allowed below 1
// while in flight) and a 128-bit significand with the integer bit at bit 127;
// round_pack rounds that to the precision control's 24, 53 or 64 bits, with
// denormalisation first, as the x87 does with underflow masked (SDM vol. 1,
// 4.8.3 and 8.1.5.2). Cold code: x87 instructions are rare in user programs.
#include <math.h>
#include <string.h>

#include "f80.h"

typedef unsigned __int128 u128;

#define EXP_MAX 0x7FFF
#define BIAS 16383
static const uint64_t J = 1ull << 63;
static const uint64_t QNAN_BIT = 1ull << 62;

static struct f80 indefinite(void) { return f80_make(1, EXP_MAX, 0xC000000000000000ull); }
static int is_inf(struct f80 a) { return (a.se & EXP_MAX) == EXP_MAX && a.m == J; }
static int is_zero(struct f80 a) { return (a.se & EXP_MAX) == 0 && a.m == 0; }
static int is_snan(struct f80 a) { return f80_isnan(a) && !(a.m & QNAN_BIT); }
// Unnormals, pseudo-infinities and pseudo-NaNs: invalid operands since the 387.
static int unsupported(struct f80 a) {
  int e = a.se & EXP_MAX;
  return e != 0 && !(a.m & J);
}
static int prec_bits(unsigned cw) {
  static const int p[4] = {24, 64, 53, 64}; // PC=01 is reserved
  return p[(cw >> 8) & 3];
}

// Exponent and significand with the integer bit set (denormals normalised,
// their exponent then below 1). Not for zero.
static int unpack(struct f80 a, uint64_t *m) {
  int e = a.se & EXP_MAX;
  uint64_t s = a.m;
  if (e == 0) e = 1; // denormal and pseudo-denormal: exponent 1 - 16383
  int sh = __builtin_clzll(s);
  *m = s << sh;
  return e - sh;
}

static void shr128(uint64_t *hi, uint64_t *lo, int n) {
  if (n <= 0) return;
  uint64_t sticky;
  if (n >= 128) {
    sticky = (*hi | *lo) != 0;
    *hi = 0;
    *lo = sticky;
  } else if (n >= 64) {
    sticky = *lo != 0 || (n > 64 && (*hi << (128 - n)) != 0);
    *lo = (n == 64 ? *hi : *hi >> (n - 64)) | sticky;
    *hi = 0;
  } else {
    sticky = (*lo << (64 - n)) != 0;
    *lo = (*lo >> n) | (*hi << (64 - n)) | sticky;
    *hi >>= n;
  }
}

// Rounds sign * hi:lo * 2^(exp - BIAS - 127) to p bits under rc and packs it.
static struct f80 round_pack(int sign, int exp, uint64_t hi, uint64_t lo, int p, int rc, uint16_t *sw) {
  if (!hi && !lo) return f80_make(sign, 0, 0);
  while (!(hi & J)) { // normalise (rare: after cancellation)
    int sh = hi ? __builtin_clzll(hi) : 64;
    if (sh == 64) { hi = lo; lo = 0; exp -= 64; continue; }
    hi = (hi << sh) | (lo >> (64 - sh));
    lo <<= sh;
    exp -= sh;
  }
  int tiny = 0;
  if (exp < 1) { // denormalise; exponent field 0
    shr128(&hi, &lo, 1 - exp);
    exp = 0;
    tiny = 1;
  }
  uint64_t unit = p == 64 ? 1 : 1ull << (64 - p);
  uint64_t rest_hi = hi & (unit - 1);
  int rbit, sticky;
  if (p == 64) {
    rbit = (int)(lo >> 63);
    sticky = (lo << 1) != 0;
  } else {
    rbit = (int)((rest_hi >> (63 - p)) & 1);
    sticky = (rest_hi & ((unit >> 1) - 1)) != 0 || lo != 0;
  }
  int inexact = rbit | sticky, up;
  switch (rc) {
  case 0: up = rbit && (sticky || (hi & unit)); break;
  case 1: up = sign && inexact; break;
  case 2: up = !sign && inexact; break;
  default: up = 0; break;
  }
  hi &= ~(unit - 1);
  if (up) {
    hi += unit;
    if (hi == 0) {
      hi = J;
      exp++;
    } else if (exp == 0 && (hi & J)) {
      exp = 1; // rounded up out of the denormal range
    }
  }
  if (inexact) {
    *sw |= FX_PE;
    if (tiny) *sw |= FX_UE;
    if (up) *sw |= FX_C1; // rounded away from zero
  }
  if (exp >= EXP_MAX) {
    *sw |= FX_OE | FX_PE;
    int to_inf = rc == 0 || (rc == 1 && sign) || (rc == 2 && !sign);
    *sw = to_inf ? *sw | FX_C1 : *sw & ~FX_C1;
    if (to_inf) return f80_make(sign, EXP_MAX, J);
    return f80_make(sign, EXP_MAX - 1, ~(unit - 1));
  }
  return f80_make(sign, exp, hi);
}

// NaN operands (SDM vol. 1, table 4-7, x87 column): a QNaN wins over an
// SNaN; of two NaNs of the same kind the larger significand wins; the
// result is always quiet.
static struct f80 pick_nan(struct f80 a, struct f80 b, uint16_t *sw) {
  int an = f80_isnan(a), bn = f80_isnan(b);
  if (is_snan(a) || is_snan(b)) *sw |= FX_IE;
  struct f80 r;
  if (an && bn) {
    int sa = is_snan(a), sb = is_snan(b);
    if (sa != sb) r = sa ? b : a;
    else if ((a.m | QNAN_BIT) != (b.m | QNAN_BIT)) r = (a.m | QNAN_BIT) > (b.m | QNAN_BIT) ? a : b;
    else r = f80_sign(a) ? b : a; // equal significands: the positive one
  } else {
    r = an ? a : b;
  }
  r.m |= QNAN_BIT;
  return r;
}

static struct f80 invalid(uint16_t *sw) {
  *sw |= FX_IE;
  return indefinite();
}

static void check_denormal(struct f80 a, uint16_t *sw) {
  if ((a.se & EXP_MAX) == 0 && a.m) *sw |= FX_DE;
}

struct f80 f80_add(struct f80 a, struct f80 b, int negate_b, unsigned cw, uint16_t *sw) {
  if (f80_isnan(a) || f80_isnan(b)) return pick_nan(a, b, sw);
  if (unsupported(a) || unsupported(b)) return invalid(sw);
  int rc = (cw >> 10) & 3;
  int sa = f80_sign(a), sb = f80_sign(b) ^ (negate_b != 0);
  if (is_inf(a) || is_inf(b)) {
    if (is_inf(a) && is_inf(b) && sa != sb) return invalid(sw);
    return is_inf(a) ? f80_make(sa, EXP_MAX, J) : f80_make(sb, EXP_MAX, J);
  }
  check_denormal(a, sw);
  check_denormal(b, sw);
  int p = prec_bits(cw);
  if (is_zero(a) && is_zero(b)) return f80_make(sa == sb ? sa : rc == 1, 0, 0);
  uint64_t ma, mb;
  if (is_zero(b)) {
    int ea = unpack(a, &ma);
    return round_pack(sa, ea, ma, 0, p, rc, sw);
  }
  if (is_zero(a)) {
    int eb = unpack(b, &mb);
    return round_pack(sb, eb, mb, 0, p, rc, sw);
  }
  int ea = unpack(a, &ma), eb = unpack(b, &mb);
  if (ea < eb || (ea == eb && ma < mb)) { // a is the larger magnitude
    uint64_t t = ma; ma = mb; mb = t;
    int te = ea; ea = eb; eb = te;
    int ts = sa; sa = sb; sb = ts;
  }
  uint64_t ahi = ma, alo = 0, bhi = mb, blo = 0;
  shr128(&bhi, &blo, ea - eb);
  uint64_t hi, lo;
  if (sa == sb) {
    lo = alo + blo;
    hi = ahi + bhi + (lo < alo);
    if (hi < ahi) { // carry out: shift right one, keeping the sticky bit
      lo = (lo >> 1) | (hi << 63) | (lo & 1);
      hi = (hi >> 1) | J;
      ea++;
    }
  } else {
    lo = alo - blo;
    hi = ahi - bhi - (alo < blo);
    if (!hi && !lo) return f80_make(rc == 1, 0, 0); // exact cancellation
  }
  return round_pack(sa, ea, hi, lo, p, rc, sw);
}

struct f80 f80_mul(struct f80 a, struct f80 b, unsigned cw, uint16_t *sw) {
  if (f80_isnan(a) || f80_isnan(b)) return pick_nan(a, b, sw);
  if (unsupported(a) || unsupported(b)) return invalid(sw);
  int s = f80_sign(a) ^ f80_sign(b);
  if (is_inf(a) || is_inf(b)) {
    if (is_zero(a) || is_zero(b)) return invalid(sw);
    return f80_make(s, EXP_MAX, J);
  }
  check_denormal(a, sw);
  check_denormal(b, sw);
  if (is_zero(a) || is_zero(b)) return f80_make(s, 0, 0);
  uint64_t ma, mb;
  int ea = unpack(a, &ma), eb = unpack(b, &mb);
  u128 pr = (u128)ma * mb;
  return round_pack(s, ea + eb - BIAS + 1, (uint64_t)(pr >> 64), (uint64_t)pr, prec_bits(cw), (cw >> 10) & 3, sw);
}

struct f80 f80_div(struct f80 a, struct f80 b, unsigned cw, uint16_t *sw) {
  if (f80_isnan(a) || f80_isnan(b)) return pick_nan(a, b, sw);
  if (unsupported(a) || unsupported(b)) return invalid(sw);
  int s = f80_sign(a) ^ f80_sign(b);
  if (is_inf(a)) {
    if (is_inf(b)) return invalid(sw);
    return f80_make(s, EXP_MAX, J);
  }
  if (is_inf(b)) return f80_make(s, 0, 0);
  if (is_zero(b)) {
    if (is_zero(a)) return invalid(sw);
    check_denormal(a, sw);
    *sw |= FX_ZE;
    return f80_make(s, EXP_MAX, J);
  }
  check_denormal(a, sw);
  check_denormal(b, sw);
  if (is_zero(a)) return f80_make(s, 0, 0);
  uint64_t ma, mb;
  int ea = unpack(a, &ma), eb = unpack(b, &mb);
  u128 n = (u128)ma << 64;
  u128 q = n / mb;
  uint64_t r = (uint64_t)(n - q * mb);
  u128 n2 = (u128)r << 64;
  uint64_t q2 = (uint64_t)(n2 / mb);
  uint64_t r2 = (uint64_t)(n2 - (u128)q2 * mb);
  int exp = ea - eb + BIAS - 1;
  uint64_t hi, lo;
  if (q >> 64) { // quotient in [1, 2): one more integer bit
    hi = (uint64_t)(q >> 1) | J;
    lo = ((uint64_t)q << 63) | (q2 >> 1) | (q2 & 1) | (r2 != 0);
    exp++;
  } else {
    hi = (uint64_t)q;
    lo = q2 | (r2 != 0);
  }
  return round_pack(s, exp, hi, lo, prec_bits(cw), (cw >> 10) & 3, sw);
}

struct f80 f80_sqrt(struct f80 a, unsigned cw, uint16_t *sw) {
  if (f80_isnan(a)) return pick_nan(a, a, sw);
  if (unsupported(a)) return invalid(sw);
  if (is_zero(a)) return a;
  if (f80_sign(a)) return invalid(sw);
  if (is_inf(a)) return a;
  check_denormal(a, sw);
  uint64_t ma;
  int e = unpack(a, &ma) - BIAS; // a = ma * 2^(e - 63)
  int s = ((e - 63) & 1) ? 63 : 64; // (e - 63 - s) even
  u128 x = (u128)ma << s, res = 0, bit = (u128)1 << 126;
  while (bit > x) bit >>= 2;
  while (bit) {
    if (x >= res + bit) {
      x -= res + bit;
      res = (res >> 1) + bit;
    } else {
      res >>= 1;
    }
    bit >>= 2;
  }
  uint64_t root = (uint64_t)res;
  // Never exactly halfway: (r + 1/2)^2 is not an integer.
  uint64_t lo = x == 0 ? 0 : x > root ? 0x8000000000000001ull : 1;
  int exp = (e - 63 - s) / 2 + BIAS + 63;
  return round_pack(0, exp, root, lo, prec_bits(cw), (cw >> 10) & 3, sw);
}

struct f80 f80_round(struct f80 a, unsigned cw, uint16_t *sw) {
  int e = a.se & EXP_MAX;
  if (e == EXP_MAX || is_zero(a) || unsupported(a)) return a;
  uint64_t m;
  int ex = unpack(a, &m);
  return round_pack(f80_sign(a), ex, m, 0, prec_bits(cw), (cw >> 10) & 3, sw);
}

// Rounds |a| (finite, nonzero) to an integer magnitude under rc. *big set
// when it is 2^64 or more.
static uint64_t round_mag(struct f80 a, int rc, int *big, uint16_t *sw) {
  uint64_t m;
  int e = unpack(a, &m) - BIAS; // |a| = m * 2^(e - 63)
  *big = 0;
  if (e >= 64) {
    *big = 1;
    return 0;
  }
  if (e >= 63) return m;
  int sign = f80_sign(a);
  uint64_t ip, frac_hi; // integer part; fraction as a 64-bit binary fraction
  int sticky;
  if (e < -1) {
    ip = 0;
    frac_hi = 0; // below one half
    sticky = 1;
  } else {
    int sh = 63 - e; // 1..64
    ip = sh == 64 ? 0 : m >> sh;
    frac_hi = m << (64 - sh);
    sticky = 0;
  }
  int inexact = frac_hi || sticky, up;
  switch (rc) {
  case 0: up = frac_hi > J || (frac_hi == J && (ip & 1)); break;
  case 1: up = sign && inexact; break;
  case 2: up = !sign && inexact; break;
  default: up = 0; break;
  }
  if (inexact) *sw |= up ? FX_PE | FX_C1 : FX_PE;
  ip += up;
  return ip;
}

struct f80 f80_rndint(struct f80 a, unsigned cw, uint16_t *sw) {
  if (f80_isnan(a)) return pick_nan(a, a, sw);
  if (unsupported(a)) return invalid(sw);
  if (is_inf(a) || is_zero(a)) return a;
  check_denormal(a, sw);
  int big;
  uint64_t v = round_mag(a, (cw >> 10) & 3, &big, sw);
  if (big) return a;
  if (!v) return f80_make(f80_sign(a), 0, 0);
  int sh = __builtin_clzll(v);
  return f80_make(f80_sign(a), BIAS + 63 - sh, v << sh);
}

uint64_t f80_to_int(struct f80 a, int size, int rc, uint16_t *sw) {
  uint64_t indef = 1ull << (8 * size - 1);
  if (f80_isnan(a) || is_inf(a) || unsupported(a)) {
    *sw |= FX_IE;
    return indef;
  }
  if (is_zero(a)) return 0;
  int big;
  uint64_t v = round_mag(a, rc, &big, sw);
  int neg = f80_sign(a);
  if (big || v > indef || (v == indef && !neg)) {
    *sw |= FX_IE;
    return indef;
  }
  v = neg ? (uint64_t)0 - v : v;
  return size == 8 ? v : v & ((1ull << (8 * size)) - 1);
}

struct f80 f80_scale(struct f80 a, struct f80 b, unsigned cw, uint16_t *sw) {
  if (f80_isnan(a) || f80_isnan(b)) return pick_nan(a, b, sw);
  if (unsupported(a) || unsupported(b)) return invalid(sw);
  int sa = f80_sign(a);
  if (is_inf(b)) {
    if (!f80_sign(b)) { // a * 2^+inf
      if (is_zero(a)) return invalid(sw);
      return f80_make(sa, EXP_MAX, J);
    }
    if (is_inf(a)) return invalid(sw); // inf * 2^-inf
    return f80_make(sa, 0, 0);
  }
  if (is_inf(a) || is_zero(a)) return a;
  check_denormal(a, sw);
  // trunc(b), clamped: anything past +-2^17 over- or underflows anyway.
  int64_t n;
  if (is_zero(b)) {
    n = 0;
  } else {
    uint64_t mb;
    int eb = unpack(b, &mb) - BIAS;
    if (eb >= 20) n = 1 << 20;
    else if (eb < 0) n = 0;
    else n = (int64_t)(mb >> (63 - eb));
    if (f80_sign(b)) n = -n;
  }
  uint64_t ma;
  int ea = unpack(a, &ma);
  // Precision control does not apply: only over/underflow rounds.
  return round_pack(sa, ea + (int)n, ma, 0, 64, (cw >> 10) & 3, sw);
}

// FPREM/FPREM1 (SDM vol. 2): when the exponents differ by 64 or more, one
// step reduces the exponent difference by N = 32 + (D mod 32) and sets C2.
struct f80 f80_rem(struct f80 a, struct f80 b, int ieee, uint16_t *cc, uint16_t *sw) {
  *cc = 0;
  if (f80_isnan(a) || f80_isnan(b)) return pick_nan(a, b, sw);
  if (unsupported(a) || unsupported(b) || is_inf(a) || is_zero(b)) return invalid(sw);
  if (is_inf(b) || is_zero(a)) return a;
  check_denormal(a, sw);
  check_denormal(b, sw);
  int sa = f80_sign(a);
  uint64_t ma, mb;
  int ea = unpack(a, &ma), eb = unpack(b, &mb);
  int d = ea - eb;
  if (d < -1 || (d == -1 && !ieee)) return f80_round(a, 0x037F, sw); // |a| < |b| (/2): a itself
  uint64_t q = 0;
  u128 rem;
  int base = eb; // rem * 2^(base - BIAS - 63)
  if (d == -1) { // fprem1 only: |a| in [|b|/4, |b|)
    rem = ma;
    base = eb - 1;
    u128 bb = (u128)mb << 1;
    if (rem > (u128)mb) { // more than half: subtract b once
      q = 1;
      rem = bb - rem;
      sa ^= 1;
    }
  } else {
    int partial = d >= 64;
    int shift = partial ? 32 + (d & 31) : d;
    if (partial) base = ea - shift;
    u128 n = (u128)ma << shift;
    u128 qq = n / mb;
    rem = n - qq * mb;
    q = (uint64_t)qq;
    if (partial) {
      *cc |= 0x0400; // C2: incomplete
    } else if (ieee && (rem * 2 > mb || (rem * 2 == mb && (q & 1)))) {
      q++;
      rem = mb - rem;
      sa ^= 1;
    }
  }
  if (!(*cc & 0x0400)) {
    if (q & 1) *cc |= 0x0200; // C1
    if (q & 2) *cc |= 0x4000; // C3
    if (q & 4) *cc |= 0x0100; // C0
  }
  if (rem == 0) return f80_make(f80_sign(a), 0, 0);
  uint64_t r = (uint64_t)rem;
  return round_pack(sa, base, r, 0, 64, 0, sw);
}

int f80_cmp(struct f80 a, struct f80 b, int signal_qnan, uint16_t *sw) {
  if (f80_isnan(a) || f80_isnan(b) || unsupported(a) || unsupported(b)) {
    if (signal_qnan || is_snan(a) || is_snan(b) || unsupported(a) || unsupported(b)) *sw |= FX_IE;
    return 2;
  }
  check_denormal(a, sw);
  check_denormal(b, sw);
  if (is_zero(a) && is_zero(b)) return 0;
  int sa = f80_sign(a), sb = f80_sign(b);
  if (sa != sb) return sa ? -1 : 1;
  int ea = a.se & EXP_MAX, eb = b.se & EXP_MAX;
  int mag = ea != eb ? (ea < eb ? -1 : 1) : a.m != b.m ? (a.m < b.m ? -1 : 1) : 0;
  return sa ? -mag : mag;
}

// Loads of IEEE single/double: exact; an SNaN becomes quiet (and IE).
static struct f80 from_ieee(uint64_t v, int mbits, int ebits) {
  int sign = (int)(v >> (mbits + ebits));
  int emax = (1 << ebits) - 1, bias = emax >> 1;
  int e = (int)(v >> mbits) & emax;
  uint64_t f = v & ((1ull << mbits) - 1);
  if (e == emax) return f80_make(sign, EXP_MAX, J | (f << (63 - mbits)));
  if (e == 0) {
    if (!f) return f80_make(sign, 0, 0);
    int sh = __builtin_clzll(f);
    // f * 2^(1 - bias - mbits) = (f << sh) * 2^(1 - bias - mbits - sh)
    return f80_make(sign, 1 - bias - mbits - sh + 63 + BIAS, f << sh);
  }
  return f80_make(sign, e - bias + BIAS, J | (f << (63 - mbits)));
}

struct f80 f80_from_f32(uint32_t v, uint16_t *sw) {
  struct f80 r = from_ieee(v, 23, 8);
  if (is_snan(r)) {
    *sw |= FX_IE;
    r.m |= QNAN_BIT;
  } else if ((v & 0x7F800000u) == 0 && (v & 0x7FFFFFu)) {
    *sw |= FX_DE;
  }
  return r;
}

struct f80 f80_from_f64(uint64_t v, uint16_t *sw) {
  struct f80 r = from_ieee(v, 52, 11);
  if (is_snan(r)) {
    *sw |= FX_IE;
    r.m |= QNAN_BIT;
  } else if ((v & 0x7FF0000000000000ull) == 0 && (v << 12)) {
    *sw |= FX_DE;
  }
  return r;
}

struct f80 f80_from_i64(int64_t v) {
  if (!v) return f80_make(0, 0, 0);
  int sign = v < 0;
  uint64_t m = sign ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  int sh = __builtin_clzll(m);
  return f80_make(sign, BIAS + 63 - sh, m << sh);
}

// Stores to IEEE single/double with that format's precision and range.
static uint64_t to_ieee(struct f80 a, int mbits, int ebits, unsigned cw, uint16_t *sw) {
  int p = mbits + 1, emax = (1 << ebits) - 1, bias = emax >> 1;
  uint64_t sign = (uint64_t)f80_sign(a) << (mbits + ebits);
  uint64_t inf = (uint64_t)emax << mbits;
  if (f80_isnan(a) || unsupported(a)) {
    if (unsupported(a)) a = indefinite();
    if (is_snan(a)) *sw |= FX_IE;
    uint64_t s = (uint64_t)f80_sign(a) << (mbits + ebits);
    return s | inf | (1ull << (mbits - 1)) | ((a.m << 1) >> (64 - mbits));
  }
  if (is_inf(a)) return sign | inf;
  if (is_zero(a)) return sign;
  int rc = (cw >> 10) & 3, neg = f80_sign(a);
  uint64_t m;
  int te = unpack(a, &m) - BIAS + bias; // target biased exponent
  uint64_t hi = m, lo = 0;
  int tiny = te < 1;
  if (tiny) {
    shr128(&hi, &lo, 1 - te);
    te = 1; // the exponent field is te - 1 + J, so 0 for a denormal
  }
  int drop = 64 - p;
  uint64_t frac = hi >> drop, rest = hi & ((1ull << drop) - 1);
  uint64_t half = 1ull << (drop - 1);
  int inexact = rest || lo, up;
  switch (rc) {
  case 0: up = rest > half || (rest == half && (lo || (frac & 1))); break;
  case 1: up = neg && inexact; break;
  case 2: up = !neg && inexact; break;
  default: up = 0; break;
  }
  frac += up;
  if (inexact) *sw |= (tiny ? FX_PE | FX_UE : FX_PE) | (up ? FX_C1 : 0);
  if (te > emax) te = emax + 1; // overflows below; keeps the shift in range
  uint64_t bits = ((uint64_t)(te - 1) << mbits) + frac; // J carries into the exponent
  if ((bits >> mbits) >= (uint64_t)emax) {
    *sw |= FX_OE | FX_PE;
    int to_inf = rc == 0 || (rc == 1 && neg) || (rc == 2 && !neg);
    *sw = to_inf ? *sw | FX_C1 : *sw & ~FX_C1;
    return sign | (to_inf ? inf : inf - 1);
  }
  return sign | bits;
}

uint32_t f80_to_f32(struct f80 a, unsigned cw, uint16_t *sw) { return (uint32_t)to_ieee(a, 23, 8, cw, sw); }
uint64_t f80_to_f64(struct f80 a, unsigned cw, uint16_t *sw) { return to_ieee(a, 52, 11, cw, sw); }

// fld1, fldl2t, fldl2e, fldpi, fldlg2, fldln2, fldz: the significand rounded
// to nearest, and which way the dropped bits lean (1: nearest rounded up).
struct f80 f80_const(int k, unsigned cw) {
  static const struct { uint64_t m; uint16_t e; uint8_t nearest_up; } t[7] = {
      {0x8000000000000000ull, 0x3FFF, 2}, // exact
      {0xD49A784BCD1B8AFEull, 0x4000, 0}, {0xB8AA3B295C17F0BCull, 0x3FFF, 1},
      {0xC90FDAA22168C235ull, 0x4000, 1}, {0x9A209A84FBCFF799ull, 0x3FFD, 1},
      {0xB17217F7D1CF79ACull, 0x3FFE, 1}, {0, 0, 2},
  };
  int rc = (cw >> 10) & 3;
  uint64_t m = t[k].m;
  if (t[k].nearest_up == 1 && (rc == 1 || rc == 3)) m--; // down or toward zero (all positive)
  if (t[k].nearest_up == 0 && rc == 2) m++;
  return f80_make(0, t[k].e, m);
}

long double f80_to_ld(struct f80 a) {
  int e = a.se & EXP_MAX;
  long double v;
  if (e == EXP_MAX) v = (a.m << 1) ? NAN : INFINITY;
  else if (e == 0) v = ldexpl((long double)a.m, -16382 - 63);
  else v = ldexpl((long double)a.m, e - BIAS - 63);
  return f80_sign(a) ? -v : v;
}

struct f80 f80_from_ld(long double v) {
  int sign = signbit(v) != 0;
  if (isnan(v)) return indefinite();
  if (isinf(v)) return f80_make(sign, EXP_MAX, J);
  if (v == 0) return f80_make(sign, 0, 0);
  int e;
  long double f = frexpl(fabsl(v), &e); // f in [0.5, 1)
  long double r = nearbyintl(ldexpl(f, 64));
  if (r >= 18446744073709551616.0L) {
    r /= 2;
    e++;
  }
  uint64_t m = (uint64_t)r;
  uint16_t sw = 0;
  if (m < J) m <<= 1, e--; // cannot happen for f >= 0.5; defensive
  return round_pack(sign, e - 1 + BIAS, m, 0, 64, 0, &sw);
}
