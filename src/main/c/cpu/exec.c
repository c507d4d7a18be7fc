// SPDX-License-Identifier: MIT
// The run loop: fetch through the decoded-instruction cache, dispatch to the
// opcode groups, count retired instructions, stop with a reason. Also the
// slow (page-crossing) memory accessors. Keeps nothing Linux-specific.
#include <stddef.h>
#include <stdlib.h>

#include "internal.h"

int cpu_exec_alu(struct cpu *c, const struct insn *in);
int cpu_exec_40(struct cpu *c, const struct insn *in);
int cpu_exec_80(struct cpu *c, const struct insn *in);
int cpu_exec_c0(struct cpu *c, const struct insn *in);
int cpu_exec_0f(struct cpu *c, const struct insn *in);

void cpu_init(struct cpu *c, struct mm *mm) {
  struct block_entry *blocks = c->blocks;
  struct insn *pool = c->pool;
  uint32_t mask = c->block_mask, cap = c->pool_cap;
  memset(c, 0, sizeof(*c));
  c->mm = mm;
  c->flags = F_IF;
  c->mxcsr = 0x1F80;
  if (!blocks || !pool) {
    free(blocks);
    free(pool);
    mask = BLOCK_TABLE - 1;
    cap = INSN_POOL;
    blocks = calloc(BLOCK_TABLE, sizeof(struct block_entry));
    pool = calloc(INSN_POOL, sizeof(struct insn));
  }
  c->blocks = blocks;
  c->pool = pool;
  c->block_mask = mask;
  c->pool_cap = cap;
  cpu_flush_code(c);
  cpu_x87_init(c);
}

void cpu_free(struct cpu *c) {
  free(c->blocks);
  free(c->pool);
  c->blocks = NULL;
  c->pool = NULL;
}

NOINLINE void cpu_flush_code(struct cpu *c) {
  if (c->blocks) memset(c->blocks, 0, ((size_t)c->block_mask + 1) * sizeof(struct block_entry));
  c->pool_next = 0;
  c->cache_mm = c->mm;
}

// Does this instruction end a block (it may change rip other than by falling
// through, or stop the CPU)?
static int ends_block(const struct insn *in) {
  int op = in->op;
  if ((op >= 0x70 && op <= 0x7F) || (op >= 0x180 && op <= 0x18F) || (op >= 0xE0 && op <= 0xE3)) return 1;
  switch (op) {
  case 0xC2: case 0xC3: case 0xCA: case 0xCB: case 0xCC: case 0xCD: case 0xCF: case 0xE8: case 0xE9:
  case 0xEB: case 0xF4: case 0x105: case 0x10B:
    return 1;
  case 0xFF: return (in->reg & 7) >= 2 && (in->reg & 7) <= 5;
  default: return 0;
  }
}

static void classify(struct insn *in);
static void mark_dead_flags(struct insn *ins, int n);

static inline uint32_t block_hash(uint64_t rip, uint32_t mask) { return (uint32_t)(rip ^ (rip >> 12)) & mask; }

// The pool is full: the first time, move to the large cache (if memory
// allows); then start again empty.
static void pool_full(struct cpu *c) {
  if (c->pool_cap < INSN_POOL_LARGE) {
    struct block_entry *blocks = calloc(BLOCK_TABLE_LARGE, sizeof(struct block_entry));
    struct insn *pool = calloc(INSN_POOL_LARGE, sizeof(struct insn));
    if (blocks && pool) {
      free(c->blocks);
      free(c->pool);
      c->blocks = blocks;
      c->pool = pool;
      c->block_mask = BLOCK_TABLE_LARGE - 1;
      c->pool_cap = INSN_POOL_LARGE;
    } else {
      free(blocks);
      free(pool);
    }
  }
  cpu_flush_code(c);
}

