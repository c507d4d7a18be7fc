// SPDX-License-Identifier: MIT
// futex(2): WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP, WAIT_BITSET,
// WAKE_BITSET. A futex is keyed by address space and address, or by the
// frame for a MAP_SHARED page (so processes sharing memory meet). A waiter
// sleeps on kernel_chan_futex; a wake ends its syscall with 0 directly, so
// no wakeup is lost. Timeouts are deadlines on the guest clock.
#include "kernel.h"
#include "syscalls.h"

#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_CLOCK_REALTIME 256

// A futex's identity: (address space, address) for private memory; for a
// MAP_SHARED page, the frame itself (mm NULL, host address of the word), so
// processes sharing the page meet on the same futex. FUTEX_PRIVATE_FLAG
// promises the word is not shared.
static void futex_key(struct mm *mm, uint64_t addr, int private, struct mm **kmm, uint64_t *kaddr) {
  pte_t pte = private ? 0 : mm_pte(mm, addr);
  if ((pte & PTE_SH) && (pte & PTE_P)) {
    *kmm = NULL;
    *kaddr = (uint64_t)(uintptr_t)(pte & PTE_FRAME) + (addr & PAGE_MASK);
  } else {
    *kmm = mm;
    *kaddr = addr;
  }
}

static int waiting_on(struct task *t, struct mm *mm, uint64_t addr) {
  return t->state == TASK_BLOCKED && t->wait_chan == kernel_chan_futex && t->futex_mm == mm && t->futex_addr == addr;
}

static int wake_key(struct mm *mm, uint64_t addr, int n, uint32_t bits);

int futex_wake(struct mm *mm, uint64_t addr, int n, uint32_t bits) {
  struct mm *kmm;
  uint64_t ka;
  futex_key(mm, addr, 0, &kmm, &ka);
  return wake_key(kmm, ka, n, bits);
}

static int wake_key(struct mm *mm, uint64_t addr, int n, uint32_t bits) {
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
static int requeue(struct mm *mm, uint64_t addr, uint64_t addr2, int n, int n2, int private) {
  struct mm *k1, *k2;
  uint64_t a1, a2;
  futex_key(mm, addr, private, &k1, &a1);
  futex_key(mm, addr2, private, &k2, &a2);
  int woken = wake_key(k1, a1, n, ~0u), moved = 0;
  for (int i = 0; i < kern.ntasks && moved < n2; i++) {
    struct task *w = kern.tasks[i];
    if (!waiting_on(w, k1, a1)) continue;
    w->futex_mm = k2;
    w->futex_addr = a2;
    moved++;
  }
  return woken + moved;
}

// FUTEX_WAKE_OP: *addr2 = op(*addr2, oparg); wake addr; wake addr2 too if
// the old value passes the comparison (futex(2)).
static int64_t wake_op(struct task *t, uint64_t addr, uint64_t addr2, int n, int n2, uint32_t val3, int private) {
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
  struct mm *km;
  uint64_t ka;
  futex_key(mm, addr, private, &km, &ka);
  int woken = wake_key(km, ka, n, ~0u);
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
  futex_key(mm, addr2, private, &km, &ka);
  if (pass) woken += wake_key(km, ka, n2, ~0u);
  return woken;
}

int64_t sys_futex(struct task *t, const uint64_t *a) {
  int cmd = (int)a[1] & LINUX_FUTEX_CMD_MASK & ~128;
  int private = ((int)a[1] & 128) != 0; // FUTEX_PRIVATE_FLAG
  uint64_t addr = a[0];
  struct mm *mm = t->proc->mm;
  struct mm *kmm;
  uint64_t ka;
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
    futex_key(mm, addr, private, &t->futex_mm, &t->futex_addr);
    t->futex_bitset = bits;
    sched_block_on(kernel_chan_futex);
    return -LINUX_ERESTARTSYS;
  }
  case LINUX_FUTEX_WAKE:
  case LINUX_FUTEX_WAKE_BITSET: {
    uint32_t bits = cmd == LINUX_FUTEX_WAKE_BITSET ? (uint32_t)a[5] : ~0u;
    if (addr & 3) return -LINUX_EINVAL;
    if (!bits) return -LINUX_EINVAL;
    futex_key(mm, addr, private, &kmm, &ka);
    return wake_key(kmm, ka, (int)a[2] < 0 ? 0x7fffffff : (int)a[2], bits);
  }
  case FUTEX_REQUEUE:
  case FUTEX_CMP_REQUEUE:
    if ((addr & 3) || (a[4] & 3)) return -LINUX_EINVAL;
    if ((int)a[2] < 0 || (int)a[3] < 0) return -LINUX_EINVAL;
    if (cmd == FUTEX_CMP_REQUEUE) {
      if (mm_read(mm, &v, addr, 4)) return -LINUX_EFAULT;
      if (v != (uint32_t)a[5]) return -LINUX_EAGAIN;
    }
    return requeue(mm, addr, a[4], (int)a[2], (int)(uint32_t)a[3], private);
  case FUTEX_WAKE_OP:
    if (addr & 3) return -LINUX_EINVAL;
    return wake_op(t, addr, a[4], (int)a[2], (int)(uint32_t)a[3], (uint32_t)a[5], private);
  default:
    return -LINUX_ENOSYS;
  }
}

// Robust futexes (set_robust_list(2), Documentation/locking/robust-futexes):
// when a thread dies, every lock on its list that it still owns gets
// FUTEX_OWNER_DIED and one waiter is woken, so the next locker sees
// EOWNERDEAD instead of hanging.
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu

static void robust_release(struct task *t, struct mm *mm, uint64_t uaddr) {
  uint32_t v;
  if ((uaddr & 3) || mm_read(mm, &v, uaddr, 4)) return;
  if ((v & FUTEX_TID_MASK) != (uint32_t)t->tid) return;
  uint32_t nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
  if (mm_write(mm, uaddr, &nv, 4)) return;
  if (v & FUTEX_WAITERS) futex_wake(mm, uaddr, 1, ~0u);
}

void futex_robust_exit(struct task *t) {
  struct mm *mm = t->proc->mm;
  if (!t->robust_list || !mm) return;
  uint64_t head[3]; // list.next, futex_offset, list_op_pending
  if (mm_read(mm, head, t->robust_list, sizeof(head))) return;
  uint64_t entry = head[0] & ~1ull, pending = head[2] & ~1ull;
  int64_t off = (int64_t)head[1];
  // The list is the guest's: bounded like Linux's ROBUST_LIST_LIMIT.
  for (int n = 0; entry && entry != t->robust_list && n < 2048; n++) {
    uint64_t next;
    if (mm_read(mm, &next, entry, 8)) break;
    if (entry != pending) robust_release(t, mm, entry + (uint64_t)off);
    entry = next & ~1ull;
  }
  if (pending) robust_release(t, mm, pending + (uint64_t)off);
  t->robust_list = 0;
}
