// SPDX-License-Identifier: MIT
// execve(2) and execveat(2): copies argv and envp out of the guest, finds
// the program (following #! lines to their interpreter, at most 4 deep as
// binfmt_script allows), then asks task.c to replace the process image.
// Owns only the temporary argument copies.
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "syscalls.h"

#define EXEC_ARG_MAX (2u << 20) // a quarter of the 8 MiB stack, as execve(2) allows
#define EXEC_MAX_INTERP 4

struct strvec {
  char **v;
  int n, cap;
  size_t bytes;
};

static int vec_push(struct strvec *s, char *str) {
  if (s->n + 2 > s->cap) {
    int cap = s->cap ? s->cap * 2 : 16;
    char **v = realloc(s->v, (size_t)cap * sizeof(char *));
    if (!v) return -LINUX_ENOMEM;
    s->v = v;
    s->cap = cap;
  }
  s->v[s->n++] = str;
  s->v[s->n] = NULL;
  s->bytes += strlen(str) + 1;
  return s->bytes > EXEC_ARG_MAX ? -LINUX_E2BIG : 0;
}

static void vec_free(struct strvec *s) {
  for (int i = 0; i < s->n; i++) free(s->v[i]);
  free(s->v);
  memset(s, 0, sizeof(*s));
}

// Copies a NULL-terminated array of guest strings (argv or envp; NULL is
// an empty array, as Linux accepts).
static int copy_strings(struct task *t, uint64_t uvec, struct strvec *out) {
  int rc = 0;
  out->v = calloc(16, sizeof(char *)); // an empty vector is {NULL}
  if (!out->v) return -LINUX_ENOMEM;
  out->cap = 16;
  for (uint64_t i = 0; uvec; i++) {
    uint64_t p;
    if (mm_read(t->proc->mm, &p, uvec + i * 8, 8)) return -LINUX_EFAULT;
    if (!p) break;
    char *buf = malloc(LINUX_PATH_MAX * 32);
    if (!buf) return -LINUX_ENOMEM;
    long n = mm_read_str(t->proc->mm, buf, p, LINUX_PATH_MAX * 32);
    if (n < 0) {
      free(buf);
      return n == -1 ? -LINUX_EFAULT : -LINUX_E2BIG;
    }
    char *s = realloc(buf, (size_t)n + 1);
    rc = vec_push(out, s ? s : buf);
    if (rc) return rc;
  }
  return rc;
}

// Splits a "#!interp [arg]" line (binfmt_script: one optional argument,
// the rest of the line after the interpreter's name).
int exec_parse_shebang(const uint8_t *buf, size_t len, char *interp, char *arg) {
  size_t end = 2;
  while (end < len && end < 256 && buf[end] != '\n') end++;
  char line[257];
  memcpy(line, buf + 2, end - 2);
  line[end - 2] = 0;
  char *p = line;
  while (*p == ' ' || *p == '\t') p++;
  if (!*p) return -LINUX_ENOEXEC;
  char *q = p;
  while (*q && *q != ' ' && *q != '\t') q++;
  size_t ilen = (size_t)(q - p);
  memcpy(interp, p, ilen);
  interp[ilen] = 0;
  while (*q == ' ' || *q == '\t') q++;
  size_t alen = strlen(q);
  while (alen && (q[alen - 1] == ' ' || q[alen - 1] == '\t' || q[alen - 1] == '\r')) alen--;
  memcpy(arg, q, alen);
  arg[alen] = 0;
  return 0;
}

static int64_t do_execve(struct task *t, int dirfd, uint64_t upath, uint64_t uargv, uint64_t uenvp, int flags) {
  char path[LINUX_PATH_MAX], abs[LINUX_PATH_MAX];
  int rc = user_path(t, upath, path);
  if (rc) return rc;
  if (!path[0]) {
    // execveat(fd, "", ..., AT_EMPTY_PATH) runs the open file itself (fexecve).
    struct file *f = (flags & LINUX_AT_EMPTY_PATH) ? fd_get(t->proc, dirfd) : NULL;
    if (!(flags & LINUX_AT_EMPTY_PATH)) return -LINUX_ENOENT;
    if (!f) return -LINUX_EBADF;
    if (!f->path || !f->mnt) return -LINUX_EACCES;
    strcpy(path, f->path);
    dirfd = LINUX_AT_FDCWD;
  }
  struct strvec argv = {0}, envp = {0};
  uint8_t *buf = NULL;
  size_t len = 0;
  rc = copy_strings(t, uargv, &argv);
  if (!rc) rc = copy_strings(t, uenvp, &envp);
  char execfn[LINUX_PATH_MAX];
  strcpy(execfn, path);
  for (int depth = 0; !rc; depth++) {
    rc = at_resolve(t->proc, dirfd, path, !(flags & LINUX_AT_SYMLINK_NOFOLLOW), abs);
    if (rc) break;
    struct stat_linux st;
    rc = vfs_lstat(abs, &st);
    if (rc) break;
    if (LINUX_S_ISDIR(st.st_mode) || !LINUX_S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
      rc = -LINUX_EACCES;
      break;
    }
    free(buf);
    buf = NULL;
    rc = kernel_read_file(abs, &buf, &len);
    if (rc) break;
    if (len < 2 || buf[0] != '#' || buf[1] != '!') break;
    // A script: argv becomes interp [arg] path argv[1..].
    if (depth == EXEC_MAX_INTERP) {
      rc = -LINUX_ELOOP;
      break;
    }
    char interp[257], arg[257];
    rc = exec_parse_shebang(buf, len, interp, arg);
    if (rc) break;
    struct strvec nv = {0};
    rc = vec_push(&nv, strdup(interp));
    if (!rc && arg[0]) rc = vec_push(&nv, strdup(arg));
    if (!rc) rc = vec_push(&nv, strdup(path));
    for (int i = 1; !rc && i < argv.n; i++) rc = vec_push(&nv, strdup(argv.v[i]));
    vec_free(&argv);
    argv = nv;
    strcpy(path, interp);
    dirfd = LINUX_AT_FDCWD;
    flags = 0;
  }
  if (!rc) {
    rc = kernel_exec(t, buf, len, argv.v, envp.v, execfn, abs);
    // Loader refusals are ENOEXEC for the caller; the message is for the log.
    if (rc == -LINUX_ENOEXEC) kernel_log("execve %s: %s", abs, kern.error);
  }
  free(buf);
  vec_free(&argv);
  vec_free(&envp);
  return rc;
}

int64_t sys_execve(struct task *t, const uint64_t *a) { return do_execve(t, LINUX_AT_FDCWD, a[0], a[1], a[2], 0); }

int64_t sys_execveat(struct task *t, const uint64_t *a) {
  int flags = (int)a[4];
  if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH)) return -LINUX_EINVAL;
  return do_execve(t, (int)a[0], a[1], a[2], a[3], flags);
}
