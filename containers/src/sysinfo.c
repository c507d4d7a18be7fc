// SPDX-License-Identifier: MIT
// uname fields that do not depend on the host (sysname, machine), getrandom
// lengths, and the process identity calls.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <sys/random.h>

int main(void) {
  struct utsname u;
  printf("uname %d sysname %s machine %s\n", uname(&u), u.sysname, u.machine);
  printf("release nonempty %d\n", u.release[0] != 0);
  static const size_t lens[] = {0, 1, 16, 255, 256, 4096};
  for (unsigned i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    unsigned char buf[4096];
    memset(buf, 0, sizeof buf);
    ssize_t n = getrandom(buf, lens[i], 0);
    int nonzero = 0;
    for (size_t k = 0; k < lens[i]; k++) nonzero |= buf[k];
    printf("getrandom(%zu) = %zd%s\n", lens[i], n, lens[i] >= 16 ? (nonzero ? " nonzero" : " ZERO") : "");
  }
  printf("pid positive %d ppid nonneg %d\n", getpid() > 0, getppid() >= 0);
  printf("uid==euid %d gid==egid %d\n", getuid() == geteuid(), getgid() == getegid());
  printf("pagesize %ld\n", sysconf(_SC_PAGESIZE));
  char cwd[4096];
  printf("getcwd ok %d\n", getcwd(cwd, sizeof cwd) != NULL && cwd[0] == '/');
  return 0;
}
