// SPDX-License-Identifier: MIT
// Syscalls that name files: open(at), creat, the stat family, statx,
// getdents64, readlink(at), access family, getcwd, chdir, fchdir, mkdir(at),
// rmdir, unlink(at), rename(at/at2), symlink(at), chmod/chown families,
// truncate, utimensat, umask. Turns guest paths into canonical paths (dirfd
// semantics of openat(2)) and calls the VFS; owns no file state.
#include <stdlib.h>
#include <string.h>

#include "../host/host.h"
#include "../util/fmt.h"
#include "kernel.h"
#include "syscalls.h"

int user_path(struct task *t, uint64_t addr, char *buf) {
  long n = mm_read_str(t->proc->mm, buf, addr, LINUX_PATH_MAX);
  if (n == -1) return -LINUX_EFAULT;
  if (n == -2) return -LINUX_ENAMETOOLONG;
  return 0;
}

int at_resolve(struct proc *p, int dirfd, const char *path, int follow, char *out) {
  const char *base = p->cwd;
  if (path[0] != '/' && dirfd != LINUX_AT_FDCWD) {
    struct file *f = fd_get(p, dirfd);
    if (!f) return -LINUX_EBADF;
    if (!LINUX_S_ISDIR(f->mode) || !f->path) return -LINUX_ENOTDIR;
    base = f->path;
  }
  return path_resolve(base, path, follow, out);
}

// Reads the guest path at addr and resolves it relative to dirfd.
static int get_path(struct task *t, int dirfd, uint64_t addr, int follow, char *out) {
  char path[LINUX_PATH_MAX];
  int rc = user_path(t, addr, path);
  if (rc) return rc;
  return at_resolve(t->proc, dirfd, path, follow, out);
}

// /dev/stdin, /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N name
// the caller's own descriptors (matched by name until procfs exists: under a
// host passthrough root they would lead to the emulator's own fds). The
// open shares the descriptor's open file description (Linux opens the
// object again; for pipes and ttys that is the same thing). -1: not such
// a name.
static int own_fd_path(const char *path) {
  if (strcmp(path, "/dev/stdin") == 0) return 0;
  if (strcmp(path, "/dev/stdout") == 0) return 1;
  if (strcmp(path, "/dev/stderr") == 0) return 2;
  const char *n;
  if (strncmp(path, "/dev/fd/", 8) == 0) n = path + 8;
  else if (strncmp(path, "/proc/self/fd/", 14) == 0) n = path + 14;
  else return -1;
  int v = 0;
  if (!*n) return -1;
  for (; *n; n++) {
    if (*n < '0' || *n > '9' || v > KERNEL_FD_MAX) return -1;
    v = v * 10 + (*n - '0');
  }
  return v;
}

static int64_t do_openat(struct task *t, int dirfd, uint64_t upath, int flags, int mode) {
  char path[LINUX_PATH_MAX], abs[LINUX_PATH_MAX];
  int rc = user_path(t, upath, path);
  if (rc) return rc;
  int own = own_fd_path(path);
  if (own >= 0) {
    struct file *f = fd_get(t->proc, own);
    if (!f) return -LINUX_ENOENT;
    return fd_install(t->proc, file_get(f), 0, flags & LINUX_O_CLOEXEC);
  }
  if ((flags & LINUX_O_TMPFILE) == LINUX_O_TMPFILE) return -LINUX_EOPNOTSUPP;
  int follow = !(flags & LINUX_O_NOFOLLOW) && !((flags & LINUX_O_CREAT) && (flags & LINUX_O_EXCL));
  rc = at_resolve(t->proc, dirfd, path, follow, abs);
  if (rc) return rc;
  if (flags & LINUX_O_CREAT) mode = mode & 07777 & ~(int)t->proc->umask;
  struct file *f;
  rc = vfs_open(abs, flags, mode, &f);
  if (rc) return rc;
  f->flags |= LINUX_O_LARGEFILE; // force_o_largefile() on 64-bit
  return fd_install(t->proc, f, 0, flags & LINUX_O_CLOEXEC);
}

int64_t sys_open(struct task *t, const uint64_t *a) { return do_openat(t, LINUX_AT_FDCWD, a[0], (int)a[1], (int)a[2]); }
int64_t sys_openat(struct task *t, const uint64_t *a) { return do_openat(t, (int)a[0], a[1], (int)a[2], (int)a[3]); }
int64_t sys_creat(struct task *t, const uint64_t *a) {
  return do_openat(t, LINUX_AT_FDCWD, a[0], LINUX_O_CREAT | LINUX_O_WRONLY | LINUX_O_TRUNC, (int)a[1]);
}

