// SPDX-License-Identifier: MIT
// The guest's ABI: Linux x86-64 errno numbers, flags and struct layouts under
// names that cannot collide with the host's headers (wasi-libc's ENOSYS is 52,
// Linux's is 38). Nothing here may include <errno.h> or <fcntl.h> values; every
// struct the guest sees has its size and key offsets asserted.
#ifndef XOS_LINUX_H
#define XOS_LINUX_H

#include <stddef.h>
#include <stdint.h>

// errno (include/uapi/asm-generic/errno-base.h, errno.h).
#define LINUX_EPERM 1
#define LINUX_ENOENT 2
#define LINUX_ESRCH 3
#define LINUX_EINTR 4
#define LINUX_EIO 5
#define LINUX_ENXIO 6
#define LINUX_E2BIG 7
#define LINUX_ENOEXEC 8
#define LINUX_EBADF 9
#define LINUX_ECHILD 10
#define LINUX_EAGAIN 11
#define LINUX_ENOMEM 12
#define LINUX_EACCES 13
#define LINUX_EFAULT 14
#define LINUX_EBUSY 16
#define LINUX_EEXIST 17
#define LINUX_EXDEV 18
#define LINUX_ENODEV 19
#define LINUX_ENOTDIR 20
#define LINUX_EISDIR 21
#define LINUX_EINVAL 22
#define LINUX_ENFILE 23
#define LINUX_EMFILE 24
#define LINUX_ENOTTY 25
#define LINUX_EFBIG 27
#define LINUX_ENOSPC 28
#define LINUX_ESPIPE 29
#define LINUX_EROFS 30
#define LINUX_EMLINK 31
#define LINUX_EPIPE 32
#define LINUX_ERANGE 34
#define LINUX_ENAMETOOLONG 36
#define LINUX_ENOSYS 38
#define LINUX_ENODATA 61
#define LINUX_ENOTEMPTY 39
#define LINUX_ELOOP 40
#define LINUX_EOVERFLOW 75
#define LINUX_EOPNOTSUPP 95
#define LINUX_ETIMEDOUT 110
// Kernel-internal: the call must block and be restarted (never reaches the
// guest; the dispatcher rewinds rip to the syscall instruction).
#define LINUX_ERESTARTSYS 512

// open(2) flags, octal as in include/uapi/asm-generic/fcntl.h.
#define LINUX_O_ACCMODE 03
#define LINUX_O_RDONLY 00
#define LINUX_O_WRONLY 01
#define LINUX_O_RDWR 02
#define LINUX_O_CREAT 0100
#define LINUX_O_EXCL 0200
#define LINUX_O_NOCTTY 0400
#define LINUX_O_TRUNC 01000
#define LINUX_O_APPEND 02000
#define LINUX_O_NONBLOCK 04000
#define LINUX_O_DSYNC 010000
#define LINUX_O_DIRECT 040000
#define LINUX_O_LARGEFILE 0100000
#define LINUX_O_DIRECTORY 0200000
#define LINUX_O_NOFOLLOW 0400000
#define LINUX_O_NOATIME 01000000
#define LINUX_O_CLOEXEC 02000000
#define LINUX_O_PATH 010000000
#define LINUX_O_TMPFILE 020000000

#define LINUX_AT_FDCWD (-100)
#define LINUX_AT_SYMLINK_NOFOLLOW 0x100
#define LINUX_AT_REMOVEDIR 0x200
#define LINUX_AT_EACCESS 0x200
#define LINUX_AT_SYMLINK_FOLLOW 0x400
#define LINUX_AT_NO_AUTOMOUNT 0x800
#define LINUX_AT_EMPTY_PATH 0x1000
#define LINUX_RENAME_NOREPLACE 1
#define LINUX_RENAME_EXCHANGE 2

#define LINUX_F_DUPFD 0
#define LINUX_F_GETFD 1
#define LINUX_F_SETFD 2
#define LINUX_F_GETFL 3
#define LINUX_F_SETFL 4
#define LINUX_F_DUPFD_CLOEXEC 1030
#define LINUX_FD_CLOEXEC 1

