// SPDX-License-Identifier: MIT
// Runs every registered test (or those whose name contains argv[1]) and
// exits non-zero if any failed.
#include <stdio.h>
#include <string.h>

#include "fs/vfs.h"
#include "test.h"

struct test_case *test_list;
int test_failed;

int main(int argc, char **argv) {
  int run = 0, failed = 0;
  // Registration prepends; reverse for file order.
  struct test_case *rev = NULL;
  while (test_list) {
    struct test_case *n = test_list->next;
    test_list->next = rev;
    rev = test_list;
    test_list = n;
  }
  for (struct test_case *t = rev; t; t = t->next) {
    if (argc > 1 && !strstr(t->name, argv[1])) continue;
    test_failed = 0;
    t->fn();
    run++;
    if (test_failed) {
      failed++;
      printf("FAIL %s\n", t->name);
    }
  }
  vfs_reset(); // so LeakSanitizer sees only real leaks
  printf("%d tests, %d failed\n", run, failed);
  return failed != 0;
}
