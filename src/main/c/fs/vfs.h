// SPDX-License-Identifier: MIT
// The virtual file system: mounts, open-file descriptions and the two ops
// tables every backend fills (fs_ops for names, file_ops for open files).
// Paths reaching a backend are relative to its mount, canonical (no ".", "..",
// empty or symlinked components: fs/path.c resolved them) and "" for the root.
// Per-kind state lives behind file->priv; this header knows no backend.
#ifndef XOS_VFS_H
#define XOS_VFS_H

#include <stddef.h>
#include <stdint.h>

#include "../kernel/linux.h"

struct mm;
struct file;
struct mount;

// One directory entry as backends report it.
struct vfs_dirent {
  int next;     // position to ask for after this entry (0: idx + 1)
  uint64_t ino;
  uint8_t type; // LINUX_DT_*
  char name[LINUX_NAME_MAX + 1];
};

struct file_ops {
  // Positional I/O; stream files (console, /dev/zero) ignore off. Return
  // bytes or -LINUX_E*; -LINUX_ERESTARTSYS means "no data yet, block".
  long (*pread)(struct file *f, void *buf, size_t n, int64_t off);
  long (*pwrite)(struct file *f, const void *buf, size_t n, int64_t off);
  int (*fstat)(struct file *f, struct stat_linux *st);
  // The entry at position idx of a directory: 1 filled, 0 end, <0 error.
  // Positions need not be dense (de->next says where the next one is), so
  // a backend can keep them stable under deletion. Backends may skip "."
  // and ".." (the VFS adds them).
  int (*readdir)(struct file *f, int idx, struct vfs_dirent *de);
  // ioctl(2); arg is a guest address read and written through mm.
  long (*ioctl)(struct file *f, uint32_t req, uint64_t arg, struct mm *mm);
  // Readiness for poll(2): LINUX_POLLIN/POLLOUT/POLLHUP bits.
  int (*poll)(struct file *f);
  int (*truncate)(struct file *f, uint64_t len);
  void (*release)(struct file *f); // last reference dropped
  int stream; // 1: not seekable (lseek gives ESPIPE), offsets ignored
};

struct fs_ops {
  const char *name;
  // Opens an existing object (the VFS already checked existence, type and
  // O_EXCL) or creates a regular file when LINUX_O_CREAT is set and the name
  // does not exist. Fills f->ops and f->priv.
  int (*open)(struct mount *m, const char *rel, int flags, int mode, struct file *f);
  int (*stat)(struct mount *m, const char *rel, struct stat_linux *st); // lstat semantics
  int (*readlink)(struct mount *m, const char *rel, char *buf, size_t n);
  int (*mkdir)(struct mount *m, const char *rel, int mode);
  int (*rmdir)(struct mount *m, const char *rel);
  int (*unlink)(struct mount *m, const char *rel);
  int (*rename)(struct mount *m, const char *from, const char *to);
  int (*symlink)(struct mount *m, const char *target, const char *rel);
  int (*chmod)(struct mount *m, const char *rel, int mode);
  // Ownership and times (lstat semantics: symlinks themselves). uid/gid -1
  // keep the old value; times in ns since the epoch, -1 keeps the old one.
  // Backends without them (hostfs) accept and ignore: see kernel/README.md.
  int (*chown)(struct mount *m, const char *rel, int64_t uid, int64_t gid);
  int (*utimens)(struct mount *m, const char *rel, int64_t atime_ns, int64_t mtime_ns);
};

#define VFS_MAX_MOUNTS 32

struct mount {
  char path[LINUX_PATH_MAX]; // canonical guest path of the mount point
  size_t pathlen;
  const struct fs_ops *ops;
  int host_id;  // hostfs: the host's mount id
  int readonly; // writes give EROFS
  uint64_t dev; // st_dev of everything below
  void *data;   // backend state (tmpfs root node)
};

// An open-file description (open(2) "open file description"): shared by
// dup'd descriptors and, in issue 3, across fork.
struct file {
  int refs;
  const struct file_ops *ops;
  struct mount *mnt; // NULL for files outside the tree (console)
  uint32_t flags;    // LINUX_O_ACCMODE, O_APPEND, O_NONBLOCK, O_PATH... (no O_CLOEXEC)
  uint32_t mode;     // LINUX_S_IF* type bits at open
  int64_t pos;       // file offset; changed by read/write/lseek
  int dir_index;     // next getdents entry
  char *path;        // canonical guest path (malloc'd; fchdir, *at dirfds)
  void *priv;        // backend-owned
  int64_t handle;    // backend-owned (host file handle, console fd...)
};

