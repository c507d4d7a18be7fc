// SPDX-License-Identifier: MIT
// AVX and AVX2 integer instructions (VEX.128 and VEX.256) and the gathers
// (SDM vol. 2, the V* pages; vol. 1, 14.1-14.8). Operands: ModRM.reg is the
// destination, VEX.vvvv the first source and ModRM.rm the second (register or
// unaligned memory), except where noted. VEX.128 forms zero bits 255:128.
//
// Most 256-bit operations are two independent 128-bit lanes: those reuse
// the legacy SSE helpers (cpu_sse_int_op, cpu_ssse3_op) once per lane. The
// instructions glibc's AVX2 string functions run in their inner loops
// (vpcmpeqb, vpminub, vpmovmskb, vpor/vpand/vpxor, vptest, vpbroadcastb,
// vpsubb, vpcmpgtb ...) take a direct path on 64-bit words.
//
// Memory operands are loaded whole into c->tmpx before any register is
// written, so a page fault leaves the state as it was and the instruction
// restarts. The exception is the gathers: completed elements stay written
// and their mask elements cleared, as on hardware. Masked stores check every
// selected element before storing any.
#include "internal.h"

#define PP(in) ((in)->pfx & (PFX_66 | PFX_F2 | PFX_F3))
#define W(in) (((in)->pfx & PFX_REXW) != 0)
// The upper 128-bit lane of a 32-byte register or scratch vector.
#define HI(x) ((union xmm *)(void *)((x)->b + 16))
#define CHI(x) ((const union xmm *)(const void *)((x)->b + 16))

static const uint64_t L7 = 0x7F7F7F7F7F7F7F7Full, H8 = 0x8080808080808080ull;

static inline void zero_hi(union xmm *d, int n) {
  if (n == 16) d->q[2] = d->q[3] = 0;
}

static inline int8_t sat8(int v) { return v > 127 ? 127 : v < -128 ? -128 : (int8_t)v; }
static inline uint8_t satu8(int v) { return v > 255 ? 255 : v < 0 ? 0 : (uint8_t)v; }
static inline int16_t sat16(int v) { return v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)v; }
static inline uint16_t satu16(int64_t v) { return v > 65535 ? 65535 : v < 0 ? 0 : (uint16_t)v; }

// Byte masks of 8 bytes: 0x80 where the byte of x is zero.
static inline uint64_t zbytes(uint64_t x) { return ~(((x & L7) + L7) | x | L7); }
// The high bit of each byte of x gathered into 8 bits (byte 0 -> bit 0).
static inline uint32_t msb8(uint64_t x) { return (uint32_t)((((x & H8) >> 7) * 0x0102040810204080ull) >> 56); }

// ---- 0F map: element-wise ops (the hot path) -----------------------------

// The second source: a register is used in place (every op below reads
// element i of both sources before it writes element i of the destination,
// so any aliasing is harmless); memory is loaded into tmpx[0] first.
static inline const union xmm *src_elem(struct cpu *c, const struct insn *in, int n) {
  if (in->mod == 3) return &c->xmm[in->rm];
  union xmm *t = &c->tmpx[0];
  return ldn(c, ea(c, in), n, t) ? NULL : t;
}

// What glibc's AVX2 string and memory functions run in their loops:
// compares, min/max, logic, add/sub.
static NOINLINE int elem_hot(struct cpu *c, const struct insn *in, int o) {
  int n = vlen(in);
  const union xmm *s = src_elem(c, in, n);
  if (UNLIKELY(!s)) return STOP_PAGEFAULT;
  const union xmm *a = &c->xmm[in->vex_v];
  union xmm *d = &c->xmm[in->reg];
  int nq = n >> 3;
  switch (o) {
  case 0x74: // vpcmpeqb
    for (int i = 0; i < nq; i++) d->q[i] = (zbytes(a->q[i] ^ s->q[i]) >> 7) * 0xFF;
    break;
  case 0x75: for (int i = 0; i < n / 2; i++) d->w[i] = a->w[i] == s->w[i] ? 0xFFFF : 0; break;
  case 0x76: for (int i = 0; i < n / 4; i++) d->d[i] = a->d[i] == s->d[i] ? ~0u : 0; break;
  case 0x64: for (int i = 0; i < n; i++) d->b[i] = a->sb[i] > s->sb[i] ? 0xFF : 0; break;
  case 0x65: for (int i = 0; i < n / 2; i++) d->w[i] = a->sw[i] > s->sw[i] ? 0xFFFF : 0; break;
  case 0x66: for (int i = 0; i < n / 4; i++) d->d[i] = a->sd[i] > s->sd[i] ? ~0u : 0; break;
  case 0xDB: for (int i = 0; i < nq; i++) d->q[i] = a->q[i] & s->q[i]; break;
  case 0xDF: for (int i = 0; i < nq; i++) d->q[i] = ~a->q[i] & s->q[i]; break;
  case 0xEB: for (int i = 0; i < nq; i++) d->q[i] = a->q[i] | s->q[i]; break;
  case 0xEF: for (int i = 0; i < nq; i++) d->q[i] = a->q[i] ^ s->q[i]; break;
  case 0xDA: for (int i = 0; i < n; i++) d->b[i] = a->b[i] < s->b[i] ? a->b[i] : s->b[i]; break;
  case 0xDE: for (int i = 0; i < n; i++) d->b[i] = a->b[i] > s->b[i] ? a->b[i] : s->b[i]; break;
  case 0xEA: for (int i = 0; i < n / 2; i++) d->sw[i] = a->sw[i] < s->sw[i] ? a->sw[i] : s->sw[i]; break;
  case 0xEE: for (int i = 0; i < n / 2; i++) d->sw[i] = a->sw[i] > s->sw[i] ? a->sw[i] : s->sw[i]; break;
  case 0xF8: // vpsubb: borrows kept inside each byte
    for (int i = 0; i < nq; i++) {
      uint64_t x = a->q[i], y = s->q[i];
      d->q[i] = ((x | H8) - (y & L7)) ^ ((x ^ ~y) & H8);
    }
    break;
  case 0xFC: // vpaddb
    for (int i = 0; i < nq; i++) {
      uint64_t x = a->q[i], y = s->q[i];
      d->q[i] = ((x & L7) + (y & L7)) ^ ((x ^ y) & H8);
    }
    break;
  case 0xF9: for (int i = 0; i < n / 2; i++) d->w[i] = (uint16_t)(a->w[i] - s->w[i]); break;
  case 0xFD: for (int i = 0; i < n / 2; i++) d->w[i] = (uint16_t)(a->w[i] + s->w[i]); break;
  case 0xFA: for (int i = 0; i < n / 4; i++) d->d[i] = a->d[i] - s->d[i]; break;
  case 0xFE: for (int i = 0; i < n / 4; i++) d->d[i] = a->d[i] + s->d[i]; break;
  case 0xD4: for (int i = 0; i < nq; i++) d->q[i] = a->q[i] + s->q[i]; break;
  case 0xFB: for (int i = 0; i < nq; i++) d->q[i] = a->q[i] - s->q[i]; break;
  default: return STOP_UD;
  }
  zero_hi(d, n);
  return 0;
}

