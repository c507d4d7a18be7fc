// SPDX-License-Identifier: MIT
// Ending threads and processes and waiting for them: exit, exit_group,
// wait4, waitid; zombies, reaping, reparenting orphans to init, SIGCHLD to
// the parent, waking a vfork parent. Owns the life cycle of struct proc
// after fork.c made it; must not touch CPU state beyond marking tasks dead.
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "syscalls.h"

#define WNOHANG 1
#define WUNTRACED 2 // WSTOPPED for waitid
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define WNOTHREAD 0x20000000
#define WALL 0x40000000
#define WCLONE 0x80000000u
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
#define SA_NOCLDWAIT 2

void proc_free(struct proc *p) {
  if (p->fds) fdtable_put(p->fds);
  mm_free(p->mm);
  free(p->exe);
  free(p->cwd);
  free(p);
}

void vfork_release(struct proc *p) {
  if (!p->vfork_tid) return;
  struct task *parent = task_find(p->vfork_tid);
  p->vfork_tid = 0;
  if (parent && parent->state == TASK_VFORK) parent->state = TASK_RUNNABLE;
}

// The si_code and si_status of a wait status (waitid(2), SIGCHLD).
static void status_info(int status, int *code, int *st) {
  if ((status & 0x7f) == 0) {
    *code = CLD_EXITED;
    *st = (status >> 8) & 0xff;
  } else {
    *code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
    *st = status & 0x7f;
  }
}

void proc_exit(struct proc *p, int status) {
  if (p->exited) return;
  p->exited = 1;
  p->exit_status = status;
  p->stopped = 0;
  p->alarm_at = 0;
  p->pending = 0;
  for (int i = 0; i < kern.ntasks; i++)
    if (kern.tasks[i]->proc == p) kern.tasks[i]->state = TASK_DEAD;
  kern.sweep = 1;
  // Closing the fds may wake pipe readers (EOF) and writers (EPIPE). The
  // address space stays until the process is reaped, so a debugger can
  // still read registers and memory of a zombie.
  fdtable_put(p->fds);
  p->fds = NULL;
  vfork_release(p);
  // Orphans go to init (pid 1, outside the machine), which reaps at once.
  for (int i = 0; i < kern.nprocs; i++) {
    struct proc *c = kern.procs[i];
    if (c->ppid != p->pid || c->reaped || c == p) continue;
    c->ppid = 1;
    if (c->exited) c->reaped = 1;
  }
  if (p == kern.init) return;
  struct proc *parent = p->ppid != 1 ? proc_find(p->ppid) : NULL;
  if (!parent || parent->exited) {
    p->reaped = 1;
    return;
  }
  // wait(2) NOTES: a parent ignoring SIGCHLD (SIG_IGN or SA_NOCLDWAIT) has
  // its children reaped at once.
  struct sigaction_linux *sa = &parent->sigactions[LINUX_SIGCHLD - 1];
  if (p->exit_signal == LINUX_SIGCHLD && (sa->handler == LINUX_SIG_IGN || (sa->flags & SA_NOCLDWAIT)))
    p->reaped = 1;
  if (p->exit_signal > 0 && p->exit_signal <= LINUX_NSIG) {
    struct ksiginfo info = {.pid = p->pid};
    status_info(status, &info.code, &info.status);
    signal_proc(parent, p->exit_signal, &info);
  }
  sched_wake(parent);
}

void task_exit(struct task *t, int status) {
  struct proc *p = t->proc;
  // set_tid_address(2): the kernel clears the word and wakes a futex on it
  // (pthread_join waits there).
  if (t->clear_child_tid && p->mm) {
    uint32_t zero = 0;
    if (mm_write(p->mm, t->clear_child_tid, &zero, 4) == 0) futex_wake(p->mm, t->clear_child_tid, 1, ~0u);
  }
  t->state = TASK_DEAD;
  kern.sweep = 1;
  if (--p->nthreads <= 0) proc_exit(p, status);
}

// exit(2) ends the calling thread; the process ends with its last thread.
int64_t sys_exit(struct task *t, const uint64_t *a) {
  task_exit(t, ((int)a[0] & 0xff) << 8);
  return 0;
}

int64_t sys_exit_group(struct task *t, const uint64_t *a) {
  proc_exit(t->proc, ((int)a[0] & 0xff) << 8);
  return 0;
}