static int file_stat(struct file *f, struct stat_linux *st) {
  if (f->ops->fstat) return f->ops->fstat(f, st);
  if (f->path) return vfs_lstat(f->path, st);
  return -LINUX_EBADF;
}

// The object a *at call with AT_EMPTY_PATH and "" names: dirfd itself.
static int stat_at(struct task *t, int dirfd, uint64_t upath, int flags, struct stat_linux *st) {
  char path[LINUX_PATH_MAX], abs[LINUX_PATH_MAX];
  int rc = user_path(t, upath, path);
  if (rc) return rc;
  if (!path[0] && (flags & LINUX_AT_EMPTY_PATH)) {
    if (dirfd == LINUX_AT_FDCWD) return vfs_lstat(t->proc->cwd, st);
    struct file *f = fd_get(t->proc, dirfd);
    if (!f) return -LINUX_EBADF;
    return file_stat(f, st);
  }
  rc = at_resolve(t->proc, dirfd, path, !(flags & LINUX_AT_SYMLINK_NOFOLLOW), abs);
  if (rc) return rc;
  return vfs_lstat(abs, st);
}

static long put_stat(struct task *t, uint64_t addr, int rc, const struct stat_linux *st) {
  if (rc) return rc;
  return mm_write(t->proc->mm, addr, st, sizeof(*st)) ? -LINUX_EFAULT : 0;
}

int64_t sys_stat(struct task *t, const uint64_t *a) {
  struct stat_linux st;
  return put_stat(t, a[1], stat_at(t, LINUX_AT_FDCWD, a[0], 0, &st), &st);
}

int64_t sys_lstat(struct task *t, const uint64_t *a) {
  struct stat_linux st;
  return put_stat(t, a[1], stat_at(t, LINUX_AT_FDCWD, a[0], LINUX_AT_SYMLINK_NOFOLLOW, &st), &st);
}

int64_t sys_fstat(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  struct stat_linux st;
  return put_stat(t, a[1], file_stat(f, &st), &st);
}

int64_t sys_newfstatat(struct task *t, const uint64_t *a) {
  int flags = (int)a[3];
  if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH | LINUX_AT_NO_AUTOMOUNT)) return -LINUX_EINVAL;
  struct stat_linux st;
  return put_stat(t, a[2], stat_at(t, (int)a[0], a[1], flags, &st), &st);
}

// statx(2) from the same stat: only the basic fields are known.
int64_t sys_statx(struct task *t, const uint64_t *a) {
  int flags = (int)a[2];
  if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH | LINUX_AT_NO_AUTOMOUNT | 0x6000)) return -LINUX_EINVAL;
  if ((flags & 0x6000) == 0x6000) return -LINUX_EINVAL; // AT_STATX_FORCE_SYNC|DONT_SYNC
  if (a[3] & 0x80000000u) return -LINUX_EINVAL;         // STATX__RESERVED
  struct stat_linux st;
  int rc = stat_at(t, (int)a[0], a[1], flags, &st);
  if (rc) return rc;
  struct statx_linux sx;
  memset(&sx, 0, sizeof(sx));
  sx.stx_mask = LINUX_STATX_BASIC_STATS;
  sx.stx_blksize = (uint32_t)st.st_blksize;
  sx.stx_nlink = (uint32_t)st.st_nlink;
  sx.stx_uid = st.st_uid;
  sx.stx_gid = st.st_gid;
  sx.stx_mode = (uint16_t)st.st_mode;
  sx.stx_ino = st.st_ino;
  sx.stx_size = (uint64_t)st.st_size;
  sx.stx_blocks = (uint64_t)st.st_blocks;
  sx.stx_atime.tv_sec = (int64_t)st.st_atime_sec;
  sx.stx_atime.tv_nsec = (uint32_t)st.st_atime_nsec;
  sx.stx_mtime.tv_sec = (int64_t)st.st_mtime_sec;
  sx.stx_mtime.tv_nsec = (uint32_t)st.st_mtime_nsec;
  sx.stx_ctime.tv_sec = (int64_t)st.st_ctime_sec;
  sx.stx_ctime.tv_nsec = (uint32_t)st.st_ctime_nsec;
  // new_encode_dev's inverse (include/linux/kdev_t.h).
  sx.stx_rdev_major = (uint32_t)((st.st_rdev >> 8) & 0xfff);
  sx.stx_rdev_minor = (uint32_t)((st.st_rdev & 0xff) | ((st.st_rdev >> 12) & 0xfff00));
  sx.stx_dev_major = (uint32_t)((st.st_dev >> 8) & 0xfff);
  sx.stx_dev_minor = (uint32_t)((st.st_dev & 0xff) | ((st.st_dev >> 12) & 0xfff00));
  return mm_write(t->proc->mm, a[4], &sx, sizeof(sx)) ? -LINUX_EFAULT : 0;
}

// getdents64(2). Positions: 0 is ".", 1 is "..", n >= 2 the backend's
// position n - 2 (the backend's own "." and ".." are skipped). d_off is the
// position of the next entry, which lseek(fd, d_off, SEEK_SET) accepts.
int64_t sys_getdents64(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  if (!LINUX_S_ISDIR(f->mode) || !f->ops->readdir) return -LINUX_ENOTDIR;
  size_t cap = a[2] > (1u << 20) ? (1u << 20) : (size_t)a[2];
  uint8_t *buf = malloc(cap ? cap : 1);
  if (!buf) return -LINUX_ENOMEM;
  size_t used = 0;
  struct vfs_dirent de;
  long rc = 0;
  for (;;) {
    int idx = f->dir_index;
    int next_index = idx + 1;
    if (idx < 2) {
      struct stat_linux st;
      char parent[LINUX_PATH_MAX];
      strcpy(de.name, idx == 0 ? "." : "..");
      de.type = LINUX_DT_DIR;
      de.ino = 0;
      if (idx == 0 && file_stat(f, &st) == 0) de.ino = st.st_ino;
      if (idx == 1 && f->path && path_dirname(f->path, parent) == 0 && vfs_lstat(parent, &st) == 0) de.ino = st.st_ino;
    } else {
      de.next = 0;
      int r = f->ops->readdir(f, idx - 2, &de);
      if (r < 0) {
        rc = r;
        break;
      }
      if (r == 0) break;
      int after = de.next > idx - 2 ? de.next + 2 : idx + 1;
      if (strcmp(de.name, ".") == 0 || strcmp(de.name, "..") == 0) {
        f->dir_index = after;
        continue;
      }
      next_index = after;
    }
    size_t namelen = strlen(de.name);
    size_t reclen = (offsetof(struct linux_dirent64, d_name) + namelen + 1 + 7) & ~(size_t)7;
    if (used + reclen > cap) {
      if (!used) rc = -LINUX_EINVAL; // getdents64(2): result buffer is too small
      break;
    }
    struct linux_dirent64 d = {de.ino, (int64_t)next_index, (uint16_t)reclen, de.type};
    memset(buf + used, 0, reclen);
    memcpy(buf + used, &d, offsetof(struct linux_dirent64, d_name));
    memcpy(buf + used + offsetof(struct linux_dirent64, d_name), de.name, namelen);
    used += reclen;
    f->dir_index = next_index;
  }
  if (used && mm_write(t->proc->mm, a[1], buf, used)) rc = -LINUX_EFAULT;
  free(buf);
  f->pos = f->dir_index;
  return rc ? rc : (long)used;
}

static int64_t do_readlinkat(struct task *t, int dirfd, uint64_t upath, uint64_t ubuf, int64_t size) {
  if (size <= 0) return -LINUX_EINVAL;
  char path[LINUX_PATH_MAX], abs[LINUX_PATH_MAX], target[LINUX_PATH_MAX];
  int rc = user_path(t, upath, path);
  if (rc) return rc;
  rc = at_resolve(t->proc, dirfd, path, 0, abs);
  if (rc) return rc;
  struct stat_linux st;
  rc = vfs_lstat(abs, &st);
  if (rc) return rc;
  if (!LINUX_S_ISLNK(st.st_mode)) return -LINUX_EINVAL;
  int n = vfs_readlink(abs, target, sizeof(target));
  if (n < 0) return n;
  if (n > size) n = (int)size;
  return mm_write(t->proc->mm, ubuf, target, (size_t)n) ? -LINUX_EFAULT : n;
}

int64_t sys_readlink(struct task *t, const uint64_t *a) { return do_readlinkat(t, LINUX_AT_FDCWD, a[0], a[1], (int64_t)a[2]); }
int64_t sys_readlinkat(struct task *t, const uint64_t *a) { return do_readlinkat(t, (int)a[0], a[1], a[2], (int64_t)a[3]); }