// The other element-wise ops: saturating add/sub, averages, multiplies,
// vpsadbw.
static NOINLINE int elem_0f(struct cpu *c, const struct insn *in, int o) {
  int n = vlen(in);
  const union xmm *s = src_elem(c, in, n);
  if (UNLIKELY(!s)) return STOP_PAGEFAULT;
  const union xmm *a = &c->xmm[in->vex_v];
  union xmm *d = &c->xmm[in->reg];
  int nq = n >> 3;
  switch (o) {
  case 0xD8: for (int i = 0; i < n; i++) d->b[i] = satu8(a->b[i] - s->b[i]); break;
  case 0xDC: for (int i = 0; i < n; i++) d->b[i] = satu8(a->b[i] + s->b[i]); break;
  case 0xE8: for (int i = 0; i < n; i++) d->sb[i] = sat8(a->sb[i] - s->sb[i]); break;
  case 0xEC: for (int i = 0; i < n; i++) d->sb[i] = sat8(a->sb[i] + s->sb[i]); break;
  case 0xD9: for (int i = 0; i < n / 2; i++) d->w[i] = satu16(a->w[i] - s->w[i]); break;
  case 0xDD: for (int i = 0; i < n / 2; i++) d->w[i] = satu16(a->w[i] + s->w[i]); break;
  case 0xE9: for (int i = 0; i < n / 2; i++) d->sw[i] = sat16(a->sw[i] - s->sw[i]); break;
  case 0xED: for (int i = 0; i < n / 2; i++) d->sw[i] = sat16(a->sw[i] + s->sw[i]); break;
  case 0xE0: for (int i = 0; i < n; i++) d->b[i] = (uint8_t)((a->b[i] + s->b[i] + 1) >> 1); break;
  case 0xE3: for (int i = 0; i < n / 2; i++) d->w[i] = (uint16_t)((a->w[i] + s->w[i] + 1) >> 1); break;
  case 0xD5: for (int i = 0; i < n / 2; i++) d->w[i] = (uint16_t)(a->sw[i] * s->sw[i]); break;
  case 0xE5: for (int i = 0; i < n / 2; i++) d->w[i] = (uint16_t)((a->sw[i] * s->sw[i]) >> 16); break;
  case 0xE4: for (int i = 0; i < n / 2; i++) d->w[i] = (uint16_t)(((uint32_t)a->w[i] * s->w[i]) >> 16); break;
  case 0xF4: for (int i = 0; i < nq; i++) d->q[i] = (uint64_t)a->d[2 * i] * s->d[2 * i]; break;
  case 0xF5:
    for (int i = 0; i < n / 4; i++)
      d->d[i] = (uint32_t)(a->sw[2 * i] * s->sw[2 * i]) + (uint32_t)(a->sw[2 * i + 1] * s->sw[2 * i + 1]);
    break;
  case 0xF6: // vpsadbw
    for (int i = 0; i < nq; i++) {
      unsigned sum = 0;
      for (int k = 0; k < 8; k++) {
        int x = a->b[8 * i + k] - s->b[8 * i + k];
        sum += (unsigned)(x < 0 ? -x : x);
      }
      d->q[i] = sum;
    }
    break;
  default: return STOP_UD;
  }
  zero_hi(d, n);
  return 0;
}

