// SPDX-License-Identifier: MIT
// epoll over pipes: nothing ready, data ready with the caller's data word,
// EPOLLONESHOT, EPOLLET, MOD and DEL, errors (EEXIST, ENOENT, EPERM on a
// regular file, EINVAL), a blocking wait for a child's write, hangup.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  printf("epoll_create1: %d\n", ep >= 0);
  int fds[2];
  pipe(fds);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ull}, out[4];
  printf("add: %d\n", epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev));
  errno = 0;
  int r = epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
  printf("add again: %d EEXIST %d\n", r, errno == EEXIST);
  printf("nothing ready: %d\n", epoll_wait(ep, out, 4, 0));
  write(fds[1], "ab", 2);
  r = epoll_wait(ep, out, 4, 0);
  printf("ready: %d events %x data %llx\n", r, out[0].events, (unsigned long long)out[0].data.u64);
  // Level-triggered: still ready until read.
  printf("still ready: %d\n", epoll_wait(ep, out, 4, 0));
  ev.events = EPOLLIN | EPOLLONESHOT;
  ev.data.u32 = 7;
  epoll_ctl(ep, EPOLL_CTL_MOD, fds[0], &ev);
  r = epoll_wait(ep, out, 4, 0);
  printf("oneshot: %d data %u, then %d\n", r, out[0].data.u32, epoll_wait(ep, out, 4, 0));
  ev.events = EPOLLIN | EPOLLET;
  epoll_ctl(ep, EPOLL_CTL_MOD, fds[0], &ev);
  char buf[8];
  read(fds[0], buf, 2);
  printf("drained: %d\n", epoll_wait(ep, out, 4, 0));
  // The write end: writable.
  ev.events = EPOLLOUT;
  ev.data.u32 = 9;
  epoll_ctl(ep, EPOLL_CTL_ADD, fds[1], &ev);
  r = epoll_wait(ep, out, 4, 0);
  printf("writable: %d data %u events %x\n", r, out[0].data.u32, out[0].events);
  printf("del: %d\n", epoll_ctl(ep, EPOLL_CTL_DEL, fds[1], NULL));
  errno = 0;
  r = epoll_ctl(ep, EPOLL_CTL_DEL, fds[1], NULL);
  printf("del again: %d ENOENT %d\n", r, errno == ENOENT);
  char name[] = "/tmp/epoll-test-XXXXXX";
  int reg = mkstemp(name);
  unlink(name);
  errno = 0;
  r = epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev);
  printf("regular file: %d EPERM %d\n", r, errno == EPERM);
  errno = 0;
  r = epoll_wait(ep, out, 0, 0);
  printf("maxevents 0: %d EINVAL %d\n", r, errno == EINVAL);
  // A blocking wait for a child's write, then hangup when it exits
  // (level-triggered again: EPOLLET's edges are not modelled, see README).
  ev.events = EPOLLIN;
  epoll_ctl(ep, EPOLL_CTL_MOD, fds[0], &ev);
  int go[2];
  pipe(go);
  pid_t p = fork();
  if (p == 0) {
    usleep(20000);
    write(fds[1], "x", 1);
    read(go[0], buf, 1);
    _exit(0);
  }
  close(fds[1]);
  r = epoll_wait(ep, out, 4, 5000);
  printf("child wrote: %d events %x\n", r, out[0].events);
  write(go[1], "g", 1);
  waitpid(p, NULL, 0);
  read(fds[0], buf, 1);
  r = epoll_wait(ep, out, 4, 1000);
  printf("hangup: %d events %x\n", r, out[0].events);
  return 0;
}
