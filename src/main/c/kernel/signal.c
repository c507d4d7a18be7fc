// SPDX-License-Identifier: MIT
// Signals: rt_sigaction, rt_sigprocmask, sigaltstack, kill/tkill/tgkill,
// rt_sigpending, rt_sigsuspend, pause, rt_sigtimedwait, rt_sigreturn; the
// pending sets, default actions (signal(7): terminate, stop, continue,
// ignore) and handler invocation with Linux's x86-64 rt_sigframe. CPU faults
// arrive through signal_fault. Must not decode instructions; CPU state only
// through struct cpu's registers and cpu_fxsave/cpu_fxrstor.
#include <string.h>

#include "../cpu/internal.h"
#include "../util/fmt.h"
#include "kernel.h"
#include "syscalls.h"

#define SA_NOCLDSTOP 1u
#define SA_SIGINFO 4u
#define SA_RESTORER 0x04000000u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_TKILL (-6)
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

static uint64_t bit(int sig) { return 1ull << (sig - 1); }
#define UNBLOCKABLE (bit(LINUX_SIGKILL) | bit(LINUX_SIGSTOP))
// Synchronous signals are dequeued first (Linux's SYNCHRONOUS_MASK).
#define SYNCHRONOUS (bit(LINUX_SIGSEGV) | bit(LINUX_SIGBUS) | bit(LINUX_SIGILL) | bit(LINUX_SIGTRAP) | bit(LINUX_SIGFPE) | bit(31))

// signal(7) "Standard signals": default action ignore.
int signal_default_ignored(int sig) {
  return sig == LINUX_SIGCHLD || sig == LINUX_SIGCONT || sig == LINUX_SIGURG || sig == LINUX_SIGWINCH;
}
// Default action stop: SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU.
static int default_stop(int sig) { return sig == LINUX_SIGSTOP || sig == LINUX_SIGTSTP || sig == 21 || sig == 22; }

static int ignored(struct proc *p, int sig) {
  uint64_t h = p->sigactions[sig - 1].handler;
  return h == LINUX_SIG_IGN || (h == LINUX_SIG_DFL && signal_default_ignored(sig));
}

// Tells the parent that p stopped or continued (SIGCHLD unless
// SA_NOCLDSTOP) and wakes its wait4 sleepers.
static void notify_parent_stop(struct proc *p, int code, int sig) {
  struct proc *parent = p->ppid != 1 ? proc_find(p->ppid) : NULL;
  if (!parent || parent->exited) return;
  if (!(parent->sigactions[LINUX_SIGCHLD - 1].flags & SA_NOCLDSTOP)) {
    struct ksiginfo info = {.code = code, .pid = p->pid, .status = sig};
    signal_proc(parent, LINUX_SIGCHLD, &info);
  }
  sched_wake(parent);
}

// What happens when a signal is generated, before it is queued (Linux's
// prepare_signal): SIGCONT resumes a stopped process and drops pending
// stop signals; a stop signal drops a pending SIGCONT. Returns 0 to drop.
static int prepare(struct proc *p, int sig) {
  uint64_t stops = bit(LINUX_SIGSTOP) | bit(LINUX_SIGTSTP) | bit(21) | bit(22);
  if (sig == LINUX_SIGCONT) {
    p->pending &= ~stops;
    for (int i = 0; i < kern.ntasks; i++)
      if (kern.tasks[i]->proc == p) kern.tasks[i]->pending &= ~stops;
    if (p->stopped) {
      p->stopped = 0;
      p->stop_report = 0;
      p->cont_report = 1;
      notify_parent_stop(p, CLD_CONTINUED, LINUX_SIGCONT);
    }
  } else if (default_stop(sig)) {
    p->pending &= ~bit(LINUX_SIGCONT);
  }
  return 1;
}

