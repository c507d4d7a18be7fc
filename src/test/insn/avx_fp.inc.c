// SPDX-License-Identifier: MIT
// insntest classes for the AVX floating-point, FMA and F16C instructions
// (included by insntest.c; uses its generator helpers). The AVX_FP flag
// fills registers and scratch with interesting doubles; the ps forms also
// get interesting floats from float_fill (integers only, as everywhere in
// the generator).

// Bits of an interesting single.
static uint32_t interesting_float(void) {
  static const uint32_t special[] = {
      0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0x40000000, 0x3fc00000, 0x40200000,
      0xc0200000, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000, 0x007fffff, 0x00000001, 0x80000001,
      0x4f000000, 0xcf000000, 0x4effffff, 0xceffffff, 0x477fe000, 0x477ff000, 0x477fefff, 0x33800000,
      0x33000000, 0x33000001, 0x38800000, 0x387fc000, 0x3dcccccd, 0x5f000000, 0xdf000000, 0x4b000001};
  switch (rndn(10)) {
  case 0: return rndn(2) ? 0x7f800000u : 0xff800000u;                                  // infinities
  case 1: return (uint32_t)rndn(2) << 31 | 0x7fc00000u | (uint32_t)(rnd() & 0xffff);    // qnan with payload
  case 2: return (uint32_t)rndn(2) << 31 | 0x7f800001u | (uint32_t)(rnd() & 0x3fffff); // snan
  case 3: return (uint32_t)rnd();
  case 4: return (uint32_t)rndn(2) << 31 | (uint32_t)(rnd() & 0x7fffff);               // denormal
  case 5: { // k * 2^e, exact small integers and halves
    uint32_t k = (uint32_t)rndn(1 << 12) + 1;
    int msb = 31 - __builtin_clz(k);
    int e = 127 + msb + rndn(31) - 15;
    return (uint32_t)rndn(2) << 31 | (uint32_t)e << 23 | ((k << (23 - msb)) & 0x7fffff);
  }
  case 6: case 7: // random mantissa, moderate exponent
    return (uint32_t)rndn(2) << 31 | (uint32_t)(127 - 30 + rndn(60)) << 23 | (uint32_t)(rnd() & 0x7fffff);
  default: return special[rndn(sizeof special / sizeof special[0])];
  }
}

// Overwrites random 32-bit slots of every YMM register and of the scratch
// window with interesting floats.
static void float_fill(void) {
  for (int i = 0; i < 16; i++)
    for (int k = 0; k < 4; k++) {
      if (rndn(3)) { uint32_t f = interesting_float(); memcpy(&cur->in.xmm[i][4 * k], &f, 4); }
      if (rndn(3)) { uint32_t f = interesting_float(); memcpy(&cur->in.yhi[i][4 * k], &f, 4); }
    }
  for (int i = 0; i < SCRATCH_LEN; i += 4)
    if (rndn(3)) { uint32_t f = interesting_float(); memcpy(cur->scratch + i, &f, 4); }
}

// Makes element 0 of the r/m operand equal to element 0 of register r
// (comparisons and min/max of equal values).
static void equal_operands(int r, int size) {
  if (I.rm.mem) memcpy(cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR), cur->in.xmm[r], size);
  else if (I.rm.reg != r) memcpy(cur->in.xmm[I.rm.reg], cur->in.xmm[r], size);
}

// vex_vec with random W (most of these ignore it) and 2 in 3 ps forms
// filled with floats.
static void vfp(int map, int pp, int l, int w, uint8_t op, int ps) {
  vex_vec(map, pp, l, w < 0 ? rndn(2) : w, op);
  if (ps) float_fill();
}
static void gpr_rm(void) {
  if (rndn(3) == 0) make_mem(&I.rm, 1, 1, 0);
  else { I.rm.mem = 0; I.rm.reg = pick_reg(1, used); }
}

// vround* and vcvtps2ph with imm8 bit 2 round as MXCSR.RC says: half of
// those cases run between an ldmxcsr of a random rounding control and one
// restoring the default. Both MXCSR images sit at the start of the scratch
// window, out of reach of the random memory operands.
static void ldmxcsr_abs(int off) {
  insn_reset();
  op2(0x0F, 0xAE);
  I.regf = 2;
  I.rm.mem = 1;
  I.rm.disp = (int32_t)(SCRATCH_ADDR + (uint64_t)off);
  cur->len += encode(&I, cur->code + cur->len);
}
static void with_rc(void) {
  if (!(I.imm[0] & 4) || rndn(2)) return;
  uint32_t m[2] = {0x1F80u | (uint32_t)rndn(4) << 13, 0x1F80u};
  memcpy(cur->scratch, m, 8);
  insn saved = I;
  cur->len = 0;
  ldmxcsr_abs(0);
  I = saved;
  cur->len += encode(&I, cur->code + cur->len);
  ldmxcsr_abs(4);
}

