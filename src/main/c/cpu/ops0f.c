// SPDX-License-Identifier: MIT
// Two-byte (0F) opcode map, integer and system part: syscall, cmovcc, jcc,
// setcc, bit tests and scans, shld/shrd, imul, cmpxchg, xadd, movzx/movsx,
// bswap, cpuid, rdtsc, fences and the fxsave family. SSE opcodes of the
// same map go to sse.c.
#include "internal.h"

static NOINLINE int bit_op(struct cpu *c, const struct insn *in) {
  int size = in->osz, rc, op;
  int64_t off;
  if (in->op == 0x1BA) {
    op = in->reg & 7;
    if (op < 4) return STOP_UD;
    op -= 4;
    off = (int64_t)(in->imm & (8 * size - 1));
  } else {
    op = (in->op >> 3) & 3; // A3 bt, AB bts, B3 btr, BB btc
    off = sext(getreg(c, in, in->reg, size), size);
  }
  uint64_t a, addr = 0;
  if (in->mod == 3) {
    off &= 8 * size - 1;
    a = getreg(c, in, in->rm, size);
  } else {
    // A register bit offset reaches beyond the operand (SDM vol. 2, BT).
    addr = ea(c, in);
    if (in->op != 0x1BA) {
      addr += (uint64_t)((off >> (size == 8 ? 6 : size == 4 ? 5 : 4)) * size);
      off &= 8 * size - 1;
    }
    a = ld(c, addr, size);
    if (faulted(c)) return STOP_PAGEFAULT;
  }
  uint64_t bit = (uint64_t)1 << off;
  uint64_t r = a;
  if (op == 1) r |= bit;
  else if (op == 2) r &= ~bit;
  else if (op == 3) r ^= bit;
  if (op) {
    if (in->mod == 3) setreg(c, in, in->rm, size, r);
    else if ((rc = st(c, addr, size, r))) return rc;
  }
  flags_sync(c);
  c->flags = (c->flags & ~F_CF) | ((a & bit) ? F_CF : 0);
  return 0;
}

static NOINLINE int shd_op(struct cpu *c, const struct insn *in) {
  int size = in->osz, bits = 8 * size, rc;
  unsigned count = (in->op & 1) ? (unsigned)c->r[RCX] : (unsigned)in->imm;
  count &= size == 8 ? 63 : 31;
  uint64_t a, m = size_mask(size);
  a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
  if (!count) { // no flags change, but a 32-bit register is still written (upper half zeroed)
    if (in->mod == 3 && size == 4) setreg(c, in, in->rm, 4, a);
    return 0;
  }
  uint64_t b = getreg(c, in, in->reg, size), r;
  int cf;
  int left = in->op < 0x1A8;
  // A 16-bit count above 16 gives an undefined result; this funnels through
  // the 32-bit pair like the SDM's pseudocode.
  if (left) {
    unsigned __int128 w = ((unsigned __int128)a << bits) | b;
    r = (uint64_t)((w << count) >> bits) & m;
    cf = count <= (unsigned)bits ? (int)((a >> (bits - count)) & 1) : (int)((b >> (2 * bits - count)) & 1);
  } else {
    unsigned __int128 w = ((unsigned __int128)b << bits) | a;
    r = (uint64_t)(w >> count) & m;
    cf = (int)((w >> (count - 1)) & 1);
  }
  if ((rc = set_rm(c, in, size, r))) return rc;
  flags_sync(c);
  c->flags &= ~F_ARITH;
  if (cf) c->flags |= F_CF;
  if (((r ^ a) >> (bits - 1)) & 1) c->flags |= F_OF;
  if (!(r & m)) c->flags |= F_ZF;
  if ((r >> (bits - 1)) & 1) c->flags |= F_SF;
  if (!__builtin_parity((unsigned)(r & 0xFF))) c->flags |= F_PF;
  return 0;
}