// A task that will take sig: not blocking it, or waiting for it in
// rt_sigtimedwait.
static int wants(struct task *t, int sig) {
  return t->state != TASK_DEAD && (!(t->sigmask & bit(sig)) || (t->sigwait & bit(sig)));
}

void signal_proc(struct proc *p, int sig, const struct ksiginfo *info) {
  if (p->exited || sig < 1 || sig > LINUX_NSIG) return;
  if (sig == LINUX_SIGKILL) {
    proc_exit(p, LINUX_SIGKILL);
    return;
  }
  prepare(p, sig);
  struct task *target = NULL;
  for (int i = 0; i < kern.ntasks && !target; i++)
    if (kern.tasks[i]->proc == p && wants(kern.tasks[i], sig)) target = kern.tasks[i];
  // An ignored signal is dropped unless every thread blocks it (it may be
  // waited for, or the action may change before it is unblocked).
  if (ignored(p, sig) && target && !(target->sigwait & bit(sig))) return;
  p->pending |= bit(sig);
  struct ksiginfo none = {.code = SI_KERNEL};
  p->pinfo[sig - 1] = info ? *info : none;
  if (target) sched_wake_task(target);
}

void signal_thread(struct task *t, int sig, const struct ksiginfo *info) {
  struct proc *p = t->proc;
  if (p->exited || t->state == TASK_DEAD || sig < 1 || sig > LINUX_NSIG) return;
  if (sig == LINUX_SIGKILL) {
    proc_exit(p, LINUX_SIGKILL);
    return;
  }
  prepare(p, sig);
  if (ignored(p, sig) && wants(t, sig) && !(t->sigwait & bit(sig))) return;
  t->pending |= bit(sig);
  struct ksiginfo none = {.code = SI_KERNEL};
  t->pinfo[sig - 1] = info ? *info : none;
  if (wants(t, sig)) sched_wake_task(t);
}

void kernel_signal_pgrp(int pgid, int sig) {
  struct ksiginfo info = {.code = SI_KERNEL};
  struct proc *targets[KERNEL_MAX_TASKS];
  int n = 0;
  for (int i = 0; i < kern.nprocs; i++)
    if (kern.procs[i]->pgid == pgid && !kern.procs[i]->exited) targets[n++] = kern.procs[i];
  for (int i = 0; i < n; i++) signal_proc(targets[i], sig, &info);
}

void signal_send(struct task *t, int sig) {
  struct ksiginfo info = {.code = SI_USER, .pid = t->proc->pid};
  signal_thread(t, sig, &info);
}

// Fills a 128-byte siginfo_t (the union's layout depends on the signal).
static void fill_siginfo(uint8_t *si, int sig, const struct ksiginfo *k) {
  memset(si, 0, 128);
  int32_t w[2] = {sig, 0};
  memcpy(si, w, 8);
  memcpy(si + 8, &k->code, 4);
  int fault = (sig == LINUX_SIGSEGV || sig == LINUX_SIGBUS || sig == LINUX_SIGILL || sig == LINUX_SIGFPE ||
               sig == LINUX_SIGTRAP) && k->code > 0;
  if (fault) {
    memcpy(si + 16, &k->addr, 8); // si_addr
  } else {
    memcpy(si + 16, &k->pid, 4); // si_pid; si_uid (20) is 0
    if (sig == LINUX_SIGCHLD && k->code > 0) memcpy(si + 24, &k->status, 4);
  }
}

static void put64(uint8_t *b, size_t off, uint64_t v) { memcpy(b + off, &v, 8); }
static uint64_t get64(const uint8_t *b, size_t off) {
  uint64_t v;
  memcpy(&v, b + off, 8);
  return v;
}

// sigcontext's general registers in order (gregs[0..15] of ucontext_t).
static const int greg_order[16] = {R8, R9, R10, R11, R12, R13, R14, R15, RDI, RSI, RBP, RBX, RDX, RAX, RCX, RSP};

