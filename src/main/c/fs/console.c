// SPDX-License-Identifier: MIT
// The console: the tty the first process starts with on fds 0, 1 and 2.
// Output goes to host_console_write; input comes from the buffer the host
// fills with xos_stdin_push (EOF after xos_stdin_close). Owns the stdin
// buffer, the termios, the window size and the foreground process group
// (TIOCSPGRP; ISIG characters and window changes signal it through the
// kernel); must not block: an empty buffer makes read return
// -LINUX_ERESTARTSYS and the scheduler parks the task.
#include <stdlib.h>
#include <string.h>

#include "../host/host.h"
#include "../mem/mem.h"
#include "vfs.h"

static struct {
  uint8_t *buf; // unread input is buf[head..tail)
  size_t head, tail, cap;
  int closed; // xos_stdin_close was called
  struct termios_linux termios;
  struct winsize_linux winsize;
  int termios_set; // termios initialised
  int tty_mask;    // bit fd set: console fd (0, 1, 2) is a terminal on the host side
} console;

void console_set_tty(int mask) { console.tty_mask = mask & 7; }


// Whether this console file behaves as a tty. When the host's side is not a
// terminal (output captured, input from a file), the guest sees a pipe, as
// it would natively: isatty() false, TCGETS gives ENOTTY.
static int is_tty(struct file *f) { return (console.tty_mask >> (f->handle & 3)) & 1; }

// Defaults of a fresh Linux tty (stty sane): ICRNL|IXON, OPOST|ONLCR,
// B38400|CS8|CREAD, ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN.
static void console_defaults(void) {
  if (console.termios_set) return;
  console.termios_set = 1;
  console.termios.c_iflag = 0x500;
  console.termios.c_oflag = 0x5;
  console.termios.c_cflag = 0xbf;
  console.termios.c_lflag = 0x8a3b;
  static const uint8_t cc[19] = {3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16, 0, 0, 0};
  memcpy(console.termios.c_cc, cc, sizeof(cc));
  console.winsize.ws_row = 24;
  console.winsize.ws_col = 80;
}

void console_set_winsize(int rows, int cols) {
  console_defaults();
  if (rows == console.winsize.ws_row && cols == console.winsize.ws_col) return;
  console.winsize.ws_row = (uint16_t)rows;
  console.winsize.ws_col = (uint16_t)cols;
  kernel_signal_pgrp(console_pgrp, LINUX_SIGWINCH);
}

// termios(3) ISIG: the INTR, QUIT and SUSP characters of a tty's input are
// not read; they signal the foreground process group.
static size_t take_signal_chars(uint8_t *b, size_t n) {
  if (!(console.tty_mask & 1) || !(console.termios.c_lflag & 0x1)) return n;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = b[i];
    const uint8_t *cc = console.termios.c_cc;
    int sig = c == 0 ? 0 : c == cc[0] ? LINUX_SIGINT : c == cc[1] ? LINUX_SIGQUIT : c == cc[10] ? LINUX_SIGTSTP : 0;
    if (sig) kernel_signal_pgrp(console_pgrp, sig);
    else b[k++] = c;
  }
  return k;
}

void console_stdin_push(const void *buf, size_t n) {
  console_defaults();
  if (console.head == console.tail) console.head = console.tail = 0;
  if (console.tail + n > console.cap) {
    // Compact first, then grow.
    if (console.buf) memmove(console.buf, console.buf + console.head, console.tail - console.head);
    console.tail -= console.head;
    console.head = 0;
    if (console.tail + n > console.cap) {
      size_t cap = console.cap ? console.cap : 4096;
      while (cap < console.tail + n) cap *= 2;
      uint8_t *b = realloc(console.buf, cap);
      if (!b) return;
      console.buf = b;
      console.cap = cap;
    }
  }
  memcpy(console.buf + console.tail, buf, n);
  console.tail += take_signal_chars(console.buf + console.tail, n);
}

void console_stdin_close(void) { console.closed = 1; }

void console_reset(void) {
  free(console.buf);
  memset(&console, 0, sizeof(console));
}

int console_stdin_ready(void) { return console.head != console.tail || console.closed; }