// Decodes the block at rip into its entry and returns it, or NULL if not
// even the first instruction fits in the page (the caller then runs it
// alone). May replace the cache (pool_full).
static NOINLINE struct block_entry *build_block(struct cpu *c, uint64_t rip) {
  uint8_t *p = mm_tr(c->mm, c->mm->tlb_x, rip, 2);
  if (!p) return NULL;
  if (c->pool_next + BLOCK_MAX > c->pool_cap) pool_full(c);
  int n = 0;
  uint64_t a = rip;
  struct insn *out = &c->pool[c->pool_next];
  while (n < BLOCK_MAX) {
    int avail = PAGE_SIZE - (int)(a & PAGE_MASK);
    int len = cpu_decode_bytes(p + (a - rip), avail < 15 ? avail : 15, &out[n]);
    if (len < 0) break; // undefined, or crosses the page: ends the block before it
    a += len;
    if (ends_block(&out[n++])) break;
    if ((a & PAGE_MASK) == 0) break;
  }
  if (!n) return NULL;
  for (int i = 0; i < n; i++) classify(&out[i]);
  mark_dead_flags(out, n);
  mm_mark_code(c->mm, rip);
  struct block_entry *e = &c->blocks[block_hash(rip, c->block_mask)];
  e->rip = rip;
  e->gen = c->mm->code_gen;
  e->where = c->pool_next << 6 | (uint32_t)n;
  c->pool_next += n;
  return e;
}

// Instruction kinds, chosen once per decoded instruction by classify(). The
// common register, load/store, stack and branch forms run inline in cpu_run;
// the rest go straight to their group function (VEX and SSE without passing
// through the 0F map's router).
enum {
  K_GROUP = 0, // by opcode group (dispatch below)
  K_SSE,       // legacy SSE/MMX of the 0F map, 0F38 and 0F3A
  K_VEX,       // VEX-encoded
  K_MOV_RR,    // 89/8B reg, reg (32/64): sub 1 = destination is ModRM.reg
  K_MOV_RI,    // B8-BF, C7 /0 reg (32/64): sub = register
  K_MOV_LD,    // 8A/8B reg, mem (8/32/64): aux = size
  K_MOV_ST,    // 89 mem, reg (32/64)
  K_MOVZX,     // 0F B6/B7 reg, reg/mem (32/64 destination): aux = source size
  K_MOVSXD,    // 63 reg, reg (64-bit destination)
  K_LEA,       // 8D (32/64, no segment or 67 prefix)
  K_ALU,       // add/or/and/sub/xor/cmp/test without a memory destination: sub = ALU_*, aux = size
  K_ALU_RI,    // 80/81/83 reg, imm and 04/05.. AL/eAX, imm (not adc/sbb): sub = op, aux = size
  K_INCDEC,    // FE/FF /0 /1 reg: sub = 1 for dec, aux = size
  K_NOT,       // F7 /2 reg (32/64): aux = size
  K_CMP_MI,    // 80/81/83 /7 mem, imm: aux = operand size
  K_SHIFT,     // C1/D1 reg, count != 0 (not rcl/rcr): sub = ModRM.reg op, aux = count
  K_JCC,       // 70-7F, 0F 80-8F: sub = condition
  K_JMP,       // E9, EB
  K_CALL,      // E8
  K_RET,       // C3
  K_PUSH,      // 50-57 (64-bit): sub = register
  K_POP,       // 58-5F (64-bit): sub = register
};
// K_ALU's sub: the ALU op (opcode bits 5:3, 0 add ... 7 cmp; test as and)
// and where the operands sit.
#define ALU_DST_REG 0x08 // destination (first operand) is ModRM.reg
#define ALU_NOWRITE 0x10 // cmp, test: flags only

static inline int dispatch(struct cpu *c, const struct insn *in) {
  switch (in->op >> 6) {
  case 0: return cpu_exec_alu(c, in);
  case 1: return cpu_exec_40(c, in);
  case 2: return cpu_exec_80(c, in);
  case 3: return cpu_exec_c0(c, in);
  case 4: case 5: case 6: case 7: return cpu_exec_0f(c, in);
  default: return cpu_exec_sse(c, in);
  }
}