// Arithmetic, logic, conversions, compares, round, dot products.
static void gen_avx_fp(void) {
  static const uint8_t arith[] = {0x51, 0x58, 0x59, 0x5C, 0x5D, 0x5E, 0x5F, 0x54, 0x55, 0x56, 0x57};
  int k = rndn(16), l = rndn(2);
  switch (k) {
  case 0: case 1: case 2: { // packed ps/pd
    int pp = rndn(2);
    uint8_t op = arith[rndn(sizeof arith)];
    vfp(1, pp, l, -1, op, pp == 0);
    if (op == 0x51) I.vv = 0;
    if (rndn(8) == 0) equal_operands(I.vv, 16);
    break;
  }
  case 3: case 4: { // scalar ss/sd (VEX.L ignored)
    int pp = 2 + rndn(2);
    vfp(1, pp, l, -1, arith[rndn(7)], pp == 2);
    if (rndn(8) == 0) equal_operands(I.vv, 8);
    break;
  }
  case 5: { // vhaddps/pd, vhsubps/pd, vaddsubps/pd
    static const uint8_t ops[] = {0x7C, 0x7D, 0xD0};
    int pp = rndn(2) ? 1 : 3;
    vfp(1, pp, l, -1, ops[rndn(3)], pp == 3);
    break;
  }
  case 6: { // vcmpps/pd/ss/sd, all predicates
    int pp = rndn(4);
    vfp(1, pp, l, -1, 0xC2, pp == 0 || pp == 2);
    imm_bytes(1, rndn(4) ? (uint64_t)rndn(32) : rnd());
    if (rndn(6) == 0) equal_operands(I.vv, 16);
    break;
  }
  case 7: { // v(u)comiss/sd
    int pp = rndn(2);
    vfp(1, pp, l, -1, (uint8_t)(0x2E + rndn(2)), pp == 0);
    I.vv = 0;
    if (rndn(4) == 0) equal_operands(I.regf, 8);
    break;
  }
  case 8: { // vcvtsi2ss/sd xmm, xmm, r/m32/64
    vfp(1, 2 + rndn(2), l, -1, 0x2A, 0);
    gpr_rm();
    break;
  }
  case 9: { // vcvt(t)ss2si/sd2si r32/64, xmm/m
    int pp = 2 + rndn(2);
    vfp(1, pp, l, -1, (uint8_t)(0x2C + rndn(2)), pp == 2);
    I.vv = 0;
    I.regf = pick_reg(1, used);
    break;
  }
  case 10: { // vcvtps2pd, vcvtpd2ps, vcvtss2sd, vcvtsd2ss
    int pp = rndn(4);
    vfp(1, pp, l, -1, 0x5A, pp == 0 || pp == 2);
    if (pp < 2) I.vv = 0;
    break;
  }
  case 11: { // vcvtdq2ps, vcvtps2dq, vcvttps2dq
    int pp = rndn(3);
    vfp(1, pp, l, -1, 0x5B, pp != 0);
    I.vv = 0;
    break;
  }
  case 12: // vcvtdq2pd, vcvttpd2dq, vcvtpd2dq
    vfp(1, 1 + rndn(3), l, -1, 0xE6, 0);
    I.vv = 0;
    break;
  case 13: case 14: { // vroundps/pd/ss/sd
    int op = 0x08 + rndn(4);
    vfp(3, 1, l, -1, (uint8_t)op, !(op & 1));
    if (op < 0x0A) I.vv = 0;
    imm_bytes(1, (uint64_t)rndn(16));
    with_rc();
    break;
  }
  default: { // vdpps (both widths), vdppd (128 only)
    int pd = rndn(3) == 0;
    vfp(3, 1, pd ? 0 : l, -1, pd ? 0x41 : 0x40, !pd);
    imm_bytes(1, rnd());
    break;
  }
  }
}

