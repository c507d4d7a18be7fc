// SPDX-License-Identifier: MIT
// VFS core: the mount table, open-file descriptions and the checks open(2),
// mkdir(2), unlink(2) and rename(2) make before a backend is asked. Knows no
// backend's internals and no guest memory; path walking is fs/path.c's.
#include "vfs.h"

#include <stdlib.h>
#include <string.h>

#include "../host/host.h"

static struct mount *mounts[VFS_MAX_MOUNTS];
static int nmounts;

void vfs_reset(void) {
  for (int i = 0; i < nmounts; i++) {
    if (mounts[i]->ops == &tmpfs_ops) tmpfs_free(mounts[i]->data);
    free(mounts[i]);
  }
  nmounts = 0;
}

struct mount *vfs_mount(const char *path, const struct fs_ops *ops, int host_id, int readonly, void *data) {
  size_t len = strlen(path);
  if (len >= LINUX_PATH_MAX) return NULL;
  // A second mount on the same point replaces the first (the Java API mounts
  // a host directory over the initial tmpfs root).
  for (int i = 0; i < nmounts; i++) {
    if (strcmp(mounts[i]->path, path) == 0) {
      mounts[i]->ops = ops;
      mounts[i]->host_id = host_id;
      mounts[i]->readonly = readonly;
      mounts[i]->data = data;
      return mounts[i];
    }
  }
  if (nmounts == VFS_MAX_MOUNTS) return NULL;
  struct mount *m = calloc(1, sizeof(*m));
  if (!m) return NULL;
  memcpy(m->path, path, len + 1);
  m->pathlen = len;
  m->ops = ops;
  m->host_id = host_id;
  m->readonly = readonly;
  m->data = data;
  m->dev = 0x800 + (uint64_t)nmounts;
  mounts[nmounts++] = m;
  return m;
}

// Longest mount point that is a prefix of abs at a component boundary.
struct mount *vfs_find_mount(const char *abs, const char **rel) {
  struct mount *best = NULL;
  for (int i = 0; i < nmounts; i++) {
    struct mount *m = mounts[i];
    size_t n = m->pathlen;
    if (n == 1) { // "/"
      if (!best) best = m;
      continue;
    }
    if (strncmp(abs, m->path, n) == 0 && (abs[n] == 0 || abs[n] == '/'))
      if (!best || n > best->pathlen) best = m;
  }
  if (best && rel) {
    const char *r = abs + (best->pathlen == 1 ? 0 : best->pathlen);
    while (*r == '/') r++;
    *rel = r;
  }
  return best;
}

int vfs_lstat(const char *abs, struct stat_linux *st) {
  const char *rel;
  struct mount *m = vfs_find_mount(abs, &rel);
  if (!m) return -LINUX_ENOENT;
  memset(st, 0, sizeof(*st));
  int rc = m->ops->stat(m, rel, st);
  if (rc == 0 && !st->st_dev) st->st_dev = m->dev;
  return rc;
}

int vfs_readlink(const char *abs, char *buf, size_t n) {
  const char *rel;
  struct mount *m = vfs_find_mount(abs, &rel);
  if (!m) return -LINUX_ENOENT;
  if (!m->ops->readlink) return -LINUX_EINVAL;
  return m->ops->readlink(m, rel, buf, n);
}

struct file *file_new(const struct file_ops *ops, uint32_t flags, uint32_t mode) {
  struct file *f = calloc(1, sizeof(*f));
  if (!f) return NULL;
  f->refs = 1;
  f->ops = ops;
  f->flags = flags;
  f->mode = mode;
  return f;
}

struct file *file_get(struct file *f) {
  f->refs++;
  return f;
}

void file_put(struct file *f) {
  if (!f || --f->refs > 0) return;
  if (f->ops && f->ops->release) f->ops->release(f);
  free(f->path);
  free(f);
}

static int is_write_flags(int flags) {
  int acc = flags & LINUX_O_ACCMODE;
  return acc == LINUX_O_WRONLY || acc == LINUX_O_RDWR || (flags & LINUX_O_TRUNC);
}

