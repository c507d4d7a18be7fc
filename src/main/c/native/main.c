// SPDX-License-Identifier: MIT
// xos-native: runs an x86-64 Linux program on the engine built natively,
// the way qemu-x86_64 does: xos-native [--strace] [--root DIR] PROGRAM [ARGS...]
// The guest sees DIR (default /) through a host passthrough at /, the host's
// environment and working directory; its exit status becomes ours (128+N
// when killed by signal N). Owns the command line and the stdin pump only.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "../host/api.h"
#include "../kernel/kernel.h"
#include "native.h"

extern char **environ;

// With a terminal on stdin the engine's line discipline edits and echoes
// (termios of the guest): the host terminal goes raw and comes back at exit.
static struct termios saved_tty;
static int tty_raw;

static void restore_tty(void) {
  if (tty_raw) tcsetattr(0, TCSAFLUSH, &saved_tty);
}

static void host_tty_raw(void) {
  if (!isatty(0) || tcgetattr(0, &saved_tty)) return;
  struct termios t = saved_tty;
  t.c_iflag &= ~(unsigned)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  t.c_oflag &= ~(unsigned)OPOST;
  t.c_lflag &= ~(unsigned)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  t.c_cflag |= CS8;
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  if (tcsetattr(0, TCSAFLUSH, &t) == 0) {
    tty_raw = 1;
    atexit(restore_tty);
  }
}

static int usage(void) {
  fprintf(stderr, "usage: xos-native [--strace] [--root DIR] PROGRAM [ARGS...]\n");
  return 2;
}

static int read_host_file(const char *path, uint8_t **out, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
    close(fd);
    errno = EACCES;
    return -1;
  }
  uint8_t *buf = malloc((size_t)st.st_size + 1);
  size_t n = 0;
  while (buf && n < (size_t)st.st_size) {
    ssize_t k = read(fd, buf + n, (size_t)st.st_size - n);
    if (k <= 0) break;
    n += (size_t)k;
  }
  close(fd);
  if (!buf) return -1;
  *out = buf;
  *len = n;
  return 0;
}

int main(int argc, char **argv) {
  int strace = 0;
  const char *root = "/";
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--strace") == 0) strace = 1;
    else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc) root = argv[++i];
    else if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else return usage();
  }
  if (i >= argc) return usage();
  if (xos_init()) {
    fprintf(stderr, "xos-native: engine init failed\n");
    return 125;
  }
  int id = native_mount_add(root);
  if (id < 0) {
    fprintf(stderr, "xos-native: cannot open root %s: %s\n", root, strerror(errno));
    return 125;
  }
  // Pointers cannot go through api.h's 32-bit linear addresses natively, so
  // the runner calls the kernel directly where the API takes buffers.
  vfs_mount("/", &hostfs_ops, id, 0, NULL);
  if (strcmp(root, "/") == 0) {
    char cwd[4096];
    if (getcwd(cwd, sizeof(cwd))) kernel_set_cwd(cwd);
  }
  xos_set_strace(strace);
  xos_set_tty((isatty(0) ? 1 : 0) | (isatty(1) ? 2 : 0) | (isatty(2) ? 4 : 0));
  struct winsize wsz;
  if (isatty(1) && ioctl(1, TIOCGWINSZ, &wsz) == 0 && wsz.ws_row && wsz.ws_col) xos_set_winsize(wsz.ws_row, wsz.ws_col);
  host_tty_raw();
  // At a terminal, sleeps take real time; otherwise (tests) the clock jumps.
  xos_set_realtime(isatty(0));
  uint8_t *elf;
  size_t len;
  if (read_host_file(argv[i], &elf, &len)) {
    fprintf(stderr, "xos-native: %s: %s\n", argv[i], strerror(errno));
    return 127;
  }
  int pid = kernel_spawn(elf, len, argv + i, environ, argv[i]);
  free(elf);
  if (pid < 0) {
    fprintf(stderr, "xos-native: %s: %s\n", argv[i], kern.error);
    return 126;
  }
  int stdin_closed = 0;
  for (;;) {
    int st = xos_run(50000000);
    if (st == XOS_EXITED) break;
    if (st == XOS_FAULT) {
      fprintf(stderr, "xos-native: engine fault: %s\n", kern.error);
      return 125;
    }
    if (st == XOS_IDLE) {
      int64_t wait = xos_wait_ns();
      if (wait >= 0) { // a sleeper is due then: wait for it, or for input
        struct pollfd pfd = {.fd = 0, .events = POLLIN};
        int ms = (int)((wait + 999999) / 1000000);
        if (stdin_closed) {
          poll(NULL, 0, ms);
          continue;
        }
        if (poll(&pfd, 1, ms) <= 0) continue;
      }
      if (stdin_closed) {
        // Every task waits for another one: Linux would hang for ever; a
        // runner with nothing left to feed says so and stops instead.
        fprintf(stderr, "xos-native: deadlock: every guest task waits for another\n");
        return 125;
      }
      static uint8_t buf[65536];
      ssize_t n = read(0, buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        console_stdin_push(buf, (size_t)n);
        kernel_wake_all();
      } else {
        xos_stdin_close();
        stdin_closed = 1;
      }
    }
  }
  int ws = xos_exit_status();
  if (ws & 0x7f) return 128 + (ws & 0x7f);
  return (ws >> 8) & 0xff;
}

// The engine's state lives until the process ends by design (it is the
// machine); LeakSanitizer would report all of it and turn the guest's exit
// status into 1. Unit tests (src/test/c) keep leak checking on.
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }
