// SPDX-License-Identifier: MIT
// Signals, issue 2's part: the books of rt_sigaction, rt_sigprocmask and
// sigaltstack, kill/tkill/tgkill to the caller's own process, and default
// actions (signal(7): terminate or ignore). Handlers are recorded but not yet
// invoked (issue 3 builds the signal frame); a fault always kills.
#include <string.h>

#include "../util/fmt.h"
#include "kernel.h"
#include "syscalls.h"

// signal(7) "Standard signals": default action ignore.
static int default_ignored(int sig) {
  return sig == LINUX_SIGCHLD || sig == LINUX_SIGCONT || sig == LINUX_SIGURG || sig == LINUX_SIGWINCH ||
         sig == LINUX_SIGSTOP || sig == LINUX_SIGTSTP || sig == 21 || sig == 22; // stop signals: no job control yet
}

void signal_send(struct task *t, int sig) {
  if (sig <= 0 || sig > LINUX_NSIG) return;
  struct proc *p = t->proc;
  uint64_t handler = p->sigactions[sig - 1].handler;
  if (sig != LINUX_SIGKILL && sig != LINUX_SIGSTOP) {
    if (handler == LINUX_SIG_IGN) return;
    if (handler == LINUX_SIG_DFL && default_ignored(sig)) return;
    if (handler != LINUX_SIG_DFL)
      kernel_log("signal %d to pid %d (%s): handler 0x%llx not invoked yet (issue 3), default action taken", sig,
                 p->pid, p->comm, (unsigned long long)handler);
    if (default_ignored(sig)) return;
  }
  // The wait status of a process killed by a signal is the signal number
  // (wait(2)); no core is dumped (RLIMIT_CORE 0), so bit 0x80 stays clear.
  proc_exit(p, sig);
}

void signal_fault(struct task *t, int sig, const char *what) {
  struct cpu *c = &t->cpu;
  if (sig == LINUX_SIGILL) {
    char bytes[16 * 3 + 1];
    int n = 0;
    for (int i = 0; i < 8; i++) n += fmt_snprintf(bytes + n, sizeof(bytes) - (size_t)n, "%s%02x", i ? " " : "", c->ud_bytes[i]);
    kernel_log("SIGILL at 0x%llx: %s (pid %d comm %s)", (unsigned long long)c->fault_rip, bytes, t->proc->pid,
               t->proc->comm);
  } else if (sig == LINUX_SIGSEGV && strcmp(what, "page fault") == 0) {
    kernel_log("SIGSEGV at 0x%llx: %s of 0x%llx (pid %d comm %s)", (unsigned long long)c->fault_rip,
               c->fault_write ? "write" : "read", (unsigned long long)c->fault_addr, t->proc->pid, t->proc->comm);
  } else {
    kernel_log("signal %d at 0x%llx: %s (pid %d comm %s)", sig,
               (unsigned long long)(sig == LINUX_SIGTRAP ? c->rip : c->fault_rip), what, t->proc->pid, t->proc->comm);
  }
  // A synchronous fault cannot be ignored or blocked: Linux's force_sig
  // resets the action to default when the handler cannot run.
  proc_exit(t->proc, sig);
}

// rt_sigaction(2): sigsetsize must be 8 on x86-64.
int64_t sys_rt_sigaction(struct task *t, const uint64_t *a) {
  int sig = (int)a[0];
  if (a[3] != 8) return -LINUX_EINVAL;
  if (sig < 1 || sig > LINUX_NSIG) return -LINUX_EINVAL;
  struct sigaction_linux *cur = &t->proc->sigactions[sig - 1];
  struct sigaction_linux old = *cur, act;
  if (a[1]) {
    if (sig == LINUX_SIGKILL || sig == LINUX_SIGSTOP) return -LINUX_EINVAL;
    if (mm_read(t->proc->mm, &act, a[1], sizeof(act))) return -LINUX_EFAULT;
  }
  if (a[2] && mm_write(t->proc->mm, a[2], &old, sizeof(old))) return -LINUX_EFAULT;
  if (a[1]) {
    act.mask &= ~((1ull << (LINUX_SIGKILL - 1)) | (1ull << (LINUX_SIGSTOP - 1)));
    *cur = act;
  }
  return 0;
}

int64_t sys_rt_sigprocmask(struct task *t, const uint64_t *a) {
  int how = (int)a[0];
  if (a[3] != 8) return -LINUX_EINVAL;
  uint64_t set = 0, old = t->sigmask;
  if (a[1]) {
    if (mm_read(t->proc->mm, &set, a[1], 8)) return -LINUX_EFAULT;
    if (how != LINUX_SIG_BLOCK && how != LINUX_SIG_UNBLOCK && how != LINUX_SIG_SETMASK) return -LINUX_EINVAL;
  }
  if (a[2] && mm_write(t->proc->mm, a[2], &old, 8)) return -LINUX_EFAULT;
  if (a[1]) {
    if (how == LINUX_SIG_BLOCK) t->sigmask |= set;
    else if (how == LINUX_SIG_UNBLOCK) t->sigmask &= ~set;
    else t->sigmask = set;
    t->sigmask &= ~((1ull << (LINUX_SIGKILL - 1)) | (1ull << (LINUX_SIGSTOP - 1)));
  }
  return 0;
}

// sigaltstack(2): SS_ONSTACK 1, SS_DISABLE 2; MINSIGSTKSZ 2048.
int64_t sys_sigaltstack(struct task *t, const uint64_t *a) {
  struct stack_t_linux ss, old = t->altstack;
  if (!old.ss_size) old.ss_flags = 2;
  if (a[0]) {
    if (mm_read(t->proc->mm, &ss, a[0], sizeof(ss))) return -LINUX_EFAULT;
    if (ss.ss_flags & ~(2 | (int32_t)0x80000000)) return -LINUX_EINVAL;
    if (!(ss.ss_flags & 2) && ss.ss_size < 2048) return -LINUX_ENOMEM;
  }
  if (a[1] && mm_write(t->proc->mm, a[1], &old, sizeof(old))) return -LINUX_EFAULT;
  if (a[0]) {
    if (ss.ss_flags & 2) memset(&t->altstack, 0, sizeof(t->altstack));
    else t->altstack = ss;
  }
  return 0;
}

// Only the caller's own process exists as a target in issue 2.
static long kill_pid(struct task *t, int pid, int sig) {
  if (sig < 0 || sig > LINUX_NSIG) return -LINUX_EINVAL;
  struct proc *p = t->proc;
  if (pid != p->pid && pid != 0 && pid != -1 && pid != -p->pgid) return -LINUX_ESRCH;
  signal_send(t, sig);
  return 0;
}

int64_t sys_kill(struct task *t, const uint64_t *a) { return kill_pid(t, (int)a[0], (int)a[1]); }

int64_t sys_tkill(struct task *t, const uint64_t *a) {
  if ((int)a[0] <= 0) return -LINUX_EINVAL;
  if ((int)a[0] != t->tid) return -LINUX_ESRCH;
  return kill_pid(t, t->proc->pid, (int)a[1]);
}

int64_t sys_tgkill(struct task *t, const uint64_t *a) {
  if ((int)a[0] <= 0 || (int)a[1] <= 0) return -LINUX_EINVAL;
  if ((int)a[0] != t->proc->pid || (int)a[1] != t->tid) return -LINUX_ESRCH;
  return kill_pid(t, t->proc->pid, (int)a[2]);
}
