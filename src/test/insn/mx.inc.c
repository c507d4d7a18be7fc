// SPDX-License-Identifier: MIT
// insntest classes for MXCSR fidelity beyond the legacy arithmetic of
// sse_mx (included by insntest.c after avx_fp.inc.c; uses its helpers):
// sse_mxcvt (legacy conversions, compares, round, SSE3 horizontal
// arithmetic, dpps/dppd) and avx_mx (the VEX arithmetic, FMA, dot
// products, conversions, compares and round). Every case runs under a
// random non-default MXCSR (rounding control, DAZ, FTZ, starting flags)
// with all exceptions masked and compares the MXCSR after it; one case in
// sixteen instead unmasks every exception and gives operands no exception
// can come from (small integers, no divide or square root), so a false
// trap under xos shows as a difference. Integers only, as everywhere in the
// generator.

static int mx_exact; // this case: all exceptions unmasked, small integer operands

static uint32_t mx_random(void) {
  uint32_t mx = 0x1F80 | (uint32_t)(rnd() & 0x603F) | (rndn(2) ? 0x40 : 0) | (rndn(2) ? 0x8000 : 0);
  if ((mx & 0xFFC0) == 0x1F80) mx |= 0x2000u << rndn(2);
  if (mx_exact) mx &= ~0x1F80u;
  return mx;
}

static int small_int(void) { return rndn(4) ? rndn(41) - 20 : rndn(2001) - 1000; }
static uint32_t small_float(int k) {
  if (k == 0) return rndn(2) ? 0x80000000u : 0;
  uint32_t s = k < 0 ? 1u << 31 : 0, u = (uint32_t)(k < 0 ? -k : k);
  int msb = 31 - __builtin_clz(u);
  return s | (uint32_t)(127 + msb) << 23 | ((u << (23 - msb)) & 0x7FFFFF);
}
static uint64_t small_double(int k) {
  if (k == 0) return rndn(2) ? 1ull << 63 : 0;
  return (k < 0 ? 1ull << 63 : 0) | int_to_double_bits((uint64_t)(k < 0 ? -k : k), 0);
}

// Singles where conversions to integers decide: integers, halves and
// quarters, values next to 2^31, 2^32, 2^63, 2^64 (integral or not), and
// the edge values of the arithmetic.
static uint32_t cvt_float(void) {
  static const int near[] = {31, 32, 63, 64};
  uint32_t sign = (uint32_t)rndn(2) << 31, m = (uint32_t)rnd() & 0x7FFFFF;
  switch (rndn(7)) {
  case 0: return edge_float();
  case 1: return interesting_float();
  case 2: { // k, k/2, k/4
    uint32_t k = (uint32_t)rndn(4096) + 1;
    int msb = 31 - __builtin_clz(k);
    return sign | (uint32_t)(127 + msb - rndn(3)) << 23 | ((k << (23 - msb)) & 0x7FFFFF);
  }
  case 3: { // just below or at 2^e (e = 31, 32, 63, 64)
    int e = near[rndn(4)] - rndn(2);
    uint32_t mm = rndn(3) == 0 ? m : rndn(2) ? (m & 0xF) : 0x7FFFFF - (m & 0xF);
    return sign | (uint32_t)(127 + e) << 23 | mm;
  }
  case 4: return sign | (uint32_t)(125 + rndn(28)) << 23 | m; // 0.25 .. 2^27: fractions
  default: return (uint32_t)rnd();
  }
}

// Doubles: as cvt_float, plus the places where a double to single
// conversion decides: the 29 dropped bits at or next to a tie, results
// near the largest single and in the single subnormal range.
static uint64_t cvt_double(void) {
  static const int near[] = {31, 32, 63, 64};
  uint64_t sign = (rnd() & 1) << 63, m = rnd() & 0xFFFFFFFFFFFFFull;
  switch (rndn(8)) {
  case 0: return edge_double();
  case 1: return sign | int_to_double_bits((uint64_t)rndn(1 << 20) + 1, -rndn(3));
  case 2: {
    int e = near[rndn(4)] - rndn(2);
    uint64_t mm = rndn(3) == 0 ? m : rndn(2) ? (m & 0xFF) : 0xFFFFFFFFFFFFFull - (m & 0xFF);
    return sign | (uint64_t)(1023 + e) << 52 | mm;
  }
  case 3: return sign | (uint64_t)(1021 + rndn(56)) << 52 | m;
  case 4: { // ties and near-ties of the single rounding, at several magnitudes
    static const int ex[] = {0, 20, -20, 126, 127, 128, -126, -127, -130, -140, -149, -150, -151};
    uint64_t low = rndn(3) == 0 ? rnd() & 0x1FFFFFFF : (uint64_t)(0x10000000 + rndn(5) - 2) & 0x1FFFFFFF;
    if (rndn(5) == 0) low = 0;
    return sign | (uint64_t)(1023 + ex[rndn(sizeof ex / sizeof ex[0])]) << 52 | (m & ~0x1FFFFFFFull) | low;
  }
  case 5: // single subnormal range, and just below the smallest normal single
    if (rndn(4) == 0) return sign | (uint64_t)(1023 - 127) << 52 | 0xFFFFFE0000000ull | (m & 0x1FFFFFFF);
    return sign | (uint64_t)(1023 - 155 + rndn(35)) << 52 | m;
  default: return rnd();
  }
}

