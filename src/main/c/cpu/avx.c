// SPDX-License-Identifier: MIT
// The router for VEX-encoded instructions (SDM vol. 2, 2.3): general-register
// BMI1/BMI2 go to bmi.c, floating-point AVX, FMA and F16C to avx_fp.c, and
// the integer AVX/AVX2 instructions (and the gathers) to avx_int.c.
#include "internal.h"

// Opcodes that belong to avx_fp.c, one bit per opcode of each map.
static int is_fp(int op) {
  int o = op & 0xFF;
  switch (op >> 8) {
  case 1: // 0F: moves, unpck, movmsk, logic, arithmetic, cvt, vzeroupper, SSE3, cmp, shuf
    return o < 0x60 || o == 0x77 || o == 0x7C || o == 0x7D || o == 0xC2 || o == 0xC6 || o == 0xD0 || o == 0xE6;
  case 2: // 0F38: vpermilp[sd], vtestp[sd], vcvtph2ps, vpermps, broadcasts, vmaskmovp[sd], FMA
    return (o >= 0x0C && o <= 0x0F) || o == 0x13 || o == 0x16 || (o >= 0x18 && o <= 0x1A) ||
           (o >= 0x2C && o <= 0x2F) || (o >= 0x96 && o <= 0xBF);
  default: // 0F3A: vpermpd, vpermilp[sd] imm, vperm2f128, round, blend, extract/insert, cvtps2ph, dp, blendv
    return o == 0x01 || o == 0x04 || o == 0x05 || o == 0x06 || (o >= 0x08 && o <= 0x0D) || o == 0x17 ||
           o == 0x18 || o == 0x19 || o == 0x1D || o == 0x21 || o == 0x40 || o == 0x41 || o == 0x4A || o == 0x4B;
  }
}

// The moves every AVX program (and insntest's trampoline) needs first:
// vmovdqa/vmovdqu, vinsert/vextract of 128-bit halves, vzeroupper/vzeroall.
static NOINLINE int avx_core(struct cpu *c, const struct insn *in) {
  int pp = in->pfx & (PFX_66 | PFX_F2 | PFX_F3), n = vlen(in), rc;
  union xmm *t = &c->tmpx[0];
  switch (in->op) {
  case 0x177: // vzeroupper (L0), vzeroall (L1); 8 registers outside 64-bit mode, 16 in it
    if (pp || in->vex_v) return STOP_UD;
    for (int i = 0; i < 16; i++) memset(c->xmm[i].b + (in->vex_l ? 0 : 16), 0, in->vex_l ? 32 : 16);
    return 0;
  case 0x1AE: { // vldmxcsr m32 (/2), vstmxcsr m32 (/3)
    int sub = in->reg & 7;
    if (pp || in->vex_v || in->vex_l || in->mod == 3 || (sub != 2 && sub != 3)) return STOP_UD;
    uint64_t a = ea(c, in);
    if (sub == 3) return st(c, a, 4, c->mxcsr);
    uint64_t v = ld(c, a, 4);
    if (faulted(c)) return STOP_PAGEFAULT;
    if (v & 0xFFFF0000u) return STOP_GP;
    c->mxcsr = (uint32_t)v;
    return 0;
  }
  case 0x16F: case 0x17F: // vmovdqa (66), vmovdqu (F3)
    if ((pp != PFX_66 && pp != PFX_F3) || in->vex_v) return STOP_UD;
    if (pp == PFX_66 && !valigned(c, in, n)) return STOP_GP;
    if (in->op == 0x16F) {
      if ((rc = vsrc(c, in, t, n))) return rc;
      vset(c, in->reg, t, n);
      return 0;
    }
    if (in->mod == 3) {
      vset(c, in->rm, &c->xmm[in->reg], n);
      return 0;
    }
    return stn(c, ea(c, in), n, &c->xmm[in->reg]);
  case 0x318: case 0x338: // vinsertf128, vinserti128 ymm, ymm(vvvv), xmm/m128, imm8
    if (pp != PFX_66 || !in->vex_l || (in->pfx & PFX_REXW)) return STOP_UD;
    if ((rc = vsrc(c, in, t, 16))) return rc;
    c->tmpx[1] = c->xmm[in->vex_v];
    memcpy(c->tmpx[1].b + ((in->imm & 1) ? 16 : 0), t, 16);
    c->xmm[in->reg] = c->tmpx[1];
    return 0;
  case 0x319: case 0x339: { // vextractf128, vextracti128 xmm/m128, ymm, imm8
    if (pp != PFX_66 || !in->vex_l || in->vex_v || (in->pfx & PFX_REXW)) return STOP_UD;
    const uint8_t *src = c->xmm[in->reg].b + ((in->imm & 1) ? 16 : 0);
    if (in->mod != 3) return stn(c, ea(c, in), 16, src);
    memcpy(t, src, 16);
    vset(c, in->rm, t, 16);
    return 0;
  }
  default: return -1;
  }
}

NOINLINE int cpu_exec_vex(struct cpu *c, const struct insn *in) {
  switch (in->op) {
  case 0x2F2: case 0x2F3: case 0x2F5: case 0x2F6: case 0x2F7: case 0x3F0: return cpu_exec_vex_gpr(c, in);
  case 0x177: case 0x16F: case 0x17F: case 0x1AE: case 0x318: case 0x338: case 0x319: case 0x339:
    return avx_core(c, in);
  default: break;
  }
  if (is_fp(in->op)) return cpu_avx_fp(c, in);
  return cpu_avx_int(c, in);
}
