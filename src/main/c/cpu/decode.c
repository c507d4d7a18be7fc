// SPDX-License-Identifier: MIT
// x86-64 instruction decoder: prefixes, REX, opcode maps (one-byte, 0F, 0F38,
// 0F3A), ModRM/SIB/displacement and immediates, into struct insn. It decides
// lengths and operand forms only; what an opcode does lives in the exec files.
// Layouts from the Intel SDM vol. 2, chapter 2 and appendix A.
#include <string.h>

#include "cpu.h"
#include "internal.h"

// Immediate kinds.
enum { I_NONE, I_B, I_W, I_Z, I_V, I_BW /* enter */, I_MOFFS, I_GRP3B, I_GRP3V };

// One-byte map: bit 7 = has ModRM, low bits = immediate kind.
#define M 0x80
static const uint8_t one_byte[256] = {
    // 00-0F
    M, M, M, M, I_B, I_Z, 0, 0, M, M, M, M, I_B, I_Z, 0, 0,
    // 10-1F
    M, M, M, M, I_B, I_Z, 0, 0, M, M, M, M, I_B, I_Z, 0, 0,
    // 20-2F
    M, M, M, M, I_B, I_Z, 0, 0, M, M, M, M, I_B, I_Z, 0, 0,
    // 30-3F
    M, M, M, M, I_B, I_Z, 0, 0, M, M, M, M, I_B, I_Z, 0, 0,
    // 40-4F (REX, handled before lookup)
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // 50-5F push/pop
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // 60-6F
    0, 0, M, M, 0, 0, 0, 0, I_Z, M | I_Z, I_B, M | I_B, 0, 0, 0, 0,
    // 70-7F jcc rel8
    I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B,
    // 80-8F
    M | I_B, M | I_Z, M | I_B, M | I_B, M, M, M, M, M, M, M, M, M, M, M, M,
    // 90-9F
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // A0-AF
    I_MOFFS, I_MOFFS, I_MOFFS, I_MOFFS, 0, 0, 0, 0, I_B, I_Z, 0, 0, 0, 0, 0, 0,
    // B0-BF
    I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_V, I_V, I_V, I_V, I_V, I_V, I_V, I_V,
    // C0-CF
    M | I_B, M | I_B, I_W, 0, M, M, M | I_B, M | I_Z, I_BW, 0, I_W, 0, 0, I_B, 0, 0,
    // D0-DF
    M, M, M, M, I_B, I_B, 0, 0, M, M, M, M, M, M, M, M,
    // E0-EF
    I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_B, I_Z, I_Z, 0, I_B, 0, 0, 0, 0,
    // F0-FF
    0, 0, 0, 0, 0, 0, M | I_GRP3B, M | I_GRP3V, 0, 0, 0, 0, 0, 0, M, M,
};

// 0F map: 1 = ModRM, 2 = ModRM + imm8, 3 = rel32 (jcc), 0 = no operands,
// 4 = invalid.
static const uint8_t two_byte[256] = {
    // 00-0F
    1, 1, 1, 1, 4, 0, 0, 0, 0, 0, 4, 0, 4, 1, 4, 4,
    // 10-1F
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    // 20-2F
    4, 4, 4, 4, 4, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1,
    // 30-3F
    0, 0, 0, 0, 0, 0, 4, 0, 4, 4, 4, 4, 4, 4, 4, 4,
    // 40-4F cmovcc
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    // 50-5F
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    // 60-6F
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    // 70-7F
    2, 2, 2, 2, 1, 1, 1, 0, 1, 1, 4, 4, 1, 1, 1, 1,
    // 80-8F jcc rel32
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    // 90-9F setcc
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    // A0-AF
    0, 0, 0, 1, 2, 1, 4, 4, 0, 0, 0, 1, 2, 1, 1, 1,
    // B0-BF
    1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 2, 1, 1, 1, 1, 1,
    // C0-CF
    1, 1, 2, 1, 2, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0,
    // D0-DF
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    // E0-EF
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    // F0-FF
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4,
};

