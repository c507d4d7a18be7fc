// SPDX-License-Identifier: MIT
// epoll over pipes, eventfd and timerfd, across fork: readiness, data,
// EPOLLONESHOT, timeouts, errno values. Every line compares with Linux.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, int n, struct epoll_event *ev) {
  printf("%s: %d", what, n);
  if (n < 0) printf(" errno %d", errno);
  for (int i = 0; i < n; i++) printf(" [data %llu events %#x]", (unsigned long long)ev[i].data.u64, ev[i].events);
  printf("\n");
}

int main(void) {
  struct epoll_event ev[8];
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int bad = epoll_create1(1234);
  printf("epoll_create1 ok %d, bad flags %d errno %d\n", ep >= 0, bad, errno);
  int p[2];
  pipe(p);
  struct epoll_event e = {.events = EPOLLIN, .data.u64 = 7};
  int r = epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
  printf("ctl add %d\n", r);
  r = epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
  printf("ctl add again %d errno %d\n", r, errno);
  r = epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &e);
  printf("ctl mod missing %d errno %d\n", r, errno);
  r = epoll_ctl(ep, EPOLL_CTL_ADD, 99, &e);
  printf("ctl bad fd %d errno %d\n", r, errno);
  r = epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e);
  printf("ctl self %d errno %d\n", r, errno);
  r = epoll_ctl(ep, EPOLL_CTL_ADD, p[1], NULL);
  printf("ctl add NULL event %d errno %d\n", r, errno);
  show("empty, timeout 0", epoll_wait(ep, ev, 8, 0), ev);
  show("empty, timeout 30 ms", epoll_wait(ep, ev, 8, 30), ev);
  write(p[1], "x", 1);
  show("pipe readable", epoll_wait(ep, ev, 8, -1), ev);
  show("still readable (level)", epoll_wait(ep, ev, 8, 0), ev);
  char c;
  read(p[0], &c, 1);
  show("drained", epoll_wait(ep, ev, 8, 0), ev);

  // eventfd: counter and semaphore.
  int efd = eventfd(3, EFD_NONBLOCK);
  uint64_t v;
  e.events = EPOLLIN | EPOLLOUT;
  e.data.u64 = 9;
  epoll_ctl(ep, EPOLL_CTL_ADD, efd, &e);
  show("eventfd ready", epoll_wait(ep, ev, 8, 0), ev);
  ssize_t n = read(efd, &v, 8);
  printf("eventfd read %zd value %llu\n", n, (unsigned long long)v);
  n = read(efd, &v, 8);
  printf("eventfd empty read %zd errno %d\n", n, errno);
  v = 5;
  write(efd, &v, 8);
  int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
  printf("semaphore reads:");
  for (int i = 0; i < 3; i++) {
    ssize_t r = read(sem, &v, 8);
    printf(" %zd/%llu", r, r > 0 ? (unsigned long long)v : 0ull);
  }
  n = read(efd, &c, 1);
  printf("\nshort read %zd errno %d\n", n, errno);

  // A child writes to the pipe after a while; the parent's epoll_wait sleeps until then.
  epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL);
  pid_t pid = fork();
  if (pid == 0) {
    usleep(20000);
    write(p[1], "y", 1);
    _exit(0);
  }
  show("woken by the child", epoll_wait(ep, ev, 8, 5000), ev);
  int st;
  waitpid(pid, &st, 0);
  read(p[0], &c, 1);

  // EPOLLONESHOT fires once until re-armed with MOD.
  e.events = EPOLLIN | EPOLLONESHOT;
  e.data.u64 = 11;
  epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e);
  write(p[1], "zz", 2);
  show("oneshot first", epoll_wait(ep, ev, 8, 0), ev);
  show("oneshot again", epoll_wait(ep, ev, 8, 0), ev);
  epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e);
  show("re-armed", epoll_wait(ep, ev, 8, 0), ev);

  // timerfd: one-shot and periodic, read blocks until expiry.
  int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {.it_value = {0, 10000000}, .it_interval = {0, 0}};
  printf("settime %d\n", timerfd_settime(tfd, 0, &its, NULL));
  n = read(tfd, &v, 8);
  printf("one-shot read %zd expirations %llu\n", n, (unsigned long long)v);
  its.it_value.tv_nsec = 5000000;
  its.it_interval.tv_nsec = 5000000;
  timerfd_settime(tfd, 0, &its, NULL);
  e.events = EPOLLIN;
  e.data.u64 = 13;
  epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
  epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &e);
  show("periodic timer", epoll_wait(ep, ev, 8, 1000), ev);
  read(tfd, &v, 8);
  printf("periodic expirations >= 1: %d\n", v >= 1);
  struct itimerspec cur;
  timerfd_gettime(tfd, &cur);
  printf("interval kept %ld ns, armed %d\n", cur.it_interval.tv_nsec, cur.it_value.tv_sec > 0 || cur.it_value.tv_nsec > 0);
  memset(&its, 0, sizeof(its));
  timerfd_settime(tfd, 0, &its, NULL);
  show("disarmed", epoll_wait(ep, ev, 8, 20), ev);
  r = timerfd_create(12345, 0);
  printf("timerfd bad clock %d errno %d\n", r, errno);
  r = epoll_wait(p[0], ev, 8, 0);
  printf("wait on non-epoll %d errno %d\n", r, errno);
  r = epoll_wait(ep, ev, 0, 0);
  printf("maxevents 0: %d errno %d\n", r, errno);
  return 0;
}
