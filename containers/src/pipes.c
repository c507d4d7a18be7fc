// SPDX-License-Identifier: MIT
// Pipes: a megabyte through a pipe between processes (checksummed), EOF
// when the writers close, EPIPE and SIGPIPE without readers, O_NONBLOCK,
// pipe2 flags, PIPE_BUF atomicity, FIONREAD, poll and select over pipes,
// a three-stage pipeline of processes joined by dup2.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static void show(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
}

static size_t full_read(int fd, void *buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t k = read(fd, (char *)buf + done, n - done);
    if (k <= 0) break;
    done += (size_t)k;
  }
  return done;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int fds[2], st;
  // A megabyte from child to parent in odd-sized writes.
  pipe(fds);
  pid_t p = fork();
  if (p == 0) {
    close(fds[0]);
    uint64_t s = 7;
    static unsigned char buf[7000];
    size_t left = 1 << 20;
    while (left) {
      size_t n = left < sizeof(buf) ? left : (rnd64(&s) % sizeof(buf)) + 1;
      if (n > left) n = left;
      for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)rnd64(&s);
      size_t off = 0;
      while (off < n) {
        ssize_t k = write(fds[1], buf + off, n - off);
        if (k <= 0) _exit(3);
        off += (size_t)k;
      }
      left -= n;
    }
    _exit(0);
  }
  close(fds[1]);
  uint64_t h = FNV_INIT;
  size_t total = 0;
  static unsigned char rbuf[5000];
  ssize_t k;
  while ((k = read(fds[0], rbuf, sizeof(rbuf))) > 0) {
    h = fnv64(h, rbuf, (size_t)k);
    total += (size_t)k;
  }
  printf("read %zu bytes, last read %zd, hash %016llx\n", total, k, (unsigned long long)h);
  close(fds[0]);
  waitpid(p, &st, 0);
  show("writer", st);

  // No readers: EPIPE with SIGPIPE ignored, death by SIGPIPE otherwise.
  pipe(fds);
  close(fds[0]);
  signal(SIGPIPE, SIG_IGN);
  errno = 0;
  k = write(fds[1], "x", 1);
  printf("write without reader: %zd EPIPE %d\n", k, errno == EPIPE);
  signal(SIGPIPE, SIG_DFL);
  p = fork();
  if (p == 0) {
    write(fds[1], "x", 1);
    _exit(0);
  }
  waitpid(p, &st, 0);
  show("SIGPIPE child", st);
  close(fds[1]);

  // O_NONBLOCK and pipe2 flags.
  pipe2(fds, O_NONBLOCK | O_CLOEXEC);
  printf("flags: nonblock %d cloexec %d\n", (fcntl(fds[0], F_GETFL) & O_NONBLOCK) != 0,
         (fcntl(fds[1], F_GETFD) & FD_CLOEXEC) != 0);
  errno = 0;
  k = read(fds[0], rbuf, 1);
  printf("empty nonblocking read: %zd EAGAIN %d\n", k, errno == EAGAIN);
  size_t cap = 0;
  static char big[65536];
  while ((k = write(fds[1], big, 1000)) > 0) cap += (size_t)k;
  printf("capacity %zu, then EAGAIN %d\n", cap, errno == EAGAIN);
  int avail = 0;
  ioctl(fds[0], FIONREAD, &avail);
  printf("FIONREAD %d\n", avail);
  // Room for less than PIPE_BUF: a small write is all or nothing.
  full_read(fds[0], big, 2000);
  errno = 0;
  k = write(fds[1], big, 3000);
  printf("3000 into 2000 free: %zd EAGAIN %d\n", k, errno == EAGAIN);
  k = write(fds[1], big, 1500);
  printf("1500 into 2000 free: %zd\n", k);
  close(fds[0]);
  close(fds[1]);

  struct stat sb;
  pipe(fds);
  fstat(fds[0], &sb);
  printf("fifo %d\n", S_ISFIFO(sb.st_mode));
  errno = 0;
  printf("lseek: %d ESPIPE %d\n", (int)lseek(fds[0], 0, SEEK_SET), errno == ESPIPE);

  // poll: nothing, then data, then hangup.
  struct pollfd pf[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLOUT, 0}};
  int n = poll(pf, 2, 0);
  printf("poll empty: %d in %x out %x\n", n, pf[0].revents, pf[1].revents);
  write(fds[1], "ab", 2);
  n = poll(pf, 1, -1);
  printf("poll data: %d revents %x\n", n, pf[0].revents);
  fd_set rs;
  FD_ZERO(&rs);
  FD_SET(fds[0], &rs);
  struct timeval tv = {1, 0};
  n = select(fds[0] + 1, &rs, NULL, NULL, &tv);
  printf("select: %d isset %d\n", n, FD_ISSET(fds[0], &rs));
  full_read(fds[0], rbuf, 2);
  close(fds[1]);
  n = poll(pf, 1, 100);
  printf("poll hangup: %d revents %x\n", n, pf[0].revents);
  printf("read at EOF: %zd\n", read(fds[0], rbuf, 1));
  close(fds[0]);

  // poll waits for a child's write; select with a timeout that passes.
  pipe(fds);
  p = fork();
  if (p == 0) {
    usleep(30000);
    write(fds[1], "late", 4);
    _exit(0);
  }
  pf[0].fd = fds[0];
  pf[0].events = POLLIN;
  n = poll(pf, 1, 5000);
  printf("poll for child: %d revents %x\n", n, pf[0].revents);
  waitpid(p, &st, 0);
  full_read(fds[0], rbuf, 4);
  FD_ZERO(&rs);
  FD_SET(fds[0], &rs);
  tv.tv_sec = 0;
  tv.tv_usec = 20000;
  n = select(fds[0] + 1, &rs, NULL, NULL, &tv);
  printf("select timeout: %d left %ld.%06ld\n", n, (long)tv.tv_sec, (long)tv.tv_usec);
  close(fds[0]);
  close(fds[1]);

  // A pipeline: child1 writes numbers | child2 sums them | parent reads.
  int a[2], b[2];
  pipe(a);
  pipe(b);
  pid_t c1 = fork();
  if (c1 == 0) {
    dup2(a[1], 1);
    close(a[0]), close(a[1]), close(b[0]), close(b[1]);
    for (int i = 1; i <= 1000; i++) printf("%d\n", i);
    fflush(stdout);
    _exit(0);
  }
  pid_t c2 = fork();
  if (c2 == 0) {
    dup2(a[0], 0);
    dup2(b[1], 1);
    close(a[0]), close(a[1]), close(b[0]), close(b[1]);
    long sum = 0, v;
    while (scanf("%ld", &v) == 1) sum += v;
    printf("sum %ld\n", sum);
    fflush(stdout);
    _exit(0);
  }
  close(a[0]), close(a[1]), close(b[1]);
  memset(rbuf, 0, sizeof(rbuf));
  full_read(b[0], rbuf, sizeof(rbuf) - 1);
  printf("pipeline: %s", rbuf);
  waitpid(c1, &st, 0);
  show("c1", st);
  waitpid(c2, &st, 0);
  show("c2", st);

  // PIPE_BUF atomicity: two writers of 4096-byte records, the reader never
  // sees a record cut by the other.
  pipe(fds);
  for (int w = 0; w < 2; w++) {
    if (fork() == 0) {
      close(fds[0]);
      static char rec[4096];
      memset(rec, 'A' + w, sizeof(rec));
      for (int i = 0; i < 40; i++) write(fds[1], rec, sizeof(rec));
      _exit(0);
    }
  }
  close(fds[1]);
  static char rec[4096];
  int records = 0, torn = 0;
  while (full_read(fds[0], rec, sizeof(rec)) == sizeof(rec)) {
    records++;
    for (int i = 1; i < 4096; i++) torn |= rec[i] != rec[0];
  }
  printf("records %d torn %d\n", records, torn);
  while (wait(&st) > 0) {
  }

  // close_range (436): mark close-on-exec, then close a range.
  int d1 = dup(1), d2 = dup(1), d3 = dup(1);
  printf("close_range cloexec: %ld\n", syscall(436, d2, d3, 4));
  printf("fd flags: %d %d %d\n", fcntl(d1, F_GETFD), fcntl(d2, F_GETFD), fcntl(d3, F_GETFD));
  printf("close_range: %ld\n", syscall(436, d1, ~0u, 0));
  printf("after: %d %d %d\n", fcntl(d1, F_GETFD), fcntl(d2, F_GETFD), fcntl(d3, F_GETFD));
  return 0;
}