// access(2) as root: read and write are always allowed (except writing to a
// read-only mount), execute needs an x bit somewhere or a directory.
static int64_t do_access(struct task *t, int dirfd, uint64_t upath, int mode, int flags) {
  if (mode & ~7) return -LINUX_EINVAL;
  if (flags & ~(LINUX_AT_EACCESS | LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH)) return -LINUX_EINVAL;
  struct stat_linux st;
  char abs[LINUX_PATH_MAX];
  char path[LINUX_PATH_MAX];
  int rc = user_path(t, upath, path);
  if (rc) return rc;
  if (!path[0] && (flags & LINUX_AT_EMPTY_PATH)) {
    rc = stat_at(t, dirfd, upath, flags, &st);
    if (rc) return rc;
    strcpy(abs, "/");
  } else {
    rc = at_resolve(t->proc, dirfd, path, !(flags & LINUX_AT_SYMLINK_NOFOLLOW), abs);
    if (rc) return rc;
    rc = vfs_lstat(abs, &st);
    if (rc) return rc;
  }
  if (mode & 2) {
    const char *rel;
    struct mount *m = vfs_find_mount(abs, &rel);
    if (m && m->readonly) return -LINUX_EROFS;
  }
  if ((mode & 1) && !LINUX_S_ISDIR(st.st_mode) && !(st.st_mode & 0111)) return -LINUX_EACCES;
  return 0;
}

int64_t sys_access(struct task *t, const uint64_t *a) { return do_access(t, LINUX_AT_FDCWD, a[0], (int)a[1], 0); }
int64_t sys_faccessat(struct task *t, const uint64_t *a) { return do_access(t, (int)a[0], a[1], (int)a[2], 0); }
int64_t sys_faccessat2(struct task *t, const uint64_t *a) { return do_access(t, (int)a[0], a[1], (int)a[2], (int)a[3]); }

int64_t sys_getcwd(struct task *t, const uint64_t *a) {
  size_t len = strlen(t->proc->cwd) + 1;
  if (a[1] < len) return -LINUX_ERANGE;
  return mm_write(t->proc->mm, a[0], t->proc->cwd, len) ? -LINUX_EFAULT : (long)len;
}

static long set_cwd(struct proc *p, const char *abs) {
  struct stat_linux st;
  int rc = vfs_lstat(abs, &st);
  if (rc) return rc;
  if (!LINUX_S_ISDIR(st.st_mode)) return -LINUX_ENOTDIR;
  char *c = strdup(abs);
  if (!c) return -LINUX_ENOMEM;
  free(p->cwd);
  p->cwd = c;
  return 0;
}

int64_t sys_chdir(struct task *t, const uint64_t *a) {
  char abs[LINUX_PATH_MAX];
  int rc = get_path(t, LINUX_AT_FDCWD, a[0], 1, abs);
  return rc ? rc : set_cwd(t->proc, abs);
}

int64_t sys_fchdir(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  if (!LINUX_S_ISDIR(f->mode) || !f->path) return -LINUX_ENOTDIR;
  return set_cwd(t->proc, f->path);
}

static int64_t do_mkdirat(struct task *t, int dirfd, uint64_t upath, int mode) {
  char abs[LINUX_PATH_MAX];
  int rc = get_path(t, dirfd, upath, 0, abs);
  if (rc) return rc;
  return vfs_mkdir(abs, mode & 07777 & ~(int)t->proc->umask);
}

int64_t sys_mkdir(struct task *t, const uint64_t *a) { return do_mkdirat(t, LINUX_AT_FDCWD, a[0], (int)a[1]); }
int64_t sys_mkdirat(struct task *t, const uint64_t *a) { return do_mkdirat(t, (int)a[0], a[1], (int)a[2]); }

// The last component as the guest wrote it: rmdir(2) refuses "." (EINVAL)
// and ".." (ENOTEMPTY) before resolving.
static const char *last_component(const char *path, char *buf) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  size_t s = n;
  while (s > 0 && path[s - 1] != '/') s--;
  size_t k = n - s > LINUX_NAME_MAX ? LINUX_NAME_MAX : n - s;
  memcpy(buf, path + s, k);
  buf[k] = 0;
  return buf;
}

