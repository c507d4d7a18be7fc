// SPDX-License-Identifier: MIT
// Prototypes of every syscall handler in the table of syscall.c. Each takes
// the calling task and the six raw argument registers and returns the value
// for rax (a negative Linux errno on failure). Grouped by the file defining them.
#ifndef XOS_SYSCALLS_H
#define XOS_SYSCALLS_H

#include "kernel.h"

long sys_statfs(struct task *t, const uint64_t *a);
long sys_fstatfs(struct task *t, const uint64_t *a);
long sys_getxattr(struct task *t, const uint64_t *a);
long sys_lgetxattr(struct task *t, const uint64_t *a);
long sys_fgetxattr(struct task *t, const uint64_t *a);
long sys_listxattr(struct task *t, const uint64_t *a);
long sys_llistxattr(struct task *t, const uint64_t *a);
long sys_flistxattr(struct task *t, const uint64_t *a);
long sys_fadvise64(struct task *t, const uint64_t *a);
long sys_access(struct task *t, const uint64_t *a);
long sys_arch_prctl(struct task *t, const uint64_t *a);
long sys_brk(struct task *t, const uint64_t *a);
long sys_chdir(struct task *t, const uint64_t *a);
long sys_chmod(struct task *t, const uint64_t *a);
long sys_chown(struct task *t, const uint64_t *a);
long sys_clock_getres(struct task *t, const uint64_t *a);
long sys_clock_gettime(struct task *t, const uint64_t *a);
long sys_clock_nanosleep(struct task *t, const uint64_t *a);
long sys_close(struct task *t, const uint64_t *a);
long sys_creat(struct task *t, const uint64_t *a);
long sys_dup(struct task *t, const uint64_t *a);
long sys_dup2(struct task *t, const uint64_t *a);
long sys_dup3(struct task *t, const uint64_t *a);
long sys_exit(struct task *t, const uint64_t *a);
long sys_exit_group(struct task *t, const uint64_t *a);
long sys_faccessat(struct task *t, const uint64_t *a);
long sys_faccessat2(struct task *t, const uint64_t *a);
long sys_fchdir(struct task *t, const uint64_t *a);
long sys_fchmod(struct task *t, const uint64_t *a);
long sys_fchmodat(struct task *t, const uint64_t *a);
long sys_fchown(struct task *t, const uint64_t *a);
long sys_fchownat(struct task *t, const uint64_t *a);
long sys_fcntl(struct task *t, const uint64_t *a);
long sys_flock(struct task *t, const uint64_t *a);
long sys_fstat(struct task *t, const uint64_t *a);
long sys_fsync(struct task *t, const uint64_t *a);
long sys_ftruncate(struct task *t, const uint64_t *a);
long sys_futex(struct task *t, const uint64_t *a);
long sys_getdents64(struct task *t, const uint64_t *a);
long sys_getcwd(struct task *t, const uint64_t *a);
long sys_getgid(struct task *t, const uint64_t *a);
long sys_getgroups(struct task *t, const uint64_t *a);
long sys_getpgid(struct task *t, const uint64_t *a);
long sys_getpgrp(struct task *t, const uint64_t *a);
long sys_getpid(struct task *t, const uint64_t *a);
long sys_getppid(struct task *t, const uint64_t *a);
long sys_getrandom(struct task *t, const uint64_t *a);
long sys_getrlimit(struct task *t, const uint64_t *a);
long sys_getrusage(struct task *t, const uint64_t *a);
long sys_getsid(struct task *t, const uint64_t *a);
long sys_gettid(struct task *t, const uint64_t *a);
long sys_gettimeofday(struct task *t, const uint64_t *a);
long sys_getuid(struct task *t, const uint64_t *a);
long sys_ioctl(struct task *t, const uint64_t *a);
long sys_kill(struct task *t, const uint64_t *a);
long sys_lseek(struct task *t, const uint64_t *a);
long sys_lstat(struct task *t, const uint64_t *a);
long sys_madvise(struct task *t, const uint64_t *a);
long sys_mkdir(struct task *t, const uint64_t *a);
long sys_mkdirat(struct task *t, const uint64_t *a);
long sys_mmap(struct task *t, const uint64_t *a);
long sys_mprotect(struct task *t, const uint64_t *a);
long sys_mremap(struct task *t, const uint64_t *a);
long sys_msync(struct task *t, const uint64_t *a);
long sys_munmap(struct task *t, const uint64_t *a);
long sys_nanosleep(struct task *t, const uint64_t *a);
long sys_newfstatat(struct task *t, const uint64_t *a);
long sys_open(struct task *t, const uint64_t *a);
long sys_openat(struct task *t, const uint64_t *a);
long sys_poll(struct task *t, const uint64_t *a);
long sys_ppoll(struct task *t, const uint64_t *a);
long sys_prctl(struct task *t, const uint64_t *a);
long sys_pread64(struct task *t, const uint64_t *a);
long sys_prlimit64(struct task *t, const uint64_t *a);
long sys_pwrite64(struct task *t, const uint64_t *a);
long sys_read(struct task *t, const uint64_t *a);
long sys_readlink(struct task *t, const uint64_t *a);
long sys_readlinkat(struct task *t, const uint64_t *a);
long sys_readv(struct task *t, const uint64_t *a);
long sys_rename(struct task *t, const uint64_t *a);
long sys_renameat(struct task *t, const uint64_t *a);
long sys_renameat2(struct task *t, const uint64_t *a);
long sys_rmdir(struct task *t, const uint64_t *a);
long sys_rseq(struct task *t, const uint64_t *a);
long sys_rt_sigaction(struct task *t, const uint64_t *a);
long sys_rt_sigprocmask(struct task *t, const uint64_t *a);
long sys_sched_getaffinity(struct task *t, const uint64_t *a);
long sys_sched_yield(struct task *t, const uint64_t *a);
long sys_set_robust_list(struct task *t, const uint64_t *a);
long sys_set_tid_address(struct task *t, const uint64_t *a);
long sys_sendfile(struct task *t, const uint64_t *a);
long sys_setpgid(struct task *t, const uint64_t *a);
long sys_setrlimit(struct task *t, const uint64_t *a);
long sys_setsid(struct task *t, const uint64_t *a);
long sys_setuid(struct task *t, const uint64_t *a);
long sys_sigaltstack(struct task *t, const uint64_t *a);
long sys_stat(struct task *t, const uint64_t *a);
long sys_statx(struct task *t, const uint64_t *a);
long sys_symlink(struct task *t, const uint64_t *a);
long sys_symlinkat(struct task *t, const uint64_t *a);
long sys_sysinfo(struct task *t, const uint64_t *a);
long sys_tgkill(struct task *t, const uint64_t *a);
long sys_time(struct task *t, const uint64_t *a);
long sys_times(struct task *t, const uint64_t *a);
long sys_tkill(struct task *t, const uint64_t *a);
long sys_truncate(struct task *t, const uint64_t *a);
long sys_umask(struct task *t, const uint64_t *a);
long sys_uname(struct task *t, const uint64_t *a);
long sys_unlink(struct task *t, const uint64_t *a);
long sys_unlinkat(struct task *t, const uint64_t *a);
long sys_utimensat(struct task *t, const uint64_t *a);
long sys_write(struct task *t, const uint64_t *a);
long sys_writev(struct task *t, const uint64_t *a);

const char *syscall_fmt(int nr, int *ret_hex);

#endif
