// SPDX-License-Identifier: MIT
// waitstatus STATUSFILE PROGRAM [ARGS...]: runs PROGRAM (stdin, stdout and
// stderr inherited) and writes "exit N" or "signal N" to STATUSFILE. A host
// tool for the tests: Java's Process reports death by signal N as 128+N, which
// cannot be told apart from exit(128+N). No core files are written.
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: waitstatus STATUSFILE PROGRAM [ARGS...]\n");
    return 2;
  }
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); return 2; }
  if (pid == 0) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    execv(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  int st;
  if (waitpid(pid, &st, 0) < 0) { perror("waitpid"); return 2; }
  FILE *f = fopen(argv[1], "w");
  if (!f) { perror(argv[1]); return 2; }
  if (WIFSIGNALED(st)) fprintf(f, "signal %d\n", WTERMSIG(st));
  else fprintf(f, "exit %d\n", WEXITSTATUS(st));
  return fclose(f) == 0 ? 0 : 2;
}
