// SPDX-License-Identifier: MIT
// Tasks and processes: creating the first process from an ELF image, the
// scheduler loop behind xos_run (cpu_run slices, stop reasons to syscalls and
// signals), process exit. Owns the task table in `kern`; must not decode
// instructions (cpu/) or know file system backends (fs/).
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../host/api.h"
#include "../host/host.h"
#include "../loader/loader.h"
#include "../util/fmt.h"
#include "kernel.h"

struct kernel kern = {.next_pid = KERNEL_FIRST_PID};

int kernel_error(int err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = fmt_vsnprintf(kern.error, sizeof(kern.error), fmt, ap);
  va_end(ap);
  kern.error_len = n < 0 ? 0 : n < (int)sizeof(kern.error) ? n : (int)sizeof(kern.error) - 1;
  return err;
}

void kernel_log(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (n < 0) return;
  host_log(buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
}

int kernel_read_file(const char *path, uint8_t **out, size_t *len) {
  char abs[LINUX_PATH_MAX];
  int rc = path_resolve("/", path, 1, abs);
  if (rc) return rc;
  struct file *f;
  rc = vfs_open(abs, LINUX_O_RDONLY, 0, &f);
  if (rc) return rc;
  struct stat_linux st;
  rc = f->ops->fstat ? f->ops->fstat(f, &st) : -LINUX_EACCES;
  if (rc == 0 && !LINUX_S_ISREG(st.st_mode)) rc = -LINUX_EACCES; // execve(2): not a regular file
  if (rc == 0 && (st.st_size < 0 || st.st_size > (1ll << 30))) rc = -LINUX_EFBIG;
  uint8_t *buf = NULL;
  size_t n = 0;
  if (rc == 0) {
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) rc = -LINUX_ENOMEM;
  }
  while (rc == 0 && n < (size_t)st.st_size) {
    long k = f->ops->pread(f, buf + n, (size_t)st.st_size - n, (int64_t)n);
    if (k < 0) rc = (int)k;
    if (k <= 0) break;
    n += (size_t)k;
  }
  file_put(f);
  if (rc) {
    free(buf);
    return rc;
  }
  *out = buf;
  *len = n;
  return 0;
}

static char *spawn_cwd;

int kernel_set_cwd(const char *path) {
  char abs[LINUX_PATH_MAX];
  int rc = path_resolve("/", path, 1, abs);
  if (rc) return rc;
  struct stat_linux st;
  rc = vfs_lstat(abs, &st);
  if (rc) return rc;
  if (!LINUX_S_ISDIR(st.st_mode)) return -LINUX_ENOTDIR;
  char *c = strdup(abs);
  if (!c) return -LINUX_ENOMEM;
  free(spawn_cwd);
  spawn_cwd = c;
  return 0;
}

static struct proc *proc_new(void) {
  struct proc *p = calloc(1, sizeof(*p));
  if (!p) return NULL;
  p->pid = p->pgid = p->sid = kern.next_pid++;
  p->ppid = 1;
  p->exit_signal = LINUX_SIGCHLD;
  p->umask = 022;
  p->cwd = strdup(spawn_cwd ? spawn_cwd : "/");
  p->fds = fdtable_new();
  for (int i = 0; i < LINUX_RLIM_NLIMITS; i++) p->rlimits[i].rlim_cur = p->rlimits[i].rlim_max = LINUX_RLIM_INFINITY;
  p->rlimits[LINUX_RLIMIT_STACK].rlim_cur = KERNEL_STACK_SIZE;
  p->rlimits[LINUX_RLIMIT_NOFILE].rlim_cur = p->rlimits[LINUX_RLIMIT_NOFILE].rlim_max = KERNEL_FD_MAX;
  if (!p->cwd || !p->fds) {
    free(p->cwd);
    if (p->fds) fdtable_put(p->fds);
    free(p);
    return NULL;
  }
  return p;
}

static void set_comm(struct proc *p, const char *argv0) {
  const char *base = strrchr(argv0, '/');
  base = base ? base + 1 : argv0;
  fmt_snprintf(p->comm, sizeof(p->comm), "%s", base);
}

