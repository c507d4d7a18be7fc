// SPDX-License-Identifier: MIT
// Exports for the JavaFX witness (xos gui) beyond api.h: SSE registers for the register
// table and symlink creation for setting up a busybox root. Same conventions as api.h:
// plain integers and linear-memory addresses; the host never touches engine structs.
#ifndef XOS_DEBUG_API_H
#define XOS_DEBUG_API_H

#include "api.h"

// 64-bit lane `lane` (0-3; 2-3 are the upper YMM half) of XMM/YMM register i (0-15) of the
// current task; 0 when there is no task or an index is out of range.
API_EXPORT("xos_xmm") int64_t xos_xmm(int32_t i, int32_t lane);
// Creates a symlink at path (absolute, in the guest file system) pointing to target, as
// symlink(2) would. Returns 0 or a negative Linux errno.
API_EXPORT("xos_symlink") int32_t xos_symlink(uint32_t target, int32_t targetlen, uint32_t path, int32_t pathlen);

// The process and thread list as text, one task a line: "pid ppid pgid tid state comm"
// (state R running, S sleeping, T stopped, Z zombie; a zombie whose threads are gone is one
// line with tid 0). Returns the length; the text is at xos_ps_text().
API_EXPORT("xos_ps") int32_t xos_ps(void);
API_EXPORT("xos_ps_text") uint32_t xos_ps_text(void);

#endif
