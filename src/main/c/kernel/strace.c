// SPDX-License-Identifier: MIT
// strace mode: one log line per syscall, arguments decoded from the table's
// format string, strings quoted and cut at 32 bytes, flags symbolic where
// cheap, errors by name, in the style of strace(1). Reads guest memory only
// through mm_read; never changes guest state.
#include <stdarg.h>
#include <string.h>

#include "../host/host.h"
#include "../util/fmt.h"
#include "kernel.h"
#include "syscalls.h"

static const char *const errno_names[] = {
  [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO",
  [7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM",
  [13] = "EACCES", [14] = "EFAULT", [16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV", [19] = "ENODEV",
  [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE", [25] = "ENOTTY",
  [27] = "EFBIG", [28] = "ENOSPC", [29] = "ESPIPE", [30] = "EROFS", [31] = "EMLINK", [32] = "EPIPE",
  [34] = "ERANGE", [36] = "ENAMETOOLONG", [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP",
  [61] = "ENODATA", [75] = "EOVERFLOW", [88] = "ENOTSOCK", [95] = "EOPNOTSUPP", [97] = "EAFNOSUPPORT", [110] = "ETIMEDOUT",
};

const char *errno_name(int e) {
  if (e > 0 && e < (int)(sizeof(errno_names) / sizeof(errno_names[0])) && errno_names[e]) return errno_names[e];
  return NULL;
}

static const char *const signal_names[] = {
  [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP", [6] = "SIGABRT",
  [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
  [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [16] = "SIGSTKFLT", [17] = "SIGCHLD",
  [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP", [21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG",
  [24] = "SIGXCPU", [25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",
  [30] = "SIGPWR", [31] = "SIGSYS",
};

struct out {
  char *buf;
  size_t len, cap;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...) {
  if (o->len >= o->cap) return;
  va_list ap;
  va_start(ap, fmt);
  int n = fmt_vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
  va_end(ap);
  if (n > 0) o->len += (size_t)n < o->cap - o->len ? (size_t)n : o->cap - o->len - 1;
}

struct flag_name {
  uint64_t bit;
  const char *name;
};

static void put_flags(struct out *o, uint64_t v, const struct flag_name *names, int n, const char *zero) {
  int first = 1;
  for (int i = 0; i < n; i++) {
    if (names[i].bit && (v & names[i].bit) == names[i].bit) {
      put(o, "%s%s", first ? "" : "|", names[i].name);
      v &= ~names[i].bit;
      first = 0;
    }
  }
  if (v) put(o, "%s%#llx", first ? "" : "|", (unsigned long long)v);
  else if (first) put(o, "%s", zero);
}

static void put_open_flags(struct out *o, uint64_t v) {
  static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
  static const struct flag_name names[] = {
    {LINUX_O_CREAT, "O_CREAT"},         {LINUX_O_EXCL, "O_EXCL"},         {LINUX_O_NOCTTY, "O_NOCTTY"},
    {LINUX_O_TRUNC, "O_TRUNC"},         {LINUX_O_APPEND, "O_APPEND"},     {LINUX_O_NONBLOCK, "O_NONBLOCK"},
    {LINUX_O_DIRECTORY, "O_DIRECTORY"}, {LINUX_O_NOFOLLOW, "O_NOFOLLOW"}, {LINUX_O_CLOEXEC, "O_CLOEXEC"},
    {LINUX_O_PATH, "O_PATH"},           {LINUX_O_LARGEFILE, "O_LARGEFILE"},
  };
  put(o, "%s", acc[v & 3]);
  v &= ~3ull;
  if (v) {
    put(o, "|");
    put_flags(o, v, names, sizeof(names) / sizeof(names[0]), "0");
  }
}

static void put_string(struct out *o, struct mm *mm, uint64_t addr, long n, int nul_terminated) {
  if (!addr) {
    put(o, "NULL");
    return;
  }
  uint8_t b[33];
  long want = nul_terminated ? 33 : (n < 33 ? n : 33);
  long got = 0;
  while (got < want && mm_read(mm, b + got, addr + (uint64_t)got, 1) == 0) {
    if (nul_terminated && b[got] == 0) break;
    got++;
  }
  if (got == 0 && want > 0 && (!nul_terminated || mm_read(mm, b, addr, 1))) {
    put(o, "%#llx", (unsigned long long)addr);
    return;
  }
  long shown = got > 32 ? 32 : got;
  put(o, "\"");
  for (long i = 0; i < shown; i++) {
    uint8_t c = b[i];
    if (c == '\n') put(o, "\\n");
    else if (c == '\t') put(o, "\\t");
    else if (c == '"' || c == '\\') put(o, "\\%c", c);
    else if (c < 32 || c >= 127) put(o, "\\x%02x", c);
    else put(o, "%c", c);
  }
  put(o, "\"%s", (nul_terminated ? got > 32 : n > 32) ? "..." : "");
}

void strace_line(struct task *t, int nr, const uint64_t *a, int64_t ret) {
  char buf[512];
  struct out o = {buf, 0, sizeof(buf)};
  int ret_hex;
  const char *fmt = syscall_fmt(nr, &ret_hex);
  struct mm *mm = t->proc->mm;
  put(&o, "[%d] %s(", t->tid, syscall_name(nr));
  for (int i = 0; fmt[i] && i < 6; i++) {
    uint64_t v = a[i];
    if (i) put(&o, ", ");
    switch (fmt[i]) {
    case 'd': put(&o, "%d", (int)v); break;
    case 'l': put(&o, "%lld", (long long)v); break;
    case 'u': put(&o, "%llu", (unsigned long long)v); break;
    case 's': put_string(&o, mm, v, 0, 1); break;
    case 'b': put_string(&o, mm, v, (long)a[i + 1], 0); break;
    case 'B':
      if (ret >= 0 && ret != 0x7fffffff) put_string(&o, mm, v, (long)ret, 0);
      else put(&o, "%#llx", (unsigned long long)v);
      break;
    case 'D':
      if ((int)v == LINUX_AT_FDCWD) put(&o, "AT_FDCWD");
      else put(&o, "%d", (int)v);
      break;
    case 'o': put(&o, "0%llo", (unsigned long long)v); break;
    case 'O': put_open_flags(&o, v); break;
    case 'P': {
      static const struct flag_name prot[] = {{1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}};
      put_flags(&o, v, prot, 3, "PROT_NONE");
      break;
    }
    case 'M': {
      static const struct flag_name mf[] = {
        {LINUX_MAP_SHARED, "MAP_SHARED"}, {LINUX_MAP_PRIVATE, "MAP_PRIVATE"}, {LINUX_MAP_FIXED, "MAP_FIXED"},
        {LINUX_MAP_ANONYMOUS, "MAP_ANONYMOUS"}, {LINUX_MAP_NORESERVE, "MAP_NORESERVE"},
        {LINUX_MAP_STACK, "MAP_STACK"}, {LINUX_MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
        {LINUX_MAP_POPULATE, "MAP_POPULATE"}, {LINUX_MAP_GROWSDOWN, "MAP_GROWSDOWN"},
      };
      put_flags(&o, v, mf, sizeof(mf) / sizeof(mf[0]), "0");
      break;
    }
    case 'S':
      if (v > 0 && v < 32 && signal_names[v]) put(&o, "%s", signal_names[v]);
      else put(&o, "%d", (int)v);
      break;
    case 'p':
      if (!v) {
        put(&o, "NULL");
        break;
      }
      /* fall through */
    default: put(&o, "%#llx", (unsigned long long)v); break;
    }
  }
  if (ret == 0x7fffffff) {
    put(&o, ") = ?");
  } else if (ret < 0 && ret > -4096) {
    const char *en = errno_name((int)-ret);
    if (en) put(&o, ") = -1 %s", en);
    else put(&o, ") = -1 (errno %lld)", (long long)-ret);
  } else if (ret_hex) {
    put(&o, ") = %#llx", (unsigned long long)ret);
  } else {
    put(&o, ") = %lld", (long long)ret);
  }
  host_log(buf, (int32_t)o.len);
}
