// SPDX-License-Identifier: MIT
// The exported API of api.h: the host's only way in. Converts linear-memory
// addresses and lengths into engine calls and back; owns the scratch and
// text buffers and the debugger's breakpoint list. Guest semantics belong to
// kernel/, fs/ and loader/, never here.
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "../kernel/kernel.h"

static uint8_t *scratch;
static int32_t scratch_size;
static char text[256];
static int text_len, disasm_insn_len, disasm_att;
static uint64_t *breakpoints; // sorted, shared by every task's CPU
static int nbreakpoints;

#ifdef __wasm__
void wasm_rt_heap(uint32_t out[3]); // util/wasm_rt.c
#endif

static void *ptr(uint32_t addr) { return (void *)(uintptr_t)addr; }

int32_t xos_init(void) {
  kernel_reset();
  console_reset();
  free(breakpoints);
  breakpoints = NULL;
  nbreakpoints = 0;
  vfs_reset();
  void *root = tmpfs_new();
  if (!root) return -LINUX_ENOMEM;
  struct mount *m = vfs_mount("/", &tmpfs_ops, 0, 0, root);
  if (!m) return -LINUX_ENOMEM;
  // The sandboxed machine: an empty root with /tmp and /dev.
  tmpfs_mkdir_p(m, "tmp", 01777);
  tmpfs_mkdir_p(m, "dev", 0755);
  tmpfs_mkdir_p(m, "proc", 0555);
  if (!vfs_mount("/dev", &devfs_ops, 0, 0, NULL)) return -LINUX_ENOMEM;
  if (!vfs_mount("/proc", &procfs_ops, 0, 0, NULL)) return -LINUX_ENOMEM;
  return 0;
}

uint32_t xos_buffer(int32_t size) {
  if (size < 0) return 0;
  if (size > scratch_size) {
    uint8_t *b = realloc(scratch, (size_t)size);
    if (!b) {
      uint32_t h[3] = {0, 0, 0};
#ifdef __wasm__
      wasm_rt_heap(h);
#endif
      kernel_error(-LINUX_ENOMEM, "realloc(%#x, %d) failed with scratch size %d; break %#x, grown to %#x, memory %#x",
                   (unsigned)(uintptr_t)scratch, size, scratch_size, h[0], h[1], h[2]);
      return 0;
    }
    scratch = b;
    scratch_size = size;
  }
  return (uint32_t)(uintptr_t)scratch;
}

uint32_t xos_error(void) { return (uint32_t)(uintptr_t)kern.error; }
int32_t xos_error_len(void) { return kern.error_len; }

// Splits the args block ("argv\0...\0\0envp\0...\0\0") into two NULL
// terminated vectors pointing into a private copy. Returns the copy.
static char *split_args(uint32_t args, int32_t len, char ***argv, char ***envp) {
  // Block: u32 argc, u32 envc (little endian), then argc + envc NUL-terminated
  // strings. Counts rather than an empty-string terminator, so "" can be an
  // argument. A block cut short yields the strings it holds.
  uint32_t argc = 0, envc = 0;
  if (len >= 8) {
    memcpy(&argc, ptr(args), 4);
    memcpy(&envc, ptr(args + 4), 4);
  }
  if (len < 8 || argc > (uint32_t)len || envc > (uint32_t)len) argc = envc = 0;
  char *copy = malloc((size_t)(len > 8 ? len - 8 : 0) + 1);
  char **v = calloc((size_t)argc + envc + 2, sizeof(char *));
  if (!copy || !v) {
    free(copy);
    free(v);
    return NULL;
  }
  int32_t n = len > 8 ? len - 8 : 0;
  if (n > 0) memcpy(copy, ptr(args + 8), (size_t)n);
  copy[n] = 0;
  int32_t i = 0;
  uint32_t k = 0;
  for (uint32_t j = 0; j < argc + envc; j++) {
    if (i >= n) break;
    if (j == argc) v[k++] = NULL; // argv's terminator comes before envp
    v[k++] = copy + i;
    i += (int32_t)strlen(copy + i) + 1;
  }
  if (k <= argc) { // cut short inside argv (or no envp): close argv, empty envp
    v[k++] = NULL;
  }
  *argv = v;
  *envp = v + (argc < k ? argc + 1 : k);
  v[k] = NULL;
  return copy;
}

static void sync_breakpoints(void) {
  for (int i = 0; i < kern.ntasks; i++) {
    kern.tasks[i]->cpu.bp = breakpoints;
    kern.tasks[i]->cpu.nbp = nbreakpoints;
  }
}

int32_t xos_spawn(uint32_t elf, int32_t elflen, uint32_t args, int32_t argslen) {
  char **argv, **envp;
  char *copy = split_args(args, argslen, &argv, &envp);
  if (!copy) return kernel_error(-LINUX_ENOMEM, "out of memory");
  if (elflen < 0) elflen = 0;
  int rc = kernel_spawn(ptr(elf), (size_t)elflen, argv, envp, argv[0] ? argv[0] : "/proc/self/exe");
  free(argv);
  free(copy);
  sync_breakpoints();
  return rc;
}

