// SPDX-License-Identifier: MIT
// util/fmt.c against the host's snprintf on the formats the engine uses.
#include <stdint.h>

#include "test.h"
#include "util/fmt.h"

#define SAME(...)                                                         \
  do {                                                                    \
    char a_[128], b_[128];                                                \
    int ra_ = fmt_snprintf(a_, sizeof(a_), __VA_ARGS__);                  \
    int rb_ = snprintf(b_, sizeof(b_), __VA_ARGS__);                      \
    ASSERT_STR(a_, b_);                                                   \
    ASSERT_EQ(ra_, rb_);                                                  \
  } while (0)

TEST(fmt_matches_libc) {
  SAME("%d %i %u", -42, 7, 3000000000u);
  SAME("%ld %lld %llu", -1L, (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
  SAME("%x %X %#x %#llx %#x", 255, 255, 255, 0x7ffff7dd0000ull, 0);
  SAME("%02x %08x %-5d| %5d|", 7, 0xabc, 42, 42);
  SAME("%o 0%llo %#o", 8, 0755ull, 8);
  SAME("%s|%10s|%-10s|%.3s|%.*s", "abc", "right", "left", "truncate", 2, "xyz");
  SAME("%c%c %% %zu", 'o', 'k', (size_t)12345);
  SAME("[%d] %s(%s) = %ld", 100, "openat", "AT_FDCWD", -2L);
}

TEST(fmt_truncates) {
  char b[8];
  ASSERT_EQ(fmt_snprintf(b, sizeof(b), "%s", "0123456789"), 10);
  ASSERT_STR(b, "0123456");
  ASSERT_EQ(fmt_snprintf(b, 0, "%d", 5), 1);
}