// The rt_sigframe (arch/x86/include/asm/sigframe.h) at frame:
//   +0    pretcode (sa_restorer: the handler's return address)
//   +8    struct ucontext: uc_flags, uc_link, uc_stack (24), uc_mcontext
//         (struct sigcontext, 256), uc_sigmask (8)            = 304 bytes
//   +312  siginfo_t (128)
// and, 64-aligned above it, the FPU state uc_mcontext.fpstate points to:
// an XSAVE image (x87, SSE, AVX: CPU_XSAVE_SIZE bytes) whose fxsave part's
// software-reserved bytes 464-511 hold struct _fpx_sw_bytes (magic1,
// extended size, xfeatures, xstate size), followed by the 4-byte magic2
// (arch/x86/include/uapi/asm/sigcontext.h). Below the frame: the 128-byte
// red zone.
#define FP_XSTATE_MAGIC1 0x46505853u
#define FP_XSTATE_MAGIC2 0x46505845u
#define FPSTATE_SIZE (CPU_XSAVE_SIZE + 4)
#define FRAME_SIZE 440
#define UC 8
#define MC (UC + 40)
#define INFO 312

static int on_altstack(struct task *t, uint64_t sp) {
  return t->altstack.ss_size && sp > t->altstack.ss_sp && sp - t->altstack.ss_sp <= t->altstack.ss_size;
}