static int64_t do_rmdir(struct task *t, int dirfd, uint64_t upath) {
  char path[LINUX_PATH_MAX], abs[LINUX_PATH_MAX], name[LINUX_NAME_MAX + 1];
  int rc = user_path(t, upath, path);
  if (rc) return rc;
  const char *last = last_component(path, name);
  if (strcmp(last, ".") == 0) return -LINUX_EINVAL;
  if (strcmp(last, "..") == 0) return -LINUX_ENOTEMPTY;
  rc = at_resolve(t->proc, dirfd, path, 0, abs);
  if (rc) return rc;
  if (strcmp(abs, "/") == 0) return -LINUX_EBUSY;
  return vfs_rmdir(abs);
}

int64_t sys_rmdir(struct task *t, const uint64_t *a) { return do_rmdir(t, LINUX_AT_FDCWD, a[0]); }

static int64_t do_unlink(struct task *t, int dirfd, uint64_t upath) {
  char abs[LINUX_PATH_MAX];
  int rc = get_path(t, dirfd, upath, 0, abs);
  if (rc) return rc;
  return vfs_unlink(abs);
}

int64_t sys_unlink(struct task *t, const uint64_t *a) { return do_unlink(t, LINUX_AT_FDCWD, a[0]); }

int64_t sys_unlinkat(struct task *t, const uint64_t *a) {
  if (a[2] & ~(uint64_t)LINUX_AT_REMOVEDIR) return -LINUX_EINVAL;
  if (a[2] & LINUX_AT_REMOVEDIR) return do_rmdir(t, (int)a[0], a[1]);
  return do_unlink(t, (int)a[0], a[1]);
}

static int64_t do_rename(struct task *t, int odir, uint64_t opath, int ndir, uint64_t npath, int flags) {
  char from[LINUX_PATH_MAX], to[LINUX_PATH_MAX];
  int rc = get_path(t, odir, opath, 0, from);
  if (rc) return rc;
  rc = get_path(t, ndir, npath, 0, to);
  if (rc) return rc;
  if (strcmp(from, "/") == 0 || strcmp(to, "/") == 0) return -LINUX_EBUSY;
  return vfs_rename(from, to, flags);
}

int64_t sys_rename(struct task *t, const uint64_t *a) {
  return do_rename(t, LINUX_AT_FDCWD, a[0], LINUX_AT_FDCWD, a[1], 0);
}
int64_t sys_renameat(struct task *t, const uint64_t *a) { return do_rename(t, (int)a[0], a[1], (int)a[2], a[3], 0); }
int64_t sys_renameat2(struct task *t, const uint64_t *a) {
  return do_rename(t, (int)a[0], a[1], (int)a[2], a[3], (int)a[4]);
}

static int64_t do_symlink(struct task *t, uint64_t utarget, int dirfd, uint64_t upath) {
  char target[LINUX_PATH_MAX], abs[LINUX_PATH_MAX];
  int rc = user_path(t, utarget, target);
  if (rc) return rc;
  if (!target[0]) return -LINUX_ENOENT;
  rc = get_path(t, dirfd, upath, 0, abs);
  if (rc) return rc;
  return vfs_symlink(target, abs);
}

int64_t sys_symlink(struct task *t, const uint64_t *a) { return do_symlink(t, a[0], LINUX_AT_FDCWD, a[1]); }
int64_t sys_symlinkat(struct task *t, const uint64_t *a) { return do_symlink(t, a[0], (int)a[1], a[2]); }

int64_t sys_chmod(struct task *t, const uint64_t *a) {
  char abs[LINUX_PATH_MAX];
  int rc = get_path(t, LINUX_AT_FDCWD, a[0], 1, abs);
  if (rc) return rc;
  struct stat_linux st;
  rc = vfs_lstat(abs, &st);
  return rc ? rc : vfs_chmod(abs, (int)a[1]);
}

int64_t sys_fchmodat(struct task *t, const uint64_t *a) {
  char abs[LINUX_PATH_MAX];
  int rc = get_path(t, (int)a[0], a[1], 1, abs);
  if (rc) return rc;
  struct stat_linux st;
  rc = vfs_lstat(abs, &st);
  return rc ? rc : vfs_chmod(abs, (int)a[2]);
}

int64_t sys_fchmod(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  if (!f->path || !f->mnt) return 0;
  return vfs_chmod(f->path, (int)a[1]);
}

