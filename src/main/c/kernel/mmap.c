// SPDX-License-Identifier: MIT
// Address-space syscalls: mmap, munmap, mprotect, brk, madvise, mremap,
// msync. Decides where mappings go (top-down below the mmap top, as Linux's
// default layout with randomisation off) and copies file bytes into private
// mappings; page tables themselves are mem/'s.
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "syscalls.h"

#define USER_TOP 0x800000000000ull

static uint32_t prot_to_pte(uint64_t prot) {
  return ((prot & LINUX_PROT_READ) ? PTE_R : 0) | ((prot & LINUX_PROT_WRITE) ? PTE_W | PTE_R : 0) |
         ((prot & LINUX_PROT_EXEC) ? PTE_X | PTE_R : 0);
}

// Highest free range of len bytes below p->mmap_top (mm/mmap.c's top-down
// unmapped_area_topdown, without the gap heuristics). 0 if none.
uint64_t mmap_find(struct proc *p, uint64_t len) {
  uint64_t top = p->mmap_top;
  while (top >= KERNEL_MMAP_MIN + len) {
    uint64_t a = top - len;
    uint64_t pg = top;
    int hit = 0;
    while (pg > a) {
      pg -= PAGE_SIZE;
      if (mm_pte(p->mm, pg)) {
        hit = 1;
        break;
      }
    }
    if (!hit) return a;
    top = pg;
  }
  return 0;
}

// Copies len bytes of f from off into the (already mapped) pages at addr.
// Bytes past the end of the file stay zero (Linux would raise SIGBUS on
// whole pages past the end; quirk).
static int fill_from_file(struct proc *p, struct file *f, uint64_t addr, uint64_t len, int64_t off) {
  uint8_t *buf = malloc(1u << 16);
  if (!buf) return -LINUX_ENOMEM;
  uint64_t done = 0;
  int rc = 0;
  while (done < len) {
    size_t k = len - done < (1u << 16) ? (size_t)(len - done) : (1u << 16);
    long n = f->ops->pread(f, buf, k, off + (int64_t)done);
    if (n < 0) rc = (int)n;
    if (n <= 0) break;
    if (mm_poke(p->mm, addr + done, buf, (size_t)n)) {
      rc = -LINUX_ENOMEM;
      break;
    }
    done += (uint64_t)n;
  }
  free(buf);
  return rc;
}

// Under a page limit (xos_set_page_limit), a writable private mapping larger
// than the pages still free is refused at once, like Linux's heuristic
// overcommit refusing an obvious overcommit: an allocation bomb gets ENOMEM
// from mmap/brk instead of dying of SIGSEGV on a page it cannot back.
static int mem_room(uint64_t len) {
  if (!page_limit) return 1;
  uint64_t free_pages = pages_in_use < page_limit ? page_limit - pages_in_use : 0;
  return len / PAGE_SIZE <= free_pages;
}

int64_t sys_mmap(struct task *t, const uint64_t *a) {
  struct proc *p = t->proc;
  uint64_t addr = a[0], len = a[1], prot = a[2], flags = a[3], off = a[5];
  int fd = (int)a[4];
  int type = (int)(flags & LINUX_MAP_TYPE);
  if (type != LINUX_MAP_PRIVATE && type != LINUX_MAP_SHARED && type != LINUX_MAP_SHARED_VALIDATE)
    return -LINUX_EINVAL;
  if (!len || (off & PAGE_MASK)) return -LINUX_EINVAL;
  // Page tables are eager (a PTE per reserved page), so a single mapping is
  // capped at 16 GiB (quirk: Linux would reserve terabytes lazily).
  if (len > (16ull << 30)) return -LINUX_ENOMEM;
  len = (len + PAGE_MASK) & ~PAGE_MASK;
  struct file *f = NULL;
  if (!(flags & LINUX_MAP_ANONYMOUS)) {
    f = fd_get(p, fd);
    if (!f) return -LINUX_EBADF;
    if (f->flags & LINUX_O_PATH) return -LINUX_EBADF;
    if ((f->flags & LINUX_O_ACCMODE) == LINUX_O_WRONLY) return -LINUX_EACCES;
    if (type != LINUX_MAP_PRIVATE && (prot & LINUX_PROT_WRITE) && (f->flags & LINUX_O_ACCMODE) != LINUX_O_RDWR)
      return -LINUX_EACCES;
    if (!LINUX_S_ISREG(f->mode) || !f->ops->pread || f->ops->stream) return -LINUX_ENODEV;
    if ((int64_t)off < 0) return -LINUX_EOVERFLOW;
  }
  int fixed = (flags & (LINUX_MAP_FIXED | LINUX_MAP_FIXED_NOREPLACE)) != 0;
  if (fixed) {
    if (addr & PAGE_MASK) return -LINUX_EINVAL;
    if (addr < KERNEL_MMAP_MIN) return -LINUX_EPERM; // below vm.mmap_min_addr (mmap(2) EPERM)
    if (addr + len > USER_TOP || addr + len < addr) return -LINUX_ENOMEM;
    if ((flags & LINUX_MAP_FIXED_NOREPLACE) && !(flags & LINUX_MAP_FIXED) && !mm_range_free(p->mm, addr, len))
      return -LINUX_EEXIST;
  } else {
    // A hint is honoured when the range is free (mmap(2)).
    uint64_t hint = (addr + PAGE_MASK) & ~PAGE_MASK;
    if (hint >= KERNEL_MMAP_MIN && hint + len <= USER_TOP && hint + len > hint && mm_range_free(p->mm, hint, len))
      addr = hint;
    else if (!(addr = mmap_find(p, len)))
      return -LINUX_ENOMEM;
  }
  if ((prot & LINUX_PROT_WRITE) && type == LINUX_MAP_PRIVATE && !mem_room(len)) return -LINUX_ENOMEM;
  uint32_t pte = prot_to_pte(prot);
  // Map writable first so the file bytes can be copied, then set prot.
  if (mm_map_anon(p->mm, addr, len, pte)) return -LINUX_ENOMEM;
  if (f) {
    int rc = fill_from_file(p, f, addr, len, (int64_t)off);
    if (rc) {
      mm_unmap(p->mm, addr, len);
      return rc;
    }
  }
  return (int64_t)addr;
}

