// SPDX-License-Identifier: MIT
// epoll, eventfd and timerfd: descriptors that other descriptors and the
// guest clock make ready. They use poll.c's way of sleeping: a wait with
// nothing ready sleeps on kernel_chan_poll (every wakeup wakes it) and
// re-checks, with a deadline on the guest clock for timeouts and timers.
// Deviations (kernel/README.md): EPOLLET is level-triggered (a program
// that reads until EAGAIN, as edge-triggered ones must, sees the same); an
// epoll set names descriptors by number, and an entry whose number now
// names another file (or none) is dropped when next looked at.
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "syscalls.h"

#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLWAKEUP (1u << 29)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)
#define EPOLL_MAX_EVENTS (INT32_MAX / 12)
#define EFD_SEMAPHORE 1
#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2

// ---- epoll ----

struct epitem {
  int fd;
  struct file *file; // not a reference: checked against the fd table on use
  uint32_t events;
  uint64_t data;
  int disabled;      // EPOLLONESHOT fired
};

struct epoll {
  struct proc *owner; // whose fd table the numbers refer to
  struct epitem *items;
  int n, cap;
};

struct epoll_event_linux {
  uint32_t events;
  uint64_t data;
} __attribute__((packed));
_Static_assert(sizeof(struct epoll_event_linux) == 12, "x86-64 epoll_event is packed");

static const struct file_ops epoll_ops;

// Drops entries whose descriptor was closed (or now names another file).
static void ep_prune(struct epoll *ep) {
  int k = 0;
  for (int i = 0; i < ep->n; i++) {
    struct file *f = ep->owner && !ep->owner->exited ? fd_get(ep->owner, ep->items[i].fd) : NULL;
    if (f == ep->items[i].file) ep->items[k++] = ep->items[i];
  }
  ep->n = k;
}

static int ep_poll(struct file *f) {
  struct epoll *ep = f->priv;
  ep_prune(ep);
  for (int i = 0; i < ep->n; i++) {
    struct epitem *it = &ep->items[i];
    if (!it->disabled && (poll_readiness(it->file) & (it->events | LINUX_POLLERR | LINUX_POLLHUP))) return LINUX_POLLIN;
  }
  return 0;
}

static int ep_fstat(struct file *f, struct stat_linux *st) {
  vfs_stat_synth(st, 0600, 0x6570, 0); // anon_inode: no type bits
  return 0;
}

static void ep_release(struct file *f) {
  struct epoll *ep = f->priv;
  if (!ep) return;
  free(ep->items);
  free(ep);
}

static const struct file_ops epoll_ops = {
  .fstat = ep_fstat,
  .poll = ep_poll,
  .release = ep_release,
  .stream = 1,
};

static int64_t epoll_new(struct task *t, int flags) {
  if (flags & ~LINUX_O_CLOEXEC) return -LINUX_EINVAL;
  struct epoll *ep = calloc(1, sizeof(*ep));
  struct file *f = ep ? file_new(&epoll_ops, LINUX_O_RDWR, 0) : NULL;
  if (!f) {
    free(ep);
    return -LINUX_ENOMEM;
  }
  ep->owner = t->proc;
  f->priv = ep;
  f->path = strdup("anon_inode:[eventpoll]");
  return fd_install(t->proc, f, 0, flags & LINUX_O_CLOEXEC);
}

int64_t sys_epoll_create(struct task *t, const uint64_t *a) {
  if ((int)a[0] <= 0) return -LINUX_EINVAL;
  return epoll_new(t, 0);
}

int64_t sys_epoll_create1(struct task *t, const uint64_t *a) { return epoll_new(t, (int)a[0]); }