// Picks the kind of a decoded instruction. A fast kind must do exactly what
// the group function does for that form; anything unusual stays K_GROUP.
static void classify(struct insn *in) {
  int op = in->op, pfx = in->pfx;
  int plain = !(pfx & ~PFX_REXW); // no 66/67/F2/F3/lock (segment checked where it matters)
  int wide = in->osz >= 4, reg3 = in->mod == 3;
  in->kind = K_GROUP;
  in->sub = in->aux = in->fdead = 0;
  if (pfx & PFX_VEX) {
    in->kind = K_VEX;
    return;
  }
  if (op >= 0x200 || (op >= 0x100 && cpu_is_sse_0f(op & 0xFF))) {
    in->kind = K_SSE;
    return;
  }
  // Branches: prefixes (bnd, 66) change nothing in the group functions either.
  if ((op >= 0x70 && op <= 0x7F) || (op >= 0x180 && op <= 0x18F)) {
    in->kind = K_JCC;
    in->sub = op & 15;
    return;
  }
  switch (op) {
  case 0xE9: case 0xEB: in->kind = K_JMP; return;
  case 0xE8: in->kind = K_CALL; return;
  case 0xC3: in->kind = K_RET; return;
  default: break;
  }
  if (!plain) return;
  if (op >= 0x50 && op <= 0x5F) { // osz is 8 without 66
    in->kind = op < 0x58 ? K_PUSH : K_POP;
    in->sub = (op & 7) | ((in->rex & 1) << 3);
    return;
  }
  // Byte registers 4-7 without REX are AH..BH: those forms stay with the
  // group functions.
  int reg_b = in->rex || in->reg < 4, rm_b = in->rex || in->rm < 4;
  if (op < 0x40 && (op & 7) <= 5) { // the six forms of add/or/adc/sbb/and/sub/xor/cmp
    int alu = (op >> 3) & 7, form = op & 7, size = (form & 1) ? in->osz : 1;
    if (alu == 2 || alu == 3 || size == 2) return; // adc, sbb; 16-bit
    if (form >= 4) { // AL/eAX, imm
      in->kind = K_ALU_RI;
      in->sub = (uint8_t)alu;
      in->aux = (uint8_t)size;
      return;
    }
    int dst_reg = (form & 2) != 0;
    if (!reg3 && !dst_reg && alu != 7) return; // memory destination
    if (size == 1 && !(reg_b && (rm_b || !reg3))) return;
    in->kind = K_ALU;
    in->sub = (uint8_t)(alu | (dst_reg ? ALU_DST_REG : 0) | (alu == 7 ? ALU_NOWRITE : 0));
    in->aux = (uint8_t)size;
    return;
  }
  if (op == 0x84 && reg_b && (rm_b || !reg3)) { // test Eb, Gb
    in->kind = K_ALU;
    in->sub = 4 | ALU_NOWRITE;
    in->aux = 1;
    return;
  }
  if (op == 0x80) {
    int alu = in->reg & 7;
    if (!reg3 && alu == 7) { // cmp byte [mem], imm8
      in->kind = K_CMP_MI;
      in->aux = 1;
    } else if (reg3 && alu != 2 && alu != 3 && rm_b) {
      in->kind = K_ALU_RI;
      in->sub = (uint8_t)alu;
      in->aux = 1;
    }
    return;
  }
  if (op == 0x8A && !reg3 && reg_b) { // mov r8, [mem]
    in->kind = K_MOV_LD;
    in->aux = 1;
    return;
  }
  if ((op == 0xFE || op == 0xFF) && reg3 && (in->reg & 7) <= 1 && (op == 0xFF ? in->osz != 2 : rm_b)) {
    in->kind = K_INCDEC;
    in->sub = in->reg & 1;
    in->aux = op == 0xFE ? 1 : in->osz;
    return;
  }
  if (!wide) return;
  if (op >= 0xB8 && op <= 0xBF) {
    in->kind = K_MOV_RI;
    in->sub = (op & 7) | ((in->rex & 1) << 3);
    return;
  }
  switch (op) {
  case 0x85: // test Ev, Gv
    in->kind = K_ALU;
    in->sub = 4 | ALU_NOWRITE;
    in->aux = in->osz;
    return;
  case 0x63:
    if (reg3 && in->osz == 8) in->kind = K_MOVSXD;
    return;
  case 0xF7:
    if (reg3 && (in->reg & 7) == 2) {
      in->kind = K_NOT;
      in->aux = in->osz;
    }
    return;
  case 0x89: in->kind = reg3 ? K_MOV_RR : K_MOV_ST; return;
  case 0x8B:
    in->kind = reg3 ? K_MOV_RR : K_MOV_LD;
    in->sub = 1;
    in->aux = in->osz;
    return;
  case 0x8D:
    if (!reg3 && !in->seg) in->kind = K_LEA;
    return;
  case 0xC7:
    if (reg3 && (in->reg & 7) == 0) {
      in->kind = K_MOV_RI;
      in->sub = in->rm;
    }
    return;
  case 0x81: case 0x83: {
    int alu = in->reg & 7;
    if (reg3 && alu != 2 && alu != 3) {
      in->kind = K_ALU_RI;
      in->sub = (uint8_t)alu;
      in->aux = in->osz;
    } else if (!reg3 && alu == 7) {
      in->kind = K_CMP_MI;
      in->aux = in->osz;
    }
    return;
  }
  case 0xC1: case 0xD1: {
    int sop = in->reg & 7;
    unsigned count = (op == 0xD1 ? 1 : (unsigned)in->imm & 0xFF) & (in->osz == 8 ? 63 : 31);
    if (reg3 && count && sop != 2 && sop != 3) {
      in->kind = K_SHIFT;
      in->sub = (uint8_t)sop;
      in->aux = (uint8_t)count;
    }
    return;
  }
  case 0x1B6: case 0x1B7:
    // A byte register 4-7 without REX is AH..BH: left to the group function.
    if (op == 0x1B7 || !reg3 || in->rex || in->rm < 4) {
      in->kind = K_MOVZX;
      in->aux = op == 0x1B6 ? 1 : 2;
    }
    return;
  default: return;
  }
}