static int decode_modrm(const uint8_t *p, int n, int i, struct insn *in) {
  if (i >= n) return -1;
  uint8_t m = p[i++];
  in->has_modrm = 1;
  in->mod = m >> 6;
  in->reg = ((m >> 3) & 7) | ((in->rex & 4) << 1);
  in->rm = (m & 7) | ((in->rex & 1) << 3);
  in->base = BASE_NONE;
  in->index = BASE_NONE;
  in->scale = 0;
  in->disp = 0;
  if (in->mod == 3) return i;
  int rm = m & 7;
  if (rm == 4) {
    if (i >= n) return -1;
    uint8_t sib = p[i++];
    in->scale = sib >> 6;
    int idx = ((sib >> 3) & 7) | ((in->rex & 2) << 2);
    if (idx != 4) in->index = idx;
    int b = sib & 7;
    if (b == 5 && in->mod == 0) {
      if (i + 4 > n) return -1;
      int32_t d;
      memcpy(&d, p + i, 4);
      in->disp = d;
      return i + 4;
    }
    in->base = b | ((in->rex & 1) << 3);
  } else if (rm == 5 && in->mod == 0) {
    if (i + 4 > n) return -1;
    int32_t d;
    memcpy(&d, p + i, 4);
    in->disp = d;
    in->base = BASE_RIP;
    return i + 4;
  } else {
    in->base = in->rm;
  }
  if (in->mod == 1) {
    if (i >= n) return -1;
    in->disp = (int8_t)p[i++];
  } else if (in->mod == 2) {
    if (i + 4 > n) return -1;
    int32_t d;
    memcpy(&d, p + i, 4);
    in->disp = d;
    i += 4;
  }
  return i;
}

static int read_imm(const uint8_t *p, int n, int i, int size, int sign, uint64_t *out) {
  if (i + size > n) return -1;
  uint64_t v = 0;
  memcpy(&v, p + i, size);
  if (sign && size < 8) {
    int sh = 64 - 8 * size;
    v = (uint64_t)((int64_t)(v << sh) >> sh);
  }
  *out = v;
  return i + size;
}

// SSE opcodes of the 0F map (the only ones VEX may encode there).
static int vex_map1_ok(int op2) {
  return (op2 >= 0x10 && op2 <= 0x17) || (op2 >= 0x28 && op2 <= 0x2F) || (op2 >= 0x50 && op2 <= 0x7F) ||
         (op2 >= 0xC2 && op2 <= 0xC6 && op2 != 0xC3) || op2 >= 0xD0 || op2 == 0xAE; // AE: vldmxcsr/vstmxcsr
}

