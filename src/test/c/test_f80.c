// SPDX-License-Identifier: MIT
// cpu/f80.c against the host x87: random double-extended operands (zeros,
// denormals, NaNs, infinities, boundary exponents, short significands that
// make ties) through every operation under every precision and rounding
// control, compared bit for bit with what this machine's FPU computes.
#include <stdint.h>
#include <string.h>

#include "cpu/f80.h"
#include "test.h"

#if defined(__x86_64__)

static uint64_t rs = 88172645463325252ull;
static uint64_t rnd(void) {
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return rs;
}

static struct f80 rand_f80(int near_exp) {
  uint64_t m = rnd();
  int s = (int)(rnd() & 1), e;
  switch (rnd() % 12) {
  case 0: return f80_make(s, 0, 0);
  case 1: return f80_make(s, 0x7FFF, 1ull << 63);
  case 2: return f80_make(s, 0x7FFF, (1ull << 63) | (m >> 2) | (rnd() & 1 ? 1ull << 62 : 1)); // NaN
  case 3: return f80_make(s, 0, m >> (1 + rnd() % 63));                                         // denormal
  case 4: e = 1 + (int)(rnd() % 70); break;                                                      // near underflow
  case 5: e = 0x7FFE - (int)(rnd() % 70); break;                                                 // near overflow
  case 6: e = 1 + (int)(rnd() % 0x7FFE); break;
  case 7: m &= ~0ull << (rnd() % 64); e = 0x3FFF - 64 + (int)(rnd() % 128); break; // short significands
  default: e = near_exp ? near_exp - 3 + (int)(rnd() % 7) : 0x3FFF - 70 + (int)(rnd() % 140); break;
  }
  if (e < 1) e = 1;
  if (e > 0x7FFE) e = 0x7FFE;
  return f80_make(s, e, m | 1ull << 63);
}

enum { OP_ADD, OP_SUB, OP_SUBR, OP_MUL, OP_DIV, OP_DIVR, OP_SQRT, OP_RNDINT, OP_SCALE, OP_PREM, OP_PREM1,
       OP_F32, OP_F64, OP_I16, OP_I32, OP_I64, OP_TT64, OP_COMI, OP_LD32, OP_LD64, NOPS };
static const char *const names[NOPS] = {"add", "sub", "subr", "mul", "div", "divr", "sqrt", "rndint", "scale",
                                        "prem", "prem1", "f32", "f64", "i16", "i32", "i64", "fisttp64", "comi",
                                        "ld32", "ld64"};

// st0 = a, st1 = b; the instruction's bytes; the result as 16 bytes.
#define HOST(insn, store)                                                                      \
  __asm__ volatile("fninit\n fldcw %2\n fldt %1\n fldt %0\n" insn "\n" store "\n fninit\n"     \
                   : : "m"(*a), "m"(*b), "m"(cw), "m"(*out) : "memory", "cc")

static void host(int op, const uint8_t *a, const uint8_t *b, uint16_t cw, uint8_t *out) {
  switch (op) {
  case OP_ADD: HOST(".byte 0xd8,0xc1", "fstpt %3"); break;
  case OP_SUB: HOST(".byte 0xd8,0xe1", "fstpt %3"); break;
  case OP_SUBR: HOST(".byte 0xd8,0xe9", "fstpt %3"); break;
  case OP_MUL: HOST(".byte 0xd8,0xc9", "fstpt %3"); break;
  case OP_DIV: HOST(".byte 0xd8,0xf1", "fstpt %3"); break;
  case OP_DIVR: HOST(".byte 0xd8,0xf9", "fstpt %3"); break;
  case OP_SQRT: HOST("fsqrt", "fstpt %3"); break;
  case OP_RNDINT: HOST("frndint", "fstpt %3"); break;
  case OP_SCALE: HOST("fscale", "fstpt %3"); break;
  case OP_PREM: HOST("fprem", "fstpt %3"); break;
  case OP_PREM1: HOST("fprem1", "fstpt %3"); break;
  case OP_F32: HOST("", "fstps %3"); break;
  case OP_F64: HOST("", "fstpl %3"); break;
  case OP_I16: HOST("", "fistps %3"); break;
  case OP_I32: HOST("", "fistpl %3"); break;
  case OP_I64: HOST("", "fistpll %3"); break;
  case OP_TT64: HOST("", "fisttpll %3"); break;
  case OP_COMI: HOST("fucomi %%st(1), %%st\n pushfq\n pop %%rax\n mov %%rax, %3", ""); break;
  case OP_LD32: HOST("fstp %%st(0)\n flds %0", "fstpt %3"); break;
  case OP_LD64: HOST("fstp %%st(0)\n fldl %0", "fstpt %3"); break;
  }
}

