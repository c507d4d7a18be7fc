// SPDX-License-Identifier: MIT
// AVX and AVX2 integer instructions (VEX.128 and VEX.256) and the gathers.
#include "internal.h"

NOINLINE int cpu_avx_int(struct cpu *c, const struct insn *in) {
  (void)c;
  (void)in;
  return STOP_UD;
}
