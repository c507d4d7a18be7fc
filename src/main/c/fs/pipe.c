// SPDX-License-Identifier: MIT
// Pipes: 16 pages between a read end and a write end (pipe(7)).
// Reads of an empty pipe and writes to a full one sleep on the pipe (the
// kernel re-runs the syscall when sched_wake(pipe) says something changed);
// EOF when no writer is left, EPIPE when no reader is. Writes of at most
// PIPE_BUF bytes are atomic. Owns struct pipe; knows no task or signal.
#include <stdlib.h>
#include <string.h>

#include "../mem/mem.h"
#include "../util/fmt.h"
#include "vfs.h"

// Linux keeps a pipe as a ring of 16 page buffers (pipe(7): 65536 bytes
// since 2.6.11); capacity, merging of small writes into the last page and
// PIPE_BUF atomicity all follow from that, so the same ring is kept here.
#define PIPE_SLOTS 16
#define PIPE_PAGE 4096
#define PIPE_BUF 4096

struct pipe {
  uint8_t *buf; // PIPE_SLOTS pages
  struct {
    uint16_t off, len;
  } slot[PIPE_SLOTS];
  unsigned tail, used; // first occupied slot, occupied slots
  size_t bytes;
  int readers, writers;
  uint64_t ino;
};

static uint64_t next_ino = 1000;

static long pipe_pread(struct file *f, void *out, size_t n, int64_t off) {
  struct pipe *p = f->priv;
  if (!p->bytes) {
    if (!p->writers) return 0;
    if (f->flags & LINUX_O_NONBLOCK) return -LINUX_EAGAIN;
    sched_block_on(p);
    return -LINUX_ERESTARTSYS;
  }
  size_t done = 0;
  while (done < n && p->used) {
    unsigned s = p->tail;
    size_t k = n - done < p->slot[s].len ? n - done : p->slot[s].len;
    memcpy((uint8_t *)out + done, p->buf + s * PIPE_PAGE + p->slot[s].off, k);
    p->slot[s].off += (uint16_t)k;
    p->slot[s].len -= (uint16_t)k;
    done += k;
    p->bytes -= k;
    if (!p->slot[s].len) {
      p->tail = (p->tail + 1) % PIPE_SLOTS;
      p->used--;
    }
  }
  sched_wake(p);
  return (long)done;
}

// Linux's pipe_write: the tail (n mod 4096) of a write joins the last page
// if it fits there whole, the rest takes fresh pages. With no page free a
// write of n <= PIPE_BUF writes nothing. A short count with the pipe full
// also names the pipe as the wait channel: the caller (sys_write) sleeps
// and writes the rest, as Linux does.
static long pipe_pwrite(struct file *f, const void *in, size_t n, int64_t off) {
  struct pipe *p = f->priv;
  if (!p->readers) return -LINUX_EPIPE;
  size_t done = 0, chars = n & (PIPE_PAGE - 1);
  if (chars && p->used) {
    unsigned s = (p->tail + p->used - 1) % PIPE_SLOTS;
    size_t end = p->slot[s].off + p->slot[s].len;
    if (end + chars <= PIPE_PAGE) {
      memcpy(p->buf + s * PIPE_PAGE + end, in, chars);
      p->slot[s].len += (uint16_t)chars;
      done = chars;
    }
  }
  while (done < n && p->used < PIPE_SLOTS) {
    unsigned s = (p->tail + p->used) % PIPE_SLOTS;
    size_t k = n - done < PIPE_PAGE ? n - done : PIPE_PAGE;
    memcpy(p->buf + s * PIPE_PAGE, (const uint8_t *)in + done, k);
    p->slot[s].off = 0;
    p->slot[s].len = (uint16_t)k;
    p->used++;
    done += k;
  }
  p->bytes += done;
  if (done) sched_wake(p);
  if (done < n && !(f->flags & LINUX_O_NONBLOCK)) sched_block_on(p);
  if (!done) return (f->flags & LINUX_O_NONBLOCK) ? -LINUX_EAGAIN : -LINUX_ERESTARTSYS;
  return (long)done;
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
    if (p->bytes) r |= LINUX_POLLIN;
    if (!p->writers) r |= LINUX_POLLHUP;
  } else {
    if (p->used < PIPE_SLOTS) r |= LINUX_POLLOUT;
    if (!p->readers) r |= LINUX_POLLERR;
  }
  return r;
}

static long pipe_ioctl(struct file *f, uint32_t req, uint64_t arg, struct mm *mm) {
  struct pipe *p = f->priv;
  if (req != LINUX_FIONREAD) return -LINUX_ENOTTY;
  int32_t n = (int32_t)p->bytes;
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
  uint8_t *buf = malloc(PIPE_SLOTS * PIPE_PAGE);
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
  char name[32]; // what /proc/PID/fd/N links to
  fmt_snprintf(name, sizeof(name), "pipe:[%llu]", (unsigned long long)p->ino);
  r->path = strdup(name);
  w->path = strdup(name);
  *rd = r;
  *wr = w;
  return 0;
}