static NOINLINE int cmpxchg_op(struct cpu *c, const struct insn *in) {
  int rc;
  if (in->op == 0x1C7) { // cmpxchg8b / cmpxchg16b (/1), xsavec (/4), rdrand/rdseed (/6, /7)
    int sub = in->reg & 7;
    if (sub == 4 && in->mod != 3) return cpu_exec_xsave(c, in, 'c');
    if ((sub == 6 || sub == 7) && in->mod == 3 && !(in->pfx & (PFX_F2 | PFX_F3 | PFX_LOCK))) {
      // rdrand/rdseed r16/32/64: always a value (CF=1), from the host's random source
      uint64_t v = 0;
      cpu_random(&v, in->osz);
      setreg(c, in, in->rm, in->osz, v);
      c->lf_op = LF_NONE;
      c->flags = (c->flags & ~F_ARITH) | F_CF;
      return 0;
    }
    if (sub != 1 || in->mod == 3) return STOP_UD;
    uint64_t addr = ea(c, in);
    int n = (in->pfx & PFX_REXW) ? 16 : 8;
    if (n == 16 && (addr & 15)) return STOP_GP;
    uint64_t *m = c->tmpx[0].q;
    m[0] = m[1] = 0;
    if ((rc = ldn(c, addr, n, m))) return rc;
    int eq;
    if (n == 16) {
      eq = m[0] == c->r[RAX] && m[1] == c->r[RDX];
      if (eq) {
        uint64_t *nv = c->tmpx[1].q;
        nv[0] = c->r[RBX];
        nv[1] = c->r[RCX];
        if ((rc = stn(c, addr, 16, nv))) return rc;
      } else {
        if ((rc = stn(c, addr, 16, m))) return rc;
        c->r[RAX] = m[0];
        c->r[RDX] = m[1];
      }
    } else {
      uint64_t cur = m[0];
      uint64_t want = ((uint64_t)(uint32_t)c->r[RDX] << 32) | (uint32_t)c->r[RAX];
      eq = cur == want;
      if (eq) {
        if ((rc = st(c, addr, 8, ((uint64_t)(uint32_t)c->r[RCX] << 32) | (uint32_t)c->r[RBX]))) return rc;
      } else {
        if ((rc = st(c, addr, 8, cur))) return rc;
        c->r[RAX] = (uint32_t)cur;
        c->r[RDX] = cur >> 32;
      }
    }
    flags_sync(c);
    c->flags = (c->flags & ~F_ZF) | (eq ? F_ZF : 0);
    return 0;
  }
  int size = in->op == 0x1B0 ? 1 : in->osz;
  uint64_t d, acc = getreg(c, in, RAX, size);
  d = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
  if (acc == d) {
    if ((rc = set_rm(c, in, size, getreg(c, in, in->reg, size)))) return rc;
  } else {
    if (in->mod != 3 && (rc = st(c, ea(c, in), size, d))) return rc; // the locked cycle always writes
    setreg(c, in, RAX, size, d);
  }
  set_lazy(c, LF_SUB, size, (acc - d) & size_mask(size), acc, d);
  return 0;
}

static NOINLINE int cpuid_op(struct cpu *c) {
  uint32_t out[4];
  cpu_cpuid((uint32_t)c->r[RAX], (uint32_t)c->r[RCX], out);
  c->r[RAX] = out[0];
  c->r[RBX] = out[1];
  c->r[RCX] = out[2];
  c->r[RDX] = out[3];
  return 0;
}

