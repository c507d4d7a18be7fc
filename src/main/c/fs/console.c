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
  // The line discipline (stdin a tty, ICANON): the line being edited, and
  // end-of-file marks (^D on an empty line) as offsets into buf, in order.
  uint8_t line[4096];
  size_t llen;
  size_t eof_at[16];
  int neof;
  int lnext; // the next character is literal (^V)
} console;

// termios bits and c_cc slots (asm-generic/termbits.h).
#define T_INLCR 0x40u
#define T_IGNCR 0x80u
#define T_ICRNL 0x100u
#define T_OPOST 0x1u
#define T_ONLCR 0x4u
#define T_ISIG 0x1u
#define T_ICANON 0x2u
#define T_ECHO 0x8u
#define T_ECHOE 0x10u
#define T_ECHOK 0x20u
#define T_ECHONL 0x40u
#define T_NOFLSH 0x80u
#define T_ECHOCTL 0x200u
#define T_ECHOKE 0x800u
#define T_IEXTEN 0x8000u
enum { VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP, VSUSP, VEOL, VREPRINT, VDISCARD,
       VWERASE, VLNEXT, VEOL2 };

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

// Output of a terminal: OPOST|ONLCR turns \n into \r\n (what a host
// terminal in raw mode, or the witness's terminal, needs).
static void tty_out(int fd, const uint8_t *p, size_t n) {
  const struct termios_linux *t = &console.termios;
  if (!((console.tty_mask >> fd) & 1) || !(t->c_oflag & T_OPOST) || !(t->c_oflag & T_ONLCR)) {
    while (n) {
      size_t k = n > (1u << 20) ? (1u << 20) : n;
      host_console_write(fd, p, (int32_t)k);
      p += k;
      n -= k;
    }
    return;
  }
  uint8_t tmp[1024];
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (k + 2 > sizeof(tmp)) {
      host_console_write(fd, tmp, (int32_t)k);
      k = 0;
    }
    if (p[i] == '\n') tmp[k++] = '\r';
    tmp[k++] = p[i];
  }
  if (k) host_console_write(fd, tmp, (int32_t)k);
}

// Appends to the input a read(2) can take.
static void commit(const uint8_t *p, size_t n) {
  if (console.head == console.tail && !console.neof) console.head = console.tail = 0;
  if (console.tail + n > console.cap) {
    // Compact first (end-of-file marks move along), then grow.
    size_t h = console.head;
    if (console.buf) memmove(console.buf, console.buf + h, console.tail - h);
    console.tail -= h;
    console.head = 0;
    for (int i = 0; i < console.neof; i++) console.eof_at[i] -= h;
    if (console.tail + n > console.cap) {
      size_t cap = console.cap ? console.cap : 4096;
      while (cap < console.tail + n) cap *= 2;
      uint8_t *b = realloc(console.buf, cap);
      if (!b) return;
      console.buf = b;
      console.cap = cap;
    }
  }
  memcpy(console.buf + console.tail, p, n);
  console.tail += n;
}

static void commit_line(void) {
  commit(console.line, console.llen);
  console.llen = 0;
}

// Echo of one input character: control characters as ^X with ECHOCTL
// (but tab and newline as themselves).
static void echo_char(uint8_t c) {
  const struct termios_linux *t = &console.termios;
  if (!(t->c_lflag & T_ECHO)) return;
  if ((t->c_lflag & T_ECHOCTL) && (c < 32 || c == 127) && c != '\t' && c != '\n') {
    uint8_t two[2] = {'^', c == 127 ? '?' : (uint8_t)(c + 64)};
    tty_out(1, two, 2);
  } else {
    tty_out(1, &c, 1);
  }
}

// Rubs out the last character of the line being edited.
static void erase_one(void) {
  if (!console.llen) return;
  uint8_t c = console.line[--console.llen];
  const struct termios_linux *t = &console.termios;
  if (!(t->c_lflag & T_ECHO) || !(t->c_lflag & T_ECHOE)) return;
  int cols = ((t->c_lflag & T_ECHOCTL) && (c < 32 || c == 127) && c != '\t') ? 2 : 1;
  for (int i = 0; i < cols; i++) tty_out(1, (const uint8_t *)"\b \b", 3);
}

