// SPDX-License-Identifier: MIT
// Touches MIB mebibytes (argv[1], default 1) with a pattern, prints "ready",
// then reads stdin to EOF and prints a checksum of the memory and the input.
// The benchmark snapshots a machine while this waits for input, at 16 and
// 256 MiB; tests can snapshot, restore and feed input to compare runs.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv) {
  long mib = argc > 1 ? atol(argv[1]) : 1;
  size_t n = (size_t)mib << 20;
  unsigned char *p = malloc(n);
  if (!p) { printf("malloc failed\n"); return 1; }
  uint64_t seed = 5;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = rnd64(&seed);
    __builtin_memcpy(p + i, &v, 8);
  }
  printf("ready %ld MiB\n", mib);
  fflush(stdout);
  char buf[4096];
  ssize_t r;
  uint64_t h = FNV_INIT;
  long total = 0;
  while ((r = read(0, buf, sizeof buf)) > 0) { h = fnv64(h, buf, r); total += r; }
  uint64_t m = FNV_INIT;
  for (size_t i = 0; i < n; i += 4096) m = fnv64(m, p + i, 64);
  printf("input %ld %016llx memory %016llx\n", total, (unsigned long long)h, (unsigned long long)m);
  return 0;
}
