// SPDX-License-Identifier: MIT
// insntest classes for the AVX/AVX2 integer instructions (included by
// insntest.c; uses its generator helpers). Every instruction is generated
// with VEX.128 and VEX.256 (where both exist), register and memory operands,
// and VEX.W random where the instruction ignores it. Operand values are
// made interesting by ai_spice: equal elements, zero bytes, boundaries.

// Whole 32-byte views of a YMM register in the initial state.
static void ai_vget(int r, uint8_t *b) {
  memcpy(b, cur->in.xmm[r], 16);
  memcpy(b + 16, cur->in.yhi[r], 16);
}
static void ai_vput(int r, const uint8_t *b) {
  memcpy(cur->in.xmm[r], b, 16);
  memcpy(cur->in.yhi[r], b + 16, 16);
}
static uint8_t *ai_mem(void) { return cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR); }

// The r/m vector operand (register or memory), read and written whole.
static void ai_rm_get(uint8_t *b) {
  if (I.rm.mem) memcpy(b, ai_mem(), 32);
  else ai_vget(I.rm.reg, b);
}
static void ai_rm_put(const uint8_t *b) {
  if (I.rm.mem) memcpy(ai_mem(), b, 32);
  else ai_vput(I.rm.reg, b);
}

static uint8_t ai_byte(void) {
  static const uint8_t v[] = {0, 1, 2, 0x7f, 0x80, 0x81, 0xfe, 0xff, 'a', 0x20};
  return v[rndn(sizeof v)];
}

// Makes the vvvv and r/m operands related: equal elements, zero bytes,
// boundary values, equal except a few bytes.
static void ai_spice(void) {
  uint8_t a[32], b[32];
  ai_vget(I.vv, a);
  ai_rm_get(b);
  switch (rndn(7)) {
  case 0: // equal but a few bytes
    memcpy(b, a, 32);
    for (int i = 0; i < 32; i++)
      if (rndn(6) == 0) b[i] = (uint8_t)rnd();
    break;
  case 1: // zero bytes
    for (int i = 0; i < 32; i++) {
      if (rndn(3) == 0) b[i] = 0;
      if (rndn(4) == 0) a[i] = 0;
    }
    break;
  case 2: // boundary bytes
    for (int i = 0; i < 32; i++) {
      a[i] = ai_byte();
      b[i] = ai_byte();
    }
    break;
  case 3: // sign-boundary words and dwords
    for (int i = 0; i < 32; i += 2) {
      static const uint16_t w[] = {0, 1, 0x7fff, 0x8000, 0xffff, 0x8001, 0x00ff, 0xff00};
      uint16_t x = w[rndn(8)], y = w[rndn(8)];
      memcpy(a + i, &x, 2);
      memcpy(b + i, &y, 2);
    }
    break;
  case 4: memcpy(b, a, 32); break;
  default: break;
  }
  ai_vput(I.vv, a);
  ai_rm_put(b);
}

static uint64_t ai_count(void) {
  static const uint64_t k[] = {0, 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 0x100000000ull,
                               0x8000000000000000ull};
  if (rndn(3) == 0) return rnd();
  return rndn(2) ? k[rndn(sizeof k / sizeof k[0])] : (uint64_t)rndn(70);
}

// A general register r/m operand (register or memory) replacing whatever
// vex_vec chose.
static void ai_gpr_rm(void) {
  if (rndn(3) == 0) {
    if (!I.rm.mem) make_mem(&I.rm, 1, 1, 0);
  } else {
    I.rm.mem = 0;
    I.rm.reg = pick_reg(1, used);
  }
}
static void ai_xmm_reg_rm(void) {
  I.rm.mem = 0;
  I.rm.reg = rndn(16);
}

// ---- avx_int: the 0F map ---------------------------------------------------

