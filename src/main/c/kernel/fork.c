// SPDX-License-Identifier: MIT
// fork, vfork, clone (processes and threads), clone3 (ENOSYS: glibc falls
// back to clone). A new process gets a copy of the caller's struct proc
// (address space copied by mm_clone, or shared with CLONE_VM; fd table
// copied or shared with CLONE_FILES); a thread shares the caller's proc.
// The child's CPU is the parent's with rax = 0 and its own decoded-block
// cache. Must not run guest code.
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "syscalls.h"

#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_PIDFD 0x1000
#define CLONE_VFORK 0x4000
#define CLONE_PARENT 0x8000
#define CLONE_THREAD 0x10000
#define CLONE_SETTLS 0x80000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_CHILD_SETTID 0x01000000
// Namespaces (CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID,
// NEWNET) and CLONE_IO are not supported.
#define CLONE_UNSUPPORTED (0x20000u | 0x02000000u | 0x04000000u | 0x08000000u | 0x10000000u | 0x20000000u | 0x40000000u | 0x80000000u)

static int live_procs(void) {
  int n = 0;
  for (int i = 0; i < kern.nprocs; i++) n += !kern.procs[i]->exited;
  return n;
}

// A copy of parent for a new process (fork(2) lists what is inherited).
static struct proc *proc_copy(struct proc *parent, uint64_t flags, int *err) {
  struct proc *np = malloc(sizeof(*np));
  if (!np) return NULL;
  *np = *parent;
  np->pid = kern.next_pid++;
  np->ppid = (flags & CLONE_PARENT) ? parent->ppid : parent->pid;
  np->exited = np->exit_status = 0;
  np->nthreads = 1;
  np->exit_signal = (int)(flags & 0xff);
  np->reaped = np->task_refs = np->stopped = np->stop_report = np->cont_report = 0;
  np->vfork_tid = 0;
  np->pdeath_signal = 0; // prctl(2): cleared in the child of a fork
  np->pending = 0;
  memset(np->pinfo, 0, sizeof(np->pinfo));
  np->alarm_at = np->alarm_interval = 0; // timers are not inherited
  np->cwd = strdup(parent->cwd);
  np->exe = parent->exe ? strdup(parent->exe) : NULL;
  if (flags & CLONE_VM) {
    np->mm = parent->mm;
    np->mm->refs++;
  } else {
    np->mm = mm_clone(parent->mm);
  }
  if (flags & CLONE_FILES) {
    np->fds = parent->fds;
    if (np->fds) np->fds->refs++;
  } else {
    np->fds = parent->fds ? fdtable_dup(parent->fds) : NULL;
  }
  if (!np->cwd || !np->mm || !np->fds || (parent->exe && !np->exe)) {
    *err = -LINUX_ENOMEM;
    proc_free(np);
    return NULL;
  }
  return np;
}

static int64_t do_clone(struct task *t, uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid, uint64_t tls) {
  struct proc *p = t->proc;
  if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) return -LINUX_EINVAL;
  if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) return -LINUX_EINVAL;
  if (flags & CLONE_UNSUPPORTED) return -LINUX_EINVAL;
  if (flags & CLONE_PIDFD) return -LINUX_EINVAL; // no pidfds
  if (kern.ntasks >= KERNEL_MAX_TASKS) return -LINUX_EAGAIN;
  if (!(flags & CLONE_THREAD)) {
    if (kern.nprocs >= KERNEL_MAX_TASKS) return -LINUX_EAGAIN;
    uint64_t lim = p->rlimits[6].rlim_cur; // RLIMIT_NPROC
    if (lim != LINUX_RLIM_INFINITY && (uint64_t)live_procs() >= lim) return -LINUX_EAGAIN;
  }
  struct task *c = calloc(1, sizeof(*c));
  if (!c) return -LINUX_ENOMEM;
  struct proc *np = p;
  if (!(flags & CLONE_THREAD)) {
    int err = -LINUX_ENOMEM;
    np = proc_copy(p, flags, &err);
    if (!np) {
      free(c);
      return err;
    }
  }
  // The child's CPU: the parent's registers, its own (empty) code cache.
  cpu_init(&c->cpu, np->mm);
  struct block_entry *blocks = c->cpu.blocks;
  struct insn *pool = c->cpu.pool;
  if (!blocks || !pool) {
    cpu_free(&c->cpu);
    free(c);
    if (np != p) proc_free(np);
    return -LINUX_ENOMEM;
  }
  uint32_t block_mask = c->cpu.block_mask, pool_cap = c->cpu.pool_cap;
  memcpy(&c->cpu, &t->cpu, sizeof(c->cpu));
  c->cpu.blocks = blocks;
  c->cpu.pool = pool;
  c->cpu.block_mask = block_mask;
  c->cpu.pool_cap = pool_cap;
  c->cpu.mm = np->mm;
  cpu_flush_code(&c->cpu);
  c->cpu.icount = 0;
  c->cpu.r[RAX] = 0;
  if (newsp) c->cpu.r[RSP] = newsp;
  if (flags & CLONE_SETTLS) c->cpu.fs_base = tls;
  c->tid = (flags & CLONE_THREAD) ? kern.next_pid++ : np->pid;
  c->proc = np;
  c->state = TASK_RUNNABLE;
  c->sigmask = t->sigmask;
  // sigaltstack(2): a child made with CLONE_VM (and not CLONE_VFORK) starts
  // without an alternate stack; fork and vfork children inherit it.
  if (!(flags & CLONE_VM) || (flags & CLONE_VFORK)) c->altstack = t->altstack;
  if (flags & CLONE_CHILD_CLEARTID) c->clear_child_tid = ctid;
  if (np != p && kernel_add_proc(np)) {
    cpu_free(&c->cpu);
    free(c);
    proc_free(np);
    return -LINUX_EAGAIN;
  }
  kernel_add_task(c); // room checked above
  if (np == p) p->nthreads++;
  int32_t tid = c->tid;
  if (flags & CLONE_PARENT_SETTID) mm_write(p->mm, ptid, &tid, 4);
  if (flags & CLONE_CHILD_SETTID) mm_write(np->mm, ctid, &tid, 4);
  if (flags & CLONE_VFORK) {
    // vfork(2): the parent sleeps until the child execs or exits.
    np->vfork_tid = t->tid;
    t->state = TASK_VFORK;
  }
  return tid;
}

// x86-64 argument order: flags, stack, parent_tid, child_tid, tls.
int64_t sys_clone(struct task *t, const uint64_t *a) { return do_clone(t, a[0], a[1], a[2], a[3], a[4]); }
int64_t sys_fork(struct task *t, const uint64_t *a) { return do_clone(t, LINUX_SIGCHLD, 0, 0, 0, 0); }
int64_t sys_vfork(struct task *t, const uint64_t *a) {
  return do_clone(t, CLONE_VM | CLONE_VFORK | LINUX_SIGCHLD, 0, 0, 0, 0);
}
// clone3(2) is optional: glibc and musl fall back to clone on ENOSYS.
int64_t sys_clone3(struct task *t, const uint64_t *a) { return -LINUX_ENOSYS; }
