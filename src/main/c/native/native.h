// SPDX-License-Identifier: MIT
// What the native runner adds to host.h: registering host directories as
// mounts (the Java host does this in xos.engine for the wasm build).
#ifndef XOS_NATIVE_H
#define XOS_NATIVE_H

// Opens dir as a host mount; returns its id for hostfs, or -1.
int native_mount_add(const char *dir);

#endif
