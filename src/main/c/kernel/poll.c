// SPDX-License-Identifier: MIT
// poll, ppoll, select, pselect6, epoll over any open files (pipes, the console,
// regular files, which are always ready). A call with nothing ready sleeps
// on kernel_chan_poll, which every wakeup and host input also wakes, and
// re-checks all its files; a timeout is a deadline on the guest clock.
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "syscalls.h"

static int readiness(struct file *f) { return f->ops->poll ? f->ops->poll(f) : (LINUX_POLLIN | LINUX_POLLOUT); }

// Starts, continues or ends a timed sleep: 1 if the timeout has passed,
// 0 to sleep (deadline set). timeout_ns < 0: no timeout.
static int timed_out(struct task *t, int64_t timeout_ns) {
  if (timeout_ns < 0) return 0;
  if (timeout_ns == 0) return 1;
  int64_t now = kernel_now();
  if (!t->deadline) {
    t->deadline = now + timeout_ns;
    return 0;
  }
  return now >= t->deadline;
}

// The temporary signal mask of ppoll/pselect6 (restored when the call ends;
// a handler's frame saves the old one).
static int temp_mask(struct task *t, uint64_t addr, uint64_t size) {
  if (!addr) return 0;
  if (size != 8) return -LINUX_EINVAL;
  uint64_t set;
  if (mm_read(t->proc->mm, &set, addr, 8)) return -LINUX_EFAULT;
  if (!t->has_saved_mask) {
    t->saved_mask = t->sigmask;
    t->has_saved_mask = 1;
  }
  t->sigmask = set & ~((1ull << (LINUX_SIGKILL - 1)) | (1ull << (LINUX_SIGSTOP - 1)));
  return 0;
}

static int64_t do_poll(struct task *t, uint64_t addr, uint64_t nfds, int64_t timeout_ns) {
  if (nfds > KERNEL_FD_MAX) return -LINUX_EINVAL;
  struct pollfd_linux *pf = nfds ? malloc(nfds * sizeof(*pf)) : NULL;
  if (nfds && !pf) return -LINUX_ENOMEM;
  if (nfds && mm_read(t->proc->mm, pf, addr, nfds * sizeof(*pf))) {
    free(pf);
    return -LINUX_EFAULT;
  }
  int64_t ready = 0;
  for (uint64_t i = 0; i < nfds; i++) {
    pf[i].revents = 0;
    if (pf[i].fd < 0) continue;
    struct file *f = fd_get(t->proc, pf[i].fd);
    int mask = f ? readiness(f) : LINUX_POLLNVAL;
    pf[i].revents = (int16_t)(mask & (pf[i].events | LINUX_POLLERR | LINUX_POLLHUP | LINUX_POLLNVAL));
    if (pf[i].revents) ready++;
  }
  if (!ready && !timed_out(t, timeout_ns)) {
    free(pf);
    sched_block_on(kernel_chan_poll);
    return -KERNEL_ERESTARTNOHAND;
  }
  int64_t rc = 0;
  if (nfds && mm_write(t->proc->mm, addr, pf, nfds * sizeof(*pf))) rc = -LINUX_EFAULT;
  free(pf);
  return rc ? rc : ready;
}

int64_t sys_poll(struct task *t, const uint64_t *a) {
  int ms = (int)a[2];
  return do_poll(t, a[0], a[1], ms < 0 ? -1 : (int64_t)ms * 1000000);
}

int64_t sys_ppoll(struct task *t, const uint64_t *a) {
  int64_t ns = -1;
  if (a[2]) {
    struct timespec_linux ts;
    if (mm_read(t->proc->mm, &ts, a[2], sizeof(ts))) return -LINUX_EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return -LINUX_EINVAL;
    ns = ts.tv_sec > 1000000000ll * 9 ? INT64_MAX / 4 : ts.tv_sec * 1000000000 + ts.tv_nsec;
  }
  int rc = temp_mask(t, a[3], a[4]);
  if (rc) return rc;
  return do_poll(t, a[0], a[1], ns);
}