// Ownership: tmpfs keeps uid/gid (the guest runs as root, so every change is
// allowed); host mounts accept and ignore it (kernel/README.md, Quirks).
static int64_t chown_at(struct task *t, int dirfd, uint64_t upath, uint64_t uid, uint64_t gid, int flags) {
  if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH)) return -LINUX_EINVAL;
  int64_t u = (uint32_t)uid == 0xffffffffu ? -1 : (int64_t)(uint32_t)uid;
  int64_t g = (uint32_t)gid == 0xffffffffu ? -1 : (int64_t)(uint32_t)gid;
  char path[LINUX_PATH_MAX], abs[LINUX_PATH_MAX];
  int rc = user_path(t, upath, path);
  if (rc) return rc;
  if (!path[0] && (flags & LINUX_AT_EMPTY_PATH)) {
    if (dirfd == LINUX_AT_FDCWD) return vfs_chown(t->proc->cwd, u, g);
    struct file *f = fd_get(t->proc, dirfd);
    if (!f) return -LINUX_EBADF;
    return f->path && f->mnt ? vfs_chown(f->path, u, g) : 0;
  }
  rc = at_resolve(t->proc, dirfd, path, !(flags & LINUX_AT_SYMLINK_NOFOLLOW), abs);
  return rc ? rc : vfs_chown(abs, u, g);
}

int64_t sys_chown(struct task *t, const uint64_t *a) { return chown_at(t, LINUX_AT_FDCWD, a[0], a[1], a[2], 0); }
int64_t sys_lchown(struct task *t, const uint64_t *a) {
  return chown_at(t, LINUX_AT_FDCWD, a[0], a[1], a[2], LINUX_AT_SYMLINK_NOFOLLOW);
}

int64_t sys_fchown(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  if (!f->path || !f->mnt) return 0;
  int64_t u = (uint32_t)a[1] == 0xffffffffu ? -1 : (int64_t)(uint32_t)a[1];
  int64_t g = (uint32_t)a[2] == 0xffffffffu ? -1 : (int64_t)(uint32_t)a[2];
  return vfs_chown(f->path, u, g);
}

int64_t sys_fchownat(struct task *t, const uint64_t *a) { return chown_at(t, (int)a[0], a[1], a[2], a[3], (int)a[4]); }

int64_t sys_truncate(struct task *t, const uint64_t *a) {
  if ((int64_t)a[1] < 0) return -LINUX_EINVAL;
  char abs[LINUX_PATH_MAX];
  int rc = get_path(t, LINUX_AT_FDCWD, a[0], 1, abs);
  if (rc) return rc;
  struct file *f;
  rc = vfs_open(abs, LINUX_O_WRONLY, 0, &f);
  if (rc) return rc;
  rc = f->ops->truncate ? f->ops->truncate(f, a[1]) : -LINUX_EINVAL;
  file_put(f);
  return rc;
}

// Quirk: timestamps are not settable yet; utimensat checks the name only.
#define UTIME_NOW ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)

// Sets the times of the object (dirfd, upath) names; path 0 means dirfd
// itself (utimensat's futimens form). times_ns[i] < 0 keeps that time.
static int64_t set_times(struct task *t, int dirfd, uint64_t upath, int flags, const int64_t times_ns[2]) {
  if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH)) return -LINUX_EINVAL;
  char path[LINUX_PATH_MAX], abs[LINUX_PATH_MAX];
  if (!upath) {
    if (dirfd == LINUX_AT_FDCWD) return -LINUX_EFAULT;
    struct file *f = fd_get(t->proc, dirfd);
    if (!f) return -LINUX_EBADF;
    return f->path && f->mnt ? vfs_utimens(f->path, times_ns[0], times_ns[1]) : 0;
  }
  int rc = user_path(t, upath, path);
  if (rc) return rc;
  if (!path[0] && (flags & LINUX_AT_EMPTY_PATH)) {
    struct file *f = dirfd == LINUX_AT_FDCWD ? NULL : fd_get(t->proc, dirfd);
    if (dirfd != LINUX_AT_FDCWD && !f) return -LINUX_EBADF;
    const char *target = f ? f->path : t->proc->cwd;
    return target && (!f || f->mnt) ? vfs_utimens(target, times_ns[0], times_ns[1]) : 0;
  }
  rc = at_resolve(t->proc, dirfd, path, !(flags & LINUX_AT_SYMLINK_NOFOLLOW), abs);
  return rc ? rc : vfs_utimens(abs, times_ns[0], times_ns[1]);
}