static int setup_frame(struct task *t, int sig, struct sigaction_linux *sa, const struct ksiginfo *k) {
  struct cpu *c = &t->cpu;
  struct mm *mm = t->proc->mm;
  // A syscall asleep when the signal came: EINTR, or run again after the
  // handler with SA_RESTART (signal(7) "Interruption of system calls").
  if (t->restart && t->io_done) { // a pipe write cut short: the count written
    c->rip += 2;
    c->r[RAX] = t->io_done;
    t->io_done = 0;
    t->restart = 0;
  }
  if (t->restart) {
    if (t->restart == 2 || !(sa->flags & SA_RESTART)) {
      c->rip += 2;
      c->r[RAX] = (uint64_t)-LINUX_EINTR;
      if (t->sleep_rem && t->deadline) { // nanosleep(2): the time left
        int64_t left = t->deadline - kernel_now();
        struct timespec_linux ts = {left > 0 ? left / 1000000000 : 0, left > 0 ? left % 1000000000 : 0};
        mm_write(mm, t->sleep_rem, &ts, sizeof(ts));
      }
      t->deadline = 0;
    }
    t->sleep_rem = 0;
    t->restart = 0;
    t->sigwait = 0;
  }
  uint64_t oldmask = t->has_saved_mask ? t->saved_mask : t->sigmask;
  t->has_saved_mask = 0;
  uint64_t sp = c->r[RSP];
  int was_on = on_altstack(t, sp);
  if ((sa->flags & SA_ONSTACK) && t->altstack.ss_size && !was_on) sp = t->altstack.ss_sp + t->altstack.ss_size;
  else sp -= 128;
  uint64_t fp = (sp - FPSTATE_SIZE) & ~63ull;
  uint64_t frame = ((fp - FRAME_SIZE) & ~15ull) - 8; // rsp + 8 16-aligned, as after a call
  uint8_t b[FRAME_SIZE];
  memset(b, 0, sizeof(b));
  put64(b, 0, (sa->flags & SA_RESTORER) ? sa->restorer : 0);
  put64(b, UC, 7); // UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS
  put64(b, UC + 16, t->altstack.ss_sp);
  int32_t ssf = !t->altstack.ss_size ? SS_DISABLE : was_on ? SS_ONSTACK : 0;
  memcpy(b + UC + 24, &ssf, 4);
  put64(b, UC + 32, t->altstack.ss_size);
  for (int i = 0; i < 16; i++) put64(b, MC + 8 * i, c->r[greg_order[i]]);
  put64(b, MC + 128, c->rip);
  put64(b, MC + 136, cpu_get_flags(c));
  put64(b, MC + 144, 0x33 | (0x2bull << 48)); // cs, gs, fs, ss
  uint64_t err = 0, cr2 = 0;
  if (k->trapno == 14) {
    err = 4 | (c->fault_write ? 2 : 0) | (k->code == 2 ? 1 : 0); // user, write, protection
    cr2 = k->addr;
  }
  put64(b, MC + 152, err);
  put64(b, MC + 160, (uint64_t)k->trapno);
  put64(b, MC + 168, oldmask);
  put64(b, MC + 176, cr2);
  put64(b, MC + 184, fp);
  put64(b, UC + 296, oldmask);
  fill_siginfo(b + INFO, sig, k);
  uint8_t fx[FPSTATE_SIZE];
  memset(fx, 0, sizeof(fx));
  cpu_xsave(c, fx, CPU_XCR0, 0);
  fx[512] |= 3; // Linux always marks x87 and SSE present in the frame
  uint32_t m1 = FP_XSTATE_MAGIC1, ext = FPSTATE_SIZE, xsize = CPU_XSAVE_SIZE, m2 = FP_XSTATE_MAGIC2;
  uint64_t xfeat = CPU_XCR0;
  memcpy(fx + 464, &m1, 4);
  memcpy(fx + 468, &ext, 4);
  memcpy(fx + 472, &xfeat, 8);
  memcpy(fx + 480, &xsize, 4);
  memcpy(fx + CPU_XSAVE_SIZE, &m2, 4);
  if (mm_write(mm, fp, fx, sizeof(fx)) || mm_write(mm, frame, b, sizeof(b))) return -1;
  // The handler starts with the FPU in its initial state (fninit, MXCSR
  // 0x1f80, XMM/YMM zero), as Linux's fpu__clear_user_states leaves it.
  memset(fx, 0, sizeof(fx));
  fx[0] = 0x7f, fx[1] = 0x03;  // FCW 0x037f
  fx[24] = 0x80, fx[25] = 0x1f; // MXCSR 0x1f80
  cpu_fxrstor(c, fx);
  for (int i = 0; i < 16; i++) memset(c->xmm[i].b + 16, 0, 16);
  c->r[RDI] = (uint64_t)sig;
  c->r[RSI] = frame + INFO;
  c->r[RDX] = frame + UC;
  c->r[RAX] = 0;
  c->r[RSP] = frame;
  c->rip = sa->handler;
  cpu_set_flags(c, cpu_get_flags(c) & ~(uint64_t)(F_DF | F_TF | 0x10000));
  t->sigmask |= sa->mask | ((sa->flags & SA_NODEFER) ? 0 : bit(sig));
  t->sigmask &= ~UNBLOCKABLE;
  if (sa->flags & SA_RESETHAND) {
    sa->handler = LINUX_SIG_DFL;
    sa->flags &= ~SA_SIGINFO;
  }
  return 0;
}

static void do_stop(struct proc *p, int sig) {
  if (p->stopped) return;
  p->stopped = 1;
  p->stop_report = sig;
  p->cont_report = 0;
  notify_parent_stop(p, CLD_STOPPED, sig);
}

// Takes pending signal sig off t (thread-directed first, then the
// process's) and returns its details.
static struct ksiginfo dequeue(struct task *t, int sig) {
  struct proc *p = t->proc;
  struct ksiginfo k;
  if (t->pending & bit(sig)) {
    k = t->pinfo[sig - 1];
    t->pending &= ~bit(sig);
  } else {
    k = p->pinfo[sig - 1];
    p->pending &= ~bit(sig);
  }
  return k;
}

