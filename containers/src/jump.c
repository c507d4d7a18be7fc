// SPDX-License-Identifier: MIT
// setjmp/longjmp across frames, and the saved-register contract.
#include <stdio.h>
#include <setjmp.h>

static jmp_buf env;
static int depth_reached;

static void dive(int n) {
  volatile char pad[64];
  pad[n % 64] = (char)n;
  depth_reached = n + pad[n % 64] - n;
  if (n == 50) longjmp(env, n * 2);
  if (n > 1000) return;
  dive(n + 1);
}

int main(void) {
  volatile int count = 0;
  int r = setjmp(env);
  printf("setjmp returned %d count %d\n", r, count);
  if (count++ < 3) {
    depth_reached = 0;
    dive(count);
  }
  printf("depth %d\n", depth_reached);
  jmp_buf e2;
  volatile long keep = 0x1122334455667788;
  if (setjmp(e2) == 0) {
    keep += 1;
    longjmp(e2, 0);  // longjmp with 0 makes setjmp return 1
  }
  printf("keep %lx\n", keep);
  return 0;
}