int64_t sys_utimensat(struct task *t, const uint64_t *a) {
  int64_t now = host_clock(0) + kern.clock_skew_ns, ns[2] = {now, now};
  if (a[2]) {
    struct timespec_linux ts[2];
    if (mm_read(t->proc->mm, ts, a[2], sizeof(ts))) return -LINUX_EFAULT;
    for (int i = 0; i < 2; i++) {
      if (ts[i].tv_nsec == UTIME_OMIT) ns[i] = -1;
      else if (ts[i].tv_nsec == UTIME_NOW) ns[i] = now;
      else if (ts[i].tv_nsec < 0 || ts[i].tv_nsec > 999999999) return -LINUX_EINVAL;
      else ns[i] = ts[i].tv_sec * 1000000000 + ts[i].tv_nsec;
    }
  }
  return set_times(t, (int)a[0], a[1], (int)a[3], ns);
}

// utimes(2) and futimesat(2): microsecond times, NULL for now.
static int64_t set_timeval(struct task *t, int dirfd, uint64_t upath, uint64_t utv) {
  int64_t now = host_clock(0) + kern.clock_skew_ns, ns[2] = {now, now};
  if (utv) {
    struct timeval_linux tv[2];
    if (mm_read(t->proc->mm, tv, utv, sizeof(tv))) return -LINUX_EFAULT;
    for (int i = 0; i < 2; i++) {
      if (tv[i].tv_usec < 0 || tv[i].tv_usec > 999999) return -LINUX_EINVAL;
      ns[i] = tv[i].tv_sec * 1000000000 + tv[i].tv_usec * 1000;
    }
  }
  if (!upath) return -LINUX_EFAULT;
  return set_times(t, dirfd, upath, 0, ns);
}

int64_t sys_utimes(struct task *t, const uint64_t *a) { return set_timeval(t, LINUX_AT_FDCWD, a[0], a[1]); }
int64_t sys_futimesat(struct task *t, const uint64_t *a) { return set_timeval(t, (int)a[0], a[1], a[2]); }

// utime(2): whole seconds, NULL for now.
int64_t sys_utime(struct task *t, const uint64_t *a) {
  int64_t now = host_clock(0) + kern.clock_skew_ns, ns[2] = {now, now};
  if (a[1]) {
    int64_t tb[2]; // struct utimbuf: actime, modtime
    if (mm_read(t->proc->mm, tb, a[1], sizeof(tb))) return -LINUX_EFAULT;
    ns[0] = tb[0] * 1000000000;
    ns[1] = tb[1] * 1000000000;
  }
  return set_times(t, LINUX_AT_FDCWD, a[0], 0, ns);
}

int64_t sys_umask(struct task *t, const uint64_t *a) {
  uint32_t old = t->proc->umask;
  t->proc->umask = (uint32_t)a[0] & 0777;
  return old;
}

// statfs(2): a plausible answer per backend (tmpfs, host file systems as
// ext4, devtmpfs); sizes are not measured.
static long put_statfs(struct task *t, const char *abs, uint64_t ubuf) {
  const char *rel;
  struct mount *m = vfs_find_mount(abs, &rel);
  struct statfs_linux sf;
  memset(&sf, 0, sizeof(sf));
  sf.f_type = !m                      ? 0x01021994
              : m->ops == &hostfs_ops  ? 0xEF53
              : m->ops == &devfs_ops   ? 0x1373
              : m->ops == &procfs_ops  ? 0x9fa0
                                       : 0x01021994;
  sf.f_bsize = sf.f_frsize = 4096;
  sf.f_blocks = 1 << 20;
  sf.f_bfree = sf.f_bavail = 1 << 19;
  sf.f_files = 1 << 20;
  sf.f_ffree = 1 << 19;
  sf.f_namelen = LINUX_NAME_MAX;
  if (m && m->readonly) sf.f_flags = 1; // ST_RDONLY
  return mm_write(t->proc->mm, ubuf, &sf, sizeof(sf)) ? -LINUX_EFAULT : 0;
}

int64_t sys_statfs(struct task *t, const uint64_t *a) {
  char abs[LINUX_PATH_MAX];
  struct stat_linux st;
  int rc = get_path(t, LINUX_AT_FDCWD, a[0], 1, abs);
  if (!rc) rc = vfs_lstat(abs, &st);
  return rc ? rc : put_statfs(t, abs, a[1]);
}

int64_t sys_fstatfs(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  return put_statfs(t, f->path && f->mnt ? f->path : "/", a[1]);
}

