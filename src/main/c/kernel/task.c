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
  struct proc *p = proc_new();
  struct task *t = calloc(1, sizeof(*t));
  if (!p || !t) {
    free(t);
    mm_free(mm);
    return kernel_error(-LINUX_ENOMEM, "out of memory");
  }
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
  kern.tasks[kern.ntasks++] = t;
  if (!kern.init) {
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
    struct task *t = kern.tasks[i];
    struct proc *p = t->proc;
    cpu_free(&t->cpu);
    free(t);
    // The last task of p in the table frees what the process owns.
    int others = 0;
    for (int k = i + 1; k < kern.ntasks; k++) others |= kern.tasks[k]->proc == p;
    if (others) continue;
    if (p->fds) fdtable_put(p->fds);
    mm_free(p->mm);
    free(p->exe);
    free(p->cwd);
    free(p);
  }
  free(spawn_cwd);
  spawn_cwd = NULL;
  int strace = kern.strace;
  memset(&kern, 0, sizeof(kern));
  kern.next_pid = KERNEL_FIRST_PID;
  kern.strace = strace;
}

struct task *kernel_current(void) {
  if (kern.ntasks == 0) return NULL;
  struct task *t = kern.tasks[kern.cur];
  return t;
}

void kernel_wake_all(void) {
  for (int i = 0; i < kern.ntasks; i++)
    if (kern.tasks[i]->state == TASK_BLOCKED) kern.tasks[i]->state = TASK_RUNNABLE;
}

void proc_exit(struct proc *p, int status) {
  if (p->exited) return;
  p->exited = 1;
  p->exit_status = status;
  for (int i = 0; i < kern.ntasks; i++)
    if (kern.tasks[i]->proc == p) kern.tasks[i]->state = TASK_DEAD;
  // The address space stays until the tasks are reaped (issue 3: wait4), so
  // a debugger can still read registers and memory of the dead process.
  fdtable_put(p->fds);
  p->fds = NULL;
}

// Picks the next runnable task after the current one (round robin).
static int pick(void) {
  for (int k = 1; k <= kern.ntasks; k++) {
    int i = (kern.cur + k) % kern.ntasks;
    if (kern.tasks[i]->state == TASK_RUNNABLE) return i;
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

int kernel_run(int64_t budget, int single_step) {
  if (!kern.init) {
    kernel_error(-LINUX_ESRCH, "no process: spawn one first");
    return XOS_FAULT;
  }
  while (budget > 0) {
    if (kern.init->exited) return XOS_EXITED;
    int i = pick();
    if (i < 0) {
      for (int k = 0; k < kern.ntasks; k++)
        if (kern.tasks[k]->state == TASK_BLOCKED) return XOS_IDLE;
      return XOS_EXITED;
    }
    kern.cur = i;
    struct task *t = kern.tasks[i];
    uint64_t slice = single_step ? 1 : (uint64_t)budget < KERNEL_SLICE ? (uint64_t)budget : KERNEL_SLICE;
    uint64_t used;
    int reason = run_slice(t, slice, &used);
    budget -= used ? (int64_t)used : 1;
    int status = handle_stop(t, reason);
    if (status >= 0) return status;
    if (single_step) return kern.init->exited ? XOS_EXITED : XOS_STOPPED;
  }
  return kern.init->exited ? XOS_EXITED : XOS_BUDGET;
}