// Unpacks and packs (per 128-bit lane, through the legacy helper).
static NOINLINE int lanes_0f(struct cpu *c, const struct insn *in, int o) {
  int n = vlen(in), rc;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  if ((rc = vsrc(c, in, s, n))) return rc;
  const union xmm *a = &c->xmm[in->vex_v];
  cpu_sse_int_op(r, a, s, o);
  if (n == 32) cpu_sse_int_op(HI(r), CHI(a), CHI(s), o);
  vset(c, in->reg, r, n);
  return 0;
}

// Element shifts of n bytes of a into d: kind 0 logical right, 1
// arithmetic right, 2 left; counts of the width or more give 0 (or the sign).
static void vshift(union xmm *d, const union xmm *a, int n, int width, int kind, uint64_t cnt) {
  switch (width) {
  case 2:
    for (int i = 0; i < n / 2; i++)
      d->w[i] = kind == 1 ? (uint16_t)(a->sw[i] >> (cnt > 15 ? 15 : cnt))
                : cnt > 15 ? 0 : kind ? (uint16_t)(a->w[i] << cnt) : (uint16_t)(a->w[i] >> cnt);
    break;
  case 4:
    for (int i = 0; i < n / 4; i++)
      d->d[i] = kind == 1 ? (uint32_t)(a->sd[i] >> (cnt > 31 ? 31 : cnt))
                : cnt > 31 ? 0 : kind ? a->d[i] << cnt : a->d[i] >> cnt;
    break;
  default:
    for (int i = 0; i < n / 8; i++) d->q[i] = cnt > 63 ? 0 : kind ? a->q[i] << cnt : a->q[i] >> cnt;
    break;
  }
}

// Shifts by the count in xmm/m128 (D1-D3, E1-E2, F1-F3) and by imm8 (71-73:
// VEX.vvvv is the destination, ModRM.rm the source register).
static NOINLINE int shift_0f(struct cpu *c, const struct insn *in, int o) {
  int n = vlen(in), rc, width, kind;
  union xmm *d;
  const union xmm *a;
  uint64_t cnt;
  if (o >= 0x71 && o <= 0x73) {
    int sub = in->reg & 7;
    if (in->mod != 3) return STOP_UD;
    d = &c->xmm[in->vex_v];
    a = &c->xmm[in->rm];
    cnt = in->imm & 0xFF;
    width = o == 0x71 ? 2 : o == 0x72 ? 4 : 8;
    if (o == 0x73 && (sub == 3 || sub == 7)) { // vpsrldq, vpslldq: bytes, per lane
      union xmm *t = &c->tmpx[0];
      memset(t, 0, 32);
      for (int l = 0; l < n; l += 16)
        if (cnt < 16) {
          if (sub == 3) memcpy(t->b + l, a->b + l + cnt, 16 - cnt);
          else memcpy(t->b + l + cnt, a->b + l, 16 - cnt);
        }
      vset(c, in->vex_v, t, n);
      return 0;
    }
    if (sub == 2) kind = 0;
    else if (sub == 4 && width != 8) kind = 1;
    else if (sub == 6) kind = 2;
    else return STOP_UD;
  } else {
    union xmm *s = &c->tmpx[0];
    if ((rc = vsrc(c, in, s, 16))) return rc;
    cnt = s->q[0];
    d = &c->xmm[in->reg];
    a = &c->xmm[in->vex_v];
    int k = o & 0xF;
    width = k == 1 ? 2 : k == 2 ? 4 : 8;
    kind = o >= 0xF0 ? 2 : o >= 0xE0 ? 1 : 0;
  }
  vshift(d, a, n, width, kind, cnt);
  zero_hi(d, n);
  return 0;
}

// vpshufd, vpshufhw, vpshuflw (per lane).
static int shuf_0f(struct cpu *c, const struct insn *in) {
  int n = vlen(in), rc, pp = PP(in), im = (int)(in->imm & 0xFF);
  if (in->vex_v) return STOP_UD;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  if ((rc = vsrc(c, in, s, n))) return rc;
  for (int l = 0; l < n / 16; l++) {
    const union xmm *x = l ? CHI(s) : s;
    union xmm *y = l ? HI(r) : r;
    if (pp == PFX_66) {
      for (int i = 0; i < 4; i++) y->d[i] = x->d[(im >> (2 * i)) & 3];
    } else if (pp == PFX_F3) {
      y->q[0] = x->q[0];
      for (int i = 0; i < 4; i++) y->w[4 + i] = x->w[4 + ((im >> (2 * i)) & 3)];
    } else {
      y->q[1] = x->q[1];
      for (int i = 0; i < 4; i++) y->w[i] = x->w[(im >> (2 * i)) & 3];
    }
  }
  vset(c, in->reg, r, n);
  return 0;
}