// Copies a host-given string (not NUL-terminated) into a C string.
static int host_string(uint32_t p, int32_t len, char *out) {
  if (len < 0 || len >= LINUX_PATH_MAX) return -LINUX_ENAMETOOLONG;
  memcpy(out, ptr(p), (size_t)len);
  out[len] = 0;
  return 0;
}

int32_t xos_spawn_path(uint32_t path, int32_t pathlen, uint32_t args, int32_t argslen) {
  char p[LINUX_PATH_MAX];
  if (host_string(path, pathlen, p)) return kernel_error(-LINUX_ENAMETOOLONG, "path too long");
  char **argv, **envp;
  char *copy = split_args(args, argslen, &argv, &envp);
  if (!copy) return kernel_error(-LINUX_ENOMEM, "out of memory");
  int rc = kernel_spawn_path(p, argv, envp);
  free(argv);
  free(copy);
  sync_breakpoints();
  return rc;
}

int32_t xos_run(int64_t budget) { return kernel_run(budget, 0); }
int32_t xos_step(void) { return kernel_run(1, 1); }

int32_t xos_exit_status(void) { return kern.init ? kern.init->exit_status : 0; }

void xos_stdin_push(uint32_t buf, int32_t len) {
  if (len > 0) console_stdin_push(ptr(buf), (size_t)len);
  kernel_wake_all();
}

void xos_stdin_reopen(void) { console_stdin_reopen(); }

void xos_set_realtime(int32_t on) { kern.realtime = on != 0; }

int64_t xos_wait_ns(void) {
  if (!kern.realtime || !kern.next_deadline) return -1;
  int64_t left = kern.next_deadline - kernel_now();
  if (left >= KERNEL_SLEEP_HORIZON) return -1;
  return left > 0 ? left : 0;
}

void xos_stdin_close(void) {
  console_stdin_close();
  kernel_wake_all();
}

void xos_set_tty(int32_t mask) { console_set_tty(mask); }

int64_t xos_reg(int32_t i) {
  struct task *t = kernel_current();
  if (!t) return 0;
  if (i >= 0 && i < 16) return (int64_t)t->cpu.r[i];
  switch (i) {
  case XREG_RIP: return (int64_t)t->cpu.rip;
  case XREG_RFLAGS: return (int64_t)cpu_get_flags(&t->cpu);
  case XREG_FS: return (int64_t)t->cpu.fs_base;
  case XREG_GS: return (int64_t)t->cpu.gs_base;
  default: return 0;
  }
}

void xos_set_reg(int32_t i, int64_t v) {
  struct task *t = kernel_current();
  if (!t) return;
  if (i >= 0 && i < 16) t->cpu.r[i] = (uint64_t)v;
  else if (i == XREG_RIP) t->cpu.rip = (uint64_t)v;
  else if (i == XREG_RFLAGS) cpu_set_flags(&t->cpu, (uint64_t)v);
  else if (i == XREG_FS) t->cpu.fs_base = (uint64_t)v;
  else if (i == XREG_GS) t->cpu.gs_base = (uint64_t)v;
}

int64_t xos_icount(void) {
  struct task *t = kernel_current();
  return t ? (int64_t)t->cpu.icount : 0;
}

int32_t xos_pid(void) {
  struct task *t = kernel_current();
  return t ? t->proc->pid : 0;
}

// Debugger reads must not change the machine: a reserved page that was
// never touched reads as zeros without being allocated.
static int32_t peek(int64_t addr, uint8_t *out, int32_t len) {
  struct task *t = kernel_current();
  if (!t || len <= 0) return 0;
  int32_t done = 0;
  while (done < len) {
    uint64_t a = (uint64_t)addr + (uint64_t)done;
    pte_t pte = mm_pte(t->proc->mm, a);
    if (!pte) break;
    int32_t k = (int32_t)(PAGE_SIZE - (a & PAGE_MASK));
    if (k > len - done) k = len - done;
    if (pte & PTE_P) memcpy(out + done, (uint8_t *)(uintptr_t)(pte & PTE_FRAME) + (a & PAGE_MASK), (size_t)k);
    else memset(out + done, 0, (size_t)k);
    done += k;
  }
  return done;
}

int32_t xos_peek(int64_t addr, uint32_t buf, int32_t len) { return peek(addr, ptr(buf), len); }

int32_t xos_poke(int64_t addr, uint32_t buf, int32_t len) {
  struct task *t = kernel_current();
  if (!t || len <= 0) return 0;
  int32_t done = 0;
  while (done < len) {
    uint64_t a = (uint64_t)addr + (uint64_t)done;
    int32_t k = (int32_t)(PAGE_SIZE - (a & PAGE_MASK));
    if (k > len - done) k = len - done;
    if (mm_poke(t->proc->mm, a, (uint8_t *)ptr(buf) + done, (size_t)k)) break;
    done += k;
  }
  // mm_poke bumps mm->code_gen, so cached decoded code of those pages is dropped.
  return done;
}

