// SPDX-License-Identifier: MIT
// Integer division by zero (#DE): the process must die by SIGFPE.
#include <stdio.h>

int main(int argc, char **argv) {
  printf("before div\n");
  fflush(stdout);
  volatile long zero = argc - 1;
  volatile long r = 100 / zero;
  printf("not reached %ld\n", r);
  return 0;
}
