// SPDX-License-Identifier: MIT
// Process and thread identity and limits: get*id, set*id (accepted as
// root), process groups and sessions, arch_prctl, set_tid_address, set_robust_list,
// rseq, prlimit64/getrlimit/setrlimit, prctl, sched_yield,
// sched_getaffinity. Touches only the caller's task and process.
#include <string.h>

#include "kernel.h"
#include "syscalls.h"

#define USER_TOP 0x800000000000ull

int64_t sys_getpid(struct task *t, const uint64_t *a) { return t->proc->pid; }
int64_t sys_getppid(struct task *t, const uint64_t *a) { return t->proc->ppid; }
int64_t sys_gettid(struct task *t, const uint64_t *a) { return t->tid; }
// The guest runs as root (uid 0, gid 0), like a container's init.
int64_t sys_getuid(struct task *t, const uint64_t *a) { return 0; }
int64_t sys_getgid(struct task *t, const uint64_t *a) { return 0; }
int64_t sys_setuid(struct task *t, const uint64_t *a) { return 0; }
int64_t sys_getgroups(struct task *t, const uint64_t *a) { return (int)a[0] < 0 ? -LINUX_EINVAL : 0; }
int64_t sys_getpgrp(struct task *t, const uint64_t *a) { return t->proc->pgid; }
// setpgid(2): the caller or one of its children, into a group of the same
// session (or a new group named after the target).
int64_t sys_setpgid(struct task *t, const uint64_t *a) {
  int pid = (int)a[0], pgid = (int)a[1];
  if (pgid < 0) return -LINUX_EINVAL;
  struct proc *self = t->proc, *target = pid == 0 ? self : proc_find(pid);
  if (!target || target->exited || (target != self && target->ppid != self->pid)) return -LINUX_ESRCH;
  if (target->sid != self->sid) return -LINUX_EPERM;
  if (target->sid == target->pid) return -LINUX_EPERM; // a session leader
  if (!pgid) pgid = target->pid;
  if (pgid != target->pid) {
    int found = 0;
    for (int i = 0; i < kern.nprocs; i++)
      if (!kern.procs[i]->reaped && kern.procs[i]->pgid == pgid && kern.procs[i]->sid == self->sid) found = 1;
    if (!found) return -LINUX_EPERM;
  }
  target->pgid = pgid;
  return 0;
}

int64_t sys_setsid(struct task *t, const uint64_t *a) {
  // setsid(2): a process group leader cannot start a session.
  for (int i = 0; i < kern.nprocs; i++)
    if (!kern.procs[i]->reaped && kern.procs[i]->pgid == t->proc->pid) return -LINUX_EPERM;
  t->proc->sid = t->proc->pgid = t->proc->pid;
  return t->proc->sid;
}

int64_t sys_getpgid(struct task *t, const uint64_t *a) {
  struct proc *p = (int)a[0] == 0 ? t->proc : proc_find((int)a[0]);
  return p ? p->pgid : -LINUX_ESRCH;
}

int64_t sys_getsid(struct task *t, const uint64_t *a) {
  struct proc *p = (int)a[0] == 0 ? t->proc : proc_find((int)a[0]);
  return p ? p->sid : -LINUX_ESRCH;
}

int64_t sys_arch_prctl(struct task *t, const uint64_t *a) {
  uint64_t v;
  switch ((int)a[0]) {
  case LINUX_ARCH_SET_FS:
    if (a[1] >= USER_TOP) return -LINUX_EPERM;
    t->cpu.fs_base = a[1];
    return 0;
  case LINUX_ARCH_SET_GS:
    if (a[1] >= USER_TOP) return -LINUX_EPERM;
    t->cpu.gs_base = a[1];
    return 0;
  case LINUX_ARCH_GET_FS:
    v = t->cpu.fs_base;
    return mm_write(t->proc->mm, a[1], &v, 8) ? -LINUX_EFAULT : 0;
  case LINUX_ARCH_GET_GS:
    v = t->cpu.gs_base;
    return mm_write(t->proc->mm, a[1], &v, 8) ? -LINUX_EFAULT : 0;
  case 0x1011: // ARCH_GET_CPUID: cpuid is enabled
    return 1;
  default:
    return -LINUX_EINVAL;
  }
}

