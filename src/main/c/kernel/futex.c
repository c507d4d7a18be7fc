// SPDX-License-Identifier: MIT
// futex(2): WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP, WAIT_BITSET,
// WAKE_BITSET (PRIVATE flag accepted; every futex is keyed by address
// space and address, so a shared-memory futex between processes is not
// seen across them). A waiter sleeps on kernel_chan_futex; a wake ends its
// syscall with 0 directly, so no wakeup is lost. Timeouts are deadlines on
// the guest clock.
#include "kernel.h"
#include "syscalls.h"

#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_CLOCK_REALTIME 256

static int waiting_on(struct task *t, struct mm *mm, uint64_t addr) {
  return t->state == TASK_BLOCKED && t->wait_chan == kernel_chan_futex && t->futex_mm == mm && t->futex_addr == addr;
}

int futex_wake(struct mm *mm, uint64_t addr, int n, uint32_t bits) {
  int woken = 0;
  for (int i = 0; i < kern.ntasks && woken < n; i++) {
    struct task *w = kern.tasks[i];
    if (!waiting_on(w, mm, addr) || !(w->futex_bitset & bits)) continue;
    task_complete(w, 0);
    woken++;
  }
  return woken;
}

// Wakes n waiters of addr and moves up to n2 others to addr2.
static int requeue(struct mm *mm, uint64_t addr, uint64_t addr2, int n, int n2) {
  int woken = futex_wake(mm, addr, n, ~0u), moved = 0;
  for (int i = 0; i < kern.ntasks && moved < n2; i++) {
    struct task *w = kern.tasks[i];
    if (!waiting_on(w, mm, addr)) continue;
    w->futex_addr = addr2;
    moved++;
  }
  return woken + moved;
}

// FUTEX_WAKE_OP: *addr2 = op(*addr2, oparg); wake addr; wake addr2 too if
// the old value passes the comparison (futex(2)).
static int64_t wake_op(struct task *t, uint64_t addr, uint64_t addr2, int n, int n2, uint32_t val3) {
  struct mm *mm = t->proc->mm;
  if (addr2 & 3) return -LINUX_EINVAL;
  uint32_t old, nv;
  if (mm_read(mm, &old, addr2, 4)) return -LINUX_EFAULT;
  int op = (val3 >> 28) & 7, cmp = (val3 >> 24) & 15;
  uint32_t oparg = (val3 >> 12) & 0xfff, cmparg = val3 & 0xfff;
  if (val3 & (8u << 28)) oparg = 1u << (oparg & 31); // FUTEX_OP_OPARG_SHIFT
  else if (oparg & 0x800) oparg |= 0xfffff000u;       // sign-extend 12 bits
  if (cmparg & 0x800) cmparg |= 0xfffff000u;
  switch (op) {
  case 0: nv = oparg; break;
  case 1: nv = old + oparg; break;
  case 2: nv = old | oparg; break;
  case 3: nv = old & ~oparg; break;
  case 4: nv = old ^ oparg; break;
  default: return -LINUX_ENOSYS;
  }
  if (mm_write(mm, addr2, &nv, 4)) return -LINUX_EFAULT;
  int woken = futex_wake(mm, addr, n, ~0u);
  int32_t o = (int32_t)old, c = (int32_t)cmparg;
  int pass;
  switch (cmp) {
  case 0: pass = o == c; break;
  case 1: pass = o != c; break;
  case 2: pass = o < c; break;
  case 3: pass = o <= c; break;
  case 4: pass = o > c; break;
  case 5: pass = o >= c; break;
  default: return -LINUX_ENOSYS;
  }
  if (pass) woken += futex_wake(mm, addr2, n2, ~0u);
  return woken;
}

int64_t sys_futex(struct task *t, const uint64_t *a) {
  int cmd = (int)a[1] & LINUX_FUTEX_CMD_MASK & ~128; // FUTEX_PRIVATE_FLAG
  uint64_t addr = a[0];
  struct mm *mm = t->proc->mm;
  uint32_t v;
  switch (cmd) {
  case LINUX_FUTEX_WAIT:
  case LINUX_FUTEX_WAIT_BITSET: {
    uint32_t bits = cmd == LINUX_FUTEX_WAIT_BITSET ? (uint32_t)a[5] : ~0u;
    if (addr & 3) return -LINUX_EINVAL;
    if (!bits) return -LINUX_EINVAL;
    if (t->deadline && kernel_now() >= t->deadline) return -LINUX_ETIMEDOUT;
    if (mm_read(mm, &v, addr, 4)) return -LINUX_EFAULT;
    if (v != (uint32_t)a[2]) return -LINUX_EAGAIN;
    if (a[3] && !t->deadline) {
      struct timespec_linux ts;
      if (mm_read(mm, &ts, a[3], sizeof(ts))) return -LINUX_EFAULT;
      if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return -LINUX_EINVAL;
      int64_t ns = ts.tv_sec > 1000000000ll * 9 ? INT64_MAX / 4 : ts.tv_sec * 1000000000 + ts.tv_nsec;
      int64_t now = kernel_now();
      if (cmd == LINUX_FUTEX_WAIT) {
        ns += now; // relative, CLOCK_MONOTONIC
      } else if ((int)a[1] & FUTEX_CLOCK_REALTIME) {
        // Absolute CLOCK_REALTIME: the same distance on the monotonic clock.
        ns = now + (ns - kernel_realtime());
      }
      if (ns <= now) return -LINUX_ETIMEDOUT;
      t->deadline = ns;
    }
    t->futex_addr = addr;
    t->futex_mm = mm;
    t->futex_bitset = bits;
    sched_block_on(kernel_chan_futex);
    return -LINUX_ERESTARTSYS;
  }
  case LINUX_FUTEX_WAKE:
  case LINUX_FUTEX_WAKE_BITSET: {
    uint32_t bits = cmd == LINUX_FUTEX_WAKE_BITSET ? (uint32_t)a[5] : ~0u;
    if (addr & 3) return -LINUX_EINVAL;
    if (!bits) return -LINUX_EINVAL;
    return futex_wake(mm, addr, (int)a[2] < 0 ? 0x7fffffff : (int)a[2], bits);
  }
  case FUTEX_REQUEUE:
  case FUTEX_CMP_REQUEUE:
    if ((addr & 3) || (a[4] & 3)) return -LINUX_EINVAL;
    if ((int)a[2] < 0 || (int)a[3] < 0) return -LINUX_EINVAL;
    if (cmd == FUTEX_CMP_REQUEUE) {
      if (mm_read(mm, &v, addr, 4)) return -LINUX_EFAULT;
      if (v != (uint32_t)a[5]) return -LINUX_EAGAIN;
    }
    return requeue(mm, addr, a[4], (int)a[2], (int)(uint32_t)a[3]);
  case FUTEX_WAKE_OP:
    if (addr & 3) return -LINUX_EINVAL;
    return wake_op(t, addr, a[4], (int)a[2], (int)(uint32_t)a[3], (uint32_t)a[5]);
  default:
    return -LINUX_ENOSYS;
  }
}