void signal_deliver(struct task *t) {
  struct proc *p = t->proc;
  uint64_t ready = (t->pending | p->pending) & ~t->sigmask;
  if (!ready || p->exited) return;
  uint64_t sync = ready & SYNCHRONOUS;
  int sig = __builtin_ctzll(sync ? sync : ready) + 1;
  struct ksiginfo k = dequeue(t, sig);
  struct sigaction_linux *sa = &p->sigactions[sig - 1];
  if (sa->handler == LINUX_SIG_IGN) return;
  if (sa->handler == LINUX_SIG_DFL) {
    if (signal_default_ignored(sig)) return;
    if (default_stop(sig)) {
      do_stop(p, sig);
      return;
    }
    // The wait status of a process killed by a signal is the signal number
    // (wait(2)); no core is dumped (RLIMIT_CORE 0), so bit 0x80 stays clear.
    proc_exit(p, sig);
    return;
  }
  if (setup_frame(t, sig, sa, &k)) {
    // Linux's force_sigsegv: a frame that cannot be written kills.
    kernel_log("signal %d: cannot write the signal frame below 0x%llx (pid %d comm %s): SIGSEGV", sig,
               (unsigned long long)t->cpu.r[RSP], p->pid, p->comm);
    proc_exit(p, LINUX_SIGSEGV);
  }
}

void signal_fault(struct task *t, int sig, const char *what) {
  struct cpu *c = &t->cpu;
  struct proc *p = t->proc;
  struct ksiginfo k = {.code = SI_KERNEL};
  if (sig == LINUX_SIGSEGV && strcmp(what, "page fault") == 0) {
    k.code = mm_pte(p->mm, c->fault_addr) ? 2 : 1; // SEGV_ACCERR : SEGV_MAPERR
    k.addr = c->fault_addr;
    k.trapno = 14;
  } else if (sig == LINUX_SIGILL) {
    k.code = 2; // ILL_ILLOPN
    k.addr = c->fault_rip;
    k.trapno = 6;
  } else if (sig == LINUX_SIGFPE && strcmp(what, "divide error") == 0) {
    k.code = 1; // FPE_INTDIV
    k.addr = c->fault_rip;
    k.trapno = 0;
  } else if (sig == LINUX_SIGFPE) {
    // #MF (x87) or #XM (SIMD): the unmasked exception with the highest
    // priority names the code, as Linux's fpu__exception_code does.
    unsigned err = c->fpe_vector == 16 ? (unsigned)(c->fpu.sw & ~c->fpu.cw) & 0x3F
                                        : (c->mxcsr & ~(c->mxcsr >> 7)) & 0x3F;
    k.code = (err & 1) ? 7 : (err & 4) ? 3 : (err & 8) ? 4 : (err & 0x12) ? 5 : (err & 0x20) ? 6 : 0;
    k.addr = c->fault_rip;
    k.trapno = c->fpe_vector;
  } else if (sig == LINUX_SIGTRAP) {
    k.trapno = 3;
  } else {
    k.trapno = 13; // #GP
  }
  // Linux's force_sig: a blocked or ignored fault signal cannot be held
  // off; the action reverts to default and the process dies.
  struct sigaction_linux *sa = &p->sigactions[sig - 1];
  if ((t->sigmask & bit(sig)) || sa->handler == LINUX_SIG_IGN) {
    sa->handler = LINUX_SIG_DFL;
    t->sigmask &= ~bit(sig);
  }
  if (sa->handler == LINUX_SIG_DFL) {
    if (sig == LINUX_SIGILL) {
      char bytes[16 * 3 + 1];
      int n = 0;
      for (int i = 0; i < 8; i++)
        n += fmt_snprintf(bytes + n, sizeof(bytes) - (size_t)n, "%s%02x", i ? " " : "", c->ud_bytes[i]);
      kernel_log("SIGILL at 0x%llx: %s (pid %d comm %s)", (unsigned long long)c->fault_rip, bytes, p->pid, p->comm);
    } else if (k.trapno == 14) {
      kernel_log("SIGSEGV at 0x%llx: %s of 0x%llx (pid %d comm %s)", (unsigned long long)c->fault_rip,
                 c->fault_write ? "write" : "read", (unsigned long long)c->fault_addr, p->pid, p->comm);
    } else {
      kernel_log("signal %d at 0x%llx: %s (pid %d comm %s)", sig,
                 (unsigned long long)(sig == LINUX_SIGTRAP ? c->rip : c->fault_rip), what, p->pid, p->comm);
    }
    proc_exit(p, sig);
    return;
  }
  t->pending |= bit(sig);
  t->pinfo[sig - 1] = k;
  signal_deliver(t);
}

