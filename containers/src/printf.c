// SPDX-License-Identifier: MIT
// printf of integers, strings, doubles and long doubles. musl formats a double
// through x87 long double arithmetic, so this exercises the FPU too.
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <float.h>
#include <math.h>
#include <limits.h>

int main(void) {
  long long ints[] = {0, 1, -1, 42, -42, 127, -128, 255, 65535, INT_MAX, INT_MIN,
                      LLONG_MAX, LLONG_MIN, 1234567890123LL, -987654321098LL};
  for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    long long v = ints[i];
    printf("%d|%lld|%llu|%llx|%llo|%+lld|%-8d|%08lld|%hhd|%hd\n", (int)v, v, (unsigned long long)v,
           (unsigned long long)v, (unsigned long long)v, v, (int)v, v, (signed char)v, (short)v);
  }
  printf("%" PRId64 " %" PRIu64 " %" PRIx64 "\n", INT64_MIN, UINT64_MAX, (uint64_t)0xdeadbeefcafebabeull);
  const char *strs[] = {"", "a", "hello", "hello, world", "tab\there"};
  for (unsigned i = 0; i < sizeof strs / sizeof strs[0]; i++)
    printf("[%s] [%10s] [%-10s] [%.3s] [%c]\n", strs[i], strs[i], strs[i], strs[i], strs[i][0] ? strs[i][0] : '-');
  double ds[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3.0, 3.141592653589793, 2.718281828459045, 1e10, 1e-10,
                 123456789.125, 1e300, 1e-300, 5e-324, DBL_MAX, DBL_MIN, 0.5, 2.5, 1e22, 9007199254740993.0};
  for (unsigned i = 0; i < sizeof ds / sizeof ds[0]; i++) {
    double d = ds[i];
    printf("%f|%.0f|%.3f|%e|%.10e|%g|%.17g|%a|%10.4f|%-12.2e|\n", d, d, d, d, d, d, d, d, d, d);
  }
  printf("%f %f %f %F\n", INFINITY, -INFINITY, NAN, INFINITY);
  long double ls[] = {0.0L, 1.0L, -2.5L, 1.0L / 3.0L, 3.14159265358979323846264338327950288L, 1e100L,
                      1e-100L, 1e4000L, LDBL_MAX, LDBL_MIN, 0.1L, 12345678901234567890.0L};
  for (unsigned i = 0; i < sizeof ls / sizeof ls[0]; i++) {
    long double l = ls[i];
    printf("%Lf|%.20Le|%Lg|%.25Lg\n", l, l, l, l);
  }
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%d-%s-%.2f", 7, "x", 2.345);
  printf("snprintf %d [%s]\n", n, buf);
  n = snprintf(buf, 5, "%s", "truncated");
  printf("snprintf %d [%s]\n", n, buf);
  printf("%5.1f%%\n", 99.44);
  return 0;
}
