// SPDX-License-Identifier: MIT
// Processes, tasks and the kernel's shared declarations: what a syscall
// handler may use. A struct proc is what threads share (address space, fds,
// cwd, signal actions, brk); a struct task is one thread (its CPU, signal
// mask, tid). Issue 3 (fork, threads, signals, pipes) grows these structs;
// nothing here assumes there is only one of each.
#ifndef XOS_KERNEL_H
#define XOS_KERNEL_H

#include <stdint.h>

#include "../cpu/cpu.h"
#include "../fs/vfs.h"
#include "linux.h"

#define KERNEL_MAX_TASKS 256 // tasks (threads) and processes (zombies count): fork gives EAGAIN beyond
#define KERNEL_FD_MAX 1024 // RLIMIT_NOFILE soft and hard limit
#define KERNEL_FIRST_PID 100
#define KERNEL_SLICE 100000 // instructions a task runs before others get a turn
#define KERNEL_SLEEP_HORIZON (30ll * 24 * 3600 * 1000000000) // longer sleeps count as for ever
// A handler's result meaning "the registers are already set" (rt_sigreturn).
#define KERNEL_RET_REGS ((int64_t)INT64_MIN)
// Like ERESTARTSYS (block and re-run) but a handler always ends the call
// with EINTR, even with SA_RESTART (pause, sigsuspend, poll, nanosleep...).
#define KERNEL_ERESTARTNOHAND 514

// The layout of a fresh address space (deterministic: no randomisation).
#define KERNEL_STACK_TOP 0x7ffffffff000ull
#define KERNEL_STACK_SIZE (8ull << 20)
#define KERNEL_MMAP_TOP 0x7ffff7fff000ull // top-down mmap area starts below this
#define KERNEL_MMAP_MIN 0x10000ull        // vm.mmap_min_addr
#define KERNEL_PIE_BASE 0x555555554000ull // ELF_ET_DYN_BASE with ASLR off
#define KERNEL_INTERP_BASE 0x7ffff7fc1000ull

// A descriptor table; shared between threads (CLONE_FILES, issue 3).
struct fdtable {
  int refs;
  int cap;
  struct file **files; // files[fd] or NULL; each slot holds one reference
  uint8_t *cloexec;    // FD_CLOEXEC per slot
};

// A queued signal's details, enough to build its siginfo (one per
// standard signal: they do not queue).
struct ksiginfo {
  int32_t code;   // si_code (SI_USER 0, SI_KERNEL 0x80, SI_TKILL -6, CLD_*, SEGV_*...)
  int32_t pid;    // sender, or the child for SIGCHLD
  int32_t status; // SIGCHLD: exit code or signal
  int32_t trapno; // fault: trap number for the sigcontext
  uint64_t addr;  // fault address (si_addr)
};

struct proc {
  int pid, ppid, pgid, sid;
  struct mm *mm;
  struct fdtable *fds;
  char *cwd;              // canonical guest path (malloc'd)
  uint32_t umask;
  struct sigaction_linux sigactions[LINUX_NSIG]; // index = signal - 1
  uint64_t brk_start, brk; // brk(2) area: [brk_start, brk) is mapped page by page
  uint64_t mmap_top;      // where the next top-down mmap search starts
  struct rlimit_linux rlimits[LINUX_RLIM_NLIMITS];
  int exited;             // all threads gone; exit_status valid
  int exit_status;        // wait status (code << 8, or signal number)
  int nthreads;
  char comm[16];          // task name (basename of argv[0]), for logs
  char *exe;              // canonical path of the program (readlink /proc/self/exe)
  uint64_t start_stack;   // initial rsp of the image: argc, argv, envp (/proc/PID/cmdline, environ)
  // Issue 3: process tree, signals, timers. Changed by fork.c, exit.c, signal.c.
  int exit_signal;        // sent to the parent at exit (clone's low byte; SIGCHLD for fork)
  int reaped;             // waited for (or auto-reaped): freed once no task points here
  int task_refs;          // struct tasks in kern.tasks whose proc is this one
  int stopped;            // stopped by SIGSTOP/SIGTSTP/...: no task of it runs
  int stop_report;        // signal of a stop not yet reported to wait4(WUNTRACED)
  int cont_report;        // a SIGCONT not yet reported to wait4(WCONTINUED)
  int vfork_tid;          // tid of the vfork(2) parent task waiting for exec or exit
  int pdeath_signal;      // prctl(PR_SET_PDEATHSIG): sent when the parent exits
  uint64_t pending;       // process-directed pending signals, bit (sig - 1)
  struct ksiginfo pinfo[LINUX_NSIG];
  int64_t alarm_at;       // ITIMER_REAL expiry (guest monotonic ns), 0 off
  int64_t alarm_interval; // ITIMER_REAL reload (ns)
};