int64_t sys_set_tid_address(struct task *t, const uint64_t *a) {
  t->clear_child_tid = a[0];
  return t->tid;
}

int64_t sys_set_robust_list(struct task *t, const uint64_t *a) {
  if (a[1] != 24) return -LINUX_EINVAL; // sizeof(struct robust_list_head)
  t->robust_list = a[0];
  return 0;
}

// rseq(2) is optional: glibc carries on without it when it gets ENOSYS.
int64_t sys_rseq(struct task *t, const uint64_t *a) { return -LINUX_ENOSYS; }

static long do_prlimit(struct task *t, int pid, unsigned res, uint64_t unew, uint64_t uold) {
  if (pid != 0 && pid != t->proc->pid) return -LINUX_ESRCH;
  if (res >= LINUX_RLIM_NLIMITS) return -LINUX_EINVAL;
  struct rlimit_linux nl, *cur = &t->proc->rlimits[res];
  if (unew) {
    if (mm_read(t->proc->mm, &nl, unew, sizeof(nl))) return -LINUX_EFAULT;
    if (nl.rlim_cur > nl.rlim_max) return -LINUX_EINVAL;
    if (res == LINUX_RLIMIT_NOFILE && nl.rlim_max > KERNEL_FD_MAX) return -LINUX_EPERM; // fs.nr_open
  }
  if (uold && mm_write(t->proc->mm, uold, cur, sizeof(*cur))) return -LINUX_EFAULT;
  if (unew) *cur = nl;
  return 0;
}

int64_t sys_prlimit64(struct task *t, const uint64_t *a) { return do_prlimit(t, (int)a[0], (unsigned)a[1], a[2], a[3]); }
int64_t sys_getrlimit(struct task *t, const uint64_t *a) { return do_prlimit(t, 0, (unsigned)a[0], 0, a[1]); }
int64_t sys_setrlimit(struct task *t, const uint64_t *a) { return do_prlimit(t, 0, (unsigned)a[0], a[1], 0); }

// prctl(2): the name and a few flags programs set at start.
int64_t sys_prctl(struct task *t, const uint64_t *a) {
  switch ((int)a[0]) {
  case 15: { // PR_SET_NAME
    char name[16];
    long n = mm_read_str(t->proc->mm, name, a[1], sizeof(name));
    if (n == -1) return -LINUX_EFAULT;
    memcpy(t->proc->comm, name, sizeof(name));
    t->proc->comm[15] = 0;
    return 0;
  }
  case 16: // PR_GET_NAME
    return mm_write(t->proc->mm, a[1], t->proc->comm, 16) ? -LINUX_EFAULT : 0;
  case 1:  // PR_SET_PDEATHSIG
  case 4:  // PR_SET_DUMPABLE
  case 38: // PR_SET_NO_NEW_PRIVS
    return 0;
  case 3: // PR_GET_DUMPABLE
    return 1;
  default:
    return -LINUX_EINVAL;
  }
}

// Every syscall stop ends the caller's turn (kernel_run picks the next
// runnable task), so yielding needs nothing more.
int64_t sys_sched_yield(struct task *t, const uint64_t *a) { return 0; }

// One CPU: the mask is bit 0; the kernel writes and returns
// sizeof(cpumask_t) rounded to longs (8 bytes here).
int64_t sys_sched_getaffinity(struct task *t, const uint64_t *a) {
  int pid = (int)a[0];
  if (pid != 0 && pid != t->proc->pid && pid != t->tid) return -LINUX_ESRCH;
  if (a[1] < 8 || (a[1] & 7)) return -LINUX_EINVAL;
  uint64_t mask = 1;
  return mm_write(t->proc->mm, a[2], &mask, 8) ? -LINUX_EFAULT : 8;
}