// rt_sigreturn(2): the handler returned through sa_restorer, which popped
// the pretcode: the ucontext is at rsp.
int64_t sys_rt_sigreturn(struct task *t, const uint64_t *a) {
  struct cpu *c = &t->cpu;
  uint8_t b[304];
  uint8_t fx[FPSTATE_SIZE];
  uint64_t uc = c->r[RSP];
  if (mm_read(t->proc->mm, b, uc, sizeof(b))) goto bad;
  uint64_t fp = get64(b, 40 + 184);
  // An XSAVE frame (magic1 in the fxsave part and magic2 after the image)
  // restores the features it names, the rest start from their initial
  // state; a plain fxsave frame restores x87 and SSE only (Linux's fx_only).
  int xstate = 0;
  uint64_t xfeat = 0;
  if (fp) {
    if (mm_read(t->proc->mm, fx, fp, 512)) goto bad;
    uint32_t m1, ext, xsize, m2 = 0;
    memcpy(&m1, fx + 464, 4);
    memcpy(&ext, fx + 468, 4);
    memcpy(&xfeat, fx + 472, 8);
    memcpy(&xsize, fx + 480, 4);
    if (m1 == FP_XSTATE_MAGIC1 && xsize == CPU_XSAVE_SIZE && ext == FPSTATE_SIZE &&
        !mm_read(t->proc->mm, fx, fp, sizeof(fx))) {
      memcpy(&m2, fx + CPU_XSAVE_SIZE, 4);
      xstate = m2 == FP_XSTATE_MAGIC2;
    }
  }
  for (int i = 0; i < 16; i++) c->r[greg_order[i]] = get64(b, 40 + 8 * i);
  c->rip = get64(b, 40 + 128);
  // Linux's FIX_EFLAGS: AC OF DF TF SF ZF AF PF CF RF come from the frame.
  uint64_t fix = F_AC | F_OF | F_DF | F_TF | F_SF | F_ZF | F_AF | F_PF | F_CF | 0x10000;
  cpu_set_flags(c, (cpu_get_flags(c) & ~fix) | (get64(b, 40 + 136) & fix));
  if (xstate) {
    uint64_t bv = get64(fx, 512) & xfeat;
    memcpy(fx + 512, &bv, 8);
    if (cpu_xrstor(c, fx, CPU_XCR0)) goto bad;
  } else if (fp) {
    cpu_fxrstor(c, fx);
    for (int i = 0; i < 16; i++) memset(c->xmm[i].b + 16, 0, 16);
  }
  t->sigmask = get64(b, 296) & ~UNBLOCKABLE;
  return KERNEL_RET_REGS;
bad:
  kernel_log("rt_sigreturn: bad frame at 0x%llx (pid %d comm %s): SIGSEGV", (unsigned long long)uc, t->proc->pid,
             t->proc->comm);
  proc_exit(t->proc, LINUX_SIGSEGV);
  return KERNEL_RET_REGS;
}