// TASK_BLOCKED: asleep in a syscall until wait_chan is woken (or a signal,
// or its deadline). TASK_VFORK: a vfork parent until the child execs or exits.
enum task_state { TASK_RUNNABLE, TASK_BLOCKED, TASK_DEAD, TASK_VFORK };

struct task {
  struct cpu cpu;          // changed only by cpu_run and syscall handlers of this task
  int tid;
  struct proc *proc;
  enum task_state state;   // TASK_BLOCKED: waiting for stdin; retried on input
  uint64_t sigmask;        // blocked signals, bit (sig - 1)
  uint64_t clear_child_tid; // set_tid_address(2)
  uint64_t robust_list;
  struct stack_t_linux altstack;
  int skip_bp;             // resume past the breakpoint at rip once
  // Sleeping (task.c). A blocked syscall is re-executed when woken: rip is
  // rewound to the syscall instruction and rax holds its number again.
  const void *wait_chan;   // what wakes the task; NULL: host input (stdin)
  int restart;             // rip rewound: 1 restart after a SA_RESTART handler, 2 EINTR always
  int64_t deadline;        // timed sleep: guest monotonic ns when it ends, 0 none
  uint64_t futex_addr;     // FUTEX_WAIT: the word, its address space and bitset
  struct mm *futex_mm;
  uint32_t futex_bitset;
  uint64_t io_done;        // write(2) to a pipe: bytes written before it slept
  uint64_t sleep_rem;      // nanosleep's rem pointer: the time left on EINTR
  // Signals (signal.c).
  uint64_t pending;        // thread-directed pending signals
  struct ksiginfo pinfo[LINUX_NSIG];
  uint64_t saved_mask;     // mask to restore after sigsuspend/ppoll/pselect6
  int has_saved_mask;
  uint64_t sigwait;        // rt_sigtimedwait: the signals waited for
};

struct kernel {
  struct task *tasks[KERNEL_MAX_TASKS];
  int ntasks;
  struct proc *procs[KERNEL_MAX_TASKS]; // live and zombie processes
  int nprocs;
  int sweep;               // dead tasks or reaped processes wait to be freed
  int64_t next_deadline;   // earliest task deadline or alarm (guest monotonic ns), 0 none
  const void *block_chan;  // set by a handler (sched_block_on) before returning ERESTARTSYS
  int deadlock_logged;
  int realtime;            // sleeps wait for the host clock (xos_set_realtime) instead of moving the guest's
  int cur;                 // index of the task run last (round robin)
  int next_pid;
  struct proc *init;       // the first process; its exit ends the run
  int strace;
  int64_t clock_skew_ns;   // time slept by the guest (nanosleep returns at once)
  char error[512];         // last error message (xos_error)
  int error_len;
  uint8_t missing_logged[512 / 8]; // ENOSYS logged once per number
};

extern struct kernel kern;

// Records a message for xos_error and returns err (a negative errno).
int kernel_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// Writes one formatted line to host_log.
void kernel_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// task.c
int kernel_spawn(const uint8_t *elf, size_t len, char *const *argv, char *const *envp, const char *execfn);
int kernel_spawn_path(const char *path, char *const *argv, char *const *envp);
// Replaces t's process image (execve after its checks; see exec.c).
int kernel_exec(struct task *t, const uint8_t *elf, size_t len, char *const *argv, char *const *envp,
                const char *execfn, const char *exe);
// The working directory of processes spawned from now on (xos_set_cwd).
int kernel_set_cwd(const char *path);
int kernel_run(int64_t budget, int single_step);
struct task *kernel_current(void);
void kernel_reset(void);
void kernel_wake_all(void);
// Ends the whole process with a wait status (exit_group, fatal signal).
void proc_exit(struct proc *p, int status);
// exec.c: splits a "#!interp [arg]" first line (interp and arg hold 257 bytes).
int exec_parse_shebang(const uint8_t *buf, size_t len, char *interp, char *arg);
// Reads a whole file of the guest tree into a malloc'd buffer.
int kernel_read_file(const char *path, uint8_t **out, size_t *len);

