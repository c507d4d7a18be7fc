// SPDX-License-Identifier: MIT
// Page tables, page frames and checked guest copies (see mem.h for the PTE
// layout). Owns struct mm and its TLBs; must not know about processes,
// files or Linux errno values (callers translate -1 into EFAULT).
#include "mem.h"

#include <stdlib.h>
#include <string.h>

uint64_t page_limit;
uint64_t pages_in_use;

// Frames come from 64 KiB chunks so that a page costs no malloc header; freed
// frames go on a free list threaded through their first word.
static void *free_pages;
static uint8_t *chunk_next, *chunk_end;

void *page_alloc(void) {
  if (page_limit && pages_in_use >= page_limit) return NULL;
  void *p;
  if (free_pages) {
    p = free_pages;
    free_pages = *(void **)p;
  } else {
    if (chunk_next == chunk_end) {
      chunk_next = aligned_alloc(PAGE_SIZE, 16 * PAGE_SIZE);
      if (!chunk_next) return NULL;
      chunk_end = chunk_next + 16 * PAGE_SIZE;
    }
    p = chunk_next;
    chunk_next += PAGE_SIZE;
  }
  memset(p, 0, PAGE_SIZE);
  pages_in_use++;
  return p;
}

void page_free(void *p) {
  *(void **)p = free_pages;
  free_pages = p;
  pages_in_use--;
}

// Tables are 512 entries (2 KiB in wasm).
static pte_t *table_new(void) { return calloc(512, sizeof(pte_t)); }

struct mm *mm_new(void) {
  struct mm *mm = calloc(1, sizeof(*mm));
  if (!mm) return NULL;
  mm->pml4 = table_new();
  if (!mm->pml4) {
    free(mm);
    return NULL;
  }
  mm->refs = 1;
  mm_tlb_flush(mm);
  return mm;
}

// Any change of mappings may change what code is at an address.
void mm_tlb_flush(struct mm *mm) {
  mm->code_gen++;
  for (int i = 0; i < TLB_SIZE; i++) {
    mm->tlb_r[i].vpn = ~(uint64_t)0;
    mm->tlb_w[i].vpn = ~(uint64_t)0;
    mm->tlb_x[i].vpn = ~(uint64_t)0;
  }
}

static inline unsigned idx(uint64_t addr, int level) { return (addr >> (12 + 9 * level)) & 511; }

// Returns the leaf entry slot for addr, creating tables if create is set.
static pte_t *pte_slot(struct mm *mm, uint64_t addr, int create) {
  if (addr >> 47) return NULL; // non-canonical or kernel half
  pte_t *t = mm->pml4;
  for (int level = 3; level > 0; level--) {
    pte_t *e = &t[idx(addr, level)];
    if (!*e) {
      if (!create) return NULL;
      pte_t *n = table_new();
      if (!n) return NULL;
      *e = (pte_t)(uintptr_t)n;
    }
    t = (pte_t *)(uintptr_t)*e;
  }
  return &t[idx(addr, 0)];
}

// The leaf slot of the first page in [*a, end) whose page tables exist, with
// *a moved to it; NULL when there is none. Absent subtrees are skipped whole,
// so a walk over a huge sparse range costs what is mapped, not its length.
static pte_t *pte_walk(struct mm *mm, uint64_t *a, uint64_t end) {
  while (*a < end && !(*a >> 47)) {
    pte_t *t = mm->pml4;
    int level = 3;
    for (; level > 0; level--) {
      pte_t e = t[idx(*a, level)];
      if (!e) break;
      t = (pte_t *)(uintptr_t)e;
    }
    if (level == 0) return &t[idx(*a, 0)];
    uint64_t span = 1ull << (12 + 9 * level);
    *a = (*a & ~(span - 1)) + span;
  }
  return NULL;
}

// The first mapped page in [a, end), or end if there is none.
static uint64_t first_mapped(struct mm *mm, uint64_t a, uint64_t end) {
  for (;; a += PAGE_SIZE) {
    pte_t *e = pte_walk(mm, &a, end);
    if (!e) return end;
    if (*e) return a;
  }
}

static void release_pte(struct mm *mm, pte_t *e) {
  if ((*e & PTE_P) && !(*e & PTE_SH)) {
    page_free((void *)(uintptr_t)(*e & PTE_FRAME));
    mm->pages--;
  }
  *e = 0;
}

