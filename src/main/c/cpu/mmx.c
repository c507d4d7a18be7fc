// SPDX-License-Identifier: MIT
// MMX (SDM vol. 1, chapter 9): eight 64-bit registers that alias the
// significands of the physical x87 registers R0-R7. Every MMX instruction
// but EMMS sets TOP to 0 and tags all registers valid; writing one sets its
// sign and exponent bits to all ones. The integer ops reuse the SSE2
// element-wise code on the low half of a 16-byte operand; packs, high
// unpacks and horizontal adds rearrange their operands first. Also the
// SSE/SSE2 conversions and moves between MMX and XMM registers.
#include <math.h>

#include "internal.h"

static inline uint64_t mm_get(struct cpu *c, int i) { return c->fpu.st[i & 7].m; }
static inline void mm_set(struct cpu *c, int i, uint64_t v) {
  c->fpu.st[i & 7].m = v;
  c->fpu.st[i & 7].se = 0xFFFF;
}
static inline void mm_enter(struct cpu *c) {
  c->fpu.top = 0;
  c->fpu.tag = 0xFF;
}

// The mm/m64 source (cpu->pf set on a fault).
static uint64_t mm_src(struct cpu *c, const struct insn *in) {
  if (in->mod == 3) return mm_get(c, in->rm);
  return ld(c, ea(c, in), 8);
}

static int32_t to_i32(double v, int trunc) {
  if (!trunc) v = nearbyint(v);
  if (!(v > -2147483649.0 && v < 2147483648.0)) return INT32_MIN;
  return (int32_t)v;
}

// cvtpi2ps/pd, cvt(t)ps2pi, cvt(t)pd2pi, movq2dq, movdq2q.
static NOINLINE int mmx_xmm(struct cpu *c, const struct insn *in, int op2) {
  int p66 = (in->pfx & PFX_66) != 0, rc;
  union xmm *x = &c->tmpx[0];
  if (op2 == 0xD6) {
    if (in->mod != 3) return STOP_UD;
    mm_enter(c);
    if (in->pfx & PFX_F3) { // movq2dq xmm, mm
      c->xmm[in->reg].q[0] = mm_get(c, in->rm);
      c->xmm[in->reg].q[1] = 0;
    } else { // movdq2q mm, xmm
      mm_set(c, in->reg, c->xmm[in->rm].q[0]);
    }
    return 0;
  }
  if (op2 == 0x2A) { // xmm <- two int32 of mm/m64
    uint64_t v = mm_src(c, in);
    if (faulted(c)) return STOP_PAGEFAULT;
    if (in->mod == 3) mm_enter(c);
    union xmm *d = &c->xmm[in->reg];
    int32_t lo = (int32_t)v, hi = (int32_t)(v >> 32);
    if (p66) {
      d->dbl[0] = lo;
      d->dbl[1] = hi;
    } else {
      d->f[0] = (float)lo;
      d->f[1] = (float)hi;
    }
    return 0;
  }
  // cvt(t)ps2pi mm, xmm/m64; cvt(t)pd2pi mm, xmm/m128
  if (in->mod == 3) memcpy(x, &c->xmm[in->rm], 16);
  else {
    uint64_t a = ea(c, in);
    if (p66 && (a & 15)) return STOP_GP;
    if ((rc = ldn(c, a, p66 ? 16 : 8, x))) return rc;
  }
  int trunc = op2 == 0x2C;
  double v0 = p66 ? x->dbl[0] : x->f[0], v1 = p66 ? x->dbl[1] : x->f[1];
  mm_enter(c);
  mm_set(c, in->reg, (uint32_t)to_i32(v0, trunc) | (uint64_t)(uint32_t)to_i32(v1, trunc) << 32);
  return 0;
}

