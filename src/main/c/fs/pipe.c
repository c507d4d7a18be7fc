// SPDX-License-Identifier: MIT
// Pipes: a 64 KiB ring buffer between a read end and a write end (pipe(7)).
// Reads of an empty pipe and writes to a full one sleep on the pipe (the
// kernel re-runs the syscall when sched_wake(pipe) says something changed);
// EOF when no writer is left, EPIPE when no reader is. Writes of at most
// PIPE_BUF bytes are atomic. Owns struct pipe; knows no task or signal.
#include <stdlib.h>
#include <string.h>

#include "../mem/mem.h"
#include "vfs.h"

#define PIPE_SIZE 65536
#define PIPE_BUF 4096

struct pipe {
  uint8_t *buf;
  size_t head, len; // unread bytes: len from head (wrapping)
  int readers, writers;
  uint64_t ino;
};

static uint64_t next_ino = 1000;

static long pipe_pread(struct file *f, void *out, size_t n, int64_t off) {
  struct pipe *p = f->priv;
  if (!p->len) {
    if (!p->writers) return 0;
    if (f->flags & LINUX_O_NONBLOCK) return -LINUX_EAGAIN;
    sched_block_on(p);
    return -LINUX_ERESTARTSYS;
  }
  size_t k = n < p->len ? n : p->len;
  size_t first = PIPE_SIZE - p->head < k ? PIPE_SIZE - p->head : k;
  memcpy(out, p->buf + p->head, first);
  memcpy((uint8_t *)out + first, p->buf, k - first);
  p->head = (p->head + k) % PIPE_SIZE;
  p->len -= k;
  if (!p->len) p->head = 0;
  sched_wake(p);
  return (long)k;
}

// A write larger than the free space writes what fits and returns the short
// count (Linux would sleep until all of it is written; see kernel/README.md).
static long pipe_pwrite(struct file *f, const void *in, size_t n, int64_t off) {
  struct pipe *p = f->priv;
  if (!p->readers) return -LINUX_EPIPE;
  size_t space = PIPE_SIZE - p->len;
  if (!space || (n <= PIPE_BUF && space < n)) {
    if (f->flags & LINUX_O_NONBLOCK) return -LINUX_EAGAIN;
    sched_block_on(p);
    return -LINUX_ERESTARTSYS;
  }
  size_t k = n < space ? n : space;
  size_t tail = (p->head + p->len) % PIPE_SIZE;
  size_t first = PIPE_SIZE - tail < k ? PIPE_SIZE - tail : k;
  memcpy(p->buf + tail, in, first);
  memcpy(p->buf, (const uint8_t *)in + first, k - first);
  p->len += k;
  sched_wake(p);
  return (long)k;
}

static int pipe_fstat(struct file *f, struct stat_linux *st) {
  struct pipe *p = f->priv;
  vfs_stat_synth(st, LINUX_S_IFIFO | 0600, p->ino, 0);
  st->st_dev = 0xc; // pipefs
  st->st_blksize = 4096;
  return 0;
}

static int pipe_poll(struct file *f) {
  struct pipe *p = f->priv;
  int r = 0;
  if ((f->flags & LINUX_O_ACCMODE) == LINUX_O_RDONLY) {
    if (p->len) r |= LINUX_POLLIN;
    if (!p->writers) r |= LINUX_POLLHUP;
  } else {
    if (PIPE_SIZE - p->len >= PIPE_BUF) r |= LINUX_POLLOUT;
    if (!p->readers) r |= LINUX_POLLERR;
  }
  return r;
}

static long pipe_ioctl(struct file *f, uint32_t req, uint64_t arg, struct mm *mm) {
  struct pipe *p = f->priv;
  if (req != LINUX_FIONREAD) return -LINUX_ENOTTY;
  int32_t n = (int32_t)p->len;
  return mm_write(mm, arg, &n, 4) ? -LINUX_EFAULT : 0;
}

static void pipe_release(struct file *f) {
  struct pipe *p = f->priv;
  if ((f->flags & LINUX_O_ACCMODE) == LINUX_O_RDONLY) p->readers--;
  else p->writers--;
  sched_wake(p); // readers see EOF, writers EPIPE
  if (p->readers <= 0 && p->writers <= 0) {
    free(p->buf);
    free(p);
  }
}

static const struct file_ops pipe_ops = {
  .pread = pipe_pread,
  .pwrite = pipe_pwrite,
  .fstat = pipe_fstat,
  .ioctl = pipe_ioctl,
  .poll = pipe_poll,
  .release = pipe_release,
  .stream = 1,
};

int pipe_new(struct file **rd, struct file **wr) {
  struct pipe *p = calloc(1, sizeof(*p));
  uint8_t *buf = malloc(PIPE_SIZE);
  struct file *r = file_new(&pipe_ops, LINUX_O_RDONLY, LINUX_S_IFIFO);
  struct file *w = file_new(&pipe_ops, LINUX_O_WRONLY, LINUX_S_IFIFO);
  if (!p || !buf || !r || !w) {
    free(p);
    free(buf);
    // Not yet a pipe: release must not run on these.
    if (r) {
      r->ops = NULL;
      file_put(r);
    }
    if (w) {
      w->ops = NULL;
      file_put(w);
    }
    return -LINUX_ENOMEM;
  }
  p->buf = buf;
  p->readers = p->writers = 1;
  p->ino = next_ino++;
  r->priv = w->priv = p;
  r->path = strdup("pipe:");
  w->path = strdup("pipe:");
  *rd = r;
  *wr = w;
  return 0;
}
