// SPDX-License-Identifier: MIT
// The engine's exported API: what the Java host (xos.engine.Engine) and the
// native test runner call. Everything is plain integers and linear-memory
// addresses, so the same calls work through Chicory and natively.
// The host never touches engine structs; it reads state through these calls.
#ifndef XOS_API_H
#define XOS_API_H

#include <stdint.h>

#ifdef __wasm__
#define API_EXPORT(name) __attribute__((export_name(name)))
#else
#define API_EXPORT(name)
#endif

// Status returned by xos_run / xos_step.
enum xos_status {
  XOS_BUDGET = 0,  // budget used, more to do
  XOS_IDLE = 1,    // every live task waits for host input (stdin)
  XOS_EXITED = 2,  // the first process (and all others) have exited
  XOS_STOPPED = 3, // breakpoint or single step hit
  XOS_FAULT = 4,   // engine internal error (message via xos_error)
};

// Register numbers for xos_reg / xos_set_reg.
enum { XREG_RIP = 16, XREG_RFLAGS = 17, XREG_FS = 18, XREG_GS = 19, XREG_COUNT = 20 };

API_EXPORT("xos_init") int32_t xos_init(void);
// A scratch buffer in linear memory of at least size bytes (valid until the
// next call of xos_buffer). The host writes ELF bytes, paths, input there.
API_EXPORT("xos_buffer") uint32_t xos_buffer(int32_t size);
// The last error message (NUL-terminated, linear address) and its length.
API_EXPORT("xos_error") uint32_t xos_error(void);
API_EXPORT("xos_error_len") int32_t xos_error_len(void);
// Starts the first process from ELF bytes at elf[0..elflen). args is a block:
// u32 argc, u32 envc (little endian), then argc + envc NUL-terminated strings
// (argv first; "" is an ordinary argument). Returns the pid
// (>0) or a negative Linux errno (message in xos_error: "not an ELF file",
// "i386 (ELF32) programs are not supported", ...).
API_EXPORT("xos_spawn") int32_t xos_spawn(uint32_t elf, int32_t elflen, uint32_t args, int32_t argslen);
// Same, but the program is a path in the guest file system.
API_EXPORT("xos_spawn_path") int32_t xos_spawn_path(uint32_t path, int32_t pathlen, uint32_t args, int32_t argslen);
// Runs guest instructions until budget is used or something stops it.
API_EXPORT("xos_run") int32_t xos_run(int64_t budget);
// Executes exactly one instruction of the current task (debugger).
API_EXPORT("xos_step") int32_t xos_step(void);
// Wait status of the first process once exited (Linux encoding:
// code<<8 for exit, signal number (|0x80 core) for a kill).
API_EXPORT("xos_exit_status") int32_t xos_exit_status(void);
// Bytes for the guest's stdin (the console). close = EOF after buffered data.
API_EXPORT("xos_stdin_push") void xos_stdin_push(uint32_t buf, int32_t len);
API_EXPORT("xos_stdin_close") void xos_stdin_close(void);
// Sleeps: 0 (default) moves the guest's clocks to the next deadline when
// nothing can run (fast and deterministic); 1 makes xos_run return XOS_IDLE
// and the host wait for the time xos_wait_ns gives (interactive use).
API_EXPORT("xos_set_realtime") void xos_set_realtime(int32_t on);
// After XOS_IDLE: nanoseconds until a sleeping task or timer is due (0: due
// now, run again), or -1 when only host input (or nothing) can wake the guest.
API_EXPORT("xos_wait_ns") int64_t xos_wait_ns(void);
// Unread input and end of file are dropped: a fresh stdin for the next spawn.
API_EXPORT("xos_stdin_reopen") void xos_stdin_reopen(void);
// Which console fds are terminals on the host side: bit 0 stdin, 1 stdout,
// 2 stderr (default 0: the guest sees pipes, isatty() is false). A CLI
// passing a real terminal through sets the bits of the fds that are ttys.
API_EXPORT("xos_set_tty") void xos_set_tty(int32_t mask);
// The host terminal's size changed: TIOCGWINSZ reports it and the guest's
// foreground process group gets SIGWINCH. rows and cols are 1..65535.
API_EXPORT("xos_set_winsize") void xos_set_winsize(int32_t rows, int32_t cols);
// Registers of the current task (0-15 GPRs in encoding order, then XREG_*).
API_EXPORT("xos_reg") int64_t xos_reg(int32_t i);
API_EXPORT("xos_set_reg") void xos_set_reg(int32_t i, int64_t v);
API_EXPORT("xos_icount") int64_t xos_icount(void);
API_EXPORT("xos_pid") int32_t xos_pid(void);
// Reads guest virtual memory of the current task into linear buf; returns
// bytes read before the first unmapped page.
API_EXPORT("xos_peek") int32_t xos_peek(int64_t addr, uint32_t buf, int32_t len);
API_EXPORT("xos_poke") int32_t xos_poke(int64_t addr, uint32_t buf, int32_t len);
// strace to the log: 1 on, 0 off.
API_EXPORT("xos_set_strace") void xos_set_strace(int32_t on);
// Mounts: the root is a tmpfs until a mount replaces it. host_mount is an id
// the host chose for a directory it serves through the file_* imports.
API_EXPORT("xos_mount_host") int32_t xos_mount_host(uint32_t guestpath, int32_t len, int32_t host_mount,
                                                    int32_t readonly);
API_EXPORT("xos_set_cwd") int32_t xos_set_cwd(uint32_t path, int32_t len);
// Creates a file in the guest file system (tmpfs) with the given bytes; parent
// directories are created. mode is the permission bits.
API_EXPORT("xos_write_file") int32_t xos_write_file(uint32_t path, int32_t len, uint32_t data, int32_t datalen,
                                                    int32_t mode);
// Breakpoints (debugger).
API_EXPORT("xos_break_set") int32_t xos_break_set(int64_t addr);
API_EXPORT("xos_break_clear") int32_t xos_break_clear(int64_t addr);
// Disassembles the instruction at guest addr of the current task into the
// text buffer (xos_error-style: returns length, text at xos_text()).
API_EXPORT("xos_disasm") int32_t xos_disasm(int64_t addr);
API_EXPORT("xos_text") uint32_t xos_text(void);
// Length in bytes of the instruction the last xos_disasm decoded (-1 if it
// could not be decoded), so a listing can advance to the next instruction.
API_EXPORT("xos_disasm_len") int32_t xos_disasm_len(void);
// Syntax of xos_disasm's text: 0 Intel (objdump -M intel, the default), 1 AT&T.
API_EXPORT("xos_disasm_syntax") void xos_disasm_syntax(int32_t att);
// Memory / page limit for guest pages (0 = none), in pages of 4 KiB.
API_EXPORT("xos_set_page_limit") void xos_set_page_limit(int64_t pages);

#endif