static struct epoll *epoll_of(struct task *t, int epfd, int *err) {
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
  int err = 0, op = (int)a[1], fd = (int)a[2];
  struct epoll *ep = epoll_of(t, (int)a[0], &err);
  if (!ep) return err;
  struct file *target = fd_get(t->proc, fd);
  if (!target) return -LINUX_EBADF;
  if (fd == (int)a[0]) return -LINUX_EINVAL;
  // Regular files and directories are always ready; Linux refuses them.
  if (target->mnt && !target->ops->poll) return -LINUX_EPERM;
  struct epoll_event_linux ev = {0};
  if (op != EPOLL_CTL_DEL && mm_read(t->proc->mm, &ev, a[3], sizeof(ev))) return -LINUX_EFAULT;
  ep_prune(ep);
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
    ep->items[ep->n++] = (struct epitem){fd, target, ev.events, ev.data, 0};
    sched_wake(kernel_chan_poll); // a waiter may now have something ready
    return 0;
  case EPOLL_CTL_MOD:
    if (i == ep->n) return -LINUX_ENOENT;
    if (ev.events & EPOLLEXCLUSIVE) return -LINUX_EINVAL;
    ep->items[i].events = ev.events;
    ep->items[i].data = ev.data;
    ep->items[i].disabled = 0;
    sched_wake(kernel_chan_poll);
    return 0;
  case EPOLL_CTL_DEL:
    if (i == ep->n) return -LINUX_ENOENT;
    ep->items[i] = ep->items[--ep->n];
    return 0;
  default:
    return -LINUX_EINVAL;
  }
}

static int64_t do_epoll_wait(struct task *t, int epfd, uint64_t uevents, int maxevents, int64_t timeout_ns) {
  int err = 0;
  struct epoll *ep = epoll_of(t, epfd, &err);
  if (!ep) return err;
  if (maxevents <= 0 || maxevents > EPOLL_MAX_EVENTS) return -LINUX_EINVAL;
  ep_prune(ep);
  int n = 0;
  struct epoll_event_linux out[64];
  for (int i = 0; i < ep->n && n < maxevents && n < 64; i++) {
    struct epitem *it = &ep->items[i];
    if (it->disabled) continue;
    uint32_t got = (uint32_t)poll_readiness(it->file) & (it->events | LINUX_POLLERR | LINUX_POLLHUP);
    if (!got) continue;
    out[n].events = got;
    out[n].data = it->data;
    n++;
    if (it->events & EPOLLONESHOT) it->disabled = 1;
  }
  if (!n && !poll_timed_out(t, timeout_ns)) {
    sched_block_on(kernel_chan_poll);
    return -KERNEL_ERESTARTNOHAND;
  }
  if (n && mm_write(t->proc->mm, uevents, out, (size_t)n * sizeof(out[0]))) return -LINUX_EFAULT;
  return n;
}

int64_t sys_epoll_wait(struct task *t, const uint64_t *a) {
  int ms = (int)a[3];
  return do_epoll_wait(t, (int)a[0], a[1], (int)a[2], ms < 0 ? -1 : (int64_t)ms * 1000000);
}

int64_t sys_epoll_pwait(struct task *t, const uint64_t *a) {
  int rc = poll_temp_mask(t, a[4], a[5]);
  if (rc) return rc;
  int ms = (int)a[3];
  return do_epoll_wait(t, (int)a[0], a[1], (int)a[2], ms < 0 ? -1 : (int64_t)ms * 1000000);
}

int64_t sys_epoll_pwait2(struct task *t, const uint64_t *a) {
  int64_t ns = -1;
  if (a[3]) {
    struct timespec_linux ts;
    if (mm_read(t->proc->mm, &ts, a[3], sizeof(ts))) return -LINUX_EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return -LINUX_EINVAL;
    ns = ts.tv_sec > 1000000000ll * 9 ? INT64_MAX / 4 : ts.tv_sec * 1000000000 + ts.tv_nsec;
  }
  int rc = poll_temp_mask(t, a[4], a[5]);
  if (rc) return rc;
  return do_epoll_wait(t, (int)a[0], a[1], (int)a[2], ns);
}

// ---- eventfd ----

struct eventfd {
  uint64_t count;
  int semaphore;
};

static long efd_pread(struct file *f, void *buf, size_t n, int64_t off) {
  struct eventfd *e = f->priv;
  if (n < 8) return -LINUX_EINVAL;
  if (!e->count) {
    if (f->flags & LINUX_O_NONBLOCK) return -LINUX_EAGAIN;
    sched_block_on(e);
    return -LINUX_ERESTARTSYS;
  }
  uint64_t v = e->semaphore ? 1 : e->count;
  e->count -= v;
  memcpy(buf, &v, 8);
  sched_wake(e);
  return 8;
}

