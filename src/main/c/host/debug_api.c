// SPDX-License-Identifier: MIT
// The witness's extra exports (debug_api.h). Reads architectural state of the current task
// and creates guest files for the host; never runs guest code and never changes CPU state.
#include "debug_api.h"

#include <stdlib.h>
#include <string.h>

#include "../kernel/kernel.h"
#include "../util/fmt.h"

int64_t xos_xmm(int32_t i, int32_t lane) {
  struct task *t = kernel_current();
  if (!t || i < 0 || i >= 16 || lane < 0 || lane >= 4) return 0;
  return (int64_t)t->cpu.xmm[i].q[lane];
}

// A NUL-terminated copy of len bytes at linear address addr (the caller frees it).
static char *cstring(uint32_t addr, int32_t len) {
  if (len < 0 || len > 4096) return NULL;
  char *s = malloc((size_t)len + 1);
  if (!s) return NULL;
  memcpy(s, (const void *)(uintptr_t)addr, (size_t)len);
  s[len] = 0;
  return s;
}

int32_t xos_symlink(uint32_t target, int32_t targetlen, uint32_t path, int32_t pathlen) {
  char *t = cstring(target, targetlen);
  char *p = cstring(path, pathlen);
  int32_t r = -LINUX_ENOMEM;
  if (t && p) r = p[0] == '/' ? vfs_symlink(t, p) : -LINUX_EINVAL;
  free(t);
  free(p);
  return r;
}

static char ps_buf[16384];

static char task_state(struct proc *p, struct task *t) {
  if (p->exited || !t || t->state == TASK_DEAD) return 'Z';
  if (p->stopped) return 'T';
  return t->state == TASK_RUNNABLE ? 'R' : 'S';
}

int32_t xos_ps(void) {
  size_t n = 0;
  for (int i = 0; i < kern.nprocs && n < sizeof(ps_buf) - 128; i++) {
    struct proc *p = kern.procs[i];
    if (p->reaped) continue;
    int lines = 0;
    for (int k = 0; k < kern.ntasks && n < sizeof(ps_buf) - 128; k++) {
      struct task *t = kern.tasks[k];
      if (t->proc != p || t->state == TASK_DEAD) continue;
      n += (size_t)fmt_snprintf(ps_buf + n, sizeof(ps_buf) - n, "%d %d %d %d %c %s\n", p->pid, p->ppid, p->pgid, t->tid,
                                task_state(p, t), p->comm);
      lines++;
    }
    if (!lines)
      n += (size_t)fmt_snprintf(ps_buf + n, sizeof(ps_buf) - n, "%d %d %d 0 Z %s\n", p->pid, p->ppid, p->pgid, p->comm);
  }
  return (int32_t)n;
}

uint32_t xos_ps_text(void) { return (uint32_t)(uintptr_t)ps_buf; }