// One input character through the line discipline (termios(3)): ISIG
// characters signal the foreground group, ICANON edits a line (ERASE,
// WERASE, KILL, EOF, EOL, LNEXT, REPRINT) that read(2) gets whole, ECHO
// echoes what is typed.
static void input_char(uint8_t c) {
  const struct termios_linux *t = &console.termios;
  const uint8_t *cc = t->c_cc;
  uint32_t lf = t->c_lflag;
  if (console.lnext) {
    console.lnext = 0;
  } else {
    if (c == '\r' && (t->c_iflag & T_IGNCR)) return;
    if (c == '\r' && (t->c_iflag & T_ICRNL)) c = '\n';
    else if (c == '\n' && (t->c_iflag & T_INLCR)) c = '\r';
    if ((lf & T_ISIG) && c) {
      int sig = c == cc[VINTR] ? LINUX_SIGINT : c == cc[VQUIT] ? LINUX_SIGQUIT : c == cc[VSUSP] ? LINUX_SIGTSTP : 0;
      if (sig) {
        if (!(lf & T_NOFLSH)) {
          console.llen = 0;
          console.head = console.tail;
        }
        echo_char(c);
        kernel_signal_pgrp(console_pgrp, sig);
        return;
      }
    }
    if (lf & T_ICANON) {
      if (c && c == cc[VERASE]) {
        erase_one();
        return;
      }
      if (c && (lf & T_IEXTEN) && c == cc[VWERASE]) {
        while (console.llen && (console.line[console.llen - 1] == ' ' || console.line[console.llen - 1] == '\t'))
          erase_one();
        while (console.llen && console.line[console.llen - 1] != ' ' && console.line[console.llen - 1] != '\t')
          erase_one();
        return;
      }
      if (c && c == cc[VKILL]) {
        if ((lf & T_ECHO) && (lf & T_ECHOKE)) {
          while (console.llen) erase_one();
        } else {
          console.llen = 0;
          echo_char(c);
          if ((lf & T_ECHO) && (lf & T_ECHOK)) tty_out(1, (const uint8_t *)"\n", 1);
        }
        return;
      }
      if (c && c == cc[VEOF]) {
        // ^D ends the line without a newline; on an empty line it is end of file.
        if (!console.llen && console.neof < (int)(sizeof(console.eof_at) / sizeof(console.eof_at[0]))) {
          commit_line();
          console.eof_at[console.neof++] = console.tail;
        } else {
          commit_line();
        }
        return;
      }
      if (c && (lf & T_IEXTEN) && c == cc[VLNEXT]) {
        console.lnext = 1;
        if ((lf & T_ECHO) && (lf & T_ECHOCTL)) tty_out(1, (const uint8_t *)"^\b", 2);
        return;
      }
      if (c && (lf & T_IEXTEN) && c == cc[VREPRINT]) {
        echo_char(c);
        tty_out(1, (const uint8_t *)"\n", 1);
        for (size_t i = 0; i < console.llen; i++) echo_char(console.line[i]);
        return;
      }
    }
  }
  if (!(lf & T_ICANON)) {
    commit(&c, 1);
    echo_char(c);
    return;
  }
  int eol = c == '\n' || (c && c == cc[VEOL]) || (c && (lf & T_IEXTEN) && c == cc[VEOL2]);
  if (console.llen < sizeof(console.line) - 1 || eol) console.line[console.llen++] = c;
  if (eol) {
    if ((lf & T_ECHO) || (c == '\n' && (lf & T_ECHONL))) tty_out(1, &c, 1);
    commit_line();
  } else {
    echo_char(c);
  }
}

void console_stdin_push(const void *buf, size_t n) {
  console_defaults();
  const uint8_t *p = buf;
  if (!(console.tty_mask & 1)) { // a pipe: bytes as they come
    commit(p, n);
    return;
  }
  for (size_t i = 0; i < n; i++) input_char(p[i]);
}

void console_stdin_close(void) {
  if (console.llen) commit_line(); // a partial line is still read before end of file
  console.closed = 1;
}

void console_stdin_reopen(void) {
  console.head = console.tail = 0;
  console.llen = 0;
  console.neof = 0;
  console.closed = 0;
}

void console_reset(void) {
  free(console.buf);
  memset(&console, 0, sizeof(console));
}

int console_stdin_ready(void) { return console.head != console.tail || console.closed || console.neof; }

static long con_pread(struct file *f, void *buf, size_t n, int64_t off) {
  const struct termios_linux *t = &console.termios;
  int canon = is_tty(f) && (t->c_lflag & T_ICANON);
  if (console.neof && console.eof_at[0] == console.head) {
    // ^D on an empty line: this read returns 0, the next one reads on.
    memmove(console.eof_at, console.eof_at + 1, (size_t)(--console.neof) * sizeof(console.eof_at[0]));
    return 0;
  }
  if (console.head == console.tail) {
    if (console.closed) return 0;
    // Non-canonical with MIN 0: a read returns at once (TIME is not counted).
    if (is_tty(f) && !canon && t->c_cc[VMIN] == 0) return 0;
    return (f->flags & LINUX_O_NONBLOCK) ? -LINUX_EAGAIN : -LINUX_ERESTARTSYS;
  }
  size_t k = console.tail - console.head;
  if (console.neof && console.eof_at[0] - console.head < k) k = console.eof_at[0] - console.head;
  if (k > n) k = n;
  // A canonical-mode tty returns at most one line per read (termios(3)).
  if (canon) {
    uint8_t *nl = memchr(console.buf + console.head, '\n', k);
    if (nl) k = (size_t)(nl - (console.buf + console.head)) + 1;
  }
  memcpy(buf, console.buf + console.head, k);
  console.head += k;
  return (long)k;
}

static long con_pwrite(struct file *f, const void *buf, size_t n, int64_t off) {
  tty_out(f->handle == 2 ? 2 : 1, buf, n);
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
  {
    int was_canon = console.termios.c_lflag & T_ICANON;
    if (mm_read(mm, &console.termios, arg, sizeof(console.termios))) return -LINUX_EFAULT;
    if (req == LINUX_TCSETSF) { // tcsetattr(TCSAFLUSH) drops unread input
      console.head = console.tail = 0;
      console.llen = 0;
      console.neof = 0;
    } else if (was_canon && !(console.termios.c_lflag & T_ICANON) && console.llen) {
      commit_line(); // leaving canonical mode: the partial line becomes readable
    }
    return 0;
  }
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
