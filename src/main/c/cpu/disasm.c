// SPDX-License-Identifier: MIT
// Intel-syntax disassembler on top of the decoder, so what it shows is what
// executes (same lengths, same operand forms), in objdump -M intel's words.
// Covers the integer maps, SSE through SSE4.2, x87, BMI, and every VEX
// vector instruction (AVX, AVX2, FMA, FMA4, F16C, VEX AES/PCLMUL/GFNI/VNNI,
// the AVX-512 opmask and AMX instructions) from one table (vex_table);
// VEX the CPU rejects is parsed here and named all the same. EVEX (AVX-512)
// is named for the common integer/move subset (evex_table), else "(evex)"
// with its length; undecodable bytes print "(bad)". cpu_disasm_att gives
// the same instruction in AT&T syntax.
#include <stdlib.h>
#include <string.h>

#include "../util/fmt.h"

#include "internal.h"

static const char *const reg64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                      "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
static const char *const reg32[16] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                      "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
static const char *const reg16[16] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                                      "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
static const char *const reg8[16] = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                     "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
static const char *const reg8l[8] = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
static const char *const alu_names[8] = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
static const char *const shift_names[8] = {"rol", "ror", "rcl", "rcr", "shl", "shr", "shl", "sar"}; // /6 is SAL, which objdump calls shl;
static const char *const cc_names[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                         "s", "ns", "p", "np", "l", "ge", "le", "g"};