#define LINUX_SEEK_SET 0
#define LINUX_SEEK_CUR 1
#define LINUX_SEEK_END 2

// st_mode type bits (inode(7)).
#define LINUX_S_IFMT 0170000
#define LINUX_S_IFSOCK 0140000
#define LINUX_S_IFLNK 0120000
#define LINUX_S_IFREG 0100000
#define LINUX_S_IFBLK 0060000
#define LINUX_S_IFDIR 0040000
#define LINUX_S_IFCHR 0020000
#define LINUX_S_IFIFO 0010000
#define LINUX_S_ISDIR(m) (((m) & LINUX_S_IFMT) == LINUX_S_IFDIR)
#define LINUX_S_ISFIFO(m) (((m) & LINUX_S_IFMT) == LINUX_S_IFIFO)
#define LINUX_S_ISLNK(m) (((m) & LINUX_S_IFMT) == LINUX_S_IFLNK)
#define LINUX_S_ISREG(m) (((m) & LINUX_S_IFMT) == LINUX_S_IFREG)

// d_type values (getdents64(2)).
#define LINUX_DT_UNKNOWN 0
#define LINUX_DT_FIFO 1
#define LINUX_DT_CHR 2
#define LINUX_DT_DIR 4
#define LINUX_DT_BLK 6
#define LINUX_DT_REG 8
#define LINUX_DT_LNK 10
#define LINUX_DT_SOCK 12

// mmap(2).
#define LINUX_PROT_READ 1
#define LINUX_PROT_WRITE 2
#define LINUX_PROT_EXEC 4
#define LINUX_MAP_SHARED 0x01
#define LINUX_MAP_PRIVATE 0x02
#define LINUX_MAP_SHARED_VALIDATE 0x03
#define LINUX_MAP_TYPE 0x0f
#define LINUX_MAP_FIXED 0x10
#define LINUX_MAP_ANONYMOUS 0x20
#define LINUX_MAP_32BIT 0x40
#define LINUX_MAP_GROWSDOWN 0x100
#define LINUX_MAP_NORESERVE 0x4000
#define LINUX_MAP_POPULATE 0x8000
#define LINUX_MAP_STACK 0x20000
#define LINUX_MAP_FIXED_NOREPLACE 0x100000

// ioctl(2) requests on ttys (ioctl_tty(2)).
#define LINUX_TCGETS 0x5401
#define LINUX_TCSETS 0x5402
#define LINUX_TCSETSW 0x5403
#define LINUX_TCSETSF 0x5404
#define LINUX_TIOCGPGRP 0x540F
#define LINUX_TIOCSPGRP 0x5410
#define LINUX_TIOCGWINSZ 0x5413
#define LINUX_TIOCSWINSZ 0x5414
#define LINUX_FIONREAD 0x541B
#define LINUX_FIONBIO 0x5421

// arch_prctl(2).
#define LINUX_ARCH_SET_GS 0x1001
#define LINUX_ARCH_SET_FS 0x1002
#define LINUX_ARCH_GET_FS 0x1003
#define LINUX_ARCH_GET_GS 0x1004

// futex(2) operations (low bits; FUTEX_PRIVATE_FLAG 128 masked off).
#define LINUX_FUTEX_WAIT 0
#define LINUX_FUTEX_WAKE 1
#define LINUX_FUTEX_WAIT_BITSET 9
#define LINUX_FUTEX_WAKE_BITSET 10
#define LINUX_FUTEX_CMD_MASK 0x7f

// poll(2).
#define LINUX_POLLIN 0x001
#define LINUX_POLLPRI 0x002
#define LINUX_POLLOUT 0x004
#define LINUX_POLLERR 0x008
#define LINUX_POLLHUP 0x010
#define LINUX_POLLNVAL 0x020