// Flags each instruction writes and reads, for the dead-flags pass below;
// -1 marks an instruction that may expose every flag (it may stop or read
// them in ways not listed here).
static int flags_written(const struct insn *in) {
  switch (in->kind) {
  case K_ALU: return in->mod == 3 ? F_ARITH : -1;
  case K_ALU_RI: return F_ARITH;
  case K_INCDEC: return F_ARITH & ~F_CF;
  case K_NOT: case K_MOVSXD: return 0;
  case K_SHIFT: return in->sub <= 1 ? F_CF | F_OF : F_ARITH;
  case K_MOV_RR: case K_MOV_RI: case K_LEA: return 0;
  case K_MOVZX: return in->mod == 3 ? 0 : -1;
  default: return -1;
  }
}

// Marks instructions whose flags no one can observe: a later instruction of
// the same block overwrites them before anything reads them, and nothing in
// between can stop (every instruction there works on registers only). Only
// used when a block runs whole, without breakpoints (cpu_run).
static void mark_dead_flags(struct insn *ins, int n) {
  int live = F_ARITH; // the block's successor may read any flag
  for (int i = n - 1; i >= 0; i--) {
    int w = flags_written(&ins[i]);
    if (w < 0) {
      live = F_ARITH;
      continue;
    }
    ins[i].fdead = w && !(live & w);
    live &= ~w;
  }
}