// select(2) over fd_set bitmaps of nfds bits (in 64-bit words).
static int64_t do_select(struct task *t, int nfds, const uint64_t *sets, int64_t timeout_ns) {
  if (nfds < 0 || nfds > KERNEL_FD_MAX) return -LINUX_EINVAL;
  size_t words = ((size_t)nfds + 63) / 64, bytes = words * 8;
  uint64_t in[3][KERNEL_FD_MAX / 64], out[3][KERNEL_FD_MAX / 64];
  memset(in, 0, sizeof(in));
  memset(out, 0, sizeof(out));
  for (int k = 0; k < 3; k++)
    if (sets[k] && bytes && mm_read(t->proc->mm, in[k], sets[k], bytes)) return -LINUX_EFAULT;
  int64_t ready = 0;
  for (int fd = 0; fd < nfds; fd++) {
    uint64_t b = 1ull << (fd & 63);
    int w = fd >> 6;
    if (!((in[0][w] | in[1][w] | in[2][w]) & b)) continue;
    struct file *f = fd_get(t->proc, fd);
    if (!f) return -LINUX_EBADF;
    int mask = readiness(f);
    if ((in[0][w] & b) && (mask & (LINUX_POLLIN | LINUX_POLLHUP | LINUX_POLLERR))) out[0][w] |= b, ready++;
    if ((in[1][w] & b) && (mask & (LINUX_POLLOUT | LINUX_POLLERR))) out[1][w] |= b, ready++;
    if ((in[2][w] & b) && (mask & LINUX_POLLPRI)) out[2][w] |= b, ready++;
  }
  if (!ready && !timed_out(t, timeout_ns)) {
    sched_block_on(kernel_chan_poll);
    return -KERNEL_ERESTARTNOHAND;
  }
  for (int k = 0; k < 3; k++)
    if (sets[k] && bytes && mm_write(t->proc->mm, sets[k], out[k], bytes)) return -LINUX_EFAULT;
  return ready;
}

// The time left of a select timeout, as Linux writes it back.
static int64_t left_ns(struct task *t, int64_t ns) {
  if (!t->deadline) return ns; // ready at once
  int64_t l = t->deadline - kernel_now();
  return l > 0 ? l : 0;
}

int64_t sys_select(struct task *t, const uint64_t *a) {
  int64_t ns = -1;
  struct timeval_linux tv;
  if (a[4]) {
    if (mm_read(t->proc->mm, &tv, a[4], sizeof(tv))) return -LINUX_EFAULT;
    if (tv.tv_sec < 0 || tv.tv_usec < 0) return -LINUX_EINVAL;
    ns = tv.tv_sec > 1000000000ll * 9 ? INT64_MAX / 4 : tv.tv_sec * 1000000000 + (tv.tv_usec % 1000000) * 1000 + tv.tv_usec / 1000000 * 1000000000;
  }
  uint64_t sets[3] = {a[1], a[2], a[3]};
  int64_t rc = do_select(t, (int)a[0], sets, ns);
  if (rc >= 0 && a[4] && ns > 0) {
    int64_t l = rc ? left_ns(t, ns) : 0;
    struct timeval_linux left = {l / 1000000000, (l % 1000000000) / 1000};
    if (mm_write(t->proc->mm, a[4], &left, sizeof(left))) return -LINUX_EFAULT;
  }
  return rc;
}

