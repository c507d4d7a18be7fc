// SPDX-License-Identifier: MIT
// Processes: fork, vfork, clone, wait4/waitpid/waitid status words, WNOHANG,
// WUNTRACED/WCONTINUED, ECHILD, zombies, orphans, process groups and
// sessions, kill to a pid, to a group and to 0. Only the parent prints; pids
// are compared, never printed.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
  else if (WIFSTOPPED(st)) printf("%s: stopped by %d\n", what, WSTOPSIG(st));
  else if (WIFCONTINUED(st)) printf("%s: continued\n", what);
  else printf("%s: status 0x%x\n", what, st);
}

static pid_t spawn_exit(int code) {
  pid_t p = fork();
  if (p == 0) _exit(code);
  return p;
}

static int child_stack[16384] __attribute__((aligned(16)));
static volatile int shared_word;
static int clone_fn(void *arg) {
  shared_word = 1234; // visible to the parent: CLONE_VM
  return 7;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int st;
  // Exit codes and their order of reaping by pid.
  pid_t a = spawn_exit(3), b = spawn_exit(0), c = spawn_exit(255);
  printf("waitpid b = b: %d\n", waitpid(b, &st, 0) == b);
  show("b", st);
  printf("waitpid a = a: %d\n", waitpid(a, &st, 0) == a);
  show("a", st);
  printf("wait any = c: %d\n", wait(&st) == c);
  show("c", st);
  errno = 0;
  int r = wait(&st);
  printf("wait none: %d errno ECHILD %d\n", r, errno == ECHILD);

  // Deaths by signal: default actions.
  int sigs[] = {SIGTERM, SIGKILL, SIGABRT, SIGSEGV, SIGUSR1, SIGPIPE, SIGALRM};
  for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
    pid_t p = fork();
    if (p == 0) {
      if (sigs[i] == SIGABRT) abort();
      raise(sigs[i]);
      _exit(99);
    }
    waitpid(p, &st, 0);
    show(strsignal(sigs[i]) ? "raise" : "?", st);
  }
  // Ignored by default: the child lives on.
  pid_t p = fork();
  if (p == 0) {
    raise(SIGCHLD);
    raise(SIGURG);
    raise(SIGWINCH);
    _exit(5);
  }
  waitpid(p, &st, 0);
  show("ignored signals", st);

  // WNOHANG while the child runs, then blocking wait.
  int fds[2];
  pipe(fds);
  p = fork();
  if (p == 0) {
    char ch;
    close(fds[1]);
    read(fds[0], &ch, 1);
    _exit(ch);
  }
  close(fds[0]);
  printf("WNOHANG running: %d\n", waitpid(p, &st, WNOHANG));
  write(fds[1], "\x11", 1);
  printf("blocking: %d\n", waitpid(p, &st, 0) == p);
  show("after pipe", st);
  close(fds[1]);

  // Stop and continue (WUNTRACED, WCONTINUED).
  pipe(fds);
  p = fork();
  if (p == 0) {
    char ch;
    close(fds[1]);
    raise(SIGSTOP);
    read(fds[0], &ch, 1);
    _exit(8);
  }
  close(fds[0]);
  printf("stopped: %d\n", waitpid(p, &st, WUNTRACED) == p);
  show("stop", st);
  kill(p, SIGCONT);
  printf("continued: %d\n", waitpid(p, &st, WCONTINUED) == p);
  show("cont", st);
  write(fds[1], "x", 1);
  close(fds[1]);
  waitpid(p, &st, 0);
  show("end", st);

  // waitid: CLD_EXITED and CLD_KILLED with si_status.
  p = spawn_exit(42);
  siginfo_t si;
  memset(&si, 0, sizeof(si));
  printf("waitid: %d\n", waitid(P_PID, p, &si, WEXITED));
  printf("si_signo %d si_code %d si_status %d pid ok %d\n", si.si_signo, si.si_code, si.si_status, si.si_pid == p);
  p = fork();
  if (p == 0) {
    pause();
    _exit(0);
  }
  kill(p, SIGTERM);
  memset(&si, 0, sizeof(si));
  waitid(P_ALL, 0, &si, WEXITED | WNOWAIT);
  printf("WNOWAIT si_code %d si_status %d\n", si.si_code, si.si_status);
  waitpid(p, &st, 0);
  show("after WNOWAIT", st);
  memset(&si, 0, sizeof(si));
  errno = 0;
  r = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
  printf("waitid none: %d ECHILD %d\n", r, errno == ECHILD);

  // vfork: the child runs first in the parent's memory.
  volatile int touched = 0;
  p = vfork();
  if (p == 0) {
    touched = 1;
    _exit(9);
  }
  printf("vfork touched %d\n", touched);
  waitpid(p, &st, 0);
  show("vfork", st);

  // clone with CLONE_VM and a custom exit signal (needs __WALL/__WCLONE).
  signal(SIGUSR2, SIG_IGN); // the exit signal goes to us
  p = clone(clone_fn, child_stack + 16384, CLONE_VM | SIGUSR2, NULL);
  printf("waitpid without __WCLONE: %d\n", waitpid(p, &st, WNOHANG) == -1 && errno == ECHILD);
  printf("__WALL: %d\n", waitpid(p, &st, __WALL) == p);
  show("clone", st);
  printf("shared word %d\n", shared_word);

  // getppid in the child; orphans are reparented.
  pipe(fds);
  p = fork();
  if (p == 0) {
    pid_t mine = getppid();
    pid_t g = fork();
    if (g == 0) {
      char ok;
      close(fds[1]);
      // Wait for the middle process to be gone, then report.
      while (getppid() == mine) usleep(1000);
      ok = 'R';
      _exit(ok == 'R' ? 0 : 1);
    }
    _exit(getppid() == mine ? 0 : 1);
  }
  waitpid(p, &st, 0);
  show("middle", st);
  close(fds[0]);
  close(fds[1]);

  // Process groups and sessions.
  printf("getpgid(0)==getpgrp: %d\n", getpgid(0) == getpgrp());
  printf("getsid(0)==getsid(getpid()): %d\n", getsid(0) == getsid(getpid()));
  pid_t k1 = fork();
  if (k1 == 0) {
    setpgid(0, 0);
    pause();
    _exit(1);
  }
  setpgid(k1, k1);
  pid_t k2 = fork();
  if (k2 == 0) {
    pause();
    _exit(1);
  }
  setpgid(k2, k1);
  printf("groups: %d %d\n", getpgid(k1) == k1, getpgid(k2) == k1);
  r = setpgid(k2, 999999);
  printf("setpgid bad: %d %d\n", r, errno == EPERM);
  printf("kill -pgid: %d\n", kill(-k1, SIGUSR1));
  waitpid(k1, &st, 0);
  show("k1", st);
  waitpid(k2, &st, 0);
  show("k2", st);
  r = kill(-k1, SIGUSR1);
  printf("kill gone: %d ESRCH %d\n", r, errno == ESRCH);
  printf("kill 0 probe: %d\n", kill(getpid(), 0));
  p = fork();
  if (p == 0) {
    pid_t s = setsid();
    _exit(s == getpid() && getsid(0) == getpid() && getpgrp() == getpid() ? 0 : 1);
  }
  waitpid(p, &st, 0);
  show("setsid child", st);

  // A zombie stays until reaped: kill(pid, 0) still succeeds.
  p = spawn_exit(1);
  usleep(20000);
  printf("zombie kill 0: %d\n", kill(p, 0));
  waitpid(p, &st, 0);
  printf("reaped kill 0: %d\n", kill(p, 0));

  // SIGCHLD ignored: children are reaped at once, wait gives ECHILD.
  signal(SIGCHLD, SIG_IGN);
  p = spawn_exit(2);
  errno = 0;
  r = waitpid(p, &st, 0);
  printf("SIG_IGN wait: %d ECHILD %d\n", r, errno == ECHILD);
  signal(SIGCHLD, SIG_DFL);

  // Many children at once.
  int sum = 0;
  for (int i = 0; i < 20; i++) spawn_exit(i);
  for (int i = 0; i < 20; i++) {
    wait(&st);
    sum += WEXITSTATUS(st);
  }
  printf("sum of 20 exit codes %d\n", sum);
  return 0;
}
