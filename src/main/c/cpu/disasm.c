// SPDX-License-Identifier: MIT
// Intel-syntax disassembler on top of the decoder, so what it shows is what
// executes (same lengths, same operand forms). Covers the integer maps and
// names the SSE/x87 opcodes; unknown opcodes print as "(bad)".
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
  case 16: return "xmmword";
  default: return "";
  }
}

static void mem_operand(struct out *o, const struct insn *in, int size, uint64_t next) {
  if (size) put(o, "%s ptr ", ptr_name(size));
  if (in->seg) put(o, "%s:", in->seg == 4 ? "fs" : "gs");
  if (in->base == BASE_RIP) {
    put(o, "[rip%+d] ; 0x%llx", in->disp, (unsigned long long)(next + (int64_t)in->disp));
    return;
  }
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
  if (in->disp || !any) {
    if (any) put(o, "%s0x%x", in->disp < 0 ? "-" : "+", in->disp < 0 ? -(unsigned)in->disp : (unsigned)in->disp);
    else put(o, "0x%x", (unsigned)in->disp);
  }
  put(o, "]");
}

static void rm_operand(struct out *o, const struct insn *in, int size, uint64_t next) {
  if (in->mod == 3) put(o, "%s", regname(in, in->rm, size));
  else mem_operand(o, in, size, next);
}
static void xmm_rm(struct out *o, const struct insn *in, int size, uint64_t next) {
  if (in->mod == 3) put(o, "xmm%d", in->rm);
  else mem_operand(o, in, size, next);
}

static void imm_operand(struct out *o, uint64_t v, int size) {
  v &= size_mask(size);
  put(o, "0x%llx", (unsigned long long)v);
}

static const char *sse_name(int op2, int p) {
  // p: 0 none, 1 66, 2 F3, 3 F2
  static const char *const arith[] = {"sqrt", "rsqrt", "rcp", "and", "andn", "or", "xor",
                                      "add",  "mul",   "cvt", "cvt", "sub",  "min", "div", "max"};
  static const char *const sfx[] = {"ps", "pd", "ss", "sd"};
  static char name[24];
  if (op2 >= 0x51 && op2 <= 0x5F) {
    fmt_snprintf(name, sizeof name, "%s%s", arith[op2 - 0x51], sfx[p]);
    return name;
  }
  switch (op2) {
  case 0x10: case 0x11: return p == 0 ? "movups" : p == 1 ? "movupd" : p == 2 ? "movss" : "movsd";
  case 0x28: case 0x29: return p == 1 ? "movapd" : "movaps";
  case 0x2A: return p == 3 ? "cvtsi2sd" : "cvtsi2ss";
  case 0x2C: return p == 3 ? "cvttsd2si" : "cvttss2si";
  case 0x2D: return p == 3 ? "cvtsd2si" : "cvtss2si";
  case 0x2E: return p == 1 ? "ucomisd" : "ucomiss";
  case 0x2F: return p == 1 ? "comisd" : "comiss";
  case 0x6E: return "movd";
  case 0x6F: case 0x7F: return p == 2 ? "movdqu" : "movdqa";
  case 0x7E: return p == 2 ? "movq" : "movd";
  case 0xD6: return "movq";
  case 0x74: return "pcmpeqb";
  case 0x75: return "pcmpeqw";
  case 0x76: return "pcmpeqd";
  case 0xD7: return "pmovmskb";
  case 0xEF: return "pxor";
  case 0xEB: return "por";
  case 0xDB: return "pand";
  case 0xDF: return "pandn";
  case 0xDA: return "pminub";
  case 0xDE: return "pmaxub";
  case 0xFE: return "paddd";
  case 0xFC: return "paddb";
  case 0xD4: return "paddq";
  case 0xF8: return "psubb";
  case 0xFA: return "psubd";
  case 0xFB: return "psubq";
  case 0x60: return "punpcklbw";
  case 0x61: return "punpcklwd";
  case 0x62: return "punpckldq";
  case 0x6C: return "punpcklqdq";
  case 0x6D: return "punpckhqdq";
  case 0x70: return p == 1 ? "pshufd" : p == 2 ? "pshufhw" : "pshuflw";
  case 0x14: return p == 1 ? "unpcklpd" : "unpcklps";
  case 0x15: return p == 1 ? "unpckhpd" : "unpckhps";
  case 0xC6: return p == 1 ? "shufpd" : "shufps";
  case 0xE7: return "movntdq";
  case 0x2B: return p == 1 ? "movntpd" : "movntps";
  case 0xC2: return p == 3 ? "cmpsd" : p == 2 ? "cmpss" : p == 1 ? "cmppd" : "cmpps";
  default: return NULL;
  }
}

