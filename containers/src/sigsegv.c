// SPDX-License-Identifier: MIT
// Stores to an unmapped address: the process must die by SIGSEGV.
#include <stdio.h>

int main(void) {
  printf("before fault\n");
  fflush(stdout);
  volatile int *volatile bad = (int *)16;
  *bad = 1;
  printf("not reached\n");
  return 0;
}