static long con_pread(struct file *f, void *buf, size_t n, int64_t off) {
  if (console.head == console.tail) {
    if (console.closed) return 0;
    return (f->flags & LINUX_O_NONBLOCK) ? -LINUX_EAGAIN : -LINUX_ERESTARTSYS;
  }
  size_t k = console.tail - console.head;
  if (k > n) k = n;
  // A canonical-mode tty returns at most one line per read (termios(3)).
  if (is_tty(f) && (console.termios.c_lflag & 0x2)) {
    uint8_t *nl = memchr(console.buf + console.head, '\n', k);
    if (nl) k = (size_t)(nl - (console.buf + console.head)) + 1;
  }
  memcpy(buf, console.buf + console.head, k);
  console.head += k;
  return (long)k;
}

static long con_pwrite(struct file *f, const void *buf, size_t n, int64_t off) {
  int fd = f->handle == 2 ? 2 : 1;
  size_t done = 0;
  while (done < n) {
    size_t k = n - done > (1u << 20) ? (1u << 20) : n - done;
    host_console_write(fd, (const uint8_t *)buf + done, (int32_t)k);
    done += k;
  }
  return (long)n;
}

static int con_fstat(struct file *f, struct stat_linux *st) {
  if (!is_tty(f)) {
    // An anonymous pipe: prw-------, st_dev of pipefs.
    vfs_stat_synth(st, LINUX_S_IFIFO | 0600, 10 + (uint64_t)f->handle, 0);
    st->st_dev = 0xc;
    st->st_blksize = 4096;
    return 0;
  }
  // /dev/pts/0: character device 136,0, crw--w----.
  vfs_stat_synth(st, LINUX_S_IFCHR | 0620, 3, (136 << 8) | 0);
  return 0;
}

static long con_ioctl(struct file *f, uint32_t req, uint64_t arg, struct mm *mm) {
  console_defaults();
  if (req == LINUX_FIONREAD) {
    int32_t n = (int32_t)(console.tail - console.head);
    return mm_write(mm, arg, &n, 4) ? -LINUX_EFAULT : 0;
  }
  if (!is_tty(f)) return -LINUX_ENOTTY;
  switch (req) {
  case LINUX_TCGETS:
    return mm_write(mm, arg, &console.termios, sizeof(console.termios)) ? -LINUX_EFAULT : 0;
  case LINUX_TCSETS:
  case LINUX_TCSETSW:
  case LINUX_TCSETSF:
    return mm_read(mm, &console.termios, arg, sizeof(console.termios)) ? -LINUX_EFAULT : 0;
  case LINUX_TIOCGWINSZ:
    return mm_write(mm, arg, &console.winsize, sizeof(console.winsize)) ? -LINUX_EFAULT : 0;
  case LINUX_TIOCSWINSZ: {
    struct winsize_linux ws;
    if (mm_read(mm, &ws, arg, sizeof(ws))) return -LINUX_EFAULT;
    int changed = memcmp(&ws, &console.winsize, sizeof(ws)) != 0;
    console.winsize = ws;
    if (changed) kernel_signal_pgrp(console_pgrp, LINUX_SIGWINCH); // tty_ioctl(4)
    return 0;
  }
  case LINUX_TIOCGPGRP: {
    int32_t pg = console_pgrp;
    return mm_write(mm, arg, &pg, 4) ? -LINUX_EFAULT : 0;
  }
  case LINUX_TIOCSPGRP: {
    int32_t pg;
    if (mm_read(mm, &pg, arg, 4)) return -LINUX_EFAULT;
    if (pg < 0) return -LINUX_EINVAL;
    console_pgrp = pg;
    return 0;
  }
  default:
    return -LINUX_ENOTTY;
  }
}

static int con_poll(struct file *f) {
  int r = LINUX_POLLOUT;
  if (console_stdin_ready()) r |= LINUX_POLLIN;
  return r;
}

int32_t console_pgrp = 1;

const struct file_ops console_file_ops = {
  .pread = con_pread,
  .pwrite = con_pwrite,
  .fstat = con_fstat,
  .ioctl = con_ioctl,
  .poll = con_poll,
  .stream = 1,
};

struct file *console_open(int fd, uint32_t flags) {
  console_defaults();
  struct file *f = file_new(&console_file_ops, flags, LINUX_S_IFCHR);
  if (!f) return NULL;
  f->handle = fd;
  f->path = strdup("/dev/pts/0");
  return f;
}
