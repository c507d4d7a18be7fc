// SPDX-License-Identifier: MIT
// The run loop: fetch through the decoded-instruction cache, dispatch to the
// opcode groups, count retired instructions, stop with a reason. Also the
// slow (page-crossing) memory accessors. Keeps nothing Linux-specific.
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
  memset(c, 0, sizeof(*c));
  c->mm = mm;
  c->flags = F_IF;
  c->mxcsr = 0x1F80;
  c->blocks = blocks ? blocks : calloc(BLOCK_TABLE, sizeof(struct block_entry));
  c->pool = pool ? pool : calloc(INSN_POOL, sizeof(struct insn));
  cpu_flush_code(c);
  cpu_x87_init(c);
}

void cpu_free(struct cpu *c) {
  free(c->blocks);
  free(c->pool);
  c->blocks = NULL;
  c->pool = NULL;
}

void cpu_flush_code(struct cpu *c) {
  if (c->blocks) memset(c->blocks, 0, BLOCK_TABLE * sizeof(struct block_entry));
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

static inline uint32_t block_hash(uint64_t rip) { return (uint32_t)(rip ^ (rip >> 12)) & (BLOCK_TABLE - 1); }

// Decodes the block at rip into e. Returns 0 if not even the first
// instruction fits in the page (the caller then runs it alone).
static NOINLINE int build_block(struct cpu *c, uint64_t rip, struct block_entry *e) {
  uint8_t *p = mm_tr(c->mm, c->mm->tlb_x, rip, 2);
  if (!p) return 0;
  if (c->pool_next + BLOCK_MAX > INSN_POOL) cpu_flush_code(c);
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
  if (!n) return 0;
  mm_mark_code(c->mm, rip);
  e->rip = rip;
  e->gen = c->mm->code_gen;
  e->first = (uint16_t)c->pool_next;
  e->n = (uint16_t)n;
  c->pool_next += n;
  return 1;
}

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

static int is_breakpoint(struct cpu *c, uint64_t rip) {
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

// The first instruction of a call is never stopped by a breakpoint, so a
// debugger resumes from one by simply running again.
int cpu_run(struct cpu *c, uint64_t budget) {
  struct mm *mm = c->mm;
  if (UNLIKELY(c->cache_mm != mm)) cpu_flush_code(c);
  int first = 1;
  while (budget) {
    uint64_t rip = c->rip;
    struct block_entry *e = &c->blocks[block_hash(rip)];
    if (UNLIKELY(e->rip != rip || e->gen != mm->code_gen || !e->n)) {
      if (!build_block(c, rip, e)) {
        if (UNLIKELY(c->nbp) && !first && is_breakpoint(c, rip)) return STOP_BREAKPOINT;
        first = 0;
        int rc = run_single(c);
        if (rc) return rc;
        budget--;
        continue;
      }
    }
    const struct insn *in = &c->pool[e->first];
    uint32_t n = e->n, gen = e->gen;
    if (n > budget) n = (uint32_t)budget;
    uint32_t done = 0;
    int check_bp = c->nbp != 0;
    while (done < n) {
      if (UNLIKELY(check_bp) && !first && is_breakpoint(c, rip)) {
        c->icount += done;
        return STOP_BREAKPOINT;
      }
      first = 0;
      c->rip = rip + in->len;
      int rc = dispatch(c, in);
      if (UNLIKELY(rc)) {
        c->icount += done;
        return stopped(c, rc, rip);
      }
      done++;
      in++;
      rip = c->rip;
      if (UNLIKELY(mm->code_gen != gen)) break; // it wrote into cached code
    }
    c->icount += done;
    budget -= done;
  }
  return STOP_BUDGET;
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