// Wait channels: any kernel object's address. A blocked task sleeps until
// its channel is woken. KERNEL_CHAN_POLL sleepers wake on every channel.
extern const char kernel_chan_poll[1], kernel_chan_signal[1], kernel_chan_futex[1];
void sched_wake_task(struct task *t);
// Ends t's blocked syscall with ret (rip past the syscall instruction).
void task_complete(struct task *t, int64_t ret);
// Guest CLOCK_MONOTONIC in ns (time.c).
int64_t kernel_now(void);
int64_t kernel_realtime(void);
// Arms a wakeup at deadline (guest monotonic ns).
void kernel_arm(int64_t deadline);
struct proc *proc_find(int pid);   // live or zombie, not reaped
struct task *task_find(int tid);   // not dead
// Adds a task/process to the tables (fork.c); 0 or -EAGAIN.
int kernel_add_task(struct task *t);
int kernel_add_proc(struct proc *p);
void proc_free(struct proc *p);
// Wakes the vfork parent of p, if any (exec or exit of the child).
void vfork_release(struct proc *p);

// signal.c. Process-directed (kill) and thread-directed (tkill) signals;
// info may be NULL (SI_USER from the kernel).
void signal_send(struct task *t, int sig);
void signal_proc(struct proc *p, int sig, const struct ksiginfo *info);
void signal_thread(struct task *t, int sig, const struct ksiginfo *info);
// A CPU fault in t: log and deliver sig (a handler may catch it).
void signal_fault(struct task *t, int sig, const char *what);
// Delivers one pending unblocked signal to t (default action or handler
// frame), if any. Called before t runs.
void signal_deliver(struct task *t);
// True if a signal is pending for t and not blocked.
static inline int signal_ready(struct task *t) { return ((t->pending | t->proc->pending) & ~t->sigmask) != 0; }
// Whether the default action of sig ignores it.
int signal_default_ignored(int sig);

// futex.c: wakes up to n waiters on (mm, addr) whose bitset meets bits.
int futex_wake(struct mm *mm, uint64_t addr, int n, uint32_t bits);
// A dying thread releases the robust futexes it holds.
void futex_robust_exit(struct task *t);

// exit.c
// Ends one thread (exit(2)): clear_child_tid, last thread ends the process.
void task_exit(struct task *t, int status);
// fd.c
struct fdtable *fdtable_dup(struct fdtable *ft);

// fd.c
struct fdtable *fdtable_new(void);
void fdtable_put(struct fdtable *ft);
struct file *fd_get(struct proc *p, int fd);            // borrowed; NULL if not open
int fd_install(struct proc *p, struct file *f, int min, int cloexec); // takes the reference
int fd_close(struct proc *p, int fd);

// file.c: resolves a *at path for p (dirfd semantics of openat(2)).
int at_resolve(struct proc *p, int dirfd, const char *path, int follow, char *out);
// Copies a guest path string into buf (LINUX_PATH_MAX): -EFAULT, -ENAMETOOLONG.
int user_path(struct task *t, uint64_t addr, char *buf);

// mmap.c
uint64_t mmap_find(struct proc *p, uint64_t len);

// procfs.c: /proc (mounted by xos_init).
extern const struct fs_ops procfs_ops;

// poll.c, shared with epoll.c: a file's LINUX_POLL* readiness; the timed
// sleep of a wait (1 when timeout_ns has passed, 0 to sleep; < 0 none); the
// temporary signal mask of ppoll/pselect6/epoll_pwait (restored at the end).
int poll_readiness(struct file *f);
int poll_timed_out(struct task *t, int64_t timeout_ns);
int poll_temp_mask(struct task *t, uint64_t addr, uint64_t size);

// syscall.c
typedef int64_t (*syscall_fn)(struct task *t, const uint64_t *a);
void syscall_dispatch(struct task *t);
const char *syscall_name(int nr);

// strace.c
void strace_line(struct task *t, int nr, const uint64_t *a, int64_t ret);
const char *errno_name(int e);

#endif