// VEX prefix (SDM vol. 2, 2.3.5): C5 [R vvvv L pp], C4 [R X B mmmmm] [W vvvv
// L pp]; R, X, B and vvvv are stored inverted. It replaces REX and the
// 66/F2/F3 prefixes (which before it are #UD) and names the map.
static int decode_vex(const uint8_t *p, int n, int i, struct insn *in) {
  if (in->pfx & (PFX_66 | PFX_F2 | PFX_F3 | PFX_LOCK)) return -2;
  int three = p[i] == 0xC4, need = three ? 4 : 3;
  if (i + need > n) return n == 15 ? -2 : -1;
  uint8_t b1 = p[i + 1], b2 = three ? p[i + 2] : b1;
  int map = three ? (b1 & 0x1F) : 1;
  int rex = 0x40 | ((~b1 >> 5) & 4);
  if (three) rex |= ((~b1 >> 5) & 3) | ((b2 >> 4) & 8); // X, B, W
  in->rex = (uint8_t)rex;
  in->vex_v = (~b2 >> 3) & 15;
  in->vex_l = (b2 >> 2) & 1;
  static const uint8_t pp[4] = {0, PFX_66, PFX_F3, PFX_F2};
  in->pfx |= pp[b2 & 3] | PFX_VEX;
  if (rex & 8) in->pfx |= PFX_REXW;
  in->osz = (rex & 8) ? 8 : 4;
  i += need - 1;
  uint8_t op = p[i++];
  if (map == 1) {
    if (!vex_map1_ok(op)) return -2;
    in->op = 0x100 | op;
  } else if (map == 2 || map == 3) {
    in->op = (map == 2 ? 0x200 : 0x300) | op;
  } else {
    return -2;
  }
  if (map != 1 || two_byte[op] != 0) { // VEX 0F 77 (vzeroupper/vzeroall) has no ModRM
    i = decode_modrm(p, n, i, in);
    if (i < 0) return n == 15 ? -2 : -1;
    // Gathers (VEX 0F38 90-93) address with a VSIB byte: its index names a
    // vector register, and index 4 is XMM4/YMM4 rather than "no index".
    // Without a SIB byte they are #UD.
    if (map == 2 && op >= 0x90 && op <= 0x93) {
      if (in->mod == 3 || (in->rm & 7) != 4) return -2;
      if (in->index == BASE_NONE) in->index = 4;
    }
  }
  if (map == 3 || (map == 1 && two_byte[op] == 2))
    i = read_imm(p, n, i, 1, 0, &in->imm);
  if (i < 0) return n == 15 ? -2 : -1;
  if (i > 15) return -2;
  in->len = i;
  return i;
}