// Integers whose conversion to single or double rounds: a random top bit,
// with the bits below the 24th or 53rd significant one at or next to a tie.
static uint64_t cvt_int(void) {
  switch (rndn(4)) {
  case 0: return interesting();
  case 1: case 2: {
    int msb = rndn(64), p = rndn(2) ? 24 : 53;
    uint64_t v = (rnd() | 1ull << 63) >> (63 - msb);
    if (msb >= p) {
      int sh = msb - p + 1;
      uint64_t mask = (1ull << sh) - 1, half = 1ull << (sh - 1);
      uint64_t low = rndn(3) == 0 ? half + (uint64_t)(rndn(3) - 1) : rndn(2) ? 0 : rnd();
      v = (v & ~mask) | (low & mask);
    }
    if (rndn(2)) v = 0 - v;
    if (rndn(2) && msb < 32) v = (uint32_t)v; // a 32-bit source with its sign bit where rounding matters
    return v;
  }
  default: return rnd();
  }
}

enum { V_F, V_D, V_I, V_EF, V_ED }; // singles, doubles, int32s; edge singles, edge doubles (arithmetic)
static void mx_vals(uint8_t *p, int n, int kind) {
  int w = kind == V_D || kind == V_ED ? 8 : 4;
  for (int i = 0; i < n; i += w) {
    uint64_t v;
    if (mx_exact) {
      int k = small_int();
      v = w == 8 ? small_double(k) : kind == V_I ? (uint32_t)k : small_float(k);
    } else {
      switch (kind) {
      case V_F: v = cvt_float(); break;
      case V_D: v = cvt_double(); break;
      case V_I: v = cvt_int(); break;
      case V_EF: v = edge_float(); break;
      default: v = edge_double(); break;
      }
    }
    memcpy(p + i, &v, w);
  }
}
static void mx_reg(int r, int kind) {
  mx_vals(cur->in.xmm[r], 16, kind);
  mx_vals(cur->in.yhi[r], 16, kind);
}
static void mx_rm(int kind) {
  if (I.rm.mem) mx_vals(cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR), 32, kind);
  else mx_reg(I.rm.reg, kind);
}
// Operand pairs whose product (div: quotient) lies within a few ulps of the
// smallest normal, mostly just below it, where the tininess of a result
// that rounds up to it is decided: significands m1 and m2 with m1 * m2 just
// below a power of two (div: m2 just above m1), exponents that put the
// result at 2^-126 (2^-1022).
static void near_min_pair(uint8_t *x, uint8_t *y, int dbl) {
  uint64_t s1 = (rnd() & 1) << (dbl ? 63 : 31), s2 = (rnd() & 1) << (dbl ? 63 : 31);
  int div = rndn(3) == 0, p = dbl ? 53 : 24, bias = dbl ? 1023 : 127, emin = 1 - bias;
  uint64_t top = 1ull << (p - 1), m1 = top | (rnd() & (top - 1)), m2;
  if (div) m2 = m1 + (uint64_t)rndn(4);
  else m2 = (uint64_t)((((unsigned __int128)1 << (2 * p - 1)) - 1) / m1) + (uint64_t)rndn(3) - 1;
  if (m2 >= 2 * top) m2 = 2 * top - 1;
  if (m2 < top) m2 = top;
  // value = m * 2^(e - p + 1): exponents e1 + e2 = emin - 1 (product of two values in [1, 2) just below 2)
  // or e1 - e2 = emin (quotient just below 1), each a normal exponent.
  int e1, e2;
  if (div) { e2 = rndn(bias) - bias / 2; e1 = emin + e2; if (e1 < emin) e1 = emin, e2 = 0; }
  else { e1 = emin - 1 + rndn(bias - 2) + 1 - (bias - 2) / 2; e2 = emin - 1 - e1; }
  if (e1 < emin || e2 < emin || e1 > bias || e2 > bias) { e1 = 0; e2 = emin - 1; if (div) e1 = emin, e2 = 0; }
  uint64_t v1 = s1 | (uint64_t)(e1 + bias) << (p - 1) | (m1 & (top - 1));
  uint64_t v2 = s2 | (uint64_t)(e2 + bias) << (p - 1) | (m2 & (top - 1));
  memcpy(x, &v1, dbl ? 8 : 4);
  memcpy(y, &v2, dbl ? 8 : 4);
}
static void near_min_fill(int ra, int dbl) {
  uint8_t *b = I.rm.mem ? cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR) : NULL;
  for (int i = 0; i < 32; i += dbl ? 8 : 4) {
    uint8_t *x = i < 16 ? cur->in.xmm[ra] + i : cur->in.yhi[ra] + i - 16;
    uint8_t *y = b ? b + i : i < 16 ? cur->in.xmm[I.rm.reg] + i : cur->in.yhi[I.rm.reg] + i - 16;
    near_min_pair(x, y, dbl);
  }
}