static NOINLINE int misc_op(struct cpu *c, const struct insn *in) {
  int op2 = in->op & 0xFF, rc, size = in->osz;
  uint64_t a, b;
  switch (op2) {
  case 0xAF: { // imul r, r/m
    b = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    int64_t x = sext(getreg(c, in, in->reg, size), size), y = sext(b, size), r;
    int ovf;
    if (size == 8) {
      r = (int64_t)((uint64_t)x * (uint64_t)y);
      ovf = smulh(x, y) != (uint64_t)(r >> 63);
    } else {
      int64_t p = x * y;
      r = sext((uint64_t)p, size);
      ovf = p != r;
    }
    setreg(c, in, in->reg, size, (uint64_t)r);
    flags_sync(c);
    c->flags &= ~F_ARITH;
    if (ovf) c->flags |= F_CF | F_OF;
    if ((((uint64_t)r) >> (8 * size - 1)) & 1) c->flags |= F_SF;
    if (!__builtin_parity((unsigned)(r & 0xFF))) c->flags |= F_PF;
    return 0;
  }
  case 0xB6: case 0xB7: case 0xBE: case 0xBF: {
    int ss = (op2 & 1) ? 2 : 1;
    a = get_rm(c, in, ss);
    if (faulted(c)) return STOP_PAGEFAULT;
    if (op2 >= 0xBE) a = (uint64_t)sext(a, ss);
    setreg(c, in, in->reg, size, a);
    return 0;
  }
  case 0xB8: { // popcnt (F3)
    if (!(in->pfx & PFX_F3)) return STOP_UD;
    a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    setreg(c, in, in->reg, size, (uint64_t)__builtin_popcountll(a));
    c->lf_op = LF_NONE;
    c->flags = (c->flags & ~F_ARITH) | (a ? 0 : F_ZF);
    return 0;
  }
  case 0xBC: case 0xBD: { // bsf, bsr; with F3 tzcnt, lzcnt (BMI1, LZCNT)
    a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    flags_sync(c);
    if (in->pfx & PFX_F3) {
      int bits = 8 * size;
      uint64_t n = !a ? (uint64_t)bits
                   : op2 == 0xBC ? (uint64_t)__builtin_ctzll(a) : (uint64_t)(__builtin_clzll(a) - (64 - bits));
      setreg(c, in, in->reg, size, n);
      c->flags &= ~(F_CF | F_ZF); // OF SF AF PF undefined: left as they were
      if (!a) c->flags |= F_CF;
      if (!n) c->flags |= F_ZF;
      return 0;
    }
    if (!a) {
      c->flags |= F_ZF;
      return 0;
    }
    c->flags &= ~F_ZF;
    setreg(c, in, in->reg, size, op2 == 0xBC ? (uint64_t)__builtin_ctzll(a) : (uint64_t)(63 - __builtin_clzll(a)));
    return 0;
  }
  case 0xC0: case 0xC1: { // xadd
    size = op2 == 0xC0 ? 1 : size;
    a = get_rm(c, in, size);
    if (faulted(c)) return STOP_PAGEFAULT;
    b = getreg(c, in, in->reg, size);
    uint64_t r = (a + b) & size_mask(size);
    if (in->mod == 3) { // source first: with one register for both, the sum wins
      setreg(c, in, in->reg, size, a);
      setreg(c, in, in->rm, size, r);
    } else {
      if ((rc = st(c, ea(c, in), size, r))) return rc;
      setreg(c, in, in->reg, size, a);
    }
    set_lazy(c, LF_ADD, size, r, a, b);
    return 0;
  }
  case 0xA2: return cpuid_op(c);
  case 0x31: { // rdtsc: derived from retired instructions, so runs replay
    uint64_t t = c->tsc + c->icount * 3;
    c->r[RAX] = (uint32_t)t;
    c->r[RDX] = t >> 32;
    return 0;
  }
  case 0x01:
    if (in->mod == 3 && in->rm == 0 && (in->reg & 7) == 2) { // xgetbv
      if ((uint32_t)c->r[RCX] != 0) return STOP_GP;
      c->r[RAX] = (uint32_t)CPU_XCR0; // x87 | SSE | AVX
      c->r[RDX] = 0;
      return 0;
    }
    if (in->mod == 3 && (in->reg & 7) == 7 && (in->rm & 7) == 1) { // rdtscp
      uint64_t t = c->tsc + c->icount * 3;
      c->r[RAX] = (uint32_t)t;
      c->r[RDX] = t >> 32;
      c->r[RCX] = 0;
      return 0;
    }
    return STOP_UD;
  case 0xAE: {
    int sub = in->reg & 7;
    if (in->mod == 3) return sub >= 5 ? 0 : STOP_UD; // lfence, mfence, sfence
    uint64_t addr = ea(c, in);
    switch (sub) {
    case 0: case 1: { // fxsave, fxrstor
      if (addr & 15) return STOP_GP;
      uint8_t *img = c->fxbuf;
      if (sub == 0) {
        cpu_fxsave(c, img);
        return stn(c, addr, 512, img) ? page_fault(c, c->fault_addr, 1) : 0;
      }
      if ((rc = ldn(c, addr, 512, img))) return rc;
      cpu_fxrstor(c, img);
      return 0;
    }
    case 2:
      a = ld(c, addr, 4);
    if (faulted(c)) return STOP_PAGEFAULT;
      if (a & 0xFFFF0000u) return STOP_GP;
      c->mxcsr = (uint32_t)a;
      return 0;
    case 3: return st(c, addr, 4, c->mxcsr);
    case 7: return 0; // clflush
    case 4: case 5: case 6: return cpu_exec_xsave(c, in, sub);
    default: return STOP_UD;
    }
  }
  case 0xC8: case 0xC9: case 0xCA: case 0xCB: case 0xCC: case 0xCD: case 0xCE: case 0xCF: {
    int r = (op2 & 7) | ((in->rex & 1) << 3);
    if (size == 8) c->r[r] = __builtin_bswap64(c->r[r]);
    else if (size == 4) c->r[r] = __builtin_bswap32((uint32_t)c->r[r]);
    else setreg(c, in, r, 2, 0); // 16-bit bswap is undefined; hardware gives 0
    return 0;
  }
  case 0xC3: // movnti
    if (in->mod == 3 || size == 2 || (in->pfx & (PFX_F2 | PFX_F3))) return STOP_UD;
    return st(c, ea(c, in), size, getreg(c, in, in->reg, size));
  case 0xA0: case 0xA8: return push(c, size, 0);
  case 0xA1: case 0xA9: c->r[RSP] += size; return 0;
  default: return STOP_UD;
  }
}

