// SPDX-License-Identifier: MIT
// A tiny test harness for the engine's C unit tests: TEST(name) defines a
// test registered at start-up, ASSERT/ASSERT_EQ fail it with file and line.
// Runs natively under ASan/UBSan (src/test/c/Makefile).
#ifndef XOS_TEST_H
#define XOS_TEST_H

#include <stdio.h>
#include <string.h>

struct test_case {
  const char *name;
  void (*fn)(void);
  struct test_case *next;
};

extern struct test_case *test_list;
extern int test_failed;

#define TEST(name)                                                          \
  static void test_##name(void);                                            \
  static struct test_case test_case_##name = {#name, test_##name, NULL};    \
  __attribute__((constructor)) static void test_register_##name(void) {     \
    test_case_##name.next = test_list;                                      \
    test_list = &test_case_##name;                                          \
  }                                                                         \
  static void test_##name(void)

#define ASSERT(cond)                                                        \
  do {                                                                      \
    if (!(cond)) {                                                          \
      printf("  %s:%d: ASSERT(%s) failed\n", __FILE__, __LINE__, #cond);   \
      test_failed = 1;                                                      \
      return;                                                               \
    }                                                                       \
  } while (0)

#define ASSERT_EQ(a, b)                                                     \
  do {                                                                      \
    long long test_a_ = (long long)(a), test_b_ = (long long)(b);           \
    if (test_a_ != test_b_) {                                               \
      printf("  %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, test_a_, #b, test_b_); \
      test_failed = 1;                                                      \
      return;                                                               \
    }                                                                       \
  } while (0)

#define ASSERT_STR(a, b)                                                    \
  do {                                                                      \
    const char *test_a_ = (a), *test_b_ = (b);                              \
    if (strcmp(test_a_, test_b_) != 0) {                                    \
      printf("  %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, test_a_, test_b_); \
      test_failed = 1;                                                      \
      return;                                                               \
    }                                                                       \
  } while (0)

#endif
