// SPDX-License-Identifier: MIT
// A small snprintf for the engine's log lines and messages. wasi-libc's
// vsnprintf shares vfprintf with stderr, which pulls the wasi fd_write,
// fd_seek and fd_close imports into the module; this one needs nothing.
#ifndef XOS_FMT_H
#define XOS_FMT_H

#include <stdarg.h>
#include <stddef.h>

// Formats like vsnprintf: flags "-0#", width and precision (numbers or *),
// lengths hh h l ll z, conversions d i u x X o c s p %. Always terminates
// buf when n > 0; returns the length the full output would have.
int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
