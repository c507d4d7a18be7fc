// SPDX-License-Identifier: MIT
// CPUID: reports exactly the features this CPU implements, so libc picks
// routines we can run (SDM vol. 2, CPUID). Cache geometry (leaf 4) is a
// plausible fixed one: glibc sizes its memcpy thresholds from it.
#include "internal.h"

static void str4(uint32_t *out, const char *s) { memcpy(out, s, 4); }

void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4]) {
  memset(out, 0, 16);
  switch (leaf) {
  case 0:
    out[0] = 0xD;
    str4(&out[1], "Genu");
    str4(&out[3], "ineI");
    str4(&out[2], "ntel");
    return;
  case 1:
    out[0] = 0x000306C3; // family 6 model 0x3C (the first with AVX2, FMA and BMI)
    out[1] = (1u << 16) | (8u << 8); // one logical CPU, clflush line 64 bytes
    // SSE3 PCLMULQDQ SSSE3 FMA CMPXCHG16B SSE4.1 SSE4.2 MOVBE POPCNT XSAVE OSXSAVE AVX F16C RDRAND.
    out[2] = (1u << 0) | (1u << 1) | (1u << 9) | (1u << 12) | (1u << 13) | (1u << 19) | (1u << 20) | (1u << 22) |
             (1u << 23) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 29) | (1u << 30);
    out[3] = (1u << 0) | (1u << 4) | (1u << 8) | (1u << 15) | (1u << 19) | (1u << 23) | (1u << 24) |
             (1u << 25) | (1u << 26); // FPU TSC CX8 CMOV CLFSH MMX FXSR SSE SSE2
    return;
  case 4: {
    // {type | level << 5, ways-1, sets-1}
    static const uint32_t caches[4][3] = {
        {1 | 1 << 5, 7, 63}, {2 | 1 << 5, 7, 63}, {3 | 2 << 5, 3, 1023}, {3 | 3 << 5, 15, 8191}};
    if (sub < 4) {
      out[0] = caches[sub][0] | (1u << 8); // self-initialising
      out[1] = (caches[sub][1] << 22) | 63;
      out[2] = caches[sub][2];
    }
    return;
  }
  case 7:
    // BMI1, AVX2, BMI2, ERMS (rep movsb/stosb are fast here), RDSEED, ADX.
    if (sub == 0) out[1] = (1u << 3) | (1u << 5) | (1u << 8) | (1u << 9) | (1u << 18) | (1u << 19);
    return;
  case 0xD: // XSAVE: components x87, SSE, AVX (XCR0 = 7)
    if (sub == 0) {
      out[0] = (uint32_t)CPU_XCR0;
      out[1] = out[2] = CPU_XSAVE_SIZE; // size for XCR0's components; the most any XCR0 needs
    } else if (sub == 1) {
      out[0] = (1u << 0) | (1u << 1); // XSAVEOPT, XSAVEC (no XGETBV(1), no XSAVES)
      out[1] = CPU_XSAVE_SIZE;         // XSAVEC size for XCR0
    } else if (sub == 2) {
      out[0] = 256; // YMM_Hi128: 16 x 16 bytes
      out[1] = 576; // at offset 576 of the standard form
    }
    return;
  case 0x80000000: out[0] = 0x80000008; return;
  case 0x80000001:
    out[2] = (1u << 0) | (1u << 5);                // LAHF/SAHF in 64-bit mode, LZCNT
    out[3] = (1u << 11) | (1u << 20) | (1u << 29); // SYSCALL, NX, LM
    return;
  case 0x80000002: case 0x80000003: case 0x80000004: {
    static const char brand[48] = "xos virtual x86-64 CPU";
    memcpy(out, brand + 16 * (leaf - 0x80000002), 16);
    return;
  }
  case 0x80000006: out[2] = (256u << 16) | (8u << 12) | 64; return; // L2: 256 KiB, 64-byte lines
  case 0x80000008: out[0] = 0x3030; return; // 48-bit virtual and physical addresses
  default: return;
  }
}
