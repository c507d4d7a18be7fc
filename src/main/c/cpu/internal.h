// SPDX-License-Identifier: MIT
// Helpers shared by the CPU's exec files: effective addresses, register and
// memory operands of every size, lazy flags. Everything here is static inline
// and small: it sits on the per-instruction path. Not for use outside cpu/.
#ifndef XOS_CPU_INTERNAL_H
#define XOS_CPU_INTERNAL_H

#include <string.h>

#include "cpu.h"

#define BASE_NONE 0xFF
#define BASE_RIP 0xFE

#define NOINLINE __attribute__((noinline))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

static inline uint64_t size_mask(int size) { return size == 8 ? ~(uint64_t)0 : (((uint64_t)1 << (8 * size)) - 1); }
static inline int64_t sext(uint64_t v, int size) {
  int sh = 64 - 8 * size;
  return (int64_t)(v << sh) >> sh;
}

// High halves of 64x64-bit products, from 32-bit pieces: in wasm a 128-bit
// multiply is a runtime call returning through the shadow stack.
static inline uint64_t umulh(uint64_t a, uint64_t b) {
  uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
  uint64_t p0 = al * bl, p1 = al * bh, p2 = ah * bl, p3 = ah * bh;
  uint64_t mid = (p0 >> 32) + (uint32_t)p1 + (uint32_t)p2;
  return p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}
static inline uint64_t smulh(int64_t a, int64_t b) {
  uint64_t h = umulh((uint64_t)a, (uint64_t)b);
  if (a < 0) h -= (uint64_t)b;
  if (b < 0) h -= (uint64_t)a;
  return h;
}

// Effective address of a memory operand. cpu->rip already points past the
// instruction, which is what RIP-relative addressing wants.
static inline uint64_t ea(struct cpu *c, const struct insn *in) {
  uint64_t a = (uint64_t)(int64_t)in->disp;
  if (in->base < 16) a += c->r[in->base];
  else if (in->base == BASE_RIP) a += c->rip;
  if (in->index != BASE_NONE) a += c->r[in->index] << in->scale;
  if (UNLIKELY(in->pfx & PFX_67)) a = (uint32_t)a;
  if (UNLIKELY(in->seg)) a += in->seg == 4 ? c->fs_base : c->gs_base;
  return a;
}

// A fault inside an instruction sets cpu->pf and the handler returns
// STOP_PAGEFAULT; cpu_run clears it. Loads return their value (not through a
// pointer): in wasm an address-taken local lives on the shadow stack in
// linear memory, which costs on every instruction.
static inline int page_fault(struct cpu *c, uint64_t addr, int write) {
  c->fault_addr = addr;
  c->fault_write = write;
  c->pf = 1;
  return STOP_PAGEFAULT;
}
static inline int faulted(struct cpu *c) { return UNLIKELY(c->pf != 0); }

uint64_t cpu_ld_slow(struct cpu *c, uint64_t a, int size);
int cpu_st_slow(struct cpu *c, uint64_t a, int size, uint64_t v);
int cpu_ldn_slow(struct cpu *c, uint64_t a, int n, void *v);
int cpu_stn_slow(struct cpu *c, uint64_t a, int n, const void *v);

// Loads of 1, 2, 4 or 8 bytes (zero-extended); 0 and cpu->pf set on a fault.
static inline uint64_t ld(struct cpu *c, uint64_t a, int size) {
  if (LIKELY((a & PAGE_MASK) <= PAGE_SIZE - size)) {
    uint8_t *p = mm_rd(c->mm, a);
    if (UNLIKELY(!p)) {
      page_fault(c, a, 0);
      return 0;
    }
    switch (size) {
    case 1: return *p;
    case 2: { uint16_t x; memcpy(&x, p, 2); return x; }
    case 4: { uint32_t x; memcpy(&x, p, 4); return x; }
    default: { uint64_t x; memcpy(&x, p, 8); return x; }
    }
  }
  return cpu_ld_slow(c, a, size);
}

