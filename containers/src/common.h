// SPDX-License-Identifier: MIT
// Helpers shared by the guest test programs: a checksum and a tiny
// deterministic PRNG, so every program prints the same text natively and in xos.
#ifndef XOS_TEST_COMMON_H
#define XOS_TEST_COMMON_H
#include <stdint.h>
#include <stddef.h>

// FNV-1a, 64-bit: cheap, order-sensitive, enough to catch a wrong byte.
static inline uint64_t fnv64(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) {
    h ^= b[i];
    h *= 0x100000001b3ull;
  }
  return h;
}
#define FNV_INIT 0xcbf29ce484222325ull

// xorshift64*: fixed seed, same sequence on every libc.
static inline uint64_t rnd64(uint64_t *s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545F4914F6CDD1Dull;
}
#endif
