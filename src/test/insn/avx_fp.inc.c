// SPDX-License-Identifier: MIT
// insntest classes for the AVX floating-point, FMA and F16C instructions
// (included by insntest.c; uses its generator helpers).

#define AVX_FP_CLASSES