// Moves, unpacks, shuffles, blends, permutes, broadcasts, masked moves,
// insert/extract.
static void gen_avx_fpmov(void) {
  int k = rndn(24), l = rndn(2);
  switch (k) {
  case 0: case 1: // vmovups/pd load and store
    vfp(1, rndn(2), l, -1, (uint8_t)(0x10 + rndn(2)), 0);
    I.vv = 0;
    break;
  case 2: { // vmovss/sd: register forms are 3-operand, memory forms 2-operand
    vfp(1, 2 + rndn(2), l, -1, (uint8_t)(0x10 + rndn(2)), 0);
    if (I.rm.mem) I.vv = 0;
    break;
  }
  case 3: { // vmovaps/pd, vmovntps/pd (aligned)
    int op = rndn(3) == 0 ? 0x2B : 0x28 + rndn(2);
    vfp(1, rndn(2), l, -1, (uint8_t)op, 0);
    I.vv = 0;
    if (I.rm.mem || op == 0x2B) make_mem(&I.rm, 1, l ? 32 : 16, 0);
    break;
  }
  case 4: { // vmovlps/pd, vmovhps/pd loads (3-operand), vmovhlps/vmovlhps
    int pp = rndn(2), op = rndn(2) ? 0x12 : 0x16;
    vfp(1, pp, 0, -1, (uint8_t)op, 0);
    if (pp) make_mem(&I.rm, 1, 1, 0);
    break;
  }
  case 5: // vmovlps/pd, vmovhps/pd stores
    vfp(1, rndn(2), 0, -1, rndn(2) ? 0x13 : 0x17, 0);
    I.vv = 0;
    make_mem(&I.rm, 1, 1, 0);
    break;
  case 6: { // vmovsldup, vmovshdup, vmovddup
    int f = rndn(3);
    vfp(1, f == 2 ? 3 : 2, l, -1, f == 1 ? 0x16 : 0x12, 0);
    I.vv = 0;
    break;
  }
  case 7: // vmovmskps/pd
    vfp(1, rndn(2), l, -1, 0x50, 0);
    I.vv = 0;
    I.rm.mem = 0;
    I.rm.reg = rndn(16);
    I.regf = pick_reg(1, used);
    break;
  case 8: // vunpcklps/pd, vunpckhps/pd
    vfp(1, rndn(2), l, -1, (uint8_t)(0x14 + rndn(2)), 0);
    break;
  case 9: // vshufps/pd
    vfp(1, rndn(2), l, -1, 0xC6, 0);
    imm_bytes(1, rnd());
    break;
  case 10: // vpermilps/pd (variable)
    vfp(2, 1, l, 0, (uint8_t)(0x0C + rndn(2)), 0);
    break;
  case 11: // vtestps/pd
    vfp(2, 1, l, 0, (uint8_t)(0x0E + rndn(2)), 0);
    I.vv = 0;
    if (rndn(4) == 0) memset(cur->in.xmm[I.regf], 0, 16);
    break;
  case 12: // vpermps (256 only)
    vfp(2, 1, 1, 0, 0x16, 0);
    break;
  case 13: { // vbroadcastss (register source: AVX2), vbroadcastsd (256), vbroadcastf128 (256, memory)
    int op = 0x18 + rndn(3);
    vfp(2, 1, op == 0x18 ? l : 1, 0, (uint8_t)op, 0);
    I.vv = 0;
    if (op == 0x1A) make_mem(&I.rm, 1, 1, 0);
    break;
  }
  case 14: case 15: // vmaskmovps/pd loads and stores
    vfp(2, 1, l, 0, (uint8_t)(0x2C + rndn(4)), 0);
    make_mem(&I.rm, 1, 1, 0);
    break;
  case 16: // vpermpd (256, W1)
    vfp(3, 1, 1, 1, 0x01, 0);
    I.vv = 0;
    imm_bytes(1, rnd());
    break;
  case 17: // vpermilps/pd imm
    vfp(3, 1, l, 0, (uint8_t)(0x04 + rndn(2)), 0);
    I.vv = 0;
    imm_bytes(1, rnd());
    break;
  case 18: // vperm2f128
    vfp(3, 1, 1, 0, 0x06, 0);
    imm_bytes(1, rnd());
    break;
  case 19: // vblendps/pd
    vfp(3, 1, l, -1, (uint8_t)(0x0C + rndn(2)), 0);
    imm_bytes(1, rnd());
    break;
  case 20: case 21: // vblendvps/pd (mask register in imm8[7:4])
    vfp(3, 1, l, 0, (uint8_t)(0x4A + rndn(2)), 0);
    imm_bytes(1, (uint64_t)(rndn(16) << 4 | rndn(16)));
    break;
  case 22: // vextractps r/m32, xmm, imm8
    vfp(3, 1, 0, -1, 0x17, 0);
    I.vv = 0;
    gpr_rm();
    imm_bytes(1, rnd());
    break;
  default: // vinsertps
    vfp(3, 1, 0, -1, 0x21, 0);
    imm_bytes(1, rnd());
    break;
  }
}

