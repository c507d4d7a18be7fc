// SPDX-License-Identifier: MIT
// The x87 FPU (SDM vol. 1, chapter 8): register stack, control/status/tag
// words, loads and stores of every memory format (m16/m32/m64 int, m32/m64/m80
// float), arithmetic, compares, constants, transcendentals and fxsave/fxrstor.
// Arithmetic is f80.c's software double-extended format, the same in the
// native and wasm builds; only the transcendentals go through host libm.
#include <math.h>

#include "f80.h"
#include "internal.h"

#define SW_C0 0x0100
#define SW_C1 0x0200
#define SW_C2 0x0400
#define SW_C3 0x4000

void cpu_x87_init(struct cpu *c) {
  memset(&c->fpu, 0, sizeof c->fpu);
  c->fpu.cw = 0x037F; // Linux's default: all exceptions masked, 64-bit precision
}

#define SW_SF 0x0040 // stack fault

// The status word as stored: TOP in bits 13-11, and ES and B set while an
// unmasked exception is pending (the next waiting x87 instruction raises #MF).
static uint16_t status_word(const struct cpu *c) {
  uint16_t sw = (uint16_t)((c->fpu.sw & ~0xB880) | (c->fpu.top << 11));
  if (c->fpu.sw & ~c->fpu.cw & 0x3F) sw |= 0x8080;
  return sw;
}

static inline struct f80 *sti(struct cpu *c, int i) { return &c->fpu.st[(c->fpu.top + i) & 7]; }
static struct f80 indefinite(void) { return f80_make(1, 0x7FFF, 0xC000000000000000ull); }

// Stack faults with the invalid-operation exception masked (SDM vol. 1,
// 8.5.1.1): reading an empty register gives the QNaN indefinite (and the
// instruction's result is the indefinite); pushing onto a full stack loads
// the indefinite.
static NOINLINE struct f80 rd(struct cpu *c, int i) {
  if (LIKELY(c->fpu.tag & (1 << ((c->fpu.top + i) & 7)))) return *sti(c, i);
  c->fpu.sw = (c->fpu.sw & ~SW_C1) | FX_IE | SW_SF;
  c->fpu.uf = 1;
  return indefinite();
}
static NOINLINE void wr(struct cpu *c, int i, struct f80 v) {
  int k = (c->fpu.top + i) & 7;
  c->fpu.st[k] = c->fpu.uf ? indefinite() : v;
  c->fpu.tag |= 1 << k;
}
static NOINLINE void fpush(struct cpu *c, struct f80 v) {
  c->fpu.top = (c->fpu.top - 1) & 7;
  if (c->fpu.tag & (1 << c->fpu.top)) { // overflow (C1 stays clear after an underflow: measured)
    c->fpu.sw |= FX_IE | SW_SF | (c->fpu.uf ? 0 : SW_C1);
    v = indefinite();
  }
  c->fpu.st[c->fpu.top] = v;
  c->fpu.tag |= 1 << c->fpu.top;
}
static inline void fpop(struct cpu *c) {
  c->fpu.tag &= ~(1 << c->fpu.top);
  c->fpu.top = (c->fpu.top + 1) & 7;
}

// Compares for fcom/fucom (C0, C2, C3) and fcomi/fucomi (ZF, PF, CF).
static void set_cc(struct cpu *c, struct f80 a, struct f80 b, int signal_qnan) {
  int r = f80_cmp(a, b, signal_qnan, &c->fpu.sw);
  c->fpu.sw &= ~(SW_C0 | SW_C1 | SW_C2 | SW_C3);
  if (r == 2) c->fpu.sw |= SW_C0 | SW_C2 | SW_C3;
  else if (r < 0) c->fpu.sw |= SW_C0;
  else if (r == 0) c->fpu.sw |= SW_C3;
}
static void set_eflags_cmp(struct cpu *c, struct f80 a, struct f80 b, int signal_qnan) {
  int r = f80_cmp(a, b, signal_qnan, &c->fpu.sw);
  flags_sync(c);
  c->flags &= ~F_ARITH;
  if (r == 2) c->flags |= F_ZF | F_PF | F_CF;
  else if (r < 0) c->flags |= F_CF;
  else if (r == 0) c->flags |= F_ZF;
}

