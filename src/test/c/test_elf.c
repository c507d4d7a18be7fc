// SPDX-License-Identifier: MIT
// ELF loader and initial stack tests: a minimal executable built here,
// refusals with messages that name the problem, and malformed input
// (every truncation, byte flips) that must fail cleanly under ASan.
#include <stdint.h>
#include <stdlib.h>

#include "kernel/kernel.h"
#include "loader/loader.h"
#include "test.h"

// exit(42): mov edi, 42; mov eax, 60; syscall
static const uint8_t code[] = {0xbf, 0x2a, 0, 0, 0, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05};

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

// ELF header, one PT_LOAD (R+X, file at 0x400000, 0x2000 bytes of bss), code.
static size_t mini_elf(uint8_t *b) {
  size_t len = 64 + 56 + sizeof(code);
  memset(b, 0, len);
  memcpy(b, "\177ELF\2\1\1", 7);
  put16(b + 16, 2);           // ET_EXEC
  put16(b + 18, 62);          // EM_X86_64
  put32(b + 20, 1);
  put64(b + 24, 0x400000 + 120); // e_entry
  put64(b + 32, 64);          // e_phoff
  put16(b + 52, 64);
  put16(b + 54, 56);
  put16(b + 56, 1);
  uint8_t *ph = b + 64;
  put32(ph, 1);               // PT_LOAD
  put32(ph + 4, 5);           // PF_R | PF_X
  put64(ph + 16, 0x400000);
  put64(ph + 24, 0x400000);
  put64(ph + 32, len);
  put64(ph + 40, len + 0x2000);
  put64(ph + 48, 0x1000);
  memcpy(b + 120, code, sizeof(code));
  return len;
}

TEST(elf_loads_minimal) {
  uint8_t b[256];
  size_t len = mini_elf(b);
  struct mm *mm = mm_new();
  struct elf_image img;
  ASSERT_EQ(elf_load(mm, b, len, KERNEL_PIE_BASE, &img), 0);
  ASSERT_EQ(img.entry, 0x400000 + 120);
  ASSERT_EQ(img.phdr, 0x400040);
  ASSERT_EQ(img.phnum, 1);
  ASSERT_EQ(img.brk_start, 0x403000);
  uint8_t got[sizeof(code)];
  ASSERT_EQ(mm_read(mm, got, 0x400000 + 120, sizeof(code)), 0);
  ASSERT(memcmp(got, code, sizeof(code)) == 0);
  uint8_t z = 1;
  ASSERT_EQ(mm_read(mm, &z, 0x400000 + len + 5, 1), 0); // bss in the partial page
  ASSERT_EQ(z, 0);
  ASSERT_EQ(mm_read(mm, &z, 0x402fff, 1), 0);
  ASSERT_EQ(z, 0);
  ASSERT_EQ(mm_write(mm, 0x400000, "x", 1), -1); // text is not writable
  ASSERT(mm_pte(mm, 0x400000) & PTE_X);
  ASSERT_EQ(mm_pte(mm, 0x403000), 0);
  mm_free(mm);
}

static int refuse(const uint8_t *b, size_t len, const char *words) {
  struct mm *mm = mm_new();
  struct elf_image img;
  int rc = elf_load(mm, b, len, KERNEL_PIE_BASE, &img);
  mm_free(mm);
  if (rc != -LINUX_ENOEXEC) return 0;
  return strstr(kern.error, words) != NULL;
}

TEST(elf_refusals_name_the_problem) {
  uint8_t b[256];
  size_t len = mini_elf(b);
  ASSERT(refuse((const uint8_t *)"#!/bin/sh\n", 10, "not an ELF file"));
  ASSERT(refuse((const uint8_t *)"MZ\x90\x00", 4, "bad magic"));
  b[4] = 1; // ELFCLASS32
  put16(b + 18, 3);
  ASSERT(refuse(b, len, "i386 (ELF32) programs are not supported: xos runs x86-64 only"));
  put16(b + 18, 40);
  ASSERT(refuse(b, len, "arm (ELF32)"));
  b[4] = 2;
  put16(b + 18, 183);
  ASSERT(refuse(b, len, "aarch64 programs are not supported"));
  put16(b + 18, 243);
  ASSERT(refuse(b, len, "riscv"));
  put16(b + 18, 62);
  put16(b + 16, 1);
  ASSERT(refuse(b, len, "relocatable"));
  mini_elf(b);
  put64(b + 64 + 32, 4096); // p_filesz beyond the file
  ASSERT(refuse(b, len, "truncated"));
  mini_elf(b);
  put64(b + 64 + 40, 1ull << 62); // absurd p_memsz
  ASSERT(refuse(b, len, "outside user space"));
}

TEST(elf_every_truncation_fails_cleanly) {
  uint8_t b[256];
  size_t len = mini_elf(b);
  for (size_t n = 0; n < len - sizeof(code); n++) {
    uint8_t *copy = malloc(n ? n : 1); // exact size: ASan catches any overread
    memcpy(copy, b, n);
    struct mm *mm = mm_new();
    struct elf_image img;
    int rc = elf_load(mm, copy, n, KERNEL_PIE_BASE, &img);
    mm_free(mm);
    free(copy);
    ASSERT_EQ(rc, -LINUX_ENOEXEC);
  }
}

