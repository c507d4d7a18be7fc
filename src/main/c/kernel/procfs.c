// SPDX-License-Identifier: MIT
// procfs: /proc as ps, top, free, pgrep, glibc and busybox read it. A file's
// text is made when it is opened (what Linux's seq files give a reader that
// reads it at once) and served from that copy; directories are listed from
// the process table. Owns no state: everything comes from `kern` and the
// processes' own records. Deviations (kernel/README.md, Quirks): maps has no
// file names or offsets (the engine keeps no mapping list; runs of pages of
// equal permissions are shown, with [heap] and [stack] named), times come
// from instruction counts.
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../host/host.h"
#include "../util/fmt.h"
#include "kernel.h"

#define PROCFS_MAGIC_INO 0x10000000ull

// ---- text builder ----

struct sbuf {
  char *p;
  size_t n, cap;
  int oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->n + n + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = fmt_vsnprintf(tmp, sizeof(tmp), fmt, ap);
  va_end(ap);
  if (n < 0) return;
  sb_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

// ---- the process table, as procfs sees it ----

// The process with this pid, zombies included (until reaped).
static struct proc *find_proc(int pid) { return proc_find(pid); }

static struct task *find_task(int tid) {
  for (int i = 0; i < kern.ntasks; i++)
    if (kern.tasks[i]->tid == tid) return kern.tasks[i];
  return NULL;
}

// The smallest pid above after with a process; 0 when none.
static int next_pid(int after) {
  int best = 0;
  for (int i = 0; i < kern.nprocs; i++) {
    struct proc *p = kern.procs[i];
    if (!p->reaped && p->pid > after && (!best || p->pid < best)) best = p->pid;
  }
  return best;
}

// The smallest tid of p above after; 0 when none.
static int next_tid(struct proc *p, int after) {
  int best = 0;
  for (int i = 0; i < kern.ntasks; i++) {
    struct task *t = kern.tasks[i];
    if (t->proc == p && t->tid > after && (!best || t->tid < best)) best = t->tid;
  }
  return best;
}

static struct task *leader(struct proc *p) {
  struct task *t = find_task(p->pid);
  if (t && t->proc == p) return t;
  for (int i = 0; i < kern.ntasks; i++)
    if (kern.tasks[i]->proc == p) return kern.tasks[i];
  return NULL;
}

static char state_char(struct proc *p, struct task *t) {
  if (p->exited) return 'Z';
  if (!t || t->state == TASK_DEAD) return 'Z';
  if (p->stopped) return 'T';
  if (t->state == TASK_BLOCKED || t->state == TASK_VFORK) return 'S';
  return 'R';
}

static uint64_t proc_icount(struct proc *p) {
  uint64_t n = 0;
  for (int i = 0; i < kern.ntasks; i++)
    if (kern.tasks[i]->proc == p) n += kern.tasks[i]->cpu.icount;
  return n;
}

// Clock ticks (USER_HZ 100) of CPU time: one nanosecond per instruction, as
// the CPU-time clocks count.
static uint64_t ticks(uint64_t icount) { return icount / 10000000; }

// ---- path parsing ----

enum pnode {
  P_NONE, P_ROOT, P_SELF, P_THREAD_SELF, P_CPUINFO, P_MEMINFO, P_UPTIME, P_LOADAVG, P_MOUNTS, P_FILESYSTEMS,
  P_VERSION, P_STAT, P_SYS_OSRELEASE, P_SYS_OSTYPE, P_SYS_HOSTNAME, P_SYS_PIDMAX, P_SYS_NGROUPS, P_SYS, P_SYS_KERNEL,
  P_CMDLINE_KERNEL,
  // per process (and per thread under task/)
  P_PID, P_EXE, P_CWD, P_ROOTLINK, P_CMDLINE, P_ENVIRON, P_COMM, P_MAPS, P_STATUS, P_PSTAT, P_STATM, P_FD, P_FDLINK,
  P_TASK, P_PMOUNTS,
};

struct ploc {
  enum pnode node;
  int pid, tid, fd;
};

struct pent {
  const char *name;
  enum pnode node;
  uint32_t mode;
};

static const struct pent top_files[] = {
  {"cpuinfo", P_CPUINFO, LINUX_S_IFREG | 0444}, {"meminfo", P_MEMINFO, LINUX_S_IFREG | 0444},
  {"uptime", P_UPTIME, LINUX_S_IFREG | 0444},   {"loadavg", P_LOADAVG, LINUX_S_IFREG | 0444},
  {"mounts", P_MOUNTS, LINUX_S_IFLNK | 0777},   {"filesystems", P_FILESYSTEMS, LINUX_S_IFREG | 0444},
  {"version", P_VERSION, LINUX_S_IFREG | 0444}, {"stat", P_STAT, LINUX_S_IFREG | 0444},
  {"cmdline", P_CMDLINE_KERNEL, LINUX_S_IFREG | 0444}, {"self", P_SELF, LINUX_S_IFLNK | 0777},
  {"thread-self", P_THREAD_SELF, LINUX_S_IFLNK | 0777}, {"sys", P_SYS, LINUX_S_IFDIR | 0555},
};
#define NTOP ((int)(sizeof(top_files) / sizeof(top_files[0])))

static const struct pent sys_kernel_files[] = {
  {"osrelease", P_SYS_OSRELEASE, LINUX_S_IFREG | 0444}, {"ostype", P_SYS_OSTYPE, LINUX_S_IFREG | 0444},
  {"hostname", P_SYS_HOSTNAME, LINUX_S_IFREG | 0644},   {"pid_max", P_SYS_PIDMAX, LINUX_S_IFREG | 0644},
  {"ngroups_max", P_SYS_NGROUPS, LINUX_S_IFREG | 0444},
};
#define NSYSK ((int)(sizeof(sys_kernel_files) / sizeof(sys_kernel_files[0])))

static const struct pent pid_files[] = {
  {"exe", P_EXE, LINUX_S_IFLNK | 0777},        {"cwd", P_CWD, LINUX_S_IFLNK | 0777},
  {"root", P_ROOTLINK, LINUX_S_IFLNK | 0777},  {"cmdline", P_CMDLINE, LINUX_S_IFREG | 0444},
  {"environ", P_ENVIRON, LINUX_S_IFREG | 0400}, {"comm", P_COMM, LINUX_S_IFREG | 0644},
  {"maps", P_MAPS, LINUX_S_IFREG | 0444},      {"status", P_STATUS, LINUX_S_IFREG | 0444},
  {"stat", P_PSTAT, LINUX_S_IFREG | 0444},     {"statm", P_STATM, LINUX_S_IFREG | 0444},
  {"fd", P_FD, LINUX_S_IFDIR | 0500},          {"task", P_TASK, LINUX_S_IFDIR | 0555},
  {"mounts", P_PMOUNTS, LINUX_S_IFREG | 0444},
};
#define NPID ((int)(sizeof(pid_files) / sizeof(pid_files[0])))

// Parses a decimal component; -1 if it is not one.
static int number(const char *s, size_t n) {
  if (n == 0 || n > 9) return -1;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// The next component of *p (advancing it); its length in *n.
static const char *component(const char **p, size_t *n) {
  const char *s = *p;
  if (!*s) return NULL;
  const char *e = strchr(s, '/');
  *n = e ? (size_t)(e - s) : strlen(s);
  *p = e ? e + 1 : s + *n;
  return s;
}

static int eq(const char *s, size_t n, const char *name) { return strlen(name) == n && memcmp(s, name, n) == 0; }

static const struct pent *find_ent(const struct pent *t, int count, const char *s, size_t n) {
  for (int i = 0; i < count; i++)
    if (eq(s, n, t[i].name)) return &t[i];
  return NULL;
}

static int fd_valid(struct proc *p, int fd) {
  return p->fds && fd >= 0 && fd < p->fds->cap && p->fds->files[fd] != NULL;
}

// Resolves a path below /proc; 0 or -ENOENT.
static int locate(const char *rel, struct ploc *l, uint32_t *mode) {
  memset(l, 0, sizeof(*l));
  const char *p = rel;
  size_t n;
  const char *c = component(&p, &n);
  if (!c) {
    l->node = P_ROOT;
    *mode = LINUX_S_IFDIR | 0555;
    return 0;
  }
  int pid = number(c, n);
  if (pid < 0) {
    const struct pent *e = find_ent(top_files, NTOP, c, n);
    if (!e) return -LINUX_ENOENT;
    if (e->node == P_SYS) {
      // sys/kernel/<file>
      const char *k = component(&p, &n);
      if (!k) {
        l->node = P_SYS;
        *mode = e->mode;
        return 0;
      }
      if (!eq(k, n, "kernel")) return -LINUX_ENOENT;
      const char *f = component(&p, &n);
      if (!f) {
        l->node = P_SYS_KERNEL;
        *mode = LINUX_S_IFDIR | 0555;
        return 0;
      }
      const struct pent *s = find_ent(sys_kernel_files, NSYSK, f, n);
      if (!s || *p) return -LINUX_ENOENT;
      l->node = s->node;
      *mode = s->mode;
      return 0;
    }
    if (*p) return -LINUX_ENOENT;
    l->node = e->node;
    *mode = e->mode;
    return 0;
  }
  struct proc *pr = find_proc(pid);
  if (!pr) return -LINUX_ENOENT;
  l->pid = pid;
  l->tid = pid;
  c = component(&p, &n);
  if (!c) {
    l->node = P_PID;
    *mode = LINUX_S_IFDIR | 0555;
    return 0;
  }
  if (eq(c, n, "task")) {
    c = component(&p, &n);
    if (!c) {
      l->node = P_TASK;
      *mode = LINUX_S_IFDIR | 0555;
      return 0;
    }
    int tid = number(c, n);
    struct task *t = tid > 0 ? find_task(tid) : NULL;
    if (!t || t->proc != pr) return -LINUX_ENOENT;
    l->tid = tid;
    c = component(&p, &n);
    if (!c) {
      l->node = P_PID;
      *mode = LINUX_S_IFDIR | 0555;
      return 0;
    }
    if (eq(c, n, "task")) return -LINUX_ENOENT;
  }
  const struct pent *e = find_ent(pid_files, NPID, c, n);
  if (!e) return -LINUX_ENOENT;
  if (e->node == P_FD) {
    c = component(&p, &n);
    if (!c) {
      l->node = P_FD;
      *mode = e->mode;
      return 0;
    }
    int fd = number(c, n);
    if (fd < 0 || !fd_valid(pr, fd) || *p) return -LINUX_ENOENT;
    l->node = P_FDLINK;
    l->fd = fd;
    *mode = LINUX_S_IFLNK | 0700;
    return 0;
  }
  if (*p) return -LINUX_ENOENT;
  l->node = e->node;
  *mode = e->mode;
  return 0;
}

static uint64_t ino_of(const struct ploc *l) {
  return PROCFS_MAGIC_INO + ((uint64_t)l->tid << 12) + ((uint64_t)l->node << 6) + (uint64_t)(l->fd & 63);
}

// ---- symlinks ----

static struct task *current_task(void) { return kernel_current(); }

static void fd_target(struct proc *p, int fd, char *out, size_t n) {
  struct file *f = p->fds->files[fd];
  if (f->path) {
    fmt_snprintf(out, n, "%s", f->path);
  } else if (!f->mnt && LINUX_S_ISFIFO(f->mode)) {
    fmt_snprintf(out, n, "pipe:[%llu]", (unsigned long long)(uintptr_t)f->priv % 100000);
  } else if (!f->mnt) {
    fmt_snprintf(out, n, "/dev/pts/0");
  } else {
    fmt_snprintf(out, n, "anon_inode:[unknown]");
  }
}

static int link_text(const struct ploc *l, char *out, size_t n) {
  struct task *cur = current_task();
  struct proc *p = l->pid ? find_proc(l->pid) : NULL;
  switch (l->node) {
  case P_SELF:
    if (!cur) return -LINUX_ENOENT;
    return fmt_snprintf(out, n, "%d", cur->proc->pid);
  case P_THREAD_SELF:
    if (!cur) return -LINUX_ENOENT;
    return fmt_snprintf(out, n, "%d/task/%d", cur->proc->pid, cur->tid);
  case P_MOUNTS:
    return fmt_snprintf(out, n, "self/mounts");
  case P_EXE:
    if (!p || !p->exe) return -LINUX_ENOENT;
    return fmt_snprintf(out, n, "%s", p->exe);
  case P_CWD:
    if (!p || !p->cwd) return -LINUX_ENOENT;
    return fmt_snprintf(out, n, "%s", p->cwd);
  case P_ROOTLINK:
    return fmt_snprintf(out, n, "/");
  case P_FDLINK:
    if (!p || !fd_valid(p, l->fd)) return -LINUX_ENOENT;
    fd_target(p, l->fd, out, n);
    return (int)strlen(out);
  default:
    return -LINUX_EINVAL;
  }
}

// ---- file contents ----

static void text_cpuinfo(struct sbuf *b) {
  uint32_t r[4], r1[4];
  char vendor[13];
  cpu_cpuid(0, 0, r);
  memcpy(vendor, &r[1], 4);
  memcpy(vendor + 4, &r[3], 4);
  memcpy(vendor + 8, &r[2], 4);
  vendor[12] = 0;
  cpu_cpuid(1, 0, r1);
  char brand[49] = {0};
  cpu_cpuid(0x80000000u, 0, r);
  if (r[0] >= 0x80000004u) {
    for (uint32_t i = 0; i < 3; i++) {
      cpu_cpuid(0x80000002u + i, 0, r);
      memcpy(brand + 16 * i, r, 16);
    }
  } else {
    strcpy(brand, "xos virtual x86-64 CPU");
  }
  // Feature names in CPUID.1 EDX and ECX bit order (cpuid(4) of the kernel).
  static const char *edx_names[32] = {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL,
                                      "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", NULL,
                                      "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"};
  static const char *ecx_names[32] = {"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
                                      "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", NULL, "pcid",
                                      "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt", "tsc_deadline_timer",
                                      "aes", "xsave", "osxsave", "avx", "f16c", "rdrand", "hypervisor"};
  uint32_t fam = (r1[0] >> 8) & 0xf, model = ((r1[0] >> 4) & 0xf) | (((r1[0] >> 16) & 0xf) << 4);
  sb_printf(b, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\nmodel name\t: %s\n", vendor,
            fam, model, brand);
  sb_printf(b, "stepping\t: %u\ncpu MHz\t\t: 1000.000\ncache size\t: 1024 KB\nphysical id\t: 0\nsiblings\t: 1\n",
            r1[0] & 0xf);
  sb_printf(b, "core id\t\t: 0\ncpu cores\t: 1\napicid\t\t: 0\nfpu\t\t: yes\nfpu_exception\t: yes\n");
  sb_printf(b, "cpuid level\t: 13\nwp\t\t: yes\nflags\t\t:");
  for (int i = 0; i < 32; i++)
    if ((r1[3] >> i & 1) && edx_names[i]) sb_printf(b, " %s", edx_names[i]);
  for (int i = 0; i < 32; i++)
    if ((r1[2] >> i & 1) && ecx_names[i]) sb_printf(b, " %s", ecx_names[i]);
  cpu_cpuid(7, 0, r);
  static const struct { int bit; const char *name; } ebx7[] = {
    {3, "bmi1"}, {5, "avx2"}, {8, "bmi2"}, {9, "erms"}, {18, "rdseed"}, {19, "adx"}};
  for (unsigned i = 0; i < sizeof(ebx7) / sizeof(ebx7[0]); i++)
    if (r[1] >> ebx7[i].bit & 1) sb_printf(b, " %s", ebx7[i].name);
  cpu_cpuid(0x80000001u, 0, r);
  if (r[2] >> 5 & 1) sb_printf(b, " abm");
  sb_printf(b, "\nbogomips\t: 2000.00\nclflush size\t: 64\ncache_alignment\t: 64\n");
  sb_printf(b, "address sizes\t: 39 bits physical, 48 bits virtual\npower management:\n\n");
}

static void mem_numbers(uint64_t *total_kb, uint64_t *free_kb) {
  uint64_t total = page_limit ? page_limit * PAGE_SIZE : (2ull << 30);
  uint64_t used = pages_in_use * PAGE_SIZE;
  *total_kb = total / 1024;
  *free_kb = (used < total ? total - used : 0) / 1024;
}

static void text_meminfo(struct sbuf *b) {
  uint64_t total, free;
  mem_numbers(&total, &free);
  sb_printf(b, "MemTotal:       %8llu kB\nMemFree:        %8llu kB\nMemAvailable:   %8llu kB\n",
            (unsigned long long)total, (unsigned long long)free, (unsigned long long)free);
  static const char *zero[] = {"Buffers", "Cached", "SwapCached", "Active", "Inactive", "SwapTotal", "SwapFree",
                               "Dirty", "Writeback", "Shmem", "Slab"};
  for (unsigned i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
    char name[32];
    fmt_snprintf(name, sizeof(name), "%s:", zero[i]);
    sb_printf(b, "%-16s%8d kB\n", name, 0);
  }
}

static void text_mounts(struct sbuf *b) {
  // The mount table: the root's kind, then /dev and /proc (what vfs_find_mount resolves).
  const char *rel;
  struct mount *root = vfs_find_mount("/", &rel);
  const char *kind = !root ? "tmpfs" : root->ops == &hostfs_ops ? "hostfs" : "tmpfs";
  sb_printf(b, "%s / %s %s 0 0\n", kind, kind, root && root->readonly ? "ro" : "rw");
  struct mount *m = vfs_find_mount("/dev", &rel);
  if (m && m->ops == &devfs_ops) sb_printf(b, "devtmpfs /dev devtmpfs rw 0 0\n");
  m = vfs_find_mount("/proc", &rel);
  if (m && m->ops == &procfs_ops) sb_printf(b, "proc /proc proc rw 0 0\n");
}

static void text_maps(struct sbuf *b, struct proc *p) {
  if (!p->mm) return;
  uint64_t a = 0, end;
  uint32_t prot;
  while (mm_next_range(p->mm, &a, 1ull << 47, &end, &prot)) {
    const char *name = "";
    if (a >= p->brk_start && end <= ((p->brk + PAGE_MASK) & ~PAGE_MASK) && p->brk > p->brk_start) name = "[heap]";
    else if (end <= KERNEL_STACK_TOP && a >= KERNEL_STACK_TOP - KERNEL_STACK_SIZE) name = "[stack]";
    sb_printf(b, "%08llx-%08llx %c%c%cp 00000000 00:00 0", (unsigned long long)a, (unsigned long long)end,
              prot & PTE_R ? 'r' : '-', prot & PTE_W ? 'w' : '-', prot & PTE_X ? 'x' : '-');
    if (*name) sb_printf(b, "%*s%s", 25 - 1, "", name);
    sb_add(b, "\n", 1);
    a = end;
  }
}

static uint64_t sig_handled(struct proc *p, int ignored) {
  uint64_t m = 0;
  for (int s = 1; s <= 64 && s <= LINUX_NSIG; s++) {
    uint64_t h = p->sigactions[s - 1].handler;
    if (ignored ? h == 1 : h > 1) m |= 1ull << (s - 1);
  }
  return m;
}

static void text_status(struct sbuf *b, struct proc *p, struct task *t) {
  char st = state_char(p, t);
  const char *sname = st == 'R' ? "R (running)" : st == 'S' ? "S (sleeping)" : st == 'T' ? "T (stopped)" : "Z (zombie)";
  sb_printf(b, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p->comm,
            p->umask, sname, p->pid, t ? t->tid : p->pid, p->ppid);
  sb_printf(b, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t0\n", p->fds ? p->fds->cap : 0);
  uint64_t kb = p->mm ? p->mm->pages * 4 : 0;
  sb_printf(b, "VmPeak:\t%8llu kB\nVmSize:\t%8llu kB\nVmRSS:\t%8llu kB\n", (unsigned long long)kb,
            (unsigned long long)kb, (unsigned long long)kb);
  sb_printf(b, "Threads:\t%d\n", p->nthreads);
  sb_printf(b, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n", (unsigned long long)(t ? t->sigmask : 0),
            (unsigned long long)sig_handled(p, 1), (unsigned long long)sig_handled(p, 0));
  sb_printf(b, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nvoluntary_ctxt_switches:\t0\n"
               "nonvoluntary_ctxt_switches:\t0\n");
}

static void text_stat(struct sbuf *b, struct proc *p, struct task *t) {
  uint64_t ut = ticks(t && t->proc == p && t->tid != p->pid ? t->cpu.icount : proc_icount(p));
  uint64_t pages = p->mm ? p->mm->pages : 0;
  // proc(5) fields 1-52; the start time is 0 (all processes start at boot).
  sb_printf(b, "%d (%s) %c %d %d %d %d %d 4194304 0 0 0 0 %llu 0 0 0 20 0 %d 0 0 %llu %llu 18446744073709551615 ",
            t ? t->tid : p->pid, p->comm, state_char(p, t), p->ppid, p->pgid, p->sid, 0x8800, console_pgrp,
            (unsigned long long)ut, p->nthreads, (unsigned long long)(pages * PAGE_SIZE), (unsigned long long)pages);
  sb_printf(b, "0 0 %llu 0 0 0 0 0 0 0 0 0 %d 0 0 0 0 0 0 0 %llu %llu 0 0 0 0 %d\n",
            (unsigned long long)(t ? t->cpu.r[RSP] : 0), 17, (unsigned long long)p->brk_start,
            (unsigned long long)p->brk, p->exited ? p->exit_status : 0);
}

static void text_kernel_stat(struct sbuf *b) {
  uint64_t all = 0;
  int running = 0, blocked = 0;
  for (int i = 0; i < kern.ntasks; i++) {
    all += kern.tasks[i]->cpu.icount;
    running += kern.tasks[i]->state == TASK_RUNNABLE;
    blocked += kern.tasks[i]->state == TASK_BLOCKED;
  }
  uint64_t up = (uint64_t)((host_clock(1) + kern.clock_skew_ns) / 10000000);
  uint64_t user = ticks(all), idle = up > user ? up - user : 0;
  sb_printf(b, "cpu  %llu 0 0 %llu 0 0 0 0 0 0\ncpu0 %llu 0 0 %llu 0 0 0 0 0 0\n", (unsigned long long)user,
            (unsigned long long)idle, (unsigned long long)user, (unsigned long long)idle);
  sb_printf(b, "intr 0\nctxt 0\nbtime %lld\nprocesses %d\nprocs_running %d\nprocs_blocked %d\nsoftirq 0\n",
            (long long)((host_clock(0) - host_clock(1)) / 1000000000),
            kern.next_pid - KERNEL_FIRST_PID, running, blocked);
}

// cmdline and environ: the strings on the process's initial stack, read
// through its page table (what the process may have changed since).
static void text_strings(struct sbuf *b, struct proc *p, int env) {
  if (!p->mm || !p->start_stack) return;
  uint64_t sp = p->start_stack, argc;
  if (mm_read(p->mm, &argc, sp, 8) || argc > 100000) return;
  uint64_t vec = sp + 8;
  if (env) vec += (argc + 1) * 8;
  for (int i = 0; i < 100000; i++) {
    uint64_t s;
    if (mm_read(p->mm, &s, vec + 8ull * (uint64_t)i, 8) || !s) break;
    char buf[4096];
    long n = mm_read_str(p->mm, buf, s, sizeof(buf));
    if (n < 0) break;
    sb_add(b, buf, (size_t)n + 1);
    if (!env && (uint64_t)i + 1 >= argc) break;
  }
}

static int make_text(const struct ploc *l, struct sbuf *b) {
  struct proc *p = l->pid ? find_proc(l->pid) : NULL;
  struct task *t = l->tid ? find_task(l->tid) : NULL;
  if (l->pid && !p) return -LINUX_ESRCH;
  if (p && !t) t = leader(p);
  switch (l->node) {
  case P_CPUINFO: text_cpuinfo(b); break;
  case P_MEMINFO: text_meminfo(b); break;
  case P_UPTIME: {
    int64_t ns = host_clock(1) + kern.clock_skew_ns;
    sb_printf(b, "%lld.%02lld %lld.%02lld\n", (long long)(ns / 1000000000), (long long)(ns / 10000000 % 100),
              (long long)(ns / 1000000000), (long long)(ns / 10000000 % 100));
    break;
  }
  case P_LOADAVG: sb_printf(b, "0.00 0.00 0.00 1/%d %d\n", kern.ntasks, kern.next_pid - 1); break;
  case P_MOUNTS:
  case P_PMOUNTS: text_mounts(b); break;
  case P_FILESYSTEMS: sb_printf(b, "nodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\n\thostfs\n"); break;
  case P_VERSION: sb_printf(b, "Linux version 6.1.0-xos (xos) #1 SMP\n"); break;
  case P_STAT: text_kernel_stat(b); break;
  case P_CMDLINE_KERNEL: sb_printf(b, "xos\n"); break;
  case P_SYS_OSRELEASE: sb_printf(b, "6.1.0-xos\n"); break;
  case P_SYS_OSTYPE: sb_printf(b, "Linux\n"); break;
  case P_SYS_HOSTNAME: sb_printf(b, "xos\n"); break;
  case P_SYS_PIDMAX: sb_printf(b, "32768\n"); break;
  case P_SYS_NGROUPS: sb_printf(b, "65536\n"); break;
  case P_CMDLINE: text_strings(b, p, 0); break;
  case P_ENVIRON: text_strings(b, p, 1); break;
  case P_COMM: sb_printf(b, "%s\n", p->comm); break;
  case P_MAPS: text_maps(b, p); break;
  case P_STATUS: text_status(b, p, t); break;
  case P_PSTAT: text_stat(b, p, t); break;
  case P_STATM: {
    uint64_t pages = p->mm ? p->mm->pages : 0;
    sb_printf(b, "%llu %llu 0 0 0 0 0\n", (unsigned long long)pages, (unsigned long long)pages);
    break;
  }
  default: return -LINUX_EISDIR;
  }
  return b->oom ? -LINUX_ENOMEM : 0;
}

// ---- file operations ----

struct pfile {
  struct ploc loc;
  char *text; // file contents (regular files), made at open
  size_t len;
};

static long pf_pread(struct file *f, void *buf, size_t n, int64_t off) {
  struct pfile *pf = f->priv;
  if (!pf->text) return -LINUX_EISDIR;
  if (off < 0) return -LINUX_EINVAL;
  if ((uint64_t)off >= pf->len) return 0;
  size_t k = pf->len - (size_t)off;
  if (k > n) k = n;
  memcpy(buf, pf->text + off, k);
  return (long)k;
}

// Nothing here takes writes (root may open for writing; writing fails).
static long pf_pwrite(struct file *f, const void *buf, size_t n, int64_t off) { return -LINUX_EINVAL; }

static int procfs_stat(struct mount *m, const char *rel, struct stat_linux *st);

static int pf_fstat(struct file *f, struct stat_linux *st) {
  struct pfile *pf = f->priv;
  int rc = procfs_stat(f->mnt, f->path && strncmp(f->path, "/proc", 5) == 0 ? f->path + 5 + (f->path[5] == '/') : "",
                       st);
  if (rc == -LINUX_ENOENT) { // the process is gone; the open file stays valid
    vfs_stat_synth(st, pf->text ? LINUX_S_IFREG | 0444 : LINUX_S_IFDIR | 0555, ino_of(&pf->loc), 0);
    rc = 0;
  }
  return rc;
}

// Directory listings: the position is an index into a synthetic list.
static int pf_readdir(struct file *f, int idx, struct vfs_dirent *de) {
  struct pfile *pf = f->priv;
  const struct ploc *l = &pf->loc;
  struct proc *p = l->pid ? find_proc(l->pid) : NULL;
  de->next = 0;
  switch (l->node) {
  case P_ROOT:
    if (idx < NTOP) {
      strcpy(de->name, top_files[idx].name);
      de->type = (uint8_t)((top_files[idx].mode & LINUX_S_IFMT) >> 12);
      de->ino = PROCFS_MAGIC_INO + (uint64_t)idx + 1;
      return 1;
    } else {
      // Then the pids, in order; the position encodes the last pid + NTOP.
      int after = idx == NTOP ? 0 : idx - NTOP;
      int pid = next_pid(after);
      if (!pid) return 0;
      fmt_snprintf(de->name, sizeof(de->name), "%d", pid);
      de->type = LINUX_DT_DIR;
      de->ino = PROCFS_MAGIC_INO + ((uint64_t)pid << 12);
      de->next = NTOP + pid;
      return 1;
    }
  case P_SYS:
    if (idx > 0) return 0;
    strcpy(de->name, "kernel");
    de->type = LINUX_DT_DIR;
    de->ino = PROCFS_MAGIC_INO + 99;
    return 1;
  case P_SYS_KERNEL:
    if (idx >= NSYSK) return 0;
    strcpy(de->name, sys_kernel_files[idx].name);
    de->type = LINUX_DT_REG;
    de->ino = PROCFS_MAGIC_INO + 100 + (uint64_t)idx;
    return 1;
  case P_PID:
    if (idx >= NPID) return 0;
    if (l->tid != l->pid && pid_files[idx].node == P_TASK) return 0; // task/N/ has no task/
    strcpy(de->name, pid_files[idx].name);
    de->type = (uint8_t)((pid_files[idx].mode & LINUX_S_IFMT) >> 12);
    de->ino = PROCFS_MAGIC_INO + ((uint64_t)l->tid << 12) + ((uint64_t)pid_files[idx].node << 6);
    return 1;
  case P_FD: {
    if (!p || !p->fds) return 0;
    int fd = idx;
    while (fd < p->fds->cap && !p->fds->files[fd]) fd++;
    if (fd >= p->fds->cap) return 0;
    fmt_snprintf(de->name, sizeof(de->name), "%d", fd);
    de->type = LINUX_DT_LNK;
    de->ino = PROCFS_MAGIC_INO + ((uint64_t)l->pid << 12) + ((uint64_t)P_FDLINK << 6) + (uint64_t)(fd & 63);
    de->next = fd + 1;
    return 1;
  }
  case P_TASK: {
    if (!p) return 0;
    int tid = next_tid(p, idx);
    if (!tid) return 0;
    fmt_snprintf(de->name, sizeof(de->name), "%d", tid);
    de->type = LINUX_DT_DIR;
    de->ino = PROCFS_MAGIC_INO + ((uint64_t)tid << 12);
    de->next = tid;
    return 1;
  }
  default:
    return -LINUX_ENOTDIR;
  }
}

static void pf_release(struct file *f) {
  struct pfile *pf = f->priv;
  if (!pf) return;
  free(pf->text);
  free(pf);
}

static const struct file_ops procfs_file_ops = {
  .pread = pf_pread,
  .pwrite = pf_pwrite,
  .fstat = pf_fstat,
  .readdir = pf_readdir,
  .release = pf_release,
};

static int procfs_stat(struct mount *m, const char *rel, struct stat_linux *st) {
  struct ploc l;
  uint32_t mode;
  int rc = locate(rel, &l, &mode);
  if (rc) return rc;
  vfs_stat_synth(st, mode, ino_of(&l), 0);
  st->st_dev = m ? m->dev : 0;
  if (LINUX_S_ISDIR(mode)) st->st_nlink = 2;
  if (l.node == P_FDLINK) { // as Linux shows them: size 64, permissions from the access mode
    struct proc *p = find_proc(l.pid);
    uint32_t acc = p && fd_valid(p, l.fd) ? p->fds->files[l.fd]->flags & LINUX_O_ACCMODE : LINUX_O_RDWR;
    st->st_mode = LINUX_S_IFLNK | (acc == LINUX_O_RDONLY ? 0500 : acc == LINUX_O_WRONLY ? 0300 : 0700);
    st->st_size = 64;
  }
  return 0;
}

static int procfs_readlink(struct mount *m, const char *rel, char *buf, size_t n) {
  struct ploc l;
  uint32_t mode;
  int rc = locate(rel, &l, &mode);
  if (rc) return rc;
  if (!LINUX_S_ISLNK(mode)) return -LINUX_EINVAL;
  char tmp[LINUX_PATH_MAX];
  int len = link_text(&l, tmp, sizeof(tmp));
  if (len < 0) return len;
  size_t k = (size_t)len < n ? (size_t)len : n;
  memcpy(buf, tmp, k);
  return (int)k;
}

static int procfs_open(struct mount *m, const char *rel, int flags, int mode, struct file *f) {
  struct ploc l;
  uint32_t fmode;
  int rc = locate(rel, &l, &fmode);
  if (rc) return (flags & LINUX_O_CREAT) ? -LINUX_EACCES : rc;
  struct pfile *pf = calloc(1, sizeof(*pf));
  if (!pf) return -LINUX_ENOMEM;
  pf->loc = l;
  if (LINUX_S_ISREG(fmode)) {
    struct sbuf b = {0};
    rc = make_text(&l, &b);
    if (rc) {
      free(b.p);
      free(pf);
      return rc;
    }
    pf->text = b.p ? b.p : calloc(1, 1);
    pf->len = b.n;
    if (!pf->text) {
      free(pf);
      return -LINUX_ENOMEM;
    }
  }
  f->priv = pf;
  f->ops = &procfs_file_ops;
  return 0;
}

static int procfs_ro(struct mount *m, const char *rel, int mode) { return -LINUX_EACCES; }
static int procfs_ro1(struct mount *m, const char *rel) { return -LINUX_EACCES; }

const struct fs_ops procfs_ops = {
  .name = "proc",
  .open = procfs_open,
  .stat = procfs_stat,
  .readlink = procfs_readlink,
  .mkdir = procfs_ro,
  .rmdir = procfs_ro1,
  .unlink = procfs_ro1,
  .chmod = procfs_ro,
};