struct out {
  char *buf;
  int size, len;
  int has_note;     // a rip-relative target to show after the operands
  uint64_t note;
  int vsib;         // 16/32/64: the memory operand's index is an xmm/ymm/zmm register (gathers)
  int vlb;          // EVEX: vector length in bytes (16/32/64); 0 for VEX (VEX.L says)
  int bcst;         // EVEX: the memory operand is a broadcast element ("dword bcst")
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void put(struct out *o, const char *fmt, ...) {
  if (o->len >= o->size) return;
  va_list ap;
  va_start(ap, fmt);
  int n = fmt_vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
  va_end(ap);
  if (n > 0) o->len += n;
  if (o->len >= o->size) o->len = o->size - 1;
}

static const char *regname(const struct insn *in, int r, int size) {
  switch (size) {
  case 1: return in->rex ? reg8[r] : r < 8 ? reg8l[r] : reg8[r];
  case 2: return reg16[r];
  case 4: return reg32[r];
  default: return reg64[r];
  }
}

#define SIZE_OWORD 17 // 16 bytes that objdump calls "oword" (cmpxchg16b)

static const char *vec_name(int bytes) { return bytes == 64 ? "zmm" : bytes == 32 ? "ymm" : "xmm"; }

static const char *ptr_name(int size) {
  switch (size) {
  case 1: return "byte";
  case 2: return "word";
  case 4: return "dword";
  case 8: return "qword";
  case 10: return "tbyte";
  case 6: return "fword";
  case 32: return "ymmword";
  case 64: return "zmmword";
  case 16: return "xmmword";
  case SIZE_OWORD: return "oword";
  default: return "";
  }
}

static void put_disp(struct out *o, int32_t d) {
  put(o, "%s0x%x", d < 0 ? "-" : "+", d < 0 ? -(unsigned)d : (unsigned)d);
}

// A SIB byte whose index field says "none" where the address needed no SIB
// (a scale, or a base other than rsp/r12): objdump shows the index as riz.
static int sib_riz(const struct insn *in) {
  return in->mod != 3 && (in->rm & 7) == 4 && in->index == BASE_NONE &&
         (in->scale || (in->base != BASE_NONE && (in->base & 7) != 4));
}

// Memory operands as objdump writes them: "qword ptr [rbx+rcx*8+0x10]", an
// encoded zero displacement kept ("+0x0"), absolute addresses without
// brackets ("fs:0x28", "ds:0x601000").
static void mem_operand(struct out *o, const struct insn *in, int size, uint64_t next) {
  if (size) put(o, "%s %s ", ptr_name(size), o->bcst ? "bcst" : "ptr");
  if (in->base == BASE_RIP) {
    if (in->seg) put(o, "%s:", in->seg == 4 ? "fs" : "gs");
    // util/fmt has no '+' flag: the sign is written here.
    put(o, "[rip");
    put_disp(o, in->disp);
    put(o, "]");
    o->has_note = 1;
    o->note = next + (int64_t)in->disp;
    return;
  }
  if (in->base == BASE_NONE && in->index == BASE_NONE && !sib_riz(in)) {
    put(o, "%s:0x%llx", in->seg == 4 ? "fs" : in->seg == 5 ? "gs" : "ds",
        (unsigned long long)((in->pfx & PFX_67) ? (uint32_t)in->disp : (uint64_t)(int64_t)in->disp));
    return;
  }
  if (in->seg) put(o, "%s:", in->seg == 4 ? "fs" : "gs");
  put(o, "[");
  int any = 0;
  if (in->base != BASE_NONE) {
    put(o, "%s", (in->pfx & PFX_67) ? reg32[in->base] : reg64[in->base]);
    any = 1;
  }
  if (o->vsib) {
    put(o, "%s%s%d*%d", any ? "+" : "", vec_name(o->vsib), in->index, 1 << in->scale);
    any = 1;
  } else if (in->index != BASE_NONE) {
    put(o, "%s%s*%d", any ? "+" : "", (in->pfx & PFX_67) ? reg32[in->index] : reg64[in->index], 1 << in->scale);
    any = 1;
  } else if (sib_riz(in)) { // a SIB byte with no index that [base] alone would not need: objdump's "riz"
    put(o, "%s%s*%d", any ? "+" : "", (in->pfx & PFX_67) ? "eiz" : "riz", 1 << in->scale);
    any = 1;
  }
  // mod 1 and 2 always encode a displacement; so does SIB without a base.
  if (in->disp || in->mod == 1 || in->mod == 2 || in->base == BASE_NONE) put_disp(o, in->disp);
  put(o, "]");
}

static void rm_operand(struct out *o, const struct insn *in, int size, uint64_t next) {
  if (in->mod == 3) put(o, "%s", regname(in, in->rm, size));
  else mem_operand(o, in, size, next);
}

static void imm_operand(struct out *o, uint64_t v, int size) {
  v &= size_mask(size);
  put(o, "0x%llx", (unsigned long long)v);
}

// Names of the 0F-map SSE/SSE2/SSE3 opcodes (p: 0 none, 1 66, 2 F3, 3 F2).
static const char *sse_name(int op2, int p, int mod3) {
  static const char *const arith[] = {"sqrt", "rsqrt", "rcp", "and", "andn", "or", "xor",
                                      "add",  "mul",   NULL,   NULL,  "sub",  "min", "div", "max"};
  static const char *const sfx[] = {"ps", "pd", "ss", "sd"};
  static const char *const m60[16] = {"punpcklbw", "punpcklwd", "punpckldq", "packsswb", "pcmpgtb", "pcmpgtw",
                                      "pcmpgtd", "packuswb", "punpckhbw", "punpckhwd", "punpckhdq", "packssdw",
                                      "punpcklqdq", "punpckhqdq", NULL, NULL};
  static const char *const md0[48] = {
      NULL, "psrlw", "psrld", "psrlq", "paddq", "pmullw", NULL, "pmovmskb",
      "psubusb", "psubusw", "pminub", "pand", "paddusb", "paddusw", "pmaxub", "pandn",
      "pavgb", "psraw", "psrad", "pavgw", "pmulhuw", "pmulhw", NULL, NULL,
      "psubsb", "psubsw", "pminsw", "por", "paddsb", "paddsw", "pmaxsw", "pxor",
      NULL, "psllw", "pslld", "psllq", "pmuludq", "pmaddwd", "psadbw", "maskmovdqu",
      "psubb", "psubw", "psubd", "psubq", "paddb", "paddw", "paddd", NULL};
  static char name[24];
  if (op2 >= 0x51 && op2 <= 0x5F && arith[op2 - 0x51]) {
    if ((op2 >= 0x54 && op2 <= 0x57 && p >= 2) || ((op2 == 0x52 || op2 == 0x53) && (p & 1))) return NULL;
    fmt_snprintf(name, sizeof name, "%s%s", arith[op2 - 0x51], sfx[p]);
    return name;
  }
  if (op2 >= 0x60 && op2 <= 0x6D) return p == 1 ? m60[op2 - 0x60] : NULL;
  if (op2 >= 0xD0 && op2 <= 0xFF && md0[op2 - 0xD0]) return p == 1 ? md0[op2 - 0xD0] : NULL;
  switch (op2) {
  case 0x10: case 0x11: return p == 0 ? "movups" : p == 1 ? "movupd" : p == 2 ? "movss" : "movsd";
  case 0x12: return p == 0 ? (mod3 ? "movhlps" : "movlps") : p == 1 ? "movlpd" : p == 2 ? "movsldup" : "movddup";
  case 0x13: return p == 0 ? "movlps" : p == 1 ? "movlpd" : NULL;
  case 0x16: return p == 0 ? (mod3 ? "movlhps" : "movhps") : p == 1 ? "movhpd" : p == 2 ? "movshdup" : NULL;
  case 0x17: return p == 0 ? "movhps" : p == 1 ? "movhpd" : NULL;
  case 0x14: return p == 1 ? "unpcklpd" : p == 0 ? "unpcklps" : NULL;
  case 0x15: return p == 1 ? "unpckhpd" : p == 0 ? "unpckhps" : NULL;
  case 0x28: case 0x29: return p == 1 ? "movapd" : p == 0 ? "movaps" : NULL;
  case 0x2A: return p == 3 ? "cvtsi2sd" : p == 2 ? "cvtsi2ss" : NULL;
  case 0x2B: return p == 1 ? "movntpd" : p == 0 ? "movntps" : NULL;
  case 0x2C: return p == 3 ? "cvttsd2si" : p == 2 ? "cvttss2si" : NULL;
  case 0x2D: return p == 3 ? "cvtsd2si" : p == 2 ? "cvtss2si" : NULL;
  case 0x2E: return p == 1 ? "ucomisd" : p == 0 ? "ucomiss" : NULL;
  case 0x2F: return p == 1 ? "comisd" : p == 0 ? "comiss" : NULL;
  case 0x50: return p == 1 ? "movmskpd" : p == 0 ? "movmskps" : NULL;
  case 0x5A: return p == 0 ? "cvtps2pd" : p == 1 ? "cvtpd2ps" : p == 2 ? "cvtss2sd" : "cvtsd2ss";
  case 0x5B: return p == 0 ? "cvtdq2ps" : p == 1 ? "cvtps2dq" : p == 2 ? "cvttps2dq" : NULL;
  case 0x6F: case 0x7F: return p == 2 ? "movdqu" : p == 1 ? "movdqa" : NULL;
  case 0x6E: return p == 1 ? "movd" : NULL;
  case 0x7E: return p == 1 ? "movd" : p == 2 ? "movq" : NULL;
  case 0x70: return p == 1 ? "pshufd" : p == 2 ? "pshufhw" : p == 3 ? "pshuflw" : NULL;
  case 0x74: return p == 1 ? "pcmpeqb" : NULL;
  case 0x75: return p == 1 ? "pcmpeqw" : NULL;
  case 0x76: return p == 1 ? "pcmpeqd" : NULL;
  case 0x7C: return p == 1 ? "haddpd" : p == 3 ? "haddps" : NULL;
  case 0x7D: return p == 1 ? "hsubpd" : p == 3 ? "hsubps" : NULL;
  case 0xC2: return "cmp";
  case 0xC4: return p == 1 ? "pinsrw" : NULL;
  case 0xC5: return p == 1 ? "pextrw" : NULL;
  case 0xC6: return p == 1 ? "shufpd" : p == 0 ? "shufps" : NULL;
  case 0xD0: return p == 1 ? "addsubpd" : p == 3 ? "addsubps" : NULL;
  case 0xD6: return p == 1 ? "movq" : NULL;
  case 0xE6: return p == 1 ? "cvttpd2dq" : p == 2 ? "cvtdq2pd" : p == 3 ? "cvtpd2dq" : NULL;
  case 0xE7: return p == 1 ? "movntdq" : NULL;
  case 0xF0: return p == 3 ? "lddqu" : NULL;
  default: return NULL;
  }
}

// Memory operand size objdump shows for an 0F-map SSE opcode.
static int sse_mem_size(int op2, int p, int q) {
  int full = 16;
  switch (op2) {
  case 0x10: case 0x11: case 0x51: case 0x52: case 0x53: case 0x58: case 0x59: case 0x5C: case 0x5D: case 0x5E:
  case 0x5F: case 0xC2: return p == 2 ? 4 : p == 3 ? 8 : full;
  case 0x12: case 0x13: case 0x16: case 0x17: return p == 2 ? full : 8;
  case 0x2A: return q ? 8 : 4;
  case 0x2C: case 0x2D: return p == 3 ? 8 : 4;
  case 0x2E: case 0x2F: return p == 1 ? 8 : 4;
  case 0x5A: return p == 2 ? 4 : p == 3 || p == 0 ? 8 : full;
  case 0x6E: case 0x7E: return p == 2 ? 8 : q ? 8 : 4;
  case 0xD6: return 8;
  case 0xC4: case 0xC5: return 2;
  case 0xE6: return p == 2 ? 8 : full;
  case 0xF0: return 0; // lddqu: objdump gives no size
  default: return full;
  }
}

// MMX forms (no prefix) and the MMX<->XMM conversions.
static int disasm_mmx(struct out *o, const struct insn *in, uint64_t next) {
  int op2 = in->op & 0xFF, p66 = (in->pfx & PFX_66) != 0, q = (in->pfx & PFX_REXW) != 0;
  if (op2 == 0x2A || op2 == 0x2C || op2 == 0x2D) {
    static const char *const names[2][3] = {{"cvtpi2ps", "cvttps2pi", "cvtps2pi"}, {"cvtpi2pd", "cvttpd2pi", "cvtpd2pi"}};
    const char *name = names[p66][op2 == 0x2A ? 0 : op2 - 0x2B];
    if (op2 == 0x2A) put(o, "%s xmm%d, ", name, in->reg);
    else put(o, "%s mm%d, ", name, in->reg & 7);
    if (in->mod == 3 && op2 == 0x2A) put(o, "mm%d", in->rm & 7);
    else if (in->mod == 3) put(o, "xmm%d", in->rm);
    else mem_operand(o, in, p66 && op2 != 0x2A ? 16 : 8, next);
    return 1;
  }
  if (op2 == 0xD6) {
    if (in->mod != 3) return 0;
    if (in->pfx & PFX_F3) put(o, "movq2dq xmm%d, mm%d", in->reg, in->rm & 7);
    else put(o, "movdq2q mm%d, xmm%d", in->reg & 7, in->rm);
    return 1;
  }
  const char *name = NULL;
  int store = 0, gsrc = 0, gdst = 0, imm = 0, size = 8;
  switch (op2) {
  case 0x6E: name = q ? "movq" : "movd"; gsrc = 1; size = q ? 8 : 4; break;
  case 0x7E: name = q ? "movq" : "movd"; gsrc = 1; store = 1; size = q ? 8 : 4; break;
  case 0x6F: name = "movq"; break;
  case 0x7F: name = "movq"; store = 1; break;
  case 0xE7: name = "movntq"; store = 1; break;
  case 0x70: name = "pshufw"; imm = 1; break;
  case 0xC4: name = "pinsrw"; gsrc = 1; imm = 1; size = 2; break;
  case 0xC5: name = "pextrw"; gdst = 1; imm = 1; break;
  case 0xD7: name = "pmovmskb"; gdst = 1; break;
  case 0xF7: name = "maskmovq"; break;
  default:
    name = sse_name(op2, 1, in->mod == 3);
    if (op2 >= 0x60 && op2 <= 0x62) size = 4; // punpckl*: the low halves only
    break;
  }
  if (!name || (op2 >= 0x71 && op2 <= 0x73) || op2 == 0x6C || op2 == 0x6D || op2 == 0xD6 || op2 == 0xE6) return 0;
  put(o, "%s ", name);
  if (store) {
    if (in->mod == 3 && gsrc) put(o, "%s", regname(in, in->rm, q ? 8 : 4));
    else if (in->mod == 3) put(o, "mm%d", in->rm & 7);
    else mem_operand(o, in, size, next);
    put(o, ", mm%d", in->reg & 7);
    return 1;
  }
  if (gdst) put(o, "%s, ", regname(in, in->reg, op2 == 0xD7 && q ? 8 : 4));
  else put(o, "mm%d, ", in->reg & 7);
  if (in->mod == 3 && gsrc) put(o, "%s", regname(in, in->rm, q ? 8 : 4));
  else if (in->mod == 3) put(o, "mm%d", in->rm & 7);
  else mem_operand(o, in, size, next);
  if (imm) put(o, ", 0x%x", (unsigned)(in->imm & 0xFF));
  return 1;
}

// 0F-map SSE instructions (legacy encodings; VEX ones are disasm_vex's).
// Returns 0 when it has no name.
static NOINLINE int disasm_sse(struct out *o, const struct insn *in, uint64_t next) {
  int op2 = in->op & 0xFF, mod3 = in->mod == 3;
  int p = (in->pfx & PFX_F3) ? 2 : (in->pfx & PFX_F2) ? 3 : (in->pfx & PFX_66) ? 1 : 0;
  int q = (in->pfx & PFX_REXW) != 0;
  const char *x = "xmm";
  if (op2 == 0x77) {
    put(o, "emms");
    return 1;
  }
  int mmx = ((p == 0 && ((op2 >= 0x60 && op2 <= 0x7F && op2 != 0x77) || op2 == 0xC4 || op2 == 0xC5 || op2 >= 0xD0)) ||
                      ((op2 == 0x2A || op2 == 0x2C || op2 == 0x2D) && p < 2) || (op2 == 0xD6 && p >= 2));
  if (mmx && !(op2 >= 0x71 && op2 <= 0x73)) return disasm_mmx(o, in, next);
  if (mmx) x = "mm";
  if (op2 >= 0x71 && op2 <= 0x73) { // shifts by immediate: /2 /4 /6, and the 73 byte shifts /3 /7
    static const char *const g[3][8] = {{NULL, NULL, "psrlw", NULL, "psraw", NULL, "psllw", NULL},
                                        {NULL, NULL, "psrld", NULL, "psrad", NULL, "pslld", NULL},
                                        {NULL, NULL, "psrlq", "psrldq", NULL, NULL, "psllq", "pslldq"}};
    const char *name = g[op2 - 0x71][in->reg & 7];
    if (!name || (p != 1 && !mmx) || !mod3 || (mmx && (in->reg & 7) != 2 && (in->reg & 7) != 4 && (in->reg & 7) != 6))
      return 0;
    put(o, "%s ", name);
    put(o, "%s%d, 0x%x", x, mmx ? in->rm & 7 : in->rm, (unsigned)(in->imm & 0xFF));
    return 1;
  }
  const char *name = sse_name(op2, p, mod3);
  if (!name) return 0;
  char cmpname[24];
  int imm = op2 == 0x70 || op2 == 0xC4 || op2 == 0xC5 || op2 == 0xC6;
  if (op2 == 0xC2) {
    static const char *const pred[8] = {"eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord"};
    static const char *const sfx[] = {"ps", "pd", "ss", "sd"};
    if ((in->imm & 0xFF) < 8) fmt_snprintf(cmpname, sizeof cmpname, "cmp%s%s", pred[in->imm & 7], sfx[p]);
    else fmt_snprintf(cmpname, sizeof cmpname, "cmp%s", sfx[p]), imm = 1;
    name = cmpname;
  }
  if ((op2 == 0x6E || op2 == 0x7E) && p != 2 && q) name = "movq";
  int size = sse_mem_size(op2, p, q);
  int gpr_sz = q ? 8 : 4;
  // Operand kinds: 'x' vector register, 'g' general register.
  char rk = 'x', mk = 'x';
  if (op2 == 0x2C || op2 == 0x2D || op2 == 0x50 || op2 == 0xD7 || op2 == 0xC5) rk = 'g';
  if (op2 == 0x2A || op2 == 0x6E || op2 == 0xC4 || (op2 == 0x7E && p != 2)) mk = 'g';
  if (op2 == 0xC4) gpr_sz = 4;
  if (op2 == 0xC5) gpr_sz = 4; // movmskps/pd, pmovmskb: REX.W names the 64-bit register
  int store = op2 == 0x11 || op2 == 0x13 || op2 == 0x17 || op2 == 0x29 || op2 == 0x2B || op2 == 0x7F ||
              op2 == 0xE7 || (op2 == 0x7E && p != 2) || (op2 == 0xD6 && p == 1);
  put(o, "%s ", name);
  // destination
  if (store) {
    if (mod3 && mk == 'g') put(o, "%s", regname(in, in->rm, gpr_sz));
    else if (mod3) put(o, "%s%d", x, in->rm);
    else mem_operand(o, in, size, next);
    put(o, ", %s%d", x, in->reg);
    return 1;
  }
  if (rk == 'g') put(o, "%s, ", regname(in, in->reg, gpr_sz));
  else put(o, "%s%d, ", x, in->reg);
  if (mod3) {
    if (mk == 'g') put(o, "%s", regname(in, in->rm, gpr_sz));
    else put(o, "%s%d", x, in->rm);
  } else {
    mem_operand(o, in, size, next);
  }
  if (imm) put(o, ", 0x%x", (unsigned)(in->imm & 0xFF));
  return 1;
}

// 0F38 and 0F3A vector opcodes (66 prefix), SSE4.1/4.2, SSSE3, AES, SHA-less.
static const char *ext_name(int op) {
  switch (op) {
  case 0x200: return "pshufb"; case 0x201: return "phaddw"; case 0x202: return "phaddd";
  case 0x203: return "phaddsw"; case 0x204: return "pmaddubsw"; case 0x205: return "phsubw";
  case 0x206: return "phsubd"; case 0x207: return "phsubsw"; case 0x208: return "psignb";
  case 0x209: return "psignw"; case 0x20A: return "psignd"; case 0x20B: return "pmulhrsw";
  case 0x210: return "pblendvb"; case 0x214: return "blendvps"; case 0x215: return "blendvpd";
  case 0x217: return "ptest"; case 0x21C: return "pabsb"; case 0x21D: return "pabsw"; case 0x21E: return "pabsd";
  case 0x220: return "pmovsxbw"; case 0x221: return "pmovsxbd"; case 0x222: return "pmovsxbq";
  case 0x223: return "pmovsxwd"; case 0x224: return "pmovsxwq"; case 0x225: return "pmovsxdq";
  case 0x228: return "pmuldq"; case 0x229: return "pcmpeqq"; case 0x22A: return "movntdqa";
  case 0x22B: return "packusdw"; case 0x230: return "pmovzxbw"; case 0x231: return "pmovzxbd";
  case 0x232: return "pmovzxbq"; case 0x233: return "pmovzxwd"; case 0x234: return "pmovzxwq";
  case 0x235: return "pmovzxdq"; case 0x237: return "pcmpgtq"; case 0x238: return "pminsb";
  case 0x239: return "pminsd"; case 0x23A: return "pminuw"; case 0x23B: return "pminud";
  case 0x23C: return "pmaxsb"; case 0x23D: return "pmaxsd"; case 0x23E: return "pmaxuw";
  case 0x23F: return "pmaxud"; case 0x240: return "pmulld"; case 0x241: return "phminposuw";
  case 0x2DB: return "aesimc"; case 0x2DC: return "aesenc"; case 0x2DD: return "aesenclast";
  case 0x2DE: return "aesdec"; case 0x2DF: return "aesdeclast";
  case 0x308: return "roundps"; case 0x309: return "roundpd"; case 0x30A: return "roundss";
  case 0x30B: return "roundsd"; case 0x30C: return "blendps"; case 0x30D: return "blendpd";
  case 0x30E: return "pblendw"; case 0x30F: return "palignr"; case 0x314: return "pextrb";
  case 0x315: return "pextrw"; case 0x316: return "pextrd"; case 0x317: return "extractps";
  case 0x320: return "pinsrb"; case 0x321: return "insertps"; case 0x322: return "pinsrd";
  case 0x340: return "dpps"; case 0x341: return "dppd"; case 0x342: return "mpsadbw";
  case 0x344: return "pclmulqdq"; case 0x360: return "pcmpestrm"; case 0x361: return "pcmpestri";
  case 0x362: return "pcmpistrm"; case 0x363: return "pcmpistri"; case 0x3DF: return "aeskeygenassist";
  default: return NULL;
  }
}

// VEX general-register instructions (BMI1, BMI2).
static int disasm_vex_gpr(struct out *o, const struct insn *in, uint64_t next) {
  int sz = (in->pfx & PFX_REXW) ? 8 : 4, op = in->op;
  int pp = (in->pfx & PFX_F2) ? 3 : (in->pfx & PFX_F3) ? 2 : (in->pfx & PFX_66) ? 1 : 0;
  const char *r = regname(in, in->reg, sz), *v = regname(in, in->vex_v, sz);
  switch (op) {
  case 0x2F2: put(o, "andn %s, %s, ", r, v); rm_operand(o, in, sz, next); return 1;
  case 0x2F3: {
    static const char *const names[4] = {NULL, "blsr", "blsmsk", "blsi"};
    int k = in->reg & 7;
    if (k < 1 || k > 3) return 0;
    put(o, "%s %s, ", names[k], v);
    rm_operand(o, in, sz, next);
    return 1;
  }
  case 0x2F5: case 0x2F6: case 0x2F7: {
    static const char *const f5[4] = {"bzhi", NULL, "pext", "pdep"};
    static const char *const f7[4] = {"bextr", "shlx", "sarx", "shrx"};
    const char *name = op == 0x2F5 ? f5[pp] : op == 0x2F7 ? f7[pp] : pp == 3 ? "mulx" : NULL;
    if (!name) return 0;
    if (op == 0x2F6 || (op == 0x2F5 && pp >= 2)) { // reg, vvvv, r/m
      put(o, "%s %s, %s, ", name, r, v);
      rm_operand(o, in, sz, next);
    } else { // reg, r/m, vvvv
      put(o, "%s %s, ", name, r);
      rm_operand(o, in, sz, next);
      put(o, ", %s", v);
    }
    return 1;
  }
  case 0x3F0:
    if (pp != 3) return 0;
    put(o, "rorx %s, ", r);
    rm_operand(o, in, sz, next);
    put(o, ", 0x%x", (unsigned)(in->imm & 0xFF));
    return 1;
  default: return 0;
  }
}

// SHA (0F38 C8-CD, 0F3A CC, no prefix) and GFNI (66 0F38 CF, 66 0F3A CE/CF).
static int disasm_sha_gfni(struct out *o, const struct insn *in, uint64_t next) {
  static const char *const sha[6] = {"sha1nexte", "sha1msg1", "sha1msg2", "sha256rnds2", "sha256msg1", "sha256msg2"};
  int op = in->op, p66 = (in->pfx & (PFX_66 | PFX_F2 | PFX_F3)) == PFX_66, none = !(in->pfx & (PFX_66 | PFX_F2 | PFX_F3));
  const char *name = op >= 0x2C8 && op <= 0x2CD && none ? sha[op - 0x2C8]
                     : op == 0x3CC && none                ? "sha1rnds4"
                     : op == 0x2CF && p66                 ? "gf2p8mulb"
                     : op == 0x3CE && p66                 ? "gf2p8affineqb"
                     : op == 0x3CF && p66                 ? "gf2p8affineinvqb"
                                                          : NULL;
  if (!name) return 0;
  put(o, "%s xmm%d, ", name, in->reg);
  if (in->mod == 3) put(o, "xmm%d", in->rm);
  else mem_operand(o, in, 16, next);
  if (op >= 0x300) put(o, ", 0x%x", (unsigned)(in->imm & 0xFF));
  if (op == 0x2CB) put(o, ", xmm0");
  return 1;
}

// The 0F38/0F3A maps, legacy encodings (VEX ones are disasm_vex's). Returns
// 0 when it has no name for the instruction (the caller prints a generic form).
static NOINLINE int disasm_ext(struct out *o, const struct insn *in, uint64_t next) {
  int op = in->op, pp = (in->pfx & PFX_F2) ? 3 : (in->pfx & PFX_F3) ? 2 : (in->pfx & PFX_66) ? 1 : 0;
  int sz = in->osz;
  switch (op) {
  case 0x2F0: case 0x2F1:
    if (pp == 3) {
      put(o, "crc32 %s, ", regname(in, in->reg, (in->pfx & PFX_REXW) ? 8 : 4));
      rm_operand(o, in, op == 0x2F0 ? 1 : sz, next);
    } else if (op == 0x2F0) {
      put(o, "movbe %s, ", regname(in, in->reg, sz));
      rm_operand(o, in, sz, next);
    } else {
      put(o, "movbe ");
      rm_operand(o, in, sz, next);
      put(o, ", %s", regname(in, in->reg, sz));
    }
    return 1;
  case 0x2F6:
    if (pp != 1 && pp != 2) return 0;
    put(o, "%s %s, ", pp == 1 ? "adcx" : "adox", regname(in, in->reg, (in->pfx & PFX_REXW) ? 8 : 4));
    rm_operand(o, in, (in->pfx & PFX_REXW) ? 8 : 4, next);
    return 1;
  default: break;
  }
  if (disasm_sha_gfni(o, in, next)) return 1;
  const char *name = ext_name(op);
  if (!name) return 0;
  int q = (in->pfx & PFX_REXW) != 0;
  if (q && op == 0x316) name = "pextrq";
  if (q && op == 0x322) name = "pinsrq";
  if (q && op == 0x360) name = "pcmpestrmq";
  if (q && op == 0x361) name = "pcmpestriq";
  const char *x = "xmm";
  unsigned imm8 = (unsigned)(in->imm & 0xFF);
  if (op == 0x344 && (imm8 & 0xEE) == 0) { // objdump's pseudo-ops for the four qword pairs
    put(o, "pclmul%sq%sqdq xmm%d, ", (imm8 & 1) ? "h" : "l", (imm8 & 0x10) ? "h" : "l", in->reg);
    if (in->mod == 3) put(o, "xmm%d", in->rm);
    else mem_operand(o, in, 16, next);
    return 1;
  }
  if (!(in->pfx & PFX_66)) { // SSSE3 on MMX registers
    if (!((op >= 0x200 && op <= 0x20B) || (op >= 0x21C && op <= 0x21E) || op == 0x30F)) return 0;
    put(o, "%s mm%d, ", name, in->reg & 7);
    if (in->mod == 3) put(o, "mm%d", in->rm & 7);
    else mem_operand(o, in, 8, next);
    if (op == 0x30F) put(o, ", 0x%x", (unsigned)(in->imm & 0xFF));
    return 1;
  }
  if (op >= 0x314 && op <= 0x317) { // extracts: r/m, xmm, imm8
    int esz = op == 0x314 ? 1 : op == 0x315 ? 2 : (op == 0x316 && q) ? 8 : 4;
    put(o, "%s ", name);
    if (in->mod == 3) put(o, "%s", regname(in, in->rm, esz == 8 ? 8 : 4));
    else mem_operand(o, in, esz, next);
    put(o, ", %s%d, 0x%x", x, in->reg, (unsigned)(in->imm & 0xFF));
    return 1;
  }
  put(o, "%s %s%d, ", name, x, in->reg);
  if (op == 0x320 || op == 0x322) {
    if (in->mod == 3) put(o, "%s", regname(in, in->rm, q && op == 0x322 ? 8 : 4));
    else mem_operand(o, in, op == 0x320 ? 1 : q ? 8 : 4, next);
  } else if (in->mod == 3) {
    put(o, "%s%d", x, in->rm);
  } else { // memory: pmovsx/zx read 8, 4 or 2 bytes; scalar round 4/8; insertps 4
    static const uint8_t pmov[6] = {8, 4, 2, 8, 4, 8};
    int k = op & 0xFF, size = 16;
    if ((k >= 0x20 && k <= 0x25) || (k >= 0x30 && k <= 0x35)) size = pmov[k & 7];
    if (op == 0x30A || op == 0x321) size = 4;
    if (op == 0x30B) size = 8;
    mem_operand(o, in, size, next);
  }
  if (op >= 0x300 || op == 0x170 || op == 0x1C2 || op == 0x1C4 || op == 0x1C5 || op == 0x1C6 ||
      (op >= 0x171 && op <= 0x173))
    put(o, ", 0x%x", (unsigned)(in->imm & 0xFF));
  else if (op == 0x210 || op == 0x214 || op == 0x215)
    put(o, ", xmm0");
  return 1;
}

// Length of an EVEX (AVX-512) instruction, or of a VEX one of a map
// vex_parse does not know (both raise #UD here), so a listing stays in step:
// prefixes, the 4- or 2/3-byte prefix, opcode, ModRM/SIB/displacement and an
// imm8. -1 if not one.
static int vex_evex_len(const uint8_t *p, int n) {
  int i = 0;
  while (i < n && (p[i] == 0x66 || p[i] == 0x67 || p[i] == 0xF2 || p[i] == 0xF3 || p[i] == 0x2E || p[i] == 0x3E ||
                   p[i] == 0x26 || p[i] == 0x36 || p[i] == 0x64 || p[i] == 0x65))
    i++;
  if (i >= n) return -1;
  int map, modrm = 1;
  if (p[i] == 0x62) {
    if (i + 5 > n) return -1;
    map = p[i + 1] & 7;
    i += 4;
  } else if (p[i] == 0xC4 || p[i] == 0xC5) {
    if (i + 3 > n) return -1;
    map = p[i] == 0xC5 ? 1 : p[i + 1] & 0x1F;
    i += p[i] == 0xC5 ? 2 : 3;
  } else {
    return -1;
  }
  if (map < 1 || map > 3 || i >= n) return -1;
  uint8_t op = p[i++];
  int imm = map == 3 || (map == 1 && ((op >= 0x70 && op <= 0x73) || op == 0xC2 || (op >= 0xC4 && op <= 0xC6)));
  if (map == 1 && op == 0x77) modrm = 0;
  if (modrm) {
    if (i >= n) return -1;
    int m = p[i++], mod = m >> 6, rm = m & 7;
    if (mod != 3) {
      if (rm == 4) {
        if (i >= n) return -1;
        if ((p[i] & 7) == 5 && mod == 0) i += 4;
        i++;
      } else if (rm == 5 && mod == 0) {
        i += 4;
      }
      i += mod == 1 ? 1 : mod == 2 ? 4 : 0;
    }
  }
  i += imm;
  return i <= n && i <= 15 ? i : -1;
}

// ---- VEX vector instructions (AVX, AVX2, FMA, FMA4, F16C, VEX forms of
// AES/PCLMUL/GFNI/VNNI, AVX-512 opmask instructions) -------------------------
//
// One table row per (map, opcode, pp) and, where the mnemonic or operands
// change with them, per W, L, register/memory form or ModRM.reg digit.
// Operands are a string, one letter each (SDM vol. 2 operand encodings):
//   V X G g K  ModRM.reg as vector (VEX.L width), xmm, GPR (W: 64/32), r32, mask k
//   H h B k    VEX.vvvv as vector, xmm, GPR (W), mask k
//   W w E e Q  ModRM.rm as vector or memory, xmm or memory, GPR (W) or memory,
//              r32 or memory, mask k or memory
//   U u R      ModRM.rm register only: vector, xmm, mask k
//   M          memory only
//   S s        VSIB memory (gathers) with a vector index of VEX.L width / xmm
//   L l        register in imm8[7:4] as vector / xmm
//   I i        imm8, imm8[3:0] (vpermil2ps/pd)
//   T j t      AMX tile: ModRM.reg, VEX.vvvv, ModRM.rm (register only)
// A form with M/S/s in a register encoding, or U/u/R in a memory one, is
// #UD and shows "(bad)".
enum {
  VC_W0 = 1, VC_W1 = 2, VC_L0 = 4, VC_L1 = 8, VC_MEM = 16, VC_REG = 32, // constraints
};
enum {
  VF_PRED = 1,  // vcmpXX: imm8 < 32 becomes the predicate pseudo-op
  VF_CLMUL = 2, // vpclmulqdq: imm8 0x00/0x01/0x10/0x11 pseudo-ops
};
// Memory operand sizes beyond the literal byte counts.
enum { MS_VL = 64, MS_HALF, MS_QUARTER, MS_EIGHTH, MS_WD, MS_DUP };
#define PP_ANY 4

struct vex_entry {
  uint16_t key;          // map << 8 | opcode
  uint8_t pp, cons, sub; // pp (PP_ANY); VC_* constraints; ModRM.reg digit + 1 (0 any)
  uint8_t msz, flags;
  const char *form, *name;
};

#define VE(map, op, pp, cons, form, msz, name) {(map) << 8 | (op), pp, cons, 0, msz, 0, form, name}
#define VG(map, op, pp, digit, form, msz, name) {(map) << 8 | (op), pp, 0, (digit) + 1, msz, 0, form, name}
#define VX(map, op, pp, cons, form, msz, flags, name) {(map) << 8 | (op), pp, cons, 0, msz, flags, form, name}
// The four forms of a packed/scalar single/double operation.
#define VPS4(op, nm)                                                                                  \
  VE(1, op, 0, 0, "VHW", MS_VL, "v" nm "ps"), VE(1, op, 1, 0, "VHW", MS_VL, "v" nm "pd"),           \
      VE(1, op, 2, 0, "Xhw", 4, "v" nm "ss"), VE(1, op, 3, 0, "Xhw", 8, "v" nm "sd")
#define VPS2(op, nm) VE(1, op, 0, 0, "VHW", MS_VL, "v" nm "ps"), VE(1, op, 1, 0, "VHW", MS_VL, "v" nm "pd")
#define V66(map, op, nm) VE(map, op, 1, 0, "VHW", MS_VL, nm)
#define VPMOV(op, nm, msz) VE(2, op, 1, 0, "Vw", msz, nm)
// AVX-512 opmask instructions: pp 0 word/quad, pp 1 byte/dword by W.
#define VK4(op, form, cons, nm)                                                                       \
  VE(1, op, 0, (cons) | VC_W0, form, 0, nm "w"), VE(1, op, 0, (cons) | VC_W1, form, 0, nm "q"),     \
      VE(1, op, 1, (cons) | VC_W0, form, 0, nm "b"), VE(1, op, 1, (cons) | VC_W1, form, 0, nm "d")

static const struct vex_entry vex_table[] = {
    // 0F map
    VE(1, 0x10, 0, 0, "VW", MS_VL, "vmovups"), VE(1, 0x10, 1, 0, "VW", MS_VL, "vmovupd"),
    VE(1, 0x10, 2, VC_MEM, "Xw", 4, "vmovss"), VE(1, 0x10, 2, VC_REG, "Xhw", 4, "vmovss"),
    VE(1, 0x10, 3, VC_MEM, "Xw", 8, "vmovsd"), VE(1, 0x10, 3, VC_REG, "Xhw", 8, "vmovsd"),
    VE(1, 0x11, 0, 0, "WV", MS_VL, "vmovups"), VE(1, 0x11, 1, 0, "WV", MS_VL, "vmovupd"),
    VE(1, 0x11, 2, VC_MEM, "wX", 4, "vmovss"), VE(1, 0x11, 2, VC_REG, "WhX", 4, "vmovss"),
    VE(1, 0x11, 3, VC_MEM, "wX", 8, "vmovsd"), VE(1, 0x11, 3, VC_REG, "WhX", 8, "vmovsd"),
    VE(1, 0x12, 0, VC_MEM, "XhM", 8, "vmovlps"), VE(1, 0x12, 0, VC_REG, "Xhu", 8, "vmovhlps"),
    VE(1, 0x12, 1, 0, "XhM", 8, "vmovlpd"), VE(1, 0x12, 2, 0, "VW", MS_VL, "vmovsldup"),
    VE(1, 0x12, 3, 0, "VW", MS_DUP, "vmovddup"),
    VE(1, 0x13, 0, 0, "MX", 8, "vmovlps"), VE(1, 0x13, 1, 0, "MX", 8, "vmovlpd"),
    VPS2(0x14, "unpckl"), VPS2(0x15, "unpckh"),
    VE(1, 0x16, 0, VC_MEM, "XhM", 8, "vmovhps"), VE(1, 0x16, 0, VC_REG, "Xhu", 8, "vmovlhps"),
    VE(1, 0x16, 1, 0, "XhM", 8, "vmovhpd"), VE(1, 0x16, 2, 0, "VW", MS_VL, "vmovshdup"),
    VE(1, 0x17, 0, 0, "MX", 8, "vmovhps"), VE(1, 0x17, 1, 0, "MX", 8, "vmovhpd"),
    VE(1, 0x28, 0, 0, "VW", MS_VL, "vmovaps"), VE(1, 0x28, 1, 0, "VW", MS_VL, "vmovapd"),
    VE(1, 0x29, 0, 0, "WV", MS_VL, "vmovaps"), VE(1, 0x29, 1, 0, "WV", MS_VL, "vmovapd"),
    VE(1, 0x2A, 2, 0, "XhE", MS_WD, "vcvtsi2ss"), VE(1, 0x2A, 3, 0, "XhE", MS_WD, "vcvtsi2sd"),
    VE(1, 0x2B, 0, 0, "MV", MS_VL, "vmovntps"), VE(1, 0x2B, 1, 0, "MV", MS_VL, "vmovntpd"),
    VE(1, 0x2C, 2, 0, "Gw", 4, "vcvttss2si"), VE(1, 0x2C, 3, 0, "Gw", 8, "vcvttsd2si"),
    VE(1, 0x2D, 2, 0, "Gw", 4, "vcvtss2si"), VE(1, 0x2D, 3, 0, "Gw", 8, "vcvtsd2si"),
    VE(1, 0x2E, 0, 0, "Xw", 4, "vucomiss"), VE(1, 0x2E, 1, 0, "Xw", 8, "vucomisd"),
    VE(1, 0x2F, 0, 0, "Xw", 4, "vcomiss"), VE(1, 0x2F, 1, 0, "Xw", 8, "vcomisd"),
    VK4(0x41, "KkR", VC_L1, "kand"), VK4(0x42, "KkR", VC_L1, "kandn"), VK4(0x44, "KR", VC_L0, "knot"),
    VK4(0x45, "KkR", VC_L1, "kor"), VK4(0x46, "KkR", VC_L1, "kxnor"), VK4(0x47, "KkR", VC_L1, "kxor"),
    VK4(0x4A, "KkR", VC_L1, "kadd"),
    VE(1, 0x4B, 0, VC_W0 | VC_L1, "KkR", 0, "kunpckwd"), VE(1, 0x4B, 0, VC_W1 | VC_L1, "KkR", 0, "kunpckdq"),
    VE(1, 0x4B, 1, VC_W0 | VC_L1, "KkR", 0, "kunpckbw"),
    VE(1, 0x50, 0, 0, "GU", 0, "vmovmskps"), VE(1, 0x50, 1, 0, "GU", 0, "vmovmskpd"),
    VE(1, 0x51, 0, 0, "VW", MS_VL, "vsqrtps"), VE(1, 0x51, 1, 0, "VW", MS_VL, "vsqrtpd"),
    VE(1, 0x51, 2, 0, "Xhw", 4, "vsqrtss"), VE(1, 0x51, 3, 0, "Xhw", 8, "vsqrtsd"),
    VE(1, 0x52, 0, 0, "VW", MS_VL, "vrsqrtps"), VE(1, 0x52, 2, 0, "Xhw", 4, "vrsqrtss"),
    VE(1, 0x53, 0, 0, "VW", MS_VL, "vrcpps"), VE(1, 0x53, 2, 0, "Xhw", 4, "vrcpss"),
    VPS2(0x54, "and"), VPS2(0x55, "andn"), VPS2(0x56, "or"), VPS2(0x57, "xor"),
    VPS4(0x58, "add"), VPS4(0x59, "mul"),
    VE(1, 0x5A, 0, 0, "Vw", MS_HALF, "vcvtps2pd"), VE(1, 0x5A, 1, 0, "XW", MS_VL, "vcvtpd2ps"),
    VE(1, 0x5A, 2, 0, "Xhw", 4, "vcvtss2sd"), VE(1, 0x5A, 3, 0, "Xhw", 8, "vcvtsd2ss"),
    VE(1, 0x5B, 0, 0, "VW", MS_VL, "vcvtdq2ps"), VE(1, 0x5B, 1, 0, "VW", MS_VL, "vcvtps2dq"),
    VE(1, 0x5B, 2, 0, "VW", MS_VL, "vcvttps2dq"),
    VPS4(0x5C, "sub"), VPS4(0x5D, "min"), VPS4(0x5E, "div"), VPS4(0x5F, "max"),
    V66(1, 0x60, "vpunpcklbw"), V66(1, 0x61, "vpunpcklwd"), V66(1, 0x62, "vpunpckldq"), V66(1, 0x63, "vpacksswb"),
    V66(1, 0x64, "vpcmpgtb"), V66(1, 0x65, "vpcmpgtw"), V66(1, 0x66, "vpcmpgtd"), V66(1, 0x67, "vpackuswb"),
    V66(1, 0x68, "vpunpckhbw"), V66(1, 0x69, "vpunpckhwd"), V66(1, 0x6A, "vpunpckhdq"), V66(1, 0x6B, "vpackssdw"),
    V66(1, 0x6C, "vpunpcklqdq"), V66(1, 0x6D, "vpunpckhqdq"),
    VE(1, 0x6E, 1, VC_W0, "Xe", 4, "vmovd"), VE(1, 0x6E, 1, VC_W1, "XE", 8, "vmovq"),
    VE(1, 0x6F, 1, 0, "VW", MS_VL, "vmovdqa"), VE(1, 0x6F, 2, 0, "VW", MS_VL, "vmovdqu"),
    VE(1, 0x70, 1, 0, "VWI", MS_VL, "vpshufd"), VE(1, 0x70, 2, 0, "VWI", MS_VL, "vpshufhw"),
    VE(1, 0x70, 3, 0, "VWI", MS_VL, "vpshuflw"),
    VG(1, 0x71, 1, 2, "HUI", 0, "vpsrlw"), VG(1, 0x71, 1, 4, "HUI", 0, "vpsraw"), VG(1, 0x71, 1, 6, "HUI", 0, "vpsllw"),
    VG(1, 0x72, 1, 2, "HUI", 0, "vpsrld"), VG(1, 0x72, 1, 4, "HUI", 0, "vpsrad"), VG(1, 0x72, 1, 6, "HUI", 0, "vpslld"),
    VG(1, 0x73, 1, 2, "HUI", 0, "vpsrlq"), VG(1, 0x73, 1, 3, "HUI", 0, "vpsrldq"), VG(1, 0x73, 1, 6, "HUI", 0, "vpsllq"),
    VG(1, 0x73, 1, 7, "HUI", 0, "vpslldq"),
    V66(1, 0x74, "vpcmpeqb"), V66(1, 0x75, "vpcmpeqw"), V66(1, 0x76, "vpcmpeqd"),
    VE(1, 0x77, PP_ANY, VC_L0, "", 0, "vzeroupper"), VE(1, 0x77, PP_ANY, VC_L1, "", 0, "vzeroall"),
    VE(1, 0x7C, 1, 0, "VHW", MS_VL, "vhaddpd"), VE(1, 0x7C, 3, 0, "VHW", MS_VL, "vhaddps"),
    VE(1, 0x7D, 1, 0, "VHW", MS_VL, "vhsubpd"), VE(1, 0x7D, 3, 0, "VHW", MS_VL, "vhsubps"),
    VE(1, 0x7E, 1, VC_W0, "eX", 4, "vmovd"), VE(1, 0x7E, 1, VC_W1, "EX", 8, "vmovq"),
    VE(1, 0x7E, 2, 0, "Xw", 8, "vmovq"),
    VE(1, 0x7F, 1, 0, "WV", MS_VL, "vmovdqa"), VE(1, 0x7F, 2, 0, "WV", MS_VL, "vmovdqu"),
    VE(1, 0x90, 0, VC_W0 | VC_L0, "KQ", 2, "kmovw"), VE(1, 0x90, 0, VC_W1 | VC_L0, "KQ", 8, "kmovq"),
    VE(1, 0x90, 1, VC_W0 | VC_L0, "KQ", 1, "kmovb"), VE(1, 0x90, 1, VC_W1 | VC_L0, "KQ", 4, "kmovd"),
    VE(1, 0x91, 0, VC_W0 | VC_L0, "MK", 2, "kmovw"), VE(1, 0x91, 0, VC_W1 | VC_L0, "MK", 8, "kmovq"),
    VE(1, 0x91, 1, VC_W0 | VC_L0, "MK", 1, "kmovb"), VE(1, 0x91, 1, VC_W1 | VC_L0, "MK", 4, "kmovd"),
    VE(1, 0x92, 0, VC_W0 | VC_L0 | VC_REG, "Ke", 0, "kmovw"), VE(1, 0x92, 1, VC_W0 | VC_L0 | VC_REG, "Ke", 0, "kmovb"),
    VE(1, 0x92, 3, VC_W0 | VC_L0 | VC_REG, "Ke", 0, "kmovd"), VE(1, 0x92, 3, VC_W1 | VC_L0 | VC_REG, "KE", 0, "kmovq"),
    VE(1, 0x93, 0, VC_W0 | VC_L0, "gR", 0, "kmovw"), VE(1, 0x93, 1, VC_W0 | VC_L0, "gR", 0, "kmovb"),
    VE(1, 0x93, 3, VC_W0 | VC_L0, "gR", 0, "kmovd"), VE(1, 0x93, 3, VC_W1 | VC_L0, "GR", 0, "kmovq"),
    VK4(0x98, "KR", VC_L0, "kortest"), VK4(0x99, "KR", VC_L0, "ktest"),
    VG(1, 0xAE, PP_ANY, 2, "M", 4, "vldmxcsr"), VG(1, 0xAE, PP_ANY, 3, "M", 4, "vstmxcsr"),
    VX(1, 0xC2, 0, 0, "VHWI", MS_VL, VF_PRED, "vcmpps"), VX(1, 0xC2, 1, 0, "VHWI", MS_VL, VF_PRED, "vcmppd"),
    VX(1, 0xC2, 2, 0, "XhwI", 4, VF_PRED, "vcmpss"), VX(1, 0xC2, 3, 0, "XhwI", 8, VF_PRED, "vcmpsd"),
    VE(1, 0xC4, 1, 0, "XheI", 2, "vpinsrw"), VE(1, 0xC5, 1, 0, "guI", 0, "vpextrw"),
    VE(1, 0xC6, 0, 0, "VHWI", MS_VL, "vshufps"), VE(1, 0xC6, 1, 0, "VHWI", MS_VL, "vshufpd"),
    VE(1, 0xD0, 1, 0, "VHW", MS_VL, "vaddsubpd"), VE(1, 0xD0, 3, 0, "VHW", MS_VL, "vaddsubps"),
    VE(1, 0xD1, 1, 0, "VHw", 16, "vpsrlw"), VE(1, 0xD2, 1, 0, "VHw", 16, "vpsrld"), VE(1, 0xD3, 1, 0, "VHw", 16, "vpsrlq"),
    V66(1, 0xD4, "vpaddq"), V66(1, 0xD5, "vpmullw"), VE(1, 0xD6, 1, 0, "wX", 8, "vmovq"),
    VE(1, 0xD7, 1, 0, "GU", 0, "vpmovmskb"),
    V66(1, 0xD8, "vpsubusb"), V66(1, 0xD9, "vpsubusw"), V66(1, 0xDA, "vpminub"), V66(1, 0xDB, "vpand"),
    V66(1, 0xDC, "vpaddusb"), V66(1, 0xDD, "vpaddusw"), V66(1, 0xDE, "vpmaxub"), V66(1, 0xDF, "vpandn"),
    V66(1, 0xE0, "vpavgb"), VE(1, 0xE1, 1, 0, "VHw", 16, "vpsraw"), VE(1, 0xE2, 1, 0, "VHw", 16, "vpsrad"),
    V66(1, 0xE3, "vpavgw"), V66(1, 0xE4, "vpmulhuw"), V66(1, 0xE5, "vpmulhw"),
    VE(1, 0xE6, 1, 0, "XW", MS_VL, "vcvttpd2dq"), VE(1, 0xE6, 2, 0, "Vw", MS_HALF, "vcvtdq2pd"),
    VE(1, 0xE6, 3, 0, "XW", MS_VL, "vcvtpd2dq"), VE(1, 0xE7, 1, 0, "MV", MS_VL, "vmovntdq"),
    V66(1, 0xE8, "vpsubsb"), V66(1, 0xE9, "vpsubsw"), V66(1, 0xEA, "vpminsw"), V66(1, 0xEB, "vpor"),
    V66(1, 0xEC, "vpaddsb"), V66(1, 0xED, "vpaddsw"), V66(1, 0xEE, "vpmaxsw"), V66(1, 0xEF, "vpxor"),
    VE(1, 0xF0, 3, 0, "VM", 0, "vlddqu"),
    VE(1, 0xF1, 1, 0, "VHw", 16, "vpsllw"), VE(1, 0xF2, 1, 0, "VHw", 16, "vpslld"), VE(1, 0xF3, 1, 0, "VHw", 16, "vpsllq"),
    V66(1, 0xF4, "vpmuludq"), V66(1, 0xF5, "vpmaddwd"), V66(1, 0xF6, "vpsadbw"), VE(1, 0xF7, 1, 0, "Xu", 0, "vmaskmovdqu"),
    V66(1, 0xF8, "vpsubb"), V66(1, 0xF9, "vpsubw"), V66(1, 0xFA, "vpsubd"), V66(1, 0xFB, "vpsubq"),
    V66(1, 0xFC, "vpaddb"), V66(1, 0xFD, "vpaddw"), V66(1, 0xFE, "vpaddd"),
    // 0F38 map
    V66(2, 0x00, "vpshufb"), V66(2, 0x01, "vphaddw"), V66(2, 0x02, "vphaddd"), V66(2, 0x03, "vphaddsw"),
    V66(2, 0x04, "vpmaddubsw"), V66(2, 0x05, "vphsubw"), V66(2, 0x06, "vphsubd"), V66(2, 0x07, "vphsubsw"),
    V66(2, 0x08, "vpsignb"), V66(2, 0x09, "vpsignw"), V66(2, 0x0A, "vpsignd"), V66(2, 0x0B, "vpmulhrsw"),
    V66(2, 0x0C, "vpermilps"), V66(2, 0x0D, "vpermilpd"),
    VE(2, 0x0E, 1, 0, "VW", MS_VL, "vtestps"), VE(2, 0x0F, 1, 0, "VW", MS_VL, "vtestpd"),
    VE(2, 0x13, 1, 0, "Vw", MS_HALF, "vcvtph2ps"), V66(2, 0x16, "vpermps"), VE(2, 0x17, 1, 0, "VW", MS_VL, "vptest"),
    VE(2, 0x18, 1, 0, "Vw", 4, "vbroadcastss"), VE(2, 0x19, 1, 0, "Vw", 8, "vbroadcastsd"),
    VE(2, 0x1A, 1, 0, "VM", 16, "vbroadcastf128"),
    VE(2, 0x1C, 1, 0, "VW", MS_VL, "vpabsb"), VE(2, 0x1D, 1, 0, "VW", MS_VL, "vpabsw"), VE(2, 0x1E, 1, 0, "VW", MS_VL, "vpabsd"),
    VPMOV(0x20, "vpmovsxbw", MS_HALF), VPMOV(0x21, "vpmovsxbd", MS_QUARTER), VPMOV(0x22, "vpmovsxbq", MS_EIGHTH),
    VPMOV(0x23, "vpmovsxwd", MS_HALF), VPMOV(0x24, "vpmovsxwq", MS_QUARTER), VPMOV(0x25, "vpmovsxdq", MS_HALF),
    V66(2, 0x28, "vpmuldq"), V66(2, 0x29, "vpcmpeqq"), VE(2, 0x2A, 1, 0, "VM", MS_VL, "vmovntdqa"), V66(2, 0x2B, "vpackusdw"),
    VE(2, 0x2C, 1, 0, "VHM", MS_VL, "vmaskmovps"), VE(2, 0x2D, 1, 0, "VHM", MS_VL, "vmaskmovpd"),
    VE(2, 0x2E, 1, 0, "MHV", MS_VL, "vmaskmovps"), VE(2, 0x2F, 1, 0, "MHV", MS_VL, "vmaskmovpd"),
    VPMOV(0x30, "vpmovzxbw", MS_HALF), VPMOV(0x31, "vpmovzxbd", MS_QUARTER), VPMOV(0x32, "vpmovzxbq", MS_EIGHTH),
    VPMOV(0x33, "vpmovzxwd", MS_HALF), VPMOV(0x34, "vpmovzxwq", MS_QUARTER), VPMOV(0x35, "vpmovzxdq", MS_HALF),
    V66(2, 0x36, "vpermd"), V66(2, 0x37, "vpcmpgtq"), V66(2, 0x38, "vpminsb"), V66(2, 0x39, "vpminsd"),
    V66(2, 0x3A, "vpminuw"), V66(2, 0x3B, "vpminud"), V66(2, 0x3C, "vpmaxsb"), V66(2, 0x3D, "vpmaxsd"),
    V66(2, 0x3E, "vpmaxuw"), V66(2, 0x3F, "vpmaxud"), V66(2, 0x40, "vpmulld"), VE(2, 0x41, 1, 0, "Xw", 16, "vphminposuw"),
    VE(2, 0x45, 1, VC_W0, "VHW", MS_VL, "vpsrlvd"), VE(2, 0x45, 1, VC_W1, "VHW", MS_VL, "vpsrlvq"),
    V66(2, 0x46, "vpsravd"),
    VE(2, 0x47, 1, VC_W0, "VHW", MS_VL, "vpsllvd"), VE(2, 0x47, 1, VC_W1, "VHW", MS_VL, "vpsllvq"),
    VE(2, 0x50, 0, 0, "VHW", MS_VL, "vpdpbuud"), VE(2, 0x50, 1, 0, "VHW", MS_VL, "{vex} vpdpbusd"),
    VE(2, 0x50, 2, 0, "VHW", MS_VL, "vpdpbsud"), VE(2, 0x50, 3, 0, "VHW", MS_VL, "vpdpbssd"),
    VE(2, 0x51, 0, 0, "VHW", MS_VL, "vpdpbuuds"), VE(2, 0x51, 1, 0, "VHW", MS_VL, "{vex} vpdpbusds"),
    VE(2, 0x51, 2, 0, "VHW", MS_VL, "vpdpbsuds"), VE(2, 0x51, 3, 0, "VHW", MS_VL, "vpdpbssds"),
    VE(2, 0x52, 1, 0, "VHW", MS_VL, "{vex} vpdpwssd"), VE(2, 0x53, 1, 0, "VHW", MS_VL, "{vex} vpdpwssds"),
    VE(2, 0x49, 0, VC_MEM, "M", 0, "ldtilecfg"), VE(2, 0x49, 1, VC_MEM, "M", 0, "sttilecfg"),
    VE(2, 0x49, 3, VC_REG, "T", 0, "tilezero"), VE(2, 0x4B, 1, 0, "TM", 0, "tileloaddt1"),
    VE(2, 0x4B, 2, 0, "MT", 0, "tilestored"), VE(2, 0x4B, 3, 0, "TM", 0, "tileloadd"),
    VE(2, 0x5C, 2, 0, "Ttj", 0, "tdpbf16ps"), VE(2, 0x5C, 3, 0, "Ttj", 0, "tdpfp16ps"),
    VE(2, 0x5E, 0, 0, "Ttj", 0, "tdpbuud"), VE(2, 0x5E, 1, 0, "Ttj", 0, "tdpbusd"),
    VE(2, 0x5E, 2, 0, "Ttj", 0, "tdpbsud"), VE(2, 0x5E, 3, 0, "Ttj", 0, "tdpbssd"),
    VE(2, 0x58, 1, 0, "Vw", 4, "vpbroadcastd"), VE(2, 0x59, 1, 0, "Vw", 8, "vpbroadcastq"),
    VE(2, 0x5A, 1, 0, "VM", 16, "vbroadcasti128"),
    VE(2, 0x72, 2, 0, "XW", MS_VL, "{vex} vcvtneps2bf16"),
    VE(2, 0x78, 1, 0, "Vw", 1, "vpbroadcastb"), VE(2, 0x79, 1, 0, "Vw", 2, "vpbroadcastw"),
    VE(2, 0x8C, 1, VC_W0, "VHM", MS_VL, "vpmaskmovd"), VE(2, 0x8C, 1, VC_W1, "VHM", MS_VL, "vpmaskmovq"),
    VE(2, 0x8E, 1, VC_W0, "MHV", MS_VL, "vpmaskmovd"), VE(2, 0x8E, 1, VC_W1, "MHV", MS_VL, "vpmaskmovq"),
    VE(2, 0x90, 1, VC_W0, "VSH", 4, "vpgatherdd"), VE(2, 0x90, 1, VC_W1, "VsH", 8, "vpgatherdq"),
    VE(2, 0x91, 1, VC_W0, "XSh", 4, "vpgatherqd"), VE(2, 0x91, 1, VC_W1, "VSH", 8, "vpgatherqq"),
    VE(2, 0x92, 1, VC_W0, "VSH", 4, "vgatherdps"), VE(2, 0x92, 1, VC_W1, "VsH", 8, "vgatherdpd"),
    VE(2, 0x93, 1, VC_W0, "XSh", 4, "vgatherqps"), VE(2, 0x93, 1, VC_W1, "VSH", 8, "vgatherqpd"),
    VE(2, 0xB0, 0, 0, "VM", MS_VL, "vcvtneoph2ps"), VE(2, 0xB0, 1, 0, "VM", MS_VL, "vcvtneeph2ps"),
    VE(2, 0xB0, 2, 0, "VM", MS_VL, "vcvtneebf162ps"), VE(2, 0xB0, 3, 0, "VM", MS_VL, "vcvtneobf162ps"),
    VE(2, 0xB1, 1, 0, "VM", 2, "vbcstnesh2ps"), VE(2, 0xB1, 2, 0, "VM", 2, "vbcstnebf162ps"),
    VE(2, 0xB4, 1, 0, "VHW", MS_VL, "{vex} vpmadd52luq"), VE(2, 0xB5, 1, 0, "VHW", MS_VL, "{vex} vpmadd52huq"),
    V66(2, 0xCF, "vgf2p8mulb"),
    VE(2, 0xDB, 1, 0, "Xw", 16, "vaesimc"), V66(2, 0xDC, "vaesenc"), V66(2, 0xDD, "vaesenclast"),
    V66(2, 0xDE, "vaesdec"), V66(2, 0xDF, "vaesdeclast"),
    // 0F3A map
    VE(3, 0x00, 1, 0, "VWI", MS_VL, "vpermq"), VE(3, 0x01, 1, 0, "VWI", MS_VL, "vpermpd"),
    VE(3, 0x02, 1, 0, "VHWI", MS_VL, "vpblendd"),
    VE(3, 0x04, 1, 0, "VWI", MS_VL, "vpermilps"), VE(3, 0x05, 1, 0, "VWI", MS_VL, "vpermilpd"),
    VE(3, 0x06, 1, 0, "VHWI", MS_VL, "vperm2f128"),
    VE(3, 0x08, 1, 0, "VWI", MS_VL, "vroundps"), VE(3, 0x09, 1, 0, "VWI", MS_VL, "vroundpd"),
    VE(3, 0x0A, 1, 0, "XhwI", 4, "vroundss"), VE(3, 0x0B, 1, 0, "XhwI", 8, "vroundsd"),
    VE(3, 0x0C, 1, 0, "VHWI", MS_VL, "vblendps"), VE(3, 0x0D, 1, 0, "VHWI", MS_VL, "vblendpd"),
    VE(3, 0x0E, 1, 0, "VHWI", MS_VL, "vpblendw"), VE(3, 0x0F, 1, 0, "VHWI", MS_VL, "vpalignr"),
    VE(3, 0x14, 1, 0, "eXI", 1, "vpextrb"), VE(3, 0x15, 1, 0, "eXI", 2, "vpextrw"),
    VE(3, 0x16, 1, VC_W0, "eXI", 4, "vpextrd"), VE(3, 0x16, 1, VC_W1, "EXI", 8, "vpextrq"),
    VE(3, 0x17, 1, 0, "eXI", 4, "vextractps"),
    VE(3, 0x18, 1, 0, "VHwI", 16, "vinsertf128"), VE(3, 0x19, 1, 0, "wVI", 16, "vextractf128"),
    VE(3, 0x1D, 1, 0, "wVI", MS_HALF, "vcvtps2ph"),
    VE(3, 0x20, 1, 0, "XheI", 1, "vpinsrb"), VE(3, 0x21, 1, 0, "XhwI", 4, "vinsertps"),
    VE(3, 0x22, 1, VC_W0, "XheI", 4, "vpinsrd"), VE(3, 0x22, 1, VC_W1, "XhEI", 8, "vpinsrq"),
    VE(3, 0x30, 1, VC_W0 | VC_L0, "KRI", 0, "kshiftrb"), VE(3, 0x30, 1, VC_W1 | VC_L0, "KRI", 0, "kshiftrw"),
    VE(3, 0x31, 1, VC_W0 | VC_L0, "KRI", 0, "kshiftrd"), VE(3, 0x31, 1, VC_W1 | VC_L0, "KRI", 0, "kshiftrq"),
    VE(3, 0x32, 1, VC_W0 | VC_L0, "KRI", 0, "kshiftlb"), VE(3, 0x32, 1, VC_W1 | VC_L0, "KRI", 0, "kshiftlw"),
    VE(3, 0x33, 1, VC_W0 | VC_L0, "KRI", 0, "kshiftld"), VE(3, 0x33, 1, VC_W1 | VC_L0, "KRI", 0, "kshiftlq"),
    VE(3, 0x38, 1, 0, "VHwI", 16, "vinserti128"), VE(3, 0x39, 1, 0, "wVI", 16, "vextracti128"),
    VE(3, 0x40, 1, 0, "VHWI", MS_VL, "vdpps"), VE(3, 0x41, 1, 0, "VHWI", MS_VL, "vdppd"),
    VE(3, 0x42, 1, 0, "VHWI", MS_VL, "vmpsadbw"), VX(3, 0x44, 1, 0, "VHWI", MS_VL, VF_CLMUL, "vpclmulqdq"),
    VE(3, 0x46, 1, 0, "VHWI", MS_VL, "vperm2i128"),
    VE(3, 0x48, 1, VC_W0, "VHWLi", MS_VL, "vpermil2ps"), VE(3, 0x48, 1, VC_W1, "VHLWi", MS_VL, "vpermil2ps"),
    VE(3, 0x49, 1, VC_W0, "VHWLi", MS_VL, "vpermil2pd"), VE(3, 0x49, 1, VC_W1, "VHLWi", MS_VL, "vpermil2pd"),
    VE(3, 0x4A, 1, 0, "VHWL", MS_VL, "vblendvps"), VE(3, 0x4B, 1, 0, "VHWL", MS_VL, "vblendvpd"),
    VE(3, 0x4C, 1, 0, "VHWL", MS_VL, "vpblendvb"),
    VE(3, 0x60, 1, VC_W0, "XwI", 16, "vpcmpestrm"), VE(3, 0x60, 1, VC_W1, "XwI", 16, "vpcmpestrmq"),
    VE(3, 0x61, 1, VC_W0, "XwI", 16, "vpcmpestri"), VE(3, 0x61, 1, VC_W1, "XwI", 16, "vpcmpestriq"),
    VE(3, 0x62, 1, 0, "XwI", 16, "vpcmpistrm"), VE(3, 0x63, 1, 0, "XwI", 16, "vpcmpistri"),
    VE(3, 0xCE, 1, 0, "VHWI", MS_VL, "vgf2p8affineqb"), VE(3, 0xCF, 1, 0, "VHWI", MS_VL, "vgf2p8affineinvqb"),
    VE(3, 0xDF, 1, 0, "XwI", 16, "vaeskeygenassist"),
};

// The rows that follow a pattern: FMA (0F38 96-BF), FMA4 (0F3A 5C-7F) and
// CMPccXADD (0F38 E0-EF). Fills *e (name into buf); 0 if op is none of them.
static int vex_pattern(const struct insn *in, int map, int op, struct vex_entry *e, char *buf, int size) {
  static const char *const fma[10] = {"fmaddsub", "fmsubadd", "fmadd", "fmadd", "fmsub",
                                      "fmsub",    "fnmadd",   "fnmadd", "fnmsub", "fnmsub"};
  int w = (in->pfx & PFX_REXW) != 0, lo = op & 15;
  if (!(in->pfx & PFX_66) || (in->pfx & (PFX_F2 | PFX_F3))) return 0;
  if (map == 2 && op >= 0x96 && op <= 0xBF && lo >= 6) {
    int scalar = lo >= 8 && (lo & 1);
    static const char *const order[3] = {"132", "213", "231"};
    fmt_snprintf(buf, size, "v%s%s%s%s", fma[lo - 6], order[(op >> 4) - 9], scalar ? "s" : "p", w ? "d" : "s");
    e->form = scalar ? "Xhw" : "VHW";
    e->msz = scalar ? (w ? 8 : 4) : MS_VL;
  } else if (map == 3 && ((op >= 0x5C && op <= 0x5F) || (op >= 0x68 && op <= 0x6F) || (op >= 0x78 && op <= 0x7F))) {
    // 5C/5E fmaddsub/fmsubadd, 68 fmadd, 6C fmsub, 78 fnmadd, 7C fnmsub
    int k = op < 0x60 ? (op - 0x5C) >> 1 : (op < 0x78 ? 2 : 6) + ((op & 4) ? 2 : 0);
    int scalar = op >= 0x68 && (op & 2);
    fmt_snprintf(buf, size, "v%s%s%s", fma[k], scalar ? "s" : "p", (op & 1) ? "d" : "s");
    e->form = scalar ? (w ? "Xhlw" : "Xhwl") : (w ? "VHLW" : "VHWL");
    e->msz = scalar ? ((op & 1) ? 8 : 4) : MS_VL;
  } else if (map == 2 && op >= 0xE0 && op <= 0xEF) {
    static const char *const cc[16] = {"o", "no", "b", "nb", "z", "nz", "be", "nbe",
                                       "s", "ns", "p", "np", "l", "nl", "le", "nle"};
    fmt_snprintf(buf, size, "cmp%sxadd", cc[lo]);
    e->form = "MGB";
    e->msz = MS_WD;
  } else {
    return 0;
  }
  e->flags = 0;
  e->name = buf;
  return 1;
}

// The row for a decoded VEX instruction, or NULL.
static const struct vex_entry *vex_find(const struct insn *in, struct vex_entry *tmp, char *buf, int size) {
  int map = in->op >> 8, op = in->op & 0xFF;
  if (vex_pattern(in, map, op, tmp, buf, size)) return tmp;
  int pp = (in->pfx & PFX_F2) ? 3 : (in->pfx & PFX_F3) ? 2 : (in->pfx & PFX_66) ? 1 : 0;
  int have = ((in->pfx & PFX_REXW) ? VC_W1 : VC_W0) | (in->vex_l ? VC_L1 : VC_L0) | (in->mod == 3 ? VC_REG : VC_MEM);
  for (unsigned i = 0; i < sizeof vex_table / sizeof vex_table[0]; i++) {
    const struct vex_entry *e = &vex_table[i];
    if (e->key != in->op || (e->pp != pp && e->pp != PP_ANY)) continue;
    if (e->sub && e->sub != (in->reg & 7) + 1) continue;
    if (((e->cons & (VC_W0 | VC_W1)) && !(e->cons & have & (VC_W0 | VC_W1))) ||
        ((e->cons & (VC_L0 | VC_L1)) && !(e->cons & have & (VC_L0 | VC_L1))) ||
        ((e->cons & (VC_MEM | VC_REG)) && !(e->cons & have & (VC_MEM | VC_REG))))
      continue;
    return e;
  }
  return NULL;
}

static int vex_msize(const struct out *o, const struct insn *in, int msz) {
  int vlb = o->vlb ? o->vlb : in->vex_l ? 32 : 16;
  switch (msz) {
  case MS_VL: return vlb;
  case MS_HALF: return vlb / 2;
  case MS_QUARTER: return vlb / 4;
  case MS_EIGHTH: return vlb / 8;
  case MS_WD: return (in->pfx & PFX_REXW) ? 8 : 4;
  case MS_DUP: return vlb == 16 ? 8 : vlb;
  default: return msz;
  }
}

// One operand of a vex_entry form (see the letters above).
static void vex_operand(struct out *o, const struct insn *in, char c, int msz, uint64_t next) {
  int vlb = o->vlb ? o->vlb : in->vex_l ? 32 : 16;
  const char *vl = vec_name(vlb);
  int gsz = (in->pfx & PFX_REXW) ? 8 : 4, mem = in->mod != 3;
  switch (c) {
  case 'V': put(o, "%s%d", vl, in->reg); return;
  case 'X': put(o, "xmm%d", in->reg); return;
  case 'G': put(o, "%s", regname(in, in->reg, gsz)); return;
  case 'g': put(o, "%s", regname(in, in->reg, 4)); return;
  case 'K': put(o, "k%d", in->reg & 7); return;
  case 'H': put(o, "%s%d", vl, in->vex_v); return;
  case 'h': put(o, "xmm%d", in->vex_v); return;
  case 'B': put(o, "%s", regname(in, in->vex_v, gsz)); return;
  case 'k': put(o, "k%d", in->vex_v & 7); return;
  case 'L': put(o, "%s%d", vl, (int)((in->imm >> 4) & 15)); return;
  case 'l': put(o, "xmm%d", (int)((in->imm >> 4) & 15)); return;
  case 'I': put(o, "0x%x", (unsigned)(in->imm & 0xFF)); return;
  case 'i': put(o, "0x%x", (unsigned)(in->imm & 0xF)); return;
  case 'T': put(o, "tmm%d", in->reg & 7); return;
  case 'j': put(o, "tmm%d", in->vex_v & 7); return;
  case 't': put(o, "tmm%d", in->rm & 7); return;
  case 'S': case 's':
    o->vsib = c == 'S' ? vlb : 16;
    mem_operand(o, in, vex_msize(o, in, msz), next);
    o->vsib = 0;
    return;
  default: break;
  }
  if (mem) {
    mem_operand(o, in, o->bcst ? o->bcst : vex_msize(o, in, msz), next);
    return;
  }
  switch (c) {
  case 'W': case 'U': put(o, "%s%d", vl, in->rm); return;
  case 'E': put(o, "%s", regname(in, in->rm & 15, gsz)); return;
  case 'e': put(o, "%s", regname(in, in->rm & 15, 4)); return;
  case 'Q': case 'R': put(o, "k%d", in->rm & 7); return;
  default: put(o, "xmm%d", in->rm); return; // w, u
  }
}

// VEX-encoded instructions other than the BMI general-register ones.
static NOINLINE int disasm_vex(struct out *o, const struct insn *in, uint64_t next) {
  struct vex_entry tmp;
  char name[32];
  const struct vex_entry *e = vex_find(in, &tmp, name, sizeof name);
  if (!e) return 0;
  const char *form = e->form;
  for (const char *f = form; *f; f++) {
    int need_mem = *f == 'M' || *f == 'S' || *f == 's', need_reg = *f == 'U' || *f == 'u' || *f == 'R' || *f == 't';
    if ((need_mem && in->mod == 3) || (need_reg && in->mod != 3)) {
      put(o, "(bad)");
      return 1;
    }
  }
  unsigned imm = (unsigned)(in->imm & 0xFF);
  const char *nm = e->name;
  char pseudo[32];
  if ((e->flags & VF_PRED) && imm < 32) { // vcmpps -> vcmp<pred>ps
    static const char *const pred[32] = {
        "eq",    "lt",    "le",    "unord",   "neq",    "nlt",    "nle",    "ord",
        "eq_uq", "nge",   "ngt",   "false",   "neq_oq", "ge",     "gt",     "true",
        "eq_os", "lt_oq", "le_oq", "unord_s", "neq_us", "nlt_uq", "nle_uq", "ord_s",
        "eq_us", "nge_uq", "ngt_uq", "false_os", "neq_os", "ge_oq", "gt_oq", "true_us"};
    fmt_snprintf(pseudo, sizeof pseudo, "vcmp%s%s", pred[imm], nm + 4);
    nm = pseudo;
    form = e->form[0] == 'V' ? "VHW" : "Xhw";
  } else if ((e->flags & VF_CLMUL) && (imm & 0xEE) == 0) { // vpclmul{l,h}q{l,h}qdq
    fmt_snprintf(pseudo, sizeof pseudo, "vpclmul%sq%sqdq", (imm & 1) ? "h" : "l", (imm & 0x10) ? "h" : "l");
    nm = pseudo;
    form = "VHW";
  }
  put(o, "%s", nm);
  for (const char *f = form; *f; f++) {
    put(o, f == form ? " " : ", ");
    vex_operand(o, in, *f, e->msz, next);
  }
  return 1;
}

// VEX instructions the decoder rejects (they raise #UD here: VLDMXCSR and
// VSTMXCSR, the AVX-512 opmask instructions, unused opcodes) are parsed
// again here so the listing names them: the VEX prefix, opcode, ModRM, SIB,
// displacement and imm8 into *in as cpu_decode_bytes would. Returns the
// length, or -1 if the bytes are not a VEX instruction of maps 0F/0F38/0F3A.
static int vex_parse(const uint8_t *p, int n, struct insn *in) {
  memset(in, 0, sizeof *in);
  in->base = in->index = BASE_NONE;
  int i = 0;
  while (i < n && (p[i] == 0x64 || p[i] == 0x65 || p[i] == 0x67 || p[i] == 0x2E || p[i] == 0x3E || p[i] == 0x26 ||
                   p[i] == 0x36)) {
    if (p[i] == 0x67) in->pfx |= PFX_67;
    else if (p[i] >= 0x64) in->seg = p[i] - 0x60;
    i++;
  }
  if (i + 3 > n || (p[i] != 0xC4 && p[i] != 0xC5)) return -1;
  int three = p[i] == 0xC4;
  uint8_t b1 = p[i + 1], b2 = three ? p[i + 2] : b1;
  int map = three ? (b1 & 0x1F) : 1;
  if (map < 1 || map > 3) return -1;
  in->rex = (uint8_t)(0x40 | ((~b1 >> 5) & 4) | (three ? (((~b1 >> 5) & 3) | ((b2 >> 4) & 8)) : 0));
  in->vex_v = (~b2 >> 3) & 15;
  in->vex_l = (b2 >> 2) & 1;
  static const uint8_t pp[4] = {0, PFX_66, PFX_F3, PFX_F2};
  in->pfx |= pp[b2 & 3] | PFX_VEX | ((in->rex & 8) ? PFX_REXW : 0);
  in->osz = (in->rex & 8) ? 8 : 4;
  i += three ? 3 : 2;
  if (i >= n) return -1;
  int op = p[i++];
  in->op = (uint16_t)(map << 8 | op);
  if (!(map == 1 && op == 0x77)) {
    if (i >= n) return -1;
    uint8_t m = p[i++];
    in->has_modrm = 1;
    in->mod = m >> 6;
    in->reg = ((m >> 3) & 7) | ((in->rex & 4) << 1);
    in->rm = (m & 7) | ((in->rex & 1) << 3);
    if (in->mod != 3) {
      int dsz = in->mod == 1 ? 1 : in->mod == 2 ? 4 : 0;
      if ((m & 7) == 4) {
        if (i >= n) return -1;
        uint8_t sib = p[i++];
        int idx = ((sib >> 3) & 7) | ((in->rex & 2) << 2);
        in->scale = sib >> 6;
        if (idx != 4) in->index = (uint8_t)idx;
        if ((sib & 7) == 5 && in->mod == 0) dsz = 4;
        else in->base = (uint8_t)((sib & 7) | ((in->rex & 1) << 3));
      } else if ((m & 7) == 5 && in->mod == 0) {
        in->base = BASE_RIP;
        dsz = 4;
      } else {
        in->base = in->rm;
      }
      if (i + dsz > n) return -1;
      if (dsz == 1) in->disp = (int8_t)p[i];
      if (dsz == 4) in->disp = (int32_t)((uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24);
      i += dsz;
    }
  }
  if (map == 3 || (map == 1 && ((op >= 0x70 && op <= 0x73) || op == 0xC2 || (op >= 0xC4 && op <= 0xC6)))) {
    if (i >= n) return -1;
    in->imm = p[i++];
  }
  if (i > 15) return -1;
  in->len = (uint8_t)i;
  return i;
}

// ---- EVEX (AVX-512): text only, never executed here ------------------------
// The instructions glibc's EVEX string functions use, as objdump writes
// them: zmm/ymm/xmm 0-31, {kN}{z} on the destination, "dword bcst" memory,
// disp8 scaled by the tuple size. The rest shows "(evex)".
enum { TT_FV, TT_FVM, TT_T1S }; // full vector (broadcast by W), full memory, one scalar of msz bytes
enum { EV_KPRED = 1 };          // vpcmp[u]b/w/d/q: imm8 0-2, 4-6 become the predicate pseudo-op

struct evex_entry {
  uint16_t key;
  uint8_t pp, cons, tuple, msz, flags;
  const char *form, *name;
};

#define EE(map, op, pp, cons, tuple, form, msz, name) {(map) << 8 | (op), pp, cons, tuple, msz, 0, form, name}
#define EEW(map, op, pp, tuple, form, n0, n1)                                                         \
  EE(map, op, pp, VC_W0, tuple, form, MS_VL, n0), EE(map, op, pp, VC_W1, tuple, form, MS_VL, n1)
#define EEP(map, op, cons, name) {(map) << 8 | (op), 1, cons, TT_FVM, MS_VL, EV_KPRED, "KHWI", name}

static const struct evex_entry evex_table[] = {
    EE(1, 0x10, 0, 0, TT_FVM, "VW", MS_VL, "vmovups"), EE(1, 0x10, 1, 0, TT_FVM, "VW", MS_VL, "vmovupd"),
    EE(1, 0x11, 0, 0, TT_FVM, "WV", MS_VL, "vmovups"), EE(1, 0x11, 1, 0, TT_FVM, "WV", MS_VL, "vmovupd"),
    EE(1, 0x28, 0, 0, TT_FVM, "VW", MS_VL, "vmovaps"), EE(1, 0x28, 1, 0, TT_FVM, "VW", MS_VL, "vmovapd"),
    EE(1, 0x29, 0, 0, TT_FVM, "WV", MS_VL, "vmovaps"), EE(1, 0x29, 1, 0, TT_FVM, "WV", MS_VL, "vmovapd"),
    EE(1, 0x2B, 0, 0, TT_FVM, "MV", MS_VL, "vmovntps"), EE(1, 0x2B, 1, 0, TT_FVM, "MV", MS_VL, "vmovntpd"),
    EE(1, 0x58, 0, 0, TT_FV, "VHW", MS_VL, "vaddps"), EE(1, 0x58, 1, 0, TT_FV, "VHW", MS_VL, "vaddpd"),
    EE(1, 0x58, 2, 0, TT_T1S, "Xhw", 4, "vaddss"), EE(1, 0x58, 3, 0, TT_T1S, "Xhw", 8, "vaddsd"),
    EEW(1, 0x6F, 1, TT_FVM, "VW", "vmovdqa32", "vmovdqa64"), EEW(1, 0x6F, 2, TT_FVM, "VW", "vmovdqu32", "vmovdqu64"),
    EEW(1, 0x6F, 3, TT_FVM, "VW", "vmovdqu8", "vmovdqu16"),
    EEW(1, 0x7F, 1, TT_FVM, "WV", "vmovdqa32", "vmovdqa64"), EEW(1, 0x7F, 2, TT_FVM, "WV", "vmovdqu32", "vmovdqu64"),
    EEW(1, 0x7F, 3, TT_FVM, "WV", "vmovdqu8", "vmovdqu16"),
    EE(1, 0x6E, 1, VC_W0, TT_T1S, "Xe", 4, "vmovd"), EE(1, 0x6E, 1, VC_W1, TT_T1S, "XE", 8, "vmovq"),
    EE(1, 0x7E, 1, VC_W0, TT_T1S, "eX", 4, "vmovd"), EE(1, 0x7E, 1, VC_W1, TT_T1S, "EX", 8, "vmovq"),
    EE(1, 0x7E, 2, 0, TT_T1S, "Xw", 8, "vmovq"), EE(1, 0xD6, 1, 0, TT_T1S, "wX", 8, "vmovq"),
    EE(1, 0x64, 1, 0, TT_FVM, "KHW", MS_VL, "vpcmpgtb"), EE(1, 0x65, 1, 0, TT_FVM, "KHW", MS_VL, "vpcmpgtw"),
    EE(1, 0x66, 1, 0, TT_FV, "KHW", MS_VL, "vpcmpgtd"), EE(1, 0x74, 1, 0, TT_FVM, "KHW", MS_VL, "vpcmpeqb"),
    EE(1, 0x75, 1, 0, TT_FVM, "KHW", MS_VL, "vpcmpeqw"), EE(1, 0x76, 1, 0, TT_FV, "KHW", MS_VL, "vpcmpeqd"),
    EE(1, 0xD4, 1, 0, TT_FV, "VHW", MS_VL, "vpaddq"), EE(1, 0xD8, 1, 0, TT_FVM, "VHW", MS_VL, "vpsubusb"),
    EE(1, 0xD9, 1, 0, TT_FVM, "VHW", MS_VL, "vpsubusw"), EE(1, 0xDA, 1, 0, TT_FVM, "VHW", MS_VL, "vpminub"),
    EEW(1, 0xDB, 1, TT_FV, "VHW", "vpandd", "vpandq"), EE(1, 0xDC, 1, 0, TT_FVM, "VHW", MS_VL, "vpaddusb"),
    EE(1, 0xDD, 1, 0, TT_FVM, "VHW", MS_VL, "vpaddusw"), EE(1, 0xDE, 1, 0, TT_FVM, "VHW", MS_VL, "vpmaxub"),
    EEW(1, 0xDF, 1, TT_FV, "VHW", "vpandnd", "vpandnq"), EE(1, 0xE0, 1, 0, TT_FVM, "VHW", MS_VL, "vpavgb"),
    EE(1, 0xE7, 1, 0, TT_FVM, "MV", MS_VL, "vmovntdq"), EE(1, 0xEA, 1, 0, TT_FVM, "VHW", MS_VL, "vpminsw"),
    EEW(1, 0xEB, 1, TT_FV, "VHW", "vpord", "vporq"), EE(1, 0xEE, 1, 0, TT_FVM, "VHW", MS_VL, "vpmaxsw"),
    EEW(1, 0xEF, 1, TT_FV, "VHW", "vpxord", "vpxorq"),
    EE(1, 0xF8, 1, 0, TT_FVM, "VHW", MS_VL, "vpsubb"), EE(1, 0xF9, 1, 0, TT_FVM, "VHW", MS_VL, "vpsubw"),
    EE(1, 0xFA, 1, 0, TT_FV, "VHW", MS_VL, "vpsubd"), EE(1, 0xFB, 1, 0, TT_FV, "VHW", MS_VL, "vpsubq"),
    EE(1, 0xFC, 1, 0, TT_FVM, "VHW", MS_VL, "vpaddb"), EE(1, 0xFD, 1, 0, TT_FVM, "VHW", MS_VL, "vpaddw"),
    EE(1, 0xFE, 1, 0, TT_FV, "VHW", MS_VL, "vpaddd"),
    EE(2, 0x00, 1, 0, TT_FVM, "VHW", MS_VL, "vpshufb"),
    EE(2, 0x18, 1, 0, TT_T1S, "Vw", 4, "vbroadcastss"), EE(2, 0x19, 1, 0, TT_T1S, "Vw", 8, "vbroadcastsd"),
    EEW(2, 0x26, 1, TT_FVM, "KHW", "vptestmb", "vptestmw"), EEW(2, 0x26, 2, TT_FVM, "KHW", "vptestnmb", "vptestnmw"),
    EEW(2, 0x27, 1, TT_FV, "KHW", "vptestmd", "vptestmq"), EEW(2, 0x27, 2, TT_FV, "KHW", "vptestnmd", "vptestnmq"),
    EE(2, 0x29, 1, 0, TT_FV, "KHW", MS_VL, "vpcmpeqq"), EE(2, 0x37, 1, 0, TT_FV, "KHW", MS_VL, "vpcmpgtq"),
    EEW(2, 0x36, 1, TT_FV, "VHW", "vpermd", "vpermq"),
    EE(2, 0x38, 1, 0, TT_FVM, "VHW", MS_VL, "vpminsb"), EEW(2, 0x39, 1, TT_FV, "VHW", "vpminsd", "vpminsq"),
    EE(2, 0x3A, 1, 0, TT_FVM, "VHW", MS_VL, "vpminuw"), EEW(2, 0x3B, 1, TT_FV, "VHW", "vpminud", "vpminuq"),
    EE(2, 0x3C, 1, 0, TT_FVM, "VHW", MS_VL, "vpmaxsb"), EEW(2, 0x3D, 1, TT_FV, "VHW", "vpmaxsd", "vpmaxsq"),
    EE(2, 0x3E, 1, 0, TT_FVM, "VHW", MS_VL, "vpmaxuw"), EEW(2, 0x3F, 1, TT_FV, "VHW", "vpmaxud", "vpmaxuq"),
    EE(2, 0x58, 1, 0, TT_T1S, "Vw", 4, "vpbroadcastd"), EE(2, 0x59, 1, 0, TT_T1S, "Vw", 8, "vpbroadcastq"),
    EE(2, 0x78, 1, 0, TT_T1S, "Vw", 1, "vpbroadcastb"), EE(2, 0x79, 1, 0, TT_T1S, "Vw", 2, "vpbroadcastw"),
    EE(2, 0x7A, 1, VC_REG, TT_T1S, "Ve", 0, "vpbroadcastb"), EE(2, 0x7B, 1, VC_REG, TT_T1S, "Ve", 0, "vpbroadcastw"),
    EE(2, 0x7C, 1, VC_REG | VC_W0, TT_T1S, "Ve", 0, "vpbroadcastd"),
    EE(2, 0x7C, 1, VC_REG | VC_W1, TT_T1S, "VE", 0, "vpbroadcastq"),
    EEW(2, 0x8D, 1, TT_FVM, "VHW", "vpermb", "vpermw"),
    EEW(3, 0x25, 1, TT_FV, "VHWI", "vpternlogd", "vpternlogq"),
    EEP(3, 0x1E, VC_W0, "vpcmpud"), EEP(3, 0x1E, VC_W1, "vpcmpuq"), EEP(3, 0x1F, VC_W0, "vpcmpd"),
    EEP(3, 0x1F, VC_W1, "vpcmpq"), EEP(3, 0x3E, VC_W0, "vpcmpub"), EEP(3, 0x3E, VC_W1, "vpcmpuw"),
    EEP(3, 0x3F, VC_W0, "vpcmpb"), EEP(3, 0x3F, VC_W1, "vpcmpw"),
};

// The EVEX prefix (SDM vol. 2, 2.7): 62 [R X B R' 0 mmm] [W vvvv 1 pp]
// [z L'L b V' aaa], opcode, ModRM/SIB/disp, imm8, into *in (registers 0-31:
// reg = R' R modrm.reg, rm = X B modrm.rm, vvvv with V'), the rest into
// e[]: {L'L, b, z, aaa}. Returns the length or -1. (No gathers/scatters
// are in the table, so V' never extends a VSIB index here.)
static int evex_parse(const uint8_t *p, int n, struct insn *in, int e[4]) {
  struct insn tmp;
  uint8_t b[15];
  int i = 0;
  while (i < n && (p[i] == 0x64 || p[i] == 0x65 || p[i] == 0x67)) i++;
  if (i + 6 > n || p[i] != 0x62 || (p[i + 1] & 8) || !(p[i + 2] & 4)) return -1;
  uint8_t p0 = p[i + 1], p1 = p[i + 2], p2 = p[i + 3];
  // Re-encode as a 3-byte VEX with the same map, R/X/B, W, vvvv and pp, and
  // let vex_parse do the ModRM, SIB, displacement and imm8.
  int k = n - 1 < 15 ? n - 1 : 15; // one byte shorter than the EVEX form
  memcpy(b, p, i);
  b[i] = 0xC4;
  b[i + 1] = (uint8_t)((p0 & 0xE0) | (p0 & 7));
  b[i + 2] = (uint8_t)(p1 & 0xFB);
  memcpy(b + i + 3, p + i + 4, k - i - 3);
  int len = vex_parse(b, k, &tmp);
  if (len < 0 || len + 1 > 15) return -1;
  *in = tmp;
  in->reg |= (uint8_t)((~p0 >> 4 & 1) << 4);
  if (in->mod == 3) in->rm |= (uint8_t)((~p0 >> 6 & 1) << 4);
  in->vex_v |= (uint8_t)((~p2 >> 3 & 1) << 4);
  e[0] = (p2 >> 5) & 3;
  e[1] = (p2 >> 4) & 1;
  e[2] = p2 >> 7;
  e[3] = p2 & 7;
  in->len = (uint8_t)(len + 1);
  return len + 1;
}

static const struct evex_entry *evex_find(const struct insn *in) {
  int pp = (in->pfx & PFX_F2) ? 3 : (in->pfx & PFX_F3) ? 2 : (in->pfx & PFX_66) ? 1 : 0;
  int have = ((in->pfx & PFX_REXW) ? VC_W1 : VC_W0) | (in->mod == 3 ? VC_REG : VC_MEM);
  for (unsigned i = 0; i < sizeof evex_table / sizeof evex_table[0]; i++) {
    const struct evex_entry *e = &evex_table[i];
    if (e->key != in->op || e->pp != pp) continue;
    if (((e->cons & (VC_W0 | VC_W1)) && !(e->cons & have & (VC_W0 | VC_W1))) ||
        ((e->cons & (VC_MEM | VC_REG)) && !(e->cons & have & (VC_MEM | VC_REG))))
      continue;
    return e;
  }
  return NULL;
}

// EVEX instructions; returns the length, or -1 when the bytes are not one.
static NOINLINE int disasm_evex(struct out *o, const uint8_t *p, int n, uint64_t addr) {
  struct insn in;
  int ev[4];
  int len = evex_parse(p, n, &in, ev);
  if (len < 0) return -1;
  const struct evex_entry *e = evex_find(&in);
  if (!e || ev[0] == 3 || (ev[1] && (in.mod == 3 || e->tuple != TT_FV))) { // no name, or rounding
    put(o, "(evex)");
    return len;
  }
  int w = (in.pfx & PFX_REXW) != 0, vlb = 16 << ev[0], elem = w ? 8 : 4;
  if (in.mod == 1) in.disp *= e->tuple == TT_T1S ? e->msz : ev[1] ? elem : vlb; // disp8*N
  o->vlb = vlb;
  o->bcst = ev[1] ? elem : 0;
  unsigned imm = (unsigned)(in.imm & 0xFF);
  const char *form = e->form;
  static const char *const pred[8] = {"eq", "lt", "le", NULL, "neq", "nlt", "nle", NULL};
  if ((e->flags & EV_KPRED) && imm < 8 && pred[imm]) {
    put(o, "vpcmp%s%s", pred[imm], e->name + 5);
    form = "KHW";
  } else {
    put(o, "%s", e->name);
  }
  uint64_t next = addr + len;
  for (const char *f = form; *f; f++) {
    put(o, f == form ? " " : ", ");
    vex_operand(o, &in, *f, e->msz, next);
    int store = in.mod != 3 && (*f == 'W' || *f == 'w' || *f == 'M'); // merging only, no {z}
    if (f == form && ev[3]) put(o, "{k%d}%s", ev[3], ev[2] && !store ? "{z}" : "");
  }
  o->vlb = o->bcst = 0;
  return len;
}

// x87 (SDM vol. 2, appendix A.5): memory forms by opcode and /digit,
// register forms by opcode and ModRM.
static NOINLINE void disasm_x87(struct out *o, const struct insn *in, uint64_t next) {
  static const char *const arith[8] = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
  static const char *const mem[8][8] = {
      {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}, // D8: arith m32
      {"fld", NULL, "fst", "fstp", "fldenv", "fldcw", "fnstenv", "fnstcw"},
      {"fiadd", "fimul", "ficom", "ficomp", "fisub", "fisubr", "fidiv", "fidivr"},
      {"fild", "fisttp", "fist", "fistp", NULL, "fld", NULL, "fstp"},
      {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}, // DC: arith m64
      {"fld", "fisttp", "fst", "fstp", "frstor", NULL, "fnsave", "fnstsw"},
      {"fiadd", "fimul", "ficom", "ficomp", "fisub", "fisubr", "fidiv", "fidivr"},
      {"fild", "fisttp", "fist", "fistp", "fbld", "fild", "fbstp", "fistp"}};
  static const uint8_t msz[8][8] = {{4, 4, 4, 4, 4, 4, 4, 4}, {4, 0, 4, 4, 0, 2, 0, 2}, {4, 4, 4, 4, 4, 4, 4, 4},
                                    {4, 4, 4, 4, 0, 10, 0, 10}, {8, 8, 8, 8, 8, 8, 8, 8}, {8, 8, 8, 8, 0, 0, 0, 2},
                                    {2, 2, 2, 2, 2, 2, 2, 2}, {2, 2, 2, 2, 10, 8, 10, 8}};
  int k = in->op - 0xD8, r = in->reg & 7, i = in->rm & 7;
  if (in->mod != 3) {
    const char *name = (k == 0 || k == 4) ? arith[r] : mem[k][r];
    if (!name) {
      put(o, "(bad)");
      return;
    }
    put(o, "%s ", name);
    mem_operand(o, in, msz[k][r], next);
    return;
  }
  static const char *const d9[64] = {
      NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
      "fnop", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
      "fchs", "fabs", NULL, NULL, "ftst", "fxam", NULL, NULL, "fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2",
      "fldln2", "fldz", NULL, "f2xm1", "fyl2x", "fptan", "fpatan", "fxtract", "fprem1", "fdecstp", "fincstp",
      "fprem", "fyl2xp1", "fsqrt", "fsincos", "frndint", "fscale", "fsin", "fcos"};
  switch (k) {
  case 0:
    if (r == 2 || r == 3) put(o, "%s st(%d)", arith[r], i); // fcom/fcomp compare with st
    else put(o, "%s st, st(%d)", arith[r], i);
    return;
  case 1:
    if (r == 0) put(o, "fld st(%d)", i);
    else if (r == 1) put(o, "fxch st(%d)", i);
    else if (d9[(r << 3) | i]) put(o, "%s", d9[(r << 3) | i]);
    else put(o, "(bad)");
    return;
  case 2: {
    static const char *const cc[4] = {"fcmovb", "fcmove", "fcmovbe", "fcmovu"};
    if (r < 4) put(o, "%s st, st(%d)", cc[r], i);
    else if (r == 5 && i == 1) put(o, "fucompp");
    else put(o, "(bad)");
    return;
  }
  case 3: {
    static const char *const cc[4] = {"fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu"};
    if (r < 4) put(o, "%s st, st(%d)", cc[r], i);
    else if (r == 4 && i == 2) put(o, "fnclex");
    else if (r == 4 && i == 3) put(o, "fninit");
    else if (r == 5 || r == 6) put(o, "%s st, st(%d)", r == 5 ? "fucomi" : "fcomi", i);
    else put(o, "(bad)");
    return;
  }
  case 4: {
    static const char *const rev[8] = {"fadd", "fmul", "fcom", "fcomp", "fsubr", "fsub", "fdivr", "fdiv"};
    if (r == 2 || r == 3) put(o, "%s st(%d)", rev[r], i);
    else put(o, "%s st(%d), st", rev[r], i);
    return;
  }
  case 5: {
    static const char *const names[8] = {"ffree", NULL, "fst", "fstp", "fucom", "fucomp", NULL, NULL};
    if (names[r]) put(o, "%s st(%d)", names[r], i);
    else put(o, "(bad)");
    return;
  }
  case 6: {
    static const char *const rev[8] = {"faddp", "fmulp", NULL, NULL, "fsubrp", "fsubp", "fdivrp", "fdivp"};
    if (r == 3 && i == 1) put(o, "fcompp");
    else if (rev[r]) put(o, "%s st(%d), st", rev[r], i);
    else put(o, "(bad)");
    return;
  }
  default:
    if (r == 0) put(o, "ffreep st(%d)", i);
    else if (r == 4 && i == 0) put(o, "fnstsw ax");
    else if (r == 5 || r == 6) put(o, "%s st, st(%d)", r == 5 ? "fucomip" : "fcomip", i);
    else put(o, "(bad)");
    return;
  }
}

// 0F-map general instructions (system, bit, string-less integer ops).
// Returns 0 when it has no name for the instruction.
static NOINLINE int disasm_0f(struct out *o, const struct insn *in, uint64_t next) {
  int op = in->op, sz = in->osz;
  switch (op) {
  case 0x105: put(o, "syscall"); return 1;
  case 0x1C3:
    if (in->mod == 3) break;
    put(o, "movnti ");
    mem_operand(o, in, sz == 8 ? 8 : 4, next);
    put(o, ", %s", regname(in, in->reg, sz == 8 ? 8 : 4));
    return 1;
  case 0x10B: put(o, "ud2"); return 1;
  case 0x11F: put(o, "nop "); rm_operand(o, in, sz, next); return 1;
  case 0x11E: // CET hints: NOPs on a CPU without CET (like this one)
    if ((in->pfx & PFX_F3) && in->mod == 3 && (in->reg & 7) == 7 && (in->rm & 7) >= 2)
      put(o, (in->rm & 7) == 2 ? "endbr64" : "endbr32");
    else if ((in->pfx & PFX_F3) && in->mod == 3 && (in->reg & 7) == 1)
      put(o, "rdssp%s %s", (in->pfx & PFX_REXW) ? "q" : "d", regname(in, in->rm, (in->pfx & PFX_REXW) ? 8 : 4));
    else {
      put(o, "nop ");
      rm_operand(o, in, sz, next);
    }
    return 1;
  case 0x131: put(o, "rdtsc"); return 1;
  case 0x1A2: put(o, "cpuid"); return 1;
  case 0x1AF: put(o, "imul %s, ", regname(in, in->reg, sz)); rm_operand(o, in, sz, next); return 1;
  case 0x1B6: case 0x1B7: case 0x1BE: case 0x1BF:
    put(o, "%s %s, ", op < 0x1BE ? "movzx" : "movsx", regname(in, in->reg, sz));
    rm_operand(o, in, (op & 1) ? 2 : 1, next);
    return 1;
  case 0x1B0: case 0x1B1: case 0x1C0: case 0x1C1: {
    int s = (op & 1) ? sz : 1;
    put(o, "%s ", op < 0x1C0 ? "cmpxchg" : "xadd");
    rm_operand(o, in, s, next);
    put(o, ", %s", regname(in, in->reg, s));
    return 1;
  }
  case 0x1A3: case 0x1AB: case 0x1B3: case 0x1BB: {
    static const char *const names[] = {"bt", "bts", "btr", "btc"};
    put(o, "%s ", names[(op >> 3) & 3]);
    rm_operand(o, in, sz, next);
    put(o, ", %s", regname(in, in->reg, sz));
    return 1;
  }
  case 0x1BA: {
    static const char *const names[4] = {"bt", "bts", "btr", "btc"};
    if ((in->reg & 7) < 4) break;
    put(o, "%s ", names[(in->reg & 7) - 4]);
    rm_operand(o, in, sz, next);
    put(o, ", 0x%x", (unsigned)(in->imm & 0xFF));
    return 1;
  }
  case 0x1A4: case 0x1A5: case 0x1AC: case 0x1AD:
    put(o, "%s ", op < 0x1AC ? "shld" : "shrd");
    rm_operand(o, in, sz, next);
    put(o, ", %s, ", regname(in, in->reg, sz));
    if (op & 1) put(o, "cl");
    else put(o, "0x%x", (unsigned)(in->imm & 0xFF));
    return 1;
  case 0x118: case 0x10D: {
    static const char *const hint[4] = {"prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2"};
    int k = in->reg & 7;
    if (in->mod == 3 || (op == 0x118 && k > 3)) break;
    put(o, "%s ", op == 0x10D ? (k == 1 ? "prefetchw" : k == 2 ? "prefetchwt1" : "prefetch") : hint[k]);
    mem_operand(o, in, 1, next);
    return 1;
  }
  case 0x1AE: {
    static const char *const mem[8] = {"fxsave", "fxrstor", "ldmxcsr", "stmxcsr", "xsave", "xrstor", "xsaveopt", "clflush"};
    static const uint8_t msz[8] = {0, 0, 4, 4, 0, 0, 0, 1};
    static const char *const fence[8] = {NULL, NULL, NULL, NULL, NULL, "lfence", "mfence", "sfence"};
    int k = in->reg & 7;
    if (in->mod == 3 && k == 5 && (in->pfx & PFX_F3)) {
      put(o, "incssp%s %s", (in->pfx & PFX_REXW) ? "q" : "d", regname(in, in->rm, (in->pfx & PFX_REXW) ? 8 : 4));
      return 1;
    }
    if (in->mod == 3 && k < 4 && (in->pfx & PFX_F3)) {
      static const char *const fsgs[4] = {"rdfsbase", "rdgsbase", "wrfsbase", "wrgsbase"};
      put(o, "%s %s", fsgs[k], regname(in, in->rm, (in->pfx & PFX_REXW) ? 8 : 4));
      return 1;
    }
    if (in->mod != 3 && (in->pfx & PFX_66) && k >= 6) {
      put(o, "%s ", k == 7 ? "clflushopt" : "clwb");
      mem_operand(o, in, 1, next);
      return 1;
    }
    if (in->mod == 3) {
      if (!fence[k]) break;
      put(o, "%s", fence[k]);
      return 1;
    }
    put(o, "%s%s ", mem[k], (in->pfx & PFX_REXW) && (k < 2 || k == 4 || k == 5 || k == 6) ? "64" : "");
    mem_operand(o, in, msz[k], next);
    return 1;
  }
  case 0x1C7:
    if (in->mod == 3 && (in->reg & 7) >= 6) { // RDRAND, RDSEED, RDPID (raise #UD here)
      if ((in->pfx & PFX_F3) && (in->reg & 7) == 7) put(o, "rdpid %s", regname(in, in->rm, 8));
      else put(o, "%s %s", (in->reg & 7) == 6 ? "rdrand" : "rdseed", regname(in, in->rm, sz));
      return 1;
    }
    if (in->mod != 3 && (in->reg & 7) >= 3 && (in->reg & 7) <= 5) {
      static const char *const names[3] = {"xrstors", "xsavec", "xsaves"};
      put(o, "%s%s ", names[(in->reg & 7) - 3], (in->pfx & PFX_REXW) ? "64" : "");
      mem_operand(o, in, 0, next);
      return 1;
    }
    if (in->mod == 3 || (in->reg & 7) != 1) break;
    put(o, "%s ", (in->pfx & PFX_REXW) ? "cmpxchg16b" : "cmpxchg8b");
    mem_operand(o, in, (in->pfx & PFX_REXW) ? SIZE_OWORD : 8, next);
    return 1;
  case 0x101:
    if (in->mod == 3) {
      int m = 0xC0 | ((in->reg & 7) << 3) | (in->rm & 7);
      const char *name = m == 0xD0 ? "xgetbv" : m == 0xD1 ? "xsetbv" : m == 0xD5 ? "xend" : m == 0xD6 ? "xtest"
                         : m == 0xEE ? "rdpkru" : m == 0xEF ? "wrpkru" : m == 0xF9 ? "rdtscp" : NULL;
      if (!name) break;
      put(o, "%s", name);
      return 1;
    }
    break;
  case 0x1BC: case 0x1BD: case 0x1B8:
    put(o, "%s %s, ", op == 0x1B8 ? "popcnt" : (in->pfx & PFX_F3) ? (op == 0x1BC ? "tzcnt" : "lzcnt") : op == 0x1BC ? "bsf" : "bsr",
        regname(in, in->reg, sz));
    rm_operand(o, in, sz, next);
    return 1;
  default: break;
  }
  return 0;
}

// One-byte-map instructions with a switch of their own (the ranges are
// disasm_one's). Returns 0 when it has no name for the instruction.
static NOINLINE int disasm_ops(struct out *o, const struct insn *in, uint64_t next) {
  int op = in->op, sz = in->osz;
  switch (op) {
  case 0x63: put(o, "movsxd %s, ", regname(in, in->reg, sz)); rm_operand(o, in, 4, next); return 1;
  case 0x68: case 0x6A: put(o, "push "); imm_operand(o, in->imm, 8); return 1;
  case 0x69: case 0x6B:
    put(o, "imul %s, ", regname(in, in->reg, sz));
    rm_operand(o, in, sz, next);
    put(o, ", ");
    imm_operand(o, in->imm, sz);
    return 1;
  case 0x80: case 0x81: case 0x83: {
    int s = op == 0x80 ? 1 : sz;
    put(o, "%s ", alu_names[in->reg & 7]);
    rm_operand(o, in, s, next);
    put(o, ", ");
    imm_operand(o, in->imm, s);
    return 1;
  }
  case 0x84: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: {
    int s = (op & 1) ? sz : 1;
    put(o, "%s ", op < 0x86 ? "test" : op < 0x88 ? "xchg" : "mov");
    rm_operand(o, in, s, next);
    put(o, ", %s", regname(in, in->reg, s));
    return 1;
  }
  case 0x8A: case 0x8B: case 0x8D: {
    int s = op == 0x8A ? 1 : sz;
    put(o, "%s %s, ", op == 0x8D ? "lea" : "mov", regname(in, in->reg, s));
    if (op == 0x8D) mem_operand(o, in, 0, next);
    else rm_operand(o, in, s, next);
    return 1;
  }
  case 0x8F: put(o, "pop "); rm_operand(o, in, 8, next); return 1;
  case 0x90: put(o, (in->pfx & PFX_F3) ? "pause" : "nop"); return 1;
  case 0x98: put(o, sz == 8 ? "cdqe" : sz == 4 ? "cwde" : "cbw"); return 1;
  case 0x99: put(o, sz == 8 ? "cqo" : sz == 4 ? "cdq" : "cwd"); return 1;
  case 0x9C: put(o, "pushf"); return 1;
  case 0x9D: put(o, "popf"); return 1;
  case 0x9E: put(o, "sahf"); return 1;
  case 0x9F: put(o, "lahf"); return 1;
  case 0xA8: case 0xA9: put(o, "test %s, ", regname(in, RAX, op == 0xA8 ? 1 : sz)); imm_operand(o, in->imm, op == 0xA8 ? 1 : sz); return 1;
  case 0xA4: case 0xA5: case 0xA6: case 0xA7: case 0xAA: case 0xAB: case 0xAC: case 0xAD: case 0xAE: case 0xAF: {
    // objdump's form: explicit operands, "repz"/"repnz" on the compares.
    static const char *const names[] = {"movs", "movs", "cmps", "cmps", "", "", "stos", "stos", "lods", "lods", "scas", "scas"};
    int cmp = op == 0xA6 || op == 0xA7 || op >= 0xAE;
    const char *rep = (in->pfx & PFX_F3) ? (cmp ? "repz " : "rep ") : (in->pfx & PFX_F2) ? (cmp ? "repnz " : "repne ") : "";
    int s = (op & 1) ? sz : 1, a32 = (in->pfx & PFX_67) != 0;
    const char *di = a32 ? "edi" : "rdi", *si = a32 ? "esi" : "rsi", *acc = regname(in, RAX, s), *pn = ptr_name(s);
    put(o, "%s%s ", rep, names[op - 0xA4]);
    switch (op & ~1) {
    case 0xA4: put(o, "%s ptr es:[%s], %s ptr ds:[%s]", pn, di, pn, si); break;
    case 0xA6: put(o, "%s ptr ds:[%s], %s ptr es:[%s]", pn, si, pn, di); break;
    case 0xAA: put(o, "%s ptr es:[%s], %s", pn, di, acc); break;
    case 0xAC: put(o, "%s, %s ptr ds:[%s]", acc, pn, si); break;
    default: put(o, "%s, %s ptr es:[%s]", acc, pn, di); break;
    }
    return 1;
  }
  case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3: {
    int s = (op & 1) ? sz : 1;
    put(o, "%s ", shift_names[in->reg & 7]);
    rm_operand(o, in, s, next);
    if (op <= 0xC1) { put(o, ", "); imm_operand(o, in->imm, 1); }
    else if (op >= 0xD2) put(o, ", cl");
    else put(o, ", 1");
    return 1;
  }
  case 0xC2: put(o, "ret 0x%llx", (unsigned long long)in->imm); return 1;
  case 0xC3: put(o, (in->pfx & PFX_F3) ? "repz ret" : "ret"); return 1;
  case 0xC6: case 0xC7: {
    int s = op == 0xC6 ? 1 : sz;
    if (in->mod == 3 && (in->reg & 7) == 7 && (in->rm & 7) == 0) { // RTM (raises #UD here)
      if (op == 0xC6) put(o, "xabort 0x%x", (unsigned)(in->imm & 0xFF));
      else put(o, "xbegin 0x%llx", (unsigned long long)(next + in->imm));
      return 1;
    }
    put(o, "mov ");
    rm_operand(o, in, s, next);
    put(o, ", ");
    imm_operand(o, in->imm, s);
    return 1;
  }
  case 0xC8: put(o, "enter 0x%llx, 0x%x", (unsigned long long)in->imm, in->imm2); return 1;
  case 0xA0: case 0xA1: case 0xA2: case 0xA3: { // moffs: objdump's movabs, no size
    const char *r = regname(in, RAX, (op & 1) ? sz : 1), *seg = in->seg == 4 ? "fs" : in->seg == 5 ? "gs" : "ds";
    if (op < 0xA2) put(o, "mov %s, %s:0x%llx", r, seg, (unsigned long long)in->imm);
    else put(o, "mov %s:0x%llx, %s", seg, (unsigned long long)in->imm, r);
    return 1;
  }
  case 0xC9: put(o, "leave"); return 1;
  case 0xCC: put(o, "int3"); return 1;
  case 0xCD: put(o, "int 0x%x", (unsigned)(in->imm & 0xFF)); return 1;
  case 0xE8: put(o, "call 0x%llx", (unsigned long long)(next + in->imm)); return 1;
  case 0xE9: case 0xEB: put(o, "jmp 0x%llx", (unsigned long long)(next + in->imm)); return 1;
  case 0xE0: case 0xE1: case 0xE2: case 0xE3: {
    static const char *const names[] = {"loopne", "loope", "loop", "jrcxz"};
    put(o, "%s 0x%llx", names[op - 0xE0], (unsigned long long)(next + in->imm));
    return 1;
  }
  case 0xF4: put(o, "hlt"); return 1;
  case 0xF5: put(o, "cmc"); return 1;
  case 0xF8: put(o, "clc"); return 1;
  case 0xF9: put(o, "stc"); return 1;
  case 0xFC: put(o, "cld"); return 1;
  case 0xFD: put(o, "std"); return 1;
  case 0xF6: case 0xF7: {
    static const char *const names[] = {"test", "test", "not", "neg", "mul", "imul", "div", "idiv"};
    int s = op == 0xF6 ? 1 : sz;
    put(o, "%s ", names[in->reg & 7]);
    rm_operand(o, in, s, next);
    if ((in->reg & 7) < 2) { put(o, ", "); imm_operand(o, in->imm, s); }
    return 1;
  }
  case 0xFE: case 0xFF: {
    static const char *const names[] = {"inc", "dec", "call", "call", "jmp", "jmp", "push", "(bad)"};
    int k = in->reg & 7, s = op == 0xFE ? 1 : (k == 3 || k == 5) ? 6 : (k >= 2 ? 8 : sz); // far: m16:32
    put(o, "%s ", names[in->reg & 7]);
    rm_operand(o, in, s, next);
    return 1;
  }
  case 0x9B: put(o, "fwait"); return 1;
  default: break;
  }
  return 0;
}

static NOINLINE int disasm_one(struct out *o, const uint8_t *p, int n, uint64_t addr) {
  struct insn in;
  int len = cpu_decode_bytes(p, n, &in);
  if (len < 0 && (len = vex_parse(p, n, &in)) > 0) { // VEX the CPU rejects: named all the same
    if (!disasm_vex(o, &in, addr + len)) put(o, "(bad)");
    return len;
  }
  if (len < 0 && (len = disasm_evex(o, p, n, addr)) > 0) return len;
  if (len < 0) {
    int vlen = vex_evex_len(p, n);
    if (vlen > 0) { // AVX-512 (EVEX) is not implemented: its length keeps the listing in step
      int i = 0;
      while (i < vlen && p[i] != 0x62 && p[i] != 0xC4 && p[i] != 0xC5) i++;
      put(o, "%s", p[i] == 0x62 ? "(evex)" : "(bad)");
      return vlen;
    }
    put(o, "(bad)");
    return -1;
  }
  uint64_t next = addr + len;
  int op = in.op, sz = in.osz;
  if (in.pfx & PFX_VEX) {
    if (!(op >= 0x200 && disasm_vex_gpr(o, &in, next)) && !disasm_vex(o, &in, next)) put(o, "(bad)");
    return len;
  }
  if (in.pfx & PFX_LOCK) put(o, "lock ");
  if (op < 0x40 && (op & 7) < 6) {
    int form = op & 7, s = (form & 1) ? sz : 1;
    put(o, "%s ", alu_names[op >> 3]);
    if (form < 2) { rm_operand(o, &in, s, next); put(o, ", %s", regname(&in, in.reg, s)); }
    else if (form < 4) { put(o, "%s, ", regname(&in, in.reg, s)); rm_operand(o, &in, s, next); }
    else { put(o, "%s, ", regname(&in, RAX, s)); imm_operand(o, in.imm, s); }
    return len;
  }
  if (op >= 0x50 && op <= 0x5F) {
    put(o, "%s %s", op < 0x58 ? "push" : "pop", regname(&in, (op & 7) | ((in.rex & 1) << 3), sz));
    return len;
  }
  if (op >= 0x70 && op <= 0x7F) { put(o, "j%s 0x%llx", cc_names[op & 15], (unsigned long long)(next + in.imm)); return len; }
  if (op >= 0x180 && op <= 0x18F) { put(o, "j%s 0x%llx", cc_names[op & 15], (unsigned long long)(next + in.imm)); return len; }
  if (op >= 0x190 && op <= 0x19F) { put(o, "set%s ", cc_names[op & 15]); rm_operand(o, &in, 1, next); return len; }
  if (op >= 0x140 && op <= 0x14F) {
    put(o, "cmov%s %s, ", cc_names[op & 15], regname(&in, in.reg, sz));
    rm_operand(o, &in, sz, next);
    return len;
  }
  if (op >= 0xB0 && op <= 0xBF) {
    int s = op < 0xB8 ? 1 : sz;
    put(o, "mov %s, ", regname(&in, (op & 7) | ((in.rex & 1) << 3), s));
    imm_operand(o, in.imm, s);
    return len;
  }
  if (op >= 0x91 && op <= 0x97) { put(o, "xchg %s, %s", regname(&in, (op & 7) | ((in.rex & 1) << 3), sz), regname(&in, RAX, sz)); return len; }
  if (op >= 0xD8 && op <= 0xDF) { disasm_x87(o, &in, next); return len; }
  if (op >= 0x1C8 && op <= 0x1CF) { put(o, "bswap %s", regname(&in, (op & 7) | ((in.rex & 1) << 3), sz)); return len; }
  if (disasm_ops(o, &in, next)) return len;
  if (op >= 0x100 && op < 0x200 && disasm_0f(o, &in, next)) return len;
  if (op >= 0x200 && disasm_ext(o, &in, next)) return len;
  if (op >= 0x100 && op < 0x200 && disasm_sse(o, &in, next)) return len;
  put(o, "(op %03x)", op);
  return len;
}

int cpu_disasm(const uint8_t *p, int n, uint64_t addr, char *buf, int bufsz) {
  struct out o = {.buf = buf, .size = bufsz};
  if (bufsz <= 0) return -1;
  buf[0] = 0;
  int len = disasm_one(&o, p, n, addr);
  if (len > 0 && o.has_note) put(&o, " ; 0x%llx", (unsigned long long)o.note);
  return len;
}

// ---- AT&T syntax ------------------------------------------------------------
// objdump -M att's text, derived from the Intel text above (one source of
// truth for names and operands): operands reversed and spelled %reg, $imm,
// disp(base,index,scale); a size suffix where no register operand gives the
// size; objdump's AT&T names (movzbl, movslq, cltq, the x87 s/l/t/ll forms
// and its swapped fsub/fsubr with a st(i) destination, vcvtpd2dqx/y,
// cvtsi2sdl/q); '*' on indirect branch targets.

struct att_op {
  char text[72];
  char kind; // 'r' register, 'm' memory, 'i' immediate, 'a' branch target
  int size;  // memory operand size (0 none), register size for GPRs
  int bcst;  // EVEX broadcast element ("dword bcst"): {1toN} follows
};

// Size of a general register by name (0 if it is not one).
static int att_gpr_size(const char *r) {
  for (int i = 0; i < 16; i++) {
    if (!strcmp(r, reg64[i])) return 8;
    if (!strcmp(r, reg32[i])) return 4;
    if (!strcmp(r, reg16[i])) return 2;
    if (!strcmp(r, reg8[i]) || (i < 8 && !strcmp(r, reg8l[i]))) return 1;
  }
  return 0;
}

// "[size ptr ][seg:][base+index*scale+disp]" or "[size ptr ]seg:0xabs".
static void att_mem(const char *s, struct att_op *op) {
  static const char *const sizes[] = {"byte", "word", "dword", "qword", "tbyte", "xmmword", "ymmword", "zmmword", "oword", "fword"};
  static const uint8_t bytes[] = {1, 2, 4, 8, 10, 16, 32, 64, 16, 6};
  struct out mo = {.buf = op->text, .size = sizeof op->text};
  op->kind = 'm';
  for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    size_t l = strlen(sizes[i]);
    int bc = !strncmp(s + l, " bcst ", 6);
    if (!strncmp(s, sizes[i], l) && (bc || !strncmp(s + l, " ptr ", 5))) {
      op->size = bytes[i];
      op->bcst = bc;
      s += l + 5 + bc;
      break;
    }
  }
  char seg[4] = "";
  if (s[0] && s[1] && s[2] == ':') {
    memcpy(seg, s, 2);
    seg[2] = 0;
    s += 3;
  }
  if (*s != '[') { // absolute: objdump drops ds:
    int show = seg[0] && strcmp(seg, "ds");
    put(&mo, "%s%s%s%s", show ? "%" : "", show ? seg : "", show ? ":" : "", s);
    return;
  }
  char base[8] = "", index[8] = "", scale[4] = "", disp[24] = "";
  const char *p = s + 1;
  while (*p && *p != ']') {
    int neg = *p == '-';
    if (*p == '+' || *p == '-') p++;
    const char *e = p;
    while (*e && *e != '+' && *e != '-' && *e != ']') e++;
    int l = (int)(e - p);
    const char *star = memchr(p, '*', l);
    if (l > 0 && !strncmp(p, "0x", 2)) fmt_snprintf(disp, sizeof disp, "%s%.*s", neg ? "-" : "", l, p);
    else if (star) {
      fmt_snprintf(index, sizeof index, "%.*s", (int)(star - p), p);
      fmt_snprintf(scale, sizeof scale, "%.*s", (int)(e - star - 1), star + 1);
    } else fmt_snprintf(base, sizeof base, "%.*s", l, p);
    p = e;
  }
  if (seg[0]) put(&mo, "%%%s:", seg);
  put(&mo, "%s(", disp);
  if (base[0]) put(&mo, "%%%s", base);
  if (index[0]) put(&mo, ",%%%s,%s", index, scale);
  put(&mo, ")");
}

static void att_operand1(const char *s, int branch, struct att_op *op);

// One Intel operand into AT&T; branch: the instruction transfers control.
// EVEX decorations ("{k1}", "{z}") stay behind it, the mask as %k1.
static void att_operand(const char *s, int branch, struct att_op *op) {
  char base[72], deco[24] = "";
  const char *brace = strchr(s, '{');
  if (brace) {
    fmt_snprintf(base, sizeof base, "%.*s", (int)(brace - s), s);
    for (const char *d = brace; *d; d++) {
      size_t l = strlen(deco);
      if (*d == '{' && d[1] == 'k' && l + 2 < sizeof deco) deco[l++] = '{', deco[l++] = '%', deco[l] = 0;
      else if (l + 1 < sizeof deco) deco[l++] = *d, deco[l] = 0;
    }
    s = base;
  }
  att_operand1(s, branch, op);
  if (deco[0]) {
    size_t l = strlen(op->text);
    fmt_snprintf(op->text + l, sizeof op->text - l, "%s", deco);
  }
}

static void att_operand1(const char *s, int branch, struct att_op *op) {
  op->size = 0;
  op->bcst = 0;
  if (strchr(s, '[') || strstr(s, " ptr ") || (s[0] && s[1] && s[2] == ':')) {
    att_mem(s, op);
  } else if (s[0] >= '0' && s[0] <= '9') {
    op->kind = branch ? 'a' : 'i';
    unsigned long long v = strtoull(s, NULL, 0);
    fmt_snprintf(op->text, sizeof op->text, "%s0x%llx", branch ? "" : "$", v);
    return;
  } else {
    op->kind = 'r';
    op->size = att_gpr_size(s);
    fmt_snprintf(op->text, sizeof op->text, "%s%%%s", branch ? "*" : "", s);
    return;
  }
  if (branch) { // call/jmp through memory: *disp(...)
    char t[72];
    fmt_snprintf(t, sizeof t, "*%s", op->text);
    memcpy(op->text, t, sizeof t);
  }
}

static char att_letter(int size) { return size == 1 ? 'b' : size == 2 ? 'w' : size == 4 ? 'l' : 'q'; }

// objdump's AT&T mnemonic for an Intel one, given the converted operands
// (Intel order). buf receives the name.
static NOINLINE void att_name(const char *m, struct att_op *ops, int nops, char *buf, int size) {
  static const char *const conv[][2] = {{"cdqe", "cltq"}, {"cdq", "cltd"}, {"cqo", "cqto"},
                                        {"cwde", "cwtl"}, {"cbw", "cbtw"}, {"cwd", "cwtd"}};
  for (unsigned i = 0; i < sizeof conv / sizeof conv[0]; i++)
    if (!strcmp(m, conv[i][0])) {
      fmt_snprintf(buf, size, "%s", conv[i][1]);
      return;
    }
  int msz = 0, reg = 0;
  int shift = 0;
  for (int i = 0; i < 8; i++) shift |= !strcmp(m, shift_names[i]);
  for (int i = 0; i < nops; i++) {
    if (ops[i].kind == 'm') msz = ops[i].size;
    if (ops[i].kind == 'r' && !(shift && !strcmp(ops[i].text, "%cl"))) reg = 1; // a count says no size
  }
  if ((!strcmp(m, "movzx") || !strcmp(m, "movsx") || (!strcmp(m, "movsxd") && ops[0].size == 8)) && nops == 2) {
    int src = ops[1].size ? ops[1].size : 4;
    fmt_snprintf(buf, size, "mov%c%c%c", m[3], att_letter(src), att_letter(ops[0].size));
    return;
  }
  if (m[0] == 'f' && msz) { // x87 memory forms
    static const char *const plain[] = {"fldcw", "fnstcw", "fnstsw", "fldenv", "fnstenv", "frstor", "fnsave", "fbld",
                                        "fbstp", "fxsave", "fxsave64", "fxrstor", "fxrstor64"};
    for (unsigned i = 0; i < sizeof plain / sizeof plain[0]; i++)
      if (!strcmp(m, plain[i])) {
        fmt_snprintf(buf, size, "%s", m);
        return;
      }
    const char *sfx = m[1] == 'i' ? (msz == 2 ? "s" : msz == 4 ? "l" : "ll") : (msz == 4 ? "s" : msz == 8 ? "l" : "t");
    fmt_snprintf(buf, size, "%s%s", m, sfx);
    return;
  }
  if (m[0] == 'f' && nops == 2 && !strncmp(ops[0].text, "%st(", 4)) { // SysV's swapped fsub/fdiv
    static const char *const swap[][2] = {{"fsub", "fsubr"}, {"fsubr", "fsub"}, {"fdiv", "fdivr"}, {"fdivr", "fdiv"},
                                          {"fsubp", "fsubrp"}, {"fsubrp", "fsubp"}, {"fdivp", "fdivrp"}, {"fdivrp", "fdivp"}};
    for (unsigned i = 0; i < sizeof swap / sizeof swap[0]; i++)
      if (!strcmp(m, swap[i][0])) {
        fmt_snprintf(buf, size, "%s", swap[i][1]);
        return;
      }
  }
  if (msz == 6 && (!strcmp(m, "call") || !strcmp(m, "jmp"))) { // far, through memory
    fmt_snprintf(buf, size, "l%s", m);
    return;
  }
  if (!strcmp(m, "crc32") && nops == 2) { // sized by its source
    fmt_snprintf(buf, size, "crc32%c", att_letter(ops[1].size ? ops[1].size : 4));
    return;
  }
  if (msz && (!strcmp(m, "cvtsi2sd") || !strcmp(m, "cvtsi2ss") || !strcmp(m, "vcvtsi2sd") || !strcmp(m, "vcvtsi2ss"))) {
    fmt_snprintf(buf, size, "%s%c", m, att_letter(msz));
    return;
  }
  if ((msz == 16 || msz == 32) && (!strcmp(m, "vcvtpd2dq") || !strcmp(m, "vcvttpd2dq") || !strcmp(m, "vcvtpd2ps") ||
                                   !strcmp(m, "vcvtneps2bf16"))) {
    fmt_snprintf(buf, size, "%s%c", m, msz == 16 ? 'x' : 'y');
    return;
  }
  static const char *const bare[] = {"push", "pop", "call", "jmp", "ldmxcsr", "stmxcsr", "vldmxcsr", "vstmxcsr", "clflush",
                                     "clflushopt", "clwb", "cmpxchg8b", "cmpxchg16b", "lea", "xsave", "xsave64", "xrstor",
                                     "xrstor64", "xsaveopt", "xsaveopt64", "xsavec", "xsavec64", "xsaves", "xsaves64",
                                     "xrstors", "xrstors64", "ldtilecfg", "sttilecfg"};
  int suffix = msz >= 1 && msz <= 8 && !reg && m[0] != 'f' && strncmp(m, "set", 3) && strncmp(m, "prefetch", 8);
  for (unsigned i = 0; suffix && i < sizeof bare / sizeof bare[0]; i++)
    if (!strcmp(m, bare[i])) suffix = 0;
  if (suffix) fmt_snprintf(buf, size, "%s%c", m, att_letter(msz));
  else fmt_snprintf(buf, size, "%s", m);
}

// The Intel text of one instruction into AT&T.
static NOINLINE void att_convert(const char *intel, char *buf, int bufsz) {
  struct out o = {.buf = buf, .size = bufsz};
  char text[192];
  fmt_snprintf(text, sizeof text, "%s", intel);
  char *note = strstr(text, " ; ");
  if (note) *note = 0, note += 3;
  char *p = text;
  static const char *const words[] = {"lock ", "rep ", "repz ", "repnz ", "repne ", "{vex} "};
  for (int again = 1; again;) {
    again = 0;
    for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++)
      if (!strncmp(p, words[i], strlen(words[i]))) {
        put(&o, "%s", words[i]);
        p += strlen(words[i]);
        again = 1;
      }
  }
  char *sp = strchr(p, ' ');
  if (sp) *sp++ = 0;
  const char *m = p;
  int branch = m[0] == 'j' || !strcmp(m, "call") || !strncmp(m, "loop", 4) || !strcmp(m, "xbegin");
  struct att_op ops[5];
  int nops = 0;
  while (sp && *sp && nops < 5) {
    char *e = strstr(sp, ", ");
    if (e) *e = 0;
    if (strcmp(sp, "1") || !(m[0] == 's' || m[0] == 'r')) // shifts by 1: objdump leaves the count out
      att_operand(sp, branch, &ops[nops++]);
    sp = e ? e + 2 : NULL;
  }
  int vw = 16; // {1toN}: N from the widest vector operand
  for (int i = 0; i < nops; i++) vw = strstr(ops[i].text, "%zmm") ? 64 : strstr(ops[i].text, "%ymm") && vw < 32 ? 32 : vw;
  for (int i = 0; i < nops; i++)
    if (ops[i].bcst) {
      size_t l = strlen(ops[i].text);
      char *k = strchr(ops[i].text, '{'); // the broadcast goes before a mask
      char tail[24];
      fmt_snprintf(tail, sizeof tail, "%s", k ? k : "");
      if (k) l = (size_t)(k - ops[i].text);
      fmt_snprintf(ops[i].text + l, sizeof ops[i].text - l, "{1to%d}%s", vw / ops[i].size, tail);
    }
  char name[32];
  att_name(m, ops, nops, name, sizeof name);
  put(&o, "%s", name);
  for (int i = nops - 1; i >= 0; i--) {
    int keep = !strcmp(m, "enter"); // enter keeps Intel's order
    put(&o, "%s%s", i == nops - 1 ? " " : ",", ops[keep ? nops - 1 - i : i].text);
  }
  if (note) put(&o, " # %s", note);
}

// Disassembles one instruction in AT&T syntax (objdump -M att); returns the
// length or -1, like cpu_disasm.
int cpu_disasm_att(const uint8_t *p, int n, uint64_t addr, char *buf, int bufsz) {
  char intel[192];
  if (bufsz <= 0) return -1;
  int len = cpu_disasm(p, n, addr, intel, sizeof intel);
  if (len < 0 || intel[0] == '(') {
    fmt_snprintf(buf, bufsz, "%s", intel);
    return len;
  }
  att_convert(intel, buf, bufsz);
  return len;
}
