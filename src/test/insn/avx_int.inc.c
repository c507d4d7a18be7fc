// SPDX-License-Identifier: MIT
// insntest classes for the AVX/AVX2 integer instructions (included by
// insntest.c; uses its generator helpers).

#define AVX_INT_CLASSES