// rt_sigaction(2): sigsetsize must be 8 on x86-64.
int64_t sys_rt_sigaction(struct task *t, const uint64_t *a) {
  int sig = (int)a[0];
  if (a[3] != 8) return -LINUX_EINVAL;
  if (sig < 1 || sig > LINUX_NSIG) return -LINUX_EINVAL;
  struct proc *p = t->proc;
  struct sigaction_linux *cur = &p->sigactions[sig - 1];
  struct sigaction_linux old = *cur, act;
  if (a[1]) {
    if (sig == LINUX_SIGKILL || sig == LINUX_SIGSTOP) return -LINUX_EINVAL;
    if (mm_read(p->mm, &act, a[1], sizeof(act))) return -LINUX_EFAULT;
  }
  if (a[2] && mm_write(p->mm, a[2], &old, sizeof(old))) return -LINUX_EFAULT;
  if (a[1]) {
    act.mask &= ~UNBLOCKABLE;
    *cur = act;
    // sigaction(2): setting a pending signal to be ignored discards it.
    if (ignored(p, sig)) {
      p->pending &= ~bit(sig);
      for (int i = 0; i < kern.ntasks; i++)
        if (kern.tasks[i]->proc == p) kern.tasks[i]->pending &= ~bit(sig);
    }
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
    t->sigmask &= ~UNBLOCKABLE;
  }
  return 0;
}

// sigaltstack(2): SS_ONSTACK 1, SS_DISABLE 2; MINSIGSTKSZ 2048.
int64_t sys_sigaltstack(struct task *t, const uint64_t *a) {
  struct stack_t_linux ss, old = t->altstack;
  if (!old.ss_size) old.ss_flags = SS_DISABLE;
  else if (on_altstack(t, t->cpu.r[RSP])) old.ss_flags = SS_ONSTACK;
  if (a[0]) {
    if (mm_read(t->proc->mm, &ss, a[0], sizeof(ss))) return -LINUX_EFAULT;
    if (on_altstack(t, t->cpu.r[RSP])) return -LINUX_EPERM;
    if (ss.ss_flags & ~(SS_DISABLE | SS_ONSTACK | (int32_t)0x80000000)) return -LINUX_EINVAL;
    if (!(ss.ss_flags & SS_DISABLE) && ss.ss_size < 2048) return -LINUX_ENOMEM;
  }
  if (a[1] && mm_write(t->proc->mm, a[1], &old, sizeof(old))) return -LINUX_EFAULT;
  if (a[0]) {
    if (ss.ss_flags & SS_DISABLE) memset(&t->altstack, 0, sizeof(t->altstack));
    else {
      t->altstack = ss;
      t->altstack.ss_flags = 0;
    }
  }
  return 0;
}

// kill(2): pid > 0 one process, 0 the caller's group, -1 everyone but the
// caller, < -1 the group -pid. Signal 0 checks existence only.
int64_t sys_kill(struct task *t, const uint64_t *a) {
  int pid = (int)a[0], sig = (int)a[1];
  if (sig < 0 || sig > LINUX_NSIG) return -LINUX_EINVAL;
  struct proc *self = t->proc;
  struct ksiginfo info = {.code = SI_USER, .pid = self->pid};
  if (pid > 0) {
    struct proc *p = proc_find(pid);
    if (!p) {
      struct task *o = task_find(pid);
      if (!o) return -LINUX_ESRCH;
      p = o->proc;
    }
    if (sig) signal_proc(p, sig, &info);
    return 0;
  }
  if (pid == (int)0x80000000) return -LINUX_ESRCH;
  int pgid = pid == 0 ? self->pgid : -pid, found = 0;
  // Collect first: a signal may end processes (and change the table).
  struct proc *targets[KERNEL_MAX_TASKS];
  int n = 0;
  for (int i = 0; i < kern.nprocs; i++) {
    struct proc *p = kern.procs[i];
    if (p->reaped) continue;
    if (pid == -1 ? p == self : p->pgid != pgid) continue;
    found = 1;
    if (!p->exited) targets[n++] = p;
  }
  if (!found) return -LINUX_ESRCH;
  for (int i = 0; i < n && sig; i++) signal_proc(targets[i], sig, &info);
  return 0;
}

