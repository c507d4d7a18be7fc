// SPDX-License-Identifier: MIT
// malloc/free/realloc/calloc of many sizes: small bins, the brk heap and
// large blocks served by mmap (glibc's threshold is 128 KiB, musl's similar).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

#define SLOTS 512

int main(void) {
  static unsigned char *p[SLOTS];
  static size_t sz[SLOTS];
  uint64_t seed = 99, h = FNV_INIT;
  for (int round = 0; round < 20000; round++) {
    int i = rnd64(&seed) % SLOTS;
    uint64_t r = rnd64(&seed);
    size_t n;
    switch (r % 8) {
    case 0: n = 1 + r % 16; break;
    case 1: case 2: n = 1 + r % 512; break;
    case 3: n = 1 + r % 8192; break;
    case 4: n = 1 + r % 100000; break;
    case 5: n = 128 * 1024 + r % (1 << 20); break;
    default: n = 1 + r % 256; break;
    }
    if (p[i]) {
      for (size_t k = 0; k < sz[i]; k += 97)
        if (p[i][k] != (unsigned char)(i + k)) { printf("corrupt slot %d at %zu\n", i, k); return 1; }
      if (p[i][sz[i] - 1] != (unsigned char)(i + sz[i] - 1)) { printf("corrupt end of slot %d\n", i); return 1; }
      if (r & 0x100) {
        unsigned char *q = realloc(p[i], n);
        if (!q) { printf("realloc failed\n"); return 1; }
        size_t keep = n < sz[i] ? n : sz[i];
        for (size_t k = 0; k < keep; k += 97)
          if (q[k] != (unsigned char)(i + k)) { printf("realloc lost data %d\n", i); return 1; }
        p[i] = q;
      } else {
        free(p[i]);
        p[i] = (r & 0x200) ? calloc(1, n) : malloc(n);
        if (!p[i]) { printf("alloc failed\n"); return 1; }
        if (r & 0x200)
          for (size_t k = 0; k < n; k += 61)
            if (p[i][k]) { printf("calloc not zero\n"); return 1; }
      }
    } else {
      p[i] = malloc(n);
      if (!p[i]) { printf("malloc failed\n"); return 1; }
    }
    sz[i] = n;
    // Every 97th byte and the last one carry a pattern: enough to catch a lost
    // or overlapping block without byte loops over megabytes under emulation.
    for (size_t k = 0; k < n; k += 97) p[i][k] = (unsigned char)(i + k);
    p[i][n - 1] = (unsigned char)(i + n - 1);
    h = fnv64(h, &n, sizeof n);
    if (round % 5000 == 4999) printf("round %d ok %016llx\n", round + 1, (unsigned long long)h);
  }
  for (int i = 0; i < SLOTS; i++) free(p[i]);
  void *big = malloc(64 << 20);
  memset(big, 1, 64 << 20);
  printf("big %d\n", ((unsigned char *)big)[(64 << 20) - 1]);
  free(big);
  printf("done\n");
  return 0;
}
