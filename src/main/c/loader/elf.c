// SPDX-License-Identifier: MIT
// ELF64 x86-64 loading (elf(5)): header checks with messages that name what
// is wrong, then PT_LOAD segments mapped with their permissions, the file
// bytes copied in (private mappings), bss zeroed. Owns nothing after return;
// must never read outside the caller's buffer whatever the file says.
#include <string.h>

#include "../kernel/kernel.h"
#include "../mem/mem.h"
#include "loader.h"

// elf(5) structures, spelled out here: wasi-libc has no <elf.h>.
struct elf64_ehdr {
  uint8_t e_ident[16];
  uint16_t e_type, e_machine;
  uint32_t e_version;
  uint64_t e_entry, e_phoff, e_shoff;
  uint32_t e_flags;
  uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr size");

struct elf64_phdr {
  uint32_t p_type, p_flags;
  uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr size");

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PT_GNU_STACK 0x6474e551
#define PF_X 1
#define PF_W 2
#define PF_R 4
// Highest user address + 1 (47-bit canonical lower half).
#define USER_TOP 0x800000000000ull

static const char *machine_name(unsigned m) {
  switch (m) {
  case 2: return "sparc";
  case 3: return "i386";
  case 6: return "i486";
  case 8: return "mips";
  case 20: return "powerpc";
  case 21: return "powerpc64";
  case 22: return "s390";
  case 40: return "arm";
  case 43: return "sparc64";
  case 50: return "ia64";
  case 62: return "x86-64";
  case 183: return "aarch64";
  case 243: return "riscv";
  case 258: return "loongarch";
  default: return NULL;
  }
}

static int refuse_machine(unsigned m, int elf32) {
  const char *name = machine_name(m);
  const char *cls = elf32 ? " (ELF32)" : "";
  if (name)
    return kernel_error(-LINUX_ENOEXEC, "%s%s programs are not supported: xos runs x86-64 only", name, cls);
  return kernel_error(-LINUX_ENOEXEC, "ELF machine %u%s is not supported: xos runs x86-64 only", m, cls);
}

// Reads the header and program header table after checking they fit.
static int check_headers(const uint8_t *buf, size_t len, struct elf64_ehdr *eh) {
  if (len < 4 || memcmp(buf, "\177ELF", 4) != 0) {
    if (len >= 2 && buf[0] == '#' && buf[1] == '!')
      return kernel_error(-LINUX_ENOEXEC, "not an ELF file (a #! script: run its interpreter instead)");
    return kernel_error(-LINUX_ENOEXEC, "not an ELF file (bad magic)");
  }
  if (len < 20) return kernel_error(-LINUX_ENOEXEC, "truncated ELF header (%zu bytes)", len);
  unsigned machine = (unsigned)buf[18] | (unsigned)buf[19] << 8;
  if (buf[5] == 2) machine = (unsigned)buf[18] << 8 | buf[19];
  if (buf[4] == 1) return refuse_machine(machine, 1);
  if (buf[4] != 2) return kernel_error(-LINUX_ENOEXEC, "bad ELF class %u", buf[4]);
  if (buf[5] != 1) {
    if (machine != EM_X86_64) return refuse_machine(machine, 0);
    return kernel_error(-LINUX_ENOEXEC, "big-endian ELF files are not supported");
  }
  if (machine != EM_X86_64) return refuse_machine(machine, 0);
  if (len < sizeof(*eh)) return kernel_error(-LINUX_ENOEXEC, "truncated ELF header (%zu bytes)", len);
  memcpy(eh, buf, sizeof(*eh));
  if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) {
    const char *what = eh->e_type == 1 ? "a relocatable object (ET_REL)" : eh->e_type == 4 ? "a core dump (ET_CORE)" : "of an unknown type";
    return kernel_error(-LINUX_ENOEXEC, "ELF file is %s, not an executable", what);
  }
  if (eh->e_phentsize != sizeof(struct elf64_phdr))
    return kernel_error(-LINUX_ENOEXEC, "bad ELF program header size %u", eh->e_phentsize);
  // binfmt_elf refuses more than 64 KiB of program headers.
  if (eh->e_phnum == 0 || eh->e_phnum > 65536 / sizeof(struct elf64_phdr))
    return kernel_error(-LINUX_ENOEXEC, "bad ELF program header count %u", eh->e_phnum);
  if (eh->e_phoff > len || (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr) > len - eh->e_phoff)
    return kernel_error(-LINUX_ENOEXEC, "truncated ELF file: program headers end beyond its %zu bytes", len);
  return 0;
}

static void read_phdr(const uint8_t *buf, const struct elf64_ehdr *eh, int i, struct elf64_phdr *ph) {
  memcpy(ph, buf + eh->e_phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

// Checks every segment against the file and the address space; computes the
// span of the PT_LOAD segments before bias.
static int check_segments(const uint8_t *buf, size_t len, const struct elf64_ehdr *eh, uint64_t *lo, uint64_t *hi) {
  uint64_t prev_end = 0;
  int loads = 0;
  *lo = ~0ull;
  *hi = 0;
  for (int i = 0; i < eh->e_phnum; i++) {
    struct elf64_phdr ph;
    read_phdr(buf, eh, i, &ph);
    if (ph.p_type == PT_INTERP) {
      if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset || ph.p_filesz < 2 || ph.p_filesz > 255 ||
          buf[ph.p_offset + ph.p_filesz - 1] != 0)
        return kernel_error(-LINUX_ENOEXEC, "bad PT_INTERP segment");
      continue;
    }
    if (ph.p_type != PT_LOAD) continue;
    if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset)
      return kernel_error(-LINUX_ENOEXEC, "truncated ELF file: segment %d ends beyond its %zu bytes", i, len);
    if (ph.p_filesz > ph.p_memsz)
      return kernel_error(-LINUX_ENOEXEC, "bad ELF segment %d: file size larger than memory size", i);
    if (ph.p_memsz > USER_TOP || ph.p_vaddr >= USER_TOP || ph.p_vaddr + ph.p_memsz > USER_TOP)
      return kernel_error(-LINUX_ENOEXEC, "bad ELF segment %d: address 0x%llx size 0x%llx outside user space", i,
                          (unsigned long long)ph.p_vaddr, (unsigned long long)ph.p_memsz);
    if ((ph.p_vaddr & PAGE_MASK) != (ph.p_offset & PAGE_MASK))
      return kernel_error(-LINUX_ENOEXEC, "bad ELF segment %d: address and file offset differ modulo the page size", i);
    // elf(5): loadable segments are sorted by p_vaddr; binfmt_elf relies on it.
    if (loads && ph.p_vaddr < prev_end)
      return kernel_error(-LINUX_ENOEXEC, "bad ELF segment %d: overlaps or precedes the previous one", i);
    prev_end = ph.p_vaddr + ph.p_memsz;
    if (ph.p_vaddr < *lo) *lo = ph.p_vaddr;
    if (prev_end > *hi) *hi = prev_end;
    loads++;
  }
  if (!loads) return kernel_error(-LINUX_ENOEXEC, "ELF file has no loadable segment");
  return 0;
}

int elf_check(const uint8_t *buf, size_t len) {
  struct elf64_ehdr eh;
  int rc = check_headers(buf, len, &eh);
  if (rc) return rc;
  uint64_t lo, hi;
  return check_segments(buf, len, &eh, &lo, &hi);
}

int elf_span(const uint8_t *buf, size_t len, uint64_t *span) {
  struct elf64_ehdr eh;
  int rc = check_headers(buf, len, &eh);
  if (rc) return rc;
  uint64_t lo, hi;
  rc = check_segments(buf, len, &eh, &lo, &hi);
  if (rc) return rc;
  *span = ((hi + PAGE_MASK) & ~PAGE_MASK) - (lo & ~PAGE_MASK);
  return 0;
}

static uint32_t pte_prot(uint32_t pf) {
  return ((pf & PF_R) ? PTE_R : 0) | ((pf & PF_W) ? PTE_W : 0) | ((pf & PF_X) ? PTE_X : 0);
}

// Maps one PT_LOAD segment the way binfmt_elf's elf_map + padzero do: whole
// pages, the file bytes from the page-aligned offset up to p_filesz, zeros
// after it. A page shared with the previous segment keeps its bytes and gets
// the union of both permissions.
static int map_segment(struct mm *mm, const uint8_t *buf, const struct elf64_phdr *ph, uint64_t bias) {
  uint64_t vaddr = ph->p_vaddr + bias;
  uint64_t start = vaddr & ~PAGE_MASK;
  uint64_t end = (vaddr + ph->p_memsz + PAGE_MASK) & ~PAGE_MASK;
  uint32_t prot = pte_prot(ph->p_flags);
  int first_shared = mm_pte(mm, start) != 0;
  for (uint64_t a = start; a < end; a += PAGE_SIZE) {
    pte_t pte = mm_pte(mm, a);
    if (pte) {
      if (mm_protect(mm, a, PAGE_SIZE, (pte & (PTE_R | PTE_W | PTE_X)) | prot)) return -LINUX_ENOMEM;
    } else if (mm_map_anon(mm, a, PAGE_SIZE, prot)) {
      return -LINUX_ENOMEM;
    }
  }
  uint64_t off = ph->p_offset & ~PAGE_MASK;
  uint64_t n = ph->p_offset + ph->p_filesz - off;
  // Bytes before vaddr in the first page come from the file too (that is
  // how the ELF header becomes visible at the first segment's page), unless
  // the page belongs to the previous segment.
  uint64_t skip = 0;
  if (first_shared) skip = vaddr - start;
  if (n > skip && mm_poke(mm, start + skip, buf + off + skip, n - skip)) return -LINUX_ENOMEM;
  return 0;
}

int elf_load(struct mm *mm, const uint8_t *buf, size_t len, uint64_t bias, struct elf_image *img) {
  struct elf64_ehdr eh;
  int rc = check_headers(buf, len, &eh);
  if (rc) return rc;
  uint64_t lo, hi;
  rc = check_segments(buf, len, &eh, &lo, &hi);
  if (rc) return rc;
  memset(img, 0, sizeof(*img));
  if (eh.e_type == ET_DYN) {
    bias = (bias - (lo & ~PAGE_MASK)) & ~PAGE_MASK;
    if (bias + hi > USER_TOP || bias + hi < bias)
      return kernel_error(-LINUX_ENOEXEC, "ELF file too large to load (0x%llx bytes)", (unsigned long long)(hi - lo));
  } else {
    bias = 0;
    if (lo < KERNEL_MMAP_MIN)
      return kernel_error(-LINUX_ENOEXEC, "ELF segment at 0x%llx is below the lowest mappable address 0x%llx",
                          (unsigned long long)lo, (unsigned long long)KERNEL_MMAP_MIN);
  }
  if (hi - lo > (1ull << 34)) return kernel_error(-LINUX_ENOEXEC, "ELF segments span an absurd 0x%llx bytes", (unsigned long long)(hi - lo));
  img->load_bias = bias;
  img->phnum = eh.e_phnum;
  img->phent = eh.e_phentsize;
  img->entry = eh.e_entry + bias;
  img->lo = (lo + bias) & ~PAGE_MASK;
  img->hi = (hi + bias + PAGE_MASK) & ~PAGE_MASK;
  img->brk_start = img->hi;
  int have_phdr = 0;
  for (int i = 0; i < eh.e_phnum; i++) {
    struct elf64_phdr ph;
    read_phdr(buf, &eh, i, &ph);
    if (ph.p_type == PT_LOAD) {
      rc = map_segment(mm, buf, &ph, bias);
      if (rc) return kernel_error(rc, "out of memory loading ELF segment %d", i);
      // binfmt_elf: AT_PHDR is where the headers land inside a segment.
      if (!have_phdr && eh.e_phoff >= ph.p_offset && eh.e_phoff - ph.p_offset < ph.p_filesz) {
        img->phdr = eh.e_phoff - ph.p_offset + ph.p_vaddr + bias;
        have_phdr = 1;
      }
    } else if (ph.p_type == PT_PHDR) {
      img->phdr = ph.p_vaddr + bias;
      have_phdr = 1;
    } else if (ph.p_type == PT_INTERP) {
      memcpy(img->interp, buf + ph.p_offset, ph.p_filesz);
    }
  }
  img->start = img->entry;
  return 0;
}