// Loads the program (and its PT_INTERP interpreter, read from the guest tree)
// into a fresh mm: what execve(2) does before the first instruction.
static int load_program(struct mm *mm, const uint8_t *elf, size_t len, char *const *argv, char *const *envp,
                        const char *execfn, struct elf_image *img, uint64_t *rsp, uint64_t *mmap_top) {
  int rc = elf_load(mm, elf, len, KERNEL_PIE_BASE, img);
  if (rc) return rc;
  *mmap_top = KERNEL_MMAP_TOP;
  if (img->interp[0]) {
    uint8_t *ibuf;
    size_t ilen;
    rc = kernel_read_file(img->interp, &ibuf, &ilen);
    if (rc) return kernel_error(rc, "cannot load the program's interpreter %s (%s)", img->interp, errno_name(-rc));
    // The interpreter goes where mmap would put it: right below the mmap
    // top, like binfmt_elf's load_elf_interp with randomisation off.
    struct elf_image ii;
    uint64_t span;
    rc = elf_span(ibuf, ilen, &span);
    if (rc == 0) rc = elf_load(mm, ibuf, ilen, KERNEL_MMAP_TOP - span, &ii);
    free(ibuf);
    if (rc) return rc;
    if (ii.interp[0]) return kernel_error(-LINUX_ELOOP, "the interpreter %s itself has an interpreter", img->interp);
    img->interp_base = ii.load_bias;
    img->start = ii.entry;
    *mmap_top = ii.lo;
  }
  rc = stack_build(mm, KERNEL_STACK_TOP, KERNEL_STACK_SIZE, img, argv, envp, execfn, rsp);
  if (rc) return kernel_error(rc, "cannot build the initial stack (%s)", errno_name(-rc));
  return 0;
}

int kernel_spawn(const uint8_t *elf, size_t len, char *const *argv, char *const *envp, const char *execfn) {
  if (kern.ntasks == KERNEL_MAX_TASKS) return kernel_error(-LINUX_EAGAIN, "too many tasks");
  struct mm *mm = mm_new();
  if (!mm) return kernel_error(-LINUX_ENOMEM, "out of memory");
  struct elf_image img;
  uint64_t rsp, mmap_top;
  int rc = load_program(mm, elf, len, argv, envp, execfn, &img, &rsp, &mmap_top);
  if (rc) {
    mm_free(mm);
    return rc;
  }
  struct proc *p = kern.nprocs < KERNEL_MAX_TASKS ? proc_new() : NULL;
  struct task *t = calloc(1, sizeof(*t));
  if (!p || !t) {
    free(t);
    if (p) {
      fdtable_put(p->fds);
      free(p->cwd);
      free(p);
    }
    mm_free(mm);
    return kernel_error(-LINUX_ENOMEM, "out of memory");
  }
  kern.procs[kern.nprocs++] = p;
  p->mm = mm;
  p->brk_start = p->brk = img.brk_start;
  p->start_stack = rsp;
  p->mmap_top = mmap_top;
  p->nthreads = 1;
  set_comm(p, argv && argv[0] ? argv[0] : execfn);
  char exe[LINUX_PATH_MAX];
  if (path_resolve(p->cwd, execfn, 1, exe)) path_normalize(execfn[0] == '/' ? execfn : "/", exe);
  p->exe = strdup(exe);
  // fds 0, 1 and 2: the console, one open file description each (as a
  // login shell's tty would be opened once and dup'd, they share the tty).
  for (int fd = 0; fd < 3; fd++) {
    struct file *f = console_open(fd, LINUX_O_RDWR);
    if (f) fd_install(p, f, fd, 0);
  }
  cpu_init(&t->cpu, mm);
  t->cpu.rip = img.start;
  t->cpu.r[RSP] = rsp;
  // Linux's start_thread: every other register is zero (rdx = 0 means no
  // atexit function for the libc's _start).
  t->tid = p->pid;
  t->proc = p;
  t->state = TASK_RUNNABLE;
  p->task_refs = 1;
  kern.tasks[kern.ntasks++] = t;
  if (!kern.init || kern.init->exited) {
    // A machine may run one program after another (the Java API's
    // Machine.run): the first process that has ended is let go, and the new
    // one is the process whose exit ends a run.
    if (kern.init) {
      kern.init->reaped = 1;
      kern.sweep = 1;
    }
    kern.init = p;
    console_pgrp = p->pgid;
  }
  return p->pid;
}

