// SPDX-License-Identifier: MIT
// Intel-syntax disassembler on top of the decoder, so what it shows is what
// executes (same lengths, same operand forms). Covers the integer maps and
// names the SSE through SSE4.2, BMI and x87 opcodes; VEX vector forms get a
// "v" name where the legacy one is known; undecodable bytes print "(bad)".
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
static const char *const shift_names[8] = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
static const char *const cc_names[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                         "s", "ns", "p", "np", "l", "ge", "le", "g"};

struct out {
  char *buf;
  int size, len;
  int has_note;     // a rip-relative target to show after the operands
  uint64_t note;
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

static const char *ptr_name(int size) {
  switch (size) {
  case 1: return "byte";
  case 2: return "word";
  case 4: return "dword";
  case 8: return "qword";
  case 10: return "tbyte";
  case 32: return "ymmword";
  case 16: return "xmmword";
  default: return "";
  }
}

static void put_disp(struct out *o, int32_t d) {
  put(o, "%s0x%x", d < 0 ? "-" : "+", d < 0 ? -(unsigned)d : (unsigned)d);
}

// Memory operands as objdump writes them: "qword ptr [rbx+rcx*8+0x10]", an
// encoded zero displacement kept ("+0x0"), absolute addresses without
// brackets ("fs:0x28", "ds:0x601000").
static void mem_operand(struct out *o, const struct insn *in, int size, uint64_t next) {
  if (size) put(o, "%s ptr ", ptr_name(size));
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
  if (in->base == BASE_NONE && in->index == BASE_NONE) {
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
  if (in->index != BASE_NONE) {
    put(o, "%s%s*%d", any ? "+" : "", (in->pfx & PFX_67) ? reg32[in->index] : reg64[in->index], 1 << in->scale);
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
static int sse_mem_size(int op2, int p, int q, int vl) {
  int full = vl ? 32 : 16;
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
  default: return full;
  }
}

// VEX forms with no vvvv source (two operands, SDM vol. 2 opcode tables).
static int vex_two_op(int op2, int p, int mod3) {
  switch (op2) {
  case 0x10: case 0x11: return p < 2 || !mod3; // vmovss/sd between registers take three
  case 0x12: case 0x16: return p >= 2;
  case 0x13: case 0x17: case 0x28: case 0x29: case 0x2B: case 0x2C: case 0x2D: case 0x2E: case 0x2F: case 0x50:
  case 0x5B: case 0x6E: case 0x6F: case 0x70: case 0x7E: case 0x7F: case 0xC5: case 0xD6: case 0xD7: case 0xE6:
  case 0xE7: case 0xF0: case 0xF7: return 1;
  case 0x51: case 0x52: case 0x53: return p < 2;
  case 0x5A: return p < 2;
  default: return 0;
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
  default: name = sse_name(op2, 1, in->mod == 3); break;
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
  if (gdst) put(o, "%s, ", regname(in, in->reg, 4));
  else put(o, "mm%d, ", in->reg & 7);
  if (in->mod == 3 && gsrc) put(o, "%s", regname(in, in->rm, q ? 8 : 4));
  else if (in->mod == 3) put(o, "mm%d", in->rm & 7);
  else mem_operand(o, in, size, next);
  if (imm) put(o, ", 0x%x", (unsigned)(in->imm & 0xFF));
  return 1;
}

// 0F-map SSE instructions, legacy or VEX. Returns 0 when it has no name.
static NOINLINE int disasm_sse(struct out *o, const struct insn *in, uint64_t next) {
  int op2 = in->op & 0xFF, mod3 = in->mod == 3, vex = (in->pfx & PFX_VEX) != 0;
  int p = (in->pfx & PFX_F3) ? 2 : (in->pfx & PFX_F2) ? 3 : (in->pfx & PFX_66) ? 1 : 0;
  int q = (in->pfx & PFX_REXW) != 0, vl = vex && in->vex_l;
  const char *x = vl ? "ymm" : "xmm", *v = vex ? "v" : "";
  if (op2 == 0x77) {
    put(o, "%s", !vex ? "emms" : in->vex_l ? "vzeroall" : "vzeroupper");
    return 1;
  }
  int mmx = !vex && ((p == 0 && ((op2 >= 0x60 && op2 <= 0x7F && op2 != 0x77) || op2 == 0xC4 || op2 == 0xC5 || op2 >= 0xD0)) ||
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
    put(o, "%s%s ", v, name);
    if (vex) put(o, "%s%d, ", x, in->vex_v);
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
  int size = sse_mem_size(op2, p, q, vl);
  int gpr_sz = q ? 8 : 4;
  // Operand kinds: 'x' vector register, 'g' general register.
  char rk = 'x', mk = 'x';
  if (op2 == 0x2C || op2 == 0x2D || op2 == 0x50 || op2 == 0xD7 || op2 == 0xC5) rk = 'g';
  if (op2 == 0x2A || op2 == 0x6E || op2 == 0xC4 || (op2 == 0x7E && p != 2)) mk = 'g';
  if (op2 == 0xC4) gpr_sz = 4;
  if (op2 == 0x50 || op2 == 0xD7 || op2 == 0xC5) gpr_sz = 4;
  int store = op2 == 0x11 || op2 == 0x13 || op2 == 0x17 || op2 == 0x29 || op2 == 0x2B || op2 == 0x7F ||
              op2 == 0xE7 || (op2 == 0x7E && p != 2) || (op2 == 0xD6 && p == 1);
  int three = vex && !vex_two_op(op2, p, mod3);
  put(o, "%s%s ", v, name);
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
  if (three) put(o, "%s%d, ", x, in->vex_v);
  if (mod3) {
    if (mk == 'g') put(o, "%s", regname(in, in->rm, gpr_sz));
    else put(o, "%s%d", (op2 == 0x5A && vl && p == 0) ? "xmm" : x, in->rm);
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
  case 0x218: return "broadcastss"; case 0x219: return "broadcastsd"; case 0x258: return "pbroadcastd";
  case 0x259: return "pbroadcastq"; case 0x278: return "pbroadcastb"; case 0x279: return "pbroadcastw";
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

// The 0F38/0F3A maps, legacy and VEX. Returns 0 when it has no name for
// the instruction (the caller prints a generic form).
static NOINLINE int disasm_ext(struct out *o, const struct insn *in, uint64_t next) {
  int op = in->op, pp = (in->pfx & PFX_F2) ? 3 : (in->pfx & PFX_F3) ? 2 : (in->pfx & PFX_66) ? 1 : 0;
  int vex = (in->pfx & PFX_VEX) != 0, sz = in->osz;
  if (vex && disasm_vex_gpr(o, in, next)) return 1;
  if (!vex) {
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
  }
  const char *name = ext_name(op);
  char vname[24];
  if (!name) return 0;
  int q = (in->pfx & PFX_REXW) != 0;
  if (q && op == 0x316) name = "pextrq";
  if (q && op == 0x322) name = "pinsrq";
  if (vex) {
    fmt_snprintf(vname, sizeof vname, "v%s", name);
    name = vname;
  }
  const char *x = vex && in->vex_l ? "ymm" : "xmm";
  if (!vex && !(in->pfx & PFX_66)) { // SSSE3 on MMX registers
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
  int k = op & 0xFF, bcast = op == 0x218 || op == 0x219 || op == 0x258 || op == 0x259 || op == 0x278 || op == 0x279;
  // VEX forms without a vvvv source.
  int two = op == 0x217 || bcast || (k >= 0x1C && k <= 0x1E && op < 0x300) || (op >= 0x220 && op <= 0x235) ||
            op == 0x22A || op == 0x241 || op == 0x308 || op == 0x309 || (op >= 0x360 && op <= 0x363);
  put(o, "%s %s%d, ", name, x, in->reg);
  if (vex && !two) put(o, "%s%d, ", x, in->vex_v);
  if (bcast) {
    int size = op == 0x278 ? 1 : op == 0x279 ? 2 : (op == 0x218 || op == 0x258) ? 4 : 8;
    if (in->mod == 3) put(o, "xmm%d", in->rm);
    else mem_operand(o, in, size, next);
    return 1;
  }
  if (op == 0x320 || op == 0x322) {
    if (in->mod == 3) put(o, "%s", regname(in, in->rm, q && op == 0x322 ? 8 : 4));
    else mem_operand(o, in, op == 0x320 ? 1 : q ? 8 : 4, next);
  } else if (in->mod == 3) {
    put(o, "%s%d", x, in->rm);
  } else { // memory: pmovsx/zx read 8, 4 or 2 bytes; scalar round 4/8; insertps 4
    static const uint8_t pmov[6] = {8, 4, 2, 8, 4, 8};
    int k = op & 0xFF, size = vex && in->vex_l ? 32 : 16;
    if ((k >= 0x20 && k <= 0x25) || (k >= 0x30 && k <= 0x35)) size = pmov[k & 7] * (vex && in->vex_l ? 2 : 1);
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

// Length of an EVEX (AVX-512) or VEX instruction the decoder rejects (they
// raise #UD when executed), so a listing stays in step: prefixes, the 4- or
// 2/3-byte prefix, opcode, ModRM/SIB/displacement and an imm8. -1 if not one.
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
  case 0: put(o, "%s st, st(%d)", arith[r], i); return;
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
    if (r == 4 && i == 0) put(o, "fnstsw ax");
    else if (r == 5 || r == 6) put(o, "%s st, st(%d)", r == 5 ? "fucomip" : "fcomip", i);
    else put(o, "(bad)");
    return;
  }
}

static NOINLINE int disasm_one(struct out *o, const uint8_t *p, int n, uint64_t addr) {
  struct insn in;
  int len = cpu_decode_bytes(p, n, &in);
  if (len < 0) {
    int vlen = vex_evex_len(p, n);
    if (vlen > 0) {
      put(o, "(vex/evex, not implemented)");
      return vlen;
    }
    put(o, "(bad)");
    return -1;
  }
  uint64_t next = addr + len;
  int op = in.op, sz = in.osz;
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
  switch (op) {
  case 0x63: put(o, "movsxd %s, ", regname(&in, in.reg, sz)); rm_operand(o, &in, 4, next); return len;
  case 0x68: case 0x6A: put(o, "push "); imm_operand(o, in.imm, 8); return len;
  case 0x69: case 0x6B:
    put(o, "imul %s, ", regname(&in, in.reg, sz));
    rm_operand(o, &in, sz, next);
    put(o, ", ");
    imm_operand(o, in.imm, sz);
    return len;
  case 0x80: case 0x81: case 0x83: {
    int s = op == 0x80 ? 1 : sz;
    put(o, "%s ", alu_names[in.reg & 7]);
    rm_operand(o, &in, s, next);
    put(o, ", ");
    imm_operand(o, in.imm, s);
    return len;
  }
  case 0x84: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: {
    int s = (op & 1) ? sz : 1;
    put(o, "%s ", op < 0x86 ? "test" : op < 0x88 ? "xchg" : "mov");
    rm_operand(o, &in, s, next);
    put(o, ", %s", regname(&in, in.reg, s));
    return len;
  }
  case 0x8A: case 0x8B: case 0x8D: {
    int s = op == 0x8A ? 1 : sz;
    put(o, "%s %s, ", op == 0x8D ? "lea" : "mov", regname(&in, in.reg, s));
    if (op == 0x8D) mem_operand(o, &in, 0, next);
    else rm_operand(o, &in, s, next);
    return len;
  }
  case 0x8F: put(o, "pop "); rm_operand(o, &in, 8, next); return len;
  case 0x90: put(o, (in.pfx & PFX_F3) ? "pause" : "nop"); return len;
  case 0x98: put(o, sz == 8 ? "cdqe" : sz == 4 ? "cwde" : "cbw"); return len;
  case 0x99: put(o, sz == 8 ? "cqo" : sz == 4 ? "cdq" : "cwd"); return len;
  case 0x9C: put(o, "pushf"); return len;
  case 0x9D: put(o, "popf"); return len;
  case 0x9E: put(o, "sahf"); return len;
  case 0x9F: put(o, "lahf"); return len;
  case 0xA8: case 0xA9: put(o, "test %s, ", regname(&in, RAX, op == 0xA8 ? 1 : sz)); imm_operand(o, in.imm, op == 0xA8 ? 1 : sz); return len;
  case 0xA4: case 0xA5: case 0xA6: case 0xA7: case 0xAA: case 0xAB: case 0xAC: case 0xAD: case 0xAE: case 0xAF: {
    // objdump's form: explicit operands, "repz"/"repnz" on the compares.
    static const char *const names[] = {"movs", "movs", "cmps", "cmps", "", "", "stos", "stos", "lods", "lods", "scas", "scas"};
    int cmp = op == 0xA6 || op == 0xA7 || op >= 0xAE;
    const char *rep = (in.pfx & PFX_F3) ? (cmp ? "repz " : "rep ") : (in.pfx & PFX_F2) ? (cmp ? "repnz " : "repne ") : "";
    int s = (op & 1) ? sz : 1, a32 = (in.pfx & PFX_67) != 0;
    const char *di = a32 ? "edi" : "rdi", *si = a32 ? "esi" : "rsi", *acc = regname(&in, RAX, s), *pn = ptr_name(s);
    put(o, "%s%s ", rep, names[op - 0xA4]);
    switch (op & ~1) {
    case 0xA4: put(o, "%s ptr es:[%s], %s ptr ds:[%s]", pn, di, pn, si); break;
    case 0xA6: put(o, "%s ptr ds:[%s], %s ptr es:[%s]", pn, si, pn, di); break;
    case 0xAA: put(o, "%s ptr es:[%s], %s", pn, di, acc); break;
    case 0xAC: put(o, "%s, %s ptr ds:[%s]", acc, pn, si); break;
    default: put(o, "%s, %s ptr es:[%s]", acc, pn, di); break;
    }
    return len;
  }
  case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3: {
    int s = (op & 1) ? sz : 1;
    put(o, "%s ", shift_names[in.reg & 7]);
    rm_operand(o, &in, s, next);
    if (op <= 0xC1) { put(o, ", "); imm_operand(o, in.imm, 1); }
    else if (op >= 0xD2) put(o, ", cl");
    else put(o, ", 1");
    return len;
  }
  case 0xC2: put(o, "ret 0x%llx", (unsigned long long)in.imm); return len;
  case 0xC3: put(o, (in.pfx & PFX_F3) ? "repz ret" : "ret"); return len;
  case 0xC6: case 0xC7: {
    int s = op == 0xC6 ? 1 : sz;
    if (in.mod == 3 && (in.reg & 7) == 7 && (in.rm & 7) == 0) { // RTM (raises #UD here)
      if (op == 0xC6) put(o, "xabort 0x%x", (unsigned)(in.imm & 0xFF));
      else put(o, "xbegin 0x%llx", (unsigned long long)(next + in.imm));
      return len;
    }
    put(o, "mov ");
    rm_operand(o, &in, s, next);
    put(o, ", ");
    imm_operand(o, in.imm, s);
    return len;
  }
  case 0xC8: put(o, "enter 0x%llx, %d", (unsigned long long)in.imm, in.imm2); return len;
  case 0xC9: put(o, "leave"); return len;
  case 0xCC: put(o, "int3"); return len;
  case 0xCD: put(o, "int 0x%x", (unsigned)(in.imm & 0xFF)); return len;
  case 0xE8: put(o, "call 0x%llx", (unsigned long long)(next + in.imm)); return len;
  case 0xE9: case 0xEB: put(o, "jmp 0x%llx", (unsigned long long)(next + in.imm)); return len;
  case 0xE0: case 0xE1: case 0xE2: case 0xE3: {
    static const char *const names[] = {"loopne", "loope", "loop", "jrcxz"};
    put(o, "%s 0x%llx", names[op - 0xE0], (unsigned long long)(next + in.imm));
    return len;
  }
  case 0xF4: put(o, "hlt"); return len;
  case 0xF5: put(o, "cmc"); return len;
  case 0xF8: put(o, "clc"); return len;
  case 0xF9: put(o, "stc"); return len;
  case 0xFC: put(o, "cld"); return len;
  case 0xFD: put(o, "std"); return len;
  case 0xF6: case 0xF7: {
    static const char *const names[] = {"test", "test", "not", "neg", "mul", "imul", "div", "idiv"};
    int s = op == 0xF6 ? 1 : sz;
    put(o, "%s ", names[in.reg & 7]);
    rm_operand(o, &in, s, next);
    if ((in.reg & 7) < 2) { put(o, ", "); imm_operand(o, in.imm, s); }
    return len;
  }
  case 0xFE: case 0xFF: {
    static const char *const names[] = {"inc", "dec", "call", "callf", "jmp", "jmpf", "push", "(bad)"};
    int s = op == 0xFE ? 1 : ((in.reg & 7) >= 2 ? 8 : sz);
    put(o, "%s ", names[in.reg & 7]);
    rm_operand(o, &in, s, next);
    return len;
  }
  case 0x105: put(o, "syscall"); return len;
  case 0x10B: put(o, "ud2"); return len;
  case 0x11F: put(o, "nop "); rm_operand(o, &in, sz, next); return len;
  case 0x11E: // CET hints: NOPs on a CPU without CET (like this one)
    if ((in.pfx & PFX_F3) && in.mod == 3 && (in.reg & 7) == 7 && (in.rm & 7) >= 2)
      put(o, (in.rm & 7) == 2 ? "endbr64" : "endbr32");
    else if ((in.pfx & PFX_F3) && in.mod == 3 && (in.reg & 7) == 1)
      put(o, "rdssp%s %s", (in.pfx & PFX_REXW) ? "q" : "d", regname(&in, in.rm, (in.pfx & PFX_REXW) ? 8 : 4));
    else {
      put(o, "nop ");
      rm_operand(o, &in, sz, next);
    }
    return len;
  case 0x131: put(o, "rdtsc"); return len;
  case 0x1A2: put(o, "cpuid"); return len;
  case 0x1AF: put(o, "imul %s, ", regname(&in, in.reg, sz)); rm_operand(o, &in, sz, next); return len;
  case 0x1B6: case 0x1B7: case 0x1BE: case 0x1BF:
    put(o, "%s %s, ", op < 0x1BE ? "movzx" : "movsx", regname(&in, in.reg, sz));
    rm_operand(o, &in, (op & 1) ? 2 : 1, next);
    return len;
  case 0x1B0: case 0x1B1: case 0x1C0: case 0x1C1: {
    int s = (op & 1) ? sz : 1;
    put(o, "%s ", op < 0x1C0 ? "cmpxchg" : "xadd");
    rm_operand(o, &in, s, next);
    put(o, ", %s", regname(&in, in.reg, s));
    return len;
  }
  case 0x1A3: case 0x1AB: case 0x1B3: case 0x1BB: {
    static const char *const names[] = {"bt", "bts", "btr", "btc"};
    put(o, "%s ", names[(op >> 3) & 3]);
    rm_operand(o, &in, sz, next);
    put(o, ", %s", regname(&in, in.reg, sz));
    return len;
  }
  case 0x1BA: {
    static const char *const names[4] = {"bt", "bts", "btr", "btc"};
    if ((in.reg & 7) < 4) break;
    put(o, "%s ", names[(in.reg & 7) - 4]);
    rm_operand(o, &in, sz, next);
    put(o, ", 0x%x", (unsigned)(in.imm & 0xFF));
    return len;
  }
  case 0x1A4: case 0x1A5: case 0x1AC: case 0x1AD:
    put(o, "%s ", op < 0x1AC ? "shld" : "shrd");
    rm_operand(o, &in, sz, next);
    put(o, ", %s, ", regname(&in, in.reg, sz));
    if (op & 1) put(o, "cl");
    else put(o, "0x%x", (unsigned)(in.imm & 0xFF));
    return len;
  case 0x118: case 0x10D: {
    static const char *const hint[4] = {"prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2"};
    int k = in.reg & 7;
    if (in.mod == 3 || (op == 0x118 && k > 3) || (op == 0x10D && k > 1)) break;
    put(o, "%s ", op == 0x10D ? (k ? "prefetchw" : "prefetch") : hint[k]);
    mem_operand(o, &in, 1, next);
    return len;
  }
  case 0x1AE: {
    static const char *const mem[8] = {"fxsave", "fxrstor", "ldmxcsr", "stmxcsr", "xsave", "xrstor", "xsaveopt", "clflush"};
    static const uint8_t msz[8] = {0, 0, 4, 4, 0, 0, 0, 1};
    static const char *const fence[8] = {NULL, NULL, NULL, NULL, NULL, "lfence", "mfence", "sfence"};
    int k = in.reg & 7;
    if (in.mod == 3 && k == 5 && (in.pfx & PFX_F3)) {
      put(o, "incssp%s %s", (in.pfx & PFX_REXW) ? "q" : "d", regname(&in, in.rm, (in.pfx & PFX_REXW) ? 8 : 4));
      return len;
    }
    if (in.mod == 3) {
      if (!fence[k]) break;
      put(o, "%s", fence[k]);
      return len;
    }
    put(o, "%s%s ", mem[k], (in.pfx & PFX_REXW) && (k < 2 || k == 4 || k == 5 || k == 6) ? "64" : "");
    mem_operand(o, &in, msz[k], next);
    return len;
  }
  case 0x1C7:
    if (in.mod != 3 && (in.reg & 7) >= 3 && (in.reg & 7) <= 5) {
      static const char *const names[3] = {"xrstors", "xsavec", "xsaves"};
      put(o, "%s%s ", names[(in.reg & 7) - 3], (in.pfx & PFX_REXW) ? "64" : "");
      mem_operand(o, &in, 0, next);
      return len;
    }
    if (in.mod == 3 || (in.reg & 7) != 1) break;
    put(o, "%s ", (in.pfx & PFX_REXW) ? "cmpxchg16b" : "cmpxchg8b");
    mem_operand(o, &in, (in.pfx & PFX_REXW) ? 16 : 8, next);
    return len;
  case 0x101:
    if (in.mod == 3) {
      int m = 0xC0 | ((in.reg & 7) << 3) | (in.rm & 7);
      const char *name = m == 0xD0 ? "xgetbv" : m == 0xD5 ? "xend" : m == 0xD6 ? "xtest" : m == 0xF9 ? "rdtscp" : NULL;
      if (!name) break;
      put(o, "%s", name);
      return len;
    }
    break;
  case 0x9B: put(o, "fwait"); return len;
  case 0x1BC: case 0x1BD: case 0x1B8:
    put(o, "%s %s, ", op == 0x1B8 ? "popcnt" : (in.pfx & PFX_F3) ? (op == 0x1BC ? "tzcnt" : "lzcnt") : op == 0x1BC ? "bsf" : "bsr",
        regname(&in, in.reg, sz));
    rm_operand(o, &in, sz, next);
    return len;
  default: break;
  }
  if (op >= 0x200 && disasm_ext(o, &in, next)) return len;
  if (op >= 0x100 && op < 0x200 && disasm_sse(o, &in, next)) return len;
  put(o, "(op %03x)", op);
  return len;
}

int cpu_disasm(const uint8_t *p, int n, uint64_t addr, char *buf, int bufsz) {
  struct out o = {buf, bufsz, 0, 0, 0};
  if (bufsz <= 0) return -1;
  buf[0] = 0;
  int len = disasm_one(&o, p, n, addr);
  if (len > 0 && o.has_note) put(&o, " ; 0x%llx", (unsigned long long)o.note);
  return len;
}
