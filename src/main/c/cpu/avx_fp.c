// SPDX-License-Identifier: MIT
// AVX floating-point instructions (VEX.128 and VEX.256), FMA and F16C.
#include "internal.h"

NOINLINE int cpu_avx_fp(struct cpu *c, const struct insn *in) {
  (void)c;
  (void)in;
  return STOP_UD;
}
