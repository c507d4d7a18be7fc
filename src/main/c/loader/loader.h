// SPDX-License-Identifier: MIT
// The ELF loader and the initial stack: what execve(2) does to a fresh
// address space. Knows mem/ and the guest ABI; not processes or files (the
// caller reads the file and owns the mm). Errors are -LINUX_ENOEXEC etc.
// with a message left through kernel_error.
#ifndef XOS_LOADER_H
#define XOS_LOADER_H

#include <stddef.h>
#include <stdint.h>

struct mm;

struct elf_image {
  uint64_t entry;       // AT_ENTRY: the program's own entry point
  uint64_t phdr;        // AT_PHDR: guest address of the program headers
  uint16_t phnum, phent;
  uint64_t load_bias;   // added to every p_vaddr (0 for ET_EXEC)
  uint64_t lo, hi;      // lowest and highest (page-aligned) mapped address
  uint64_t brk_start;   // page-aligned end of the highest segment
  uint64_t interp_base; // AT_BASE: the interpreter's load bias, 0 without one
  uint64_t start;       // where execution begins (the interpreter's entry if any)
  char interp[256];     // PT_INTERP path or ""
};

// Validates an ELF file and maps its PT_LOAD segments into mm. ET_DYN files
// are placed at bias (page aligned), ET_EXEC at their addresses. Fills img
// (entry, phdr, brk_start, interp). Never reads outside buf[0..len).
int elf_load(struct mm *mm, const uint8_t *buf, size_t len, uint64_t bias, struct elf_image *img);
// Only the checks of elf_load (no mapping): 0 or -LINUX_ENOEXEC with a message.
int elf_check(const uint8_t *buf, size_t len);
// Bytes of address space the PT_LOAD segments need (page-aligned span).
int elf_span(const uint8_t *buf, size_t len, uint64_t *span);

// Reserves the stack below top and writes argc, argv, envp and the auxv the
// way Linux's create_elf_tables does; *rsp receives the initial stack pointer
// (16-byte aligned, pointing at argc).
int stack_build(struct mm *mm, uint64_t top, uint64_t size, const struct elf_image *img, char *const *argv,
                char *const *envp, const char *execfn, uint64_t *rsp);

#endif