static void free_level(struct mm *mm, pte_t *t, int level) {
  for (int i = 0; i < 512; i++) {
    if (!t[i]) continue;
    if (level == 0)
      release_pte(mm, &t[i]);
    else
      free_level(mm, (pte_t *)(uintptr_t)t[i], level - 1);
  }
  free(t);
}

void mm_free(struct mm *mm) {
  if (!mm || --mm->refs > 0) return;
  free_level(mm, mm->pml4, 3);
  free(mm);
}

static int clone_level(struct mm *dst, pte_t *src, pte_t *out, int level) {
  for (int i = 0; i < 512; i++) {
    pte_t e = src[i];
    if (!e) continue;
    if (level == 0) {
      if ((e & PTE_P) && !(e & PTE_SH)) {
        void *p = page_alloc();
        if (!p) return -1;
        memcpy(p, (void *)(uintptr_t)(e & PTE_FRAME), PAGE_SIZE);
        out[i] = (pte_t)(uintptr_t)p | (e & ~PTE_FRAME);
        dst->pages++;
      } else {
        out[i] = e;
      }
    } else {
      pte_t *n = table_new();
      if (!n) return -1;
      out[i] = (pte_t)(uintptr_t)n;
      if (clone_level(dst, (pte_t *)(uintptr_t)e, n, level - 1)) return -1;
    }
  }
  return 0;
}

struct mm *mm_clone(struct mm *mm) {
  struct mm *n = mm_new();
  if (!n) return NULL;
  if (clone_level(n, mm->pml4, n->pml4, 3)) {
    mm_free(n);
    return NULL;
  }
  return n;
}

int mm_map_anon(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot) {
  for (uint64_t a = addr; a < addr + len; a += PAGE_SIZE) {
    pte_t *e = pte_slot(mm, a, 1);
    if (!e) return -1;
    release_pte(mm, e);
    *e = PTE_RS | (prot & (PTE_R | PTE_W | PTE_X));
  }
  mm_tlb_flush(mm);
  return 0;
}

int mm_unmap(struct mm *mm, uint64_t addr, uint64_t len) {
  uint64_t end = addr + len;
  for (uint64_t a = addr;; a += PAGE_SIZE) {
    pte_t *e = pte_walk(mm, &a, end);
    if (!e) break;
    if (*e) release_pte(mm, e);
  }
  mm_tlb_flush(mm);
  return 0;
}

// -1 if some page of the range is unmapped (the rest still changes, as Linux
// leaves a partial mprotect done).
int mm_protect(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot) {
  int rc = 0;
  uint64_t end = addr + len;
  for (uint64_t a = addr;; a += PAGE_SIZE) {
    uint64_t want = a;
    pte_t *e = pte_walk(mm, &a, end);
    if (a != want) rc = -1; // skipped an absent table: a hole
    if (!e) break;
    if (!*e) {
      rc = -1;
      continue;
    }
    *e = (*e & ~(PTE_R | PTE_W | PTE_X)) | (prot & (PTE_R | PTE_W | PTE_X));
  }
  mm_tlb_flush(mm);
  return rc;
}

pte_t mm_pte(struct mm *mm, uint64_t addr) {
  pte_t *e = pte_slot(mm, addr, 0);
  return e ? *e : 0;
}

int mm_range_free(struct mm *mm, uint64_t addr, uint64_t len) {
  return first_mapped(mm, addr, addr + len) == addr + len;
}

uint64_t mm_find_hole(struct mm *mm, uint64_t hint, uint64_t len, uint64_t limit) {
  uint64_t a = (hint + PAGE_MASK) & ~PAGE_MASK;
  while (a + len <= limit && a + len > a) {
    uint64_t m = first_mapped(mm, a, a + len);
    if (m >= a + len) return a;
    a = m + PAGE_SIZE;
  }
  return 0;
}

int mm_next_range(struct mm *mm, uint64_t *addr, uint64_t end, uint64_t *run_end, uint32_t *prot) {
  uint64_t a = first_mapped(mm, *addr, end);
  if (a >= end) return 0;
  pte_t want = *pte_slot(mm, a, 0) & (PTE_R | PTE_W | PTE_X);
  uint64_t b = a + PAGE_SIZE;
  while (b < end) {
    pte_t *e = pte_slot(mm, b, 0);
    if (!e || !*e || (*e & (PTE_R | PTE_W | PTE_X)) != want) break;
    b += PAGE_SIZE;
  }
  *addr = a;
  *run_end = b;
  *prot = (uint32_t)want;
  return 1;
}