// A general-register or memory integer source (cvtsi2ss/sd).
static void mx_int_rm(void) {
  uint64_t v = mx_exact ? (uint64_t)(int64_t)small_int() : cvt_int();
  if (I.rm.mem) memcpy(cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR), &v, 8);
  else cur->in.r[I.rm.reg] = v;
}
static void mx_finish(void) {
  cur->in.mxcsr = mx_random();
  cur->mxcsr_mask = 0xFFFF;
}

// Legacy cvtsi2ss/sd, cvt(t)ss2si/sd2si, cvt{ss,sd,ps,pd}2{sd,ss,pd,ps},
// cvtdq2ps/ps2dq/tps2dq, cvtdq2pd/pd2dq/tpd2dq, (u)comiss/sd, cmpps/pd/ss/sd,
// the SSE3 horizontal add/sub and addsub, dpps/dppd and roundps/pd/ss/sd.
static void gen_sse_mxcvt(void) {
  mx_exact = rndn(16) == 0;
  int k = rndn(10), p = rndn(4), dbl = p == 1 || p == 3;
  I.regf = rndn(16);
  switch (k) {
  case 0: // cvtsi2ss/sd xmm, r/m32/64
    I.rep = rndn(2) ? 0xF3 : 0xF2;
    I.w = rndn(2);
    op2(0x0F, 0x2A);
    if (rndn(3) == 0) make_mem(&I.rm, 1, 1, 0);
    else I.rm.reg = pick_reg(1, 0);
    mx_int_rm();
    break;
  case 1: // cvt(t)ss2si / cvt(t)sd2si r32/64, xmm/m
    dbl = rndn(2);
    I.rep = dbl ? 0xF2 : 0xF3;
    I.w = rndn(2);
    op2(0x0F, (uint8_t)(0x2C + rndn(2)));
    I.regf = pick_reg(1, 0);
    sse_rm(1, 1);
    mx_rm(dbl ? V_D : V_F);
    break;
  case 2: // cvtps2pd, cvtpd2ps (aligned m128), cvtss2sd, cvtsd2ss
    I.p66 = p == 1;
    I.rep = p == 2 ? 0xF3 : p == 3 ? 0xF2 : 0;
    op2(0x0F, 0x5A);
    sse_rm(p == 1 ? 16 : 1, 1);
    mx_rm(dbl ? V_D : V_F);
    mx_reg(I.regf, dbl ? V_D : V_F);
    break;
  case 3: // cvtdq2ps, cvtps2dq, cvttps2dq
    p = rndn(3);
    I.p66 = p == 1;
    I.rep = p == 2 ? 0xF3 : 0;
    op2(0x0F, 0x5B);
    sse_rm(16, 1);
    mx_rm(p ? V_F : V_I);
    break;
  case 4: // cvtdq2pd (m64), cvttpd2dq, cvtpd2dq
    p = 1 + rndn(3);
    I.p66 = p == 1;
    I.rep = p == 2 ? 0xF3 : p == 3 ? 0xF2 : 0;
    op2(0x0F, 0xE6);
    sse_rm(p == 2 ? 1 : 16, 1);
    mx_rm(p == 2 ? V_I : V_D);
    break;
  case 5: // ucomiss/comiss, ucomisd/comisd
    dbl = rndn(2);
    I.p66 = dbl;
    op2(0x0F, (uint8_t)(0x2E + rndn(2)));
    sse_rm(1, 1);
    mx_rm(dbl ? V_D : V_F);
    mx_reg(I.regf, dbl ? V_D : V_F);
    if (rndn(4) == 0) equal_operands(I.regf, 8);
    break;
  case 6: // cmpps/pd/ss/sd, predicates 0-7 (and any imm8)
    I.p66 = p == 1;
    I.rep = p == 2 ? 0xF3 : p == 3 ? 0xF2 : 0;
    op2(0x0F, 0xC2);
    sse_rm(p >= 2 ? 1 : 16, 1);
    imm_bytes(1, rndn(4) ? (uint64_t)rndn(8) : rnd());
    mx_rm(dbl ? V_D : V_F);
    mx_reg(I.regf, dbl ? V_D : V_F);
    if (rndn(6) == 0) equal_operands(I.regf, 16);
    break;
  case 7: { // haddps/pd, hsubps/pd, addsubps/pd (F2: ps, 66: pd)
    static const uint8_t ops[] = {0x7C, 0x7D, 0xD0};
    dbl = rndn(2);
    I.p66 = dbl;
    I.rep = dbl ? 0 : 0xF2;
    op2(0x0F, ops[rndn(3)]);
    sse_rm(16, 1);
    mx_rm(dbl ? V_ED : V_EF);
    mx_reg(I.regf, dbl ? V_ED : V_EF);
    break;
  }
  case 8: // dpps, dppd (any imm8)
    dbl = rndn(3) == 0;
    I.p66 = 1;
    op3(0x0F, 0x3A, dbl ? 0x41 : 0x40);
    sse_rm(16, 1);
    imm_bytes(1, rnd());
    mx_rm(dbl ? V_ED : V_EF);
    mx_reg(I.regf, dbl ? V_ED : V_EF);
    break;
  default: { // roundps/pd/ss/sd, every imm8[3:0]
    int op = 0x08 + rndn(4);
    dbl = op & 1;
    I.p66 = 1;
    op3(0x0F, 0x3A, (uint8_t)op);
    sse_rm(op >= 0x0A ? 1 : 16, 1);
    imm_bytes(1, (uint64_t)rndn(16));
    mx_rm(dbl ? V_D : V_F);
    break;
  }
  }
  mx_finish();
}