// The arithmetic group's /digit: add mul (com comp) sub subr div divr.
static struct f80 arith(struct cpu *c, int op, struct f80 a, struct f80 b) {
  unsigned cw = c->fpu.cw;
  uint16_t *sw = &c->fpu.sw;
  switch (op & 7) {
  case 0: return f80_add(a, b, 0, cw, sw);
  case 1: return f80_mul(a, b, cw, sw);
  case 4: return f80_add(a, b, 1, cw, sw);
  case 5: return f80_add(b, a, 1, cw, sw);
  case 6: return f80_div(a, b, cw, sw);
  case 7: return f80_div(b, a, cw, sw);
  default: return a; // compares handled by the caller
  }
}

static int rc_of(struct cpu *c) { return (c->fpu.cw >> 10) & 3; }

// Results of the transcendental instructions come from host libm through
// long double, rounded to the control word's precision: not bit-exact with
// the hardware (README "Quirks").
static struct f80 from_host(struct cpu *c, long double v) { return f80_round(f80_from_ld(v), c->fpu.cw, &c->fpu.sw); }

// Full tag word (SDM vol. 1, 8.1.7): 00 valid, 01 zero, 10 special (NaN,
// infinity, denormal, unsupported), 11 empty; two bits per physical register.
static unsigned full_tag(struct cpu *c) {
  unsigned tw = 0;
  for (int i = 0; i < 8; i++) {
    struct f80 v = c->fpu.st[i];
    int e = v.se & 0x7FFF;
    unsigned t = !(c->fpu.tag & (1 << i))                                  ? 3
                 : e == 0x7FFF || (e == 0 && v.m) || (e && !(v.m >> 63)) ? 2
                 : e == 0                                                ? 1
                                                                         : 0;
    tw |= t << (2 * i);
  }
  return tw;
}

// fnstenv/fldenv (28-byte environment, 32-bit layout) and fnsave/frstor
// (the environment and ST(0)..ST(7), 108 bytes). Instruction and operand
// pointers are stored as zero. fnsave then reinitialises the FPU.
static NOINLINE int x87_env(struct cpu *c, uint64_t a, int save, int regs) {
  uint8_t *img = c->fxbuf;
  int n = regs ? 108 : 28, rc;
  if (save) {
    uint32_t w[7] = {c->fpu.cw | 0xFFFF0000u, (uint32_t)status_word(c) | 0xFFFF0000u,
                     full_tag(c) | 0xFFFF0000u, 0, 0, 0, 0xFFFF0000u};
    memcpy(img, w, 28);
    for (int i = 0; regs && i < 8; i++) {
      memcpy(img + 28 + 10 * i, &sti(c, i)->m, 8);
      memcpy(img + 36 + 10 * i, &sti(c, i)->se, 2);
    }
    if ((rc = stn(c, a, n, img))) return rc;
    if (regs) cpu_x87_init(c);
    else c->fpu.cw |= 0x3F; // fnstenv masks all exceptions
    return 0;
  }
  if ((rc = ldn(c, a, n, img))) return rc;
  uint32_t w[7];
  memcpy(w, img, 28);
  c->fpu.cw = (uint16_t)w[0];
  c->fpu.sw = (uint16_t)w[1] & ~0xB880;
  c->fpu.top = (w[1] >> 11) & 7;
  c->fpu.tag = 0;
  for (int i = 0; i < 8; i++) if (((w[2] >> (2 * i)) & 3) != 3) c->fpu.tag |= 1 << i;
  for (int i = 0; regs && i < 8; i++) {
    memcpy(&sti(c, i)->m, img + 28 + 10 * i, 8);
    memcpy(&sti(c, i)->se, img + 36 + 10 * i, 2);
  }
  return 0;
}