static int64_t thread_kill(struct task *t, int tgid, int tid, int sig) {
  if (sig < 0 || sig > LINUX_NSIG) return -LINUX_EINVAL;
  struct task *o = task_find(tid);
  if (!o || (tgid > 0 && o->proc->pid != tgid)) return -LINUX_ESRCH;
  struct ksiginfo info = {.code = SI_TKILL, .pid = t->proc->pid};
  if (sig) signal_thread(o, sig, &info);
  return 0;
}

int64_t sys_tkill(struct task *t, const uint64_t *a) {
  if ((int)a[0] <= 0) return -LINUX_EINVAL;
  return thread_kill(t, 0, (int)a[0], (int)a[1]);
}

int64_t sys_tgkill(struct task *t, const uint64_t *a) {
  if ((int)a[0] <= 0 || (int)a[1] <= 0) return -LINUX_EINVAL;
  return thread_kill(t, (int)a[0], (int)a[1], (int)a[2]);
}

// rt_sigpending(2): pending signals that are blocked.
int64_t sys_rt_sigpending(struct task *t, const uint64_t *a) {
  if (a[1] > 8) return -LINUX_EINVAL;
  uint64_t set = (t->pending | t->proc->pending) & t->sigmask;
  return mm_write(t->proc->mm, a[0], &set, (size_t)a[1]) ? -LINUX_EFAULT : 0;
}

// rt_sigsuspend(2): sleeps with a temporary mask until a handler runs (the
// frame saves the old mask, so the handler's return restores it).
int64_t sys_rt_sigsuspend(struct task *t, const uint64_t *a) {
  if (a[1] != 8) return -LINUX_EINVAL;
  uint64_t set;
  if (mm_read(t->proc->mm, &set, a[0], 8)) return -LINUX_EFAULT;
  if (!t->has_saved_mask) {
    t->saved_mask = t->sigmask;
    t->has_saved_mask = 1;
  }
  t->sigmask = set & ~UNBLOCKABLE;
  sched_block_on(kernel_chan_signal);
  return -KERNEL_ERESTARTNOHAND;
}

int64_t sys_pause(struct task *t, const uint64_t *a) {
  sched_block_on(kernel_chan_signal);
  return -KERNEL_ERESTARTNOHAND;
}

// rt_sigtimedwait(2): takes a pending signal of set (normally blocked)
// without running its handler; EAGAIN when the timeout passes.
int64_t sys_rt_sigtimedwait(struct task *t, const uint64_t *a) {
  if (a[3] != 8) return -LINUX_EINVAL;
  struct proc *p = t->proc;
  uint64_t set;
  if (mm_read(p->mm, &set, a[0], 8)) return -LINUX_EFAULT;
  set &= ~UNBLOCKABLE;
  uint64_t pend = (t->pending | p->pending) & set;
  if (pend) {
    int sig = __builtin_ctzll(pend) + 1;
    struct ksiginfo k = dequeue(t, sig);
    t->sigwait = 0;
    if (a[1]) {
      uint8_t si[128];
      fill_siginfo(si, sig, &k);
      if (mm_write(p->mm, a[1], si, sizeof(si))) return -LINUX_EFAULT;
    }
    return sig;
  }
  if (a[2]) {
    struct timespec_linux ts;
    if (mm_read(p->mm, &ts, a[2], sizeof(ts))) return -LINUX_EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return -LINUX_EINVAL;
    int64_t now = kernel_now();
    if (!t->deadline) {
      if (!ts.tv_sec && !ts.tv_nsec) return -LINUX_EAGAIN;
      t->deadline = now + (ts.tv_sec > 1000000000ll * 9 ? INT64_MAX / 4 : ts.tv_sec * 1000000000 + ts.tv_nsec);
    } else if (now >= t->deadline) {
      t->sigwait = 0;
      return -LINUX_EAGAIN;
    }
  }
  t->sigwait = set;
  sched_block_on(kernel_chan_signal);
  return -KERNEL_ERESTARTNOHAND;
}
