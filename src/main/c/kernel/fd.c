// SPDX-License-Identifier: MIT
// File descriptors and the syscalls that act on an open file: read, write,
// readv, writev, pread64, pwrite64, lseek, close, dup*, fcntl, ioctl,
// ftruncate, fsync, pipe, pipe2, close_range. Owns fd tables; open-file descriptions are fs/vfs.c's
// (shared by dup and, in issue 3, fork). Guest memory only via mm_read/write.
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "syscalls.h"

#define IO_CHUNK (1u << 20) // bounce buffer size for guest I/O

struct fdtable *fdtable_new(void) {
  struct fdtable *ft = calloc(1, sizeof(*ft));
  if (ft) ft->refs = 1;
  return ft;
}

void fdtable_put(struct fdtable *ft) {
  if (!ft || --ft->refs > 0) return;
  for (int i = 0; i < ft->cap; i++)
    if (ft->files[i]) file_put(ft->files[i]);
  free(ft->files);
  free(ft->cloexec);
  free(ft);
}

static int grow(struct fdtable *ft, int need);

// fork(2): the child's table refers to the same open file descriptions.
struct fdtable *fdtable_dup(struct fdtable *ft) {
  struct fdtable *n = fdtable_new();
  if (!n) return NULL;
  if (ft->cap && grow(n, ft->cap)) {
    fdtable_put(n);
    return NULL;
  }
  for (int i = 0; i < ft->cap; i++) {
    if (!ft->files[i]) continue;
    n->files[i] = file_get(ft->files[i]);
    n->cloexec[i] = ft->cloexec[i];
  }
  return n;
}

struct file *fd_get(struct proc *p, int fd) {
  struct fdtable *ft = p->fds;
  if (!ft || fd < 0 || fd >= ft->cap) return NULL;
  return ft->files[fd];
}

static int grow(struct fdtable *ft, int need) {
  if (need <= ft->cap) return 0;
  int cap = ft->cap ? ft->cap : 16;
  while (cap < need) cap *= 2;
  if (cap > KERNEL_FD_MAX) cap = KERNEL_FD_MAX;
  struct file **files = realloc(ft->files, (size_t)cap * sizeof(*files));
  if (!files) return -LINUX_ENOMEM;
  ft->files = files;
  uint8_t *ce = realloc(ft->cloexec, (size_t)cap);
  if (!ce) return -LINUX_ENOMEM;
  ft->cloexec = ce;
  for (int i = ft->cap; i < cap; i++) {
    files[i] = NULL;
    ce[i] = 0;
  }
  ft->cap = cap;
  return 0;
}

// Lowest free descriptor >= min (open(2): "the lowest-numbered file
// descriptor not currently open"). Takes f's reference, drops it on failure.
int fd_install(struct proc *p, struct file *f, int min, int cloexec) {
  struct fdtable *ft = p->fds;
  int fd = min;
  while (fd < ft->cap && ft->files[fd]) fd++;
  if (fd >= KERNEL_FD_MAX || fd >= (int)p->rlimits[LINUX_RLIMIT_NOFILE].rlim_cur) {
    file_put(f);
    return -LINUX_EMFILE;
  }
  int rc = grow(ft, fd + 1);
  if (rc) {
    file_put(f);
    return rc;
  }
  ft->files[fd] = f;
  ft->cloexec[fd] = cloexec ? 1 : 0;
  return fd;
}

int fd_close(struct proc *p, int fd) {
  struct file *f = fd_get(p, fd);
  if (!f) return -LINUX_EBADF;
  p->fds->files[fd] = NULL;
  p->fds->cloexec[fd] = 0;
  file_put(f);
  return 0;
}

static int can_read(struct file *f) {
  return !(f->flags & LINUX_O_PATH) && (f->flags & LINUX_O_ACCMODE) != LINUX_O_WRONLY;
}
static int can_write(struct file *f) {
  int acc = f->flags & LINUX_O_ACCMODE;
  return !(f->flags & LINUX_O_PATH) && (acc == LINUX_O_WRONLY || acc == LINUX_O_RDWR);
}

