// SPDX-License-Identifier: MIT
// Sockets, as a kernel without network families answers: socket(2) and
// socketpair(2) give EAFNOSUPPORT for every family, and the calls that take
// a socket descriptor give ENOTSOCK for an open descriptor (no descriptor can
// be a socket) or EBADF. Programs that probe (ls and nscd, bash's
// getpeername on stdin, Python's socket module) get the answers they
// handle, without the "missing syscall" log of an unknown number.
#include "kernel.h"
#include "syscalls.h"

int64_t sys_socket(struct task *t, const uint64_t *a) { return -LINUX_EAFNOSUPPORT; }

int64_t sys_socketpair(struct task *t, const uint64_t *a) { return -LINUX_EAFNOSUPPORT; }

// Every call whose first argument is a socket descriptor.
int64_t sys_sockfd(struct task *t, const uint64_t *a) {
  return fd_get(t->proc, (int)a[0]) ? -LINUX_ENOTSOCK : -LINUX_EBADF;
}