// Moves and the other odd ones of the 0F map: vmovd/vmovq, vpinsrw,
// vpextrw, vmovntdq, vmaskmovdqu, vlddqu.
static NOINLINE int misc_0f(struct cpu *c, const struct insn *in, int o) {
  int pp = PP(in), n = vlen(in), rc;
  union xmm *t = &c->tmpx[0], *x = &c->xmm[in->reg];
  uint64_t v;
  if (o == 0xF0) { // vlddqu (F2)
    if (pp != PFX_F2 || in->mod == 3 || in->vex_v) return STOP_UD;
    if ((rc = vsrc(c, in, t, n))) return rc;
    vset(c, in->reg, t, n);
    return 0;
  }
  if (o == 0x7E && pp == PFX_F3) { // vmovq xmm, xmm/m64
    if (in->vex_l || in->vex_v) return STOP_UD;
    if (in->mod == 3) v = c->xmm[in->rm].q[0];
    else {
      v = ld(c, ea(c, in), 8);
      if (faulted(c)) return STOP_PAGEFAULT;
    }
    memset(x, 0, 32);
    x->q[0] = v;
    return 0;
  }
  if (pp != PFX_66) return STOP_UD;
  if (o == 0xE7) { // vmovntdq m, ymm
    if (in->mod == 3 || in->vex_v) return STOP_UD;
    if (!valigned(c, in, n)) return STOP_GP;
    return stn(c, ea(c, in), n, x);
  }
  if (in->vex_l) return STOP_UD; // the rest are VEX.128 only
  switch (o) {
  case 0x6E: // vmovd/vmovq xmm, r/m
    if (in->vex_v) return STOP_UD;
    v = get_rm(c, in, W(in) ? 8 : 4);
    if (faulted(c)) return STOP_PAGEFAULT;
    memset(x, 0, 32);
    x->q[0] = v;
    return 0;
  case 0x7E: // vmovd/vmovq r/m, xmm
    if (in->vex_v) return STOP_UD;
    if (in->mod == 3) {
      c->r[in->rm] = W(in) ? x->q[0] : x->d[0];
      return 0;
    }
    return st(c, ea(c, in), W(in) ? 8 : 4, x->q[0]);
  case 0xD6: // vmovq xmm/m64, xmm
    if (in->vex_v) return STOP_UD;
    if (in->mod == 3) {
      v = x->q[0];
      memset(&c->xmm[in->rm], 0, 32);
      c->xmm[in->rm].q[0] = v;
      return 0;
    }
    return st(c, ea(c, in), 8, x->q[0]);
  case 0xC4: // vpinsrw xmm, xmm, r32/m16, imm8
    v = get_rm(c, in, 2);
    if (faulted(c)) return STOP_PAGEFAULT;
    memcpy(t, &c->xmm[in->vex_v], 16);
    t->w[in->imm & 7] = (uint16_t)v;
    vset(c, in->reg, t, 16);
    return 0;
  case 0xC5: // vpextrw r32, xmm, imm8
    if (in->mod != 3 || in->vex_v) return STOP_UD;
    c->r[in->reg] = c->xmm[in->rm].w[in->imm & 7];
    return 0;
  case 0xF7: { // vmaskmovdqu xmm, xmm: bytes whose mask byte has bit 7 go to [rdi]
    if (in->mod != 3 || in->vex_v) return STOP_UD;
    const union xmm *m = &c->xmm[in->rm];
    uint64_t a = c->r[RDI];
    if (in->pfx & PFX_67) a = (uint32_t)a;
    if (in->seg) a += in->seg == 4 ? c->fs_base : c->gs_base;
    for (int i = 0; i < 16; i++) // all or nothing; the host reports the lowest faulting byte
      if ((m->b[i] & 0x80) && !mm_wr(c->mm, a + i)) return page_fault(c, a + i, 1);
    for (int i = 0; i < 16; i++)
      if (m->b[i] & 0x80)
        if ((rc = st(c, a + i, 1, x->b[i]))) return rc;
    return 0;
  }
  default: return STOP_UD;
  }
}

// Inlined into cpu_avx_int: the 0F map is where the hot string ops are.
static inline int map_0f(struct cpu *c, const struct insn *in) {
  int o = in->op & 0xFF;
  if (UNLIKELY(PP(in) != PFX_66)) {
    if (o == 0x70 && PP(in)) return shuf_0f(c, in);
    if (o == 0x7E || o == 0xF0) return misc_0f(c, in, o);
    return STOP_UD;
  }
  switch (o) {
  case 0xD7: { // vpmovmskb r32, xmm/ymm
    if (in->mod != 3 || in->vex_v) return STOP_UD;
    const union xmm *x = &c->xmm[in->rm];
    uint32_t m = msb8(x->q[0]) | msb8(x->q[1]) << 8;
    if (in->vex_l) m |= msb8(x->q[2]) << 16 | msb8(x->q[3]) << 24;
    c->r[in->reg] = m;
    return 0;
  }
  case 0x60: case 0x61: case 0x62: case 0x63: case 0x67: case 0x68: case 0x69: case 0x6A: case 0x6B:
  case 0x6C: case 0x6D:
    return lanes_0f(c, in, o);
  case 0x70: return shuf_0f(c, in);
  case 0x71: case 0x72: case 0x73: case 0xD1: case 0xD2: case 0xD3: case 0xE1: case 0xE2: case 0xF1: case 0xF2:
  case 0xF3:
    return shift_0f(c, in, o);
  case 0x6E: case 0x7E: case 0xC4: case 0xC5: case 0xD6: case 0xE7: case 0xF7: case 0xF0: return misc_0f(c, in, o);
  default:
    if ((o >= 0x64 && o <= 0x66) || (o >= 0x74 && o <= 0x76) || (o >= 0xF8 && o <= 0xFE) || o == 0xD4 || o == 0xDA ||
        o == 0xDB || o == 0xDE || o == 0xDF || o == 0xEA || o == 0xEB || o == 0xEE || o == 0xEF)
      return elem_hot(c, in, o);
    if ((o >= 0xD5 && o <= 0xFE && o != 0xD6 && o != 0xD7 && o != 0xE6 && o != 0xE7 && o != 0xF0 && o != 0xF7))
      return elem_0f(c, in, o);
    return STOP_UD;
  }
}

