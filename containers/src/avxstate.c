// SPDX-License-Identifier: MIT
// AVX state across signals and the XSAVE instructions, as Linux gives it on
// a CPU with AVX: the signal frame's FPU state is an XSAVE image (magic1 in
// the fxsave part, magic2 after it, the YMM upper halves at offset 576); a
// handler starts with YMM zeroed; what it writes into the image is what the
// interrupted code gets back. Then XGETBV, and XSAVE/XRSTOR of SSE+AVX by
// the program itself. Needs a CPU with AVX (OSXSAVE is checked; xos reports
// AVX only once all of it runs, and this needs only vmovdqu).
#define _GNU_SOURCE
#include <cpuid.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static void hex(const char *tag, const uint8_t *p, int n) {
  printf("%s ", tag);
  for (int i = 0; i < n; i++) printf("%02x", p[i]);
  printf("\n");
}

static void handler(int sig, siginfo_t *si, void *ctx) {
  uint8_t now[32]; // first, before any call can touch the vector registers
  __asm__ volatile("vmovdqu %%ymm1, %0" : "=m"(now));
  ucontext_t *uc = ctx;
  uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
  uint32_t magic1, xsize, magic2;
  uint64_t xfeat, bv;
  memcpy(&magic1, fp + 464, 4);
  memcpy(&xfeat, fp + 472, 8);
  memcpy(&xsize, fp + 480, 4);
  memcpy(&magic2, fp + xsize, 4);
  memcpy(&bv, fp + 512, 8);
  printf("handler: sig %d uc_flags&1 %lu magic1 %08x magic2 %08x xfeatures&7 %llx xstate_bv&7 %llx\n", sig,
         uc->uc_flags & 1, magic1, magic2, (unsigned long long)(xfeat & 7), (unsigned long long)(bv & 7));
  hex("frame xmm1", fp + 160 + 16, 16);
  hex("frame ymm1 high", fp + 576 + 16, 16);
  hex("handler's own ymm1 (initial state)", now, 32);
  // Clobber ymm1 here; change its upper half in the frame.
  static const uint8_t junk[32] = {[0 ... 31] = 0xee};
  __asm__ volatile("vmovdqu %0, %%ymm1" ::"m"(junk) : "xmm1");
  memset(fp + 576 + 16, 0x5a, 16);
}

int main(void) {
  unsigned a, b, c, d;
  __cpuid(1, a, b, c, d);
  if (!(c & (1u << 27))) {
    printf("no OSXSAVE\n");
    return 1;
  }
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  printf("xgetbv(0)&7 %x\n", lo & 7);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  uint8_t pat[32], out[32];
  for (int i = 0; i < 32; i++) pat[i] = (uint8_t)(0x10 + i);
  long pid = getpid(), ret;
  // Load ymm1, signal ourselves, read ymm1 back, with nothing in between.
  __asm__ volatile("vmovdqu (%2), %%ymm1\n\t"
                   "syscall\n\t"
                   "vmovdqu %%ymm1, (%3)\n\t"
                   : "=a"(ret)
                   : "a"((long)SYS_kill), "r"(pat), "r"(out), "D"(pid), "S"((long)SIGUSR1)
                   : "rcx", "r11", "memory", "xmm1");
  printf("kill %ld\n", ret);
  hex("after ymm1", out, 32);

  // XSAVE of SSE+AVX into an aligned area, change it, XRSTOR it back.
  static uint8_t area[4096] __attribute__((aligned(64)));
  __asm__ volatile("vmovdqu (%0), %%ymm2" ::"r"(pat) : "xmm2");
  __asm__ volatile("xsave (%0)" ::"r"(area), "a"(6), "d"(0) : "memory");
  uint64_t xbv;
  memcpy(&xbv, area + 512, 8);
  printf("xsave xstate_bv&6 %llx\n", (unsigned long long)(xbv & 6));
  hex("xsave xmm2", area + 160 + 32, 16);
  hex("xsave ymm2 high", area + 576 + 32, 16);
  memset(area + 576 + 32, 0x77, 16);
  memset(area + 160 + 32, 0x66, 16);
  __asm__ volatile("xrstor (%0)" ::"r"(area), "a"(6), "d"(0) : "memory", "xmm2");
  __asm__ volatile("vmovdqu %%ymm2, (%0)" ::"r"(out) : "memory");
  hex("xrstor ymm2", out, 32);
  // XSTATE_BV without AVX: XRSTOR puts the upper halves in their initial state.
  xbv &= ~4ull;
  memcpy(area + 512, &xbv, 8);
  __asm__ volatile("xrstor (%0)" ::"r"(area), "a"(6), "d"(0) : "memory", "xmm2");
  __asm__ volatile("vmovdqu %%ymm2, (%0)" ::"r"(out) : "memory");
  hex("xrstor init ymm2", out, 32);
  return 0;
}
