// SPDX-License-Identifier: MIT
// Exports that build a guest file tree from the host: what a rootfs import
// (a tar read by xos.kernel.TarImport) and the Java API's files need beyond
// xos_write_file. Paths are absolute guest paths (not NUL-terminated, with
// their length); parents are created as needed; no umask applies. Each call
// returns 0 or a negative Linux errno (message in xos_error).
#ifndef XOS_FSIMPORT_H
#define XOS_FSIMPORT_H

#include <stdint.h>

#include "api.h"

// mkdir -p, then the exact mode of the last directory.
API_EXPORT("xos_fs_mkdir") int32_t xos_fs_mkdir(uint32_t path, int32_t len, int32_t mode);
// A symlink at path to target (an existing non-directory at path is replaced).
API_EXPORT("xos_fs_symlink") int32_t xos_fs_symlink(uint32_t path, int32_t len, uint32_t target, int32_t tlen);
// Writes data at offset of the regular file at path. offset 0 creates (or
// replaces) the file with mode; later chunks extend it.
API_EXPORT("xos_fs_write")
int32_t xos_fs_write(uint32_t path, int32_t len, uint32_t data, int32_t dlen, int64_t offset, int32_t mode);
// Owner and modification time of path itself (not a symlink's target);
// uid/gid -1 and mtime_ns -1 keep the old value.
API_EXPORT("xos_fs_attr") int32_t xos_fs_attr(uint32_t path, int32_t len, int32_t uid, int32_t gid, int64_t mtime_ns);
// A hard link at path to the existing file target. tmpfs has no hard links
// (one name per node), so this copies the file: the two names do not share
// later writes (kernel/README.md, Quirks).
API_EXPORT("xos_fs_link") int32_t xos_fs_link(uint32_t path, int32_t len, uint32_t target, int32_t tlen);

#endif