// execve(2)'s point of no return onwards: the new image replaces t's
// process image (same pid, same fds minus FD_CLOEXEC ones, handled signals
// reset to default). Errors before the swap leave the caller untouched.
int kernel_exec(struct task *t, const uint8_t *elf, size_t len, char *const *argv, char *const *envp,
                const char *execfn, const char *exe) {
  struct mm *mm = mm_new();
  if (!mm) return -LINUX_ENOMEM;
  struct elf_image img;
  uint64_t rsp, mmap_top;
  int rc = load_program(mm, elf, len, argv, envp, execfn, &img, &rsp, &mmap_top);
  if (rc) {
    mm_free(mm);
    return rc;
  }
  struct proc *p = t->proc;
  // execve(2) in a multithreaded process: the other threads are destroyed.
  for (int i = 0; i < kern.ntasks; i++) {
    struct task *o = kern.tasks[i];
    if (o->proc == p && o != t && o->state != TASK_DEAD) {
      o->state = TASK_DEAD;
      kern.sweep = 1;
    }
  }
  p->nthreads = 1;
  t->tid = p->pid; // execve(2): a thread that execs takes the leader's id
  char *exe_copy = strdup(exe);
  if (!exe_copy) {
    mm_free(mm);
    return -LINUX_ENOMEM;
  }
  free(p->exe);
  p->exe = exe_copy;
  mm_free(p->mm);
  p->mm = mm;
  p->brk_start = p->brk = img.brk_start;
  p->start_stack = rsp;
  p->mmap_top = mmap_top;
  set_comm(p, argv && argv[0] ? argv[0] : execfn);
  struct fdtable *ft = p->fds;
  if (ft && ft->refs > 1) { // shared by CLONE_FILES: execve gets its own copy first
    struct fdtable *own = fdtable_dup(ft);
    if (own) {
      fdtable_put(ft);
      p->fds = ft = own;
    }
  }
  for (int fd = 0; ft && fd < ft->cap; fd++)
    if (ft->files[fd] && ft->cloexec[fd]) fd_close(p, fd);
  // execve(2): handled signals revert to default; ignored ones stay ignored.
  for (int i = 0; i < LINUX_NSIG; i++) {
    if (p->sigactions[i].handler != LINUX_SIG_IGN) memset(&p->sigactions[i], 0, sizeof(p->sigactions[i]));
  }
  memset(&t->altstack, 0, sizeof(t->altstack));
  t->clear_child_tid = 0;
  t->robust_list = 0;
  int nbp = t->cpu.nbp;
  uint64_t *bp = t->cpu.bp;
  cpu_init(&t->cpu, mm);
  t->cpu.bp = bp;
  t->cpu.nbp = nbp;
  t->cpu.rip = img.start;
  t->cpu.r[RSP] = rsp;
  vfork_release(p);
  return 0;
}

int kernel_spawn_path(const char *path, char *const *argv, char *const *envp) {
  uint8_t *buf;
  size_t len;
  int rc = kernel_read_file(path, &buf, &len);
  if (rc) return kernel_error(rc, "cannot open %s (%s)", path, errno_name(-rc) ? errno_name(-rc) : "error");
  if (len >= 2 && buf[0] == '#' && buf[1] == '!') {
    // A script, as execve runs it: interp [arg] path argv[1..]. One level
    // here; an interpreter that is itself a script is execve's business.
    char interp[257], arg[257];
    rc = exec_parse_shebang(buf, len, interp, arg);
    free(buf);
    if (rc) return kernel_error(rc, "%s: bad #! line", path);
    int n = 0;
    while (argv && argv[n]) n++;
    char **v = calloc((size_t)n + 4, sizeof(char *));
    if (!v) return kernel_error(-LINUX_ENOMEM, "out of memory");
    int k = 0;
    v[k++] = interp;
    if (arg[0]) v[k++] = arg;
    v[k++] = (char *)path;
    for (int i = 1; i < n; i++) v[k++] = argv[i];
    rc = kernel_read_file(interp, &buf, &len);
    if (rc) {
      free(v);
      return kernel_error(rc, "cannot open %s, the interpreter of %s (%s)", interp, path, errno_name(-rc));
    }
    rc = kernel_spawn(buf, len, v, envp, path);
    free(v);
    free(buf);
    return rc;
  }
  rc = kernel_spawn(buf, len, argv, envp, path);
  free(buf);
  return rc;
}