// Signals (signal(7), x86-64 numbers).
#define LINUX_SIGHUP 1
#define LINUX_SIGINT 2
#define LINUX_SIGQUIT 3
#define LINUX_SIGILL 4
#define LINUX_SIGTRAP 5
#define LINUX_SIGABRT 6
#define LINUX_SIGBUS 7
#define LINUX_SIGFPE 8
#define LINUX_SIGKILL 9
#define LINUX_SIGUSR1 10
#define LINUX_SIGSEGV 11
#define LINUX_SIGUSR2 12
#define LINUX_SIGPIPE 13
#define LINUX_SIGALRM 14
#define LINUX_SIGTERM 15
#define LINUX_SIGCHLD 17
#define LINUX_SIGCONT 18
#define LINUX_SIGSTOP 19
#define LINUX_SIGTSTP 20
#define LINUX_SIGURG 23
#define LINUX_SIGWINCH 28
#define LINUX_NSIG 64
#define LINUX_SIG_DFL 0
#define LINUX_SIG_IGN 1
#define LINUX_SIG_BLOCK 0
#define LINUX_SIG_UNBLOCK 1
#define LINUX_SIG_SETMASK 2

// clock ids (clock_gettime(2)).
#define LINUX_CLOCK_REALTIME 0
#define LINUX_CLOCK_MONOTONIC 1
#define LINUX_CLOCK_PROCESS_CPUTIME_ID 2
#define LINUX_CLOCK_THREAD_CPUTIME_ID 3
#define LINUX_CLOCK_MONOTONIC_RAW 4
#define LINUX_CLOCK_REALTIME_COARSE 5
#define LINUX_CLOCK_MONOTONIC_COARSE 6
#define LINUX_CLOCK_BOOTTIME 7

// Auxiliary vector keys (include/uapi/linux/auxvec.h).
#define LINUX_AT_NULL 0
#define LINUX_AT_PHDR 3
#define LINUX_AT_PHENT 4
#define LINUX_AT_PHNUM 5
#define LINUX_AT_PAGESZ 6
#define LINUX_AT_BASE 7
#define LINUX_AT_FLAGS 8
#define LINUX_AT_ENTRY 9
#define LINUX_AT_UID 11
#define LINUX_AT_EUID 12
#define LINUX_AT_GID 13
#define LINUX_AT_EGID 14
#define LINUX_AT_PLATFORM 15
#define LINUX_AT_HWCAP 16
#define LINUX_AT_CLKTCK 17
#define LINUX_AT_SECURE 23
#define LINUX_AT_RANDOM 25
#define LINUX_AT_HWCAP2 26
#define LINUX_AT_EXECFN 31
#define LINUX_AT_MINSIGSTKSZ 51

#define LINUX_STATX_BASIC_STATS 0x7ffu
#define LINUX_STATX_BTIME 0x800u

// struct stat as x86-64 newfstatat/fstat fill it (arch/x86/include/uapi/asm/stat.h).
struct stat_linux {
  uint64_t st_dev;
  uint64_t st_ino;
  uint64_t st_nlink;
  uint32_t st_mode;
  uint32_t st_uid;
  uint32_t st_gid;
  uint32_t pad0;
  uint64_t st_rdev;
  int64_t st_size;
  int64_t st_blksize;
  int64_t st_blocks;
  uint64_t st_atime_sec, st_atime_nsec;
  uint64_t st_mtime_sec, st_mtime_nsec;
  uint64_t st_ctime_sec, st_ctime_nsec;
  int64_t unused[3];
};
_Static_assert(sizeof(struct stat_linux) == 144, "stat_linux size");
_Static_assert(offsetof(struct stat_linux, st_mode) == 24, "st_mode offset");
_Static_assert(offsetof(struct stat_linux, st_size) == 48, "st_size offset");
_Static_assert(offsetof(struct stat_linux, st_mtime_sec) == 88, "st_mtime offset");