// The checks of open(2)'s ERRORS section that do not depend on the backend.
int vfs_open(const char *abs, int flags, int mode, struct file **out) {
  const char *rel;
  struct mount *m = vfs_find_mount(abs, &rel);
  if (!m) return -LINUX_ENOENT;
  struct stat_linux st;
  memset(&st, 0, sizeof(st));
  int rc = m->ops->stat(m, rel, &st);
  int exists = rc == 0;
  if (rc && rc != -LINUX_ENOENT) return rc;
  if (exists) {
    if ((flags & LINUX_O_CREAT) && (flags & LINUX_O_EXCL)) return -LINUX_EEXIST;
    if (LINUX_S_ISLNK(st.st_mode) && !(flags & LINUX_O_PATH)) return -LINUX_ELOOP;
    if ((flags & LINUX_O_DIRECTORY) && !LINUX_S_ISDIR(st.st_mode)) return -LINUX_ENOTDIR;
    if (!(flags & LINUX_O_PATH)) {
      if (LINUX_S_ISDIR(st.st_mode) && is_write_flags(flags)) return -LINUX_EISDIR;
      if (m->readonly && is_write_flags(flags)) return -LINUX_EROFS;
    }
  } else {
    if (!(flags & LINUX_O_CREAT)) return -LINUX_ENOENT;
    if (flags & LINUX_O_DIRECTORY) return -LINUX_EISDIR; // open(2): O_CREAT|O_DIRECTORY on a new name
    if (m->readonly) return -LINUX_EROFS;
    if (!*rel) return -LINUX_EISDIR;
    st.st_mode = LINUX_S_IFREG;
  }
  struct file *f = file_new(NULL, flags & ~(LINUX_O_CLOEXEC | LINUX_O_CREAT | LINUX_O_EXCL | LINUX_O_NOCTTY | LINUX_O_TRUNC),
                            st.st_mode & LINUX_S_IFMT);
  if (!f) return -LINUX_ENOMEM;
  f->mnt = m;
  f->path = strdup(abs);
  if (!f->path) {
    free(f);
    return -LINUX_ENOMEM;
  }
  if (flags & LINUX_O_PATH) {
    // O_PATH descriptors only name the object: no backend state at all.
    static const struct file_ops path_ops = {0};
    f->ops = &path_ops;
    *out = f;
    return 0;
  }
  rc = m->ops->open(m, rel, exists ? (flags & ~LINUX_O_CREAT) : flags, mode, f);
  if (rc < 0) {
    f->ops = NULL;
    file_put(f);
    return rc;
  }
  if ((flags & LINUX_O_TRUNC) && LINUX_S_ISREG(st.st_mode) && is_write_flags(flags) && f->ops->truncate) {
    rc = f->ops->truncate(f, 0);
    if (rc < 0) {
      file_put(f);
      return rc;
    }
  }
  *out = f;
  return 0;
}

// Splits abs into the mount and relative path, refusing read-only mounts and
// mount roots (which cannot be created, removed or renamed: EBUSY).
static struct mount *writable(const char *abs, const char **rel, int *err) {
  struct mount *m = vfs_find_mount(abs, rel);
  if (!m) {
    *err = -LINUX_ENOENT;
    return NULL;
  }
  if (!**rel) {
    *err = -LINUX_EBUSY;
    return NULL;
  }
  if (m->readonly) {
    *err = -LINUX_EROFS;
    return NULL;
  }
  return m;
}

int vfs_mkdir(const char *abs, int mode) {
  struct stat_linux st;
  if (vfs_lstat(abs, &st) == 0) return -LINUX_EEXIST;
  const char *rel;
  int err;
  struct mount *m = writable(abs, &rel, &err);
  if (!m) return err;
  return m->ops->mkdir ? m->ops->mkdir(m, rel, mode) : -LINUX_EPERM;
}

int vfs_rmdir(const char *abs) {
  struct stat_linux st;
  int rc = vfs_lstat(abs, &st);
  if (rc) return rc;
  if (!LINUX_S_ISDIR(st.st_mode)) return -LINUX_ENOTDIR;
  const char *rel;
  int err;
  struct mount *m = writable(abs, &rel, &err);
  if (!m) return err;
  return m->ops->rmdir ? m->ops->rmdir(m, rel) : -LINUX_EPERM;
}

int vfs_unlink(const char *abs) {
  struct stat_linux st;
  int rc = vfs_lstat(abs, &st);
  if (rc) return rc;
  if (LINUX_S_ISDIR(st.st_mode)) return -LINUX_EISDIR; // unlink(2): Linux says EISDIR
  const char *rel;
  int err;
  struct mount *m = writable(abs, &rel, &err);
  if (!m) return err;
  return m->ops->unlink ? m->ops->unlink(m, rel) : -LINUX_EPERM;
}

