// SPDX-License-Identifier: MIT
// Exits with the status given as argv[1] (through exit(), _exit() or return,
// as argv[2] says), after printing a line, so stdio flushing at exit is seen.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int code = argc > 1 ? atoi(argv[1]) : 0;
  const char *how = argc > 2 ? argv[2] : "return";
  printf("exiting with %d via %s\n", code, how);
  if (strcmp(how, "exit") == 0) exit(code);
  if (strcmp(how, "_exit") == 0) {
    fflush(stdout);
    _exit(code);
  }
  return code;
}
