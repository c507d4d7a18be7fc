// SPDX-License-Identifier: MIT
// The one syscall table (x86-64 numbers from arch/x86/entry/syscalls/
// syscall_64.tbl: name, handler, strace argument formats) and its dispatch
// site. Handlers live in one file per family and are named sys_<name>.
// Must not implement syscalls itself; only routing, restart and logging.
#include <string.h>

#include "kernel.h"
#include "syscalls.h"

// fmt: one character per argument, decoded by strace.c:
//   d int, l long, u unsigned, x hex, p pointer, s string, b buffer written
//   by the guest (length is the next argument), B buffer filled by the call
//   (length is the result), D dirfd, o octal mode, O open flags, P mmap prot,
//   M mmap flags, S signal. A name without a handler is known but missing.
struct syscall_def {
  const char *name;
  syscall_fn fn;
  const char *fmt;
  int ret_hex; // print the result in hex (addresses)
};

static const struct syscall_def table[] = {
  [0] = {"read", sys_read, "dBu"},
  [1] = {"write", sys_write, "dbu"},
  [2] = {"open", sys_open, "sOo"},
  [3] = {"close", sys_close, "d"},
  [4] = {"stat", sys_stat, "sp"},
  [5] = {"fstat", sys_fstat, "dp"},
  [6] = {"lstat", sys_lstat, "sp"},
  [7] = {"poll", sys_poll, "pdd"},
  [8] = {"lseek", sys_lseek, "dld"},
  [9] = {"mmap", sys_mmap, "pxPMdx", 1},
  [10] = {"mprotect", sys_mprotect, "pxP"},
  [11] = {"munmap", sys_munmap, "px"},
  [12] = {"brk", sys_brk, "p", 1},
  [13] = {"rt_sigaction", sys_rt_sigaction, "Sppu"},
  [14] = {"rt_sigprocmask", sys_rt_sigprocmask, "dppu"},
  [15] = {"rt_sigreturn", sys_rt_sigreturn, ""},
  [16] = {"ioctl", sys_ioctl, "dxp"},
  [17] = {"pread64", sys_pread64, "dBul"},
  [18] = {"pwrite64", sys_pwrite64, "dbul"},
  [19] = {"readv", sys_readv, "dpd"},
  [20] = {"writev", sys_writev, "dpd"},
  [21] = {"access", sys_access, "so"},
  [22] = {"pipe", sys_pipe, "p"},
  [23] = {"select", sys_select, "dpppp"},
  [24] = {"sched_yield", sys_sched_yield, ""},
  [25] = {"mremap", sys_mremap, "pxxxp", 1},
  [26] = {"msync", sys_msync, "pxx"},
  [27] = {"mincore", sys_mincore, "pxp"},
  [28] = {"madvise", sys_madvise, "pxd"},
  [32] = {"dup", sys_dup, "d"},
  [33] = {"dup2", sys_dup2, "dd"},
  [34] = {"pause", sys_pause, ""},
  [35] = {"nanosleep", sys_nanosleep, "pp"},
  [36] = {"getitimer", sys_getitimer, "dp"},
  [37] = {"alarm", sys_alarm, "u"},
  [39] = {"getpid", sys_getpid, ""},
  [38] = {"setitimer", sys_setitimer, "dpp"},
  [40] = {"sendfile", sys_sendfile, "ddpu"},
  [41] = {"socket", sys_socket, "ddd"},
  [42] = {"connect", sys_sockfd, "dpd"},
  [43] = {"accept", sys_sockfd, "dpp"},
  [44] = {"sendto", sys_sockfd, "dpuxpd"},
  [45] = {"recvfrom", sys_sockfd, "dpuxpp"},
  [46] = {"sendmsg", sys_sockfd, "dpx"},
  [47] = {"recvmsg", sys_sockfd, "dpx"},
  [48] = {"shutdown", sys_sockfd, "dd"},
  [49] = {"bind", sys_sockfd, "dpd"},
  [50] = {"listen", sys_sockfd, "dd"},
  [51] = {"getsockname", sys_sockfd, "dpp"},
  [52] = {"getpeername", sys_sockfd, "dpp"},
  [53] = {"socketpair", sys_socketpair, "dddp"},
  [54] = {"setsockopt", sys_sockfd, "dddpd"},
  [55] = {"getsockopt", sys_sockfd, "dddpp"},
  [56] = {"clone", sys_clone, "xpppx"},
  [57] = {"fork", sys_fork, ""},
  [58] = {"vfork", sys_vfork, ""},
  [59] = {"execve", sys_execve, "spp"},
  [60] = {"exit", sys_exit, "d"},
  [61] = {"wait4", sys_wait4, "dpxp"},
  [62] = {"kill", sys_kill, "dS"},
  [63] = {"uname", sys_uname, "p"},
  [72] = {"fcntl", sys_fcntl, "ddx"},
  [73] = {"flock", sys_flock, "dd"},
  [74] = {"fsync", sys_fsync, "d"},
  [75] = {"fdatasync", sys_fsync, "d"},
  [76] = {"truncate", sys_truncate, "sl"},
  [77] = {"ftruncate", sys_ftruncate, "dl"},
  [78] = {"getdents", NULL, "dpu"},
  [79] = {"getcwd", sys_getcwd, "pu"},
  [80] = {"chdir", sys_chdir, "s"},
  [81] = {"fchdir", sys_fchdir, "d"},
  [82] = {"rename", sys_rename, "ss"},
  [83] = {"mkdir", sys_mkdir, "so"},
  [84] = {"rmdir", sys_rmdir, "s"},
  [85] = {"creat", sys_creat, "so"},
  [86] = {"link", sys_link, "ss"},
  [87] = {"unlink", sys_unlink, "s"},
  [88] = {"symlink", sys_symlink, "ss"},
  [89] = {"readlink", sys_readlink, "spu"},
  [90] = {"chmod", sys_chmod, "so"},
  [91] = {"fchmod", sys_fchmod, "do"},
  [92] = {"chown", sys_chown, "sdd"},
  [93] = {"fchown", sys_fchown, "ddd"},
  [94] = {"lchown", sys_lchown, "sdd"},
  [95] = {"umask", sys_umask, "o"},
  [96] = {"gettimeofday", sys_gettimeofday, "pp"},
  [97] = {"getrlimit", sys_getrlimit, "dp"},
  [98] = {"getrusage", sys_getrusage, "dp"},
  [99] = {"sysinfo", sys_sysinfo, "p"},
  [100] = {"times", sys_times, "p"},
  [102] = {"getuid", sys_getuid, ""},
  [104] = {"getgid", sys_getgid, ""},
  [105] = {"setuid", sys_setuid, "d"},
  [106] = {"setgid", sys_setuid, "d"},
  [107] = {"geteuid", sys_getuid, ""},
  [108] = {"getegid", sys_getgid, ""},
  [109] = {"setpgid", sys_setpgid, "dd"},
  [110] = {"getppid", sys_getppid, ""},
  [111] = {"getpgrp", sys_getpgrp, ""},
  [112] = {"setsid", sys_setsid, ""},
  [115] = {"getgroups", sys_getgroups, "dp"},
  [121] = {"getpgid", sys_getpgid, "d"},
  [124] = {"getsid", sys_getsid, "d"},
  [127] = {"rt_sigpending", sys_rt_sigpending, "pu"},
  [128] = {"rt_sigtimedwait", sys_rt_sigtimedwait, "pppu"},
  [130] = {"rt_sigsuspend", sys_rt_sigsuspend, "pu"},
  [132] = {"utime", sys_utime, "sp"},
  [131] = {"sigaltstack", sys_sigaltstack, "pp"},
  [133] = {"mknod", sys_mknod, "sox"},
  [137] = {"statfs", sys_statfs, "sp"},
  [138] = {"fstatfs", sys_fstatfs, "dp"},
  [157] = {"prctl", sys_prctl, "dxxxx"},
  [158] = {"arch_prctl", sys_arch_prctl, "xp"},
  [160] = {"setrlimit", sys_setrlimit, "dp"},
  [186] = {"gettid", sys_gettid, ""},
  [200] = {"tkill", sys_tkill, "dS"},
  [201] = {"time", sys_time, "p"},
  [191] = {"getxattr", sys_getxattr, "sspu"},
  [192] = {"lgetxattr", sys_lgetxattr, "sspu"},
  [193] = {"fgetxattr", sys_fgetxattr, "dspu"},
  [194] = {"listxattr", sys_listxattr, "spu"},
  [195] = {"llistxattr", sys_llistxattr, "spu"},
  [196] = {"flistxattr", sys_flistxattr, "dpu"},
  [202] = {"futex", sys_futex, "pdxpxx"},
  [204] = {"sched_getaffinity", sys_sched_getaffinity, "dup"},
  [213] = {"epoll_create", sys_epoll_create, "d"},
  [217] = {"getdents64", sys_getdents64, "dpu"},
  [218] = {"set_tid_address", sys_set_tid_address, "p"},
  [221] = {"fadvise64", sys_fadvise64, "dlld"},
  [228] = {"clock_gettime", sys_clock_gettime, "dp"},
  [229] = {"clock_getres", sys_clock_getres, "dp"},
  [230] = {"clock_nanosleep", sys_clock_nanosleep, "dxpp"},
  [231] = {"exit_group", sys_exit_group, "d"},
  [232] = {"epoll_wait", sys_epoll_wait, "dpdd"},
  [233] = {"epoll_ctl", sys_epoll_ctl, "dddp"},
  [234] = {"tgkill", sys_tgkill, "ddS"},
  [235] = {"utimes", sys_utimes, "sp"},
  [247] = {"waitid", sys_waitid, "ddpxp"},
  [257] = {"openat", sys_openat, "DsOo"},
  [258] = {"mkdirat", sys_mkdirat, "Dso"},
  [259] = {"mknodat", sys_mknodat, "Dsox"},
  [260] = {"fchownat", sys_fchownat, "Dsddx"},
  [261] = {"futimesat", sys_futimesat, "Dsp"},
  [262] = {"newfstatat", sys_newfstatat, "Dspx"},
  [263] = {"unlinkat", sys_unlinkat, "Dsx"},
  [264] = {"renameat", sys_renameat, "DsDs"},
  [265] = {"linkat", sys_linkat, "DsDsx"},
  [266] = {"symlinkat", sys_symlinkat, "sDs"},
  [267] = {"readlinkat", sys_readlinkat, "Dspu"},
  [268] = {"fchmodat", sys_fchmodat, "Dso"},
  [269] = {"faccessat", sys_faccessat, "Dso"},
  [270] = {"pselect6", sys_pselect6, "dppppp"},
  [271] = {"ppoll", sys_ppoll, "pdpp"},
  [272] = {"unshare", NULL, "x"},
  [273] = {"set_robust_list", sys_set_robust_list, "pu"},
  [274] = {"get_robust_list", sys_get_robust_list, "dpp"},
  [281] = {"epoll_pwait", sys_epoll_pwait, "dpddpu"},
  [283] = {"timerfd_create", sys_timerfd_create, "dx"},
  [284] = {"eventfd", sys_eventfd, "u"},
  [286] = {"timerfd_settime", sys_timerfd_settime, "dxpp"},
  [287] = {"timerfd_gettime", sys_timerfd_gettime, "dp"},
  [288] = {"accept4", sys_sockfd, "dppx"},
  [290] = {"eventfd2", sys_eventfd2, "ux"},
  [291] = {"epoll_create1", sys_epoll_create1, "x"},
  [280] = {"utimensat", sys_utimensat, "Dspx"},
  [292] = {"dup3", sys_dup3, "ddx"},
  [293] = {"pipe2", sys_pipe2, "px"},
  [299] = {"recvmmsg", sys_sockfd, "dpuxp"},
  [302] = {"prlimit64", sys_prlimit64, "ddpp"},
  [307] = {"sendmmsg", sys_sockfd, "dpux"},
  [316] = {"renameat2", sys_renameat2, "DsDsx"},
  [318] = {"getrandom", sys_getrandom, "pux"},
  [332] = {"statx", sys_statx, "Dsxxp"},
  [334] = {"rseq", sys_rseq, "pudx"},
  [326] = {"copy_file_range", sys_copy_file_range, "dpdpux"},
  [322] = {"execveat", sys_execveat, "Dsppx"},
  [435] = {"clone3", sys_clone3, "pu"},
  [436] = {"close_range", sys_close_range, "uux"},
  [439] = {"faccessat2", sys_faccessat2, "Dsox"},
  [441] = {"epoll_pwait2", sys_epoll_pwait2, "dpdppu"},
};
#define NSYSCALLS ((int)(sizeof(table) / sizeof(table[0])))