int64_t sys_pselect6(struct task *t, const uint64_t *a) {
  int64_t ns = -1;
  struct timespec_linux ts;
  if (a[4]) {
    if (mm_read(t->proc->mm, &ts, a[4], sizeof(ts))) return -LINUX_EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return -LINUX_EINVAL;
    ns = ts.tv_sec > 1000000000ll * 9 ? INT64_MAX / 4 : ts.tv_sec * 1000000000 + ts.tv_nsec;
  }
  if (a[5]) { // struct { const sigset_t *ss; size_t ss_len; }
    uint64_t sig[2];
    if (mm_read(t->proc->mm, sig, a[5], sizeof(sig))) return -LINUX_EFAULT;
    int rc = temp_mask(t, sig[0], sig[1]);
    if (rc) return rc;
  }
  uint64_t sets[3] = {a[1], a[2], a[3]};
  int64_t rc = do_select(t, (int)a[0], sets, ns);
  if (rc >= 0 && a[4] && ns > 0) {
    int64_t l = rc ? left_ns(t, ns) : 0;
    struct timespec_linux left = {l / 1000000000, l % 1000000000};
    if (mm_write(t->proc->mm, a[4], &left, sizeof(left))) return -LINUX_EFAULT;
  }
  return rc;
}

// epoll (epoll(7)), level-triggered over the same readiness as poll:
// EPOLLET is accepted and reported like level-triggered events (a caller
// reading until EAGAIN sees no difference); EPOLLONESHOT disables the entry
// after one report. Entries name the caller's descriptors; an entry whose
// descriptor was closed is skipped.
#define EPOLLONESHOT (1u << 30)
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

struct epitem {
  int fd;
  int disabled;        // EPOLLONESHOT fired
  const void *file;    // the open file at EPOLL_CTL_ADD (compared, never used)
  uint32_t events;
  uint64_t data;
};

struct epoll {
  struct epitem *items;
  int n, cap;
};

// struct epoll_event is packed on x86-64: u32 events, u64 data.
struct epoll_event_linux {
  uint32_t events;
  uint64_t data;
} __attribute__((packed));
_Static_assert(sizeof(struct epoll_event_linux) == 12, "epoll_event size");

static int epoll_ready(struct task *t, struct epoll *ep, struct epoll_event_linux *out, int max);

static int ep_poll(struct file *f) {
  struct task *t = kernel_current();
  return t && epoll_ready(t, f->priv, NULL, 1) ? LINUX_POLLIN : 0;
}

static void ep_release(struct file *f) {
  struct epoll *ep = f->priv;
  if (!ep) return;
  free(ep->items);
  free(ep);
}

static int ep_fstat(struct file *f, struct stat_linux *st) {
  vfs_stat_synth(st, 0600, 1, 0); // anon_inode:[eventpoll]: no file type bits
  st->st_dev = 0xd;
  return 0;
}

static const struct file_ops epoll_ops = {.poll = ep_poll, .release = ep_release, .fstat = ep_fstat, .stream = 1};

static int64_t do_epoll_create(struct task *t, int cloexec) {
  struct epoll *ep = calloc(1, sizeof(*ep));
  struct file *f = ep ? file_new(&epoll_ops, LINUX_O_RDWR, 0) : NULL;
  if (!f) {
    free(ep);
    return -LINUX_ENOMEM;
  }
  f->priv = ep;
  f->path = strdup("anon_inode:[eventpoll]");
  return fd_install(t->proc, f, 0, cloexec);
}

int64_t sys_epoll_create(struct task *t, const uint64_t *a) {
  if ((int)a[0] <= 0) return -LINUX_EINVAL;
  return do_epoll_create(t, 0);
}

int64_t sys_epoll_create1(struct task *t, const uint64_t *a) {
  if (a[0] & ~(uint64_t)LINUX_O_CLOEXEC) return -LINUX_EINVAL;
  return do_epoll_create(t, a[0] != 0);
}

static struct epoll *epoll_of(struct task *t, int epfd, int64_t *err) {
  struct file *f = fd_get(t->proc, epfd);
  if (!f) {
    *err = -LINUX_EBADF;
    return NULL;
  }
  if (f->ops != &epoll_ops) {
    *err = -LINUX_EINVAL;
    return NULL;
  }
  return f->priv;
}

