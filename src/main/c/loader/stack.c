// SPDX-License-Identifier: MIT
// The initial process stack, laid out as Linux's fs/exec.c (strings) and
// fs/binfmt_elf.c create_elf_tables (argc, argv, envp, auxv) do with address
// randomisation off, so programs see the same layout as under `setarch -R`.
// Owns nothing; writes only the stack mapping it creates.
#include <stdlib.h>
#include <string.h>

#include "../cpu/cpu.h"
#include "../host/host.h"
#include "../kernel/linux.h"
#include "../mem/mem.h"
#include "loader.h"

static int count(char *const *v) {
  int n = 0;
  while (v && v[n]) n++;
  return n;
}

// Copies s below *p; returns its guest address or 0 on a fault.
static uint64_t push_string(struct mm *mm, uint64_t *p, const char *s) {
  size_t n = strlen(s) + 1;
  *p -= n;
  return mm_write(mm, *p, s, n) ? 0 : *p;
}

int stack_build(struct mm *mm, uint64_t top, uint64_t size, const struct elf_image *img, char *const *argv,
                char *const *envp, const char *execfn, uint64_t *rsp) {
  int argc = count(argv), envc = count(envp);
  // execve(2): argument and environment strings together may use a quarter
  // of the stack limit.
  size_t total = strlen(execfn) + 1;
  for (int i = 0; i < argc; i++) total += strlen(argv[i]) + 1;
  for (int i = 0; i < envc; i++) total += strlen(envp[i]) + 1;
  total += ((size_t)argc + envc + 64) * 8;
  if (total > size / 4) return -LINUX_E2BIG;
  if (mm_map_anon(mm, top - size, size, PTE_R | PTE_W)) return -LINUX_ENOMEM;

  uint64_t p = top - 8; // fs/exec.c leaves one NULL pointer at the very top
  uint64_t execfn_addr = push_string(mm, &p, execfn);
  // On the heap: the wasm C stack is 1 MiB and envp may be large.
  uint64_t *arg_addr = malloc(((size_t)argc + envc + 2) * sizeof(uint64_t));
  if (!arg_addr) return -LINUX_ENOMEM;
  uint64_t *env_addr = arg_addr + argc + 1;
  for (int i = envc - 1; i >= 0; i--) env_addr[i] = push_string(mm, &p, envp[i]);
  for (int i = argc - 1; i >= 0; i--) arg_addr[i] = push_string(mm, &p, argv[i]);
  p &= ~15ull;
  uint64_t platform = push_string(mm, &p, "x86_64");
  uint8_t rnd[16];
  host_random(rnd, sizeof(rnd));
  p -= 16;
  uint64_t random_addr = p;
  if (mm_write(mm, p, rnd, sizeof(rnd)) || !platform || !execfn_addr) {
    free(arg_addr);
    return -LINUX_EFAULT;
  }

  uint32_t id[4];
  cpu_cpuid(1, 0, id);
  uint64_t aux[][2] = {
    {LINUX_AT_HWCAP, id[3]},
    {LINUX_AT_PAGESZ, PAGE_SIZE},
    {LINUX_AT_CLKTCK, 100},
    {LINUX_AT_PHDR, img->phdr},
    {LINUX_AT_PHENT, img->phent},
    {LINUX_AT_PHNUM, img->phnum},
    {LINUX_AT_BASE, img->interp_base},
    {LINUX_AT_FLAGS, 0},
    {LINUX_AT_ENTRY, img->entry},
    {LINUX_AT_UID, 0},
    {LINUX_AT_EUID, 0},
    {LINUX_AT_GID, 0},
    {LINUX_AT_EGID, 0},
    {LINUX_AT_SECURE, 0},
    {LINUX_AT_RANDOM, random_addr},
    {LINUX_AT_HWCAP2, 0},
    {LINUX_AT_EXECFN, execfn_addr},
    {LINUX_AT_PLATFORM, platform},
    {LINUX_AT_MINSIGSTKSZ, 2048},
    {LINUX_AT_NULL, 0},
  };
  size_t naux = sizeof(aux) / sizeof(aux[0]);
  uint64_t sp = p - naux * 16;
  uint64_t items = (uint64_t)(argc + 1) + (uint64_t)(envc + 1) + 1;
  sp = (sp - items * 8) & ~15ull; // STACK_ROUND: rsp % 16 == 0 at argc (x86-64 psABI 3.4.1)
  uint64_t w = sp;
  uint64_t v = (uint64_t)argc;
  int bad = mm_write(mm, w, &v, 8);
  w += 8;
  for (int i = 0; i < argc; i++, w += 8) bad |= !arg_addr[i] || mm_write(mm, w, &arg_addr[i], 8);
  v = 0;
  bad |= mm_write(mm, w, &v, 8);
  w += 8;
  for (int i = 0; i < envc; i++, w += 8) bad |= !env_addr[i] || mm_write(mm, w, &env_addr[i], 8);
  bad |= mm_write(mm, w, &v, 8);
  w += 8;
  bad |= mm_write(mm, w, aux, naux * 16);
  free(arg_addr);
  if (bad) return -LINUX_EFAULT;
  *rsp = sp;
  return 0;
}