// Stores: 0 or STOP_PAGEFAULT (nothing written on a fault).
static inline int st(struct cpu *c, uint64_t a, int size, uint64_t v) {
  if (LIKELY((a & PAGE_MASK) <= PAGE_SIZE - size)) {
    uint8_t *p = mm_wr(c->mm, a);
    if (UNLIKELY(!p)) return page_fault(c, a, 1);
    switch (size) {
    case 1: *p = (uint8_t)v; break;
    case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
    return 0;
  }
  return cpu_st_slow(c, a, size, v);
}

// Loads/stores of n bytes (SSE: 4, 8, 16).
static inline int ldn(struct cpu *c, uint64_t a, int n, void *v) {
  if (LIKELY((a & PAGE_MASK) <= PAGE_SIZE - n)) {
    uint8_t *p = mm_rd(c->mm, a);
    if (UNLIKELY(!p)) return page_fault(c, a, 0);
    memcpy(v, p, n);
    return 0;
  }
  return cpu_ldn_slow(c, a, n, v);
}

// A 16-byte SSE source operand, register or memory. align: legacy SSE packed
// ops fault on misaligned memory operands (SDM vol. 1, 4.1.1).
static inline int src128(struct cpu *c, const struct insn *in, union xmm *t, int align) {
  if (in->mod == 3) {
    memcpy(t, &c->xmm[in->rm], 16);
    return 0;
  }
  uint64_t a = ea(c, in);
  if (align && (a & 15)) return STOP_GP;
  return ldn(c, a, 16, t);
}
static inline int stn(struct cpu *c, uint64_t a, int n, const void *v) {
  if (LIKELY((a & PAGE_MASK) <= PAGE_SIZE - n)) {
    uint8_t *p = mm_wr(c->mm, a);
    if (UNLIKELY(!p)) return page_fault(c, a, 1);
    memcpy(p, v, n);
    return 0;
  }
  return cpu_stn_slow(c, a, n, v);
}

// General registers by operand size. Byte registers 4-7 without REX are
// AH, CH, DH, BH (SDM vol. 1, 3.4.1.1).
static inline uint64_t getreg(struct cpu *c, const struct insn *in, int r, int size) {
  switch (size) {
  case 1:
    if (!in->rex && r >= 4 && r < 8) return (c->r[r - 4] >> 8) & 0xFF;
    return c->r[r] & 0xFF;
  case 2: return c->r[r] & 0xFFFF;
  case 4: return (uint32_t)c->r[r];
  default: return c->r[r];
  }
}

static inline void setreg(struct cpu *c, const struct insn *in, int r, int size, uint64_t v) {
  switch (size) {
  case 1:
    if (!in->rex && r >= 4 && r < 8)
      c->r[r - 4] = (c->r[r - 4] & ~(uint64_t)0xFF00) | ((v & 0xFF) << 8);
    else
      c->r[r] = (c->r[r] & ~(uint64_t)0xFF) | (v & 0xFF);
    break;
  case 2: c->r[r] = (c->r[r] & ~(uint64_t)0xFFFF) | (v & 0xFFFF); break;
  case 4: c->r[r] = (uint32_t)v; break; // 32-bit writes zero the upper half
  default: c->r[r] = v; break;
  }
}

// The r/m operand (loads set cpu->pf on a fault, like ld).
static inline uint64_t get_rm(struct cpu *c, const struct insn *in, int size) {
  if (in->mod == 3) return getreg(c, in, in->rm, size);
  return ld(c, ea(c, in), size);
}
static inline int set_rm(struct cpu *c, const struct insn *in, int size, uint64_t v) {
  if (in->mod == 3) {
    setreg(c, in, in->rm, size, v);
    return 0;
  }
  return st(c, ea(c, in), size, v);
}

// Lazy flags.
static inline void set_lazy(struct cpu *c, int op, int size, uint64_t res, uint64_t a, uint64_t b) {
  c->lf_op = op;
  c->lf_size = size;
  c->lf_res = res;
  c->lf_a = a;
  c->lf_b = b;
}

uint32_t cpu_lazy_flags(struct cpu *c); // the six arithmetic flags
int cpu_cond_slow(struct cpu *c, int cc);

static inline uint32_t get_cf(struct cpu *c) {
  if (c->lf_op == LF_NONE) return c->flags & F_CF;
  return cpu_lazy_flags(c) & F_CF;
}

// Materialises the lazy arithmetic flags into c->flags.
static inline void flags_sync(struct cpu *c) {
  if (c->lf_op != LF_NONE) {
    c->flags = (c->flags & ~F_ARITH) | cpu_lazy_flags(c);
    c->lf_op = LF_NONE;
  }
}

// Condition codes 0-15 (SDM vol. 1, appendix B). Compare and test results
// are answered straight from the operands.
static inline int cond(struct cpu *c, int cc) {
  if (c->lf_op == LF_SUB) {
    int sz = c->lf_size;
    uint64_t a = c->lf_a, b = c->lf_b;
    switch (cc) {
    case 2: return a < b;
    case 3: return a >= b;
    case 4: return a == b;
    case 5: return a != b;
    case 6: return a <= b;
    case 7: return a > b;
    case 12: return sext(a, sz) < sext(b, sz);
    case 13: return sext(a, sz) >= sext(b, sz);
    case 14: return sext(a, sz) <= sext(b, sz);
    case 15: return sext(a, sz) > sext(b, sz);
    }
  } else if (c->lf_op == LF_LOGIC) {
    int sz = c->lf_size;
    uint64_t r = c->lf_res;
    switch (cc) {
    case 4: return r == 0;
    case 5: return r != 0;
    case 8: case 12: return sext(r, sz) < 0;
    case 9: case 13: return sext(r, sz) >= 0;
    case 14: return sext(r, sz) <= 0;
    case 15: return sext(r, sz) > 0;
    }
  }
  return cpu_cond_slow(c, cc);
}

// Pushes and pops of 8 (or 2 with 66) bytes.
static inline int push(struct cpu *c, int size, uint64_t v) {
  uint64_t sp = c->r[RSP] - size;
  int rc = st(c, sp, size, v);
  if (rc) return rc;
  c->r[RSP] = sp;
  return 0;
}

// AVX (VEX-encoded vectors). VEX.L selects 16 or 32 bytes; a VEX write
// zeroes the destination above the operation's width up to 32 bytes, while
// legacy SSE writes leave bytes 16-31 alone (SDM vol. 1, 14.1.3 and 15.5).
static inline int vlen(const struct insn *in) { return in->vex_l ? 32 : 16; }
// The r/m vector operand: a register gives its whole 32 bytes; memory gives
// n bytes (the rest of t zeroed). VEX never checks alignment except for the
// vmovap*/vmovdqa/vmovnt* forms, which call valigned first.
static inline int vsrc(struct cpu *c, const struct insn *in, union xmm *t, int n) {
  if (in->mod == 3) {
    memcpy(t, &c->xmm[in->rm], 32);
    return 0;
  }
  if (n < 32) memset(t->b + n, 0, 32 - n);
  return ldn(c, ea(c, in), n, t);
}
static inline int valigned(struct cpu *c, const struct insn *in, int n) {
  return in->mod == 3 || !(ea(c, in) & (uint64_t)(n - 1));
}
// Writes n bytes (4, 8, 16, 32) of v to register r and zeroes the rest.
static inline void vset(struct cpu *c, int r, const union xmm *v, int n) {
  union xmm *d = &c->xmm[r];
  if (d != v) memmove(d, v, n);
  if (n < 32) memset(d->b + n, 0, 32 - n);
}
// cmpps/pd predicates 0-31: which of less, equal, greater, unordered make
// it true (16-31 repeat 0-15 and differ only in which inputs signal).
static inline int cpu_cmp_pred(int pred, double a, double b) {
  int un = a != a || b != b, lt = a < b, eq = a == b;
  switch (pred & 15) {
  case 0: return eq;
  case 1: return lt;
  case 2: return lt || eq;
  case 3: return un;
  case 4: return !eq;
  case 5: return !lt;
  case 6: return !(lt || eq);
  case 7: return !un;
  case 8: return un || eq;
  case 9: return un || lt;
  case 10: return un || lt || eq;
  case 11: return 0;
  case 12: return !un && !eq;
  case 13: return !un && !lt;
  case 14: return !un && !lt && !eq;
  default: return 1;
  }
}
int cpu_avx_int(struct cpu *c, const struct insn *in); // AVX/AVX2 integer (avx_int.c)
int cpu_avx_fp(struct cpu *c, const struct insn *in);  // AVX float, FMA, F16C (avx_fp.c)

// SSE/MMX opcodes of the 0F map (cpu_exec_0f hands them to cpu_exec_sse;
// the run loop sends them there directly).
static inline int cpu_is_sse_0f(int op2) {
  return (op2 >= 0x10 && op2 <= 0x17) || (op2 >= 0x28 && op2 <= 0x2F) || (op2 >= 0x50 && op2 <= 0x7F) ||
         (op2 >= 0xC2 && op2 <= 0xC6 && op2 != 0xC3) || op2 >= 0xD0;
}

// Exec groups (each a separate, noinline function; see exec.c).
int cpu_exec_sse(struct cpu *c, const struct insn *in);
int cpu_exec_x87(struct cpu *c, const struct insn *in);
int cpu_exec_vex(struct cpu *c, const struct insn *in);     // VEX-encoded (sse4.c)
int cpu_sse3(struct cpu *c, const struct insn *in);         // SSE3 (sse4.c)
int cpu_exec_mmx(struct cpu *c, const struct insn *in);     // MMX (mmx.c)
int cpu_sse_int_op(union xmm *d, const union xmm *a, const union xmm *s, int op2);
int cpu_ssse3_op(union xmm *d, const union xmm *a, const union xmm *s, int op);
int cpu_exec_0f38(struct cpu *c, const struct insn *in);    // legacy 0F38/0F3A maps (sse4.c)
int cpu_sse42_str(struct cpu *c, const struct insn *in, int op);
int cpu_rcp(struct cpu *c, const struct insn *in); // rcp/rsqrt ps/ss, legacy and VEX (rcp.c)
uint32_t cpu_rcp_bits(uint32_t x);                // RCPSS of one operand
uint32_t cpu_rsqrt_bits(uint32_t x);              // RSQRTSS of one operand // pcmp[ei]str[im], legacy and VEX (sse4.c)
int cpu_exec_gpr38(struct cpu *c, const struct insn *in);   // movbe, crc32, adcx/adox (bmi.c)
int cpu_exec_vex_gpr(struct cpu *c, const struct insn *in); // BMI1/BMI2 (bmi.c)
void cpu_x87_init(struct cpu *c);
int cpu_exec_xsave(struct cpu *c, const struct insn *in, int kind); // xsave.c
// Under a non-default MXCSR (see mxcsr_special): arithmetic (mxcsr.c),
// conversions, compares and round (mxcsr_cvt.c), legacy and VEX forms.
int cpu_sse_float_mx(struct cpu *c, const struct insn *in);
int cpu_avx_arith_mx(struct cpu *c, const struct insn *in);
int cpu_avx_fma_mx(struct cpu *c, const struct insn *in);
int cpu_sse3_mx(struct cpu *c, const struct insn *in);
int cpu_avx_horiz_mx(struct cpu *c, const struct insn *in);
int cpu_sse_dp_mx(struct cpu *c, const struct insn *in, int op);
int cpu_avx_dp_mx(struct cpu *c, const struct insn *in);
int cpu_sse_cvt_mx(struct cpu *c, const struct insn *in);
int cpu_sse_round_mx(struct cpu *c, const struct insn *in, int op);
int cpu_avx_cvt_mx(struct cpu *c, const struct insn *in);
int cpu_avx_cmp_mx(struct cpu *c, const struct insn *in);
int cpu_avx_round_mx(struct cpu *c, const struct insn *in);
// MXCSR control bits other than Linux's default (all masked, nearest, no DAZ/FTZ).
static inline int mxcsr_special(const struct cpu *c) { return (c->mxcsr & 0xFFC0) != 0x1F80; }
// fxsave/fxrstor 512-byte image (also used by signal frames).
void cpu_fxsave(struct cpu *c, uint8_t *img);
void cpu_fxrstor(struct cpu *c, const uint8_t *img);

#endif
