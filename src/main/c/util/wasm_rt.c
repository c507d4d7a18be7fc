// SPDX-License-Identifier: MIT
// Symbols the wasm build's runtime expects but wasi-libc does not define:
// Debian's libclang_rt.builtins-wasm32 is built with -fstack-protector, so its
// 128-bit division helpers (used by mul/div of 64-bit guest operands)
// reference the stack-protector guard. Native builds get these from libc.
#ifdef __wasm__
#include <stdint.h>

uintptr_t __stack_chk_guard = 0x2f8a5c31u;

__attribute__((noreturn)) void __stack_chk_fail(void) { __builtin_trap(); }
#endif