static void soft(int op, struct f80 a, struct f80 b, uint16_t cw, uint8_t *out) {
  uint16_t sw = 0, cc;
  struct f80 r = {0, 0};
  uint64_t v;
  int rc = (cw >> 10) & 3;
  switch (op) {
  case OP_ADD: r = f80_add(a, b, 0, cw, &sw); break;
  case OP_SUB: r = f80_add(a, b, 1, cw, &sw); break;
  case OP_SUBR: r = f80_add(b, a, 1, cw, &sw); break;
  case OP_MUL: r = f80_mul(a, b, cw, &sw); break;
  case OP_DIV: r = f80_div(a, b, cw, &sw); break;
  case OP_DIVR: r = f80_div(b, a, cw, &sw); break;
  case OP_SQRT: r = f80_sqrt(a, cw, &sw); break;
  case OP_RNDINT: r = f80_rndint(a, cw, &sw); break;
  case OP_SCALE: r = f80_scale(a, b, cw, &sw); break;
  case OP_PREM: r = f80_rem(a, b, 0, &cc, &sw); break;
  case OP_PREM1: r = f80_rem(a, b, 1, &cc, &sw); break;
  case OP_F32: v = f80_to_f32(a, cw, &sw); memcpy(out, &v, 4); return;
  case OP_F64: v = f80_to_f64(a, cw, &sw); memcpy(out, &v, 8); return;
  case OP_I16: v = f80_to_int(a, 2, rc, &sw); memcpy(out, &v, 2); return;
  case OP_I32: v = f80_to_int(a, 4, rc, &sw); memcpy(out, &v, 4); return;
  case OP_I64: v = f80_to_int(a, 8, rc, &sw); memcpy(out, &v, 8); return;
  case OP_TT64: v = f80_to_int(a, 8, 3, &sw); memcpy(out, &v, 8); return;
  case OP_COMI: {
    int k = f80_cmp(a, b, 0, &sw);
    v = k == 2 ? 0x45 : k < 0 ? 1 : k == 0 ? 0x40 : 0;
    memcpy(out, &v, 8);
    return;
  }
  case OP_LD32: { uint32_t u; memcpy(&u, &a, 4); r = f80_from_f32(u, &sw); break; }
  case OP_LD64: { uint64_t u; memcpy(&u, &a, 8); r = f80_from_f64(u, &sw); break; }
  }
  memcpy(out, &r.m, 8);
  memcpy(out + 8, &r.se, 2);
}

TEST(f80_matches_host_x87) {
  int bad[NOPS] = {0}, shown = 0;
  for (int i = 0; i < 400000; i++) {
    int op = (int)(rnd() % NOPS);
    struct f80 a = rand_f80(0), b = rand_f80(rnd() & 1 ? a.se & 0x7FFF : 0);
    if (op == OP_LD32 || op == OP_LD64) {
      uint64_t v = rnd();
      if (rnd() & 1) v &= op == OP_LD32 ? 0x807FFFFFull : 0x800FFFFFFFFFFFFFull; // denormals
      else if (rnd() & 1) v |= op == OP_LD32 ? 0x7F800000ull : 0x7FF0000000000000ull; // NaN, inf
      memcpy(&a, &v, 8);
    }
    uint16_t cw = (uint16_t)(0x037F & ~0x0300) | (uint16_t)((rnd() % 4) << 10);
    static const uint16_t pc[3] = {0x0000, 0x0200, 0x0300};
    cw |= pc[rnd() % 3];
    uint8_t ab[16] = {0}, bb[16] = {0}, h[16] = {0}, s[16] = {0};
    memcpy(ab, &a.m, 8);
    memcpy(ab + 8, &a.se, 2);
    memcpy(bb, &b.m, 8);
    memcpy(bb + 8, &b.se, 2);
    host(op, ab, bb, cw, h);
    soft(op, a, b, cw, s);
    if (op == OP_COMI) h[0] &= 0x45, memset(h + 1, 0, 7);
    if (memcmp(h, s, 10) != 0) {
      if (bad[op]++ < 3 && shown++ < 40) {
        printf("  %s cw=%04x a=%04x:%016llx b=%04x:%016llx host=%04x:%016llx soft=%04x:%016llx\n", names[op], cw,
               a.se, (unsigned long long)a.m, b.se, (unsigned long long)b.m, h[8] | h[9] << 8,
               *(unsigned long long *)h, s[8] | s[9] << 8, *(unsigned long long *)s);
      }
    }
  }
  int total = 0;
  for (int op = 0; op < NOPS; op++) {
    if (bad[op]) printf("  %s: %d mismatches\n", names[op], bad[op]);
    total += bad[op];
  }
  ASSERT_EQ(total, 0);
}

#endif
