// SPDX-License-Identifier: MIT
// Building a guest file tree from the host (see fsimport.h). Goes through the
// VFS like the guest's own calls, so every backend and its checks apply.
#include "fsimport.h"

#include <stdlib.h>
#include <string.h>

#include "../kernel/kernel.h"

static void *lin(uint32_t addr) { return (void *)(uintptr_t)addr; }

// The canonical absolute guest path of a host-given string; not "/".
static int import_path(uint32_t p, int32_t len, char *out) {
  char raw[LINUX_PATH_MAX];
  if (len <= 0 || len >= LINUX_PATH_MAX) return kernel_error(-LINUX_ENAMETOOLONG, "bad guest path length %d", len);
  memcpy(raw, lin(p), (size_t)len);
  raw[len] = 0;
  if (raw[0] != '/' || memchr(raw, 0, (size_t)len)) return kernel_error(-LINUX_EINVAL, "not an absolute path: %s", raw);
  if (path_normalize(raw, out) || strcmp(out, "/") == 0) return kernel_error(-LINUX_EINVAL, "bad guest path: %s", raw);
  return 0;
}

// Creates every missing directory above abs (mode 0755, as tar does).
static int make_parents(const char *abs) {
  char buf[LINUX_PATH_MAX];
  strcpy(buf, abs);
  for (char *s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
    *s = 0;
    struct stat_linux st;
    int rc = vfs_lstat(buf, &st);
    if (rc == -LINUX_ENOENT) rc = vfs_mkdir(buf, 0755);
    else if (rc == 0 && !LINUX_S_ISDIR(st.st_mode))
      rc = -LINUX_ENOTDIR; // a symlinked parent is not followed: it would lead outside the tree
    *s = '/';
    if (rc) return kernel_error(rc, "cannot create the parents of %s (%s)", abs, errno_name(-rc));
  }
  return 0;
}

// Removes a non-directory at abs so that something new can take its name.
static int make_room(const char *abs) {
  struct stat_linux st;
  int rc = vfs_lstat(abs, &st);
  if (rc == -LINUX_ENOENT) return 0;
  if (rc) return rc;
  if (LINUX_S_ISDIR(st.st_mode)) return kernel_error(-LINUX_EISDIR, "%s is a directory", abs);
  return vfs_unlink(abs);
}

int32_t xos_fs_mkdir(uint32_t path, int32_t len, int32_t mode) {
  char abs[LINUX_PATH_MAX];
  int rc = import_path(path, len, abs);
  if (rc == 0) rc = make_parents(abs);
  if (rc) return rc;
  struct stat_linux st;
  rc = vfs_lstat(abs, &st);
  if (rc == -LINUX_ENOENT) rc = vfs_mkdir(abs, mode & 07777);
  else if (rc == 0 && !LINUX_S_ISDIR(st.st_mode)) rc = kernel_error(-LINUX_EEXIST, "%s exists and is no directory", abs);
  if (rc == 0) rc = vfs_chmod(abs, mode & 07777);
  return rc;
}

int32_t xos_fs_symlink(uint32_t path, int32_t len, uint32_t target, int32_t tlen) {
  char abs[LINUX_PATH_MAX], tgt[LINUX_PATH_MAX];
  if (tlen <= 0 || tlen >= LINUX_PATH_MAX) return kernel_error(-LINUX_ENAMETOOLONG, "bad symlink target length");
  memcpy(tgt, lin(target), (size_t)tlen);
  tgt[tlen] = 0;
  if (memchr(tgt, 0, (size_t)tlen)) return -LINUX_EINVAL;
  int rc = import_path(path, len, abs);
  if (rc == 0) rc = make_parents(abs);
  if (rc == 0) rc = make_room(abs);
  if (rc == 0) rc = vfs_symlink(tgt, abs);
  return rc;
}