// SSSE3 on MMX registers (0F38 00-0B, 1C-1E; 0F3A 0F palignr).
static NOINLINE int mmx_ssse3(struct cpu *c, const struct insn *in) {
  int op = in->op & 0xFF;
  uint64_t a = mm_get(c, in->reg), s = mm_src(c, in), r;
  if (faulted(c)) return STOP_PAGEFAULT;
  union xmm *x = &c->tmpx[0], *y = &c->tmpx[1], d;
  if (in->op == 0x30F) {
    unsigned n = (unsigned)(in->imm & 0xFF);
    unsigned __int128 v = ((unsigned __int128)a << 64) | s;
    r = n >= 16 ? 0 : (uint64_t)(v >> (8 * n));
  } else if (op == 0x00) { // pshufb: indices modulo 8
    r = 0;
    for (int i = 0; i < 8; i++) {
      unsigned k = (unsigned)(s >> (8 * i)) & 0xFF;
      if (!(k & 0x80)) r |= ((a >> (8 * (k & 7))) & 0xFF) << (8 * i);
    }
  } else {
    int horiz = (op >= 0x01 && op <= 0x03) || (op >= 0x05 && op <= 0x07);
    x->q[0] = a;
    x->q[1] = horiz ? s : 0; // horizontal ops pair up a's then s's elements
    y->q[0] = horiz ? 0 : s;
    y->q[1] = 0;
    if (cpu_ssse3_op(&d, x, y, op)) return STOP_UD;
    r = d.q[0];
  }
  mm_enter(c);
  mm_set(c, in->reg, r);
  return 0;
}

// Moves, shuffles, extracts and the other non-element-wise MMX forms.
static NOINLINE int mmx_misc(struct cpu *c, const struct insn *in, int op2) {
  int size = (in->pfx & PFX_REXW) ? 8 : 4, rc;
  uint64_t v;
  switch (op2) {
  case 0x6E: // movd/movq mm, r/m
    v = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    mm_enter(c);
    mm_set(c, in->reg, v);
    return 0;
  case 0x7E: // movd/movq r/m, mm
    if ((rc = set_rm(c, in, size, mm_get(c, in->reg)))) return rc;
    mm_enter(c);
    return 0;
  case 0x6F:
    v = mm_src(c, in);
    if (faulted(c)) return STOP_PAGEFAULT;
    mm_enter(c);
    mm_set(c, in->reg, v);
    return 0;
  case 0x7F: case 0xE7: // movq mm/m64, mm; movntq m64, mm
    if (in->mod == 3) {
      if (op2 == 0xE7) return STOP_UD;
      mm_enter(c);
      mm_set(c, in->rm, mm_get(c, in->reg));
      return 0;
    }
    if ((rc = st(c, ea(c, in), 8, mm_get(c, in->reg)))) return rc;
    mm_enter(c);
    return 0;
  case 0x70: { // pshufw
    uint64_t s = mm_src(c, in), r = 0;
    if (faulted(c)) return STOP_PAGEFAULT;
    for (int i = 0; i < 4; i++) r |= ((s >> (16 * ((in->imm >> (2 * i)) & 3))) & 0xFFFF) << (16 * i);
    mm_enter(c);
    mm_set(c, in->reg, r);
    return 0;
  }
  case 0xC4: { // pinsrw mm, r32/m16, imm8
    v = get_rm(c, in, 2);
    if (faulted(c)) return STOP_PAGEFAULT;
    int k = (int)(in->imm & 3) * 16;
    uint64_t r = (mm_get(c, in->reg) & ~(0xFFFFull << k)) | ((v & 0xFFFF) << k);
    mm_enter(c);
    mm_set(c, in->reg, r);
    return 0;
  }
  case 0xC5: // pextrw r32, mm, imm8
    if (in->mod != 3) return STOP_UD;
    mm_enter(c);
    setreg(c, in, in->reg, 4, (mm_get(c, in->rm) >> ((in->imm & 3) * 16)) & 0xFFFF);
    return 0;
  case 0xD7: { // pmovmskb r32, mm
    if (in->mod != 3) return STOP_UD;
    uint64_t s = mm_get(c, in->rm), m = 0;
    for (int i = 0; i < 8; i++) m |= ((s >> (8 * i + 7)) & 1) << i;
    mm_enter(c);
    setreg(c, in, in->reg, 4, m);
    return 0;
  }
  case 0xF7: { // maskmovq mm, mm: bytes whose mask byte has bit 7 go to [rdi]
    if (in->mod != 3) return STOP_UD;
    uint64_t d = mm_get(c, in->reg), m = mm_get(c, in->rm);
    uint64_t a = c->r[RDI];
    if (in->pfx & PFX_67) a = (uint32_t)a;
    if (in->seg) a += in->seg == 4 ? c->fs_base : c->gs_base;
    for (int i = 0; i < 8; i++)
      if ((m >> (8 * i + 7)) & 1)
        if ((rc = st(c, a + i, 1, (d >> (8 * i)) & 0xFF))) return rc;
    mm_enter(c);
    return 0;
  }
  case 0x71: case 0x72: case 0x73: { // shifts by imm8
    int sub = in->reg & 7;
    if (in->mod != 3 || !(sub == 2 || sub == 6 || (sub == 4 && op2 != 0x73))) return STOP_UD;
    static const uint8_t by_count[3][8] = {{0, 0, 0xD1, 0, 0xE1, 0, 0xF1, 0}, {0, 0, 0xD2, 0, 0xE2, 0, 0xF2, 0},
                                           {0, 0, 0xD3, 0, 0, 0, 0xF3, 0}};
    union xmm *x = &c->tmpx[0], *y = &c->tmpx[1], d;
    x->q[0] = mm_get(c, in->rm);
    x->q[1] = 0;
    y->q[0] = in->imm & 0xFF;
    y->q[1] = 0;
    cpu_sse_int_op(&d, x, y, by_count[op2 - 0x71][sub]);
    mm_enter(c);
    mm_set(c, in->rm, d.q[0]);
    return 0;
  }
  default: return STOP_UD;
  }
}