// Frees every task and process: a fresh machine (xos_init, tests).
void kernel_reset(void) {
  for (int i = 0; i < kern.ntasks; i++) {
    cpu_free(&kern.tasks[i]->cpu);
    free(kern.tasks[i]);
  }
  kern.ntasks = 0; // closing pipes below wakes nobody
  for (int i = 0; i < kern.nprocs; i++) proc_free(kern.procs[i]);
  free(spawn_cwd);
  spawn_cwd = NULL;
  int strace = kern.strace;
  int realtime = kern.realtime;
  memset(&kern, 0, sizeof(kern));
  kern.next_pid = KERNEL_FIRST_PID;
  kern.strace = strace;
  kern.realtime = realtime;
}

struct task *kernel_current(void) {
  if (kern.ntasks == 0) return NULL;
  if (kern.cur >= kern.ntasks) kern.cur = 0;
  return kern.tasks[kern.cur];
}

const char kernel_chan_poll[1], kernel_chan_signal[1], kernel_chan_futex[1];

void sched_block_on(const void *chan) { kern.block_chan = chan; }

// Wakes every task asleep on chan (and every poll/select sleeper: they
// wait on many objects at once and re-check them all).
void sched_wake(const void *chan) {
  for (int i = 0; i < kern.ntasks; i++) {
    struct task *t = kern.tasks[i];
    if (t->state == TASK_BLOCKED && (t->wait_chan == chan || t->wait_chan == kernel_chan_poll))
      t->state = TASK_RUNNABLE;
  }
}

// Host input arrived (or stdin closed): wakes the tasks waiting for it.
void kernel_wake_all(void) { sched_wake(NULL); }

void sched_wake_task(struct task *t) {
  if (t->state == TASK_BLOCKED) t->state = TASK_RUNNABLE;
}

void task_complete(struct task *t, int64_t ret) {
  if (t->state != TASK_BLOCKED && !t->restart) return;
  if (t->restart) t->cpu.rip += 2;
  t->restart = 0;
  t->deadline = 0;
  t->cpu.r[RAX] = (uint64_t)ret;
  if (t->has_saved_mask) {
    t->sigmask = t->saved_mask;
    t->has_saved_mask = 0;
  }
  if (t->state == TASK_BLOCKED) t->state = TASK_RUNNABLE;
}

void kernel_arm(int64_t deadline) {
  if (!kern.next_deadline || deadline < kern.next_deadline) kern.next_deadline = deadline;
}

// Wakes timed sleepers whose deadline passed and fires ITIMER_REAL alarms;
// recomputes the next deadline.
static void timers_fire(int64_t now) {
  int64_t next = 0;
  // Pollers re-check too: a timerfd they wait on may have expired (it armed
  // this deadline through kernel_arm when it was polled).
  sched_wake(kernel_chan_poll);
  for (int i = 0; i < kern.ntasks; i++) {
    struct task *t = kern.tasks[i];
    if (t->state != TASK_BLOCKED || !t->deadline) continue;
    if (t->deadline <= now) t->state = TASK_RUNNABLE;
    else if (!next || t->deadline < next) next = t->deadline;
  }
  for (int i = 0; i < kern.nprocs; i++) {
    struct proc *p = kern.procs[i];
    if (p->exited || !p->alarm_at) continue;
    if (p->alarm_at <= now) {
      struct ksiginfo info = {.code = 0x80}; // SI_KERNEL, as it_real_fn sends it
      signal_proc(p, LINUX_SIGALRM, &info);
      if (p->alarm_interval) {
        while (p->alarm_at <= now) p->alarm_at += p->alarm_interval;
      } else {
        p->alarm_at = 0;
      }
    }
    if (p->alarm_at && (!next || p->alarm_at < next)) next = p->alarm_at;
  }
  kern.next_deadline = next;
}