// ---- 0F38 map --------------------------------------------------------------

// SSE4.1/4.2-style two-source ops of the 0F38 map on n bytes (vpackusdw is
// done per lane by the caller).
static NOINLINE int ops41(union xmm *d, const union xmm *a, const union xmm *s, int o, int n) {
  switch (o) {
  case 0x28: for (int i = 0; i < n / 8; i++) d->sq[i] = (int64_t)a->sd[2 * i] * s->sd[2 * i]; return 0;
  case 0x29: for (int i = 0; i < n / 8; i++) d->q[i] = a->q[i] == s->q[i] ? ~0ull : 0; return 0;
  case 0x2B:
    for (int i = 0; i < 4; i++) {
      d->w[i] = satu16(a->sd[i]);
      d->w[4 + i] = satu16(s->sd[i]);
    }
    return 0;
  case 0x37: for (int i = 0; i < n / 8; i++) d->q[i] = a->sq[i] > s->sq[i] ? ~0ull : 0; return 0;
  case 0x38: for (int i = 0; i < n; i++) d->sb[i] = a->sb[i] < s->sb[i] ? a->sb[i] : s->sb[i]; return 0;
  case 0x39: for (int i = 0; i < n / 4; i++) d->sd[i] = a->sd[i] < s->sd[i] ? a->sd[i] : s->sd[i]; return 0;
  case 0x3A: for (int i = 0; i < n / 2; i++) d->w[i] = a->w[i] < s->w[i] ? a->w[i] : s->w[i]; return 0;
  case 0x3B: for (int i = 0; i < n / 4; i++) d->d[i] = a->d[i] < s->d[i] ? a->d[i] : s->d[i]; return 0;
  case 0x3C: for (int i = 0; i < n; i++) d->sb[i] = a->sb[i] > s->sb[i] ? a->sb[i] : s->sb[i]; return 0;
  case 0x3D: for (int i = 0; i < n / 4; i++) d->sd[i] = a->sd[i] > s->sd[i] ? a->sd[i] : s->sd[i]; return 0;
  case 0x3E: for (int i = 0; i < n / 2; i++) d->w[i] = a->w[i] > s->w[i] ? a->w[i] : s->w[i]; return 0;
  case 0x3F: for (int i = 0; i < n / 4; i++) d->d[i] = a->d[i] > s->d[i] ? a->d[i] : s->d[i]; return 0;
  case 0x40: for (int i = 0; i < n / 4; i++) d->d[i] = a->d[i] * s->d[i]; return 0;
  default: return STOP_UD;
  }
}

// vpsrlvd/q, vpsravd, vpsllvd/q: each element shifted by its own count.
static NOINLINE void varshift(union xmm *d, const union xmm *a, const union xmm *s, int o, int q, int n) {
  if (q) {
    for (int i = 0; i < n / 8; i++) {
      uint64_t k = s->q[i];
      d->q[i] = k > 63 ? 0 : o == 0x45 ? a->q[i] >> k : a->q[i] << k;
    }
  } else {
    for (int i = 0; i < n / 4; i++) {
      uint32_t k = s->d[i];
      if (o == 0x46) d->sd[i] = a->sd[i] >> (k > 31 ? 31 : k);
      else d->d[i] = k > 31 ? 0 : o == 0x45 ? a->d[i] >> k : a->d[i] << k;
    }
  }
}

// Two-source ops of the 0F38 map: SSSE3 (per lane), SSE4.1, vpermd,
// variable shifts.
static NOINLINE int bin_0f38(struct cpu *c, const struct insn *in, int o) {
  int n = vlen(in), rc;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  const union xmm *a = &c->xmm[in->vex_v];
  if (o == 0x36 && (!in->vex_l || W(in))) return STOP_UD;
  if (o == 0x46 && W(in)) return STOP_UD;
  if ((rc = vsrc(c, in, s, n))) return rc;
  if (o <= 0x0B || o == 0x2B) {
    if (o == 0x2B) ops41(r, a, s, o, 16);
    else cpu_ssse3_op(r, a, s, o);
    if (n == 32) {
      if (o == 0x2B) ops41(HI(r), CHI(a), CHI(s), o, 16);
      else cpu_ssse3_op(HI(r), CHI(a), CHI(s), o);
    }
  } else if (o == 0x36) { // vpermd: data in r/m, indices in vvvv
    for (int i = 0; i < 8; i++) r->d[i] = s->d[a->d[i] & 7];
  } else if (o >= 0x45 && o <= 0x47) {
    varshift(r, a, s, o, W(in), n);
  } else if (ops41(r, a, s, o, n)) {
    return STOP_UD;
  }
  vset(c, in->reg, r, n);
  return 0;
}

