// SPDX-License-Identifier: MIT
// hostfs: a host directory passed through the file_* imports of host.h. The
// engine resolves every path itself (fs/path.c), so what reaches the host is
// relative, canonical and symlink-free except perhaps the last component;
// the host refuses escapes as a second line of defence. The mount root is
// passed as ".". Owns host handles of open files; must not cache contents.
#include <stdlib.h>
#include <string.h>

#include "../host/host.h"
#include "vfs.h"

#define HOSTFS_DIRBATCH 8192

struct hostfs_file {
  int32_t handle; // host handle, -1 for directories (listed by path)
  char *rel;      // path relative to the mount, for readdir
  // The whole listing, read from the host when a listing starts (position
  // 0): records {type, namelen, name}. Taken at once so that deleting
  // entries while reading (rm -r) neither skips nor repeats any.
  uint8_t *dirbuf;
  int32_t dirlen, dircap, dircount;
  int32_t cur_idx, cur_off; // last entry served and its offset (sequential reads)
};

static const char *host_path(const char *rel) { return *rel ? rel : "."; }

static void from_host_stat(const struct host_stat *h, struct stat_linux *st) {
  memset(st, 0, sizeof(*st));
  st->st_ino = h->ino;
  st->st_mode = h->mode;
  st->st_nlink = h->nlink;
  st->st_uid = h->uid;
  st->st_gid = h->gid;
  st->st_size = (int64_t)h->size;
  st->st_blksize = 4096;
  // The host API has no block count: assume whole 4 KiB blocks (what ext4 and
  // tmpfs allocate; sparse files are the exception) and none for symlinks,
  // which are stored in the inode. ls -s and the "total" of ls -l then agree
  // with the host.
  st->st_blocks = LINUX_S_ISLNK(h->mode) ? 0 : (int64_t)((h->size + 4095) / 4096 * 8);
  st->st_atime_sec = (uint64_t)(h->atime_ns / 1000000000);
  st->st_atime_nsec = (uint64_t)(h->atime_ns % 1000000000);
  st->st_mtime_sec = (uint64_t)(h->mtime_ns / 1000000000);
  st->st_mtime_nsec = (uint64_t)(h->mtime_ns % 1000000000);
  st->st_ctime_sec = (uint64_t)(h->ctime_ns / 1000000000);
  st->st_ctime_nsec = (uint64_t)(h->ctime_ns % 1000000000);
  st->st_dev = h->dev; // the host's device: find -xdev and du see real file systems
}

static int hostfs_stat(struct mount *m, const char *rel, struct stat_linux *st) {
  struct host_stat h;
  memset(&h, 0, sizeof(h));
  const char *p = host_path(rel);
  int rc = host_file_stat(m->host_id, p, (int32_t)strlen(p), &h);
  if (rc < 0) return rc;
  from_host_stat(&h, st);
  return 0;
}

static int hostfs_readlink(struct mount *m, const char *rel, char *buf, size_t n) {
  const char *p = host_path(rel);
  int32_t len = n > 0x7fffffff ? 0x7fffffff : (int32_t)n;
  return host_file_readlink(m->host_id, p, (int32_t)strlen(p), buf, len);
}

static long hf_pread(struct file *f, void *buf, size_t n, int64_t off) {
  struct hostfs_file *hf = f->priv;
  if (hf->handle < 0) return -LINUX_EISDIR;
  if (off < 0) return -LINUX_EINVAL;
  // The import takes 32-bit lengths; a short read is legal read(2) behaviour.
  int32_t len = n > (1u << 30) ? (1 << 30) : (int32_t)n;
  return host_file_pread(hf->handle, buf, len, off);
}

static long hf_pwrite(struct file *f, const void *buf, size_t n, int64_t off) {
  struct hostfs_file *hf = f->priv;
  if (hf->handle < 0) return -LINUX_EISDIR;
  if (off < 0) return -LINUX_EINVAL;
  int32_t len = n > (1u << 30) ? (1 << 30) : (int32_t)n;
  return host_file_pwrite(hf->handle, buf, len, off);
}

static int hf_fstat(struct file *f, struct stat_linux *st) {
  struct hostfs_file *hf = f->priv;
  struct host_stat h;
  memset(&h, 0, sizeof(h));
  int rc = hf->handle >= 0 ? host_file_fstat(hf->handle, &h)
                           : host_file_stat(f->mnt->host_id, host_path(hf->rel),
                                            (int32_t)strlen(host_path(hf->rel)), &h);
  if (rc < 0) return rc;
  from_host_stat(&h, st);
  return 0;
}

// Reads the directory's whole listing from the host, batch by batch.
static int snapshot(struct file *f, struct hostfs_file *hf) {
  const char *p = host_path(hf->rel);
  hf->dirlen = hf->dircount = 0;
  for (;;) {
    if (hf->dircap - hf->dirlen < HOSTFS_DIRBATCH) {
      int32_t cap = hf->dircap ? hf->dircap * 2 : HOSTFS_DIRBATCH * 2;
      uint8_t *b = realloc(hf->dirbuf, (size_t)cap);
      if (!b) return -LINUX_ENOMEM;
      hf->dirbuf = b;
      hf->dircap = cap;
    }
    int rc = host_file_readdir(f->mnt->host_id, p, (int32_t)strlen(p), hf->dircount, hf->dirbuf + hf->dirlen,
                               HOSTFS_DIRBATCH);
    if (rc < 0) return rc;
    if (rc == 0) break;
    int32_t o = 0, n = 0;
    const uint8_t *r = hf->dirbuf + hf->dirlen;
    while (o + 2 <= rc && o + 2 + r[o + 1] <= rc) {
      o += 2 + r[o + 1];
      n++;
    }
    if (!n) return -LINUX_EIO; // a record that does not fit the batch: the host broke the format
    hf->dirlen += o;
    hf->dircount += n;
  }
  hf->cur_idx = hf->cur_off = 0;
  return 0;
}