int cpu_disasm(const uint8_t *p, int n, uint64_t addr, char *buf, int bufsz) {
  struct insn in;
  struct out o = {buf, bufsz, 0};
  if (bufsz <= 0) return -1;
  buf[0] = 0;
  int len = cpu_decode_bytes(p, n, &in);
  if (len < 0) {
    put(&o, "(bad)");
    return -1;
  }
  uint64_t next = addr + len;
  int op = in.op, sz = in.osz;
  if (in.pfx & PFX_LOCK) put(&o, "lock ");
  if (op < 0x40 && (op & 7) < 6) {
    int form = op & 7, s = (form & 1) ? sz : 1;
    put(&o, "%s ", alu_names[op >> 3]);
    if (form < 2) { rm_operand(&o, &in, s, next); put(&o, ", %s", regname(&in, in.reg, s)); }
    else if (form < 4) { put(&o, "%s, ", regname(&in, in.reg, s)); rm_operand(&o, &in, s, next); }
    else { put(&o, "%s, ", regname(&in, RAX, s)); imm_operand(&o, in.imm, s); }
    return len;
  }
  if (op >= 0x50 && op <= 0x5F) {
    put(&o, "%s %s", op < 0x58 ? "push" : "pop", regname(&in, (op & 7) | ((in.rex & 1) << 3), sz));
    return len;
  }
  if (op >= 0x70 && op <= 0x7F) { put(&o, "j%s 0x%llx", cc_names[op & 15], (unsigned long long)(next + in.imm)); return len; }
  if (op >= 0x180 && op <= 0x18F) { put(&o, "j%s 0x%llx", cc_names[op & 15], (unsigned long long)(next + in.imm)); return len; }
  if (op >= 0x190 && op <= 0x19F) { put(&o, "set%s ", cc_names[op & 15]); rm_operand(&o, &in, 1, next); return len; }
  if (op >= 0x140 && op <= 0x14F) {
    put(&o, "cmov%s %s, ", cc_names[op & 15], regname(&in, in.reg, sz));
    rm_operand(&o, &in, sz, next);
    return len;
  }
  if (op >= 0xB0 && op <= 0xBF) {
    int s = op < 0xB8 ? 1 : sz;
    put(&o, "mov %s, ", regname(&in, (op & 7) | ((in.rex & 1) << 3), s));
    imm_operand(&o, in.imm, s);
    return len;
  }
  if (op >= 0x91 && op <= 0x97) { put(&o, "xchg %s, %s", regname(&in, (op & 7) | ((in.rex & 1) << 3), sz), regname(&in, RAX, sz)); return len; }
  if (op >= 0xD8 && op <= 0xDF) { put(&o, "(x87 %02x /%d)", op, in.reg & 7); return len; }
  if (op >= 0x1C8 && op <= 0x1CF) { put(&o, "bswap %s", regname(&in, (op & 7) | ((in.rex & 1) << 3), sz)); return len; }
  switch (op) {
  case 0x63: put(&o, "movsxd %s, ", regname(&in, in.reg, sz)); rm_operand(&o, &in, 4, next); return len;
  case 0x68: case 0x6A: put(&o, "push "); imm_operand(&o, in.imm, 8); return len;
  case 0x69: case 0x6B:
    put(&o, "imul %s, ", regname(&in, in.reg, sz));
    rm_operand(&o, &in, sz, next);
    put(&o, ", ");
    imm_operand(&o, in.imm, sz);
    return len;
  case 0x80: case 0x81: case 0x83: {
    int s = op == 0x80 ? 1 : sz;
    put(&o, "%s ", alu_names[in.reg & 7]);
    rm_operand(&o, &in, s, next);
    put(&o, ", ");
    imm_operand(&o, in.imm, s);
    return len;
  }
  case 0x84: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: {
    int s = (op & 1) ? sz : 1;
    put(&o, "%s ", op < 0x86 ? "test" : op < 0x88 ? "xchg" : "mov");
    rm_operand(&o, &in, s, next);
    put(&o, ", %s", regname(&in, in.reg, s));
    return len;
  }
  case 0x8A: case 0x8B: case 0x8D: {
    int s = op == 0x8A ? 1 : sz;
    put(&o, "%s %s, ", op == 0x8D ? "lea" : "mov", regname(&in, in.reg, s));
    if (op == 0x8D) mem_operand(&o, &in, 0, next);
    else rm_operand(&o, &in, s, next);
    return len;
  }
  case 0x8F: put(&o, "pop "); rm_operand(&o, &in, 8, next); return len;
  case 0x90: put(&o, (in.pfx & PFX_F3) ? "pause" : "nop"); return len;
  case 0x98: put(&o, sz == 8 ? "cdqe" : sz == 4 ? "cwde" : "cbw"); return len;
  case 0x99: put(&o, sz == 8 ? "cqo" : sz == 4 ? "cdq" : "cwd"); return len;
  case 0x9C: put(&o, "pushfq"); return len;
  case 0x9D: put(&o, "popfq"); return len;
  case 0x9E: put(&o, "sahf"); return len;
  case 0x9F: put(&o, "lahf"); return len;
  case 0xA8: case 0xA9: put(&o, "test %s, ", regname(&in, RAX, op == 0xA8 ? 1 : sz)); imm_operand(&o, in.imm, op == 0xA8 ? 1 : sz); return len;
  case 0xA4: case 0xA5: case 0xA6: case 0xA7: case 0xAA: case 0xAB: case 0xAC: case 0xAD: case 0xAE: case 0xAF: {
    static const char *const names[] = {"movs", "movs", "cmps", "cmps", "", "", "stos", "stos", "lods", "lods", "scas", "scas"};
    const char *rep = (in.pfx & PFX_F3) ? ((op == 0xA6 || op == 0xA7 || op >= 0xAE) ? "repe " : "rep ")
                      : (in.pfx & PFX_F2) ? "repne " : "";
    int s = (op & 1) ? sz : 1;
    put(&o, "%s%s%c", rep, names[op - 0xA4], "bwdq"[s == 1 ? 0 : s == 2 ? 1 : s == 4 ? 2 : 3]);
    return len;
  }
  case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3: {
    int s = (op & 1) ? sz : 1;
    put(&o, "%s ", shift_names[in.reg & 7]);
    rm_operand(&o, &in, s, next);
    if (op <= 0xC1) { put(&o, ", "); imm_operand(&o, in.imm, 1); }
    else if (op >= 0xD2) put(&o, ", cl");
    else put(&o, ", 1");
    return len;
  }
  case 0xC2: put(&o, "ret 0x%llx", (unsigned long long)in.imm); return len;
  case 0xC3: put(&o, (in.pfx & PFX_F3) ? "rep ret" : "ret"); return len;
  case 0xC6: case 0xC7: {
    int s = op == 0xC6 ? 1 : sz;
    put(&o, "mov ");
    rm_operand(&o, &in, s, next);
    put(&o, ", ");
    imm_operand(&o, in.imm, s);
    return len;
  }
  case 0xC8: put(&o, "enter 0x%llx, %d", (unsigned long long)in.imm, in.imm2); return len;
  case 0xC9: put(&o, "leave"); return len;
  case 0xCC: put(&o, "int3"); return len;
  case 0xCD: put(&o, "int 0x%x", (unsigned)(in.imm & 0xFF)); return len;
  case 0xE8: put(&o, "call 0x%llx", (unsigned long long)(next + in.imm)); return len;
  case 0xE9: case 0xEB: put(&o, "jmp 0x%llx", (unsigned long long)(next + in.imm)); return len;
  case 0xE0: case 0xE1: case 0xE2: case 0xE3: {
    static const char *const names[] = {"loopne", "loope", "loop", "jrcxz"};
    put(&o, "%s 0x%llx", names[op - 0xE0], (unsigned long long)(next + in.imm));
    return len;
  }
  case 0xF4: put(&o, "hlt"); return len;
  case 0xF5: put(&o, "cmc"); return len;
  case 0xF8: put(&o, "clc"); return len;
  case 0xF9: put(&o, "stc"); return len;
  case 0xFC: put(&o, "cld"); return len;
  case 0xFD: put(&o, "std"); return len;
  case 0xF6: case 0xF7: {
    static const char *const names[] = {"test", "test", "not", "neg", "mul", "imul", "div", "idiv"};
    int s = op == 0xF6 ? 1 : sz;
    put(&o, "%s ", names[in.reg & 7]);
    rm_operand(&o, &in, s, next);
    if ((in.reg & 7) < 2) { put(&o, ", "); imm_operand(&o, in.imm, s); }
    return len;
  }
  case 0xFE: case 0xFF: {
    static const char *const names[] = {"inc", "dec", "call", "callf", "jmp", "jmpf", "push", "(bad)"};
    int s = op == 0xFE ? 1 : ((in.reg & 7) >= 2 ? 8 : sz);
    put(&o, "%s ", names[in.reg & 7]);
    rm_operand(&o, &in, s, next);
    return len;
  }
  case 0x105: put(&o, "syscall"); return len;
  case 0x10B: put(&o, "ud2"); return len;
  case 0x11F: put(&o, "nop "); rm_operand(&o, &in, sz, next); return len;
  case 0x11E: put(&o, (in.pfx & PFX_F3) && in.mod == 3 && in.rm == 2 ? "endbr64" : "nop"); return len;
  case 0x131: put(&o, "rdtsc"); return len;
  case 0x1A2: put(&o, "cpuid"); return len;
  case 0x1AF: put(&o, "imul %s, ", regname(&in, in.reg, sz)); rm_operand(&o, &in, sz, next); return len;
  case 0x1B6: case 0x1B7: case 0x1BE: case 0x1BF:
    put(&o, "%s %s, ", op < 0x1BE ? "movzx" : "movsx", regname(&in, in.reg, sz));
    rm_operand(&o, &in, (op & 1) ? 2 : 1, next);
    return len;
  case 0x1B0: case 0x1B1: case 0x1C0: case 0x1C1: {
    int s = (op & 1) ? sz : 1;
    put(&o, "%s ", op < 0x1C0 ? "cmpxchg" : "xadd");
    rm_operand(&o, &in, s, next);
    put(&o, ", %s", regname(&in, in.reg, s));
    return len;
  }
  case 0x1A3: case 0x1AB: case 0x1B3: case 0x1BB: {
    static const char *const names[] = {"bt", "bts", "btr", "btc"};
    put(&o, "%s ", names[(op >> 3) & 3]);
    rm_operand(&o, &in, sz, next);
    put(&o, ", %s", regname(&in, in.reg, sz));
    return len;
  }
  case 0x1BC: case 0x1BD: case 0x1B8:
    put(&o, "%s %s, ", op == 0x1B8 ? "popcnt" : (in.pfx & PFX_F3) ? (op == 0x1BC ? "tzcnt" : "lzcnt") : op == 0x1BC ? "bsf" : "bsr",
        regname(&in, in.reg, sz));
    rm_operand(&o, &in, sz, next);
    return len;
  default: break;
  }
  if (op >= 0x100 && op < 0x200) {
    int pp = (in.pfx & PFX_F3) ? 2 : (in.pfx & PFX_F2) ? 3 : (in.pfx & PFX_66) ? 1 : 0;
    const char *name = sse_name(op & 0xFF, pp);
    if (name) {
      int store = op == 0x111 || op == 0x129 || op == 0x17F || op == 0x1D6 || op == 0x1E7 || op == 0x12B ||
                  (op == 0x17E && pp != 2);
      if (store) {
        xmm_rm(&o, &in, 0, next);
        put(&o, ", xmm%d", in.reg);
      } else {
        put(&o, "%s xmm%d, ", name, in.reg);
        if (op == 0x16E) rm_operand(&o, &in, (in.pfx & PFX_REXW) ? 8 : 4, next);
        else xmm_rm(&o, &in, 0, next);
        if (op == 0x170 || op == 0x1C6 || op == 0x1C2) { put(&o, ", "); imm_operand(&o, in.imm, 1); }
        return len;
      }
      // prefix the mnemonic for stores
      char tmp[160];
      fmt_snprintf(tmp, sizeof tmp, "%s %s", name, buf);
      fmt_snprintf(buf, bufsz, "%s", tmp);
      return len;
    }
  }
  put(&o, "(op %03x)", op);
  return len;
}
