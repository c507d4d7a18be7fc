// SPDX-License-Identifier: MIT
// One-byte opcode map, integer part: ALU ops, push/pop, jumps and calls,
// moves, string instructions, shifts and rotates, mul/div (SDM vol. 2).
// Each group is its own noinline function to keep JVM methods small.
#include <stdint.h>

#include "internal.h"

static inline uint64_t alu(struct cpu *c, int op, int size, uint64_t a, uint64_t b) {
  uint64_t m = size_mask(size), r, cin;
  b &= m;
  switch (op) {
  case 0: r = (a + b) & m; set_lazy(c, LF_ADD, size, r, a, b); return r;
  case 1: r = a | b; set_lazy(c, LF_LOGIC, size, r, 0, 0); return r;
  case 2:
    cin = get_cf(c);
    r = (a + b + cin) & m;
    set_lazy(c, cin ? LF_ADC : LF_ADD, size, r, a, b);
    return r;
  case 3:
    cin = get_cf(c);
    r = (a - b - cin) & m;
    set_lazy(c, cin ? LF_SBB : LF_SUB, size, r, a, b);
    return r;
  case 4: r = a & b; set_lazy(c, LF_LOGIC, size, r, 0, 0); return r;
  case 6: r = a ^ b; set_lazy(c, LF_LOGIC, size, r, 0, 0); return r;
  default: r = (a - b) & m; set_lazy(c, LF_SUB, size, r, a, b); return r; // sub, cmp
  }
}

