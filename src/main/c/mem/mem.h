// SPDX-License-Identifier: MIT
// Guest address spaces: a 4-level radix page table over the 48-bit guest
// virtual space, backed by 4 KiB pages carved out of wasm linear memory, plus
// a small direct-mapped TLB per address space. Knows nothing of Linux: the
// kernel decides what to map; this file only keeps the books and the checks.
#ifndef XOS_MEM_H
#define XOS_MEM_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096u
#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

// Page table entry (pte_t: 32 bits in wasm linear memory, pointer-sized in the
// native build; the layout of the low bits is the same):
//
//  31                         12 11    8  7  6  5  4  3  2  1  0
// +-----------------------------+-------+--+--+--+--+--+--+--+--+
// |  linear address of the page |  zero |CD|SH|CW|RS| X| W| R| P|
// +-----------------------------+-------+--+--+--+--+--+--+--+--+
//  P  page is backed (frame bits valid)     RS reserved: mapped, zero-filled on
//  R/W/X guest permissions                     first touch (demand paging)
//  CW copy-on-write (fork, issue 3)         SH shared mapping
//  CD the CPU has decoded code from this page: kept out of the write TLB
// An entry of 0 means unmapped.
typedef uintptr_t pte_t; // flags are pte_t so ~FLAG keeps the frame bits
#define PTE_P ((pte_t)0x01)
#define PTE_R ((pte_t)0x02)
#define PTE_W ((pte_t)0x04)
#define PTE_X ((pte_t)0x08)
#define PTE_RS ((pte_t)0x10)
#define PTE_COW ((pte_t)0x20)
#define PTE_SH ((pte_t)0x40)
#define PTE_CODE ((pte_t)0x80)
#define PTE_FRAME (~(pte_t)0xFFF)

#define TLB_SIZE 256

struct tlb_entry {
  uint64_t vpn;   // guest virtual page number; ~0 when empty
  uintptr_t base; // host address of the page's first byte
};

// One guest address space. Threads of a process share it (and its TLBs: the
// engine runs one guest thread at a time).
struct mm {
  pte_t *pml4;                      // top-level table, 512 entries
  struct tlb_entry tlb_r[TLB_SIZE]; // readable pages
  struct tlb_entry tlb_w[TLB_SIZE]; // writable, present, not COW
  struct tlb_entry tlb_x[TLB_SIZE]; // executable pages
  uint64_t pages;                   // backed pages owned (for limits)
  uint32_t code_gen;                // bumped when cached code may be stale
  uint64_t fault_addr;              // last faulting address (set by checks)
  int fault_write;                  // 1 if the last fault was a write
  int refs;                         // tasks sharing this mm
};

struct mm *mm_new(void);
void mm_free(struct mm *mm);
// Copy an address space for fork: private pages are copied (issue 3 may turn
// this into copy-on-write), shared ones shared.
struct mm *mm_clone(struct mm *mm);
void mm_tlb_flush(struct mm *mm);
// Marks the page of addr as holding decoded code (see PTE_CODE).
void mm_mark_code(struct mm *mm, uint64_t addr);

// Page-granular mapping primitives. addr and len are page aligned.
// prot is a mix of PTE_R/W/X. map_anon reserves zero-fill-on-demand pages.
int mm_map_anon(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot);
int mm_unmap(struct mm *mm, uint64_t addr, uint64_t len);
int mm_protect(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot);
// Returns the PTE for addr (0 if unmapped) without side effects.
pte_t mm_pte(struct mm *mm, uint64_t addr);
// Lowest page-aligned hole of len bytes at or above hint, below limit; 0 if none.
uint64_t mm_find_hole(struct mm *mm, uint64_t hint, uint64_t len, uint64_t limit);
// The next run of mapped pages in [*addr, end) with equal permissions: on 1,
// [*addr, *run_end) is the run and *prot its PTE_R/W/X bits; 0 when none is
// left. For /proc/PID/maps (the engine keeps no mapping list).
int mm_next_range(struct mm *mm, uint64_t *addr, uint64_t end, uint64_t *run_end, uint32_t *prot);
// True if every page of [addr, addr+len) is unmapped.
int mm_range_free(struct mm *mm, uint64_t addr, uint64_t len);

// Slow-path translation: host pointer to the byte at addr, or NULL (and
// mm->fault_addr set). access: 0 read, 1 write, 2 execute. Fills the TLB.
uint8_t *mm_translate(struct mm *mm, uint64_t addr, int access);

// Fast-path translation for an access of n bytes that stays in one page.
static inline uint8_t *mm_tr(struct mm *mm, struct tlb_entry *tlb, uint64_t addr, int access) {
  uint64_t vpn = addr >> 12;
  struct tlb_entry *e = &tlb[vpn & (TLB_SIZE - 1)];
  if (__builtin_expect(e->vpn == vpn, 1))
    return (uint8_t *)(e->base + (addr & PAGE_MASK));
  return mm_translate(mm, addr, access);
}
static inline uint8_t *mm_rd(struct mm *mm, uint64_t addr) { return mm_tr(mm, mm->tlb_r, addr, 0); }
static inline uint8_t *mm_wr(struct mm *mm, uint64_t addr) { return mm_tr(mm, mm->tlb_w, addr, 1); }

// Checked copies for the kernel: 0 on success, -1 on a fault (mm->fault_addr
// tells where). The caller turns -1 into -LINUX_EFAULT.
int mm_read(struct mm *mm, void *dst, uint64_t addr, size_t n);
int mm_write(struct mm *mm, uint64_t addr, const void *src, size_t n);
// Reads a NUL-terminated string of at most max-1 chars into dst (always
// terminated). Returns its length, -1 on fault, -2 if too long.
long mm_read_str(struct mm *mm, char *dst, uint64_t addr, size_t max);
// Writes without permission checks (the loader fills read-only segments).
int mm_poke(struct mm *mm, uint64_t addr, const void *src, size_t n);

// Guest page frames (4 KiB, zeroed) from linear memory.
void *page_alloc(void);
void page_free(void *p);
extern uint64_t page_limit; // max backed pages engine-wide (0 = no limit)
extern uint64_t pages_in_use;

#endif
