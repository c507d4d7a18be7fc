// SPDX-License-Identifier: MIT
// 64-bit and 128-bit multiply/divide, signed and unsigned, and number parsing
// with strtol/strtoul/strtoll/strtod.
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <errno.h>
#include "common.h"

int main(void) {
  uint64_t seed = 0xabcdef, h = FNV_INIT;
  for (int i = 0; i < 20000; i++) {
    uint64_t a = rnd64(&seed), b = rnd64(&seed) >> (rnd64(&seed) % 64);
    if (b == 0) b = 1;
    int64_t sa = (int64_t)a, sb = (int64_t)b;
    if (sb == -1) sb = 3;
    uint64_t r[8];
    r[0] = a * b;
    r[1] = a / b;
    r[2] = a % b;
    r[3] = (uint64_t)(sa / sb);
    r[4] = (uint64_t)(sa % sb);
    unsigned __int128 p = (unsigned __int128)a * b;
    r[5] = (uint64_t)(p >> 64);
    __int128 sp = (__int128)sa * sb;
    r[6] = (uint64_t)(sp >> 64);
    r[7] = (uint32_t)a / ((uint32_t)b | 1) + (uint32_t)((int32_t)a % ((int32_t)b | 1));
    h = fnv64(h, r, sizeof r);
  }
  printf("muldiv %016llx\n", (unsigned long long)h);
  unsigned __int128 n = ((unsigned __int128)0x0123456789abcdefull << 64) | 0xfedcba9876543210ull;
  unsigned __int128 q = n / 0x1000000000000001ull;
  printf("u128 div %016llx%016llx\n", (unsigned long long)(q >> 64), (unsigned long long)q);
  const char *ls[] = {"0", "-1", "42abc", "  +123", "0x7fffffffffffffff", "0777", "99999999999999999999",
                      "-9223372036854775808", "zz", "1010"};
  for (unsigned i = 0; i < sizeof ls / sizeof ls[0]; i++) {
    char *end;
    errno = 0;
    long v = strtol(ls[i], &end, 0);
    int e1 = errno;
    unsigned long u = strtoul(ls[i], NULL, 16);
    long long b2 = strtoll(ls[i], NULL, 2);
    printf("strtol(%s) = %ld rest [%s] errno %d; hex %lu; bin %lld\n", ls[i], v, end, e1 == ERANGE, u, b2);
  }
  const char *ds[] = {"0", "1.5", "-2.25e3", "3.141592653589793238", "1e-320", "1e400", "0x1.8p1", "inf", "nan",
                      ".5x", "123456789012345678901234567890", "2.2250738585072011e-308"};
  for (unsigned i = 0; i < sizeof ds / sizeof ds[0]; i++) {
    char *end;
    double d = strtod(ds[i], &end);
    printf("strtod(%s) = %a %.17g rest [%s]\n", ds[i], d, d, end);
  }
  printf("atoi %d atol %ld atof %g\n", atoi("-77"), atol("123456789012"), atof("6.25"));
  return 0;
}
