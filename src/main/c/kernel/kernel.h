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

#define KERNEL_MAX_TASKS 256
#define KERNEL_FD_MAX 1024 // RLIMIT_NOFILE soft and hard limit
#define KERNEL_FIRST_PID 100
#define KERNEL_SLICE 100000 // instructions a task runs before others get a turn

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
};

enum task_state { TASK_RUNNABLE, TASK_BLOCKED, TASK_DEAD };

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
};

struct kernel {
  struct task *tasks[KERNEL_MAX_TASKS];
  int ntasks;
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

// signal.c: the default action of sig for process p (issue 2: terminate or ignore).
void signal_send(struct task *t, int sig);
// A CPU fault in t: log and deliver sig.
void signal_fault(struct task *t, int sig, const char *what);

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

// syscall.c
typedef int64_t (*syscall_fn)(struct task *t, const uint64_t *a);
void syscall_dispatch(struct task *t);
const char *syscall_name(int nr);

// strace.c
void strace_line(struct task *t, int nr, const uint64_t *a, int64_t ret);
const char *errno_name(int e);

#endif
