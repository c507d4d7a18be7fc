// SPDX-License-Identifier: MIT
// Executes ud2: the process must die by SIGILL.
#include <stdio.h>

int main(void) {
  printf("before ud2\n");
  fflush(stdout);
  __asm__ volatile("ud2");
  printf("not reached\n");
  return 0;
}
