// SPDX-License-Identifier: MIT
// devfs: the handful of device nodes static programs open (/dev/null, zero,
// full, random, urandom, tty, console, stdin/stdout/stderr). A fixed table,
// no state of its own; randomness only through host_random.
#include <string.h>

#include "../host/host.h"
#include "vfs.h"

enum { DEV_NULL, DEV_ZERO, DEV_FULL, DEV_RANDOM, DEV_URANDOM, DEV_TTY, DEV_CONSOLE, DEV_STDIN, DEV_STDOUT, DEV_STDERR };

struct devfs_node {
  const char *name;
  uint32_t rdev; // major << 8 | minor (devices(7))
  uint32_t perm;
};

// Quirk: /dev/stdin, stdout and stderr are the console itself, not links to
// /proc/self/fd/N, so they ignore redirections.
static const struct devfs_node nodes[] = {
  [DEV_NULL] = {"null", 0x103, 0666},    [DEV_ZERO] = {"zero", 0x105, 0666},
  [DEV_FULL] = {"full", 0x107, 0666},    [DEV_RANDOM] = {"random", 0x108, 0666},
  [DEV_URANDOM] = {"urandom", 0x109, 0666}, [DEV_TTY] = {"tty", 0x500, 0666},
  [DEV_CONSOLE] = {"console", 0x501, 0600}, [DEV_STDIN] = {"stdin", 0x500, 0666},
  [DEV_STDOUT] = {"stdout", 0x500, 0666}, [DEV_STDERR] = {"stderr", 0x500, 0666},
};
#define DEVFS_COUNT ((int)(sizeof(nodes) / sizeof(nodes[0])))

static int lookup(const char *rel) {
  for (int i = 0; i < DEVFS_COUNT; i++)
    if (strcmp(nodes[i].name, rel) == 0) return i;
  return -1;
}

static int devfs_stat(struct mount *m, const char *rel, struct stat_linux *st) {
  if (!*rel) {
    vfs_stat_synth(st, LINUX_S_IFDIR | 0755, 1, 0);
    st->st_nlink = 2;
    return 0;
  }
  int i = lookup(rel);
  if (i < 0) return -LINUX_ENOENT;
  vfs_stat_synth(st, LINUX_S_IFCHR | nodes[i].perm, 2 + (uint64_t)i, nodes[i].rdev);
  return 0;
}

static long dev_pread(struct file *f, void *buf, size_t n, int64_t off) {
  switch (f->handle) {
  case DEV_NULL:
    return 0;
  case DEV_RANDOM:
  case DEV_URANDOM:
    if (n > (1u << 25)) n = 1u << 25; // urandom(4): large reads may be short
    host_random(buf, (int32_t)n);
    return (long)n;
  default: // zero, full
    memset(buf, 0, n);
    return (long)n;
  }
}

static long dev_pwrite(struct file *f, const void *buf, size_t n, int64_t off) {
  return f->handle == DEV_FULL ? -LINUX_ENOSPC : (long)n;
}

static int dev_fstat(struct file *f, struct stat_linux *st) {
  int i = (int)f->handle;
  if (i < 0) return devfs_stat(f->mnt, "", st);
  vfs_stat_synth(st, LINUX_S_IFCHR | nodes[i].perm, 2 + (uint64_t)i, nodes[i].rdev);
  return 0;
}

static int dev_readdir(struct file *f, int idx, struct vfs_dirent *de) {
  if (f->handle >= 0) return -LINUX_ENOTDIR;
  if (idx >= DEVFS_COUNT) return 0;
  de->ino = 2 + (uint64_t)idx;
  de->type = LINUX_DT_CHR;
  strcpy(de->name, nodes[idx].name);
  return 1;
}

static int dev_poll(struct file *f) { return LINUX_POLLIN | LINUX_POLLOUT; }

static const struct file_ops devfs_file_ops = {
  .pread = dev_pread,
  .pwrite = dev_pwrite,
  .fstat = dev_fstat,
  .readdir = dev_readdir,
  .poll = dev_poll,
  .stream = 1,
};

static int devfs_open(struct mount *m, const char *rel, int flags, int mode, struct file *f) {
  if (!*rel) {
    f->handle = -1;
    f->ops = &devfs_file_ops;
    return 0;
  }
  int i = lookup(rel);
  if (i < 0) return -LINUX_ENOENT; // no creating device nodes: open(2) gives EACCES on real /dev, ENOENT is close enough
  if (i >= DEV_TTY) {
    // The console's own file ops, with its tty semantics.
    f->ops = &console_file_ops;
    f->handle = i == DEV_STDERR ? 2 : 1;
    return 0;
  }
  f->handle = i;
  f->ops = &devfs_file_ops;
  return 0;
}

const struct fs_ops devfs_ops = {
  .name = "devfs",
  .open = devfs_open,
  .stat = devfs_stat,
};