// vpmovsx/vpmovzx (20-25, 30-35): the ymm forms read 16 bytes.
static NOINLINE int pmovx(struct cpu *c, const struct insn *in, int o) {
  static const uint8_t from[6] = {1, 1, 1, 2, 2, 4}, to[6] = {2, 4, 8, 4, 8, 8};
  int k = o & 7, n = vlen(in), rc;
  if (k > 5 || in->vex_v) return STOP_UD;
  int fs = from[k], ts = to[k], cnt = n / ts;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  if (in->mod == 3) memcpy(s, &c->xmm[in->rm], 16);
  else if ((rc = ldn(c, ea(c, in), cnt * fs, s))) return rc;
  int sx = o < 0x30;
  for (int i = 0; i < cnt; i++) {
    uint64_t v;
    if (fs == 1) v = sx ? (uint64_t)(int64_t)s->sb[i] : s->b[i];
    else if (fs == 2) v = sx ? (uint64_t)(int64_t)s->sw[i] : s->w[i];
    else v = sx ? (uint64_t)(int64_t)s->sd[i] : s->d[i];
    if (ts == 2) r->w[i] = (uint16_t)v;
    else if (ts == 4) r->d[i] = (uint32_t)v;
    else r->q[i] = v;
  }
  vset(c, in->reg, r, n);
  return 0;
}

// vpbroadcastb/w/d/q (78 79 58 59) and vbroadcasti128 (5A).
static NOINLINE int broadcast(struct cpu *c, const struct insn *in, int o) {
  int n = vlen(in), size = o == 0x78 ? 1 : o == 0x79 ? 2 : o == 0x58 ? 4 : o == 0x59 ? 8 : 16, rc;
  if (in->vex_v || W(in)) return STOP_UD;
  union xmm *r = &c->tmpx[1];
  if (size == 16) {
    if (in->mod == 3 || !in->vex_l) return STOP_UD;
    if ((rc = ldn(c, ea(c, in), 16, r))) return rc;
    memcpy(r->b + 16, r->b, 16);
    c->xmm[in->reg] = *r;
    return 0;
  }
  uint64_t v;
  if (in->mod == 3) v = c->xmm[in->rm].q[0];
  else {
    v = ld(c, ea(c, in), size);
    if (faulted(c)) return STOP_PAGEFAULT;
  }
  if (size == 1) v = (v & 0xFF) * 0x0101010101010101ull;
  else if (size == 2) v = (v & 0xFFFF) * 0x0001000100010001ull;
  else if (size == 4) v = (v & 0xFFFFFFFFu) * 0x0000000100000001ull;
  union xmm *d = &c->xmm[in->reg];
  d->q[0] = d->q[1] = v;
  if (n == 32) d->q[2] = d->q[3] = v;
  else d->q[2] = d->q[3] = 0;
  return 0;
}

// vpmaskmovd/q: 8C loads (masked-off elements read as 0 and never fault),
// 8E stores (only the selected elements are written, none if one faults).
static NOINLINE int maskmov(struct cpu *c, const struct insn *in, int o) {
  int n = vlen(in), q = W(in), es = q ? 8 : 4, rc;
  if (in->mod == 3) return STOP_UD;
  const union xmm *m = &c->xmm[in->vex_v];
  uint64_t a = ea(c, in);
  if (o == 0x8C) {
    union xmm *r = &c->tmpx[1];
    memset(r, 0, 32);
    for (int i = 0; i < n / es; i++) {
      if (q ? !(m->q[i] >> 63) : !(m->d[i] >> 31)) continue;
      uint64_t v = ld(c, a + (uint64_t)(i * es), es);
      if (faulted(c)) return STOP_PAGEFAULT;
      if (q) r->q[i] = v;
      else r->d[i] = (uint32_t)v;
    }
    vset(c, in->reg, r, n);
    return 0;
  }
  // Stores: all or nothing, as on the host, which reports the highest
  // faulting byte; so the selected elements are checked from the top first.
  const union xmm *x = &c->xmm[in->reg];
  for (int i = n / es - 1; i >= 0; i--) {
    if (q ? !(m->q[i] >> 63) : !(m->d[i] >> 31)) continue;
    uint64_t e = a + (uint64_t)(i * es);
    if (!mm_wr(c->mm, e + es - 1)) return page_fault(c, e + es - 1, 1);
    if (!mm_wr(c->mm, e)) return page_fault(c, e, 1);
  }
  for (int i = 0; i < n / es; i++) {
    if (q ? !(m->q[i] >> 63) : !(m->d[i] >> 31)) continue;
    if ((rc = st(c, a + (uint64_t)(i * es), es, q ? x->q[i] : x->d[i]))) return rc;
  }
  return 0;
}

