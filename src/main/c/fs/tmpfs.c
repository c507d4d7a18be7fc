// SPDX-License-Identifier: MIT
// tmpfs: directories, regular files and symlinks kept in linear memory (so a
// snapshot of linear memory holds them). Owns tmpfs nodes only; the checks
// common to every backend (EEXIST, EISDIR, EROFS...) are fs/vfs.c's.
#include <stdlib.h>
#include <string.h>

#include "../host/host.h"
#include "vfs.h"

struct tmpfs_node {
  uint32_t mode;  // type and permission bits
  uint64_t ino;
  uint32_t nlink;
  uint32_t uid, gid;
  int refs;       // open files + 1 while linked in a directory
  char *name;     // own name in the parent (malloc'd)
  struct tmpfs_node *parent, *child, *next; // tree links; next = sibling
  uint8_t *data;  // regular file bytes or symlink target
  uint64_t size, cap;
  int64_t mtime_ns, ctime_ns, atime_ns;
  int seq;       // position in the parent's listing: stable while others come and go
  int next_seq;  // directories: seq of the next child linked in
};

struct tmpfs {
  struct tmpfs_node *root;
  uint64_t next_ino;
};

static struct tmpfs_node *node_new(struct tmpfs *fs, uint32_t mode) {
  struct tmpfs_node *n = calloc(1, sizeof(*n));
  if (!n) return NULL;
  n->mode = mode;
  n->ino = fs->next_ino++;
  n->nlink = LINUX_S_ISDIR(mode) ? 2 : 1;
  n->refs = 1;
  n->mtime_ns = n->ctime_ns = n->atime_ns = host_clock(0);
  return n;
}

static void node_put(struct tmpfs_node *n) {
  if (--n->refs > 0) return;
  free(n->name);
  free(n->data);
  free(n);
}

void *tmpfs_new(void) {
  struct tmpfs *fs = calloc(1, sizeof(*fs));
  if (!fs) return NULL;
  fs->next_ino = 1;
  fs->root = node_new(fs, LINUX_S_IFDIR | 0755);
  if (!fs->root) {
    free(fs);
    return NULL;
  }
  return fs;
}

static void free_tree(struct tmpfs_node *n) {
  while (n->child) {
    struct tmpfs_node *c = n->child;
    n->child = c->next;
    free_tree(c);
  }
  free(n->name);
  free(n->data);
  free(n);
}

// Frees a whole tmpfs (vfs_reset: the machine is being torn down, so open
// files of it are gone too).
void tmpfs_free(void *data) {
  struct tmpfs *fs = data;
  if (!fs) return;
  free_tree(fs->root);
  free(fs);
}

static struct tmpfs_node *child_find(struct tmpfs_node *dir, const char *name, size_t len) {
  for (struct tmpfs_node *c = dir->child; c; c = c->next)
    if (strlen(c->name) == len && memcmp(c->name, name, len) == 0) return c;
  return NULL;
}

// Walks rel (canonical, "" = root). If parent is given, stops before the last
// component: *parent gets its directory and *last the name.
static struct tmpfs_node *walk(struct mount *m, const char *rel, struct tmpfs_node **parent, const char **last) {
  struct tmpfs *fs = m->data;
  struct tmpfs_node *n = fs->root;
  const char *p = rel;
  while (*p) {
    const char *e = strchr(p, '/');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (parent && !e) {
      *parent = n;
      *last = p;
      return n;
    }
    if (!LINUX_S_ISDIR(n->mode)) return NULL;
    n = child_find(n, p, len);
    if (!n) return NULL;
    p = e ? e + 1 : p + len;
  }
  if (parent) return NULL; // the root has no parent
  return n;
}

static void node_stat(struct tmpfs_node *n, struct stat_linux *st) {
  memset(st, 0, sizeof(*st));
  st->st_ino = n->ino;
  st->st_mode = n->mode;
  st->st_nlink = n->nlink;
  st->st_uid = n->uid;
  st->st_gid = n->gid;
  st->st_size = LINUX_S_ISDIR(n->mode) ? 4096 : (int64_t)n->size;
  st->st_blksize = 4096;
  // Whole 4 KiB pages, as Linux's tmpfs (and ext4) count them; symlinks are
  // kept inline (none). Directories report one block for their 4096 bytes.
  uint64_t bytes = LINUX_S_ISDIR(n->mode) ? 4096 : LINUX_S_ISLNK(n->mode) ? 0 : n->size;
  st->st_blocks = (int64_t)((bytes + 4095) / 4096 * 8);
  st->st_atime_sec = (uint64_t)(n->atime_ns / 1000000000);
  st->st_atime_nsec = (uint64_t)(n->atime_ns % 1000000000);
  st->st_mtime_sec = (uint64_t)(n->mtime_ns / 1000000000);
  st->st_mtime_nsec = (uint64_t)(n->mtime_ns % 1000000000);
  st->st_ctime_sec = (uint64_t)(n->ctime_ns / 1000000000);
  st->st_ctime_nsec = (uint64_t)(n->ctime_ns % 1000000000);
}