TEST(elf_byte_flips_never_crash) {
  uint8_t b[256];
  size_t len = mini_elf(b);
  static const uint8_t values[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x40};
  for (size_t i = 0; i < 120; i++) {
    for (size_t v = 0; v < sizeof(values); v++) {
      uint8_t *copy = malloc(len);
      memcpy(copy, b, len);
      copy[i] = values[v];
      struct mm *mm = mm_new();
      struct elf_image img;
      int rc = elf_load(mm, copy, len, KERNEL_PIE_BASE, &img);
      mm_free(mm);
      free(copy);
      ASSERT(rc == 0 || rc == -LINUX_ENOEXEC || rc == -LINUX_ENOMEM);
    }
  }
}

// A real executable from the repository, cut every 64 bytes.
TEST(elf_real_file_truncations) {
  FILE *f = fopen("containers/hello-x86_64.elf", "rb");
  if (!f) {
    printf("  (containers/hello-x86_64.elf not found; run from the repository root)\n");
    return;
  }
  uint8_t *buf = malloc(1 << 20);
  size_t len = fread(buf, 1, 1 << 20, f);
  fclose(f);
  struct mm *mm = mm_new();
  struct elf_image img;
  ASSERT_EQ(elf_load(mm, buf, len, KERNEL_PIE_BASE, &img), 0);
  mm_free(mm);
  for (size_t n = 0; n < len; n += 64) {
    uint8_t *copy = malloc(n ? n : 1);
    memcpy(copy, buf, n);
    mm = mm_new();
    int rc = elf_load(mm, copy, n, KERNEL_PIE_BASE, &img);
    mm_free(mm);
    free(copy);
    ASSERT(rc == 0 || rc == -LINUX_ENOEXEC);
  }
  free(buf);
}

// The layout of fs/binfmt_elf.c create_elf_tables: argc at rsp (16-byte
// aligned), argv, NULL, envp, NULL, auxv pairs ending in AT_NULL.
TEST(stack_layout) {
  uint8_t b[256];
  size_t len = mini_elf(b);
  struct mm *mm = mm_new();
  struct elf_image img;
  ASSERT_EQ(elf_load(mm, b, len, KERNEL_PIE_BASE, &img), 0);
  char *argv[] = {"prog", "one", "two words", NULL};
  char *envp[] = {"A=1", NULL};
  uint64_t rsp;
  ASSERT_EQ(stack_build(mm, KERNEL_STACK_TOP, KERNEL_STACK_SIZE, &img, argv, envp, "/bin/prog", &rsp), 0);
  ASSERT_EQ(rsp & 15, 0);
  uint64_t w[64];
  memset(w, 0, sizeof(w));
  size_t avail = KERNEL_STACK_TOP - rsp < sizeof(w) ? KERNEL_STACK_TOP - rsp : sizeof(w);
  ASSERT_EQ(mm_read(mm, w, rsp, avail), 0);
  ASSERT_EQ(w[0], 3);
  char s[64];
  ASSERT(mm_read_str(mm, s, w[3], sizeof(s)) >= 0);
  ASSERT_STR(s, "two words");
  ASSERT_EQ(w[4], 0);
  ASSERT(mm_read_str(mm, s, w[5], sizeof(s)) >= 0);
  ASSERT_STR(s, "A=1");
  ASSERT_EQ(w[6], 0);
  int seen = 0;
  for (int i = 7; i + 1 < 64; i += 2) {
    if (w[i] == LINUX_AT_NULL) break;
    if (w[i] == LINUX_AT_PAGESZ) {
      ASSERT_EQ(w[i + 1], 4096);
      seen |= 1;
    }
    if (w[i] == LINUX_AT_PHDR) {
      ASSERT_EQ(w[i + 1], 0x400040);
      seen |= 2;
    }
    if (w[i] == LINUX_AT_ENTRY) {
      ASSERT_EQ(w[i + 1], img.entry);
      seen |= 4;
    }
    if (w[i] == LINUX_AT_EXECFN) {
      ASSERT(mm_read_str(mm, s, w[i + 1], sizeof(s)) >= 0);
      ASSERT_STR(s, "/bin/prog");
      seen |= 8;
    }
    if (w[i] == LINUX_AT_RANDOM) {
      uint8_t r[16];
      ASSERT_EQ(mm_read(mm, r, w[i + 1], 16), 0);
      seen |= 16;
    }
    if (w[i] == LINUX_AT_PLATFORM) {
      ASSERT(mm_read_str(mm, s, w[i + 1], sizeof(s)) >= 0);
      ASSERT_STR(s, "x86_64");
      seen |= 32;
    }
  }
  ASSERT_EQ(seen, 63);
  mm_free(mm);
}