// VEX vsqrt/vadd/vmul/vsub/vmin/vdiv/vmax ps/pd/ss/sd, vhadd/vhsub/vaddsub,
// vdpps/vdppd, the conversions, v(u)comis, vcmp (predicates 0-31), vround
// and FMA, 128 and 256 bits.
static void gen_avx_mx(void) {
  static const uint8_t arith[] = {0x51, 0x58, 0x59, 0x5C, 0x5D, 0x5E, 0x5F};
  mx_exact = rndn(16) == 0;
  int k = rndn(18), l = rndn(2), pp, dbl;
  switch (k) {
  case 0: case 1: case 2: case 3: { // arithmetic: packed (2 in 3) and scalar
    pp = k < 3 ? rndn(2) : 2 + rndn(2);
    dbl = pp == 1 || pp == 3;
    static const uint8_t exact_ops[] = {0x58, 0x59, 0x5C, 0x5D, 0x5F}; // no divide or square root
    uint8_t op = mx_exact ? exact_ops[rndn(5)] : arith[rndn(7)];
    vex_vec(1, pp, l, rndn(2), op);
    if (op == 0x51 && pp < 2) I.vv = 0;
    mx_rm(dbl ? V_ED : V_EF);
    mx_reg(I.vv, dbl ? V_ED : V_EF);
    if (rndn(8) == 0) equal_operands(I.vv, 16);
    break;
  }
  case 4: // vcvtsi2ss/sd xmm, xmm, r/m32/64
    vex_vec(1, 2 + rndn(2), l, rndn(2), 0x2A);
    gpr_rm();
    mx_int_rm();
    break;
  case 5: // vcvt(t)ss2si/sd2si r32/64, xmm/m
    pp = 2 + rndn(2);
    vex_vec(1, pp, l, rndn(2), (uint8_t)(0x2C + rndn(2)));
    I.vv = 0;
    I.regf = pick_reg(1, used);
    mx_rm(pp == 3 ? V_D : V_F);
    break;
  case 6: // vcvtps2pd, vcvtpd2ps, vcvtss2sd, vcvtsd2ss
    pp = rndn(4);
    vex_vec(1, pp, l, rndn(2), 0x5A);
    if (pp < 2) I.vv = 0;
    mx_rm(pp == 1 || pp == 3 ? V_D : V_F);
    break;
  case 7: // vcvtdq2ps, vcvtps2dq, vcvttps2dq
    pp = rndn(3);
    vex_vec(1, pp, l, rndn(2), 0x5B);
    I.vv = 0;
    mx_rm(pp ? V_F : V_I);
    break;
  case 8: // vcvtdq2pd, vcvttpd2dq, vcvtpd2dq
    pp = 1 + rndn(3);
    vex_vec(1, pp, l, rndn(2), 0xE6);
    I.vv = 0;
    mx_rm(pp == 2 ? V_I : V_D);
    break;
  case 9: // v(u)comiss/sd
    dbl = rndn(2);
    vex_vec(1, dbl, l, rndn(2), (uint8_t)(0x2E + rndn(2)));
    I.vv = 0;
    mx_rm(dbl ? V_D : V_F);
    mx_reg(I.regf, dbl ? V_D : V_F);
    if (rndn(4) == 0) equal_operands(I.regf, 8);
    break;
  case 10: // vcmpps/pd/ss/sd
    pp = rndn(4);
    dbl = pp == 1 || pp == 3;
    vex_vec(1, pp, l, rndn(2), 0xC2);
    imm_bytes(1, rndn(4) ? (uint64_t)rndn(32) : rnd());
    mx_rm(dbl ? V_D : V_F);
    mx_reg(I.vv, dbl ? V_D : V_F);
    if (rndn(6) == 0) equal_operands(I.vv, 16);
    break;
  case 11: { // vroundps/pd/ss/sd
    int op = 0x08 + rndn(4);
    vex_vec(3, 1, l, rndn(2), (uint8_t)op);
    if (op < 0x0A) I.vv = 0;
    imm_bytes(1, (uint64_t)rndn(16));
    mx_rm(op & 1 ? V_D : V_F);
    break;
  }
  case 13: { // vhaddps/pd, vhsubps/pd, vaddsubps/pd
    static const uint8_t ops[] = {0x7C, 0x7D, 0xD0};
    dbl = rndn(2);
    vex_vec(1, dbl ? 1 : 3, l, rndn(2), ops[rndn(3)]);
    mx_rm(dbl ? V_ED : V_EF);
    mx_reg(I.vv, dbl ? V_ED : V_EF);
    break;
  }
  case 14: { // vdpps (128, 256), vdppd (128)
    dbl = rndn(3) == 0;
    vex_vec(3, 1, dbl ? 0 : l, rndn(2), dbl ? 0x41 : 0x40);
    imm_bytes(1, rnd());
    mx_rm(dbl ? V_ED : V_EF);
    mx_reg(I.vv, dbl ? V_ED : V_EF);
    break;
  }
  case 12: { // vmul/vdiv and vfmadd231 with results near the smallest normal
    pp = rndn(4);
    dbl = pp == 1 || pp == 3;
    if (rndn(3) || mx_exact) {
      vex_vec(1, pp, l, rndn(2), rndn(3) || mx_exact ? 0x59 : 0x5E);
    } else {
      dbl = rndn(2);
      vex_vec(2, 1, l, dbl, (uint8_t)(0xB8 + rndn(2))); // vfmadd231ps/pd, ss/sd: x2 * x3 + x1
      mx_reg(I.regf, dbl ? V_ED : V_EF);
      if (rndn(2)) memset(cur->in.xmm[I.regf], 0, 16);
    }
    if (mx_exact) mx_rm(dbl ? V_ED : V_EF), mx_reg(I.vv, dbl ? V_ED : V_EF);
    else if (I.rm.mem || I.rm.reg != I.vv) near_min_fill(I.vv, dbl);
    break;
  }
  default: { // FMA, all forms: edge values, half of them with a cancelling addend
    int form = rndn(3), lo = 6 + rndn(10), w = rndn(2);
    vex_vec(2, 1, l, w, (uint8_t)(0x96 + 16 * form + (lo - 6)));
    mx_rm(w ? V_ED : V_EF);
    mx_reg(I.regf, w ? V_ED : V_EF);
    mx_reg(I.vv, w ? V_ED : V_EF);
    if (!mx_exact && rndn(2)) fma_cancel(form, w);
    break;
  }
  }
  mx_finish();
}

#define MX_CLASSES {"sse_mxcvt", gen_sse_mxcvt, NULL, AVX}, {"avx_mx", gen_avx_mx, NULL, AVX},