int64_t sys_epoll_ctl(struct task *t, const uint64_t *a) {
  int64_t err = 0;
  int epfd = (int)a[0], op = (int)a[1], fd = (int)a[2];
  struct epoll *ep = epoll_of(t, epfd, &err);
  if (!ep) return err;
  struct file *target = fd_get(t->proc, fd);
  if (!target) return -LINUX_EBADF;
  if (fd == epfd) return -LINUX_EINVAL;
  if (!target->ops->poll) return -LINUX_EPERM; // regular files and directories (epoll_ctl(2))
  struct epoll_event_linux ev = {0, 0};
  if (op != EPOLL_CTL_DEL && mm_read(t->proc->mm, &ev, a[3], sizeof(ev))) return -LINUX_EFAULT;
  int i = 0;
  while (i < ep->n && ep->items[i].fd != fd) i++;
  switch (op) {
  case EPOLL_CTL_ADD:
    if (i < ep->n) return -LINUX_EEXIST;
    if (ep->n == ep->cap) {
      int cap = ep->cap ? ep->cap * 2 : 8;
      struct epitem *n = realloc(ep->items, (size_t)cap * sizeof(*n));
      if (!n) return -LINUX_ENOMEM;
      ep->items = n;
      ep->cap = cap;
    }
    ep->items[ep->n++] = (struct epitem){fd, 0, target, ev.events, ev.data};
    return 0;
  case EPOLL_CTL_MOD:
    if (i == ep->n) return -LINUX_ENOENT;
    ep->items[i].events = ev.events;
    ep->items[i].data = ev.data;
    ep->items[i].disabled = 0;
    return 0;
  case EPOLL_CTL_DEL:
    if (i == ep->n) return -LINUX_ENOENT;
    ep->items[i] = ep->items[--ep->n];
    return 0;
  default:
    return -LINUX_EINVAL;
  }
}

// Fills out (if not NULL) with up to max ready entries; returns how many.
static int epoll_ready(struct task *t, struct epoll *ep, struct epoll_event_linux *out, int max) {
  int n = 0;
  for (int i = 0; i < ep->n && n < max; i++) {
    struct epitem *it = &ep->items[i];
    if (it->disabled) continue;
    struct file *f = fd_get(t->proc, it->fd);
    if (!f || f != it->file || f->ops == &epoll_ops) continue;
    uint32_t mask = (uint32_t)readiness(f) & (it->events | LINUX_POLLERR | LINUX_POLLHUP);
    if (!mask) continue;
    if (out) {
      out[n].events = mask;
      out[n].data = it->data;
      if (it->events & EPOLLONESHOT) it->disabled = 1;
    }
    n++;
  }
  return n;
}

static int64_t do_epoll_wait(struct task *t, const uint64_t *a, int64_t timeout_ns) {
  int64_t err = 0;
  struct epoll *ep = epoll_of(t, (int)a[0], &err);
  if (!ep) return err;
  int max = (int)a[2];
  if (max <= 0 || max > (1 << 20)) return -LINUX_EINVAL;
  if (max > ep->n) max = ep->n ? ep->n : 1;
  struct epoll_event_linux *out = malloc((size_t)max * sizeof(*out));
  if (!out) return -LINUX_ENOMEM;
  int n = epoll_ready(t, ep, out, max);
  if (!n && !timed_out(t, timeout_ns)) {
    free(out);
    sched_block_on(kernel_chan_poll);
    return -KERNEL_ERESTARTNOHAND;
  }
  int64_t rc = n;
  if (n && mm_write(t->proc->mm, a[1], out, (size_t)n * sizeof(*out))) rc = -LINUX_EFAULT;
  free(out);
  return rc;
}

int64_t sys_epoll_wait(struct task *t, const uint64_t *a) {
  int ms = (int)a[3];
  return do_epoll_wait(t, a, ms < 0 ? -1 : (int64_t)ms * 1000000);
}

int64_t sys_epoll_pwait(struct task *t, const uint64_t *a) {
  int rc = temp_mask(t, a[4], a[5]);
  if (rc) return rc;
  int ms = (int)a[3];
  return do_epoll_wait(t, a, ms < 0 ? -1 : (int64_t)ms * 1000000);
}
