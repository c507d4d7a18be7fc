// SPDX-License-Identifier: MIT
// cpu/rcp.c against the host CPU: RCPSS and RSQRTSS over every one of the
// 2^32 operands (XOS_EXHAUSTIVE=1; otherwise every 17th, 250 million),
// bit for bit, under the default MXCSR and again (a sample) with DAZ, FTZ
// and round-toward-zero set, which the instructions ignore.
// Only on an Intel CPU: the tables are Intel's (AMD's differ).
#include <cpuid.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xmmintrin.h>

#include "cpu/internal.h"
#include "test.h"

#if defined(__x86_64__)

static int intel(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(0, &a, &b, &c, &d)) return 0;
  return b == 0x756E6547 && d == 0x49656E69 && c == 0x6C65746E; // "GenuineIntel"
}

static uint32_t hw(int sqrt, uint32_t x) {
  float f, r;
  memcpy(&f, &x, 4);
  __m128 v = _mm_set_ss(f);
  r = _mm_cvtss_f32(sqrt ? _mm_rsqrt_ss(v) : _mm_rcp_ss(v));
  uint32_t b;
  memcpy(&b, &r, 4);
  return b;
}

static void sweep(uint32_t step, const char *what) {
  uint64_t bad = 0;
  uint32_t first = 0;
  for (uint64_t i = 0; i < 1ull << 32; i += step) {
    uint32_t x = (uint32_t)i;
    if (hw(0, x) != cpu_rcp_bits(x) || hw(1, x) != cpu_rsqrt_bits(x)) {
      if (!bad++) first = x;
    }
  }
  if (bad) printf("  %s: %llu operands differ, first %08x: host rcp %08x rsqrt %08x, xos %08x %08x\n", what,
                  (unsigned long long)bad, first, hw(0, first), hw(1, first), cpu_rcp_bits(first),
                  cpu_rsqrt_bits(first));
  ASSERT_EQ(bad, 0);
}

TEST(rcp_rsqrt_match_the_host_on_every_operand) {
  if (!intel()) {
    printf("  (skipped: not an Intel CPU)\n");
    return;
  }
  const char *all = getenv("XOS_EXHAUSTIVE");
  sweep(all && *all == '1' ? 1 : 17, "default MXCSR");
  unsigned saved = _mm_getcsr();
  _mm_setcsr(0x1F80 | 0x8040 | 0x6000); // FTZ, DAZ, round toward zero
  sweep(4099, "FTZ+DAZ+RZ");
  _mm_setcsr(saved);
}

#endif