static void gen_avx_int(void) {
  static const uint8_t bin[] = {0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C,
                                0x6D, 0x74, 0x75, 0x76, 0xD4, 0xD5, 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE,
                                0xDF, 0xE0, 0xE3, 0xE4, 0xE5, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF,
                                0xF4, 0xF5, 0xF6, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE};
  static const uint8_t shifts[] = {0xD1, 0xD2, 0xD3, 0xE1, 0xE2, 0xF1, 0xF2, 0xF3};
  int l = rndn(2), w = rndn(2), form = rndn(16);
  if (form < 7) { // two-source element ops
    vex_vec(1, 1, l, w, bin[rndn(sizeof bin)]);
    ai_spice();
  } else if (form == 7) { // shifts by the count in xmm/m128
    vex_vec(1, 1, l, w, shifts[rndn(sizeof shifts)]);
    uint8_t b[32];
    ai_rm_get(b);
    if (rndn(4)) {
      uint64_t k = ai_count();
      memcpy(b, &k, 8);
    }
    ai_rm_put(b);
  } else if (form == 8) { // shifts by imm8: 71-73, vvvv is the destination
    static const uint8_t ext[][2] = {{0x71, 2}, {0x71, 4}, {0x71, 6}, {0x72, 2}, {0x72, 4},
                                     {0x72, 6}, {0x73, 2}, {0x73, 3}, {0x73, 6}, {0x73, 7}};
    int e = rndn(10);
    vex_vec(1, 1, l, w, ext[e][0]);
    I.regf = ext[e][1];
    ai_xmm_reg_rm();
    imm_bytes(1, (uint8_t)ai_count());
  } else if (form == 9) { // vpshufd, vpshufhw, vpshuflw
    vex_vec(1, 1 + rndn(3), l, w, 0x70);
    I.vv = 0;
    imm_bytes(1, rnd());
  } else if (form == 10) { // vpmovmskb
    vex_vec(1, 1, l, w, 0xD7);
    I.vv = 0;
    ai_xmm_reg_rm();
    I.regf = pick_reg(1, 0);
    if (rndn(2)) {
      uint8_t b[32];
      for (int i = 0; i < 32; i++) b[i] = ai_byte();
      ai_vput(I.rm.reg, b);
    }
  } else if (form == 11) { // vmovd/vmovq with a general register or memory
    int k = rndn(2);
    vex_vec(1, 1, 0, w, k ? 0x7E : 0x6E);
    I.vv = 0;
    ai_gpr_rm();
  } else if (form == 12) { // vmovq xmm, xmm/m64 (F3 7E); vmovq xmm/m64, xmm (66 D6)
    int k = rndn(2);
    vex_vec(1, k ? 2 : 1, 0, w, k ? 0x7E : 0xD6);
    I.vv = 0;
  } else if (form == 13) { // vpinsrw, vpextrw
    if (rndn(2)) {
      vex_vec(1, 1, 0, w, 0xC4);
      ai_gpr_rm();
    } else {
      vex_vec(1, 1, 0, w, 0xC5);
      I.vv = 0;
      ai_xmm_reg_rm();
      I.regf = pick_reg(1, 0);
    }
    imm_bytes(1, rnd());
  } else if (form == 14) { // vmovntdq (aligned), vlddqu
    if (rndn(2)) {
      vex_vec(1, 1, l, w, 0xE7);
      make_mem(&I.rm, 1, l ? 32 : 16, 0);
    } else {
      vex_vec(1, 3, l, w, 0xF0);
      if (!I.rm.mem) make_mem(&I.rm, 1, 1, 0);
    }
    I.vv = 0;
  } else { // vmaskmovdqu: masked byte stores to [rdi]
    vex_vec(1, 1, 0, w, 0xF7);
    I.vv = 0;
    ai_xmm_reg_rm();
    cur->in.r[RDI] = SCRATCH_MID + (uint64_t)(rndn(64) - 32);
  }
}

// ---- avx_int38: the 0F38 map (two-source ops, abs, test, pmovx ...) -------

static void gen_avx_int38(void) {
  static const uint8_t bin[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x28, 0x29,
                                0x2B, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x40};
  int l = rndn(2), w = rndn(2), form = rndn(8);
  if (form < 4) {
    vex_vec(2, 1, l, w, bin[rndn(sizeof bin)]);
    ai_spice();
  } else if (form == 4) { // vpabsb/w/d
    vex_vec(2, 1, l, w, (uint8_t)(0x1C + rndn(3)));
    I.vv = 0;
    if (rndn(2)) {
      uint8_t b[32];
      for (int i = 0; i < 32; i++) b[i] = ai_byte();
      ai_rm_put(b);
    }
  } else if (form == 5) { // vptest: zero, subset, complement and random masks
    vex_vec(2, 1, l, w, 0x17);
    I.vv = 0;
    uint8_t a[32], b[32];
    ai_vget(I.regf, a);
    ai_rm_get(b);
    int k = rndn(5);
    for (int i = 0; i < 32; i++) {
      if (k == 0) b[i] = 0;
      else if (k == 1) b[i] &= a[i];
      else if (k == 2) b[i] &= (uint8_t)~a[i];
      else if (k == 3) b[i] = (uint8_t)(rndn(4) ? 0 : rnd());
    }
    if (k == 3 && rndn(2)) memset(b + 16, 0, 16);
    ai_rm_put(b);
  } else if (form == 6) { // vpmovsx/vpmovzx
    vex_vec(2, 1, l, w, (uint8_t)((rndn(2) ? 0x20 : 0x30) + rndn(6)));
    I.vv = 0;
  } else { // vmovntdqa (aligned), vphminposuw (VEX.128)
    if (rndn(2)) {
      vex_vec(2, 1, l, w, 0x2A);
      make_mem(&I.rm, 1, l ? 32 : 16, 0);
    } else {
      vex_vec(2, 1, 0, w, 0x41);
      if (rndn(2)) {
        uint8_t b[32];
        ai_rm_get(b);
        for (int i = 0; i < 16; i += 2)
          if (rndn(2)) b[i] = b[i + 1] = rndn(2) ? 0 : 0xff;
        ai_rm_put(b);
      }
    }
    I.vv = 0;
  }
}

