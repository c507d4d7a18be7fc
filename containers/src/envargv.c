// SPDX-License-Identifier: MIT
// Echoes argc, argv and the whole environment in order, then reads stdin to
// EOF and prints its length and checksum: the loader's initial stack.
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "common.h"

extern char **environ;

int main(int argc, char **argv) {
  printf("argc %d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d] [%s]\n", i, argv[i]);
  for (char **e = environ; *e; e++) printf("env [%s]\n", *e);
  char buf[4096];
  long total = 0;
  uint64_t h = FNV_INIT;
  ssize_t n;
  while ((n = read(0, buf, sizeof buf)) > 0) {
    total += n;
    h = fnv64(h, buf, n);
  }
  printf("stdin %ld bytes %016llx\n", total, (unsigned long long)h);
  return 0;
}