static int tmpfs_stat(struct mount *m, const char *rel, struct stat_linux *st) {
  struct tmpfs_node *n = walk(m, rel, NULL, NULL);
  if (!n) return -LINUX_ENOENT;
  node_stat(n, st);
  return 0;
}

static int tmpfs_readlink(struct mount *m, const char *rel, char *buf, size_t len) {
  struct tmpfs_node *n = walk(m, rel, NULL, NULL);
  if (!n) return -LINUX_ENOENT;
  if (!LINUX_S_ISLNK(n->mode)) return -LINUX_EINVAL;
  size_t k = n->size < len ? n->size : len;
  memcpy(buf, n->data, k);
  return (int)k;
}

// Appends n to dir's children. Children stay in seq order, so a listing
// that is read while entries are deleted (rm -r) neither skips nor repeats.
static void link_node(struct tmpfs_node *dir, struct tmpfs_node *n) {
  struct tmpfs_node **pp = &dir->child;
  while (*pp) pp = &(*pp)->next;
  n->next = NULL;
  n->seq = dir->next_seq++;
  n->parent = dir;
  *pp = n;
  if (LINUX_S_ISDIR(n->mode)) dir->nlink++;
}

// Links a new node named by the last component of rel into its parent.
static struct tmpfs_node *create(struct mount *m, const char *rel, uint32_t mode, int *err) {
  struct tmpfs_node *dir;
  const char *name;
  if (!walk(m, rel, &dir, &name) || !LINUX_S_ISDIR(dir->mode)) {
    *err = -LINUX_ENOENT;
    return NULL;
  }
  if (child_find(dir, name, strlen(name))) {
    *err = -LINUX_EEXIST;
    return NULL;
  }
  struct tmpfs_node *n = node_new(m->data, mode);
  if (!n || !(n->name = strdup(name))) {
    free(n);
    *err = -LINUX_ENOMEM;
    return NULL;
  }
  link_node(dir, n);
  dir->mtime_ns = dir->ctime_ns = n->mtime_ns;
  return n;
}

static void unlink_node(struct tmpfs_node *n) {
  struct tmpfs_node *dir = n->parent;
  for (struct tmpfs_node **pp = &dir->child; *pp; pp = &(*pp)->next) {
    if (*pp == n) {
      *pp = n->next;
      break;
    }
  }
  if (LINUX_S_ISDIR(n->mode)) dir->nlink--;
  dir->mtime_ns = dir->ctime_ns = host_clock(0);
  n->parent = NULL;
  n->next = NULL;
  n->nlink = 0;
}

static long tf_pread(struct file *f, void *buf, size_t len, int64_t off) {
  struct tmpfs_node *n = f->priv;
  if (LINUX_S_ISDIR(n->mode)) return -LINUX_EISDIR;
  if (off < 0) return -LINUX_EINVAL;
  if ((uint64_t)off >= n->size) return 0;
  uint64_t k = n->size - (uint64_t)off;
  if (k > len) k = len;
  memcpy(buf, n->data + off, k);
  return (long)k;
}

static int grow(struct tmpfs_node *n, uint64_t size) {
  if (size <= n->cap) return 0;
  if (size > (1ull << 31)) return -LINUX_EFBIG;
  uint64_t cap = n->cap ? n->cap : 256;
  while (cap < size) cap *= 2;
  uint8_t *d = realloc(n->data, cap);
  if (!d) return -LINUX_ENOSPC;
  n->data = d;
  n->cap = cap;
  return 0;
}