static int hf_readdir(struct file *f, int idx, struct vfs_dirent *de) {
  struct hostfs_file *hf = f->priv;
  if (hf->handle >= 0) return -LINUX_ENOTDIR;
  if (idx == 0 || !hf->dirbuf) {
    int rc = snapshot(f, hf);
    if (rc) return rc;
  }
  if (idx >= hf->dircount) return 0;
  if (idx < hf->cur_idx) hf->cur_idx = hf->cur_off = 0;
  while (hf->cur_idx < idx) {
    hf->cur_off += 2 + hf->dirbuf[hf->cur_off + 1];
    hf->cur_idx++;
  }
  const uint8_t *buf = hf->dirbuf + hf->cur_off;
  de->type = buf[0];
  memcpy(de->name, buf + 2, buf[1]);
  de->name[buf[1]] = 0;
  de->ino = 0;
  // The host record carries no inode; ask for it so ls -i and find -inum agree with stat.
  char full[LINUX_PATH_MAX];
  size_t rl = strlen(hf->rel);
  if (rl + 1 + buf[1] < sizeof(full)) {
    memcpy(full, hf->rel, rl);
    size_t k = rl;
    if (rl) full[k++] = '/';
    memcpy(full + k, de->name, (size_t)buf[1] + 1);
    struct host_stat h;
    if (host_file_stat(f->mnt->host_id, full, (int32_t)strlen(full), &h) == 0) de->ino = h.ino;
  }
  if (!de->ino) de->ino = 1 + (uint64_t)idx;
  return 1;
}

static int hf_truncate(struct file *f, uint64_t len) {
  struct hostfs_file *hf = f->priv;
  if (hf->handle < 0) return -LINUX_EISDIR;
  return host_file_ftruncate(hf->handle, (int64_t)len);
}

static void hf_release(struct file *f) {
  struct hostfs_file *hf = f->priv;
  if (!hf) return;
  if (hf->handle >= 0) host_file_close(hf->handle);
  free(hf->dirbuf);
  free(hf->rel);
  free(hf);
}

static const struct file_ops hostfs_file_ops = {
  .pread = hf_pread,
  .pwrite = hf_pwrite,
  .fstat = hf_fstat,
  .readdir = hf_readdir,
  .truncate = hf_truncate,
  .release = hf_release,
};

static int hostfs_open(struct mount *m, const char *rel, int flags, int mode, struct file *f) {
  struct hostfs_file *hf = calloc(1, sizeof(*hf));
  if (!hf) return -LINUX_ENOMEM;
  hf->rel = strdup(rel);
  hf->handle = -1;
  if (!hf->rel) {
    free(hf);
    return -LINUX_ENOMEM;
  }
  if (!LINUX_S_ISDIR(f->mode) || (flags & LINUX_O_CREAT)) {
    const char *p = host_path(rel);
    int32_t hflags = flags & (LINUX_O_ACCMODE | LINUX_O_CREAT | LINUX_O_EXCL | LINUX_O_APPEND);
    int32_t h = host_file_open(m->host_id, p, (int32_t)strlen(p), hflags, mode & 07777);
    if (h < 0) {
      free(hf->rel);
      free(hf);
      return h;
    }
    hf->handle = h;
  }
  f->priv = hf;
  f->ops = &hostfs_file_ops;
  return 0;
}

static int op1(struct mount *m, const char *rel, int op, int64_t arg) {
  const char *p = host_path(rel);
  return host_file_op(m->host_id, p, (int32_t)strlen(p), op, arg);
}

static int hostfs_mkdir(struct mount *m, const char *rel, int mode) { return op1(m, rel, 0, mode & 07777); }
static int hostfs_rmdir(struct mount *m, const char *rel) { return op1(m, rel, 1, 0); }
static int hostfs_unlink(struct mount *m, const char *rel) { return op1(m, rel, 2, 0); }
static int hostfs_chmod(struct mount *m, const char *rel, int mode) { return op1(m, rel, 4, mode & 07777); }

static int hostfs_rename(struct mount *m, const char *from, const char *to) {
  return host_file_op2(m->host_id, from, (int32_t)strlen(from), to, (int32_t)strlen(to), 0);
}

// The target is link text, stored as is (it is resolved in the guest
// namespace when followed), so it may be absolute or contain "..".
static int hostfs_symlink(struct mount *m, const char *target, const char *rel) {
  return host_file_op2(m->host_id, target, (int32_t)strlen(target), rel, (int32_t)strlen(rel), 1);
}

const struct fs_ops hostfs_ops = {
  .name = "hostfs",
  .open = hostfs_open,
  .stat = hostfs_stat,
  .readlink = hostfs_readlink,
  .mkdir = hostfs_mkdir,
  .rmdir = hostfs_rmdir,
  .unlink = hostfs_unlink,
  .rename = hostfs_rename,
  .symlink = hostfs_symlink,
  .chmod = hostfs_chmod,
};