// fbld/fbstp: 18 packed BCD digits, the sign in bit 7 of byte 9. An
// out-of-range or NaN value stores the BCD indefinite.
static NOINLINE int x87_bcd(struct cpu *c, uint64_t a, int store) {
  uint8_t *b = c->fxbuf;
  int rc;
  if (!store) {
    if ((rc = ldn(c, a, 10, b))) return rc;
    int64_t v = 0;
    for (int i = 8; i >= 0; i--) v = v * 100 + (b[i] >> 4) * 10 + (b[i] & 15);
    struct f80 x = f80_from_i64(v);
    if (b[9] & 0x80) x.se |= 0x8000;
    fpush(c, x);
    return 0;
  }
  struct f80 x = rd(c, 0);
  uint64_t v = f80_to_int(x, 8, rc_of(c), &c->fpu.sw), mag = (x.se & 0x8000) ? 0 - v : v;
  memset(b, 0, 10);
  if (v == 1ull << 63 || mag > 999999999999999999ull) {
    c->fpu.sw |= FX_IE;
    b[7] = 0xC0;
    b[8] = b[9] = 0xFF;
  } else {
    for (int i = 0; i < 9; i++, mag /= 100) b[i] = (uint8_t)((mag % 10) | ((mag / 10) % 10) << 4);
    if (x.se & 0x8000) b[9] = 0x80;
  }
  if ((rc = stn(c, a, 10, b))) return rc;
  fpop(c);
  return 0;
}