static int matches(struct proc *self, struct proc *c, int idtype, int id, uint32_t options) {
  if (c->ppid != self->pid || c->reaped || c == self) return 0;
  if (idtype == P_PID && c->pid != id) return 0;
  if (idtype == P_PGID && c->pgid != id) return 0;
  if (options & WALL) return 1;
  // wait(2): __WCLONE waits for "clone" children only (exit signal other
  // than SIGCHLD), the default for the others only.
  return (c->exit_signal != LINUX_SIGCHLD) == ((options & WCLONE) != 0);
}

struct wait_result {
  int pid, status, code, st;
};

// The wait core: 0 with r filled, 1 nothing ready (WNOHANG), or -errno,
// -ERESTARTSYS to sleep.
static int do_wait(struct task *t, int idtype, int id, uint32_t options, struct wait_result *r) {
  struct proc *self = t->proc;
  int any = 0;
  for (int i = 0; i < kern.nprocs; i++) {
    struct proc *c = kern.procs[i];
    if (!matches(self, c, idtype, id, options)) continue;
    any = 1;
    if (c->exited && (options & WEXITED)) {
      r->pid = c->pid;
      r->status = c->exit_status;
      status_info(c->exit_status, &r->code, &r->st);
      if (!(options & WNOWAIT)) {
        c->reaped = 1;
        kern.sweep = 1;
      }
      return 0;
    }
    if (c->stop_report && (options & WUNTRACED)) {
      r->pid = c->pid;
      r->status = (c->stop_report << 8) | 0x7f;
      r->code = CLD_STOPPED;
      r->st = c->stop_report;
      if (!(options & WNOWAIT)) c->stop_report = 0;
      return 0;
    }
    if (c->cont_report && (options & WCONTINUED)) {
      r->pid = c->pid;
      r->status = 0xffff;
      r->code = CLD_CONTINUED;
      r->st = LINUX_SIGCONT;
      if (!(options & WNOWAIT)) c->cont_report = 0;
      return 0;
    }
  }
  if (!any) return -LINUX_ECHILD;
  if (options & WNOHANG) return 1;
  sched_block_on(self);
  return -LINUX_ERESTARTSYS;
}

static int zero_rusage(struct task *t, uint64_t addr) {
  uint8_t ru[144];
  memset(ru, 0, sizeof(ru));
  return addr && mm_write(t->proc->mm, addr, ru, sizeof(ru)) ? -LINUX_EFAULT : 0;
}

int64_t sys_wait4(struct task *t, const uint64_t *a) {
  int pid = (int)a[0];
  uint32_t options = (uint32_t)a[2];
  if (options & ~(uint32_t)(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) return -LINUX_EINVAL;
  if (pid == (int)0x80000000) return -LINUX_ESRCH; // INT_MIN cannot be negated
  int idtype = pid < -1 ? P_PGID : pid == -1 ? P_ALL : pid == 0 ? P_PGID : P_PID;
  int id = pid < -1 ? -pid : pid == 0 ? t->proc->pgid : pid;
  struct wait_result r;
  int rc = do_wait(t, idtype, id, options | WEXITED, &r);
  if (rc == 1) return 0;
  if (rc < 0) return rc;
  if (a[1] && mm_write(t->proc->mm, a[1], &r.status, 4)) return -LINUX_EFAULT;
  if (zero_rusage(t, a[3])) return -LINUX_EFAULT;
  return r.pid;
}

int64_t sys_waitid(struct task *t, const uint64_t *a) {
  int idtype = (int)a[0], id = (int)a[1];
  uint32_t options = (uint32_t)a[3];
  if (options & ~(uint32_t)(WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE))
    return -LINUX_EINVAL;
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) return -LINUX_EINVAL;
  if (idtype == P_PGID && id == 0) id = t->proc->pgid;
  else if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID) return -LINUX_EINVAL;
  if (idtype != P_ALL && id < 0) return -LINUX_EINVAL;
  struct wait_result r;
  int rc = do_wait(t, idtype, id, options, &r);
  if (rc < 0) return rc;
  if (a[2]) {
    // siginfo_t: si_signo, si_errno, si_code, then si_pid, si_uid, si_status.
    int32_t info[8] = {0};
    if (rc == 0) {
      info[0] = LINUX_SIGCHLD;
      info[2] = r.code;
      info[4] = r.pid;
      info[6] = r.st;
    }
    if (mm_write(t->proc->mm, a[2], info, sizeof(info))) return -LINUX_EFAULT;
  }
  if (zero_rusage(t, a[4])) return -LINUX_EFAULT;
  return 0;
}
