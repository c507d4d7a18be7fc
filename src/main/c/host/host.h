// SPDX-License-Identifier: MIT
// Every host import the engine uses, declared once. In the wasm build these
// come from the JVM (module "xos", implemented in xos.engine.HostImports); in
// the native build from native/host_native.c. Every source of
// nondeterminism enters here, so a run can be recorded and replayed.
// Pointers are linear-memory addresses of engine buffers (never guest
// addresses); lengths are bytes. Errors are negative Linux errno values.
#ifndef XOS_HOST_H
#define XOS_HOST_H

#include <stdint.h>

#ifdef __wasm__
#define HOST_IMPORT(name) __attribute__((import_module("xos"), import_name(name)))
#else
#define HOST_IMPORT(name)
#endif

// Console output of the guest's tty/stdout/stderr. fd is 1 or 2. May not fail.
HOST_IMPORT("console_write") void host_console_write(int32_t fd, const void *buf, int32_t len);
// One log line (no newline) for the engine's diagnostics (ENOSYS, SIGILL...).
HOST_IMPORT("log") void host_log(const char *msg, int32_t len);
// Clock in nanoseconds. id: 0 realtime (since the epoch), 1 monotonic.
HOST_IMPORT("clock") int64_t host_clock(int32_t id);
// Fills buf with len random bytes (getrandom, AT_RANDOM, rdrand).
HOST_IMPORT("random") void host_random(void *buf, int32_t len);

// Host files behind passthrough mounts. Paths are relative to the mount's
// host directory, resolved by the engine: no "..", no absolute paths; the
// host refuses anything that leaves the mount (O_NOFOLLOW semantics on the
// last component are the engine's to request). mount is the host mount id
// given by the Java side when the mount was made.
// open: flags are Linux O_* values (O_RDONLY/O_WRONLY/O_RDWR, O_CREAT,
// O_TRUNC, O_EXCL, O_APPEND, O_DIRECTORY). Returns a handle >= 0 or -errno.
HOST_IMPORT("file_open") int32_t host_file_open(int32_t mount, const char *path, int32_t pathlen,
                                                int32_t flags, int32_t mode);
HOST_IMPORT("file_close") int32_t host_file_close(int32_t h);
// pread/pwrite at offset; returns bytes or -errno.
HOST_IMPORT("file_pread") int32_t host_file_pread(int32_t h, void *buf, int32_t len, int64_t off);
HOST_IMPORT("file_pwrite") int32_t host_file_pwrite(int32_t h, const void *buf, int32_t len, int64_t off);
// Fills a struct host_stat (below) for a path (lstat semantics) or handle.
HOST_IMPORT("file_stat") int32_t host_file_stat(int32_t mount, const char *path, int32_t pathlen, void *st);
HOST_IMPORT("file_fstat") int32_t host_file_fstat(int32_t h, void *st);
// Directory listing: writes records {u8 type (DT_*), u8 namelen, name} into
// buf starting at entry number index; returns bytes written (0 at the end).
HOST_IMPORT("file_readdir") int32_t host_file_readdir(int32_t mount, const char *path, int32_t pathlen,
                                                      int32_t index, void *buf, int32_t len);
HOST_IMPORT("file_readlink") int32_t host_file_readlink(int32_t mount, const char *path, int32_t pathlen,
                                                        void *buf, int32_t len);
// op: 0 mkdir, 1 rmdir, 2 unlink, 3 truncate (arg = length), 4 chmod (arg = mode)
HOST_IMPORT("file_op") int32_t host_file_op(int32_t mount, const char *path, int32_t pathlen, int32_t op,
                                            int64_t arg);
// op: 0 rename, 1 symlink (path = target text, path2 = link), 2 link
HOST_IMPORT("file_op2") int32_t host_file_op2(int32_t mount, const char *path, int32_t pathlen,
                                              const char *path2, int32_t path2len, int32_t op);
HOST_IMPORT("file_ftruncate") int32_t host_file_ftruncate(int32_t h, int64_t len);

// What host_file_stat fills (little-endian, fixed layout shared with Java).
struct host_stat {
  uint64_t size;
  uint64_t ino;
  int64_t atime_ns, mtime_ns, ctime_ns;
  uint32_t mode; // Linux st_mode (type bits and permissions)
  uint32_t nlink;
  uint32_t uid, gid;
  uint64_t dev;
};
_Static_assert(sizeof(struct host_stat) == 64, "host_stat layout is shared with Java");

#endif