// Addend := -(product truncated), elements 0 and 1, with a few low bits
// and sometimes the sign changed (form 0: 132, 1: 213, 2: 231; w: double).
static void fma_cancel(int form, int w) {
  int r1 = I.regf, r2 = I.vv;
  uint8_t *x1 = cur->in.xmm[r1], *x2 = cur->in.xmm[r2];
  uint8_t *x3 = I.rm.mem ? cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR) : cur->in.xmm[I.rm.reg];
  uint8_t *fa, *fb, *ad; // 132: x1*x3+x2, 213: x2*x1+x3, 231: x2*x3+x1
  if (form == 0) fa = x1, fb = x3, ad = x2;
  else if (form == 1) fa = x2, fb = x1, ad = x3;
  else fa = x2, fb = x3, ad = x1;
  if (ad == fa || ad == fb) return;
  for (int e = 0; e < 2; e++) {
    if (w) {
      uint64_t a, b;
      memcpy(&a, fa + 8 * e, 8);
      memcpy(&b, fb + 8 * e, 8);
      int ea = (int)(a >> 52 & 0x7ff), eb = (int)(b >> 52 & 0x7ff);
      if (!ea || !eb || ea == 0x7ff || eb == 0x7ff) continue;
      unsigned __int128 p = (unsigned __int128)((a & 0xfffffffffffffull) | 1ull << 52) *
                            ((b & 0xfffffffffffffull) | 1ull << 52); // 105 or 106 bits
      int top = (int)(p >> 105) & 1, ep = ea + eb - 1023 + top;
      if (ep <= 0 || ep >= 0x7ff) continue;
      uint64_t m = (uint64_t)(p >> (52 + top)) & 0xfffffffffffffull;
      uint64_t c = (((a ^ b) & 1ull << 63) ^ 1ull << 63) | (uint64_t)ep << 52 | m;
      if (rndn(2)) c ^= (uint64_t)rndn(4);
      if (rndn(3) == 0) c ^= 1ull << 63;
      memcpy(ad + 8 * e, &c, 8);
    } else {
      uint32_t a, b;
      memcpy(&a, fa + 4 * e, 4);
      memcpy(&b, fb + 4 * e, 4);
      int ea = (int)(a >> 23 & 0xff), eb = (int)(b >> 23 & 0xff);
      if (!ea || !eb || ea == 0xff || eb == 0xff) continue;
      uint64_t p = (uint64_t)((a & 0x7fffff) | 1u << 23) * ((b & 0x7fffff) | 1u << 23); // 47 or 48 bits
      int top = (int)(p >> 47) & 1, ep = ea + eb - 127 + top;
      if (ep <= 0 || ep >= 0xff) continue;
      uint32_t m = (uint32_t)(p >> (23 + top)) & 0x7fffff;
      uint32_t c = (((a ^ b) & 1u << 31) ^ 1u << 31) | (uint32_t)ep << 23 | m;
      if (rndn(2)) c ^= (uint32_t)rndn(4);
      if (rndn(3) == 0) c ^= 1u << 31;
      memcpy(ad + 4 * e, &c, 4);
    }
  }
}

// FMA: vfmaddsub/vfmsubadd/vfmadd/vfmsub/vfnmadd/vfnmsub 132/213/231, ps/pd
// (W) and ss/sd. A third of the cases make the addend close to minus the
// product of the two factors, so that only a single rounding gets it right.
static void gen_fma(void) {
  int form = rndn(3), lo = 6 + rndn(10), w = rndn(2);
  vfp(2, 1, rndn(2), w, (uint8_t)(0x96 + 16 * form + (lo - 6)), !w);
  if (rndn(3) == 0) fma_cancel(form, w);
}

// F16C: vcvtph2ps (random halves: all classes, denormals and NaNs) and
// vcvtps2ph with every rounding immediate.
static void gen_f16c(void) {
  int l = rndn(2);
  if (rndn(2)) {
    vfp(2, 1, l, 0, 0x13, 0);
    I.vv = 0;
    return;
  }
  vfp(3, 1, l, 0, 0x1D, 1);
  I.vv = 0;
  imm_bytes(1, rndn(2) ? (uint64_t)rndn(8) : rnd());
  with_rc();
}

#define AVX_FP_CLASSES                                                                                          \
  {"avx_fp", gen_avx_fp, NULL, AVX_FP}, {"avx_fpmov", gen_avx_fpmov, NULL, AVX_FP}, {"fma", gen_fma, NULL, AVX_FP}, \
      {"f16c", gen_f16c, NULL, AVX_FP},