static NOINLINE int x87_mem(struct cpu *c, const struct insn *in) {
  int opc = in->op, sub = in->reg & 7, rc;
  uint64_t a = ea(c, in), v;
  uint16_t *sw = &c->fpu.sw;
  struct f80 x;
  switch (opc) {
  case 0xD8: case 0xDA: case 0xDC: case 0xDE: { // arithmetic with a memory operand
    int size = opc == 0xD8 ? 4 : opc == 0xDA ? 4 : opc == 0xDC ? 8 : 2;
    v = ld(c, a, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    // A signalling NaN operand stays signalling, so a QNaN in ST(0) wins
    // over it (SDM vol. 1, table 4-7).
    if (opc == 0xD8) {
      x = f80_from_f32((uint32_t)v, sw);
      if ((v & 0x7FC00000u) == 0x7F800000u && (v & 0x3FFFFFu)) x.m &= ~(1ull << 62);
    } else if (opc == 0xDC) {
      x = f80_from_f64(v, sw);
      if ((v & 0x7FF8000000000000ull) == 0x7FF0000000000000ull && (v << 13)) x.m &= ~(1ull << 62);
    } else {
      x = f80_from_i64(sext(v, size));
    }
    if (sub == 2 || sub == 3) {
      set_cc(c, rd(c, 0), x, 1);
      if (sub == 3) fpop(c);
    } else {
      wr(c, 0, arith(c, sub, rd(c, 0), x));
    }
    return 0;
  }
  case 0xD9:
    switch (sub) {
    case 0:
      v = ld(c, a, 4);
      if (faulted(c)) return STOP_PAGEFAULT;
      fpush(c, f80_from_f32((uint32_t)v, sw));
      return 0;
    case 2: case 3:
      if ((rc = st(c, a, 4, f80_to_f32(rd(c, 0), c->fpu.cw, sw)))) return rc;
      if (sub == 3) fpop(c);
      return 0;
    case 5:
      v = ld(c, a, 2);
      if (faulted(c)) return STOP_PAGEFAULT;
      c->fpu.cw = (uint16_t)v;
      return 0;
    case 7: return st(c, a, 2, c->fpu.cw);
    case 4: case 6: return x87_env(c, a, sub == 6, 0); // fldenv / fnstenv
    default: return STOP_UD;
    }
  case 0xDB:
    switch (sub) {
    case 0:
      v = ld(c, a, 4);
      if (faulted(c)) return STOP_PAGEFAULT;
      fpush(c, f80_from_i64((int32_t)v));
      return 0;
    case 1: case 2: case 3: // fisttp, fist, fistp m32
      if ((rc = st(c, a, 4, f80_to_int(rd(c, 0), 4, sub == 1 ? 3 : rc_of(c), sw)))) return rc;
      if (sub != 2) fpop(c);
      return 0;
    case 5: {
      uint8_t b[10];
      if ((rc = ldn(c, a, 10, b))) return rc;
      memcpy(&x.m, b, 8);
      memcpy(&x.se, b + 8, 2);
      fpush(c, x);
      return 0;
    }
    case 7: {
      uint8_t b[10];
      x = rd(c, 0);
      memcpy(b, &x.m, 8);
      memcpy(b + 8, &x.se, 2);
      if ((rc = stn(c, a, 10, b))) return rc;
      fpop(c);
      return 0;
    }
    default: return STOP_UD;
    }
  case 0xDD:
    switch (sub) {
    case 0:
      v = ld(c, a, 8);
      if (faulted(c)) return STOP_PAGEFAULT;
      fpush(c, f80_from_f64(v, sw));
      return 0;
    case 1: case 2: case 3:
      if (sub == 1) v = f80_to_int(rd(c, 0), 8, 3, sw); // fisttp m64
      else v = f80_to_f64(rd(c, 0), c->fpu.cw, sw);
      if ((rc = st(c, a, 8, v))) return rc;
      if (sub != 2) fpop(c);
      return 0;
    case 7: return st(c, a, 2, status_word(c));
    case 4: case 6: return x87_env(c, a, sub == 6, 1); // frstor / fnsave
    default: return STOP_UD;
    }
  default: // DF
    switch (sub) {
    case 0:
      v = ld(c, a, 2);
      if (faulted(c)) return STOP_PAGEFAULT;
      fpush(c, f80_from_i64((int16_t)v));
      return 0;
    case 5:
      v = ld(c, a, 8);
      if (faulted(c)) return STOP_PAGEFAULT;
      fpush(c, f80_from_i64((int64_t)v));
      return 0;
    case 1: case 2: case 3: // fisttp, fist, fistp m16
      if ((rc = st(c, a, 2, f80_to_int(rd(c, 0), 2, sub == 1 ? 3 : rc_of(c), sw)))) return rc;
      if (sub != 2) fpop(c);
      return 0;
    case 7:
      if ((rc = st(c, a, 8, f80_to_int(rd(c, 0), 8, rc_of(c), sw)))) return rc;
      fpop(c);
      return 0;
    case 4: case 6: return x87_bcd(c, a, sub == 6);
    default: return STOP_UD;
    }
  }
}

// fxam classes (SDM vol. 2, FXAM): C3 C2 C0.
static void fxam(struct cpu *c) {
  struct f80 v = *sti(c, 0);
  int e = v.se & 0x7FFF;
  c->fpu.sw &= ~(SW_C0 | SW_C1 | SW_C2 | SW_C3);
  if (v.se & 0x8000) c->fpu.sw |= SW_C1;
  if (!(c->fpu.tag & (1 << c->fpu.top))) c->fpu.sw |= SW_C3 | SW_C0;  // empty
  else if (e != 0 && !(v.m >> 63)) return;                             // unsupported
  else if (e == 0x7FFF) c->fpu.sw |= (v.m << 1) ? SW_C0 : SW_C2 | SW_C0; // NaN, infinity
  else if (e == 0) c->fpu.sw |= v.m ? SW_C3 | SW_C2 : SW_C3;           // denormal, zero
  else c->fpu.sw |= SW_C2;                                             // normal
}

static NOINLINE int x87_transcendental(struct cpu *c, int modrm) {
  int two = modrm == 0xF1 || modrm == 0xF3 || modrm == 0xF9;
  long double x = f80_to_ld(rd(c, 0)), y = two ? f80_to_ld(rd(c, 1)) : 0;
  struct f80 t;
  switch (modrm) {
  case 0xF0: wr(c, 0, from_host(c, exp2l(x) - 1)); return 0;
  case 0xF1: t = from_host(c, y * log2l(x)); fpop(c); wr(c, 0, t); return 0;
  case 0xF2: wr(c, 0, from_host(c, tanl(x))); c->fpu.uf = 0; fpush(c, f80_const(0, c->fpu.cw)); c->fpu.sw &= ~SW_C2; return 0;
  case 0xF3: t = from_host(c, atan2l(y, x)); fpop(c); wr(c, 0, t); return 0;
  case 0xF9: t = from_host(c, y * log2l(x + 1)); fpop(c); wr(c, 0, t); return 0;
  case 0xFB:
    t = from_host(c, cosl(x));
    wr(c, 0, from_host(c, sinl(x)));
    fpush(c, c->fpu.uf ? indefinite() : t);
    c->fpu.sw &= ~SW_C2;
    return 0;
  case 0xFE: wr(c, 0, from_host(c, sinl(x))); c->fpu.sw &= ~SW_C2; return 0;
  default: wr(c, 0, from_host(c, cosl(x))); c->fpu.sw &= ~SW_C2; return 0; // 0xFF
  }
}

static NOINLINE int x87_d9_reg(struct cpu *c, const struct insn *in) {
  int modrm = 0xC0 | ((in->reg & 7) << 3) | (in->rm & 7), i = in->rm & 7;
  struct f80 t;
  unsigned cw = c->fpu.cw;
  uint16_t *sw = &c->fpu.sw;
  if (modrm >= 0xC0 && modrm <= 0xC7) { t = rd(c, i); fpush(c, t); return 0; }
  if (modrm >= 0xC8 && modrm <= 0xCF) { // fxch: an empty side becomes the indefinite first
    struct f80 a = rd(c, 0), b = rd(c, i);
    c->fpu.uf = 0;
    wr(c, 0, b);
    wr(c, i, a);
    return 0;
  }
  if (modrm >= 0xE8 && modrm <= 0xEE) { fpush(c, f80_const(modrm - 0xE8, cw)); return 0; }
  switch (modrm) {
  case 0xD0: return 0;
  case 0xE0: t = rd(c, 0); t.se ^= 0x8000; wr(c, 0, t); return 0;
  case 0xE1: t = rd(c, 0); t.se &= 0x7FFF; wr(c, 0, t); return 0;
  case 0xE4: set_cc(c, rd(c, 0), f80_make(0, 0, 0), 1); return 0; // ftst
  case 0xE5: fxam(c); return 0;
  case 0xF0: case 0xF1: case 0xF2: case 0xF3: case 0xF9: case 0xFB: case 0xFE: case 0xFF:
    return x87_transcendental(c, modrm);
  case 0xF4: { // fxtract: exponent, then significand (exact)
    t = rd(c, 0);
    int e = t.se & 0x7FFF;
    if (c->fpu.uf) { wr(c, 0, t); fpush(c, t); return 0; }
    if (f80_isnan(t)) { t.m |= 1ull << 62; wr(c, 0, t); fpush(c, t); return 0; }
    if (e == 0x7FFF) { wr(c, 0, f80_make(0, 0x7FFF, 1ull << 63)); fpush(c, t); return 0; }
    if (e == 0 && !t.m) { *sw |= FX_ZE; wr(c, 0, f80_make(1, 0x7FFF, 1ull << 63)); fpush(c, t); return 0; }
    int sh = t.m ? __builtin_clzll(t.m) : 0;
    int exp = (e ? e : 1) - sh - 16383;
    wr(c, 0, f80_from_i64(exp));
    fpush(c, f80_make(t.se >> 15, 16383, t.m << sh));
    return 0;
  }
  case 0xF5: case 0xF8: { // fprem1, fprem
    uint16_t cc;
    t = f80_rem(rd(c, 0), rd(c, 1), modrm == 0xF5, &cc, sw);
    wr(c, 0, t);
    c->fpu.sw = (c->fpu.sw & ~(SW_C0 | SW_C1 | SW_C2 | SW_C3)) | cc;
    return 0;
  }
  case 0xF6: c->fpu.top = (c->fpu.top - 1) & 7; return 0;
  case 0xF7: c->fpu.top = (c->fpu.top + 1) & 7; return 0;
  case 0xFA: wr(c, 0, f80_sqrt(rd(c, 0), cw, sw)); return 0;
  case 0xFC: wr(c, 0, f80_rndint(rd(c, 0), cw, sw)); return 0;
  case 0xFD: t = f80_scale(rd(c, 0), rd(c, 1), cw, sw); wr(c, 0, t); return 0;
  default: return STOP_UD;
  }
}

static NOINLINE int x87_reg(struct cpu *c, const struct insn *in) {
  int opc = in->op, sub = in->reg & 7, i = in->rm & 7;
  switch (opc) {
  case 0xD8:
    if (sub == 2 || sub == 3) {
      set_cc(c, rd(c, 0), rd(c, i), 1);
      if (sub == 3) fpop(c);
    } else {
      wr(c, 0, arith(c, sub, rd(c, 0), rd(c, i)));
    }
    return 0;
  case 0xD9: return x87_d9_reg(c, in);
  case 0xDA:
    if (sub == 5 && i == 1) { set_cc(c, rd(c, 0), rd(c, 1), 0); fpop(c); fpop(c); return 0; } // fucompp
    if (sub < 4) {
      static const int cc[4] = {2, 4, 6, 10}; // b, e, be, u
      struct f80 a = rd(c, 0), b = rd(c, i);
      wr(c, 0, cond(c, cc[sub]) ? b : a);
      return 0;
    }
    return STOP_UD;
  case 0xDB:
    if (sub < 4) {
      static const int cc[4] = {3, 5, 7, 11}; // nb, ne, nbe, nu
      struct f80 a = rd(c, 0), b = rd(c, i);
      wr(c, 0, cond(c, cc[sub]) ? b : a);
      return 0;
    }
    if (sub == 4 && i == 2) { c->fpu.sw &= 0x7F00; return 0; } // fnclex
    if (sub == 4 && i == 3) { cpu_x87_init(c); return 0; }     // fninit
    if (sub == 5 || sub == 6) { set_eflags_cmp(c, rd(c, 0), rd(c, i), sub == 6); return 0; } // fucomi, fcomi
    return STOP_UD;
  case 0xDC: // st(i) = st(i) op st(0), with sub/div reversed in this encoding
    if (sub == 2 || sub == 3) { set_cc(c, rd(c, 0), rd(c, i), 1); if (sub == 3) fpop(c); return 0; }
    wr(c, i, arith(c, sub ^ ((sub >= 4) ? 1 : 0), rd(c, i), rd(c, 0)));
    return 0;
  case 0xDD:
    switch (sub) {
    case 0: c->fpu.tag &= ~(1 << ((c->fpu.top + i) & 7)); return 0; // ffree
    case 2: wr(c, i, rd(c, 0)); return 0;
    case 3: wr(c, i, rd(c, 0)); fpop(c); return 0;
    case 4: set_cc(c, rd(c, 0), rd(c, i), 0); return 0;
    case 5: set_cc(c, rd(c, 0), rd(c, i), 0); fpop(c); return 0;
    default: return STOP_UD;
    }
  case 0xDE:
    if (sub == 3 && i == 1) { set_cc(c, rd(c, 0), rd(c, 1), 1); fpop(c); fpop(c); return 0; } // fcompp
    if (sub == 2 || sub == 3) return STOP_UD;
    wr(c, i, arith(c, sub ^ ((sub >= 4) ? 1 : 0), rd(c, i), rd(c, 0)));
    fpop(c);
    return 0;
  default: // DF
    if (sub == 4 && i == 0) { // fnstsw ax
      c->r[RAX] = (c->r[RAX] & ~0xFFFFull) | status_word(c);
      return 0;
    }
    if (sub == 5 || sub == 6) { set_eflags_cmp(c, rd(c, 0), rd(c, i), sub == 6); fpop(c); return 0; } // fucomip, fcomip
    return STOP_UD;
  }
}

// Instructions that leave C1 alone: control and state transfers, fxam (which
// sets it itself) and, as measured on hardware, fcomi/fucomi(p).
// FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV and FNSAVE do not wait: they run
// with an exception pending; every other x87 instruction raises it first.
static int x87_nowait(const struct insn *in) {
  int sub = in->reg & 7;
  if (in->mod != 3) return (in->op == 0xD9 || in->op == 0xDD) && sub >= 6;
  return (in->op == 0xDB && sub == 4 && ((in->rm & 7) == 2 || (in->rm & 7) == 3)) ||
         (in->op == 0xDF && sub == 4 && (in->rm & 7) == 0);
}

static int keeps_c1(const struct insn *in) {
  int sub = in->reg & 7;
  if (in->mod != 3) return (in->op == 0xD9 && sub >= 4) || (in->op == 0xDD && sub >= 4);
  if (in->op == 0xD9) return sub == 4 && (in->rm & 7) == 5; // fxam
  return (in->op == 0xDB || in->op == 0xDF) && sub >= 4 && sub <= 6;
}

NOINLINE int cpu_exec_x87(struct cpu *c, const struct insn *in) {
  if (UNLIKELY(c->fpu.sw & ~c->fpu.cw & 0x3F) && !x87_nowait(in)) {
    c->fpe_vector = 16; // #MF
    return STOP_FPE;
  }
  c->fpu.uf = 0;
  if (!keeps_c1(in)) c->fpu.sw &= ~SW_C1; // set again by rounding up or a stack overflow
  return in->mod == 3 ? x87_reg(c, in) : x87_mem(c, in);
}

void cpu_fxsave(struct cpu *c, uint8_t *img) {
  memset(img, 0, 512);
  uint16_t sw = status_word(c);
  memcpy(img, &c->fpu.cw, 2);
  memcpy(img + 2, &sw, 2);
  img[4] = (uint8_t)c->fpu.tag;
  memcpy(img + 24, &c->mxcsr, 4);
  uint32_t mask = 0xFFFF;
  memcpy(img + 28, &mask, 4);
  for (int i = 0; i < 8; i++) {
    memcpy(img + 32 + 16 * i, &sti(c, i)->m, 8);
    memcpy(img + 40 + 16 * i, &sti(c, i)->se, 2);
  }
  for (int i = 0; i < 16; i++) memcpy(img + 160 + 16 * i, &c->xmm[i], 16);
}

void cpu_fxrstor(struct cpu *c, const uint8_t *img) {
  uint16_t sw;
  memcpy(&c->fpu.cw, img, 2);
  memcpy(&sw, img + 2, 2);
  c->fpu.top = (sw >> 11) & 7;
  c->fpu.sw = sw & ~0xB880;
  c->fpu.tag = img[4];
  memcpy(&c->mxcsr, img + 24, 4);
  for (int i = 0; i < 8; i++) {
    memcpy(&sti(c, i)->m, img + 32 + 16 * i, 8);
    memcpy(&sti(c, i)->se, img + 40 + 16 * i, 2);
  }
  for (int i = 0; i < 16; i++) memcpy(&c->xmm[i], img + 160 + 16 * i, 16);
}