const char *syscall_name(int nr) {
  if (nr >= 0 && nr < NSYSCALLS && table[nr].name) return table[nr].name;
  return "?";
}

const char *syscall_fmt(int nr, int *ret_hex) {
  if (nr >= 0 && nr < NSYSCALLS && table[nr].name) {
    *ret_hex = table[nr].ret_hex;
    return table[nr].fmt;
  }
  *ret_hex = 0;
  return "xxxxxx";
}

static void log_missing(struct task *t, uint64_t nr) {
  // Logged once per number: a program probing for a syscall in a loop must
  // not flood the log.
  if (nr < sizeof(kern.missing_logged) * 8) {
    if (kern.missing_logged[nr / 8] & (1u << (nr % 8))) return;
    kern.missing_logged[nr / 8] |= (uint8_t)(1u << (nr % 8));
  }
  kernel_log("missing syscall %llu (%s) pid %d comm %s", (unsigned long long)nr, syscall_name((int)nr),
             t->proc->pid, t->proc->comm);
}

// syscall(2), x86-64: number in rax; arguments rdi, rsi, rdx, r10, r8, r9;
// result in rax. The `syscall` instruction leaves the return address in rcx
// and rflags in r11 (Intel SDM vol. 2B, SYSCALL), and Linux keeps them so.
void syscall_dispatch(struct task *t) {
  struct cpu *c = &t->cpu;
  uint64_t nr = c->r[RAX];
  uint64_t a[6] = {c->r[RDI], c->r[RSI], c->r[RDX], c->r[R10], c->r[R8], c->r[R9]};
  c->r[RCX] = c->rip;
  c->r[R11] = cpu_get_flags(c);
  const struct syscall_def *d = nr < (uint64_t)NSYSCALLS ? &table[nr] : NULL;
  int64_t ret;
  t->restart = 0; // a blocked call running again
  kern.block_chan = NULL;
  if (!d || !d->fn) {
    log_missing(t, nr);
    ret = -LINUX_ENOSYS;
  } else {
    if (kern.strace && (d->fn == sys_exit || d->fn == sys_exit_group)) strace_line(t, (int)nr, a, 0x7fffffff);
    ret = d->fn(t, a);
  }
  if (ret == KERNEL_RET_REGS) { // rt_sigreturn restored every register
    if (kern.strace && t->state != TASK_DEAD) strace_line(t, (int)nr, a, (int64_t)c->r[RAX]);
    return;
  }
  if ((ret == -LINUX_ERESTARTSYS || ret == -KERNEL_ERESTARTNOHAND) && t->state != TASK_DEAD) {
    // Nothing to do yet: park the task on what will wake it and re-execute
    // the syscall instruction (2 bytes, 0f 05) then. A signal handler ends
    // the wait with EINTR or restarts it (signal.c).
    t->state = TASK_BLOCKED;
    t->wait_chan = kern.block_chan;
    kern.block_chan = NULL;
    t->restart = ret == -LINUX_ERESTARTSYS ? 1 : 2;
    c->rip -= 2;
    c->r[RAX] = nr;
    if (t->deadline) kernel_arm(t->deadline);
    // A signal already deliverable ends the sleep at once (sigsuspend with
    // a pending signal, a signal sent to itself before blocking).
    if (signal_ready(t)) t->state = TASK_RUNNABLE;
    return;
  }
  kern.block_chan = NULL;
  t->deadline = 0;
  t->sleep_rem = 0;
  if (t->has_saved_mask) { // ppoll/pselect6's temporary mask ends with the call
    t->sigmask = t->saved_mask;
    t->has_saved_mask = 0;
  }
  if (t->state == TASK_DEAD) return;
  c->r[RAX] = (uint64_t)ret;
  if (kern.strace) strace_line(t, (int)nr, a, ret);
}