// ---- avx_int3a: the 0F3A map ----------------------------------------------

// Small alphabets so string compares find matches, ranges and terminators.
static void ai_text(uint8_t *p) {
  static const uint8_t alpha[] = {0, 'a', 'b', 'c', 'z', 0x80, 0xff, 'A'};
  for (int i = 0; i < 16; i++) p[i] = alpha[rndn(rndn(4) ? 5 : 8)];
  if (rndn(2)) p[rndn(16)] = 0;
}

static void gen_avx_int3a(void) {
  int l = rndn(2), w = rndn(2), form = rndn(8);
  if (form < 3) { // vpblendw, vpalignr, vmpsadbw, vpblendd, vpblendvb, vpclmulqdq
    static const uint8_t ops[] = {0x0E, 0x0F, 0x42, 0x02, 0x4C, 0x44};
    uint8_t op = ops[rndn(sizeof ops)];
    if (op == 0x02 || op == 0x4C) w = 0;
    if (op == 0x44) l = 0; // VEX.256 is VPCLMULQDQ (not implemented)
    vex_vec(3, 1, l, w, op);
    ai_spice();
    uint8_t im = (uint8_t)rnd();
    if (op == 0x0F && rndn(2)) im = (uint8_t)rndn(34);
    imm_bytes(1, im);
  } else if (form == 3) { // vpextrb/w/d/q
    vex_vec(3, 1, 0, w, (uint8_t)(0x14 + rndn(3)));
    I.vv = 0;
    ai_gpr_rm();
    imm_bytes(1, rnd());
  } else if (form == 4) { // vpinsrb/d/q
    vex_vec(3, 1, 0, w, rndn(2) ? 0x20 : 0x22);
    ai_gpr_rm();
    imm_bytes(1, rnd());
  } else { // vpcmpestrm/estri/istrm/istri
    vex_vec(3, 1, 0, w, (uint8_t)(0x60 + rndn(4)));
    I.vv = 0;
    if (I.rm.mem) make_mem(&I.rm, 1, 1, 1u << RAX | 1u << RDX); // RAX, RDX hold the lengths
    imm_bytes(1, rnd() & 0x7F);
    ai_text(cur->in.xmm[I.regf]);
    if (I.rm.mem) ai_text(ai_mem());
    else ai_text(cur->in.xmm[I.rm.reg]);
    if (rndn(4)) {
      cur->in.r[RAX] = (uint64_t)(int64_t)(rndn(40) - 20);
      cur->in.r[RDX] = (uint64_t)(int64_t)(rndn(40) - 20);
    }
  }
}

// ---- avx2_perm: broadcasts, permutes, variable shifts, masked moves -------