// Reads into guest memory. pos < 0: at the file offset; else pread at pos.
static int64_t do_read(struct task *t, struct file *f, uint64_t buf, uint64_t n, int64_t pos) {
  if (!can_read(f)) return -LINUX_EBADF;
  if (LINUX_S_ISDIR(f->mode)) return -LINUX_EISDIR;
  if (n > 0x7ffff000) n = 0x7ffff000; // read(2): Linux transfers at most this much
  if (n == 0) return 0;
  uint64_t done = 0;
  uint8_t *bounce = malloc(n < IO_CHUNK ? n : IO_CHUNK);
  if (!bounce) return -LINUX_ENOMEM;
  long rc = 0;
  while (done < n) {
    size_t k = n - done < IO_CHUNK ? (size_t)(n - done) : IO_CHUNK;
    if (pos >= 0) rc = f->ops->pread ? f->ops->pread(f, bounce, k, pos + (int64_t)done) : -LINUX_EINVAL;
    else rc = file_read(f, bounce, k);
    if (rc <= 0) break;
    if (mm_write(t->proc->mm, buf + done, bounce, (size_t)rc)) {
      rc = -LINUX_EFAULT;
      break;
    }
    done += (uint64_t)rc;
    if ((size_t)rc < k || f->ops->stream) break;
  }
  free(bounce);
  return done ? (long)done : rc;
}

static int64_t do_write(struct task *t, struct file *f, uint64_t buf, uint64_t n, int64_t pos) {
  if (!can_write(f)) return -LINUX_EBADF;
  if (n > 0x7ffff000) n = 0x7ffff000;
  if (n == 0) return 0;
  uint64_t done = 0;
  uint8_t *bounce = malloc(n < IO_CHUNK ? n : IO_CHUNK);
  if (!bounce) return -LINUX_ENOMEM;
  long rc = 0;
  while (done < n) {
    size_t k = n - done < IO_CHUNK ? (size_t)(n - done) : IO_CHUNK;
    if (mm_read(t->proc->mm, bounce, buf + done, k)) {
      rc = -LINUX_EFAULT;
      break;
    }
    if (pos >= 0) rc = f->ops->pwrite ? f->ops->pwrite(f, bounce, k, pos + (int64_t)done) : -LINUX_EINVAL;
    else rc = file_write(f, bounce, k);
    if (rc <= 0) break;
    done += (uint64_t)rc;
    if ((size_t)rc < k) break;
  }
  free(bounce);
  return done ? (long)done : rc;
}

int64_t sys_read(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  return do_read(t, f, a[1], a[2], -1);
}

// pipe(7): writing to a pipe without readers raises SIGPIPE as well as
// giving EPIPE.
static int64_t epipe(struct task *t, int64_t rc) {
  if (rc == -LINUX_EPIPE) signal_send(t, LINUX_SIGPIPE);
  return rc;
}

// A blocking write to a pipe sleeps until all of it is written (pipe(7)):
// a short count with kern.block_chan set means the rest would block, so the
// call sleeps and, run again, goes on after t->io_done bytes. A signal
// handler ends it with the count written so far (signal.c).
int64_t sys_write(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  uint64_t skip = t->io_done, n = a[2] > 0x7ffff000 ? 0x7ffff000 : a[2];
  if (skip > n) skip = n;
  int64_t rc = do_write(t, f, a[1] + skip, n - skip, -1);
  if (rc > 0 && skip + (uint64_t)rc < n && kern.block_chan) {
    t->io_done = skip + (uint64_t)rc;
    return -LINUX_ERESTARTSYS;
  }
  t->io_done = 0;
  if (skip && rc < 0) return (int64_t)skip; // e.g. the readers left: the part written counts
  return epipe(t, rc < 0 ? rc : rc + (int64_t)skip);
}

