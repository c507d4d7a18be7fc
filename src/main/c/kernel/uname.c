// SPDX-License-Identifier: MIT
// What the guest learns about the machine: uname, sysinfo, getrandom. The
// answers are fixed or come from host imports (random bytes), so a run is
// the same on every host.
#include <string.h>

#include "../host/host.h"
#include "kernel.h"
#include "syscalls.h"

int64_t sys_uname(struct task *t, const uint64_t *a) {
  struct utsname_linux u;
  memset(&u, 0, sizeof(u));
  strcpy(u.sysname, "Linux");
  strcpy(u.nodename, "xos");
  strcpy(u.release, "6.1.0-xos");
  strcpy(u.version, "#1 SMP PREEMPT_DYNAMIC xos");
  strcpy(u.machine, "x86_64");
  strcpy(u.domainname, "(none)");
  return mm_write(t->proc->mm, a[0], &u, sizeof(u)) ? -LINUX_EFAULT : 0;
}

int64_t sys_sysinfo(struct task *t, const uint64_t *a) {
  struct sysinfo_linux si;
  memset(&si, 0, sizeof(si));
  si.uptime = (host_clock(1) + kern.clock_skew_ns) / 1000000000;
  uint64_t total = page_limit ? page_limit * PAGE_SIZE : (2ull << 30);
  uint64_t used = pages_in_use * PAGE_SIZE;
  si.totalram = total;
  si.freeram = used < total ? total - used : 0;
  si.procs = (uint16_t)kern.ntasks;
  si.mem_unit = 1;
  return mm_write(t->proc->mm, a[0], &si, sizeof(si)) ? -LINUX_EFAULT : 0;
}

// getrandom(2): GRND_NONBLOCK 1, GRND_RANDOM 2, GRND_INSECURE 4; at most
// 32 MiB - 1 bytes per call.
int64_t sys_getrandom(struct task *t, const uint64_t *a) {
  uint64_t flags = a[2];
  if (flags & ~7ull) return -LINUX_EINVAL;
  if ((flags & 6) == 6) return -LINUX_EINVAL;
  uint64_t len = a[1] > 33554431 ? 33554431 : a[1];
  uint8_t buf[256];
  uint64_t done = 0;
  while (done < len) {
    size_t k = len - done < sizeof(buf) ? (size_t)(len - done) : sizeof(buf);
    host_random(buf, (int32_t)k);
    if (mm_write(t->proc->mm, a[0] + done, buf, k)) return done ? (long)done : -LINUX_EFAULT;
    done += k;
  }
  return (long)len;
}

// RDRAND and RDSEED draw from the same host source as getrandom (a seeded
// host replays them).
void cpu_random(void *buf, int len) { host_random(buf, len); }
