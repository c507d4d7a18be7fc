// SPDX-License-Identifier: MIT
// Clocks and sleeping: clock_gettime, clock_getres, gettimeofday, time,
// nanosleep, clock_nanosleep, alarm, setitimer, getitimer, times, getrusage. Time comes only from
// host_clock plus the time the guest has slept: the engine never blocks, so a
// sleep returns at once and moves the guest's clocks forward instead.
#include <string.h>

#include "../host/host.h"
#include "kernel.h"
#include "syscalls.h"

// Nanoseconds of clock id as the guest sees it; -1 for an unknown id.
static int64_t guest_clock(int id) {
  switch (id) {
  case LINUX_CLOCK_REALTIME:
  case LINUX_CLOCK_REALTIME_COARSE:
    return host_clock(0) + kern.clock_skew_ns;
  case LINUX_CLOCK_MONOTONIC:
  case LINUX_CLOCK_MONOTONIC_RAW:
  case LINUX_CLOCK_MONOTONIC_COARSE:
  case LINUX_CLOCK_BOOTTIME:
    return host_clock(1) + kern.clock_skew_ns;
  case LINUX_CLOCK_PROCESS_CPUTIME_ID:
  case LINUX_CLOCK_THREAD_CPUTIME_ID: {
    // CPU time: one nanosecond per retired instruction of the caller's
    // task, deterministic and monotonic.
    struct task *t = kernel_current();
    return t ? (int64_t)t->cpu.icount : 0;
  }
  default:
    return -1;
  }
}

int64_t kernel_now(void) { return guest_clock(LINUX_CLOCK_MONOTONIC); }
int64_t kernel_realtime(void) { return guest_clock(LINUX_CLOCK_REALTIME); }

int64_t sys_clock_gettime(struct task *t, const uint64_t *a) {
  int64_t ns = guest_clock((int)a[0]);
  if (ns < 0) return -LINUX_EINVAL;
  struct timespec_linux ts = {ns / 1000000000, ns % 1000000000};
  return mm_write(t->proc->mm, a[1], &ts, sizeof(ts)) ? -LINUX_EFAULT : 0;
}

int64_t sys_clock_getres(struct task *t, const uint64_t *a) {
  int id = (int)a[0];
  if (guest_clock(id) < 0) return -LINUX_EINVAL;
  // The coarse clocks tick with the scheduler (4 ms at HZ=250).
  struct timespec_linux ts = {0, (id == LINUX_CLOCK_REALTIME_COARSE || id == LINUX_CLOCK_MONOTONIC_COARSE) ? 4000000 : 1};
  if (!a[1]) return 0;
  return mm_write(t->proc->mm, a[1], &ts, sizeof(ts)) ? -LINUX_EFAULT : 0;
}

int64_t sys_gettimeofday(struct task *t, const uint64_t *a) {
  int64_t ns = guest_clock(LINUX_CLOCK_REALTIME);
  if (a[0]) {
    struct timeval_linux tv = {ns / 1000000000, (ns % 1000000000) / 1000};
    if (mm_write(t->proc->mm, a[0], &tv, sizeof(tv))) return -LINUX_EFAULT;
  }
  if (a[1]) {
    int32_t tz[2] = {0, 0}; // struct timezone: UTC, no DST
    if (mm_write(t->proc->mm, a[1], tz, sizeof(tz))) return -LINUX_EFAULT;
  }
  return 0;
}

int64_t sys_time(struct task *t, const uint64_t *a) {
  int64_t s = guest_clock(LINUX_CLOCK_REALTIME) / 1000000000;
  if (a[0] && mm_write(t->proc->mm, a[0], &s, 8)) return -LINUX_EFAULT;
  return s;
}

// A sleep is a deadline on the guest's monotonic clock: the task sleeps
// while others run; when nothing can run the clocks jump to the earliest
// deadline (kernel_run), so sleeping never blocks the host. A handler ends
// it with EINTR (the time left is not written back: see kernel/README.md).
static long sleep_for(struct task *t, uint64_t ureq, uint64_t urem, int absolute, int clock) {
  int64_t now = kernel_now();
  if (!t->deadline) {
    struct timespec_linux ts;
    if (mm_read(t->proc->mm, &ts, ureq, sizeof(ts))) return -LINUX_EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return -LINUX_EINVAL;
    int64_t ns = ts.tv_sec > 1000000000ll * 9 ? INT64_MAX / 4 : ts.tv_sec * 1000000000 + ts.tv_nsec;
    if (absolute) ns -= guest_clock(clock);
    if (ns <= 0) return 0;
    t->deadline = now + ns;
  } else if (now >= t->deadline) {
    return 0;
  }
  sched_block_on(kernel_chan_signal);
  return -KERNEL_ERESTARTNOHAND;
}

// alarm(2) and setitimer(2) ITIMER_REAL: SIGALRM when the guest's monotonic
// clock passes p->alarm_at (kernel_run checks; a sleeping machine jumps to it).
static void itimer_get(struct proc *p, int64_t now, struct timeval_linux tv[2]) {
  int64_t left = p->alarm_at ? p->alarm_at - now : 0;
  if (p->alarm_at && left <= 0) left = 1000; // due: Linux reports a tiny value, not zero
  tv[0].tv_sec = p->alarm_interval / 1000000000;
  tv[0].tv_usec = (p->alarm_interval % 1000000000) / 1000;
  tv[1].tv_sec = left / 1000000000;
  tv[1].tv_usec = (left % 1000000000 + 999) / 1000;
  if (tv[1].tv_usec >= 1000000) {
    tv[1].tv_sec++;
    tv[1].tv_usec -= 1000000;
  }
}