int64_t sys_pread64(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  if ((int64_t)a[3] < 0) return -LINUX_EINVAL;
  if (f->ops->stream) return -LINUX_ESPIPE;
  return do_read(t, f, a[1], a[2], (int64_t)a[3]);
}

int64_t sys_pwrite64(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  if ((int64_t)a[3] < 0) return -LINUX_EINVAL;
  if (f->ops->stream) return -LINUX_ESPIPE;
  return do_write(t, f, a[1], a[2], (int64_t)a[3]);
}

// readv(2)/writev(2): at most IOV_MAX (1024) entries; stops at the first
// short transfer.
static int64_t do_iov(struct task *t, const uint64_t *a, int writing) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  int cnt = (int)a[2];
  if (cnt < 0 || cnt > 1024) return -LINUX_EINVAL;
  if (cnt == 0) return 0;
  struct iovec_linux *iov = malloc((size_t)cnt * sizeof(*iov));
  if (!iov) return -LINUX_ENOMEM;
  if (mm_read(t->proc->mm, iov, a[1], (size_t)cnt * sizeof(*iov))) {
    free(iov);
    return -LINUX_EFAULT;
  }
  uint64_t total = 0;
  for (int i = 0; i < cnt; i++) {
    total += iov[i].iov_len;
    if ((int64_t)iov[i].iov_len < 0 || (int64_t)total < 0) {
      free(iov);
      return -LINUX_EINVAL;
    }
  }
  int64_t done = 0, rc = 0;
  for (int i = 0; i < cnt; i++) {
    if (!iov[i].iov_len) continue;
    rc = writing ? do_write(t, f, iov[i].iov_base, iov[i].iov_len, -1) : do_read(t, f, iov[i].iov_base, iov[i].iov_len, -1);
    if (rc < 0) break;
    done += rc;
    if ((uint64_t)rc < iov[i].iov_len) break;
  }
  free(iov);
  if (rc == -LINUX_ERESTARTSYS && done) return done;
  return done ? done : rc;
}

int64_t sys_readv(struct task *t, const uint64_t *a) { return do_iov(t, a, 0); }
int64_t sys_writev(struct task *t, const uint64_t *a) { return epipe(t, do_iov(t, a, 1)); }

// pipe2(2): O_CLOEXEC and O_NONBLOCK (O_DIRECT packet mode is not supported).
static int64_t do_pipe(struct task *t, uint64_t addr, uint64_t flags) {
  if (flags & ~(uint64_t)(LINUX_O_CLOEXEC | LINUX_O_NONBLOCK)) return -LINUX_EINVAL;
  struct file *r, *w;
  int rc = pipe_new(&r, &w);
  if (rc) return rc;
  if (flags & LINUX_O_NONBLOCK) {
    r->flags |= LINUX_O_NONBLOCK;
    w->flags |= LINUX_O_NONBLOCK;
  }
  int cloexec = (flags & LINUX_O_CLOEXEC) != 0;
  int fds[2];
  fds[0] = fd_install(t->proc, r, 0, cloexec);
  if (fds[0] < 0) {
    file_put(w);
    return fds[0];
  }
  fds[1] = fd_install(t->proc, w, 0, cloexec);
  if (fds[1] < 0) {
    fd_close(t->proc, fds[0]);
    return fds[1];
  }
  if (mm_write(t->proc->mm, addr, fds, sizeof(fds))) {
    fd_close(t->proc, fds[0]);
    fd_close(t->proc, fds[1]);
    return -LINUX_EFAULT;
  }
  return 0;
}

int64_t sys_pipe(struct task *t, const uint64_t *a) { return do_pipe(t, a[0], 0); }
int64_t sys_pipe2(struct task *t, const uint64_t *a) { return do_pipe(t, a[0], a[1]); }

