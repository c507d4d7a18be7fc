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
  struct dcache_entry *dc = c->dcache;
  memset(c, 0, sizeof(*c));
  c->mm = mm;
  c->flags = F_IF;
  c->mxcsr = 0x1F80;
  c->dcache = dc ? dc : calloc(DCACHE_SIZE, sizeof(struct dcache_entry));
  for (int i = 0; i < DCACHE_SIZE; i++) c->dcache[i].rip = ~(uint64_t)0;
  cpu_x87_init(c);
}

void cpu_free(struct cpu *c) {
  free(c->dcache);
  c->dcache = NULL;
}

// Masks of the first 8 and second 8 bytes of an instruction of length len.
static inline uint64_t mask_lo(int len) { return len >= 8 ? ~(uint64_t)0 : (((uint64_t)1 << (8 * len)) - 1); }
static inline uint64_t mask_hi(int len) {
  return len <= 8 ? 0 : len >= 16 ? ~(uint64_t)0 : (((uint64_t)1 << (8 * (len - 8))) - 1);
}

// The decoded-instruction cache is validated by the instruction's own bytes,
// not by invalidation: self-modifying code and remapped pages simply miss.
// page/vpn cache the host address of the current code page for one cpu_run
// call (mappings cannot change inside a call: syscalls end it).
struct fetch_state {
  uint64_t vpn;
  uint8_t *page;
};

static inline const struct insn *fetch(struct cpu *c, struct fetch_state *fs, uint64_t rip, struct insn *tmp,
                                       int *rc) {
  uint8_t *p;
  if (LIKELY((rip >> 12) == fs->vpn)) {
    p = fs->page + (rip & PAGE_MASK);
  } else {
    p = mm_tr(c->mm, c->mm->tlb_x, rip, 2);
    if (p) {
      fs->vpn = rip >> 12;
      fs->page = p - (rip & PAGE_MASK);
    }
  }
  if (LIKELY(p && (rip & PAGE_MASK) <= PAGE_SIZE - 16)) {
    struct dcache_entry *e = &c->dcache[(rip ^ (rip >> 11)) & (DCACHE_SIZE - 1)];
    uint64_t b0, b1;
    memcpy(&b0, p, 8);
    memcpy(&b1, p + 8, 8);
    if (LIKELY(e->rip == rip && (b0 & e->m0) == e->b0 && (b1 & e->m1) == e->b1)) return &e->in;
    int len = cpu_decode_bytes(p, 15, &e->in);
    if (UNLIKELY(len < 0)) {
      e->rip = ~(uint64_t)0;
      memcpy(c->ud_bytes, p, 16);
      *rc = STOP_UD;
      return NULL;
    }
    e->rip = rip;
    e->m0 = mask_lo(len);
    e->m1 = mask_hi(len);
    e->b0 = b0 & e->m0;
    e->b1 = b1 & e->m1;
    return &e->in;
  }
  *rc = cpu_decode(c, rip, tmp);
  return *rc ? NULL : tmp;
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

// The first instruction of a call is never stopped by a breakpoint, so a
// debugger resumes from one by simply running again.
int cpu_run(struct cpu *c, uint64_t budget) {
  struct fetch_state fs = {~(uint64_t)0, NULL};
  int first = 1;
  while (budget) {
    uint64_t rip = c->rip;
    if (UNLIKELY(c->nbp) && !first && is_breakpoint(c, rip)) return STOP_BREAKPOINT;
    first = 0;
    int rc = 0;
    const struct insn *in = fetch(c, &fs, rip, &c->tmp_insn, &rc);
    if (UNLIKELY(!in)) {
      c->fault_rip = rip;
      return rc;
    }
    c->rip = rip + in->len;
    rc = dispatch(c, in);
    if (UNLIKELY(rc)) {
      if (rc == STOP_SYSCALL || rc == STOP_INT3) {
        c->icount++;
      } else {
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
      }
      return rc;
    }
    c->icount++;
    budget--;
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