void xos_set_winsize(int32_t rows, int32_t cols) {
  if (rows < 1 || cols < 1 || rows > 65535 || cols > 65535) return;
  console_set_winsize(rows, cols);
}

void xos_set_strace(int32_t on) { kern.strace = on != 0; }

// Lexical canonical form of an absolute path (mount points are named
// literally, not through symlinks).
static int canonical(const char *in, char *out) { return path_normalize(in, out); }

int32_t xos_mount_host(uint32_t guestpath, int32_t len, int32_t host_mount, int32_t readonly) {
  char p[LINUX_PATH_MAX], abs[LINUX_PATH_MAX];
  if (host_string(guestpath, len, p)) return -LINUX_ENAMETOOLONG;
  if (strcmp(p, "/") == 0) {
    strcpy(abs, "/");
  } else {
    if (canonical(p, abs)) return kernel_error(-LINUX_EINVAL, "mount point must be an absolute path: %s", p);
    const char *rel;
    struct mount *under = vfs_find_mount(abs, &rel);
    if (under && under->ops == &tmpfs_ops) tmpfs_mkdir_p(under, rel, 0755);
  }
  return vfs_mount(abs, &hostfs_ops, host_mount, readonly != 0, NULL) ? 0 : -LINUX_ENOMEM;
}

int32_t xos_set_cwd(uint32_t path, int32_t len) {
  char p[LINUX_PATH_MAX];
  if (host_string(path, len, p)) return -LINUX_ENAMETOOLONG;
  return kernel_set_cwd(p);
}

int32_t xos_write_file(uint32_t path, int32_t len, uint32_t data, int32_t datalen, int32_t mode) {
  char p[LINUX_PATH_MAX], abs[LINUX_PATH_MAX];
  if (host_string(path, len, p)) return -LINUX_ENAMETOOLONG;
  if (canonical(p, abs) || strcmp(abs, "/") == 0) return kernel_error(-LINUX_EINVAL, "bad file path: %s", p);
  if (datalen < 0) return -LINUX_EINVAL;
  const char *rel;
  struct mount *m = vfs_find_mount(abs, &rel);
  if (m && m->ops == &tmpfs_ops) return tmpfs_write_file(m, rel, ptr(data), (size_t)datalen, mode);
  // Other backends: create parents and write through the VFS.
  for (char *s = strchr(abs + 1, '/'); s; s = strchr(s + 1, '/')) {
    *s = 0;
    vfs_mkdir(abs, 0755);
    *s = '/';
  }
  struct file *f;
  int rc = vfs_open(abs, LINUX_O_WRONLY | LINUX_O_CREAT | LINUX_O_TRUNC, mode & 07777, &f);
  if (rc) return rc;
  long n = datalen ? f->ops->pwrite(f, ptr(data), (size_t)datalen, 0) : 0;
  file_put(f);
  return n < 0 ? (int32_t)n : 0;
}

int32_t xos_break_set(int64_t addr) {
  int i = 0;
  while (i < nbreakpoints && breakpoints[i] < (uint64_t)addr) i++;
  if (i < nbreakpoints && breakpoints[i] == (uint64_t)addr) return 0;
  uint64_t *b = realloc(breakpoints, (size_t)(nbreakpoints + 1) * sizeof(*b));
  if (!b) return -LINUX_ENOMEM;
  memmove(b + i + 1, b + i, (size_t)(nbreakpoints - i) * sizeof(*b));
  b[i] = (uint64_t)addr;
  breakpoints = b;
  nbreakpoints++;
  sync_breakpoints();
  return 0;
}

int32_t xos_break_clear(int64_t addr) {
  for (int i = 0; i < nbreakpoints; i++) {
    if (breakpoints[i] != (uint64_t)addr) continue;
    memmove(breakpoints + i, breakpoints + i + 1, (size_t)(nbreakpoints - i - 1) * sizeof(*breakpoints));
    nbreakpoints--;
    sync_breakpoints();
    return 0;
  }
  return -LINUX_ENOENT;
}

int32_t xos_disasm(int64_t addr) {
  uint8_t bytes[16];
  int32_t n = peek(addr, bytes, sizeof(bytes));
  disasm_insn_len = n <= 0    ? -1
                    : disasm_att ? cpu_disasm_att(bytes, n, (uint64_t)addr, text, sizeof(text))
                                 : cpu_disasm(bytes, n, (uint64_t)addr, text, sizeof(text));
  if (disasm_insn_len < 0) {
    strcpy(text, n > 0 ? "(bad)" : "(unmapped)");
  }
  text_len = (int)strlen(text);
  return text_len;
}

int32_t xos_disasm_len(void) { return disasm_insn_len; }

void xos_disasm_syntax(int32_t att) { disasm_att = att != 0; }

uint32_t xos_text(void) { return (uint32_t)(uintptr_t)text; }

void xos_set_page_limit(int64_t pages) { page_limit = pages > 0 ? (uint64_t)pages : 0; }
