// SPDX-License-Identifier: MIT
// poll, ppoll, select, pselect6 over any open files (epoll: epoll.c) (pipes, the console,
// regular files, which are always ready). A call with nothing ready sleeps
// on kernel_chan_poll, which every wakeup and host input also wakes, and
// re-checks all its files; a timeout is a deadline on the guest clock.
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "syscalls.h"

int poll_readiness(struct file *f) { return f->ops->poll ? f->ops->poll(f) : (LINUX_POLLIN | LINUX_POLLOUT); }

// Starts, continues or ends a timed sleep: 1 if the timeout has passed,
// 0 to sleep (deadline set). timeout_ns < 0: no timeout.
int poll_timed_out(struct task *t, int64_t timeout_ns) {
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
int poll_temp_mask(struct task *t, uint64_t addr, uint64_t size) {
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
    int mask = f ? poll_readiness(f) : LINUX_POLLNVAL;
    pf[i].revents = (int16_t)(mask & (pf[i].events | LINUX_POLLERR | LINUX_POLLHUP | LINUX_POLLNVAL));
    if (pf[i].revents) ready++;
  }
  if (!ready && !poll_timed_out(t, timeout_ns)) {
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
  int rc = poll_temp_mask(t, a[3], a[4]);
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
    int mask = poll_readiness(f);
    if ((in[0][w] & b) && (mask & (LINUX_POLLIN | LINUX_POLLHUP | LINUX_POLLERR))) out[0][w] |= b, ready++;
    if ((in[1][w] & b) && (mask & (LINUX_POLLOUT | LINUX_POLLERR))) out[1][w] |= b, ready++;
    if ((in[2][w] & b) && (mask & LINUX_POLLPRI)) out[2][w] |= b, ready++;
  }
  if (!ready && !poll_timed_out(t, timeout_ns)) {
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
    int rc = poll_temp_mask(t, sig[0], sig[1]);
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