struct proc *proc_find(int pid) {
  for (int i = 0; i < kern.nprocs; i++)
    if (kern.procs[i]->pid == pid && !kern.procs[i]->reaped) return kern.procs[i];
  return NULL;
}

struct task *task_find(int tid) {
  for (int i = 0; i < kern.ntasks; i++)
    if (kern.tasks[i]->tid == tid && kern.tasks[i]->state != TASK_DEAD) return kern.tasks[i];
  return NULL;
}

int kernel_add_task(struct task *t) {
  if (kern.ntasks >= KERNEL_MAX_TASKS) return -LINUX_EAGAIN;
  kern.tasks[kern.ntasks++] = t;
  t->proc->task_refs++;
  return 0;
}

int kernel_add_proc(struct proc *p) {
  if (kern.nprocs >= KERNEL_MAX_TASKS) return -LINUX_EAGAIN;
  kern.procs[kern.nprocs++] = p;
  return 0;
}

// Frees dead tasks (except the first process's main thread, which the
// debugger may still inspect) and reaped processes nobody points to.
static void sweep(void) {
  kern.sweep = 0;
  struct task *cur = kern.cur < kern.ntasks ? kern.tasks[kern.cur] : NULL;
  int n = 0;
  for (int i = 0; i < kern.ntasks; i++) {
    struct task *t = kern.tasks[i];
    if (t->state == TASK_DEAD && !(t->proc == kern.init && t->tid == kern.init->pid)) {
      t->proc->task_refs--;
      if (t == cur) cur = NULL;
      cpu_free(&t->cpu);
      free(t);
      continue;
    }
    if (t == cur) kern.cur = n;
    kern.tasks[n++] = t;
  }
  kern.ntasks = n;
  if (!cur) kern.cur = n ? kern.cur % n : 0;
  n = 0;
  for (int i = 0; i < kern.nprocs; i++) {
    struct proc *p = kern.procs[i];
    if (p->reaped && p->task_refs <= 0 && p != kern.init) {
      proc_free(p);
      continue;
    }
    kern.procs[n++] = p;
  }
  kern.nprocs = n;
}

// Picks the next runnable task after the current one (round robin).
static int pick(void) {
  for (int k = 1; k <= kern.ntasks; k++) {
    int i = (kern.cur + k) % kern.ntasks;
    if (kern.tasks[i]->state == TASK_RUNNABLE && !kern.tasks[i]->proc->stopped) return i;
  }
  return -1;
}

// Turns one stop reason of cpu_run into kernel work. Returns an xos_status
// when the run must return to the host, -1 to go on.
static int handle_stop(struct task *t, int reason) {
  switch (reason) {
  case STOP_BUDGET: return -1;
  case STOP_SYSCALL: syscall_dispatch(t); return -1;
  case STOP_PAGEFAULT: signal_fault(t, LINUX_SIGSEGV, "page fault"); return -1;
  case STOP_UD: signal_fault(t, LINUX_SIGILL, "invalid opcode"); return -1;
  case STOP_DE: signal_fault(t, LINUX_SIGFPE, "divide error"); return -1;
  case STOP_FPE: signal_fault(t, LINUX_SIGFPE, "floating-point exception"); return -1;
  case STOP_GP: signal_fault(t, LINUX_SIGSEGV, "general protection"); return -1;
  case STOP_HLT: signal_fault(t, LINUX_SIGSEGV, "hlt in user mode"); return -1;
  case STOP_INT3: signal_fault(t, LINUX_SIGTRAP, "int3"); return -1;
  case STOP_BREAKPOINT: t->skip_bp = 1; return XOS_STOPPED;
  case STOP_STEP: return XOS_STOPPED;
  default:
    kernel_error(-LINUX_EIO, "cpu_run returned unknown stop reason %d", reason);
    return XOS_FAULT;
  }
}

