// SPDX-License-Identifier: MIT
// Writes a raw x86-64 code file of VEX-encoded instructions for
// disasm_check --raw: every opcode of maps 0F, 0F38 and 0F3A under every
// pp, L and W, each with register and memory ModRM forms (SIB, VSIB-able
// index, rip-relative, no base, disp8/disp32), random R/X/B, vvvv and imm8.
// Each instruction sits at the start of its own 32-byte slot padded with
// NOPs, so one objdump cannot fall out of step with the next slot.
// With "legacy": the same for the legacy encodings (one-byte, 0F, 0F38,
// 0F3A maps under no/66/F2/F3 prefix and no/REX.W/REX.RB), with random
// bytes after the ModRM form for immediates.
//   vexgen OUT [variants-per-form] [legacy]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x243F6A8885A308D3ull;
static unsigned rnd(unsigned n) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (unsigned)((state >> 24) % n);
}

// Map 0F opcodes that take an imm8 (the rest of the map has none).
static int map1_imm(int op) { return (op >= 0x70 && op <= 0x73) || op == 0xC2 || (op >= 0xC4 && op <= 0xC6); }

// A ModRM byte of the given form (0 register, 1.. memory forms) with SIB
// and displacement, at s + i; returns the new i.
static int modrm(uint8_t *s, int i, int mem) {
  int reg = rnd(8);
  if (!mem) {
    s[i++] = (uint8_t)(0xC0 | reg << 3 | rnd(8));
  } else {
    static const uint8_t plain[6] = {0, 1, 2, 3, 6, 7};
    int32_t d;
    switch ((mem - 1) % 6) {
    case 0: s[i++] = (uint8_t)(reg << 3 | plain[rnd(6)]); break; // [base]
    case 1: // [rip+disp32]
      s[i++] = (uint8_t)(reg << 3 | 5);
      d = (int32_t)rnd(4096) - 2048;
      memcpy(s + i, &d, 4), i += 4;
      break;
    case 2: // [base+index*scale+disp8]
      s[i++] = (uint8_t)(0x40 | reg << 3 | 4);
      s[i++] = (uint8_t)rnd(256);
      s[i++] = (uint8_t)rnd(256);
      break;
    case 3: // [base+disp32]
      s[i++] = (uint8_t)(0x80 | reg << 3 | plain[rnd(6)]);
      d = (int32_t)rnd(1 << 20) - (1 << 19);
      memcpy(s + i, &d, 4), i += 4;
      break;
    case 4: // [index*scale+disp32], no base
      s[i++] = (uint8_t)(reg << 3 | 4);
      s[i++] = (uint8_t)((rnd(256) & 0xF8) | 5);
      d = (int32_t)rnd(1 << 16);
      memcpy(s + i, &d, 4), i += 4;
      break;
    default: { // [base+index*scale]
      int base = rnd(8);
      if (base == 5) base = 3;
      s[i++] = (uint8_t)(reg << 3 | 4);
      s[i++] = (uint8_t)((rnd(256) & 0xF8) | base);
      break;
    }
    }
  }
  return i;
}

// One instruction into slot (32 bytes). mem: 0 register form, 1.. memory forms.
static void emit(uint8_t *s, int map, int op, int pp, int l, int w, int mem) {
  int i = 0;
  int r = rnd(2), x = rnd(2), b = rnd(2), vvvv = rnd(3) ? rnd(16) : 0;
  if (map == 1 && !w && !x && !b && rnd(2)) { // two-byte form
    s[i++] = 0xC5;
    s[i++] = (uint8_t)((!r) << 7 | (~vvvv & 15) << 3 | l << 2 | pp);
  } else {
    s[i++] = 0xC4;
    s[i++] = (uint8_t)((!r) << 7 | (!x) << 6 | (!b) << 5 | map);
    s[i++] = (uint8_t)(w << 7 | (~vvvv & 15) << 3 | l << 2 | pp);
  }
  s[i++] = (uint8_t)op;
  if (!(map == 1 && op == 0x77)) i = modrm(s, i, mem);
  if (map == 3 || (map == 1 && map1_imm(op))) s[i++] = (uint8_t)rnd(256);
  memset(s + i, 0x90, 32 - i);
}

// One legacy instruction: prefix (0, 66, F2, F3), REX (0, 48, 45), map
// (0 one-byte, 1 0F, 2 0F38, 3 0F3A), opcode, ModRM form, 8 random bytes.
static void emit_legacy(uint8_t *s, int pfx, int rex, int map, int op, int mem) {
  static const uint8_t pfxb[4] = {0, 0x66, 0xF2, 0xF3}, rexb[3] = {0, 0x48, 0x45};
  int i = 0;
  if (pfx) s[i++] = pfxb[pfx];
  if (rex) s[i++] = rexb[rex];
  if (map) s[i++] = 0x0F;
  if (map == 2) s[i++] = 0x38;
  if (map == 3) s[i++] = 0x3A;
  s[i++] = (uint8_t)op;
  i = modrm(s, i, mem);
  for (int k = 0; k < 8; k++) s[i++] = (uint8_t)rnd(256);
  memset(s + i, 0x90, 32 - i);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: vexgen OUT [variants]\n");
    return 2;
  }
  int variants = argc > 2 ? atoi(argv[2]) : 2;
  FILE *f = fopen(argv[1], "wb");
  if (!f) { perror(argv[1]); return 2; }
  uint8_t slot[32];
  long n = 0;
  if (argc > 3 && !strcmp(argv[3], "legacy")) {
    for (int map = 0; map <= 3; map++)
      for (int op = 0; op < 256; op++) {
        // escapes, VEX/EVEX and prefixes are not opcodes of their own here
        if (map == 0 && (op == 0x0F || op == 0x62 || op == 0xC4 || op == 0xC5 || (op & 0xF0) == 0x40 || op == 0x66 ||
                         op == 0x67 || op == 0xF0 || op == 0xF2 || op == 0xF3 || op == 0x26 || op == 0x2E ||
                         op == 0x36 || op == 0x3E || op == 0x64 || op == 0x65))
          continue;
        if (map == 1 && (op == 0x38 || op == 0x3A)) continue;
        for (int pfx = 0; pfx < 4; pfx++)
          for (int rex = 0; rex < 3; rex++)
            for (int v = 0; v < variants; v++)
              for (int mem = 0; mem <= 6; mem++) {
                emit_legacy(slot, pfx, rex, map, op, mem);
                fwrite(slot, 1, 32, f), n++;
              }
      }
    fclose(f);
    fprintf(stderr, "vexgen: %ld legacy instructions\n", n);
    return 0;
  }
  for (int map = 1; map <= 3; map++)
    for (int op = 0; op < 256; op++)
      for (int pp = 0; pp < 4; pp++)
        for (int l = 0; l < 2; l++)
          for (int w = 0; w < 2; w++)
            for (int v = 0; v < variants; v++)
              for (int mem = 0; mem <= 6; mem++) {
                emit(slot, map, op, pp, l, w, mem);
                fwrite(slot, 1, 32, f), n++;
              }
  fclose(f);
  fprintf(stderr, "vexgen: %ld instructions\n", n);
  return 0;
}