// Gathers (90-93): W selects 64-bit elements, 91/93 take 64-bit indices.
// Elements are fetched in order; each one done clears its mask element, so
// after a page fault the instruction restarts where it stopped (the
// destination elements not yet gathered, and bits past the operation's
// width, are left as they were until the instruction completes).
static NOINLINE int gather(struct cpu *c, const struct insn *in, int o) {
  int q = W(in), qi = o & 1, es = q ? 8 : 4;
  int cnt = (qi || q) ? (in->vex_l ? 4 : 2) : (in->vex_l ? 8 : 4);
  int dr = in->reg, ir = in->index, mr = in->vex_v;
  if (dr == ir || dr == mr || ir == mr) return STOP_UD;
  union xmm *d = &c->xmm[dr], *m = &c->xmm[mr];
  const union xmm *ix = &c->xmm[ir];
  uint64_t base = (uint64_t)(int64_t)in->disp;
  if (in->base < 16) base += c->r[in->base];
  else if (in->base == BASE_RIP) base += c->rip;
  // First every mask element of the mask operand (an xmm for the 64-bit
  // index, 32-bit data forms) becomes all ones or zeros by its top bit: a
  // signal handler sees that after a fault, as on hardware.
  int mw = (qi && !q) || !in->vex_l ? 16 : 32;
  if (q)
    for (int i = 0; i < mw / 8; i++) m->q[i] = (uint64_t)(m->sq[i] >> 63);
  else
    for (int i = 0; i < mw / 4; i++) m->d[i] = (uint32_t)(m->sd[i] >> 31);
  for (int i = 0; i < cnt; i++) {
    if (!(q ? m->q[i] : m->d[i])) continue;
    uint64_t a = base + ((qi ? ix->q[i] : (uint64_t)(int64_t)ix->sd[i]) << in->scale);
    if (in->pfx & PFX_67) a = (uint32_t)a;
    if (in->seg) a += in->seg == 4 ? c->fs_base : c->gs_base;
    uint64_t v = ld(c, a, es);
    if (faulted(c)) return STOP_PAGEFAULT;
    if (q) {
      d->q[i] = v;
      m->q[i] = 0;
    } else {
      d->d[i] = (uint32_t)v;
      m->d[i] = 0;
    }
  }
  memset(m, 0, 32);
  memset(d->b + cnt * es, 0, 32 - cnt * es);
  return 0;
}

// vptest, vphminposuw, vmovntdqa, vpabs.
static NOINLINE int misc_0f38(struct cpu *c, const struct insn *in, int o) {
  int n = vlen(in), rc;
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  if (in->vex_v) return STOP_UD;
  switch (o) {
  case 0x17: { // vptest
    if ((rc = vsrc(c, in, s, n))) return rc;
    const union xmm *d = &c->xmm[in->reg];
    uint64_t z = 0, cf = 0;
    for (int i = 0; i < n / 8; i++) {
      z |= d->q[i] & s->q[i];
      cf |= ~d->q[i] & s->q[i];
    }
    c->lf_op = LF_NONE;
    c->flags = (c->flags & ~F_ARITH) | (z ? 0 : F_ZF) | (cf ? 0 : F_CF);
    return 0;
  }
  case 0x2A: // vmovntdqa
    if (in->mod == 3) return STOP_UD;
    if (!valigned(c, in, n)) return STOP_GP;
    if ((rc = vsrc(c, in, s, n))) return rc;
    vset(c, in->reg, s, n);
    return 0;
  case 0x41: { // vphminposuw
    if (in->vex_l) return STOP_UD;
    if ((rc = vsrc(c, in, s, 16))) return rc;
    int k = 0;
    for (int i = 1; i < 8; i++)
      if (s->w[i] < s->w[k]) k = i;
    memset(r, 0, 32);
    r->w[0] = s->w[k];
    r->w[1] = (uint16_t)k;
    c->xmm[in->reg] = *r;
    return 0;
  }
  case 0x1C: case 0x1D: case 0x1E: // vpabsb/w/d
    if ((rc = vsrc(c, in, s, n))) return rc;
    cpu_ssse3_op(r, s, s, o);
    if (n == 32) cpu_ssse3_op(HI(r), CHI(s), CHI(s), o);
    vset(c, in->reg, r, n);
    return 0;
  default: return STOP_UD;
  }
}

static NOINLINE int map_0f38(struct cpu *c, const struct insn *in) {
  int o = in->op & 0xFF;
  if (PP(in) != PFX_66) return STOP_UD;
  switch (o) {
  case 0x78: case 0x79: case 0x58: case 0x59: case 0x5A: return broadcast(c, in, o);
  case 0x17: case 0x1C: case 0x1D: case 0x1E: case 0x2A: case 0x41: return misc_0f38(c, in, o);
  case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25:
  case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35:
    return pmovx(c, in, o);
  case 0x8C: case 0x8E: return maskmov(c, in, o);
  case 0x90: case 0x91: case 0x92: case 0x93: return gather(c, in, o);
  default:
    if (o <= 0x0B || o == 0x28 || o == 0x29 || o == 0x2B || o == 0x36 || (o >= 0x37 && o <= 0x40) ||
        (o >= 0x45 && o <= 0x47))
      return bin_0f38(c, in, o);
    return STOP_UD;
  }
}

// ---- 0F3A map --------------------------------------------------------------

// Carry-less 64x64 -> 128-bit product into r->q[0..1].
static void clmul(union xmm *r, uint64_t x, uint64_t y) {
  uint64_t lo = 0, hi = 0;
  for (int i = 0; i < 64; i++)
    if ((y >> i) & 1) {
      lo ^= x << i;
      if (i) hi ^= x >> (64 - i);
    }
  r->q[0] = lo;
  r->q[1] = hi;
}

