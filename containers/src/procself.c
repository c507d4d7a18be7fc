// SPDX-License-Identifier: MIT
// /proc as a process sees itself: every line is a fact that holds natively
// and in xos (pids, argv, environment, fds, maps covering code and stack),
// printed as yes/no so that the runs compare byte for byte.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[1 << 16];

static long slurp(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  long n = 0, k;
  while ((k = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0) n += k;
  close(fd);
  buf[n] = 0;
  return n;
}

static int covered(uint64_t addr, const char *perms) {
  if (slurp("/proc/self/maps") < 0) return 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    unsigned long long lo, hi;
    char p[5];
    if (sscanf(line, "%llx-%llx %4s", &lo, &hi, p) == 3 && addr >= lo && addr < hi)
      return strncmp(p, perms, 3) == 0;
  }
  return 0;
}

static const char *yes(int b) { return b ? "yes" : "no"; }

int main(int argc, char **argv, char **envp) {
  // argv and the environment, NUL-separated.
  long n = slurp("/proc/self/cmdline");
  int ok = n > 0;
  char *p = buf;
  for (int i = 0; ok && i < argc; i++) {
    ok = strcmp(p, argv[i]) == 0;
    p += strlen(p) + 1;
  }
  printf("cmdline is argv: %s\n", yes(ok && p == buf + n));
  n = slurp("/proc/self/environ");
  ok = n >= 0;
  p = buf;
  for (char **e = envp; ok && *e; e++) {
    ok = strcmp(p, *e) == 0;
    p += strlen(p) + 1;
  }
  printf("environ is envp: %s\n", yes(ok && p == buf + n));

  char link[4096];
  ssize_t l = readlink("/proc/self/exe", link, sizeof(link) - 1);
  link[l > 0 ? l : 0] = 0;
  // Its file name: xos's Java tests hand the program over as bytes with a bare
  // argv[0], so the directory differs there; the name does not.
  const char *lb = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
  const char *ab = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  printf("exe names the program: %s\n", yes(link[0] == '/' && strcmp(lb, ab) == 0));
  l = readlink("/proc/self/cwd", link, sizeof(link) - 1);
  link[l > 0 ? l : 0] = 0;
  char cwd[4096];
  printf("cwd link is getcwd: %s\n", yes(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, link) == 0));
  char self[64];
  l = readlink("/proc/self", self, sizeof(self) - 1);
  self[l > 0 ? l : 0] = 0;
  printf("self is getpid: %s\n", yes(atoi(self) == getpid()));

  slurp("/proc/self/stat");
  int pid, ppid, pgrp, sid;
  char state;
  char *close_paren = strrchr(buf, ')');
  ok = close_paren && sscanf(buf, "%d", &pid) == 1 &&
       sscanf(close_paren + 2, "%c %d %d %d", &state, &ppid, &pgrp, &sid) == 4;
  printf("stat pid ppid pgrp sid: %s\n",
         yes(ok && pid == getpid() && ppid == getppid() && pgrp == getpgrp() && sid == getsid(0)));
  printf("stat state running: %s\n", yes(ok && state == 'R'));
  slurp("/proc/self/status");
  char *pl = strstr(buf, "\nPid:\t");
  printf("status Pid: %s\n", yes(pl && atoi(pl + 6) == getpid()));
  printf("status Threads 1: %s\n", yes(strstr(buf, "\nThreads:\t1\n") != NULL));
  slurp("/proc/self/comm");
  const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  size_t blen = strlen(base) < 15 ? strlen(base) : 15;
  printf("comm: %s\n", yes(strncmp(buf, base, blen) == 0 && buf[blen] == '\n'));

  int fd = open("/proc/self/status", O_RDONLY);
  int fd2 = dup2(fd, 17);
  DIR *d = opendir("/proc/self/fd");
  int seen0 = 0, seen17 = 0, count = 0;
  struct dirent *de;
  while (d && (de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    count++;
    seen0 |= strcmp(de->d_name, "0") == 0;
    seen17 |= strcmp(de->d_name, "17") == 0;
  }
  if (d) closedir(d);
  printf("fd dir lists 0 and 17: %s\n", yes(seen0 && seen17 && fd2 == 17 && count >= 4));
  l = readlink("/proc/self/fd/17", link, sizeof(link) - 1);
  link[l > 0 ? l : 0] = 0;
  printf("fd 17 names the file: %s\n", yes(strcmp(link, "/proc/self/status") == 0 || strstr(link, "/status") != NULL));
  close(fd);
  close(fd2);
  printf("closed fd is gone: %s\n", yes(access("/proc/self/fd/17", F_OK) != 0));

  int local = 0;
  printf("maps: code r-x %s, stack rw- %s\n", yes(covered((uint64_t)(uintptr_t)&main, "r-x")),
         yes(covered((uint64_t)(uintptr_t)&local, "rw-")));
  char tdir[64];
  snprintf(tdir, sizeof(tdir), "/proc/self/task/%d", gettid());
  printf("task dir of gettid: %s\n", yes(access(tdir, F_OK) == 0));
  printf("no such pid: %s\n", yes(access("/proc/999999/stat", F_OK) != 0));
  printf("meminfo has MemTotal: %s\n", yes(slurp("/proc/meminfo") > 0 && strncmp(buf, "MemTotal:", 9) == 0));
  printf("cpuinfo has flags: %s\n", yes(slurp("/proc/cpuinfo") > 0 && strstr(buf, "\nflags\t\t: ") != NULL));
  fd = open("/proc/self/stat", O_WRONLY); // root may open it; writing still fails
  printf("write refused: %s\n", yes(fd < 0 || write(fd, "x", 1) < 0));
  return 0;
}