void mm_mark_code(struct mm *mm, uint64_t addr) {
  pte_t *e = pte_slot(mm, addr, 0);
  if (!e || !*e) return;
  *e |= PTE_CODE;
  uint64_t vpn = addr >> 12;
  struct tlb_entry *t = &mm->tlb_w[vpn & (TLB_SIZE - 1)];
  if (t->vpn == vpn) t->vpn = ~(uint64_t)0;
}

uint8_t *mm_translate(struct mm *mm, uint64_t addr, int access) {
  pte_t *e = pte_slot(mm, addr, 0);
  pte_t need = access == 0 ? PTE_R : access == 1 ? PTE_W : PTE_X;
  if (!e || !(*e & need)) {
    mm->fault_addr = addr;
    mm->fault_write = access == 1;
    return NULL;
  }
  if (!(*e & PTE_P)) { // demand-zero page
    void *p = page_alloc();
    if (!p) {
      mm->fault_addr = addr;
      mm->fault_write = access == 1;
      return NULL;
    }
    *e = (pte_t)(uintptr_t)p | (*e & ~(PTE_FRAME | PTE_RS)) | PTE_P;
    mm->pages++;
  }
  if (access == 1 && (*e & PTE_CODE)) { // a store into cached code
    *e &= ~PTE_CODE;
    mm->code_gen++;
  }
  uint64_t vpn = addr >> 12;
  struct tlb_entry *tlb = access == 0 ? mm->tlb_r : access == 1 ? mm->tlb_w : mm->tlb_x;
  struct tlb_entry *t = &tlb[vpn & (TLB_SIZE - 1)];
  t->vpn = vpn;
  t->base = (uintptr_t)(*e & PTE_FRAME);
  return (uint8_t *)(t->base + (addr & PAGE_MASK));
}

static int copy(struct mm *mm, uint64_t addr, void *buf, size_t n, int access) {
  uint8_t *b = buf;
  while (n) {
    size_t chunk = PAGE_SIZE - (addr & PAGE_MASK);
    if (chunk > n) chunk = n;
    uint8_t *p = access == 1 ? mm_wr(mm, addr) : access == 3 ? NULL : mm_rd(mm, addr);
    if (access == 3) { // poke: no permission check, but the page must exist
      pte_t *e = pte_slot(mm, addr, 0);
      if (!e || !*e) {
        mm->fault_addr = addr;
        return -1;
      }
      if (!(*e & PTE_P)) {
        void *pg = page_alloc();
        if (!pg) return -1;
        *e = (pte_t)(uintptr_t)pg | (*e & ~(PTE_FRAME | PTE_RS)) | PTE_P;
        mm->pages++;
      }
      p = (uint8_t *)(uintptr_t)(*e & PTE_FRAME) + (addr & PAGE_MASK);
    }
    if (!p) return -1;
    if (access == 0)
      memcpy(b, p, chunk);
    else
      memcpy(p, b, chunk);
    b += chunk;
    addr += chunk;
    n -= chunk;
  }
  return 0;
}

int mm_read(struct mm *mm, void *dst, uint64_t addr, size_t n) { return copy(mm, addr, dst, n, 0); }
int mm_write(struct mm *mm, uint64_t addr, const void *src, size_t n) {
  return copy(mm, addr, (void *)src, n, 1);
}
int mm_poke(struct mm *mm, uint64_t addr, const void *src, size_t n) {
  int rc = copy(mm, addr, (void *)src, n, 3);
  mm->code_gen++; // the bytes may be code
  return rc;
}

long mm_read_str(struct mm *mm, char *dst, uint64_t addr, size_t max) {
  size_t i = 0;
  while (i < max) {
    uint8_t *p = mm_rd(mm, addr + i);
    if (!p) return -1;
    size_t chunk = PAGE_SIZE - ((addr + i) & PAGE_MASK);
    for (size_t k = 0; k < chunk && i < max; k++, i++) {
      dst[i] = p[k];
      if (!p[k]) return (long)i;
    }
  }
  if (max) dst[max - 1] = 0;
  return -2;
}
