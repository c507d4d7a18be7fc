// SPDX-License-Identifier: MIT
// General-register instructions of the 0F38/0F3A maps: MOVBE, CRC32 (SSE4.2),
// ADCX/ADOX (ADX), and the VEX-encoded BMI1 (ANDN, BEXTR, BLSI, BLSMSK, BLSR)
// and BMI2 (BZHI, PDEP, PEXT, MULX, RORX, SARX, SHLX, SHRX) groups (SDM
// vol. 2). Vector instructions of the same maps live in sse4.c.
#include "internal.h"

// Flags of the logic-like BMI results: ZF, SF, PF from r; CF as given; OF,
// AF clear (the SDM leaves AF and PF undefined for these).
static void bmi_flags(struct cpu *c, int size, uint64_t r, int cf) {
  uint32_t f = c->flags & ~F_ARITH;
  c->lf_op = LF_NONE;
  if (!(r & size_mask(size))) f |= F_ZF;
  if ((r >> (8 * size - 1)) & 1) f |= F_SF;
  if (!__builtin_parity((unsigned)(r & 0xFF))) f |= F_PF;
  if (cf) f |= F_CF;
  c->flags = f;
}

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit at a time.
static uint32_t crc32c(uint32_t crc, uint64_t v, int n) {
  for (int i = 0; i < n; i++) {
    crc ^= (uint8_t)(v >> (8 * i));
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
  }
  return crc;
}

static uint64_t bswap_n(uint64_t v, int size) {
  if (size == 8) return __builtin_bswap64(v);
  if (size == 4) return __builtin_bswap32((uint32_t)v);
  return __builtin_bswap16((uint16_t)v);
}

// Legacy-encoded 0F38 F0, F1, F6.
NOINLINE int cpu_exec_gpr38(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF, size = in->osz;
  uint64_t a;
  if (op == 0xF0 || op == 0xF1) {
    if (in->pfx & PFX_F2) { // crc32 r32/r64, r/m8/16/32/64
      if (in->pfx & PFX_F3) return STOP_UD;
      int n = op == 0xF0 ? 1 : size;
      a = get_rm(c, in, n);
      if (faulted(c)) return STOP_PAGEFAULT;
      c->r[in->reg] = crc32c((uint32_t)c->r[in->reg], a, n);
      return 0;
    }
    if ((in->pfx & PFX_F3) || in->mod == 3) return STOP_UD;
    if (op == 0xF0) { // movbe r, m
      a = ld(c, ea(c, in), size);
      if (faulted(c)) return STOP_PAGEFAULT;
      setreg(c, in, in->reg, size, bswap_n(a, size));
      return 0;
    }
    return st(c, ea(c, in), size, bswap_n(getreg(c, in, in->reg, size), size));
  }
  if (op == 0xF6 && (in->pfx & (PFX_66 | PFX_F3)) && !(in->pfx & PFX_F2)) { // adcx (66), adox (F3)
    if ((in->pfx & PFX_66) && (in->pfx & PFX_F3)) return STOP_UD;
    size = (in->pfx & PFX_REXW) ? 8 : 4;
    a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    flags_sync(c);
    uint32_t bit = (in->pfx & PFX_66) ? F_CF : F_OF;
    uint64_t b = getreg(c, in, in->reg, size), m = size_mask(size);
    uint64_t r = (a + b + ((c->flags & bit) != 0)) & m;
    int carry = (c->flags & bit) ? r <= (b & m) : r < (b & m);
    setreg(c, in, in->reg, size, r);
    c->flags = (c->flags & ~bit) | (carry ? bit : 0);
    return 0;
  }
  return STOP_UD;
}

static uint64_t pdep(uint64_t src, uint64_t mask) {
  uint64_t r = 0;
  for (uint64_t k = 1; mask; k <<= 1) {
    uint64_t low = mask & (0 - mask);
    if (src & k) r |= low;
    mask &= mask - 1;
  }
  return r;
}
static uint64_t pext(uint64_t src, uint64_t mask) {
  uint64_t r = 0;
  for (uint64_t k = 1; mask; k <<= 1) {
    uint64_t low = mask & (0 - mask);
    if (src & low) r |= k;
    mask &= mask - 1;
  }
  return r;
}