int64_t sys_close(struct task *t, const uint64_t *a) { return fd_close(t->proc, (int)a[0]); }

// close_range(2): closes [first, last], or with CLOSE_RANGE_CLOEXEC (4)
// marks them close-on-exec; CLOSE_RANGE_UNSHARE (2) unshares a CLONE_FILES
// table first. subprocess modules call it between fork and exec.
int64_t sys_close_range(struct task *t, const uint64_t *a) {
  uint32_t first = (uint32_t)a[0], last = (uint32_t)a[1], flags = (uint32_t)a[2];
  if (flags & ~6u) return -LINUX_EINVAL;
  if (first > last) return -LINUX_EINVAL;
  struct proc *p = t->proc;
  if ((flags & 2) && p->fds && p->fds->refs > 1) {
    struct fdtable *own = fdtable_dup(p->fds);
    if (!own) return -LINUX_ENOMEM;
    fdtable_put(p->fds);
    p->fds = own;
  }
  struct fdtable *ft = p->fds;
  for (uint32_t fd = first; ft && fd <= last && fd < (uint32_t)ft->cap; fd++) {
    if (!ft->files[fd]) continue;
    if (flags & 4) ft->cloexec[fd] = 1;
    else fd_close(p, (int)fd);
  }
  return 0;
}

int64_t sys_lseek(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  if (f->ops->stream) return -LINUX_ESPIPE;
  int64_t off = (int64_t)a[1];
  int whence = (int)a[2];
  int64_t base;
  struct stat_linux st;
  switch (whence) {
  case LINUX_SEEK_SET: base = 0; break;
  case LINUX_SEEK_CUR: base = f->pos; break;
  case LINUX_SEEK_END:
  case 3: // SEEK_DATA
  case 4: // SEEK_HOLE
    if (!f->ops->fstat || f->ops->fstat(f, &st)) return -LINUX_EINVAL;
    if (whence == LINUX_SEEK_END) {
      base = st.st_size;
      break;
    }
    // lseek(2): no holes are tracked, so data runs to the end of the file.
    if (off < 0 || off >= st.st_size) return -LINUX_ENXIO;
    f->pos = whence == 3 ? off : st.st_size;
    return f->pos;
  default: return -LINUX_EINVAL;
  }
  if ((off > 0 && base > INT64_MAX - off)) return -LINUX_EINVAL;
  int64_t np = base + off;
  if (np < 0) return -LINUX_EINVAL;
  f->pos = np;
  if (LINUX_S_ISDIR(f->mode)) f->dir_index = np > 0x7fffffff ? 0x7fffffff : (int)np;
  return np;
}

int64_t sys_dup(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  return fd_install(t->proc, file_get(f), 0, 0);
}

static int64_t dup_to(struct task *t, int oldfd, int newfd, int cloexec) {
  struct file *f = fd_get(t->proc, oldfd);
  if (!f) return -LINUX_EBADF;
  if (newfd < 0 || newfd >= KERNEL_FD_MAX || newfd >= (int)t->proc->rlimits[LINUX_RLIMIT_NOFILE].rlim_cur)
    return -LINUX_EBADF;
  file_get(f);
  if (fd_get(t->proc, newfd)) fd_close(t->proc, newfd);
  return fd_install(t->proc, f, newfd, cloexec);
}

int64_t sys_dup2(struct task *t, const uint64_t *a) {
  if ((int)a[0] == (int)a[1]) return fd_get(t->proc, (int)a[0]) ? (long)(int)a[1] : -LINUX_EBADF;
  return dup_to(t, (int)a[0], (int)a[1], 0);
}

int64_t sys_dup3(struct task *t, const uint64_t *a) {
  if (a[2] & ~(uint64_t)LINUX_O_CLOEXEC) return -LINUX_EINVAL;
  if ((int)a[0] == (int)a[1]) return -LINUX_EINVAL;
  return dup_to(t, (int)a[0], (int)a[1], a[2] != 0);
}