int vfs_rename(const char *from, const char *to, int flags) {
  struct stat_linux sf, st;
  int rc = vfs_lstat(from, &sf);
  if (rc) return rc;
  if (flags & ~LINUX_RENAME_NOREPLACE) return -LINUX_EINVAL; // RENAME_EXCHANGE, WHITEOUT: not yet
  int texists = vfs_lstat(to, &st) == 0;
  if (texists && (flags & LINUX_RENAME_NOREPLACE)) return -LINUX_EEXIST;
  if (strcmp(from, to) == 0) return 0;
  // rename(2): a directory cannot be moved below itself.
  size_t fl = strlen(from);
  if (strncmp(to, from, fl) == 0 && to[fl] == '/') return -LINUX_EINVAL;
  if (texists) {
    if (LINUX_S_ISDIR(sf.st_mode) && !LINUX_S_ISDIR(st.st_mode)) return -LINUX_ENOTDIR;
    if (!LINUX_S_ISDIR(sf.st_mode) && LINUX_S_ISDIR(st.st_mode)) return -LINUX_EISDIR;
  }
  const char *rf, *rt;
  int err;
  struct mount *mf = writable(from, &rf, &err);
  if (!mf) return err;
  struct mount *mt = writable(to, &rt, &err);
  if (!mt) return err;
  if (mf != mt) return -LINUX_EXDEV;
  return mf->ops->rename ? mf->ops->rename(mf, rf, rt) : -LINUX_EPERM;
}

int vfs_symlink(const char *target, const char *abs) {
  struct stat_linux st;
  if (vfs_lstat(abs, &st) == 0) return -LINUX_EEXIST;
  const char *rel;
  int err;
  struct mount *m = writable(abs, &rel, &err);
  if (!m) return err;
  return m->ops->symlink ? m->ops->symlink(m, target, rel) : -LINUX_EPERM;
}

int vfs_chmod(const char *abs, int mode) {
  const char *rel;
  struct mount *m = vfs_find_mount(abs, &rel);
  if (!m) return -LINUX_ENOENT;
  if (m->readonly) return -LINUX_EROFS;
  return m->ops->chmod ? m->ops->chmod(m, rel, mode) : 0;
}

int vfs_chown(const char *abs, int64_t uid, int64_t gid) {
  const char *rel;
  struct mount *m = vfs_find_mount(abs, &rel);
  if (!m) return -LINUX_ENOENT;
  if (m->readonly) return -LINUX_EROFS;
  if (m->ops->chown) return m->ops->chown(m, rel, uid, gid);
  struct stat_linux st;
  return vfs_lstat(abs, &st);
}

int vfs_utimens(const char *abs, int64_t atime_ns, int64_t mtime_ns) {
  const char *rel;
  struct mount *m = vfs_find_mount(abs, &rel);
  if (!m) return -LINUX_ENOENT;
  if (m->readonly) return -LINUX_EROFS;
  if (m->ops->utimens) return m->ops->utimens(m, rel, atime_ns, mtime_ns);
  struct stat_linux st;
  return vfs_lstat(abs, &st);
}

long file_read(struct file *f, void *buf, size_t n) {
  if (!f->ops->pread) return LINUX_S_ISDIR(f->mode) ? -LINUX_EISDIR : -LINUX_EINVAL;
  long rc = f->ops->pread(f, buf, n, f->pos);
  if (rc > 0 && !f->ops->stream) f->pos += rc;
  return rc;
}

long file_write(struct file *f, const void *buf, size_t n) {
  if (!f->ops->pwrite) return -LINUX_EINVAL;
  if ((f->flags & LINUX_O_APPEND) && !f->ops->stream && f->ops->fstat) {
    struct stat_linux st;
    if (f->ops->fstat(f, &st) == 0) f->pos = st.st_size;
  }
  long rc = f->ops->pwrite(f, buf, n, f->pos);
  if (rc > 0 && !f->ops->stream) f->pos += rc;
  return rc;
}

// Synthetic objects (devices, the console) have no backing store: owned by
// root, times from the host clock at the time of the call.
void vfs_stat_synth(struct stat_linux *st, uint32_t mode, uint64_t ino, uint64_t rdev) {
  memset(st, 0, sizeof(*st));
  st->st_mode = mode;
  st->st_ino = ino;
  st->st_nlink = 1;
  st->st_rdev = rdev;
  st->st_blksize = 4096;
  st->st_dev = 5;
  vfs_clock_stat(st);
}

void vfs_clock_stat(struct stat_linux *st) {
  int64_t ns = host_clock(0);
  st->st_atime_sec = st->st_mtime_sec = st->st_ctime_sec = (uint64_t)(ns / 1000000000);
  st->st_atime_nsec = st->st_mtime_nsec = st->st_ctime_nsec = (uint64_t)(ns % 1000000000);
}
