// SPDX-License-Identifier: MIT
// File system calls in the directory given as argv[1]: create, write, lseek,
// read back, stat/fstat, getdents (sorted, so order does not matter), rename,
// unlink, mkdir/rmdir and the errno values of the common failures.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include "common.h"

static char path[4096];
static const char *at(const char *dir, const char *name) {
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) { printf("opendir errno %d\n", errno); return; }
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char t = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_UNKNOWN ? '?' : 'o';
    names[n] = malloc(strlen(e->d_name) + 3);
    sprintf(names[n], "%s:%c", e->d_name, t);
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof names[0], cmpstr);
  printf("ls:");
  for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc < 2) { printf("usage: fileio DIR\n"); return 2; }
  const char *dir = argv[1];
  umask(022);  // the mode printed below must not depend on the caller
  char sub[4096];
  snprintf(sub, sizeof sub, "%s/xos-fileio", dir);
  if (mkdir(sub, 0755) != 0) { printf("mkdir errno %d\n", errno); return 1; }
  printf("mkdir again errno %d\n", mkdir(sub, 0755) == 0 ? 0 : errno);

  int fd = open(at(sub, "a.txt"), O_CREAT | O_RDWR | O_TRUNC, 0644);
  printf("open ok %d\n", fd >= 0);
  static char data[70000];
  for (int i = 0; i < (int)sizeof data; i++) data[i] = 'A' + i % 23;
  printf("write %zd\n", write(fd, data, sizeof data));
  printf("lseek end %ld\n", (long)lseek(fd, 0, SEEK_END));
  printf("lseek set %ld\n", (long)lseek(fd, 1000, SEEK_SET));
  char buf[100];
  printf("read %zd [%.10s]\n", read(fd, buf, sizeof buf), buf);
  printf("lseek cur %ld\n", (long)lseek(fd, -50, SEEK_CUR));
  printf("pwrite %zd\n", pwrite(fd, "xyz", 3, 5));
  printf("pread %zd [%.8s]\n", pread(fd, buf, 8, 2), buf);
  printf("lseek hole %ld\n", (long)lseek(fd, 100000, SEEK_SET));
  printf("write after hole %zd\n", write(fd, "end", 3));
  struct stat st;
  int rc = fstat(fd, &st);  // separate statement: argument order is unspecified
  printf("fstat %d size %ld reg %d mode %o\n", rc, (long)st.st_size, S_ISREG(st.st_mode), st.st_mode & 0777);
  lseek(fd, 0, SEEK_SET);
  uint64_t h = FNV_INIT;
  ssize_t n;
  long total = 0;
  static char big[8192];
  while ((n = read(fd, big, sizeof big)) > 0) { h = fnv64(h, big, n); total += n; }
  printf("readback %ld %016llx\n", total, (unsigned long long)h);
  printf("read at eof %zd\n", read(fd, buf, 10));
  printf("close %d\n", close(fd));
  printf("close again errno %d\n", close(fd) == 0 ? 0 : errno);

  FILE *f = fopen(at(sub, "b.txt"), "w");
  fprintf(f, "line one\nline two\n");
  fclose(f);
  f = fopen(at(sub, "b.txt"), "r");
  char line[64];
  while (fgets(line, sizeof line, f)) printf("fgets %s", line);
  fclose(f);

  rc = stat(at(sub, "b.txt"), &st);
  printf("stat %d size %ld\n", rc, (long)st.st_size);
  printf("stat missing errno %d\n", stat(at(sub, "nope"), &st) == 0 ? 0 : errno);
  printf("open missing errno %d\n", open(at(sub, "nope"), O_RDONLY) >= 0 ? 0 : errno);
  printf("access %d\n", access(at(sub, "b.txt"), R_OK | W_OK));
  printf("mkdir sub %d\n", mkdir(at(sub, "d"), 0700));
  printf("stat dir isdir %d\n", stat(path, &st) == 0 && S_ISDIR(st.st_mode));
  list(sub);
  char from[4096], to[4096];
  snprintf(from, sizeof from, "%s/b.txt", sub);
  snprintf(to, sizeof to, "%s/d/c.txt", sub);
  printf("rename %d\n", rename(from, to));
  printf("rename missing errno %d\n", rename(from, to) == 0 ? 0 : errno);
  list(sub);
  printf("rmdir nonempty errno %d\n", rmdir(at(sub, "d")) == 0 ? 0 : errno);
  printf("unlink %d\n", unlink(to));
  printf("unlink missing errno %d\n", unlink(to) == 0 ? 0 : errno);
  printf("rmdir %d\n", rmdir(at(sub, "d")));
  printf("unlink dir errno %d\n", unlink(sub) == 0 ? 0 : errno);
  printf("unlink a %d\n", unlink(at(sub, "a.txt")));
  list(sub);
  printf("chdir %d\n", chdir(sub));
  fd = open("rel.txt", O_CREAT | O_WRONLY, 0600);
  printf("relative create %d\n", fd >= 0);
  close(fd);
  printf("unlink rel %d\n", unlink("rel.txt"));
  printf("chdir .. %d\n", chdir(".."));
  printf("rmdir top %d\n", rmdir(sub));
  printf("stat gone errno %d\n", stat(sub, &st) == 0 ? 0 : errno);
  return 0;
}
