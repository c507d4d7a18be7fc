// SPDX-License-Identifier: MIT
// string.h functions on many lengths and alignments: libc uses SSE2 (and
// on glibc, possibly wider) paths that depend on both.
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include "common.h"

static unsigned char a[4096 + 64], b[4096 + 64];

static int sgn(int x) { return (x > 0) - (x < 0); }

int main(void) {
  uint64_t seed = 0x1234;
  uint64_t h = FNV_INIT;
  static const int lens[] = {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256,
                             257, 1000, 1023, 1024, 1025, 4000};
  for (unsigned li = 0; li < sizeof lens / sizeof lens[0]; li++) {
    int n = lens[li];
    for (int al = 0; al < 16; al += (n > 256 ? 5 : 1)) {
      int bl = (al * 7) % 16;
      for (int i = 0; i < (int)sizeof a; i++) a[i] = 'a' + rnd64(&seed) % 26;
      memcpy(b, a, sizeof b);
      unsigned char *pa = a + al, *pb = b + bl;
      memcpy(pb, pa, n);
      pa[n] = 0; pb[n] = 0;
      int r = 0;
      r = r * 3 + (int)strlen((char *)pa);
      r = r * 3 + sgn(strcmp((char *)pa, (char *)pb));
      r = r * 3 + sgn(memcmp(pa, pb, n));
      if (n > 0) {
        pb[n - 1] ^= 1;
        r = r * 3 + sgn(memcmp(pa, pb, n)) + 1;
        r = r * 3 + sgn(strcmp((char *)pa, (char *)pb)) + 1;
        r = r * 3 + sgn(strncmp((char *)pa, (char *)pb, n - 1)) + 1;
        pb[n - 1] ^= 1;
      }
      char *c = memchr(pa, 'z', n);
      r = r * 131 + (c ? (int)((unsigned char *)c - pa) : -1);
      c = strchr((char *)pa, 'q');
      r = r * 131 + (c ? (int)((unsigned char *)c - pa) : -1);
      c = strrchr((char *)pa, 'e');
      r = r * 131 + (c ? (int)((unsigned char *)c - pa) : -1);
      r = r * 131 + (int)strspn((char *)pa, "abcdefghijklm");
      r = r * 131 + (int)strcspn((char *)pa, "xyz");
      memset(pb, 'Q', n);
      r = r * 3 + (int)strlen((char *)pb);
      memmove(pa + 3, pa, n);   // overlapping forward
      pa[n + 3] = 0;            // still a string: strcpy of overlapping bytes is undefined
      memmove(pb, pb + 1, n);   // overlapping backward
      pa[n] = 0; // the forward memmove overwrote the terminator; without it strcpy below
                 // would run into b and overlap its destination (undefined, differs per ifunc)
      strcpy((char *)b + 2048, (char *)pa);
      strncpy((char *)b + 3000, (char *)pa, 40);
      h = fnv64(h, &r, sizeof r);
      h = fnv64(h, a, sizeof a);
      h = fnv64(h, b, sizeof b);
    }
    printf("len %4d hash %016llx\n", n, (unsigned long long)h);
  }
  char s[64] = "Hello";
  strcat(s, ", World");
  strncat(s, "!!!!", 2);
  printf("%s %zu %d %d\n", s, strlen(s), strcasecmp("ABC", "abd") < 0, strncasecmp("XYZ", "xyz", 3));
  printf("strstr %s|%s\n", strstr(s, "World"), strstr(s, "nope") ? "found" : "null");
  char tok[] = "a,b,,c;d";
  for (char *t = strtok(tok, ",;"); t; t = strtok(NULL, ",;")) printf("tok %s\n", t);
  char *d = strdup("duplicate");
  printf("%s %zu\n", d, strnlen(d, 4));
  free(d);
  return 0;
}