int32_t xos_fs_write(uint32_t path, int32_t len, uint32_t data, int32_t dlen, int64_t offset, int32_t mode) {
  char abs[LINUX_PATH_MAX];
  if (dlen < 0 || offset < 0) return -LINUX_EINVAL;
  int rc = import_path(path, len, abs);
  if (rc) return rc;
  struct file *f = NULL;
  if (offset == 0) {
    rc = make_parents(abs);
    if (rc == 0) rc = make_room(abs);
    if (rc == 0) rc = vfs_open(abs, LINUX_O_WRONLY | LINUX_O_CREAT | LINUX_O_TRUNC, mode & 07777, &f);
    if (rc == 0) rc = vfs_chmod(abs, mode & 07777);
  } else {
    rc = vfs_open(abs, LINUX_O_WRONLY, 0, &f);
  }
  if (rc) {
    if (f) file_put(f);
    return rc;
  }
  long done = 0;
  while (done < dlen) {
    long k = f->ops->pwrite(f, (uint8_t *)lin(data) + done, (size_t)(dlen - done), offset + done);
    if (k <= 0) {
      rc = k < 0 ? (int)k : -LINUX_EIO;
      break;
    }
    done += k;
  }
  file_put(f);
  return rc;
}

int32_t xos_fs_attr(uint32_t path, int32_t len, int32_t uid, int32_t gid, int64_t mtime_ns) {
  char abs[LINUX_PATH_MAX];
  int rc = len == 1 && *(char *)lin(path) == '/' ? (strcpy(abs, "/"), 0) : import_path(path, len, abs);
  struct stat_linux st;
  if (rc == 0) rc = vfs_lstat(abs, &st);
  if (rc == 0 && (uid >= 0 || gid >= 0)) {
    rc = vfs_chown(abs, uid, gid);
    // chown(2) would drop set-ID bits; an import sets owner and mode as the archive says.
    if (rc == 0 && !LINUX_S_ISLNK(st.st_mode)) rc = vfs_chmod(abs, st.st_mode & 07777);
  }
  if (rc == 0 && mtime_ns >= 0) rc = vfs_utimens(abs, mtime_ns, mtime_ns);
  return rc;
}

int32_t xos_fs_link(uint32_t path, int32_t len, uint32_t target, int32_t tlen) {
  char abs[LINUX_PATH_MAX], tgt[LINUX_PATH_MAX];
  int rc = import_path(path, len, abs);
  if (rc == 0) rc = import_path(target, tlen, tgt);
  if (rc) return rc;
  struct stat_linux st;
  rc = vfs_lstat(tgt, &st);
  if (rc) return kernel_error(rc, "hard link %s: target %s (%s)", abs, tgt, errno_name(-rc));
  if (!LINUX_S_ISREG(st.st_mode)) return kernel_error(-LINUX_EPERM, "hard link %s: %s is no regular file", abs, tgt);
  uint8_t *buf;
  size_t n;
  rc = kernel_read_file(tgt, &buf, &n);
  if (rc) return rc;
  struct file *f = NULL;
  rc = make_parents(abs);
  if (rc == 0) rc = make_room(abs);
  if (rc == 0) rc = vfs_open(abs, LINUX_O_WRONLY | LINUX_O_CREAT | LINUX_O_TRUNC, st.st_mode & 07777, &f);
  if (rc == 0) rc = vfs_chmod(abs, st.st_mode & 07777);
  size_t done = 0;
  while (rc == 0 && done < n) {
    long k = f->ops->pwrite(f, buf + done, n - done, (int64_t)done);
    if (k <= 0) rc = k < 0 ? (int)k : -LINUX_EIO;
    else done += (size_t)k;
  }
  if (f) file_put(f);
  free(buf);
  if (rc == 0) rc = vfs_chown(abs, st.st_uid, st.st_gid);
  if (rc == 0) rc = vfs_utimens(abs, -1, (int64_t)st.st_mtime_sec * 1000000000 + (int64_t)st.st_mtime_nsec);
  return rc;
}