// Runs one slice of t. A task resuming from a breakpoint stop executes the
// instruction under the breakpoint first, with breakpoints off.
static int run_slice(struct task *t, uint64_t slice, uint64_t *used) {
  uint64_t before = t->cpu.icount;
  int reason;
  if (t->skip_bp) {
    t->skip_bp = 0;
    int nbp = t->cpu.nbp;
    t->cpu.nbp = 0;
    reason = cpu_run(&t->cpu, 1);
    t->cpu.nbp = nbp;
    if (reason == STOP_BUDGET && slice > 1) reason = cpu_run(&t->cpu, slice - 1);
  } else {
    reason = cpu_run(&t->cpu, slice);
  }
  *used = t->cpu.icount - before;
  return reason;
}

// Nothing can run. Sleepers with a deadline: the guest's clocks jump to the
// earliest (sleeping never blocks the host), unless it is more than 30 days
// away (`sleep infinity` waits for a signal, as on Linux). Otherwise tasks wait for host
// input (XOS_IDLE) or for each other: a deadlock hangs on Linux; here the
// run returns XOS_IDLE too, and logs it once.

static int nothing_runnable(void) {
  if (kern.next_deadline && kern.realtime && kern.next_deadline > kernel_now() &&
      kern.next_deadline - kernel_now() < KERNEL_SLEEP_HORIZON) {
    // Real time: the host waits until the deadline (xos_wait_ns), then runs again.
    return XOS_IDLE;
  }
  if (kern.next_deadline && kern.next_deadline - kernel_now() < KERNEL_SLEEP_HORIZON) {
    int64_t now = kernel_now();
    if (kern.next_deadline > now) kern.clock_skew_ns += kern.next_deadline - now;
    timers_fire(kernel_now());
    return -1;
  }
  int host = 0, other = 0;
  for (int k = 0; k < kern.ntasks; k++) {
    struct task *t = kern.tasks[k];
    if (t->state == TASK_DEAD) continue;
    if (t->state == TASK_BLOCKED && (!t->wait_chan || t->wait_chan == kernel_chan_poll)) host = 1;
    else other = 1;
  }
  if (host) return XOS_IDLE;
  if (other) {
    if (!kern.deadlock_logged)
      kernel_log("every task waits for another task (deadlock): the guest hangs, as it would on Linux");
    kern.deadlock_logged = 1;
    return XOS_IDLE;
  }
  return XOS_EXITED;
}

int kernel_run(int64_t budget, int single_step) {
  if (!kern.init) {
    kernel_error(-LINUX_ESRCH, "no process: spawn one first");
    return XOS_FAULT;
  }
  while (budget > 0) {
    if (kern.init->exited) return XOS_EXITED;
    if (kern.next_deadline) {
      int64_t now = kernel_now();
      if (now >= kern.next_deadline) timers_fire(now);
    }
    int i = pick();
    if (i < 0) {
      int st = nothing_runnable();
      if (st >= 0) return st;
      budget -= 1000; // a periodic timer nobody handles must not keep the run going for ever
      continue;
    }
    kern.cur = i;
    struct task *t = kern.tasks[i];
    kern.deadlock_logged = 0;
    if (signal_ready(t)) {
      signal_deliver(t);
      int go = t->state == TASK_RUNNABLE && !t->proc->stopped; // t may be freed by the sweep
      if (kern.sweep) sweep();
      if (!go) continue;
    }
    uint64_t slice = single_step ? 1 : (uint64_t)budget < KERNEL_SLICE ? (uint64_t)budget : KERNEL_SLICE;
    uint64_t used;
    int reason = run_slice(t, slice, &used);
    budget -= used ? (int64_t)used : 1;
    int status = handle_stop(t, reason);
    if (kern.sweep) sweep();
    if (status >= 0) return status;
    if (single_step) return kern.init->exited ? XOS_EXITED : XOS_STOPPED;
  }
  return kern.init->exited ? XOS_EXITED : XOS_BUDGET;
}