static long tf_pwrite(struct file *f, const void *buf, size_t len, int64_t off) {
  struct tmpfs_node *n = f->priv;
  if (off < 0) return -LINUX_EINVAL;
  uint64_t end = (uint64_t)off + len;
  int rc = grow(n, end);
  if (rc) return rc;
  if ((uint64_t)off > n->size) memset(n->data + n->size, 0, (uint64_t)off - n->size);
  memcpy(n->data + off, buf, len);
  if (end > n->size) n->size = end;
  n->mtime_ns = n->ctime_ns = host_clock(0);
  return (long)len;
}

static int tf_truncate(struct file *f, uint64_t len) {
  struct tmpfs_node *n = f->priv;
  int rc = grow(n, len);
  if (rc) return rc;
  if (len > n->size) memset(n->data + n->size, 0, len - n->size);
  n->size = len;
  n->mtime_ns = n->ctime_ns = host_clock(0);
  return 0;
}

static int tf_fstat(struct file *f, struct stat_linux *st) {
  node_stat(f->priv, st);
  st->st_dev = f->mnt ? f->mnt->dev : 0;
  return 0;
}

static int tf_readdir(struct file *f, int idx, struct vfs_dirent *de) {
  struct tmpfs_node *n = f->priv;
  if (!LINUX_S_ISDIR(n->mode)) return -LINUX_ENOTDIR;
  // idx is a position: the first child whose seq is at least idx.
  struct tmpfs_node *c = n->child;
  while (c && c->seq < idx) c = c->next;
  if (!c) return 0;
  de->next = c->seq + 1;
  de->ino = c->ino;
  de->type = (uint8_t)((c->mode & LINUX_S_IFMT) >> 12);
  strncpy(de->name, c->name, LINUX_NAME_MAX);
  de->name[LINUX_NAME_MAX] = 0;
  return 1;
}

static void tf_release(struct file *f) { node_put(f->priv); }

static const struct file_ops tmpfs_file_ops = {
  .pread = tf_pread,
  .pwrite = tf_pwrite,
  .fstat = tf_fstat,
  .readdir = tf_readdir,
  .truncate = tf_truncate,
  .release = tf_release,
};

static int tmpfs_open(struct mount *m, const char *rel, int flags, int mode, struct file *f) {
  struct tmpfs_node *n = walk(m, rel, NULL, NULL);
  if (!n) {
    if (!(flags & LINUX_O_CREAT)) return -LINUX_ENOENT;
    int err;
    n = create(m, rel, LINUX_S_IFREG | (mode & 07777), &err);
    if (!n) return err;
  }
  n->refs++;
  f->priv = n;
  f->ops = &tmpfs_file_ops;
  return 0;
}

static int tmpfs_mkdir(struct mount *m, const char *rel, int mode) {
  int err;
  return create(m, rel, LINUX_S_IFDIR | (mode & 07777), &err) ? 0 : err;
}

static int tmpfs_symlink(struct mount *m, const char *target, const char *rel) {
  int err;
  struct tmpfs_node *n = create(m, rel, LINUX_S_IFLNK | 0777, &err);
  if (!n) return err;
  size_t len = strlen(target);
  if (grow(n, len ? len : 1)) return -LINUX_ENOMEM;
  memcpy(n->data, target, len);
  n->size = len;
  return 0;
}

static int tmpfs_rmdir(struct mount *m, const char *rel) {
  struct tmpfs_node *n = walk(m, rel, NULL, NULL);
  if (!n) return -LINUX_ENOENT;
  if (n->child) return -LINUX_ENOTEMPTY;
  unlink_node(n);
  node_put(n);
  return 0;
}

static int tmpfs_unlink(struct mount *m, const char *rel) {
  struct tmpfs_node *n = walk(m, rel, NULL, NULL);
  if (!n) return -LINUX_ENOENT;
  unlink_node(n);
  node_put(n);
  return 0;
}

static int tmpfs_rename(struct mount *m, const char *from, const char *to) {
  struct tmpfs_node *n = walk(m, from, NULL, NULL);
  if (!n) return -LINUX_ENOENT;
  struct tmpfs_node *dir;
  const char *name;
  if (!walk(m, to, &dir, &name) || !LINUX_S_ISDIR(dir->mode)) return -LINUX_ENOENT;
  struct tmpfs_node *old = child_find(dir, name, strlen(name));
  if (old) {
    if (LINUX_S_ISDIR(old->mode) && old->child) return -LINUX_ENOTEMPTY;
    unlink_node(old);
    node_put(old);
  }
  char *nm = strdup(name);
  if (!nm) return -LINUX_ENOMEM;
  unlink_node(n);
  free(n->name);
  n->name = nm;
  n->nlink = LINUX_S_ISDIR(n->mode) ? 2 : 1;
  link_node(dir, n);
  n->ctime_ns = host_clock(0);
  return 0;
}