NOINLINE int cpu_exec_mmx(struct cpu *c, const struct insn *in) {
  int op2 = in->op & 0xFF;
  if (in->op >= 0x200) return mmx_ssse3(c, in);
  if (op2 == 0x2A || op2 == 0x2C || op2 == 0x2D || op2 == 0xD6) return mmx_xmm(c, in, op2);
  if (op2 == 0x77) { // emms
    c->fpu.tag = 0;
    return 0;
  }
  // Element-wise ops valid on MMX registers (SSE2-only forms excluded).
  int elem = (op2 >= 0x60 && op2 <= 0x6B) || (op2 >= 0x74 && op2 <= 0x76) || (op2 >= 0xD1 && op2 <= 0xD5) ||
             (op2 >= 0xD8 && op2 <= 0xE5) || (op2 >= 0xE8 && op2 <= 0xEF) || (op2 >= 0xF1 && op2 <= 0xF6) ||
             (op2 >= 0xF8 && op2 <= 0xFE);
  if (!elem) return mmx_misc(c, in, op2);
  uint64_t a = mm_get(c, in->reg), s = mm_src(c, in);
  if (faulted(c)) return STOP_PAGEFAULT;
  union xmm *x = &c->tmpx[0], *y = &c->tmpx[1], d;
  int op = op2;
  x->q[1] = y->q[1] = 0;
  if (op2 == 0x63 || op2 == 0x67 || op2 == 0x6B) { // packs: a's elements then s's, in one 16-byte source
    x->q[0] = a;
    x->q[1] = s;
    *y = *x;
  } else if (op2 >= 0x68 && op2 <= 0x6A) { // high unpacks: the low unpack of the high halves
    x->q[0] = a >> 32;
    y->q[0] = s >> 32;
    op = op2 - 8;
  } else {
    x->q[0] = a;
    y->q[0] = s;
  }
  if (cpu_sse_int_op(&d, x, y, op)) return STOP_UD;
  mm_enter(c);
  mm_set(c, in->reg, d.q[0]);
  return 0;
}