static NOINLINE int is_breakpoint(struct cpu *c, uint64_t rip) {
  int lo = 0, hi = c->nbp - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (c->bp[mid] == rip) return 1;
    if (c->bp[mid] < rip) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

// After a stopping instruction: faults leave rip at the instruction.
static NOINLINE int stopped(struct cpu *c, int rc, uint64_t rip) {
  if (rc == STOP_SYSCALL || rc == STOP_INT3) {
    c->icount++;
    return rc;
  }
  c->pf = 0;
  c->fault_rip = rip;
  c->rip = rip;
  if (rc == STOP_UD) {
    uint8_t *p = mm_tr(c->mm, c->mm->tlb_x, rip, 2);
    if (p) {
      int n = PAGE_SIZE - (rip & PAGE_MASK);
      memcpy(c->ud_bytes, p, n < 16 ? n : 16);
    }
  }
  return rc;
}

// One instruction that crosses a page or cannot be decoded: no caching.
static NOINLINE int run_single(struct cpu *c) {
  uint64_t rip = c->rip;
  int rc = cpu_decode(c, rip, &c->tmp_insn);
  if (rc) {
    c->fault_rip = rip;
    return rc;
  }
  c->rip = rip + c->tmp_insn.len;
  rc = dispatch(c, &c->tmp_insn);
  if (rc) return stopped(c, rc, rip);
  c->icount++;
  return 0;
}

// The handlers of the fast kinds. Each is a small noinline function written
// to touch few distinct memory locations: in the JVM one wasm load or store
// of 4 or 8 bytes inlines as 400-500 bytes of bytecode, and HotSpot stops
// inlining once a compiled method reaches 8000 bytes, after which every
// further access (even a compare helper) is a call. cpu->rip already points
// past the instruction.

// The quadwords from r[0] on: RAX..R15, then rip (16), fs_base (17) and
// gs_base (18), so one indexed load serves a base register, RIP-relative
// addressing and a segment base.
_Static_assert(offsetof(struct cpu, rip) == 16 * 8, "rip follows r[15]");
_Static_assert(offsetof(struct cpu, fs_base) == 17 * 8, "fs_base follows rip");
_Static_assert(offsetof(struct cpu, gs_base) == 18 * 8, "gs_base follows fs_base");
static inline uint64_t *cpu_q(struct cpu *c) { return (uint64_t *)(void *)c; }

// ea() for the fast kinds (no 67 prefix: classify keeps those out).
static inline uint64_t fast_ea(struct cpu *c, const struct insn *in) {
  uint64_t *q = cpu_q(c), a = (uint64_t)(int64_t)in->disp;
  int b = in->base, x = in->index, s = in->seg;
  if (b != BASE_NONE) a += q[b == BASE_RIP ? 16 : b];
  if (x != BASE_NONE) a += q[x] << in->scale;
  if (UNLIKELY(s)) a += q[s == 4 ? 17 : 18];
  return a;
}

// Host address of n bytes at a (n <= 8) through the TLB, or NULL when the
// access crosses a page or misses (the caller takes the slow accessors).
// A read checks 8 bytes of room so that it may always load a quadword.
static inline uint8_t *fast_tr(struct cpu *c, uint64_t a, int write) {
  if (UNLIKELY((a & PAGE_MASK) > PAGE_SIZE - 8)) return NULL;
  struct mm *mm = c->mm;
  uint64_t vpn = a >> 12;
  struct tlb_entry *t = (write ? mm->tlb_w : mm->tlb_r) + (vpn & (TLB_SIZE - 1));
  if (UNLIKELY(t->vpn != vpn)) return NULL;
  return (uint8_t *)(t->base + (a & PAGE_MASK));
}

// Loads of 1, 2, 4 or 8 bytes (zero-extended); sets cpu->pf on a fault.
static inline uint64_t fast_ld(struct cpu *c, uint64_t a, int size) {
  uint8_t *p = fast_tr(c, a, 0);
  if (UNLIKELY(!p)) return cpu_ld_slow(c, a, size);
  uint64_t x;
  memcpy(&x, p, 8);
  return x & size_mask(size);
}
// Stores of 4 or 8 bytes.
static inline int fast_st(struct cpu *c, uint64_t a, int size, uint64_t v) {
  uint8_t *p = fast_tr(c, a, 1);
  if (UNLIKELY(!p)) return cpu_st_slow(c, a, size, v);
  if (size == 8) {
    memcpy(p, &v, 8);
  } else {
    uint32_t x = (uint32_t)v;
    memcpy(p, &x, 4);
  }
  return 0;
}

// Lazy flags of an ALU result: lf_op and lf_size in one store.
_Static_assert(offsetof(struct cpu, lf_size) == offsetof(struct cpu, lf_op) + 4, "lf_size follows lf_op");
static inline void fast_lazy(struct cpu *c, int op, int size, uint64_t r, uint64_t a, uint64_t b) {
  uint64_t opsz = (uint32_t)op | (uint64_t)(uint32_t)size << 32;
  memcpy((uint8_t *)c + offsetof(struct cpu, lf_op), &opsz, 8);
  c->lf_res = r;
  if (op != LF_LOGIC) {
    c->lf_a = a;
    c->lf_b = b;
  }
}

static inline int lazy_op_of(int alu) { return alu == 0 ? LF_ADD : (alu == 5 || alu == 7) ? LF_SUB : LF_LOGIC; }

// Register moves: K_MOV_RR, K_MOV_RI, K_LEA, K_MOVZX from a register.
static NOINLINE int h_mov(struct cpu *c, const struct insn *in) {
  uint64_t v;
  int dst, src;
  switch (in->kind) {
  case K_MOV_RI:
    c->r[in->sub] = in->osz == 8 ? in->imm : (uint32_t)in->imm;
    return 0;
  case K_LEA:
    v = fast_ea(c, in);
    dst = in->reg;
    break;
  default: // K_MOV_RR, K_MOVZX, K_MOVSXD
    if (in->kind != K_MOV_RR || in->sub) dst = in->reg, src = in->rm;
    else dst = in->rm, src = in->reg;
    v = c->r[src];
    if (in->kind == K_MOVZX) v &= in->aux == 1 ? 0xFF : 0xFFFF;
    if (in->kind == K_MOVSXD) v = (uint64_t)(int64_t)(int32_t)v;
    break;
  }
  c->r[dst] = in->osz == 8 ? v : (uint32_t)v;
  return 0;
}

// Loads into a register: K_MOV_LD, K_MOVZX from memory.
static NOINLINE int h_load(struct cpu *c, const struct insn *in) {
  int size = in->aux;
  uint64_t v = fast_ld(c, fast_ea(c, in), size);
  if (faulted(c)) return STOP_PAGEFAULT;
  if (in->kind == K_MOV_LD && size == 1) v |= c->r[in->reg] & ~(uint64_t)0xFF;
  c->r[in->reg] = v;
  return 0;
}

// K_MOV_ST.
static NOINLINE int h_store(struct cpu *c, const struct insn *in) {
  return fast_st(c, fast_ea(c, in), in->osz, c->r[in->reg]);
}

// K_PUSH, K_CALL.
static NOINLINE int h_push(struct cpu *c, const struct insn *in) {
  uint64_t sp = c->r[RSP] - 8, next = c->rip;
  uint64_t v = in->kind == K_PUSH ? c->r[in->sub] : next;
  int rc = fast_st(c, sp, 8, v);
  if (rc) return rc;
  c->r[RSP] = sp;
  if (in->kind == K_CALL) c->rip = next + in->imm;
  return 0;
}

// K_POP, K_RET.
static NOINLINE int h_pop(struct cpu *c, const struct insn *in) {
  uint64_t sp = c->r[RSP], v = fast_ld(c, sp, 8);
  if (faulted(c)) return STOP_PAGEFAULT;
  c->r[RSP] = sp + 8;
  // After RSP: pop rsp loads the popped value.
  cpu_q(c)[in->kind == K_RET ? 16 : in->sub] = v; // quadword 16 is rip
  return 0;
}

// K_JCC, K_JMP.
static NOINLINE int h_jump(struct cpu *c, const struct insn *in) {
  if (in->kind == K_JMP || cond(c, in->sub)) c->rip += in->imm;
  return 0;
}

// The arithmetic of K_ALU, K_ALU_RI and K_CMP_MI; writes the lazy flags
// unless they are dead. Returns the result (masked to size).
static inline uint64_t alu_fast(struct cpu *c, const struct insn *in, int op, int size, uint64_t a, uint64_t b) {
  uint64_t m = size_mask(size), r;
  switch (op) {
  case 0: r = (a + b) & m; break;
  case 1: r = a | b; break;
  case 4: r = a & b; break;
  case 6: r = a ^ b; break;
  default: r = (a - b) & m; break;
  }
  if (!(in->fdead && c->skip_dead)) fast_lazy(c, lazy_op_of(op), size, r, a, b);
  return r;
}

// Writes a result of size 1, 4 or 8 into a register whose old value is old:
// a byte write keeps bits 8-63, a dword write zeroes bits 32-63.
static inline uint64_t merge_sized(uint64_t old, uint64_t r, int size) {
  return size == 1 ? (old & ~(uint64_t)0xFF) | r : r;
}

// K_ALU with a register r/m operand, K_ALU_RI.
static NOINLINE int h_alu(struct cpu *c, const struct insn *in) {
  int size = in->aux, sub = in->sub, op = sub & 7, dst_reg = in->kind == K_ALU && (sub & ALU_DST_REG);
  uint64_t m = size_mask(size);
  int d = dst_reg ? in->reg : in->rm;
  uint64_t old = c->r[d];
  uint64_t b = (in->kind == K_ALU_RI ? in->imm : c->r[dst_reg ? in->rm : in->reg]) & m;
  uint64_t r = alu_fast(c, in, op, size, old & m, b);
  if (op != 7 && !(sub & ALU_NOWRITE)) c->r[d] = merge_sized(old, r, size);
  return 0;
}

// K_INCDEC, K_NOT.
static NOINLINE int h_incdec(struct cpu *c, const struct insn *in) {
  int size = in->aux, rm = in->rm;
  uint64_t m = size_mask(size), old = c->r[rm], a = old & m, r;
  if (in->kind == K_NOT) {
    r = ~a & m;
  } else {
    r = (in->sub ? a - 1 : a + 1) & m;
    if (!(in->fdead && c->skip_dead)) { // CF stays as it was
      uint32_t cf = get_cf(c);
      c->flags = (c->flags & ~F_CF) | cf;
      fast_lazy(c, in->sub ? LF_DEC : LF_INC, size, r, a, 1);
    }
  }
  c->r[rm] = merge_sized(old, r, size);
  return 0;
}

// K_ALU with a memory operand (read only), K_CMP_MI.
static NOINLINE int h_alu_mem(struct cpu *c, const struct insn *in) {
  int cmp_mi = in->kind == K_CMP_MI;
  int size = in->aux, sub = in->sub, op = cmp_mi ? 7 : sub & 7;
  uint64_t v = fast_ld(c, fast_ea(c, in), size);
  if (faulted(c)) return STOP_PAGEFAULT;
  uint64_t old = c->r[in->reg], g = (cmp_mi ? in->imm : old) & size_mask(size);
  if (!cmp_mi && (sub & ALU_DST_REG)) {
    uint64_t r = alu_fast(c, in, op, size, g, v);
    if (op != 7) c->r[in->reg] = merge_sized(old, r, size);
  } else { // cmp [mem], imm; cmp or test [mem], reg
    alu_fast(c, in, op, size, v, g);
  }
  return 0;
}

// K_SHIFT: shifts and rotates of a register by a nonzero constant.
static NOINLINE int h_shift(struct cpu *c, const struct insn *in) {
  int size = in->osz, bits = 8 * size, k = in->aux, op = in->sub;
  uint64_t m = size == 8 ? ~(uint64_t)0 : 0xFFFFFFFFu, a = c->r[in->rm] & m, r;
  switch (op) {
  case 0: r = ((a << k) | (a >> (bits - k))) & m; break;
  case 1: r = ((a >> k) | (a << (bits - k))) & m; break;
  case 5: r = a >> k; break;
  case 7: r = (uint64_t)(sext(a, size) >> k) & m; break;
  default: r = (a << k) & m; break;
  }
  c->r[in->rm] = r;
  if (in->fdead && c->skip_dead) return 0;
  if (op <= 1) { // rol, ror change CF and OF only
    flags_sync(c);
    uint32_t f = c->flags & ~(F_CF | F_OF);
    int msb = (int)((r >> (bits - 1)) & 1);
    if (op == 0) {
      if (r & 1) f |= F_CF;
      if (msb ^ (int)(r & 1)) f |= F_OF;
    } else {
      if (msb) f |= F_CF;
      if (msb ^ (int)((r >> (bits - 2)) & 1)) f |= F_OF;
    }
    c->flags = f;
    return 0;
  }
  fast_lazy(c, op == 5 ? LF_SHR : op == 7 ? LF_SAR : LF_SHL, size, r, a, (uint64_t)k);
  return 0;
}

// The first instruction of a call is never stopped by a breakpoint, so a
// debugger resumes from one by simply running again. Written with one exit
// and few memory accesses, like the handlers.
int cpu_run(struct cpu *c, uint64_t budget) {
  struct mm *mm = c->mm;
  if (UNLIKELY(c->cache_mm != mm)) cpu_flush_code(c);
  int first = 1, rc = 0, check_bp = c->nbp != 0;
  uint64_t rip = c->rip, retired = 0;
  struct block_entry *blocks = c->blocks;
  const struct insn *pool = c->pool;
  uint32_t mask = c->block_mask;
  while (budget) {
    struct block_entry *e = &blocks[block_hash(rip, mask)];
    // gen and where in one load.
    uint64_t w;
    memcpy(&w, (uint8_t *)e + offsetof(struct block_entry, gen), 8);
    uint32_t gen = (uint32_t)w, n = (uint32_t)(w >> 32) & 63, done = 0;
    if (UNLIKELY(e->rip != rip || gen != mm->code_gen || !n)) {
      n = 0;
      if ((e = build_block(c, rip))) {
        blocks = c->blocks; // the cache may have grown
        pool = c->pool;
        mask = c->block_mask;
        memcpy(&w, (uint8_t *)e + offsetof(struct block_entry, gen), 8);
        gen = (uint32_t)w;
        n = (uint32_t)(w >> 32) & 63;
      }
    }
    if (UNLIKELY(!n)) {
      if (UNLIKELY(check_bp) && !first && is_breakpoint(c, rip)) {
        rc = STOP_BREAKPOINT;
        break;
      }
      first = 0;
      if ((rc = run_single(c))) break;
      budget--;
      rip = c->rip;
      continue;
    }
    const struct insn *in = &pool[w >> 38];
    // Dead flags may be skipped only when the whole block runs: a stop
    // between two instructions (budget, breakpoint) shows the flags.
    c->skip_dead = !check_bp && n <= budget;
    if (n > budget) n = (uint32_t)budget;
    while (done < n) {
      if (UNLIKELY(check_bp) && !first && is_breakpoint(c, rip)) {
        rc = STOP_BREAKPOINT;
        break;
      }
      first = 0;
      c->rip = rip + in->len;
      switch (in->kind) {
      case K_MOV_RR: case K_MOV_RI: case K_LEA: case K_MOVSXD: rc = h_mov(c, in); break;
      case K_INCDEC: case K_NOT: rc = h_incdec(c, in); break;
      case K_MOVZX: rc = in->mod == 3 ? h_mov(c, in) : h_load(c, in); break;
      case K_MOV_LD: rc = h_load(c, in); break;
      case K_MOV_ST: rc = h_store(c, in); break;
      case K_ALU: rc = in->mod == 3 ? h_alu(c, in) : h_alu_mem(c, in); break;
      case K_ALU_RI: rc = h_alu(c, in); break;
      case K_CMP_MI: rc = h_alu_mem(c, in); break;
      case K_SHIFT: rc = h_shift(c, in); break;
      case K_JCC: case K_JMP: rc = h_jump(c, in); break;
      case K_CALL: case K_PUSH: rc = h_push(c, in); break;
      case K_RET: case K_POP: rc = h_pop(c, in); break;
      case K_VEX: rc = cpu_exec_vex(c, in); break;
      case K_SSE: rc = cpu_exec_sse(c, in); break;
      default: rc = dispatch(c, in); break;
      }
      if (UNLIKELY(rc)) break;
      done++;
      in++;
      rip = c->rip;
      if (UNLIKELY(mm->code_gen != gen)) break; // it wrote into cached code
    }
    retired += done;
    budget -= done;
    if (UNLIKELY(rc)) {
      if (rc != STOP_BREAKPOINT) rc = stopped(c, rc, rip); // syscall and int3 leave cpu->rip after them
      break;
    }
  }
  c->icount += retired;
  return rc;
}

// Page-crossing accesses go byte by byte, checking every byte's page before
// anything is written so a faulting store changes nothing.
int cpu_ldn_slow(struct cpu *c, uint64_t a, int n, void *v) {
  uint8_t *out = v;
  for (int i = 0; i < n; i++) {
    uint8_t *p = mm_rd(c->mm, a + i);
    if (!p) return page_fault(c, a + i, 0);
    out[i] = *p;
  }
  return 0;
}

int cpu_stn_slow(struct cpu *c, uint64_t a, int n, const void *v) {
  const uint8_t *in = v;
  for (int i = 0; i < n; i++)
    if (!mm_wr(c->mm, a + i)) return page_fault(c, a + i, 1);
  for (int i = 0; i < n; i++) *mm_wr(c->mm, a + i) = in[i];
  return 0;
}

uint64_t cpu_ld_slow(struct cpu *c, uint64_t a, int size) {
  uint64_t v = 0;
  for (int i = 0; i < size; i++) {
    uint8_t *p = mm_rd(c->mm, a + i);
    if (!p) {
      page_fault(c, a + i, 0);
      return 0;
    }
    v |= (uint64_t)*p << (8 * i);
  }
  return v;
}

int cpu_st_slow(struct cpu *c, uint64_t a, int size, uint64_t v) {
  for (int i = 0; i < size; i++)
    if (!mm_wr(c->mm, a + i)) return page_fault(c, a + i, 1);
  for (int i = 0; i < size; i++) *mm_wr(c->mm, a + i) = (uint8_t)(v >> (8 * i));
  return 0;
}
