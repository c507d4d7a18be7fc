// SPDX-License-Identifier: MIT
// Prototypes of every syscall handler in the table of syscall.c. Each takes
// the calling task and the six raw argument registers and returns the value
// for rax (a negative Linux errno on failure); int64_t, as long is 32 bits
// in wasm32.
#ifndef XOS_SYSCALLS_H
#define XOS_SYSCALLS_H

#include "kernel.h"

int64_t sys_statfs(struct task *t, const uint64_t *a);
int64_t sys_rt_sigreturn(struct task *t, const uint64_t *a);
int64_t sys_pipe(struct task *t, const uint64_t *a);
int64_t sys_pipe2(struct task *t, const uint64_t *a);
int64_t sys_select(struct task *t, const uint64_t *a);
int64_t sys_epoll_create(struct task *t, const uint64_t *a);
int64_t sys_epoll_create1(struct task *t, const uint64_t *a);
int64_t sys_epoll_ctl(struct task *t, const uint64_t *a);
int64_t sys_epoll_wait(struct task *t, const uint64_t *a);
int64_t sys_epoll_pwait(struct task *t, const uint64_t *a);
int64_t sys_pselect6(struct task *t, const uint64_t *a);
int64_t sys_pause(struct task *t, const uint64_t *a);
int64_t sys_getitimer(struct task *t, const uint64_t *a);
int64_t sys_alarm(struct task *t, const uint64_t *a);
int64_t sys_setitimer(struct task *t, const uint64_t *a);
int64_t sys_clone(struct task *t, const uint64_t *a);
int64_t sys_clone3(struct task *t, const uint64_t *a);
int64_t sys_fork(struct task *t, const uint64_t *a);
int64_t sys_vfork(struct task *t, const uint64_t *a);
int64_t sys_wait4(struct task *t, const uint64_t *a);
int64_t sys_waitid(struct task *t, const uint64_t *a);
int64_t sys_rt_sigpending(struct task *t, const uint64_t *a);
int64_t sys_rt_sigtimedwait(struct task *t, const uint64_t *a);
int64_t sys_rt_sigsuspend(struct task *t, const uint64_t *a);
int64_t sys_fstatfs(struct task *t, const uint64_t *a);
int64_t sys_getxattr(struct task *t, const uint64_t *a);
int64_t sys_lgetxattr(struct task *t, const uint64_t *a);
int64_t sys_fgetxattr(struct task *t, const uint64_t *a);
int64_t sys_listxattr(struct task *t, const uint64_t *a);
int64_t sys_llistxattr(struct task *t, const uint64_t *a);
int64_t sys_flistxattr(struct task *t, const uint64_t *a);
int64_t sys_fadvise64(struct task *t, const uint64_t *a);
int64_t sys_mincore(struct task *t, const uint64_t *a);
int64_t sys_copy_file_range(struct task *t, const uint64_t *a);
int64_t sys_execve(struct task *t, const uint64_t *a);
int64_t sys_execveat(struct task *t, const uint64_t *a);
int64_t sys_access(struct task *t, const uint64_t *a);
int64_t sys_arch_prctl(struct task *t, const uint64_t *a);
int64_t sys_brk(struct task *t, const uint64_t *a);
int64_t sys_chdir(struct task *t, const uint64_t *a);
int64_t sys_chmod(struct task *t, const uint64_t *a);
int64_t sys_chown(struct task *t, const uint64_t *a);
int64_t sys_clock_getres(struct task *t, const uint64_t *a);
int64_t sys_clock_gettime(struct task *t, const uint64_t *a);
int64_t sys_clock_nanosleep(struct task *t, const uint64_t *a);
int64_t sys_close(struct task *t, const uint64_t *a);
int64_t sys_close_range(struct task *t, const uint64_t *a);
int64_t sys_creat(struct task *t, const uint64_t *a);
int64_t sys_dup(struct task *t, const uint64_t *a);
int64_t sys_dup2(struct task *t, const uint64_t *a);
int64_t sys_dup3(struct task *t, const uint64_t *a);
int64_t sys_exit(struct task *t, const uint64_t *a);
int64_t sys_exit_group(struct task *t, const uint64_t *a);
int64_t sys_faccessat(struct task *t, const uint64_t *a);
int64_t sys_faccessat2(struct task *t, const uint64_t *a);
int64_t sys_fchdir(struct task *t, const uint64_t *a);
int64_t sys_fchmod(struct task *t, const uint64_t *a);
int64_t sys_fchmodat(struct task *t, const uint64_t *a);
int64_t sys_fchown(struct task *t, const uint64_t *a);
int64_t sys_fchownat(struct task *t, const uint64_t *a);
int64_t sys_fcntl(struct task *t, const uint64_t *a);
int64_t sys_flock(struct task *t, const uint64_t *a);
int64_t sys_fstat(struct task *t, const uint64_t *a);
int64_t sys_fsync(struct task *t, const uint64_t *a);
int64_t sys_ftruncate(struct task *t, const uint64_t *a);
int64_t sys_futex(struct task *t, const uint64_t *a);
int64_t sys_getdents64(struct task *t, const uint64_t *a);
int64_t sys_getcwd(struct task *t, const uint64_t *a);
int64_t sys_getgid(struct task *t, const uint64_t *a);
int64_t sys_getgroups(struct task *t, const uint64_t *a);
int64_t sys_getpgid(struct task *t, const uint64_t *a);
int64_t sys_getpgrp(struct task *t, const uint64_t *a);
int64_t sys_getpid(struct task *t, const uint64_t *a);
int64_t sys_getppid(struct task *t, const uint64_t *a);
int64_t sys_getrandom(struct task *t, const uint64_t *a);
int64_t sys_getrlimit(struct task *t, const uint64_t *a);
int64_t sys_getrusage(struct task *t, const uint64_t *a);
int64_t sys_getsid(struct task *t, const uint64_t *a);
int64_t sys_gettid(struct task *t, const uint64_t *a);
int64_t sys_gettimeofday(struct task *t, const uint64_t *a);
int64_t sys_getuid(struct task *t, const uint64_t *a);
int64_t sys_ioctl(struct task *t, const uint64_t *a);
int64_t sys_kill(struct task *t, const uint64_t *a);
int64_t sys_lseek(struct task *t, const uint64_t *a);
int64_t sys_lstat(struct task *t, const uint64_t *a);
int64_t sys_madvise(struct task *t, const uint64_t *a);
int64_t sys_mkdir(struct task *t, const uint64_t *a);
int64_t sys_mkdirat(struct task *t, const uint64_t *a);
int64_t sys_mmap(struct task *t, const uint64_t *a);
int64_t sys_mprotect(struct task *t, const uint64_t *a);
int64_t sys_mremap(struct task *t, const uint64_t *a);
int64_t sys_msync(struct task *t, const uint64_t *a);
int64_t sys_munmap(struct task *t, const uint64_t *a);
int64_t sys_nanosleep(struct task *t, const uint64_t *a);
int64_t sys_newfstatat(struct task *t, const uint64_t *a);
int64_t sys_open(struct task *t, const uint64_t *a);
int64_t sys_openat(struct task *t, const uint64_t *a);
int64_t sys_poll(struct task *t, const uint64_t *a);
int64_t sys_ppoll(struct task *t, const uint64_t *a);
int64_t sys_prctl(struct task *t, const uint64_t *a);
int64_t sys_pread64(struct task *t, const uint64_t *a);
int64_t sys_prlimit64(struct task *t, const uint64_t *a);
int64_t sys_pwrite64(struct task *t, const uint64_t *a);
int64_t sys_read(struct task *t, const uint64_t *a);
int64_t sys_readlink(struct task *t, const uint64_t *a);
int64_t sys_readlinkat(struct task *t, const uint64_t *a);
int64_t sys_readv(struct task *t, const uint64_t *a);
int64_t sys_rename(struct task *t, const uint64_t *a);
int64_t sys_renameat(struct task *t, const uint64_t *a);
int64_t sys_renameat2(struct task *t, const uint64_t *a);
int64_t sys_rmdir(struct task *t, const uint64_t *a);
int64_t sys_rseq(struct task *t, const uint64_t *a);
int64_t sys_rt_sigaction(struct task *t, const uint64_t *a);
int64_t sys_rt_sigprocmask(struct task *t, const uint64_t *a);
int64_t sys_sched_getaffinity(struct task *t, const uint64_t *a);
int64_t sys_sched_yield(struct task *t, const uint64_t *a);
int64_t sys_set_robust_list(struct task *t, const uint64_t *a);
int64_t sys_get_robust_list(struct task *t, const uint64_t *a);
int64_t sys_set_tid_address(struct task *t, const uint64_t *a);
int64_t sys_sendfile(struct task *t, const uint64_t *a);
int64_t sys_setpgid(struct task *t, const uint64_t *a);
int64_t sys_setrlimit(struct task *t, const uint64_t *a);
int64_t sys_setsid(struct task *t, const uint64_t *a);
int64_t sys_setuid(struct task *t, const uint64_t *a);
int64_t sys_sigaltstack(struct task *t, const uint64_t *a);
int64_t sys_stat(struct task *t, const uint64_t *a);
int64_t sys_statx(struct task *t, const uint64_t *a);
int64_t sys_symlink(struct task *t, const uint64_t *a);
int64_t sys_symlinkat(struct task *t, const uint64_t *a);
int64_t sys_sysinfo(struct task *t, const uint64_t *a);
int64_t sys_tgkill(struct task *t, const uint64_t *a);
int64_t sys_time(struct task *t, const uint64_t *a);
int64_t sys_times(struct task *t, const uint64_t *a);
int64_t sys_tkill(struct task *t, const uint64_t *a);
int64_t sys_truncate(struct task *t, const uint64_t *a);
int64_t sys_umask(struct task *t, const uint64_t *a);
int64_t sys_uname(struct task *t, const uint64_t *a);
int64_t sys_unlink(struct task *t, const uint64_t *a);
int64_t sys_unlinkat(struct task *t, const uint64_t *a);
int64_t sys_utimensat(struct task *t, const uint64_t *a);
int64_t sys_utimes(struct task *t, const uint64_t *a);
int64_t sys_futimesat(struct task *t, const uint64_t *a);
int64_t sys_utime(struct task *t, const uint64_t *a);
int64_t sys_lchown(struct task *t, const uint64_t *a);
int64_t sys_write(struct task *t, const uint64_t *a);
int64_t sys_writev(struct task *t, const uint64_t *a);

const char *syscall_fmt(int nr, int *ret_hex);

// net.c
int64_t sys_socket(struct task *t, const uint64_t *a);
int64_t sys_socketpair(struct task *t, const uint64_t *a);
int64_t sys_sockfd(struct task *t, const uint64_t *a);

// epoll.c
int64_t sys_epoll_pwait2(struct task *t, const uint64_t *a);
int64_t sys_eventfd(struct task *t, const uint64_t *a);
int64_t sys_eventfd2(struct task *t, const uint64_t *a);
int64_t sys_timerfd_create(struct task *t, const uint64_t *a);
int64_t sys_timerfd_settime(struct task *t, const uint64_t *a);
int64_t sys_timerfd_gettime(struct task *t, const uint64_t *a);


int64_t sys_link(struct task *t, const uint64_t *a);
int64_t sys_linkat(struct task *t, const uint64_t *a);
int64_t sys_mknodat(struct task *t, const uint64_t *a);
int64_t sys_mknod(struct task *t, const uint64_t *a);

#endif