int64_t sys_munmap(struct task *t, const uint64_t *a) {
  uint64_t addr = a[0], len = a[1];
  if ((addr & PAGE_MASK) || !len || addr >= USER_TOP || len > USER_TOP - addr) return -LINUX_EINVAL;
  len = (len + PAGE_MASK) & ~PAGE_MASK;
  mm_unmap(t->proc->mm, addr, len);
  return 0;
}

int64_t sys_mprotect(struct task *t, const uint64_t *a) {
  uint64_t addr = a[0], len = a[1], prot = a[2];
  if (addr & PAGE_MASK) return -LINUX_EINVAL;
  if (prot & ~(uint64_t)(7 | 0x01000000 | 0x02000000)) return -LINUX_EINVAL; // PROT_GROWSDOWN/UP
  len = (len + PAGE_MASK) & ~PAGE_MASK;
  if (!len) return 0;
  if (addr + len > USER_TOP || addr + len < addr) return -LINUX_ENOMEM;
  return mm_protect(t->proc->mm, addr, len, prot_to_pte(prot)) ? -LINUX_ENOMEM : 0;
}

// brk(2) as the kernel implements it: the new break is returned on success,
// the old one on failure (the libc wrapper turns that into ENOMEM).
int64_t sys_brk(struct task *t, const uint64_t *a) {
  struct proc *p = t->proc;
  uint64_t want = a[0];
  if (want < p->brk_start || want >= KERNEL_MMAP_TOP) return (int64_t)p->brk;
  uint64_t old_end = (p->brk + PAGE_MASK) & ~PAGE_MASK;
  uint64_t new_end = (want + PAGE_MASK) & ~PAGE_MASK;
  if (new_end > old_end) {
    if (!mm_range_free(p->mm, old_end, new_end - old_end)) return (int64_t)p->brk;
    if (!mem_room(new_end - old_end)) return (int64_t)p->brk;
    if (mm_map_anon(p->mm, old_end, new_end - old_end, PTE_R | PTE_W)) return (int64_t)p->brk;
  } else if (new_end < old_end) {
    mm_unmap(p->mm, new_end, old_end - new_end);
  }
  p->brk = want;
  return (int64_t)want;
}

// madvise(2): MADV_DONTNEED (4) on private mappings must read back as zeros
// afterwards (allocators rely on it); everything else is advice.
int64_t sys_madvise(struct task *t, const uint64_t *a) {
  uint64_t addr = a[0], len = (a[1] + PAGE_MASK) & ~PAGE_MASK;
  if (addr & PAGE_MASK) return -LINUX_EINVAL;
  if ((int)a[2] == 4) {
    for (uint64_t pg = addr; pg < addr + len; pg += PAGE_SIZE) {
      pte_t pte = mm_pte(t->proc->mm, pg);
      if (!pte) return -LINUX_ENOMEM;
      if (pte & PTE_P) mm_map_anon(t->proc->mm, pg, PAGE_SIZE, pte & (PTE_R | PTE_W | PTE_X));
    }
  }
  return 0;
}

// mremap(2): moving or growing mappings is issue 3's; failing with ENOMEM is
// allowed and makes realloc fall back to malloc + copy.
int64_t sys_mremap(struct task *t, const uint64_t *a) {
  uint64_t addr = a[0], old_len = (a[1] + PAGE_MASK) & ~PAGE_MASK, new_len = (a[2] + PAGE_MASK) & ~PAGE_MASK;
  if (addr & PAGE_MASK) return -LINUX_EINVAL;
  if (!new_len) return -LINUX_EINVAL;
  if (new_len <= old_len) {
    if (new_len < old_len) mm_unmap(t->proc->mm, addr + new_len, old_len - new_len);
    return (int64_t)addr;
  }
  return -LINUX_ENOMEM;
}

int64_t sys_msync(struct task *t, const uint64_t *a) { return (a[0] & PAGE_MASK) ? -LINUX_EINVAL : 0; }

// mincore(2): one byte per page, 1 when the page is backed by a frame.
int64_t sys_mincore(struct task *t, const uint64_t *a) {
  uint64_t addr = a[0], len = (a[1] + PAGE_MASK) & ~PAGE_MASK;
  if (addr & PAGE_MASK) return -LINUX_EINVAL;
  if (addr + len > USER_TOP || addr + len < addr) return -LINUX_ENOMEM;
  uint8_t vec[256];
  uint64_t pages = len / PAGE_SIZE;
  for (uint64_t i = 0; i < pages; i += sizeof(vec)) {
    uint64_t k = pages - i < sizeof(vec) ? pages - i : sizeof(vec);
    for (uint64_t j = 0; j < k; j++) {
      pte_t pte = mm_pte(t->proc->mm, addr + (i + j) * PAGE_SIZE);
      if (!pte) return -LINUX_ENOMEM;
      vec[j] = (pte & PTE_P) ? 1 : 0;
    }
    if (mm_write(t->proc->mm, a[2] + i, vec, (size_t)k)) return -LINUX_EFAULT;
  }
  return 0;
}
