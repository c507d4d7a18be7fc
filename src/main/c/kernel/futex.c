// SPDX-License-Identifier: MIT
// futex(2) for issue 2's single-threaded processes: WAIT checks the value
// (EAGAIN on mismatch) and, with nobody to wake it, times out at once or
// sleeps for ever; WAKE finds no waiters. Issue 3 adds the wait queues.
#include "kernel.h"
#include "syscalls.h"

#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5

int64_t sys_futex(struct task *t, const uint64_t *a) {
  int cmd = (int)a[1] & LINUX_FUTEX_CMD_MASK & ~128; // FUTEX_PRIVATE_FLAG; CLOCK_REALTIME (256) is outside the mask
  uint32_t v;
  switch (cmd) {
  case LINUX_FUTEX_WAIT:
  case LINUX_FUTEX_WAIT_BITSET:
    if (a[0] & 3) return -LINUX_EINVAL;
    if (cmd == LINUX_FUTEX_WAIT_BITSET && (uint32_t)a[5] == 0) return -LINUX_EINVAL;
    if (mm_read(t->proc->mm, &v, a[0], 4)) return -LINUX_EFAULT;
    if (v != (uint32_t)a[2]) return -LINUX_EAGAIN;
    if (a[3]) {
      struct timespec_linux ts;
      if (mm_read(t->proc->mm, &ts, a[3], sizeof(ts))) return -LINUX_EFAULT;
      if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return -LINUX_EINVAL;
      if (cmd == LINUX_FUTEX_WAIT) kern.clock_skew_ns += ts.tv_sec * 1000000000 + ts.tv_nsec;
      return -LINUX_ETIMEDOUT;
    }
    // No other thread can change the word: Linux would sleep for ever.
    kernel_log("futex wait with no other thread: pid %d (%s) sleeps for ever", t->proc->pid, t->proc->comm);
    return -LINUX_ERESTARTSYS;
  case LINUX_FUTEX_WAKE:
  case LINUX_FUTEX_WAKE_BITSET:
  case FUTEX_REQUEUE:
  case FUTEX_CMP_REQUEUE:
  case FUTEX_WAKE_OP:
    if (a[0] & 3) return -LINUX_EINVAL;
    return 0;
  default:
    return -LINUX_ENOSYS;
  }
}
