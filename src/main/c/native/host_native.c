// SPDX-License-Identifier: MIT
// The native build's host: every import of host/host.h implemented with
// real Linux calls, for tests and the xos-native runner. Host files are
// reached only beneath a mount's directory (openat2 RESOLVE_BENEATH), and
// host errno values are translated to the guest's numbers here, explicitly.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../host/host.h"
#include "../kernel/linux.h"
#include "native.h"

#define NATIVE_MAX_MOUNTS 16
static int mount_fd[NATIVE_MAX_MOUNTS];
static int nmounts;

int native_mount_add(const char *dir) {
  if (nmounts == NATIVE_MAX_MOUNTS) return -1;
  int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  mount_fd[nmounts] = fd;
  return nmounts++;
}

// Host errno -> Linux x86-64 errno. On a Linux host the numbers agree, but
// the mapping is spelled out so no host value can slip through unnoticed.
static int32_t err(int e) {
  switch (e) {
  case EPERM: return -LINUX_EPERM;
  case ENOENT: return -LINUX_ENOENT;
  case EIO: return -LINUX_EIO;
  case EBADF: return -LINUX_EBADF;
  case EAGAIN: return -LINUX_EAGAIN;
  case ENOMEM: return -LINUX_ENOMEM;
  case EACCES: return -LINUX_EACCES;
  case EBUSY: return -LINUX_EBUSY;
  case EEXIST: return -LINUX_EEXIST;
  case EXDEV: return -LINUX_EXDEV;
  case ENOTDIR: return -LINUX_ENOTDIR;
  case EISDIR: return -LINUX_EISDIR;
  case EINVAL: return -LINUX_EINVAL;
  case EMFILE: return -LINUX_EMFILE;
  case ENFILE: return -LINUX_ENFILE;
  case EFBIG: return -LINUX_EFBIG;
  case ENOSPC: return -LINUX_ENOSPC;
  case EROFS: return -LINUX_EROFS;
  case EMLINK: return -LINUX_EMLINK;
  case ENAMETOOLONG: return -LINUX_ENAMETOOLONG;
  case ENOTEMPTY: return -LINUX_ENOTEMPTY;
  case ELOOP: return -LINUX_ELOOP;
  case ETXTBSY: return -LINUX_EACCES;
  default: return -LINUX_EIO;
  }
}

void host_console_write(int32_t fd, const void *buf, int32_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd == 2 ? 2 : 1, p, (size_t)len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; // output closed: the guest's writes still succeed
    p += n;
    len -= (int32_t)n;
  }
}

void host_log(const char *msg, int32_t len) {
  char line[1024];
  int n = snprintf(line, sizeof(line), "xos: %.*s\n", len, msg);
  if (n > (int)sizeof(line) - 1) n = (int)sizeof(line) - 1;
  if (write(2, line, (size_t)n) < 0) return;
}

