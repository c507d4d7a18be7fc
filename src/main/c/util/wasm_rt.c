// SPDX-License-Identifier: MIT
// The wasm build's runtime glue, none of it in native builds:
//  - Debian's libclang_rt.builtins-wasm32 is built with -fstack-protector, so
//    its 128-bit division helpers (used by mul/div of 64-bit guest operands)
//    reference the stack-protector guard, which wasi-libc does not define.
//  - sbrk, which wasi-libc's malloc gets its memory from, replaced by one that
//    grows linear memory geometrically. The host's memory is one array that
//    is copied on every memory.grow (xos.engine.FlatMemory), and malloc asks
//    for little at a time (64 KiB page-frame chunks, tmpfs files doubling):
//    unpacking a 200 MB rootfs took thousands of grows copying up to 200 MB
//    each. Growing by at least a quarter of the current size makes the total
//    copying linear in the final size.
#ifdef __wasm__
#include <stdint.h>

uintptr_t __stack_chk_guard = 0x2f8a5c31u;

__attribute__((noreturn)) void __stack_chk_fail(void) { __builtin_trap(); }

#define WASM_PAGE 65536u

static uintptr_t brk_cur; // the break malloc sees
static uintptr_t brk_end; // end of linear memory: [brk_cur, brk_end) is grown but unused

void *sbrk(intptr_t increment) {
  if (!brk_cur) brk_cur = brk_end = __builtin_wasm_memory_size(0) * WASM_PAGE;
  // malloc never trims here (memory cannot shrink). errno is left alone: it
  // is thread-local in wasi-libc, which this build's clang cannot emit, and
  // malloc reports ENOMEM itself.
  if (increment < 0) return (void *)-1;
  uintptr_t old = brk_cur;
  if ((uintptr_t)increment > brk_end - brk_cur) {
    uintptr_t need = ((uintptr_t)increment - (brk_end - brk_cur) + WASM_PAGE - 1) / WASM_PAGE;
    uintptr_t more = (brk_end / WASM_PAGE) / 4;
    if (more < need) more = need;
    // Near the maximum, halve the step until it fits (a refused grow costs
    // nothing): growing page by page up there would copy 2 GiB each time.
    while (__builtin_wasm_memory_grow(0, more) == (uintptr_t)-1) {
      if (more == need) return (void *)-1;
      more = more / 2 > need ? more / 2 : need;
    }
    brk_end += more * WASM_PAGE;
  }
  brk_cur += (uintptr_t)increment;
  return (void *)old;
}

// For the message of a failed allocation: the break, the grown end, the
// memory size (all in bytes).
void wasm_rt_heap(uint32_t out[3]) {
  out[0] = (uint32_t)brk_cur;
  out[1] = (uint32_t)brk_end;
  out[2] = (uint32_t)(__builtin_wasm_memory_size(0) * WASM_PAGE);
}
#endif
