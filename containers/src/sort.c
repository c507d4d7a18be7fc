// SPDX-License-Identifier: MIT
// qsort and bsearch through function pointers, integers and strings.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

static int cmp_int(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
  uint64_t seed = 7, h = FNV_INIT;
  static long v[10000];
  for (int i = 0; i < 10000; i++) v[i] = (long)(rnd64(&seed) % 1000000) * 10007 + i;  // distinct
  qsort(v, 10000, sizeof v[0], cmp_int);
  for (int i = 1; i < 10000; i++)
    if (v[i - 1] >= v[i]) { printf("not sorted at %d\n", i); return 1; }
  h = fnv64(h, v, sizeof v);
  int found = 0;
  for (int i = 0; i < 10000; i += 3) found += bsearch(&v[i], v, 10000, sizeof v[0], cmp_int) != NULL;
  long missing = -5;
  printf("ints %016llx found %d missing %s\n", (unsigned long long)h, found,
         bsearch(&missing, v, 10000, sizeof v[0], cmp_int) ? "found" : "absent");
  static char store[3000][12];
  static char *s[3000];
  for (int i = 0; i < 3000; i++) {
    int len = 1 + rnd64(&seed) % 10;
    for (int k = 0; k < len; k++) store[i][k] = 'a' + rnd64(&seed) % 4;
    snprintf(store[i] + len, 12 - len, "%d", i % 7);
    s[i] = store[i];
  }
  qsort(s, 3000, sizeof s[0], cmp_str);
  h = FNV_INIT;
  for (int i = 0; i < 3000; i++) h = fnv64(h, s[i], strlen(s[i]) + 1);
  printf("strings %016llx first %s last %s\n", (unsigned long long)h, s[0], s[2999]);
  return 0;
}
