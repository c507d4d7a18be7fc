// SPDX-License-Identifier: MIT
// chown/lchown/fchown/fchownat and utimensat/utimes/utime/futimens in the
// directory given as argv[1]: owners, set-ID bits, times and errno values.
// Natively it runs as root in a temporary directory; in xos, in tmpfs.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>
int main(int c, char **v) {
  if (c < 2) return 2;
  const char *d = v[1];
  char f[256], l[256];
  snprintf(f, sizeof f, "%s/f", d); snprintf(l, sizeof l, "%s/l", d);
  int fd = open(f, O_CREAT | O_WRONLY, 06755); close(fd);
  chmod(f, 06755);
  symlink("f", l);
  struct stat st;
  printf("chown %d\n", chown(f, 1000, 100));
  stat(f, &st); printf("uid %d gid %d mode %o\n", st.st_uid, st.st_gid, st.st_mode);
  printf("lchown %d\n", lchown(l, 7, 8));
  lstat(l, &st); printf("link uid %d gid %d\n", st.st_uid, st.st_gid);
  stat(f, &st); printf("file uid %d gid %d\n", st.st_uid, st.st_gid);
  printf("fchownat -1 %d\n", fchownat(AT_FDCWD, f, -1, 5, 0));
  stat(f, &st); printf("uid %d gid %d\n", st.st_uid, st.st_gid);
  struct timespec ts[2] = {{1000, 5}, {2000, 7}};
  printf("utimensat %d\n", utimensat(AT_FDCWD, f, ts, 0));
  stat(f, &st); printf("atime %ld.%ld mtime %ld.%ld\n", st.st_atim.tv_sec, st.st_atim.tv_nsec, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  ts[0].tv_nsec = UTIME_OMIT; ts[1].tv_sec = 3000;
  printf("omit %d\n", utimensat(AT_FDCWD, f, ts, 0));
  stat(f, &st); printf("atime %ld.%ld mtime %ld.%ld\n", st.st_atim.tv_sec, st.st_atim.tv_nsec, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  struct timeval tv[2] = {{11, 1}, {22, 2}};
  printf("utimes %d\n", utimes(f, tv));
  stat(f, &st); printf("atime %ld.%ld mtime %ld.%ld\n", st.st_atim.tv_sec, st.st_atim.tv_nsec, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  struct utimbuf ub = {33, 44};
  printf("utime %d\n", utime(f, &ub));
  stat(f, &st); printf("atime %ld mtime %ld\n", st.st_atim.tv_sec, st.st_mtim.tv_sec);
  ts[0].tv_nsec = 1000000000;
  printf("bad nsec %d\n", utimensat(AT_FDCWD, f, ts, 0));
  printf("bad flags %d\n", fchownat(AT_FDCWD, f, 1, 1, 0x4));
  printf("enoent %d\n", chown("/nonexistent/x", 1, 1));
  fd = open(f, O_RDONLY); printf("futimens %d\n", futimens(fd, NULL)); printf("fchown %d\n", fchown(fd, 0, 0)); close(fd);
  stat(f, &st); printf("uid %d gid %d\n", st.st_uid, st.st_gid);
  unlink(l); unlink(f);
  return 0;
}
