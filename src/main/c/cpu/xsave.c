// SPDX-License-Identifier: MIT
// The XSAVE family (SDM vol. 1, ch. 13): XSAVE, XSAVEOPT, XSAVEC and XRSTOR
// over three state components: 0 x87, 1 SSE (XMM0-15, MXCSR), 2 AVX (bits
// 255:128 of YMM0-15). XCR0 is fixed at 7. The standard image is 832 bytes:
// the 512-byte legacy (fxsave) region, the 64-byte header (XSTATE_BV at
// 512, XCOMP_BV at 520) and the YMM upper halves at 576. The compacted form
// (XSAVEC) puts component 2, the only extended one, at 576 too. Signal
// frames (kernel/signal.c) use the same image.
#include "internal.h"

#define HDR 512
#define YMM_OFF 576

static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

// XINUSE: a component whose registers hold their initial values may be
// reported as not in use (the hardware's init optimisation).
uint64_t cpu_xinuse(struct cpu *c) {
  uint64_t u = 0;
  if (c->fpu.cw != 0x37F || c->fpu.sw || c->fpu.top || c->fpu.tag) u |= 1;
  for (int i = 0; i < 16; i++) {
    if (c->xmm[i].q[0] | c->xmm[i].q[1]) u |= 2;
    if (c->xmm[i].q[2] | c->xmm[i].q[3]) u |= 4;
  }
  if (c->mxcsr != 0x1F80) u |= 2;
  return u;
}

// Saves the components in rfbm into img (CPU_XSAVE_SIZE bytes, already
// holding what memory holds): standard form unless compact.
void cpu_xsave(struct cpu *c, uint8_t *img, uint64_t rfbm, int compact) {
  uint8_t *fx = c->fxbuf;
  uint64_t inuse = cpu_xinuse(c);
  rfbm &= CPU_XCR0;
  cpu_fxsave(c, fx);
  uint64_t save = compact ? rfbm & inuse : rfbm;
  if (save & 1) {
    memcpy(img, fx, 24);
    memcpy(img + 32, fx + 32, 128);
  }
  if (compact ? save & 2 : rfbm & 6) memcpy(img + 24, fx + 24, 8); // MXCSR, MXCSR_MASK
  if (save & 2) memcpy(img + 160, fx + 160, 256);
  if (save & 4)
    for (int i = 0; i < 16; i++) memcpy(img + YMM_OFF + 16 * i, c->xmm[i].b + 16, 16);
  if (compact) {
    put64(img + HDR, rfbm & inuse);
    put64(img + HDR + 8, (1ull << 63) | rfbm);
  } else {
    put64(img + HDR, (get64(img + HDR) & ~rfbm) | (rfbm & inuse));
  }
}

// Restores the components in rfbm from img; those whose XSTATE_BV bit is
// clear get their initial values. Returns -1 (#GP) for a header XRSTOR
// rejects, leaving the state untouched.
int cpu_xrstor(struct cpu *c, const uint8_t *img, uint64_t rfbm) {
  uint64_t bv = get64(img + HDR), comp = get64(img + HDR + 8);
  rfbm &= CPU_XCR0;
  for (int i = 16; i < 64; i++)
    if (img[HDR + i]) return -1;
  if (comp >> 63) {
    if ((comp & ~(1ull << 63)) & ~CPU_XCR0) return -1;
    if (bv & ~comp) return -1;
  } else if (comp || (bv & ~CPU_XCR0)) {
    return -1;
  }
  // MXCSR: the standard form loads it with either SSE or AVX; the compacted
  // form treats it as part of SSE (initial value when XSTATE_BV[1] is clear),
  // as measured on hardware.
  int compact = (int)(comp >> 63);
  int mx_load = compact ? (rfbm & bv & 2) != 0 : (rfbm & 6) != 0;
  int mx_init = compact && (rfbm & 2) && !(bv & 2);
  uint32_t mxcsr;
  memcpy(&mxcsr, img + 24, 4);
  if (mx_load && (mxcsr & 0xFFFF0000u)) return -1;
  uint8_t *fx = c->fxbuf;
  cpu_fxsave(c, fx);
  if (rfbm & 1) {
    if (bv & 1) {
      memcpy(fx, img, 24);
      memcpy(fx + 32, img + 32, 128);
    } else {
      memset(fx, 0, 24);
      memset(fx + 32, 0, 128);
      fx[0] = 0x7F, fx[1] = 0x03; // FCW 0x037F, all registers empty
    }
  }
  if (mx_load) memcpy(fx + 24, img + 24, 4);
  if (mx_init) fx[24] = 0x80, fx[25] = 0x1F, fx[26] = fx[27] = 0;
  if (rfbm & 2) {
    if (bv & 2) memcpy(fx + 160, img + 160, 256);
    else memset(fx + 160, 0, 256);
  }
  cpu_fxrstor(c, fx);
  if (rfbm & 4)
    for (int i = 0; i < 16; i++) {
      if (bv & 4) memcpy(c->xmm[i].b + 16, img + YMM_OFF + 16 * i, 16);
      else memset(c->xmm[i].b + 16, 0, 16);
    }
  return 0;
}

// 0F AE /4 xsave, /5 xrstor, /6 xsaveopt; 0F C7 /4 xsavec (kind 'c').
NOINLINE int cpu_exec_xsave(struct cpu *c, const struct insn *in, int kind) {
  if (in->mod == 3 || (in->pfx & (PFX_66 | PFX_F2 | PFX_F3 | PFX_LOCK))) return STOP_UD;
  uint64_t a = ea(c, in), rfbm = ((c->r[RDX] << 32) | (uint32_t)c->r[RAX]) & CPU_XCR0;
  uint8_t *img = c->xbuf;
  int rc;
  if (a & 63) return STOP_GP;
  if (kind == 5) { // xrstor: header first, then only the parts it needs
    if ((rc = ldn(c, a + HDR, 64, img + HDR))) return rc;
    uint64_t comp = get64(img + HDR + 8);
    int ymm = (rfbm & 4) && (get64(img + HDR) & 4);
    if ((comp >> 63) && !(comp & 4)) ymm = 0;
    if ((rc = ldn(c, a, 512, img))) return rc;
    if (ymm && (rc = ldn(c, a + YMM_OFF, 256, img + YMM_OFF))) return rc;
    return cpu_xrstor(c, img, rfbm) ? STOP_GP : 0;
  }
  int compact = kind == 'c';
  int n = compact && !(rfbm & 4) ? YMM_OFF : CPU_XSAVE_SIZE;
  if ((rc = ldn(c, a, n, img))) return rc;
  cpu_xsave(c, img, rfbm, compact);
  rc = stn(c, a, n, img);
  return rc ? page_fault(c, c->fault_addr, 1) : 0;
}