// Extended attributes are not stored: every name is absent (ENODATA) and
// every list empty, after the object itself is checked.
static long xattr_check(struct task *t, uint64_t upath, int follow) {
  char abs[LINUX_PATH_MAX];
  struct stat_linux st;
  int rc = get_path(t, LINUX_AT_FDCWD, upath, follow, abs);
  return rc ? rc : vfs_lstat(abs, &st);
}

int64_t sys_getxattr(struct task *t, const uint64_t *a) {
  long rc = xattr_check(t, a[0], 1);
  return rc ? rc : -LINUX_ENODATA;
}
int64_t sys_lgetxattr(struct task *t, const uint64_t *a) {
  long rc = xattr_check(t, a[0], 0);
  return rc ? rc : -LINUX_ENODATA;
}
int64_t sys_fgetxattr(struct task *t, const uint64_t *a) { return fd_get(t->proc, (int)a[0]) ? -LINUX_ENODATA : -LINUX_EBADF; }
int64_t sys_listxattr(struct task *t, const uint64_t *a) { return xattr_check(t, a[0], 1); }
int64_t sys_llistxattr(struct task *t, const uint64_t *a) { return xattr_check(t, a[0], 0); }
int64_t sys_flistxattr(struct task *t, const uint64_t *a) { return fd_get(t->proc, (int)a[0]) ? 0 : -LINUX_EBADF; }

// posix_fadvise(2) is advice: only the descriptor is checked.
int64_t sys_fadvise64(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  return f->ops->stream ? -LINUX_ESPIPE : 0;
}

// link(2), linkat(2): tmpfs keeps one name per file and host mounts have no
// link operation, so a link that would be made gives EPERM ("the file system
// does not support hard links"); the checks before that are Linux's.
static int64_t do_link(struct task *t, int olddir, uint64_t oldp, int newdir, uint64_t newp, int flags) {
  if (flags & ~(LINUX_AT_SYMLINK_FOLLOW | LINUX_AT_EMPTY_PATH)) return -LINUX_EINVAL;
  char from[LINUX_PATH_MAX], to[LINUX_PATH_MAX];
  int rc = get_path(t, olddir, oldp, (flags & LINUX_AT_SYMLINK_FOLLOW) != 0, from);
  if (rc) return rc;
  struct stat_linux st;
  rc = vfs_lstat(from, &st);
  if (rc) return rc;
  if (LINUX_S_ISDIR(st.st_mode)) return -LINUX_EPERM;
  rc = get_path(t, newdir, newp, 0, to);
  if (rc) return rc;
  if (vfs_lstat(to, &st) == 0) return -LINUX_EEXIST;
  const char *r1, *r2;
  if (vfs_find_mount(from, &r1) != vfs_find_mount(to, &r2)) return -LINUX_EXDEV;
  return -LINUX_EPERM;
}

int64_t sys_link(struct task *t, const uint64_t *a) { return do_link(t, LINUX_AT_FDCWD, a[0], LINUX_AT_FDCWD, a[1], 0); }
int64_t sys_linkat(struct task *t, const uint64_t *a) { return do_link(t, (int)a[0], a[1], (int)a[2], a[3], (int)a[4]); }

// mknodat(2): regular files are created as open(O_CREAT|O_EXCL) would;
// device nodes and FIFOs cannot be made (devfs has a fixed set): EPERM.
int64_t sys_mknodat(struct task *t, const uint64_t *a) {
  uint32_t mode = (uint32_t)a[2];
  uint32_t type = mode & LINUX_S_IFMT;
  if (type != 0 && type != 0100000) return -LINUX_EPERM;
  char path[LINUX_PATH_MAX], abs[LINUX_PATH_MAX];
  int rc = user_path(t, a[1], path);
  if (rc) return rc;
  rc = at_resolve(t->proc, (int)a[0], path, 0, abs);
  if (rc) return rc;
  struct file *f;
  rc = vfs_open(abs, LINUX_O_WRONLY | LINUX_O_CREAT | LINUX_O_EXCL, (int)(mode & 07777 & ~t->proc->umask), &f);
  if (rc) return rc;
  file_put(f);
  return 0;
}

int64_t sys_mknod(struct task *t, const uint64_t *a) {
  uint64_t b[4] = {(uint64_t)(int64_t)LINUX_AT_FDCWD, a[0], a[1], a[2]};
  return sys_mknodat(t, b);
}
