// SPDX-License-Identifier: MIT
// Signal handlers: faults caught and left with siglongjmp or by moving RIP
// in the ucontext (the frame layout Linux gives: gregs, trapno, err, cr2,
// fpregs), SA_SIGINFO details, alarm and setitimer, SIGCHLD, SA_RESTART
// against EINTR, blocked and pending signals, sigsuspend, sigtimedwait,
// SA_NODEFER, SA_RESETHAND, sigaltstack.
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile sig_atomic_t hits, last_sig, last_code;
static void *volatile last_addr;

static void jump_handler(int sig, siginfo_t *si, void *uc) {
  last_sig = sig;
  last_code = si->si_code;
  last_addr = si->si_addr;
  siglongjmp(jb, 1);
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = fn;
  sa.sa_flags = SA_SIGINFO | flags;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

static void count(int sig, siginfo_t *si, void *uc) {
  hits++;
  last_sig = sig;
  last_code = si->si_code;
}

// Skips the faulting 6-byte `movl $1, (%rax)` by editing the saved RIP.
static volatile long seen_trapno, seen_err, seen_cr2_ok, seen_rax_ok, seen_mxcsr, seen_fp;
static void skip_handler(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  seen_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
  seen_err = uc->uc_mcontext.gregs[REG_ERR];
  seen_cr2_ok = (void *)uc->uc_mcontext.gregs[REG_CR2] == si->si_addr;
  seen_rax_ok = (void *)uc->uc_mcontext.gregs[REG_RAX] == si->si_addr;
  seen_fp = uc->uc_mcontext.fpregs != NULL;
  if (uc->uc_mcontext.fpregs) seen_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
  uc->uc_mcontext.gregs[REG_RIP] += 6;
  uc->uc_mcontext.gregs[REG_RBX] = 0x1234; // comes back in rbx
}

static volatile int handler_round;
static void round_handler(int sig) {
  handler_round = fegetround();
  fesetround(FE_UPWARD); // undone by sigreturn
}

static volatile int nest, max_nest, calls;
static void nested(int sig) {
  nest++;
  if (nest > max_nest) max_nest = nest;
  if (++calls < 3) raise(sig);
  nest--;
}

static char altstack[65536];
static volatile int on_alt, alt_flags;
static void alt_handler(int sig) {
  char here;
  on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
  stack_t cur;
  sigaltstack(NULL, &cur);
  alt_flags = cur.ss_flags;
}

static void show(const char *what, int st) {
  if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
}

// The handler keeps si_pid; main compares it with fork's result afterwards
// (the child can exit, and SIGCHLD arrive, before fork returns in the parent).
static volatile int chld_count, chld_status;
static volatile pid_t chld_pid;
static void on_chld(int sig, siginfo_t *si, void *uc) {
  chld_count++;
  chld_pid = si->si_pid;
  chld_status = si->si_status;
  last_code = si->si_code;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  // Faults caught by handlers.
  on(SIGSEGV, jump_handler, 0);
  int *volatile bad = (int *)16;
  if (!sigsetjmp(jb, 1)) *bad = 1;
  printf("SIGSEGV unmapped: sig %d code %d addr %p\n", last_sig, last_code, last_addr);
  char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (!sigsetjmp(jb, 1)) ro[100] = 1;
  printf("SIGSEGV read-only: sig %d code %d addr ok %d\n", last_sig, last_code, last_addr == ro + 100);
  on(SIGFPE, jump_handler, 0);
  volatile int zero = 0;
  if (!sigsetjmp(jb, 1)) zero = 5 / zero;
  printf("SIGFPE: sig %d code %d\n", last_sig, last_code);
  on(SIGILL, jump_handler, 0);
  if (!sigsetjmp(jb, 1)) __asm__ volatile("ud2");
  printf("SIGILL: sig %d code %d\n", last_sig, last_code);
  // The handler resumes after the faulting instruction via the ucontext.
  on(SIGSEGV, skip_handler, 0);
  long rbx_after;
  __asm__ volatile("mov $0x40, %%rax\n\tmov $0, %%rbx\n\tmovl $1, (%%rax)\n\tmov %%rbx, %0"
                   : "=r"(rbx_after)
                   :
                   : "rax", "rbx", "memory");
  printf("resumed: rbx %lx trapno %ld err %ld cr2 %ld rax %ld fpregs %ld mxcsr %lx\n", rbx_after, seen_trapno,
         seen_err, seen_cr2_ok, seen_rax_ok, seen_fp, seen_mxcsr);
  signal(SIGSEGV, SIG_DFL);

  // kill to self: SI_USER with our pid; raise: SI_TKILL.
  on(SIGUSR1, count, 0);
  kill(getpid(), SIGUSR1);
  printf("kill self: hits %d code %d\n", hits, last_code);
  raise(SIGUSR1);
  printf("raise: hits %d code %d\n", hits, last_code);

  // A handler starts with the default FPU state; the interrupted code gets
  // its own back.
  signal(SIGUSR2, round_handler);
  fesetround(FE_DOWNWARD);
  raise(SIGUSR2);
  printf("rounding in handler: nearest %d; after: downward %d\n", handler_round == FE_TONEAREST,
         fegetround() == FE_DOWNWARD);
  fesetround(FE_TONEAREST);

  // Blocked, pending, delivered on unblock.
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, &old);
  raise(SIGUSR1);
  sigset_t pend;
  sigpending(&pend);
  printf("blocked: hits %d pending %d\n", hits, sigismember(&pend, SIGUSR1));
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("unblocked: hits %d\n", hits);

  // sigtimedwait takes a blocked signal without the handler.
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGUSR2);
  siginfo_t si;
  struct timespec ts = {0, 0};
  int r = sigtimedwait(&set, &si, &ts);
  printf("sigtimedwait: %d code %d\n", r, si.si_code);
  ts.tv_nsec = 10000000;
  errno = 0;
  r = sigtimedwait(&set, &si, &ts);
  printf("sigtimedwait empty: %d EAGAIN %d\n", r, errno == EAGAIN);

  // sigsuspend: a child signals us while we sleep with SIGUSR1 unblocked.
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  int before = hits;
  pid_t p = fork();
  if (p == 0) {
    kill(getppid(), SIGUSR1);
    _exit(0);
  }
  sigset_t none;
  sigemptyset(&none);
  errno = 0;
  r = sigsuspend(&none);
  printf("sigsuspend: %d EINTR %d handler ran %d\n", r, errno == EINTR, hits - before);
  sigprocmask(SIG_SETMASK, NULL, &old);
  printf("mask restored: %d\n", sigismember(&old, SIGUSR1));
  waitpid(p, NULL, 0);
  sigprocmask(SIG_UNBLOCK, &set, NULL);

  // alarm + pause.
  on(SIGALRM, count, 0);
  before = hits;
  alarm(1);
  errno = 0;
  r = pause();
  printf("pause: %d EINTR %d alarm hits %d sig %d code %d\n", r, errno == EINTR, hits - before, last_sig, last_code);
  printf("alarm left: %u\n", alarm(0));

  // setitimer: a periodic 10 ms timer, three ticks.
  before = hits;
  struct itimerval it = {{0, 10000}, {0, 10000}};
  setitimer(ITIMER_REAL, &it, NULL);
  while (hits - before < 3) pause();
  memset(&it, 0, sizeof(it));
  setitimer(ITIMER_REAL, &it, NULL);
  printf("itimer ticks: %d\n", hits - before >= 3);

  // nanosleep cut short by a handler: EINTR and the time left.
  on(SIGALRM, count, SA_RESTART);
  struct itimerval shot = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &shot, NULL);
  struct timespec req = {1, 0}, rem = {0, 0};
  errno = 0;
  r = nanosleep(&req, &rem);
  printf("nanosleep: %d EINTR %d rem in (0.5 s, 1 s) %d\n", r, errno == EINTR,
         rem.tv_sec == 0 && rem.tv_nsec > 500000000);

  // SA_RESTART: a read interrupted by SIGALRM goes on; without it, EINTR.
  for (int restart = 1; restart >= 0; restart--) {
    int fds[2];
    pipe(fds);
    on(SIGALRM, count, restart ? SA_RESTART : 0);
    p = fork();
    if (p == 0) {
      usleep(200000);
      write(fds[1], "z", 1);
      _exit(0);
    }
    struct itimerval once = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &once, NULL);
    char ch = 0;
    errno = 0;
    before = hits;
    ssize_t k = read(fds[0], &ch, 1);
    printf("SA_RESTART=%d: read %zd char %c EINTR %d handler %d\n", restart, k, k == 1 ? ch : '-', errno == EINTR,
           hits - before);
    waitpid(p, NULL, 0);
    close(fds[0]);
    close(fds[1]);
  }

  // SIGCHLD with SA_SIGINFO.
  on(SIGCHLD, on_chld, 0);
  p = fork();
  if (p == 0) _exit(33);
  int st;
  while (!chld_count) usleep(1000);
  waitpid(p, &st, 0);
  printf("SIGCHLD: count %d pid ok %d status %d code %d\n", chld_count, chld_pid == p, chld_status, last_code);
  signal(SIGCHLD, SIG_DFL);

  // SA_NODEFER lets the handler nest; without it the signal waits.
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = nested;
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGUSR2, &sa, NULL);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  raise(SIGUSR2);
  printf("SA_NODEFER depth %d calls %d\n", max_nest, calls);
  max_nest = nest = calls = 0;
  sa.sa_flags = 0;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR2);
  printf("deferred depth %d calls %d\n", max_nest, calls);

  // SA_RESETHAND: the second signal takes the default action.
  p = fork();
  if (p == 0) {
    sa.sa_handler = (void (*)(int))nested;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(SIGTERM, &sa, NULL);
    calls = 5; // no re-raise inside
    raise(SIGTERM);
    raise(SIGTERM);
    _exit(0);
  }
  waitpid(p, &st, 0);
  show("SA_RESETHAND child", st);

  // sigaltstack.
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0};
  sigaltstack(&ss, NULL);
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = alt_handler;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  printf("altstack: on %d flags %d\n", on_alt, alt_flags);
  stack_t cur;
  sigaltstack(NULL, &cur);
  printf("outside: flags %d size ok %d\n", cur.ss_flags, cur.ss_size == sizeof(altstack));

  // An ignored signal and SIGKILL from the parent, once the child says it
  // ignores SIGTERM (a fixed sleep lost that race on a loaded machine).
  int ready[2];
  if (pipe(ready)) return 1;
  p = fork();
  if (p == 0) {
    signal(SIGTERM, SIG_IGN);
    kill(getpid(), SIGTERM);
    if (write(ready[1], "r", 1) != 1) _exit(1);
    for (;;) pause();
  }
  char rc;
  if (read(ready[0], &rc, 1) != 1) return 1;
  close(ready[0]);
  close(ready[1]);
  kill(p, SIGTERM);
  kill(p, SIGKILL);
  waitpid(p, &st, 0);
  show("ignored TERM, then KILL", st);
  // A handler that returns normally from a fault loops; SIG_DFL kills.
  p = fork();
  if (p == 0) *bad = 0;
  waitpid(p, &st, 0);
  show("unhandled SIGSEGV", st);
  return 0;
}