// 00-3F: add/or/adc/sbb/and/sub/xor/cmp in their six forms.
NOINLINE int cpu_exec_alu(struct cpu *c, const struct insn *in) {
  int opc = in->op, op = (opc >> 3) & 7, form = opc & 7;
  int size = (form & 1) ? in->osz : 1;
  uint64_t a, b, r;
  int rc;
  switch (form) {
  case 0: case 1: { // Eb,Gb / Ev,Gv
    b = getreg(c, in, in->reg, size);
    if (in->mod == 3) {
      a = getreg(c, in, in->rm, size);
      r = alu(c, op, size, a, b);
      if (op != 7) setreg(c, in, in->rm, size, r);
      return 0;
    }
    uint64_t addr = ea(c, in);
    a = ld(c, addr, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    uint32_t lop = c->lf_op, lsz = c->lf_size; // undo flags if the store faults
    uint64_t lr = c->lf_res, la = c->lf_a, lb = c->lf_b;
    r = alu(c, op, size, a, b);
    if (op != 7 && (rc = st(c, addr, size, r))) {
      set_lazy(c, lop, lsz, lr, la, lb);
      return rc;
    }
    return 0;
  }
  case 2: case 3: // Gb,Eb / Gv,Ev
    b = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    a = getreg(c, in, in->reg, size);
    r = alu(c, op, size, a, b);
    if (op != 7) setreg(c, in, in->reg, size, r);
    return 0;
  case 4: case 5: // AL,Ib / eAX,Iz
    a = getreg(c, in, RAX, size);
    r = alu(c, op, size, a, in->imm);
    if (op != 7) setreg(c, in, RAX, size, r);
    return 0;
  default:
    return STOP_UD;
  }
}

static NOINLINE int imul_op(struct cpu *c, const struct insn *in, uint64_t b, int64_t imm) {
  int size = in->osz;
  int64_t a = sext(b, size), r;
  int ovf;
  if (size == 8) {
    r = (int64_t)((uint64_t)a * (uint64_t)imm);
    ovf = smulh(a, imm) != (uint64_t)(r >> 63);
  } else {
    int64_t full = a * imm;
    r = sext((uint64_t)full, size);
    ovf = full != r;
  }
  setreg(c, in, in->reg, size, (uint64_t)r);
  flags_sync(c);
  c->flags &= ~F_ARITH;
  if (ovf) c->flags |= F_CF | F_OF;
  if (r < 0) c->flags |= F_SF;
  if (!__builtin_parity((unsigned)(r & 0xFF))) c->flags |= F_PF;
  return 0;
}

// 40-7F: push/pop, movsxd, push imm, imul imm, jcc rel8.
NOINLINE int cpu_exec_40(struct cpu *c, const struct insn *in) {
  int opc = in->op;
  uint64_t v;
  if (opc >= 0x70) {
    if (cond(c, opc & 15)) c->rip += in->imm;
    return 0;
  }
  if (opc >= 0x50 && opc <= 0x57)
    return push(c, in->osz, getreg(c, in, (opc & 7) | ((in->rex & 1) << 3), in->osz));
  if (opc >= 0x58 && opc <= 0x5F) {
    v = ld(c, c->r[RSP], in->osz);
    if (faulted(c)) return STOP_PAGEFAULT;
    c->r[RSP] += in->osz;
    setreg(c, in, (opc & 7) | ((in->rex & 1) << 3), in->osz, v);
    return 0;
  }
  switch (opc) {
  case 0x63: // movsxd
    v = get_rm(c, in, 4);
    if (faulted(c)) return STOP_PAGEFAULT;
    setreg(c, in, in->reg, in->osz, in->osz == 8 ? (uint64_t)(int64_t)(int32_t)v : v);
    return 0;
  case 0x68: case 0x6A: return push(c, in->osz, in->imm);
  case 0x69: case 0x6B:
    v = get_rm(c, in, in->osz);
    if (faulted(c)) return STOP_PAGEFAULT;
    return imul_op(c, in, v, (int64_t)in->imm);
  default: return STOP_UD; // 6C-6F ins/outs: privileged I/O
  }
}

// String instructions (SDM vol. 2, MOVS/STOS/LODS/SCAS/CMPS and REP).
static NOINLINE int string_op(struct cpu *c, const struct insn *in) {
  int opc = in->op;
  int size = (opc & 1) ? in->osz : 1;
  int rep = in->pfx & (PFX_F3 | PFX_F2);
  int64_t step = (c->flags & F_DF) ? -size : size;
  uint64_t srcseg = in->seg == 4 ? c->fs_base : in->seg == 5 ? c->gs_base : 0;
  int rc;
  uint64_t v, w;
  // Fast path: rep movsb/stosb forward, page by page.
  if (rep && step == 1 && (opc == 0xA4 || opc == 0xAA) && !(in->pfx & PFX_67)) {
    while (c->r[RCX]) {
      uint64_t n = c->r[RCX];
      uint64_t d = c->r[RDI], s = c->r[RSI] + srcseg;
      uint64_t room = PAGE_SIZE - (d & PAGE_MASK);
      if (n > room) n = room;
      uint8_t *dp = mm_wr(c->mm, d);
      if (!dp) return page_fault(c, d, 1);
      if (opc == 0xAA) {
        memset(dp, (int)c->r[RAX], n);
      } else {
        uint64_t sroom = PAGE_SIZE - (s & PAGE_MASK);
        if (n > sroom) n = sroom;
        uint8_t *sp = mm_rd(c->mm, s);
        if (!sp) return page_fault(c, s, 0);
        if (d > s && d - s < n) { // overlapping forward copy repeats bytes
          for (uint64_t i = 0; i < n; i++) dp[i] = sp[i];
        } else {
          memmove(dp, sp, n);
        }
        c->r[RSI] += n;
      }
      c->r[RDI] += n;
      c->r[RCX] -= n;
    }
    return 0;
  }
  for (;;) {
    if (rep && c->r[RCX] == 0) return 0;
    switch (opc) {
    case 0xA4: case 0xA5: // movs
      v = ld(c, c->r[RSI] + srcseg, size);
    if (faulted(c)) return STOP_PAGEFAULT;
      if ((rc = st(c, c->r[RDI], size, v))) return rc;
      c->r[RSI] += step;
      c->r[RDI] += step;
      break;
    case 0xAA: case 0xAB: // stos
      if ((rc = st(c, c->r[RDI], size, c->r[RAX]))) return rc;
      c->r[RDI] += step;
      break;
    case 0xAC: case 0xAD: // lods
      v = ld(c, c->r[RSI] + srcseg, size);
    if (faulted(c)) return STOP_PAGEFAULT;
      setreg(c, in, RAX, size, v);
      c->r[RSI] += step;
      break;
    case 0xAE: case 0xAF: // scas
      v = ld(c, c->r[RDI], size);
    if (faulted(c)) return STOP_PAGEFAULT;
      alu(c, 7, size, getreg(c, in, RAX, size), v);
      c->r[RDI] += step;
      break;
    default: // A6/A7 cmps
      v = ld(c, c->r[RSI] + srcseg, size);
    if (faulted(c)) return STOP_PAGEFAULT;
      w = ld(c, c->r[RDI], size);
    if (faulted(c)) return STOP_PAGEFAULT;
      alu(c, 7, size, v, w);
      c->r[RSI] += step;
      c->r[RDI] += step;
      break;
    }
    if (!rep) return 0;
    c->r[RCX]--;
    if (opc == 0xA6 || opc == 0xA7 || opc == 0xAE || opc == 0xAF) {
      int zf = cond(c, 4);
      if ((in->pfx & PFX_F3) && !zf) return 0;
      if ((in->pfx & PFX_F2) && zf) return 0;
    }
  }
}

// 80-BF: immediate ALU, test, xchg, mov, lea, cbw/cwd, flags, strings.
NOINLINE int cpu_exec_80(struct cpu *c, const struct insn *in) {
  int opc = in->op, rc, size = in->osz;
  uint64_t a, b;
  switch (opc) {
  case 0x80: case 0x81: case 0x83: {
    size = opc == 0x80 ? 1 : size;
    int op = in->reg & 7;
    if (in->mod == 3) {
      a = getreg(c, in, in->rm, size);
      b = alu(c, op, size, a, in->imm);
      if (op != 7) setreg(c, in, in->rm, size, b);
      return 0;
    }
    uint64_t addr = ea(c, in);
    a = ld(c, addr, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    if (op == 7) {
      alu(c, op, size, a, in->imm);
      return 0;
    }
    if (!mm_wr(c->mm, addr)) return page_fault(c, addr, 1); // check before flags change
    return st(c, addr, size, alu(c, op, size, a, in->imm));
  }
  case 0x84: case 0x85:
    size = opc == 0x84 ? 1 : size;
    a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    set_lazy(c, LF_LOGIC, size, a & getreg(c, in, in->reg, size), 0, 0);
    return 0;
  case 0x86: case 0x87:
    size = opc == 0x86 ? 1 : size;
    a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    b = getreg(c, in, in->reg, size);
    if ((rc = set_rm(c, in, size, b))) return rc;
    setreg(c, in, in->reg, size, a);
    return 0;
  case 0x88: case 0x89:
    size = opc == 0x88 ? 1 : size;
    return set_rm(c, in, size, getreg(c, in, in->reg, size));
  case 0x8A: case 0x8B:
    size = opc == 0x8A ? 1 : size;
    a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    setreg(c, in, in->reg, size, a);
    return 0;
  case 0x8C: // mov r/m, Sreg: user-mode selectors of Linux x86-64
    a = (in->reg & 7) == 1 ? 0x33 : (in->reg & 7) == 2 ? 0x2b : 0;
    return set_rm(c, in, in->mod == 3 ? size : 2, a);
  case 0x8D:
    if (in->mod == 3) return STOP_UD;
    setreg(c, in, in->reg, size, ea(c, in));
    return 0;
  case 0x8E: return 0; // mov Sreg: null selectors are harmless here
  case 0x8F: {
    uint64_t sp = c->r[RSP];
    a = ld(c, sp, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    c->r[RSP] = sp + size; // the address is computed with the new RSP
    if ((rc = set_rm(c, in, size, a))) {
      c->r[RSP] = sp;
      return rc;
    }
    return 0;
  }
  case 0x90:
    if (!(in->rex & 1)) return 0; // nop, pause
    __attribute__((fallthrough)); // xchg r8, rax
  case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: {
    int r = (opc & 7) | ((in->rex & 1) << 3);
    a = getreg(c, in, r, size);
    setreg(c, in, r, size, getreg(c, in, RAX, size));
    setreg(c, in, RAX, size, a);
    return 0;
  }
  case 0x98:
    if (size == 2) setreg(c, in, RAX, 2, (uint64_t)(int64_t)(int8_t)c->r[RAX]);
    else if (size == 4) setreg(c, in, RAX, 4, (uint64_t)(int64_t)(int16_t)c->r[RAX]);
    else c->r[RAX] = (uint64_t)(int64_t)(int32_t)c->r[RAX];
    return 0;
  case 0x99:
    setreg(c, in, RDX, size, sext(c->r[RAX], size) < 0 ? ~(uint64_t)0 : 0);
    return 0;
  case 0x9B: // fwait: raises a pending unmasked x87 exception
    if (UNLIKELY(c->fpu.sw & ~c->fpu.cw & 0x3F)) {
      c->fpe_vector = 16;
      return STOP_FPE;
    }
    return 0;
  case 0x9C:
    return push(c, size, cpu_get_flags(c) & 0x3C0FD5);
  case 0x9D:
    a = ld(c, c->r[RSP], size);
    if (faulted(c)) return STOP_PAGEFAULT;
    c->r[RSP] += size;
    if (size == 2) a = (cpu_get_flags(c) & ~0xFFFFull) | a;
    cpu_set_flags(c, a);
    return 0;
  case 0x9E: // sahf
    flags_sync(c);
    c->flags = (c->flags & ~(F_SF | F_ZF | F_AF | F_PF | F_CF)) |
               ((c->r[RAX] >> 8) & (F_SF | F_ZF | F_AF | F_PF | F_CF));
    return 0;
  case 0x9F: // lahf
    setreg(c, in, 4, 1, (cpu_get_flags(c) & 0xD7) | 2); // AH (no REX here)
    if (in->rex) c->r[RAX] = (c->r[RAX] & ~0xFF00ull) | (((cpu_get_flags(c) & 0xD7) | 2) << 8);
    return 0;
  case 0xA0: case 0xA1: case 0xA2: case 0xA3: {
    size = (opc & 1) ? size : 1;
    uint64_t addr = in->imm + (in->seg == 4 ? c->fs_base : in->seg == 5 ? c->gs_base : 0);
    if (opc < 0xA2) {
      a = ld(c, addr, size);
    if (faulted(c)) return STOP_PAGEFAULT;
      setreg(c, in, RAX, size, a);
      return 0;
    }
    return st(c, addr, size, c->r[RAX]);
  }
  case 0xA8: case 0xA9:
    size = opc == 0xA8 ? 1 : size;
    set_lazy(c, LF_LOGIC, size, getreg(c, in, RAX, size) & in->imm & size_mask(size), 0, 0);
    return 0;
  case 0xA4: case 0xA5: case 0xA6: case 0xA7: case 0xAA: case 0xAB: case 0xAC: case 0xAD: case 0xAE:
  case 0xAF:
    return string_op(c, in);
  default:
    if (opc >= 0xB0 && opc <= 0xB7) {
      setreg(c, in, (opc & 7) | ((in->rex & 1) << 3), 1, in->imm);
      return 0;
    }
    if (opc >= 0xB8) {
      setreg(c, in, (opc & 7) | ((in->rex & 1) << 3), size, in->imm);
      return 0;
    }
    return STOP_UD;
  }
}

// Shifts and rotates: C0/C1/D0-D3 (SDM vol. 2, SAL/SAR/SHL/SHR and RCL/RCR/ROL/ROR).
static NOINLINE int shift_op(struct cpu *c, const struct insn *in, int size, unsigned count) {
  int op = in->reg & 7, rc;
  int bits = 8 * size;
  uint64_t m = size_mask(size), a, r;
  count &= size == 8 ? 63 : 31;
  if (!count) {
    if (in->mod != 3) { // still touches memory (may fault) but changes nothing
      uint64_t addr = ea(c, in);
      ld(c, addr, size);
      return faulted(c) ? STOP_PAGEFAULT : 0;
    }
    if (size == 4) setreg(c, in, in->rm, 4, getreg(c, in, in->rm, 4)); // upper half still zeroed
    return 0;
  }
  a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
  switch (op) {
  case 0: case 1: { // rol, ror
    unsigned n = count % bits;
    if (op == 0) r = n ? ((a << n) | (a >> (bits - n))) & m : a;
    else r = n ? ((a >> n) | (a << (bits - n))) & m : a;
    if (in->mod != 3 && (rc = st(c, ea(c, in), size, r))) return rc;
    if (in->mod == 3) setreg(c, in, in->rm, size, r);
    flags_sync(c);
    c->flags &= ~(F_CF | F_OF);
    int msb = (r >> (bits - 1)) & 1;
    if (op == 0) {
      if (r & 1) c->flags |= F_CF;
      if (msb ^ (r & 1)) c->flags |= F_OF;
    } else {
      if (msb) c->flags |= F_CF;
      if (msb ^ ((r >> (bits - 2)) & 1)) c->flags |= F_OF;
    }
    return 0;
  }
  case 2: case 3: { // rcl, rcr through CF
    unsigned n = size < 4 ? count % (bits + 1) : count;
    uint64_t cf = get_cf(c);
    int of;
    r = a;
    if (op == 2) {
      for (unsigned i = 0; i < n; i++) {
        uint64_t out = (r >> (bits - 1)) & 1;
        r = ((r << 1) | cf) & m;
        cf = out;
      }
      of = (int)(((r >> (bits - 1)) & 1) ^ cf);
    } else {
      of = (int)(((a >> (bits - 1)) & 1) ^ cf);
      for (unsigned i = 0; i < n; i++) {
        uint64_t out = r & 1;
        r = (r >> 1) | (cf << (bits - 1));
        cf = out;
      }
    }
    if (in->mod != 3 && (rc = st(c, ea(c, in), size, r))) return rc;
    if (in->mod == 3) setreg(c, in, in->rm, size, r);
    flags_sync(c);
    c->flags &= ~(F_CF | F_OF);
    if (cf) c->flags |= F_CF;
    if (of) c->flags |= F_OF;
    return 0;
  }
  case 4: case 6: r = count < 64 ? (a << count) & m : 0; break;
  case 5: r = count < 64 ? a >> count : 0; break;
  default: r = (uint64_t)(sext(a, size) >> (count < (unsigned)bits ? count : bits - 1)) & m; break;
  }
  if (in->mod != 3 && (rc = st(c, ea(c, in), size, r))) return rc;
  if (in->mod == 3) setreg(c, in, in->rm, size, r);
  set_lazy(c, op == 5 ? LF_SHR : op == 7 ? LF_SAR : LF_SHL, size, r, a, count);
  return 0;
}

static int grp3_div(struct cpu *c, const struct insn *in, uint64_t a);

// F6/F7: test, not, neg, mul, imul, div, idiv.
static NOINLINE int grp3(struct cpu *c, const struct insn *in) {
  int size = in->op == 0xF6 ? 1 : in->osz, rc;
  uint64_t a, m = size_mask(size);
  a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
  switch (in->reg & 7) {
  case 0: case 1: set_lazy(c, LF_LOGIC, size, a & in->imm & m, 0, 0); return 0;
  case 2: return set_rm(c, in, size, ~a & m);
  case 3:
    if ((rc = set_rm(c, in, size, (0 - a) & m))) return rc;
    set_lazy(c, LF_SUB, size, (0 - a) & m, 0, a);
    return 0;
  case 4: case 5: { // mul, imul
    int sign = (in->reg & 7) == 5, ovf;
    uint64_t lo, hi;
    if (size == 8) {
      lo = c->r[RAX] * a;
      if (sign) {
        hi = smulh((int64_t)c->r[RAX], (int64_t)a);
        ovf = hi != (uint64_t)((int64_t)lo >> 63);
      } else {
        hi = umulh(c->r[RAX], a);
        ovf = hi != 0;
      }
    } else {
      uint64_t p;
      if (sign) {
        int64_t sp = sext(c->r[RAX], size) * sext(a, size);
        p = (uint64_t)sp;
        ovf = sp != sext(p, size);
      } else {
        p = (c->r[RAX] & m) * a;
        ovf = (p >> (8 * size)) != 0;
      }
      lo = p & m;
      hi = (p >> (8 * size)) & m;
    }
    if (size == 1) {
      setreg(c, in, RAX, 2, (hi << 8) | lo);
    } else {
      setreg(c, in, RAX, size, lo);
      setreg(c, in, RDX, size, hi);
    }
    flags_sync(c);
    c->flags &= ~F_ARITH;
    if (ovf) c->flags |= F_CF | F_OF;
    if ((lo >> (8 * size - 1)) & 1) c->flags |= F_SF;
    if (!__builtin_parity((unsigned)(lo & 0xFF))) c->flags |= F_PF;
    return 0;
  }
  default: return grp3_div(c, in, a);
  }
}

// div and idiv (F6/F7 /6 /7): #DE on a zero divisor or a quotient overflow.
static NOINLINE int grp3_div(struct cpu *c, const struct insn *in, uint64_t a) {
  int size = in->op == 0xF6 ? 1 : in->osz;
  uint64_t m = size_mask(size);
  switch (in->reg & 7) {
  case 6: { // div
    if (!a) return STOP_DE;
    uint64_t q, r;
    if (size == 8) {
      unsigned __int128 n = ((unsigned __int128)c->r[RDX] << 64) | c->r[RAX];
      unsigned __int128 qq = n / a;
      if (qq >> 64) return STOP_DE;
      q = (uint64_t)qq;
      r = (uint64_t)(n % a);
    } else {
      uint64_t n = size == 1 ? (c->r[RAX] & 0xFFFF) : ((c->r[RDX] & m) << (8 * size)) | (c->r[RAX] & m);
      q = n / a;
      r = n % a;
      if (q > m) return STOP_DE;
    }
    if (size == 1) setreg(c, in, RAX, 2, (r << 8) | q);
    else {
      setreg(c, in, RAX, size, q);
      setreg(c, in, RDX, size, r);
    }
    return 0;
  }
  default: { // idiv
    int64_t d = sext(a, size);
    if (!d) return STOP_DE;
    int64_t q, r;
    if (size == 8) {
      __int128 n = (__int128)(((unsigned __int128)c->r[RDX] << 64) | c->r[RAX]);
      __int128 min = (__int128)((unsigned __int128)1 << 127);
      if (d == -1 && n == min) return STOP_DE;
      __int128 qq = d == -1 ? -n : n / d;
      if (qq != (__int128)(int64_t)qq) return STOP_DE;
      q = (int64_t)qq;
      r = (int64_t)(n % d);
    } else {
      int64_t n = size == 1 ? (int64_t)(int16_t)c->r[RAX]
                            : sext(((c->r[RDX] & m) << (8 * size)) | (c->r[RAX] & m), 2 * size);
      if (d == -1) { // n / -1 can overflow int64 (wasm traps on it)
        if (n == INT64_MIN) return STOP_DE;
        q = -n;
        r = 0;
      } else {
        q = n / d;
        r = n % d;
      }
      if (q != sext((uint64_t)q, size)) return STOP_DE;
    }
    if (size == 1) setreg(c, in, RAX, 2, (((uint64_t)r & 0xFF) << 8) | ((uint64_t)q & 0xFF));
    else {
      setreg(c, in, RAX, size, (uint64_t)q);
      setreg(c, in, RDX, size, (uint64_t)r);
    }
    return 0;
  }
  }
}

// FE/FF: inc, dec, call, jmp, push.
static NOINLINE int grp5(struct cpu *c, const struct insn *in) {
  int size = in->op == 0xFE ? 1 : in->osz, rc, op = in->reg & 7;
  uint64_t a;
  if (op == 2 || op == 4 || op == 6) size = 8;
  if (in->op == 0xFE && op > 1) return STOP_UD;
  a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
  switch (op) {
  case 0: case 1: {
    uint64_t r = (op == 0 ? a + 1 : a - 1) & size_mask(size);
    uint32_t cf = get_cf(c);
    if ((rc = set_rm(c, in, size, r))) return rc;
    c->flags = (c->flags & ~F_CF) | cf;
    set_lazy(c, op == 0 ? LF_INC : LF_DEC, size, r, a, 1);
    return 0;
  }
  case 2:
    if ((rc = push(c, 8, c->rip))) return rc;
    c->rip = a;
    return 0;
  case 4: c->rip = a; return 0;
  case 6: return push(c, in->pfx & PFX_66 ? 2 : 8, a);
  default: return STOP_UD;
  }
}

static NOINLINE int enter_op(struct cpu *c, const struct insn *in) {
  int level = in->imm2 & 31, rc;
  uint64_t rbp = c->r[RBP], sp0 = c->r[RSP];
  if ((rc = push(c, 8, rbp))) return rc;
  uint64_t frame = c->r[RSP];
  for (int i = 1; i < level; i++) {
    uint64_t v;
    v = ld(c, rbp - 8 * i, 8);
    if ((rc = faulted(c) ? STOP_PAGEFAULT : 0) || (rc = push(c, 8, v))) {
      c->r[RSP] = sp0;
      return rc;
    }
  }
  if (level && (rc = push(c, 8, frame))) {
    c->r[RSP] = sp0;
    return rc;
  }
  c->r[RBP] = frame;
  c->r[RSP] -= in->imm;
  return 0;
}

// C0-FF.
NOINLINE int cpu_exec_c0(struct cpu *c, const struct insn *in) {
  int opc = in->op, rc;
  uint64_t v;
  switch (opc) {
  case 0xC0: return shift_op(c, in, 1, (unsigned)in->imm & 0xFF);
  case 0xC1: return shift_op(c, in, in->osz, (unsigned)in->imm & 0xFF);
  case 0xD0: return shift_op(c, in, 1, 1);
  case 0xD1: return shift_op(c, in, in->osz, 1);
  case 0xD2: return shift_op(c, in, 1, c->r[RCX] & 0xFF);
  case 0xD3: return shift_op(c, in, in->osz, c->r[RCX] & 0xFF);
  case 0xC2: case 0xC3:
    v = ld(c, c->r[RSP], 8);
    if (faulted(c)) return STOP_PAGEFAULT;
    c->r[RSP] += 8 + (opc == 0xC2 ? in->imm : 0);
    c->rip = v;
    return 0;
  case 0xC6: case 0xC7: // mov r/m, imm is /0; /7 is xabort/xbegin (RTM, not reported): #UD
    if (UNLIKELY(in->reg & 7)) return STOP_UD;
    return set_rm(c, in, in->op == 0xC6 ? 1 : in->osz, in->imm);
  case 0xC8: return enter_op(c, in);
  case 0xC9:
    v = ld(c, c->r[RBP], 8);
    if (faulted(c)) return STOP_PAGEFAULT;
    c->r[RSP] = c->r[RBP] + 8;
    c->r[RBP] = v;
    return 0;
  case 0xCC: return STOP_INT3;
  case 0xCD: return STOP_GP; // int n: Linux gives SIGSEGV
  case 0xD7: // xlat
    v = ld(c, c->r[RBX] + (c->r[RAX] & 0xFF), 1);
    if (faulted(c)) return STOP_PAGEFAULT;
    setreg(c, in, RAX, 1, v);
    return 0;
  case 0xD8: case 0xD9: case 0xDA: case 0xDB: case 0xDC: case 0xDD: case 0xDE: case 0xDF:
    return cpu_exec_x87(c, in);
  case 0xE0: case 0xE1: case 0xE2: { // loopne, loope, loop
    uint64_t cx = (in->pfx & PFX_67) ? (uint32_t)(c->r[RCX] - 1) : c->r[RCX] - 1;
    if (in->pfx & PFX_67) c->r[RCX] = cx; else c->r[RCX] = cx;
    int take = cx != 0;
    if (opc == 0xE0) take = take && !cond(c, 4);
    if (opc == 0xE1) take = take && cond(c, 4);
    if (take) c->rip += in->imm;
    return 0;
  }
  case 0xE3:
    if (((in->pfx & PFX_67) ? (uint32_t)c->r[RCX] : c->r[RCX]) == 0) c->rip += in->imm;
    return 0;
  case 0xE8:
    if ((rc = push(c, 8, c->rip))) return rc;
    c->rip += in->imm;
    return 0;
  case 0xE9: case 0xEB: c->rip += in->imm; return 0;
  case 0xF4: return STOP_HLT;
  case 0xF5: flags_sync(c); c->flags ^= F_CF; return 0;
  case 0xF6: case 0xF7: return grp3(c, in);
  case 0xF8: flags_sync(c); c->flags &= ~F_CF; return 0;
  case 0xF9: flags_sync(c); c->flags |= F_CF; return 0;
  case 0xFC: c->flags &= ~F_DF; return 0;
  case 0xFD: c->flags |= F_DF; return 0;
  case 0xFE: case 0xFF: return grp5(c, in);
  default: return opc == 0xFA || opc == 0xFB || (opc >= 0xE4 && opc <= 0xE7) || opc >= 0xEC ? STOP_GP : STOP_UD;
  }
}