static int tmpfs_chmod(struct mount *m, const char *rel, int mode) {
  struct tmpfs_node *n = walk(m, rel, NULL, NULL);
  if (!n) return -LINUX_ENOENT;
  n->mode = (n->mode & LINUX_S_IFMT) | (mode & 07777);
  n->ctime_ns = host_clock(0);
  return 0;
}

static int tmpfs_chown(struct mount *m, const char *rel, int64_t uid, int64_t gid) {
  struct tmpfs_node *n = walk(m, rel, NULL, NULL);
  if (!n) return -LINUX_ENOENT;
  if (uid >= 0) n->uid = (uint32_t)uid;
  if (gid >= 0) n->gid = (uint32_t)gid;
  // chown(2) clears set-user-ID and set-group-ID bits of non-directories
  // (set-group-ID stays when group execute is off: mandatory locking).
  if (!LINUX_S_ISDIR(n->mode) && (uid >= 0 || gid >= 0)) {
    n->mode &= ~(uint32_t)04000;
    if (n->mode & 010) n->mode &= ~(uint32_t)02000;
  }
  n->ctime_ns = host_clock(0);
  return 0;
}

static int tmpfs_utimens(struct mount *m, const char *rel, int64_t atime_ns, int64_t mtime_ns) {
  struct tmpfs_node *n = walk(m, rel, NULL, NULL);
  if (!n) return -LINUX_ENOENT;
  if (atime_ns >= 0) n->atime_ns = atime_ns;
  if (mtime_ns >= 0) n->mtime_ns = mtime_ns;
  n->ctime_ns = host_clock(0);
  return 0;
}

const struct fs_ops tmpfs_ops = {
  .name = "tmpfs",
  .open = tmpfs_open,
  .stat = tmpfs_stat,
  .readlink = tmpfs_readlink,
  .mkdir = tmpfs_mkdir,
  .rmdir = tmpfs_rmdir,
  .unlink = tmpfs_unlink,
  .rename = tmpfs_rename,
  .symlink = tmpfs_symlink,
  .chmod = tmpfs_chmod,
  .chown = tmpfs_chown,
  .utimens = tmpfs_utimens,
};

int tmpfs_mkdir_p(struct mount *m, const char *rel, int mode) {
  char buf[LINUX_PATH_MAX];
  size_t len = strlen(rel);
  if (len >= sizeof(buf)) return -LINUX_ENAMETOOLONG;
  memcpy(buf, rel, len + 1);
  for (size_t i = 0; i <= len; i++) {
    if (buf[i] != '/' && buf[i] != 0) continue;
    if (i == 0) continue;
    char c = buf[i];
    buf[i] = 0;
    struct tmpfs_node *n = walk(m, buf, NULL, NULL);
    if (!n) {
      int rc = tmpfs_mkdir(m, buf, mode);
      if (rc) return rc;
    } else if (!LINUX_S_ISDIR(n->mode)) {
      return -LINUX_ENOTDIR;
    }
    buf[i] = c;
  }
  return 0;
}

int tmpfs_write_file(struct mount *m, const char *rel, const void *data, size_t n, int mode) {
  char dir[LINUX_PATH_MAX];
  size_t len = strlen(rel);
  if (len == 0 || len >= sizeof(dir)) return -LINUX_EINVAL;
  memcpy(dir, rel, len + 1);
  char *slash = strrchr(dir, '/');
  if (slash) {
    *slash = 0;
    int rc = tmpfs_mkdir_p(m, dir, 0755);
    if (rc) return rc;
  }
  struct tmpfs_node *node = walk(m, rel, NULL, NULL);
  if (node && !LINUX_S_ISREG(node->mode)) return -LINUX_EEXIST;
  if (!node) {
    int err;
    node = create(m, rel, LINUX_S_IFREG | (mode & 07777), &err);
    if (!node) return err;
  }
  node->mode = LINUX_S_IFREG | (mode & 07777);
  if (grow(node, n ? n : 1)) return -LINUX_ENOSPC;
  memcpy(node->data, data, n);
  node->size = n;
  return 0;
}