int64_t sys_fcntl(struct task *t, const uint64_t *a) {
  int fd = (int)a[0];
  struct file *f = fd_get(t->proc, fd);
  if (!f) return -LINUX_EBADF;
  switch ((int)a[1]) {
  case LINUX_F_DUPFD:
  case LINUX_F_DUPFD_CLOEXEC: {
    int min = (int)a[2];
    if (min < 0 || min >= KERNEL_FD_MAX) return -LINUX_EINVAL;
    return fd_install(t->proc, file_get(f), min, (int)a[1] == LINUX_F_DUPFD_CLOEXEC);
  }
  case LINUX_F_GETFD: return t->proc->fds->cloexec[fd] ? LINUX_FD_CLOEXEC : 0;
  case LINUX_F_SETFD: t->proc->fds->cloexec[fd] = (a[2] & LINUX_FD_CLOEXEC) ? 1 : 0; return 0;
  case LINUX_F_GETFL: return f->flags;
  case LINUX_F_SETFL: {
    // fcntl(2): only O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK change.
    uint32_t mask = LINUX_O_APPEND | 020000 | LINUX_O_DIRECT | LINUX_O_NOATIME | LINUX_O_NONBLOCK;
    f->flags = (f->flags & ~mask) | ((uint32_t)a[2] & mask);
    return 0;
  }
  case 5:  // F_GETLK: nobody else holds locks; report F_UNLCK
  case 36: { // F_OFD_GETLK
    int16_t unlck = 2;
    return mm_write(t->proc->mm, a[2], &unlck, 2) ? -LINUX_EFAULT : 0;
  }
  case 6: case 7: case 37: case 38: // F_SETLK(W), F_OFD_SETLK(W): one process, always granted
    return 0;
  default: return -LINUX_EINVAL;
  }
}

int64_t sys_flock(struct task *t, const uint64_t *a) { return fd_get(t->proc, (int)a[0]) ? 0 : -LINUX_EBADF; }

int64_t sys_fsync(struct task *t, const uint64_t *a) { return fd_get(t->proc, (int)a[0]) ? 0 : -LINUX_EBADF; }

int64_t sys_ftruncate(struct task *t, const uint64_t *a) {
  struct file *f = fd_get(t->proc, (int)a[0]);
  if (!f) return -LINUX_EBADF;
  if ((int64_t)a[1] < 0) return -LINUX_EINVAL;
  if (!can_write(f) || !LINUX_S_ISREG(f->mode) || !f->ops->truncate) return -LINUX_EINVAL;
  return f->ops->truncate(f, a[1]);
}

int64_t sys_ioctl(struct task *t, const uint64_t *a) {
  int fd = (int)a[0];
  struct file *f = fd_get(t->proc, fd);
  if (!f) return -LINUX_EBADF;
  uint32_t req = (uint32_t)a[1];
  switch (req) {
  case 0x5451: t->proc->fds->cloexec[fd] = 1; return 0; // FIOCLEX
  case 0x5450: t->proc->fds->cloexec[fd] = 0; return 0; // FIONCLEX
  case LINUX_FIONBIO: {
    int32_t on;
    if (mm_read(t->proc->mm, &on, a[2], 4)) return -LINUX_EFAULT;
    if (on) f->flags |= LINUX_O_NONBLOCK;
    else f->flags &= ~(uint32_t)LINUX_O_NONBLOCK;
    return 0;
  }
  }
  if (!f->ops->ioctl) return -LINUX_ENOTTY;
  return f->ops->ioctl(f, req, a[2], t->proc->mm);
}