// VEX-encoded general-register instructions (VEX.L must be 0).
NOINLINE int cpu_exec_vex_gpr(struct cpu *c, const struct insn *in) {
  int op = in->op, size = (in->pfx & PFX_REXW) ? 8 : 4, bits = 8 * size;
  int pp = (in->pfx & PFX_F2) ? 3 : (in->pfx & PFX_F3) ? 2 : (in->pfx & PFX_66) ? 1 : 0;
  uint64_t m = size_mask(size), a, v = c->r[in->vex_v] & m, r;
  // #UD before any memory access: VEX.L, and the prefixes (pp) each opcode
  // allows, as a bit mask by pp.
  int ok = op == 0x2F2 || op == 0x2F3 ? 1 : op == 0x2F5 ? 0xD : op == 0x2F7 ? 0xF : 8; // 2F6, 3F0: F2 only
  if (in->vex_l || !((ok >> pp) & 1)) return STOP_UD;
  if (op == 0x2F3 && ((in->reg & 7) < 1 || (in->reg & 7) > 3)) return STOP_UD;
  a = get_rm(c, in, size);
  if (faulted(c)) return STOP_PAGEFAULT;
  switch (op) {
  case 0x2F2: // andn
    if (pp) return STOP_UD;
    r = ~v & a & m;
    setreg(c, in, in->reg, size, r);
    bmi_flags(c, size, r, 0);
    return 0;
  case 0x2F3: { // blsr /1, blsmsk /2, blsi /3
    int k = in->reg & 7;
    if (pp || k < 1 || k > 3) return STOP_UD;
    r = k == 1 ? a & (a - 1) : k == 2 ? a ^ (a - 1) : a & (0 - a);
    r &= m;
    setreg(c, in, in->vex_v, size, r);
    bmi_flags(c, size, r, k == 3 ? a != 0 : a == 0);
    return 0;
  }
  case 0x2F5:
    if (pp == 0) { // bzhi
      unsigned n = (unsigned)(v & 0xFF);
      r = n < (unsigned)bits ? a & ((1ull << n) - 1) : a;
      setreg(c, in, in->reg, size, r);
      bmi_flags(c, size, r, n > (unsigned)bits - 1);
      return 0;
    }
    if (pp == 1) return STOP_UD;
    setreg(c, in, in->reg, size, pp == 3 ? pdep(v, a) & m : pext(v, a));
    return 0;
  case 0x2F6: { // mulx: hi to reg, lo to vvvv (hi wins if both are one register)
    if (pp != 3) return STOP_UD;
    uint64_t d = c->r[RDX] & m, lo, hi;
    if (size == 8) {
      lo = d * a;
      hi = umulh(d, a);
    } else {
      uint64_t p = d * a;
      lo = (uint32_t)p;
      hi = p >> 32;
    }
    setreg(c, in, in->vex_v, size, lo);
    setreg(c, in, in->reg, size, hi);
    return 0;
  }
  case 0x2F7: {
    if (pp == 0) { // bextr
      unsigned start = (unsigned)(v & 0xFF), len = (unsigned)((v >> 8) & 0xFF);
      r = start < (unsigned)bits ? a >> start : 0;
      if (len < 64) r &= (1ull << len) - 1;
      r &= m;
      setreg(c, in, in->reg, size, r);
      bmi_flags(c, size, r, 0);
      return 0;
    }
    unsigned n = (unsigned)(v & (bits - 1));
    if (pp == 1) r = a << n;                                  // shlx
    else if (pp == 2) r = (uint64_t)(sext(a, size) >> n);     // sarx
    else r = a >> n;                                          // shrx
    setreg(c, in, in->reg, size, r & m);
    return 0;
  }
  case 0x3F0: { // rorx
    if (pp != 3) return STOP_UD;
    unsigned n = (unsigned)(in->imm & (bits - 1));
    r = n ? (a >> n) | (a << (bits - n)) : a;
    setreg(c, in, in->reg, size, r & m);
    return 0;
  }
  default: return STOP_UD;
  }
}