NOINLINE int cpu_exec_0f(struct cpu *c, const struct insn *in) {
  int op2 = in->op & 0xFF;
  uint64_t a;
  if (cpu_is_sse_0f(op2)) return cpu_exec_sse(c, in);
  if (op2 >= 0x80 && op2 <= 0x8F) {
    if (cond(c, op2 & 15)) c->rip += in->imm;
    return 0;
  }
  if (op2 >= 0x40 && op2 <= 0x4F) {
    a = get_rm(c, in, in->osz);
    if (faulted(c)) return STOP_PAGEFAULT;
    if (cond(c, op2 & 15)) setreg(c, in, in->reg, in->osz, a);
    else if (in->osz == 4) c->r[in->reg] = (uint32_t)c->r[in->reg];
    return 0;
  }
  if (op2 >= 0x90 && op2 <= 0x9F) return set_rm(c, in, 1, cond(c, op2 & 15));
  switch (op2) {
  case 0x05: return STOP_SYSCALL;
  case 0x0B: return STOP_UD;
  case 0x0D: case 0x18: case 0x19: case 0x1A: case 0x1B: case 0x1C: case 0x1D: case 0x1E: case 0x1F:
    return 0; // prefetch, hint nops, endbr64
  case 0x77: return cpu_exec_sse(c, in);
  case 0xA3: case 0xAB: case 0xB3: case 0xBB: case 0xBA: return bit_op(c, in);
  case 0xA4: case 0xA5: case 0xAC: case 0xAD: return shd_op(c, in);
  case 0xB0: case 0xB1: case 0xC7: return cmpxchg_op(c, in);
  default: return misc_op(c, in);
  }
}