// Returns the instruction length, -1 if more bytes are needed than n, or
// -2 if the bytes are not a valid instruction (#UD).
int cpu_decode_bytes(const uint8_t *p, int n, struct insn *in) {
  memset(in, 0, sizeof(*in));
  in->base = BASE_NONE;
  in->index = BASE_NONE;
  if (n > 15) n = 15;
  int i = 0;
  for (;;) {
    if (i >= n) return n == 15 ? -2 : -1;
    uint8_t b = p[i];
    if (b == 0x66) in->pfx |= PFX_66;
    else if (b == 0x67) in->pfx |= PFX_67;
    else if (b == 0xF2) in->pfx = (in->pfx & ~PFX_F3) | PFX_F2;
    else if (b == 0xF3) in->pfx = (in->pfx & ~PFX_F2) | PFX_F3;
    else if (b == 0xF0) in->pfx |= PFX_LOCK;
    else if (b == 0x64) in->seg = 4;
    else if (b == 0x65) in->seg = 5;
    else if (b == 0x2E || b == 0x36 || b == 0x3E || b == 0x26) { /* null segments in 64-bit mode */ }
    else break;
    i++;
  }
  if ((p[i] == 0xC4 || p[i] == 0xC5) && !in->rex) return decode_vex(p, n, i, in);
  if ((p[i] & 0xF0) == 0x40) {
    in->rex = p[i++];
    if (i >= n) return n == 15 ? -2 : -1;
  }
  if (in->rex & 8) in->pfx |= PFX_REXW;
  in->osz = (in->rex & 8) ? 8 : (in->pfx & PFX_66) ? 2 : 4;
  uint8_t op = p[i++];
  int kind;
  if (op != 0x0F) {
    in->op = op;
    uint8_t t = one_byte[op];
    if (op == 0xC4 || op == 0xC5 || op == 0x62 || op == 0xD6 || op == 0x06 || op == 0x07 ||
        op == 0x0E || op == 0x16 || op == 0x17 || op == 0x1E || op == 0x1F || op == 0x27 ||
        op == 0x2F || op == 0x37 || op == 0x3F || op == 0x60 || op == 0x61 || op == 0x82 ||
        op == 0x9A || op == 0xCE || op == 0xD4 || op == 0xD5 || op == 0xEA)
      return -2; // invalid in 64-bit mode (EVEX: not implemented)
    if (t & M) {
      i = decode_modrm(p, n, i, in);
      if (i < 0) return -1;
    }
    kind = t & 0x7F;
    switch (kind) {
    case I_B: i = read_imm(p, n, i, 1, 1, &in->imm); break;
    case I_W: i = read_imm(p, n, i, 2, 0, &in->imm); break;
    case I_Z: i = read_imm(p, n, i, in->osz == 2 ? 2 : 4, 1, &in->imm); break;
    case I_V: i = read_imm(p, n, i, in->osz, 0, &in->imm); break;
    case I_BW: {
      uint64_t lvl = 0;
      i = read_imm(p, n, i, 2, 0, &in->imm);
      if (i >= 0) i = read_imm(p, n, i, 1, 0, &lvl);
      in->imm2 = (uint16_t)lvl;
      break;
    }
    case I_MOFFS: i = read_imm(p, n, i, (in->pfx & PFX_67) ? 4 : 8, 0, &in->imm); break;
    case I_GRP3B:
      if ((in->reg & 7) < 2) i = read_imm(p, n, i, 1, 1, &in->imm);
      break;
    case I_GRP3V:
      if ((in->reg & 7) < 2) i = read_imm(p, n, i, in->osz == 2 ? 2 : 4, 1, &in->imm);
      break;
    }
    // Near branches, push/pop and friends default to 64-bit operands.
    if ((op >= 0x50 && op <= 0x5F) || op == 0x68 || op == 0x6A || op == 0x8F || op == 0x9C ||
        op == 0x9D || op == 0xC9)
      in->osz = (in->pfx & PFX_66) ? 2 : 8;
  } else {
    if (i >= n) return n == 15 ? -2 : -1;
    uint8_t op2 = p[i++];
    if (op2 == 0x38 || op2 == 0x3A) {
      if (i >= n) return n == 15 ? -2 : -1;
      uint8_t op3 = p[i++];
      in->op = (op2 == 0x38 ? 0x200 : 0x300) | op3;
      i = decode_modrm(p, n, i, in);
      if (i < 0) return -1;
      if (op2 == 0x3A) i = read_imm(p, n, i, 1, 0, &in->imm);
    } else {
      in->op = 0x100 | op2;
      uint8_t t = two_byte[op2];
      if (t == 4) return -2;
      if (t == 1 || t == 2) {
        i = decode_modrm(p, n, i, in);
        if (i < 0) return -1;
      }
      if (t == 2) i = read_imm(p, n, i, 1, 0, &in->imm);
      if (t == 3) i = read_imm(p, n, i, 4, 1, &in->imm);
      if (op2 == 0xA0 || op2 == 0xA1 || op2 == 0xA8 || op2 == 0xA9) in->osz = (in->pfx & PFX_66) ? 2 : 8;
    }
  }
  if (i < 0) return i == -1 && n < 15 ? -1 : -2;
  if (i > 15) return -2;
  in->len = i;
  return i;
}

// Fetches up to 15 bytes at rip (stopping at an unmapped page) and decodes.
int cpu_decode(struct cpu *cpu, uint64_t rip, struct insn *in) {
  uint8_t buf[16];
  int n = 0;
  while (n < 15) {
    uint8_t *p = mm_tr(cpu->mm, cpu->mm->tlb_x, rip + n, 2);
    if (!p) break;
    int avail = PAGE_SIZE - ((rip + n) & PAGE_MASK);
    if (avail > 15 - n) avail = 15 - n;
    memcpy(buf + n, p, avail);
    n += avail;
  }
  memcpy(cpu->ud_bytes, buf, n);
  memset(cpu->ud_bytes + n, 0, 16 - n);
  if (n == 0) {
    cpu->fault_addr = rip;
    cpu->fault_write = 0;
    return STOP_PAGEFAULT;
  }
  int len = cpu_decode_bytes(buf, n, in);
  if (len == -1) {
    cpu->fault_addr = (rip + n);
    cpu->fault_write = 0;
    return STOP_PAGEFAULT;
  }
  if (len < 0) return STOP_UD;
  return 0;
}