// sendfile(2): copies between two open files through a bounce buffer. With
// an offset pointer, in_fd's own offset is left alone.
int64_t sys_sendfile(struct task *t, const uint64_t *a) {
  struct file *out = fd_get(t->proc, (int)a[0]), *in = fd_get(t->proc, (int)a[1]);
  if (!out || !in || !can_read(in) || !can_write(out)) return -LINUX_EBADF;
  if (LINUX_S_ISDIR(in->mode)) return -LINUX_EINVAL;
  int64_t off = -1;
  if (a[2]) {
    if (in->ops->stream) return -LINUX_ESPIPE;
    if (mm_read(t->proc->mm, &off, a[2], 8)) return -LINUX_EFAULT;
    if (off < 0) return -LINUX_EINVAL;
  }
  uint64_t count = a[3] > 0x7ffff000 ? 0x7ffff000 : a[3];
  uint8_t *buf = malloc(count < IO_CHUNK ? (count ? count : 1) : IO_CHUNK);
  if (!buf) return -LINUX_ENOMEM;
  uint64_t done = 0;
  long rc = 0;
  while (done < count) {
    size_t k = count - done < IO_CHUNK ? (size_t)(count - done) : IO_CHUNK;
    rc = off >= 0 ? in->ops->pread(in, buf, k, off + (int64_t)done) : file_read(in, buf, k);
    if (rc <= 0) break;
    long w = file_write(out, buf, (size_t)rc);
    if (w < 0) {
      rc = w;
      break;
    }
    done += (uint64_t)w;
    if (w < rc || (size_t)rc < k || in->ops->stream) break;
  }
  free(buf);
  if (off >= 0) {
    off += (int64_t)done;
    if (mm_write(t->proc->mm, a[2], &off, 8)) return -LINUX_EFAULT;
  }
  if (!done && rc < 0) return rc;
  return (long)done;
}

// copy_file_range(2) between regular files, through a bounce buffer. A NULL
// offset pointer means the file's own offset (which then advances).
int64_t sys_copy_file_range(struct task *t, const uint64_t *a) {
  struct file *in = fd_get(t->proc, (int)a[0]), *out = fd_get(t->proc, (int)a[2]);
  if (!in || !out || !can_read(in) || !can_write(out)) return -LINUX_EBADF;
  if (a[5]) return -LINUX_EINVAL;
  if (!LINUX_S_ISREG(in->mode) || !LINUX_S_ISREG(out->mode)) return -LINUX_EINVAL;
  if (out->flags & LINUX_O_APPEND) return -LINUX_EBADF;
  int64_t offs[2] = {-1, -1};
  for (int i = 0; i < 2; i++) {
    uint64_t p = a[1 + 2 * i];
    if (p && mm_read(t->proc->mm, &offs[i], p, 8)) return -LINUX_EFAULT;
    if (p && offs[i] < 0) return -LINUX_EINVAL;
  }
  uint64_t count = a[4] > 0x7ffff000 ? 0x7ffff000 : a[4];
  uint8_t *buf = malloc(count < IO_CHUNK ? (count ? count : 1) : IO_CHUNK);
  if (!buf) return -LINUX_ENOMEM;
  uint64_t done = 0;
  int64_t rc = 0;
  while (done < count) {
    size_t k = count - done < IO_CHUNK ? (size_t)(count - done) : IO_CHUNK;
    rc = offs[0] >= 0 ? in->ops->pread(in, buf, k, offs[0] + (int64_t)done) : file_read(in, buf, k);
    if (rc <= 0) break;
    int64_t w = offs[1] >= 0 ? out->ops->pwrite(out, buf, (size_t)rc, offs[1] + (int64_t)done) : file_write(out, buf, (size_t)rc);
    if (w < 0) {
      rc = w;
      break;
    }
    done += (uint64_t)w;
    if (w < rc || (size_t)rc < k) break;
  }
  free(buf);
  for (int i = 0; i < 2; i++) {
    if (offs[i] < 0) continue;
    int64_t v = offs[i] + (int64_t)done;
    if (mm_write(t->proc->mm, a[1 + 2 * i], &v, 8)) return -LINUX_EFAULT;
  }
  if (!done && rc < 0) return rc;
  return (int64_t)done;
}