int64_t host_clock(int32_t id) {
  struct timespec ts;
  clock_gettime(id == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void host_random(void *buf, int32_t len) {
  uint8_t *p = buf;
  while (len > 0) {
    ssize_t n = getrandom(p, (size_t)len, 0);
    if (n <= 0) continue;
    p += n;
    len -= (int32_t)n;
  }
}

// Copies a (path, len) pair, refusing what the engine must never send:
// absolute paths and ".." components.
static int get_path(const char *path, int32_t len, char *out) {
  if (len < 0 || len >= 4096) return -LINUX_ENAMETOOLONG;
  memcpy(out, path, (size_t)len);
  out[len] = 0;
  if (out[0] == '/') return -LINUX_EPERM;
  for (char *s = out; (s = strstr(s, "..")); s += 2)
    if ((s == out || s[-1] == '/') && (s[2] == 0 || s[2] == '/')) return -LINUX_EPERM;
  return 0;
}

// openat2 beneath the mount's directory: no escape through "..", absolute
// symlinks or magic links (openat2(2) RESOLVE_BENEATH).
static int open_beneath(int32_t mount, const char *path, int flags, int mode) {
  if (mount < 0 || mount >= nmounts) {
    errno = EBADF;
    return -1;
  }
  struct open_how how;
  memset(&how, 0, sizeof(how));
  how.flags = (uint64_t)flags | O_CLOEXEC;
  how.mode = (flags & O_CREAT) ? (uint64_t)mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  return (int)syscall(SYS_openat2, mount_fd[mount], path, &how, sizeof(how));
}

static int host_flags(int32_t f) {
  int acc = f & LINUX_O_ACCMODE;
  int r = acc == LINUX_O_WRONLY ? O_WRONLY : acc == LINUX_O_RDWR ? O_RDWR : O_RDONLY;
  if (f & LINUX_O_CREAT) r |= O_CREAT;
  if (f & LINUX_O_EXCL) r |= O_EXCL;
  if (f & LINUX_O_TRUNC) r |= O_TRUNC;
  if (f & LINUX_O_APPEND) r |= O_APPEND;
  if (f & LINUX_O_DIRECTORY) r |= O_DIRECTORY;
  return r;
}

int32_t host_file_open(int32_t mount, const char *path, int32_t pathlen, int32_t flags, int32_t mode) {
  char p[4096];
  int rc = get_path(path, pathlen, p);
  if (rc) return rc;
  int fd = open_beneath(mount, p, host_flags(flags) | O_NOFOLLOW, mode);
  return fd < 0 ? err(errno) : fd;
}

int32_t host_file_close(int32_t h) { return close(h) ? err(errno) : 0; }

int32_t host_file_pread(int32_t h, void *buf, int32_t len, int64_t off) {
  ssize_t n = pread(h, buf, (size_t)len, off);
  return n < 0 ? err(errno) : (int32_t)n;
}

int32_t host_file_pwrite(int32_t h, const void *buf, int32_t len, int64_t off) {
  ssize_t n = pwrite(h, buf, (size_t)len, off);
  return n < 0 ? err(errno) : (int32_t)n;
}

static void to_host_stat(const struct stat *s, struct host_stat *h) {
  memset(h, 0, sizeof(*h));
  h->size = (uint64_t)s->st_size;
  h->ino = s->st_ino;
  h->atime_ns = (int64_t)s->st_atim.tv_sec * 1000000000 + s->st_atim.tv_nsec;
  h->mtime_ns = (int64_t)s->st_mtim.tv_sec * 1000000000 + s->st_mtim.tv_nsec;
  h->ctime_ns = (int64_t)s->st_ctim.tv_sec * 1000000000 + s->st_ctim.tv_nsec;
  h->mode = s->st_mode; // S_IF* and permission bits are Linux's own numbers on a Linux host
  h->nlink = (uint32_t)s->st_nlink;
  h->uid = s->st_uid;
  h->gid = s->st_gid;
  h->dev = s->st_dev;
}

int32_t host_file_stat(int32_t mount, const char *path, int32_t pathlen, void *st) {
  char p[4096];
  int rc = get_path(path, pathlen, p);
  if (rc) return rc;
  int fd = open_beneath(mount, p, O_PATH | O_NOFOLLOW, 0);
  if (fd < 0) return err(errno);
  struct stat s;
  rc = fstat(fd, &s);
  int e = errno;
  close(fd);
  if (rc) return err(e);
  to_host_stat(&s, st);
  return 0;
}

int32_t host_file_fstat(int32_t h, void *st) {
  struct stat s;
  if (fstat(h, &s)) return err(errno);
  to_host_stat(&s, st);
  return 0;
}

static uint8_t dtype(unsigned char t) {
  switch (t) {
  case DT_FIFO: return LINUX_DT_FIFO;
  case DT_CHR: return LINUX_DT_CHR;
  case DT_DIR: return LINUX_DT_DIR;
  case DT_BLK: return LINUX_DT_BLK;
  case DT_REG: return LINUX_DT_REG;
  case DT_LNK: return LINUX_DT_LNK;
  case DT_SOCK: return LINUX_DT_SOCK;
  default: return LINUX_DT_UNKNOWN;
  }
}

int32_t host_file_readdir(int32_t mount, const char *path, int32_t pathlen, int32_t index, void *buf, int32_t len) {
  char p[4096];
  int rc = get_path(path, pathlen, p);
  if (rc) return rc;
  int fd = open_beneath(mount, p, O_RDONLY | O_DIRECTORY, 0);
  if (fd < 0) return err(errno);
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    return err(errno);
  }
  int32_t used = 0, i = 0;
  struct dirent *de;
  uint8_t *out = buf;
  while ((de = readdir(d))) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    if (i++ < index) continue;
    size_t n = strlen(de->d_name);
    if (n > 255 || used + 2 + (int32_t)n > len) break;
    out[used] = dtype(de->d_type);
    out[used + 1] = (uint8_t)n;
    memcpy(out + used + 2, de->d_name, n);
    used += 2 + (int32_t)n;
  }
  closedir(d);
  return used;
}