static long efd_pwrite(struct file *f, const void *buf, size_t n, int64_t off) {
  struct eventfd *e = f->priv;
  if (n < 8) return -LINUX_EINVAL;
  uint64_t v;
  memcpy(&v, buf, 8);
  if (v == UINT64_MAX) return -LINUX_EINVAL;
  if (v > UINT64_MAX - 1 - e->count) {
    if (f->flags & LINUX_O_NONBLOCK) return -LINUX_EAGAIN;
    sched_block_on(e);
    return -LINUX_ERESTARTSYS;
  }
  e->count += v;
  if (v) sched_wake(e);
  return 8;
}

static int efd_poll(struct file *f) {
  struct eventfd *e = f->priv;
  return (e->count ? LINUX_POLLIN : 0) | (e->count < UINT64_MAX - 1 ? LINUX_POLLOUT : 0);
}

static int efd_fstat(struct file *f, struct stat_linux *st) {
  vfs_stat_synth(st, 0600, 0x6566, 0);
  return 0;
}

static void efd_release(struct file *f) { free(f->priv); }

static const struct file_ops eventfd_ops = {
  .pread = efd_pread,
  .pwrite = efd_pwrite,
  .fstat = efd_fstat,
  .poll = efd_poll,
  .release = efd_release,
  .stream = 1,
};

static int64_t eventfd_new(struct task *t, uint64_t initval, int flags) {
  if (flags & ~(LINUX_O_CLOEXEC | LINUX_O_NONBLOCK | EFD_SEMAPHORE)) return -LINUX_EINVAL;
  struct eventfd *e = calloc(1, sizeof(*e));
  struct file *f = e ? file_new(&eventfd_ops, LINUX_O_RDWR | (flags & LINUX_O_NONBLOCK), 0) : NULL;
  if (!f) {
    free(e);
    return -LINUX_ENOMEM;
  }
  e->count = (uint32_t)initval;
  e->semaphore = flags & EFD_SEMAPHORE;
  f->priv = e;
  f->path = strdup("anon_inode:[eventfd]");
  return fd_install(t->proc, f, 0, flags & LINUX_O_CLOEXEC);
}

int64_t sys_eventfd(struct task *t, const uint64_t *a) { return eventfd_new(t, a[0], 0); }
int64_t sys_eventfd2(struct task *t, const uint64_t *a) { return eventfd_new(t, a[0], (int)a[1]); }

// ---- timerfd (CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME) ----

struct timerfd {
  int clock;
  int64_t next;     // expiry on the guest monotonic clock, 0 disarmed
  int64_t interval; // ns, 0 one-shot
  uint64_t ticks;   // expirations not yet read
};

// Folds expirations up to now into ticks.
static void tfd_update(struct timerfd *tf) {
  if (!tf->next) return;
  int64_t now = kernel_now();
  if (now < tf->next) return;
  if (tf->interval) {
    uint64_t k = (uint64_t)((now - tf->next) / tf->interval) + 1;
    tf->ticks += k;
    tf->next += (int64_t)k * tf->interval;
  } else {
    tf->ticks++;
    tf->next = 0;
  }
}

static long tfd_pread(struct file *f, void *buf, size_t n, int64_t off) {
  struct timerfd *tf = f->priv;
  if (n < 8) return -LINUX_EINVAL;
  tfd_update(tf);
  if (!tf->ticks) {
    if (f->flags & LINUX_O_NONBLOCK) return -LINUX_EAGAIN;
    struct task *t = kernel_current();
    if (tf->next && t) {
      t->deadline = tf->next; // woken by the clock, like a sleep
    }
    sched_block_on(tf);
    return -LINUX_ERESTARTSYS;
  }
  memcpy(buf, &tf->ticks, 8);
  tf->ticks = 0;
  return 8;
}

static int tfd_poll(struct file *f) {
  struct timerfd *tf = f->priv;
  tfd_update(tf);
  if (!tf->ticks && tf->next) kernel_arm(tf->next); // a poller sleeping on it wakes at expiry
  return tf->ticks ? LINUX_POLLIN : 0;
}