static void itimer_set(struct proc *p, int64_t now, int64_t value_ns, int64_t interval_ns) {
  p->alarm_interval = interval_ns;
  p->alarm_at = value_ns ? now + value_ns : 0;
  if (p->alarm_at) kernel_arm(p->alarm_at);
}

int64_t sys_alarm(struct task *t, const uint64_t *a) {
  struct proc *p = t->proc;
  int64_t now = kernel_now();
  struct timeval_linux old[2];
  itimer_get(p, now, old);
  // alarm(2) rounds the time left to the nearest second, and a pending
  // alarm never reports 0.
  int64_t secs = old[1].tv_sec;
  if ((!secs && old[1].tv_usec) || old[1].tv_usec >= 500000) secs++;
  uint32_t s = (uint32_t)a[0];
  itimer_set(p, now, (int64_t)s * 1000000000, 0);
  return p->alarm_at || secs ? secs : 0;
}

static int64_t tv_ns(const struct timeval_linux *tv) {
  if (tv->tv_sec > 1000000000ll * 9) return INT64_MAX / 4;
  return tv->tv_sec * 1000000000 + tv->tv_usec * 1000;
}

int64_t sys_setitimer(struct task *t, const uint64_t *a) {
  int which = (int)a[0];
  if (which < 0 || which > 2) return -LINUX_EINVAL;
  struct proc *p = t->proc;
  int64_t now = kernel_now();
  struct timeval_linux nv[2], old[2];
  memset(old, 0, sizeof(old));
  if (a[1]) {
    if (mm_read(p->mm, nv, a[1], sizeof(nv))) return -LINUX_EFAULT;
    for (int i = 0; i < 2; i++)
      if (nv[i].tv_sec < 0 || nv[i].tv_usec < 0 || nv[i].tv_usec >= 1000000) return -LINUX_EINVAL;
  }
  // ITIMER_VIRTUAL and ITIMER_PROF are accepted and never fire (README).
  if (which == 0) itimer_get(p, now, old);
  if (a[2] && mm_write(p->mm, a[2], old, sizeof(old))) return -LINUX_EFAULT;
  if (a[1] && which == 0) itimer_set(p, now, tv_ns(&nv[1]), tv_ns(&nv[0]));
  return 0;
}

int64_t sys_getitimer(struct task *t, const uint64_t *a) {
  int which = (int)a[0];
  if (which < 0 || which > 2) return -LINUX_EINVAL;
  struct timeval_linux cur[2];
  memset(cur, 0, sizeof(cur));
  if (which == 0) itimer_get(t->proc, kernel_now(), cur);
  return mm_write(t->proc->mm, a[1], cur, sizeof(cur)) ? -LINUX_EFAULT : 0;
}

int64_t sys_nanosleep(struct task *t, const uint64_t *a) { return sleep_for(t, a[0], a[1], 0, LINUX_CLOCK_MONOTONIC); }

int64_t sys_clock_nanosleep(struct task *t, const uint64_t *a) {
  int clock = (int)a[0];
  if (clock == LINUX_CLOCK_THREAD_CPUTIME_ID) return -LINUX_EINVAL;
  if (guest_clock(clock) < 0) return -LINUX_EINVAL;
  if (a[1] & ~1ull) return -LINUX_EINVAL;
  return sleep_for(t, a[2], a[3], (a[1] & 1) != 0, clock); // TIMER_ABSTIME = 1
}

// times(2): CPU time in clock ticks (100 Hz), from the instruction count.
int64_t sys_times(struct task *t, const uint64_t *a) {
  int64_t ticks = (int64_t)(t->cpu.icount / 10000000);
  if (a[0]) {
    int64_t tms[4] = {ticks, 0, 0, 0};
    if (mm_write(t->proc->mm, a[0], tms, sizeof(tms))) return -LINUX_EFAULT;
  }
  return guest_clock(LINUX_CLOCK_MONOTONIC) / 10000000;
}

// getrusage(2): struct rusage is 144 bytes; only ru_utime and ru_maxrss are
// filled (RUSAGE_SELF 0, RUSAGE_CHILDREN -1, RUSAGE_THREAD 1).
int64_t sys_getrusage(struct task *t, const uint64_t *a) {
  int who = (int)a[0];
  if (who != 0 && who != -1 && who != 1) return -LINUX_EINVAL;
  int64_t ru[18];
  memset(ru, 0, sizeof(ru));
  if (who != -1) {
    int64_t ns = (int64_t)t->cpu.icount;
    ru[0] = ns / 1000000000;
    ru[1] = (ns % 1000000000) / 1000;
    ru[4] = (int64_t)(t->proc->mm->pages * 4); // ru_maxrss in KiB
  }
  return mm_write(t->proc->mm, a[1], ru, sizeof(ru)) ? -LINUX_EFAULT : 0;
}
