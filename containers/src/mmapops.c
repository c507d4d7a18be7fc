// SPDX-License-Identifier: MIT
// mmap, munmap and mprotect over sparse and huge ranges: results and errno
// values, and that pages keep their contents and permissions where they should.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static void report(const char *what, long rc) {
  if (rc < 0)
    printf("%-34s %ld errno %d\n", what, rc, errno);
  else
    printf("%-34s %ld\n", what, rc);
}

int main(void) {
  // A 64 TiB munmap over (almost) nothing must be as quick as a small one.
  report("munmap 64 TiB of nothing", munmap((void *)(1ull << 40), (1ull << 46) - (1ull << 40)));
  report("munmap unaligned", munmap((void *)0x10000001, 4096));
  report("munmap len 0", munmap((void *)0x10000000, 0));

  // Three pages at a fixed address far from everything else; unmap the middle one.
  uint8_t *base = (uint8_t *)(1ull << 41);
  void *p = mmap(base, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  report("mmap fixed 3 pages", p == base ? 0 : -1);
  memset(base, 0x5a, 3 * 4096);
  report("munmap middle page", munmap(base + 4096, 4096));
  report("mprotect across the hole", mprotect(base, 3 * 4096, PROT_READ));
  report("mprotect first page", mprotect(base, 4096, PROT_READ));
  printf("bytes kept %d %d\n", base[0], base[2 * 4096 + 4095]);
  void *q = mmap(base, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  report("fixed_noreplace on a mapping", q == MAP_FAILED ? -1 : 0);
  q = mmap(base + 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  report("fixed_noreplace in the hole", q == base + 4096 ? 0 : -1);
  printf("hole refilled with zero %d\n", ((uint8_t *)q)[100]);
  report("munmap all three and more", munmap(base, 1ull << 30));
  report("mprotect unmapped", mprotect(base, 4096, PROT_READ));

  // A hint that is free is taken as is.
  void *h = mmap((void *)(1ull << 42), 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  report("mmap at a free hint", h == (void *)(1ull << 42) ? 0 : -1);
  report("mmap len 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
  return 0;
}