static int tfd_fstat(struct file *f, struct stat_linux *st) {
  vfs_stat_synth(st, 0600, 0x7466, 0);
  return 0;
}

static void tfd_release(struct file *f) { free(f->priv); }

static const struct file_ops timerfd_ops = {
  .pread = tfd_pread,
  .fstat = tfd_fstat,
  .poll = tfd_poll,
  .release = tfd_release,
  .stream = 1,
};

int64_t sys_timerfd_create(struct task *t, const uint64_t *a) {
  int clock = (int)a[0], flags = (int)a[1];
  if (clock != 0 && clock != 1 && clock != 7) return -LINUX_EINVAL; // REALTIME, MONOTONIC, BOOTTIME
  if (flags & ~(LINUX_O_CLOEXEC | LINUX_O_NONBLOCK)) return -LINUX_EINVAL;
  struct timerfd *tf = calloc(1, sizeof(*tf));
  struct file *f = tf ? file_new(&timerfd_ops, LINUX_O_RDWR | (flags & LINUX_O_NONBLOCK), 0) : NULL;
  if (!f) {
    free(tf);
    return -LINUX_ENOMEM;
  }
  tf->clock = clock;
  f->priv = tf;
  f->path = strdup("anon_inode:[timerfd]");
  return fd_install(t->proc, f, 0, flags & LINUX_O_CLOEXEC);
}

static struct timerfd *timerfd_of(struct task *t, int fd, int *err) {
  struct file *f = fd_get(t->proc, fd);
  if (!f) {
    *err = -LINUX_EBADF;
    return NULL;
  }
  if (f->ops != &timerfd_ops) {
    *err = -LINUX_EINVAL;
    return NULL;
  }
  return f->priv;
}

// struct itimerspec: interval, then value.
static void tfd_get(struct timerfd *tf, struct timespec_linux out[2]) {
  tfd_update(tf);
  int64_t left = tf->next ? tf->next - kernel_now() : 0;
  if (tf->next && left <= 0) left = 1;
  out[0].tv_sec = tf->interval / 1000000000;
  out[0].tv_nsec = tf->interval % 1000000000;
  out[1].tv_sec = left / 1000000000;
  out[1].tv_nsec = left % 1000000000;
}

int64_t sys_timerfd_settime(struct task *t, const uint64_t *a) {
  int err = 0;
  struct timerfd *tf = timerfd_of(t, (int)a[0], &err);
  if (!tf) return err;
  int flags = (int)a[1];
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) return -LINUX_EINVAL;
  struct timespec_linux its[2], old[2];
  if (mm_read(t->proc->mm, its, a[2], sizeof(its))) return -LINUX_EFAULT;
  for (int i = 0; i < 2; i++)
    if (its[i].tv_sec < 0 || its[i].tv_nsec < 0 || its[i].tv_nsec >= 1000000000) return -LINUX_EINVAL;
  tfd_get(tf, old);
  if (a[3] && mm_write(t->proc->mm, a[3], old, sizeof(old))) return -LINUX_EFAULT;
  int64_t value = its[1].tv_sec * 1000000000 + its[1].tv_nsec;
  tf->interval = its[0].tv_sec * 1000000000 + its[0].tv_nsec;
  tf->ticks = 0;
  if (!value) {
    tf->next = 0;
    return 0;
  }
  int64_t now = kernel_now();
  if (flags & TFD_TIMER_ABSTIME) {
    // An absolute time on the timer's clock, moved onto the monotonic one.
    int64_t clock_now = tf->clock == 0 ? kernel_realtime() : now;
    value -= clock_now;
    if (value <= 0) value = 1;
  }
  tf->next = now + value;
  kernel_arm(tf->next);
  sched_wake(kernel_chan_poll);
  return 0;
}

int64_t sys_timerfd_gettime(struct task *t, const uint64_t *a) {
  int err = 0;
  struct timerfd *tf = timerfd_of(t, (int)a[0], &err);
  if (!tf) return err;
  struct timespec_linux cur[2];
  tfd_get(tf, cur);
  return mm_write(t->proc->mm, a[1], cur, sizeof(cur)) ? -LINUX_EFAULT : 0;
}
