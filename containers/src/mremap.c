// SPDX-License-Identifier: MIT
// mremap: shrink, grow in place, grow by moving (MREMAP_MAYMOVE), MREMAP_FIXED
// contents survive every move; errno values.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static int check(const uint8_t *p, size_t n, uint8_t seed) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != (uint8_t)(seed + i * 7)) return 0;
  return 1;
}

static void fill(uint8_t *p, size_t n, uint8_t seed) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(seed + i * 7);
}

int main(void) {
  const size_t pg = 4096;
  uint8_t *base = (uint8_t *)(1ull << 40);
  // Three pages, then a hole of three pages, then a blocker.
  uint8_t *a = mmap(base, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  mmap(base + 6 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  fill(a, 3 * pg, 1);
  uint8_t *b = mremap(a, 3 * pg, 5 * pg, 0);
  printf("grow in place: same address %d, contents %d, new page zero %d\n", b == a, check(b, 3 * pg, 1), b[4 * pg] == 0);
  b[5 * pg - 1] = 9;
  uint8_t *c = mremap(b, 5 * pg, 8 * pg, 0);
  printf("grow blocked without MAYMOVE: %s errno %d\n", c == MAP_FAILED ? "failed" : "moved?", errno);
  c = mremap(b, 5 * pg, 8 * pg, MREMAP_MAYMOVE);
  printf("grow by moving: moved %d, contents %d, tail byte %d, old gone %d\n", c != b, check(c, 3 * pg, 1),
         c[5 * pg - 1], mremap(b, pg, pg, 0) == MAP_FAILED && errno == EFAULT);
  uint8_t *d = mremap(c, 8 * pg, 2 * pg, 0);
  printf("shrink: same %d, contents %d\n", d == c, check(d, 2 * pg, 1));
  uint8_t *target = base + 32 * pg;
  uint8_t *e = mremap(d, 2 * pg, 4 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, target);
  printf("fixed: at target %d, contents %d\n", e == target, check(e, 2 * pg, 1));
  void *r = mremap(base + 1, pg, 2 * pg, 0);
  printf("unaligned: %d errno %d\n", r == MAP_FAILED, errno);
  r = mremap(e, pg, 2 * pg, 0x80);
  printf("bad flags: %d errno %d\n", r == MAP_FAILED, errno);
  r = mremap(e, pg, pg, MREMAP_FIXED, target);
  printf("fixed without maymove: %d errno %d\n", r == MAP_FAILED, errno);
  r = mremap(base + 200 * pg, pg, 2 * pg, MREMAP_MAYMOVE);
  printf("unmapped source: %d errno %d\n", r == MAP_FAILED, errno);
  r = mremap(e, 0, pg, MREMAP_MAYMOVE);
  printf("old size 0 of a private mapping: %d errno %d\n", r == MAP_FAILED, errno);
  // A big malloc'd block grown with realloc (glibc and musl use mremap for those).
  size_t n = 1 << 20;
  uint8_t *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  fill(m, n, 3);
  for (int i = 0; i < 5; i++) {
    m = mremap(m, n, n * 2, MREMAP_MAYMOVE);
    fill(m + n, n, 3 + (uint8_t)(n * 7));
    n *= 2;
  }
  printf("doubling to %zu MiB: contents %d\n", n >> 20, check(m, n, 3));
  return 0;
}