// Mount table. The first mount must be "/".
struct mount *vfs_mount(const char *path, const struct fs_ops *ops, int host_id, int readonly, void *data);
// The mount holding canonical path abs; *rel receives the backend path.
struct mount *vfs_find_mount(const char *abs, const char **rel);
// Drops every mount (and frees tmpfs trees): a fresh machine.
void vfs_reset(void);

// Name operations on canonical absolute paths (fs/path.c makes them).
int vfs_lstat(const char *abs, struct stat_linux *st);
int vfs_readlink(const char *abs, char *buf, size_t n);
// open(2) semantics after resolution: existence, O_CREAT/O_EXCL, O_DIRECTORY,
// EISDIR, O_TRUNC. Returns a new file with refs 1 in *out.
int vfs_open(const char *abs, int flags, int mode, struct file **out);
int vfs_mkdir(const char *abs, int mode);
int vfs_rmdir(const char *abs);
int vfs_unlink(const char *abs);
int vfs_rename(const char *from, const char *to, int flags);
int vfs_symlink(const char *target, const char *abs);
int vfs_chmod(const char *abs, int mode);
int vfs_chown(const char *abs, int64_t uid, int64_t gid);
int vfs_utimens(const char *abs, int64_t atime_ns, int64_t mtime_ns);

struct file *file_new(const struct file_ops *ops, uint32_t flags, uint32_t mode);
struct file *file_get(struct file *f);
void file_put(struct file *f);
// Reads/writes through f at its offset (advancing it) or at off (pread).
long file_read(struct file *f, void *buf, size_t n);
long file_write(struct file *f, const void *buf, size_t n);

// Backends.
extern const struct fs_ops tmpfs_ops;
extern const struct fs_ops hostfs_ops;
extern const struct fs_ops devfs_ops;
void *tmpfs_new(void);
void tmpfs_free(void *data);
// Creates a regular file at rel under a tmpfs mount with the given bytes
// (xos_write_file). Missing parent directories are created.
int tmpfs_write_file(struct mount *m, const char *rel, const void *data, size_t n, int mode);
int tmpfs_mkdir_p(struct mount *m, const char *rel, int mode);

// The console: fd 0/1/2 of the first process (fs/console.c).
struct file *console_open(int fd, uint32_t flags);
void console_stdin_push(const void *buf, size_t n);
void console_stdin_close(void);
void console_reset(void); // empty input, default termios (xos_init)
int console_stdin_ready(void); // data buffered or EOF
extern int32_t console_pgrp;
// Which of the console's fds 0, 1, 2 are terminals (bit fd); default none.
void console_set_tty(int mask); // foreground process group (TIOCGPGRP), set by the kernel
extern const struct file_ops console_file_ops;
// The terminal was resized (xos_set_winsize): SIGWINCH to the foreground group.
void console_set_winsize(int rows, int cols);

// Sleeping and waking (kernel/task.c). A backend about to return
// -LINUX_ERESTARTSYS names what will wake the caller (any stable address,
// e.g. its own state); when that changes it calls sched_wake. Without a
// sched_block_on the caller waits for host input.
void sched_block_on(const void *chan);
void sched_wake(const void *chan);

// Sends sig to every process of group pgid (kernel/signal.c): tty signals.
void kernel_signal_pgrp(int pgid, int sig);

// Pipes (fs/pipe.c): a connected read end and write end, refs 1 each.
int pipe_new(struct file **rd, struct file **wr);

// Fills a stat with defaults for synthetic objects (devfs, console).
void vfs_stat_synth(struct stat_linux *st, uint32_t mode, uint64_t ino, uint64_t rdev);
void vfs_clock_stat(struct stat_linux *st);

// Path resolution (fs/path.c). base is the canonical directory relative
// paths start from. follow_last: resolve a symlink in the last component.
// On success out holds the canonical path (the last component may not
// exist); errors: ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG.
int path_resolve(const char *base, const char *path, int follow_last, char *out);
// Joins and canonicalises lexically (no symlinks): used for symlink targets.
int path_dirname(const char *abs, char *out);
// Canonicalises an absolute path lexically ("." and ".." by name, no
// lookups): for names the host gives (mount points, xos_write_file).
int path_normalize(const char *in, char *out);

#endif