static void gen_avx2_perm(void) {
  int l = rndn(2), w = rndn(2), form = rndn(9);
  if (form == 0) { // vpbroadcastb/w/d/q
    static const uint8_t ops[] = {0x78, 0x79, 0x58, 0x59};
    vex_vec(2, 1, l, 0, ops[rndn(4)]);
    I.vv = 0;
  } else if (form == 1) { // vbroadcasti128 ymm, m128
    vex_vec(2, 1, 1, 0, 0x5A);
    I.vv = 0;
    if (!I.rm.mem) make_mem(&I.rm, 1, 1, 0);
  } else if (form == 2) { // vpermd ymm, ymm, ymm/m256
    vex_vec(2, 1, 1, 0, 0x36);
  } else if (form == 3) { // vpermq ymm, ymm/m256, imm8
    vex_vec(3, 1, 1, 1, 0x00);
    I.vv = 0;
    imm_bytes(1, rnd());
  } else if (form == 4) { // vperm2i128
    vex_vec(3, 1, 1, 0, 0x46);
    imm_bytes(1, rnd());
  } else if (form == 5) { // vpblendd
    vex_vec(3, 1, l, 0, 0x02);
    imm_bytes(1, rnd());
  } else if (form <= 7) { // vpsrlvd/q, vpsravd, vpsllvd/q
    int k = rndn(3);
    vex_vec(2, 1, l, k == 1 ? 0 : w, (uint8_t)(0x45 + k));
    uint8_t b[32];
    ai_rm_get(b);
    if (rndn(4)) {
      if (I.w)
        for (int i = 0; i < 4; i++) {
          uint64_t c = ai_count();
          memcpy(b + 8 * i, &c, 8);
        }
      else
        for (int i = 0; i < 8; i++) {
          uint32_t c = (uint32_t)ai_count();
          memcpy(b + 4 * i, &c, 4);
        }
    }
    ai_rm_put(b);
  } else { // vpmaskmovd/q load (8C) and store (8E)
    vex_vec(2, 1, l, w, rndn(2) ? 0x8C : 0x8E);
    uint8_t m[32];
    ai_vget(I.vv, m);
    int k = rndn(4);
    if (k == 0) memset(m, 0, 32);
    else if (k == 1) memset(m, 0xff, 32);
    ai_vput(I.vv, m);
    if (!I.rm.mem || rndn(8) == 0) {
      // Sometimes at the end of the scratch page: the masked-off elements
      // beyond it must not fault (the next page is not mapped).
      I.rm.mem = 1;
      I.rm.base = pick_reg(1, used);
      I.rm.index = -1;
      I.rm.scale = 1;
      I.rm.disp = 0;
      I.rm.dispsz = 0;
      used |= 1u << I.rm.base;
      int es = w ? 8 : 4, n = l ? 32 : 16, keep = 1 + rndn(n / es - 1);
      if (rndn(2)) {
        cur->in.r[I.rm.base] = SCRATCH_MID + (uint64_t)(rndn(64) - 32);
      } else {
        cur->in.r[I.rm.base] = SCRATCH_ADDR + 4096 - (uint64_t)(keep * es);
        for (int i = keep * es; i < n; i++) m[i] &= 0x7f; // elements past the page: masked off
        ai_vput(I.vv, m);
      }
    }
  }
}

// ---- avx2_gather ------------------------------------------------------------

static void gen_avx2_gather(void) {
  int op = 0x90 + rndn(4), w = rndn(2), l = rndn(2);
  insn_reset();
  I.vex = 1;
  I.vmap = 2;
  I.p66 = 1;
  I.vl = l;
  I.w = w;
  op1((uint8_t)op);
  int d = rndn(16), ix, m;
  do ix = rndn(16); while (ix == d);
  do m = rndn(16); while (m == d || m == ix);
  I.regf = d;
  I.vv = m;
  I.rm.mem = 1;
  I.rm.base = pick_reg(1, 0);
  used |= 1u << I.rm.base;
  I.rm.index = ix;
  I.rm.scale = 1 << rndn(4);
  I.rm.disp = rndn(129) - 64;
  I.rm.dispsz = 1;
  cur->in.r[I.rm.base] = SCRATCH_MID + (uint64_t)(rndn(64) - 32);
  // Indices keep every address inside the scratch window.
  uint8_t x[32], mk[32];
  ai_vget(ix, x);
  ai_vget(m, mk);
  int lim = 320 / I.rm.scale;
  if (op & 1)
    for (int i = 0; i < 4; i++) {
      int64_t v = rndn(2 * lim + 1) - lim;
      memcpy(x + 8 * i, &v, 8);
    }
  else
    for (int i = 0; i < 8; i++) {
      int32_t v = rndn(2 * lim + 1) - lim;
      memcpy(x + 4 * i, &v, 4);
    }
  int k = rndn(4);
  if (k == 0) memset(mk, 0xff, 32);
  else if (k == 1) memset(mk, 0, 32);
  ai_vput(ix, x);
  ai_vput(m, mk);
}

#define AVX_INT_CLASSES                                                                                     \
  {"avx_int", gen_avx_int, NULL, AVX}, {"avx_int38", gen_avx_int38, NULL, AVX},                              \
      {"avx_int3a", gen_avx_int3a, NULL, AVX}, {"avx2_perm", gen_avx2_perm, NULL, AVX},                    \
      {"avx2_gather", gen_avx2_gather, NULL, AVX},