// vpermq, vpblendd, vpblendw, vpalignr, vmpsadbw, vpclmulqdq, vperm2i128,
// vpblendvb: two sources (vvvv, r/m) and imm8.
static NOINLINE int imm_0f3a(struct cpu *c, const struct insn *in, int o) {
  int n = vlen(in), rc, im = (int)(in->imm & 0xFF);
  union xmm *s = &c->tmpx[0], *r = &c->tmpx[1];
  const union xmm *a = &c->xmm[in->vex_v];
  switch (o) {
  case 0x00: if (!in->vex_l || !W(in) || in->vex_v) return STOP_UD; break;
  case 0x02: case 0x4C: if (W(in)) return STOP_UD; break;
  case 0x46: if (!in->vex_l || W(in)) return STOP_UD; break;
  case 0x44: if (in->vex_l) return STOP_UD; break;
  }
  if ((rc = vsrc(c, in, s, n))) return rc;
  switch (o) {
  case 0x00: for (int i = 0; i < 4; i++) r->q[i] = s->q[(im >> (2 * i)) & 3]; break;
  case 0x02: for (int i = 0; i < n / 4; i++) r->d[i] = (im >> i) & 1 ? s->d[i] : a->d[i]; break;
  case 0x0E: for (int i = 0; i < n / 2; i++) r->w[i] = (im >> (i & 7)) & 1 ? s->w[i] : a->w[i]; break;
  case 0x0F: // vpalignr: (a:s) >> 8*imm, per lane
    for (int l = 0; l < n; l += 16)
      for (int i = 0; i < 16; i++) {
        int k = i + im;
        r->b[l + i] = k < 16 ? s->b[l + k] : k < 32 ? a->b[l + k - 16] : 0;
      }
    break;
  case 0x42: // vmpsadbw: imm[2:0] for the low lane, imm[5:3] for the high one
    for (int l = 0; l < n / 16; l++) {
      int blk = im >> (3 * l), ao = 16 * l + ((blk & 4) ? 4 : 0), so = 16 * l + (blk & 3) * 4;
      for (int i = 0; i < 8; i++) {
        int sum = 0;
        for (int j = 0; j < 4; j++) {
          int x = a->b[ao + i + j] - s->b[so + j];
          sum += x < 0 ? -x : x;
        }
        r->w[8 * l + i] = (uint16_t)sum;
      }
    }
    break;
  case 0x44:
    clmul(r, a->q[im & 1], s->q[(im >> 4) & 1]);
    break;
  case 0x46: // vperm2i128
    for (int l = 0; l < 2; l++) {
      int sel = im >> (4 * l);
      if (sel & 8) memset(r->b + 16 * l, 0, 16);
      else memcpy(r->b + 16 * l, ((sel & 2) ? s : a)->b + 16 * (sel & 1), 16);
    }
    break;
  case 0x4C: { // vpblendvb: the mask register is imm8[7:4]
    const union xmm *m = &c->xmm[im >> 4];
    for (int i = 0; i < n; i++) r->b[i] = (m->b[i] & 0x80) ? s->b[i] : a->b[i];
    break;
  }
  default: return STOP_UD;
  }
  vset(c, in->reg, r, n);
  return 0;
}

// vpextrb/w/d/q (14-16) and vpinsrb/d/q (20, 22): VEX.128 only.
static NOINLINE int insext_0f3a(struct cpu *c, const struct insn *in, int o) {
  int im = (int)(in->imm & 0xFF), q = W(in);
  if (in->vex_l) return STOP_UD;
  if (o <= 0x16) {
    const union xmm *x = &c->xmm[in->reg];
    int size = o == 0x14 ? 1 : o == 0x15 ? 2 : q ? 8 : 4;
    if (in->vex_v) return STOP_UD;
    uint64_t v = size == 1 ? x->b[im & 15] : size == 2 ? x->w[im & 7] : size == 4 ? x->d[im & 3] : x->q[im & 1];
    if (in->mod == 3) {
      c->r[in->rm] = v;
      return 0;
    }
    return st(c, ea(c, in), size, v);
  }
  int size = o == 0x20 ? 1 : q ? 8 : 4;
  uint64_t v = in->mod == 3 ? c->r[in->rm] : ld(c, ea(c, in), size);
  if (faulted(c)) return STOP_PAGEFAULT;
  union xmm *t = &c->tmpx[0];
  memcpy(t, &c->xmm[in->vex_v], 16);
  if (size == 1) t->b[im & 15] = (uint8_t)v;
  else if (size == 4) t->d[im & 3] = (uint32_t)v;
  else t->q[im & 1] = v;
  vset(c, in->reg, t, 16);
  return 0;
}

// vpcmpestrm/estri/istrm/istri: the legacy SSE4.2 code, which zeroes the
// VEX destination's upper half itself.
static NOINLINE int str_0f3a(struct cpu *c, const struct insn *in, int o) {
  if (in->vex_l || in->vex_v) return STOP_UD;
  return cpu_sse42_str(c, in, o);
}

static NOINLINE int map_0f3a(struct cpu *c, const struct insn *in) {
  int o = in->op & 0xFF;
  if (PP(in) != PFX_66) return STOP_UD;
  switch (o) {
  case 0x00: case 0x02: case 0x0E: case 0x0F: case 0x42: case 0x44: case 0x46: case 0x4C: return imm_0f3a(c, in, o);
  case 0x14: case 0x15: case 0x16: case 0x20: case 0x22: return insext_0f3a(c, in, o);
  case 0x60: case 0x61: case 0x62: case 0x63: return str_0f3a(c, in, o);
  default: return STOP_UD;
  }
}

NOINLINE int cpu_avx_int(struct cpu *c, const struct insn *in) {
  switch (in->op >> 8) {
  case 1: return map_0f(c, in);
  case 2: return map_0f38(c, in);
  default: return map_0f3a(c, in);
  }
}