int32_t host_file_readlink(int32_t mount, const char *path, int32_t pathlen, void *buf, int32_t len) {
  char p[4096];
  int rc = get_path(path, pathlen, p);
  if (rc) return rc;
  int fd = open_beneath(mount, p, O_PATH | O_NOFOLLOW, 0);
  if (fd < 0) return err(errno);
  ssize_t n = readlinkat(fd, "", buf, (size_t)len);
  int e = errno;
  close(fd);
  return n < 0 ? err(e) : (int32_t)n;
}

// Opens the directory holding path's last component; *base points at it.
static int open_parent(int32_t mount, char *p, const char **base) {
  char *slash = strrchr(p, '/');
  if (!slash) {
    *base = p;
    return open_beneath(mount, ".", O_PATH | O_DIRECTORY, 0);
  }
  *slash = 0;
  *base = slash + 1;
  return open_beneath(mount, p, O_PATH | O_DIRECTORY, 0);
}

int32_t host_file_op(int32_t mount, const char *path, int32_t pathlen, int32_t op, int64_t arg) {
  char p[4096];
  int rc = get_path(path, pathlen, p);
  if (rc) return rc;
  if (op == 3) { // truncate: through a handle, never following a link
    int fd = open_beneath(mount, p, O_WRONLY | O_NOFOLLOW, 0);
    if (fd < 0) return err(errno);
    rc = ftruncate(fd, arg);
    int e = errno;
    close(fd);
    return rc ? err(e) : 0;
  }
  const char *base;
  int dir = open_parent(mount, p, &base);
  if (dir < 0) return err(errno);
  switch (op) {
  case 0: rc = mkdirat(dir, base, (mode_t)arg); break;
  case 1: rc = unlinkat(dir, base, AT_REMOVEDIR); break;
  case 2: rc = unlinkat(dir, base, 0); break;
  case 4: rc = fchmodat(dir, base, (mode_t)arg, 0); break;
  default: rc = -1; errno = EINVAL; break;
  }
  int e = errno;
  close(dir);
  return rc ? err(e) : 0;
}

int32_t host_file_op2(int32_t mount, const char *path, int32_t pathlen, const char *path2, int32_t path2len,
                      int32_t op) {
  char p[4096], q[4096];
  int rc = get_path(path2, path2len, q);
  if (rc) return rc;
  const char *base2, *base;
  if (op == 1) { // symlink: path is the link's text, stored verbatim
    if (pathlen < 0 || pathlen >= 4096) return -LINUX_ENAMETOOLONG;
    memcpy(p, path, (size_t)pathlen);
    p[pathlen] = 0;
    int dir = open_parent(mount, q, &base2);
    if (dir < 0) return err(errno);
    rc = symlinkat(p, dir, base2);
    int e = errno;
    close(dir);
    return rc ? err(e) : 0;
  }
  rc = get_path(path, pathlen, p);
  if (rc) return rc;
  int d1 = open_parent(mount, p, &base);
  if (d1 < 0) return err(errno);
  int d2 = open_parent(mount, q, &base2);
  if (d2 < 0) {
    int e = errno;
    close(d1);
    return err(e);
  }
  rc = op == 0 ? renameat(d1, base, d2, base2) : op == 2 ? linkat(d1, base, d2, base2, 0) : (errno = EINVAL, -1);
  int e = errno;
  close(d1);
  close(d2);
  return rc ? err(e) : 0;
}

int32_t host_file_ftruncate(int32_t h, int64_t len) { return ftruncate(h, len) ? err(errno) : 0; }
