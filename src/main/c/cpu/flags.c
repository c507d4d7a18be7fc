// SPDX-License-Identifier: MIT
// Lazy arithmetic flags: turns the remembered last operation into CF, PF, AF,
// ZF, SF and OF (SDM vol. 1, 3.4.3 and each instruction's "Flags Affected"),
// and the architectural RFLAGS view the debugger and pushf see.
#include "internal.h"

static inline uint32_t szp(uint64_t res, int size) {
  uint32_t f = 0;
  if ((res & size_mask(size)) == 0) f |= F_ZF;
  if ((res >> (8 * size - 1)) & 1) f |= F_SF;
  if (!__builtin_parity((unsigned)(res & 0xFF))) f |= F_PF;
  return f;
}

uint32_t cpu_lazy_flags(struct cpu *c) {
  int size = c->lf_size;
  int top = 8 * size - 1;
  uint64_t m = size_mask(size);
  uint64_t a = c->lf_a & m, b = c->lf_b & m, r = c->lf_res & m;
  uint32_t f = szp(r, size);
  switch (c->lf_op) {
  case LF_ADD:
    if (r < a) f |= F_CF;
    if ((((a ^ r) & (b ^ r)) >> top) & 1) f |= F_OF;
    f |= (a ^ b ^ r) & F_AF;
    break;
  case LF_ADC: // carry in was 1
    if (r <= a) f |= F_CF;
    if ((((a ^ r) & (b ^ r)) >> top) & 1) f |= F_OF;
    f |= (a ^ b ^ r) & F_AF;
    break;
  case LF_SUB:
    if (a < b) f |= F_CF;
    if ((((a ^ b) & (a ^ r)) >> top) & 1) f |= F_OF;
    f |= (a ^ b ^ r) & F_AF;
    break;
  case LF_SBB: // borrow in was 1
    if (a <= b) f |= F_CF;
    if ((((a ^ b) & (a ^ r)) >> top) & 1) f |= F_OF;
    f |= (a ^ b ^ r) & F_AF;
    break;
  case LF_LOGIC:
    break;
  case LF_INC: // CF unchanged: it was materialised into c->flags
    f |= c->flags & F_CF;
    if (r == ((uint64_t)1 << top)) f |= F_OF;
    if ((r & 0xF) == 0) f |= F_AF;
    break;
  case LF_DEC:
    f |= c->flags & F_CF;
    if (r == ((uint64_t)1 << top) - 1) f |= F_OF;
    if ((r & 0xF) == 0xF) f |= F_AF;
    break;
  case LF_SHL: { // b = count (1..63), already masked
    if (b <= (uint64_t)size * 8 && ((a >> (8 * size - b)) & 1)) f |= F_CF;
    if (((r >> top) & 1) ^ ((f & F_CF) != 0)) f |= F_OF;
    break;
  }
  case LF_SHR:
    if (b <= 64 && ((a >> (b - 1)) & 1)) f |= F_CF;
    if ((a >> top) & 1) f |= F_OF;
    break;
  case LF_SAR: {
    uint64_t cnt = b > (uint64_t)top ? (uint64_t)top : b - 1;
    if ((sext(a, size) >> cnt) & 1) f |= F_CF;
    break;
  }
  default:
    return c->flags & F_ARITH;
  }
  return f;
}

int cpu_cond_slow(struct cpu *c, int cc) {
  uint32_t f = c->lf_op == LF_NONE ? c->flags : cpu_lazy_flags(c);
  int r;
  switch (cc >> 1) {
  case 0: r = (f & F_OF) != 0; break;
  case 1: r = (f & F_CF) != 0; break;
  case 2: r = (f & F_ZF) != 0; break;
  case 3: r = (f & (F_CF | F_ZF)) != 0; break;
  case 4: r = (f & F_SF) != 0; break;
  case 5: r = (f & F_PF) != 0; break;
  case 6: r = ((f & F_SF) != 0) != ((f & F_OF) != 0); break;
  default: r = (f & F_ZF) || (((f & F_SF) != 0) != ((f & F_OF) != 0)); break;
  }
  return r ^ (cc & 1);
}

uint64_t cpu_get_flags(struct cpu *c) {
  uint32_t f = c->flags;
  if (c->lf_op != LF_NONE) f = (f & ~F_ARITH) | cpu_lazy_flags(c);
  return f | 0x2; // bit 1 always reads as 1
}

void cpu_set_flags(struct cpu *c, uint64_t f) {
  // User mode may change the arithmetic flags, TF, DF, AC and ID.
  c->flags = (uint32_t)(f & (F_ARITH | F_TF | F_DF | F_AC | F_ID)) | F_IF;
  c->lf_op = LF_NONE;
}