struct statx_timestamp_linux {
  int64_t tv_sec;
  uint32_t tv_nsec;
  int32_t reserved;
};
struct statx_linux {
  uint32_t stx_mask;
  uint32_t stx_blksize;
  uint64_t stx_attributes;
  uint32_t stx_nlink;
  uint32_t stx_uid;
  uint32_t stx_gid;
  uint16_t stx_mode;
  uint16_t spare0;
  uint64_t stx_ino;
  uint64_t stx_size;
  uint64_t stx_blocks;
  uint64_t stx_attributes_mask;
  struct statx_timestamp_linux stx_atime, stx_btime, stx_ctime, stx_mtime;
  uint32_t stx_rdev_major, stx_rdev_minor;
  uint32_t stx_dev_major, stx_dev_minor;
  uint64_t spare2[14];
};
_Static_assert(sizeof(struct statx_linux) == 256, "statx size");
_Static_assert(offsetof(struct statx_linux, stx_ino) == 32, "stx_ino offset");
_Static_assert(offsetof(struct statx_linux, stx_atime) == 64, "stx_atime offset");
_Static_assert(offsetof(struct statx_linux, stx_rdev_major) == 128, "stx_rdev offset");

// getdents64(2): a record is this header, the name, a NUL, padded to 8.
struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  uint16_t d_reclen;
  uint8_t d_type;
  char d_name[];
};
_Static_assert(offsetof(struct linux_dirent64, d_name) == 19, "dirent64 name offset");

// The kernel's struct termios (TCGETS), not glibc's larger one.
struct termios_linux {
  uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
  uint8_t c_line;
  uint8_t c_cc[19];
};
_Static_assert(sizeof(struct termios_linux) == 36, "termios size");

struct winsize_linux {
  uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};
_Static_assert(sizeof(struct winsize_linux) == 8, "winsize size");

struct timespec_linux {
  int64_t tv_sec;
  int64_t tv_nsec;
};
_Static_assert(sizeof(struct timespec_linux) == 16, "timespec size");

struct timeval_linux {
  int64_t tv_sec;
  int64_t tv_usec;
};
_Static_assert(sizeof(struct timeval_linux) == 16, "timeval size");

struct utsname_linux {
  char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};
_Static_assert(sizeof(struct utsname_linux) == 390, "utsname size");

struct rlimit_linux {
  uint64_t rlim_cur, rlim_max;
};
_Static_assert(sizeof(struct rlimit_linux) == 16, "rlimit size");
#define LINUX_RLIM_INFINITY (~(uint64_t)0)
#define LINUX_RLIMIT_STACK 3
#define LINUX_RLIMIT_NOFILE 7
#define LINUX_RLIM_NLIMITS 16

struct sysinfo_linux {
  int64_t uptime;
  uint64_t loads[3];
  uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
  uint16_t procs, pad;
  uint32_t pad2;
  uint64_t totalhigh, freehigh;
  uint32_t mem_unit;
  uint32_t pad3;
};
_Static_assert(sizeof(struct sysinfo_linux) == 112, "sysinfo size");
_Static_assert(offsetof(struct sysinfo_linux, procs) == 80, "sysinfo procs offset");

// rt_sigaction(2)'s kernel struct (not glibc's): handler, flags, restorer, mask.
struct sigaction_linux {
  uint64_t handler;
  uint64_t flags;
  uint64_t restorer;
  uint64_t mask;
};
_Static_assert(sizeof(struct sigaction_linux) == 32, "sigaction size");

struct stack_t_linux {
  uint64_t ss_sp;
  int32_t ss_flags;
  int32_t pad;
  uint64_t ss_size;
};
_Static_assert(sizeof(struct stack_t_linux) == 24, "stack_t size");

struct iovec_linux {
  uint64_t iov_base;
  uint64_t iov_len;
};
_Static_assert(sizeof(struct iovec_linux) == 16, "iovec size");

struct pollfd_linux {
  int32_t fd;
  int16_t events, revents;
};
_Static_assert(sizeof(struct pollfd_linux) == 8, "pollfd size");

// statfs(2) as x86-64 fills it.
struct statfs_linux {
  int64_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
  int32_t f_fsid[2];
  int64_t f_namelen, f_frsize, f_flags;
  int64_t f_spare[4];
};
_Static_assert(sizeof(struct statfs_linux) == 120, "statfs size");

#define LINUX_PATH_MAX 4096
#define LINUX_NAME_MAX 255
#define LINUX_MAXSYMLINKS 40

#endif
