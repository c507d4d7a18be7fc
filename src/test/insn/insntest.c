// SPDX-License-Identifier: MIT
// Instruction differential harness. From a seed it generates random cases per
// instruction class, runs each encoded instruction between a prologue that
// loads every GPR, XMM register and the arithmetic flags from a state record
// and an epilogue that stores them back, and prints the result. The same
// binary runs natively and under xos; the two outputs must be byte-identical.
// Flags and registers the Intel SDM (vol. 2) calls undefined for a case are
// masked out. RSP is never an operand; memory operands point into a scratch
// window mapped at a fixed address, so addresses agree natively and in xos.
//
// Usage: insntest [--seed S] [--n N] [--only CLASS[,CLASS]] [--soak] [--verbose] [--list]
// Build: gcc -static -O2 -o insntest insntest.c   (non-PIE: fixed addresses)
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

// ---- state record shared with the assembly trampoline -------------------

// Layout is fixed: the trampoline below uses these offsets.
struct state {
  uint64_t r[16];      // 0: GPRs in encoding order (r[4], RSP, is ignored)
  uint64_t flags;      // 128: RFLAGS
  uint64_t mxcsr;      // 136: MXCSR (loaded and stored by the AVX trampoline only)
  uint8_t xmm[16][16]; // 144: XMM0..XMM15
  uint8_t yhi[16][16]; // 400: bits 255:128 of YMM0..YMM15 (AVX classes only)
};
_Static_assert(sizeof(struct state) == 656, "state layout");

struct state g_state;             // the case being run (in and out)
uint64_t g_saved_rsp;             // host stack pointer across the case
uint64_t g_target;                // address of the generated stub
void run_case(void);
void case_return(void);
void run_case_avx(void);
void case_return_avx(void);

// run_case: save callee-saved registers, load the whole state, jump to the
// stub. The stub is the instruction under test followed by an absolute jump
// to case_return, which stores the state back and returns to C.
__asm__(".text\n"
        ".globl run_case\n"
        "run_case:\n"
        "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
        "  mov %rsp, g_saved_rsp(%rip)\n"
        "  lea g_state(%rip), %rdi\n"
        "  movdqu 144(%rdi), %xmm0;  movdqu 160(%rdi), %xmm1;  movdqu 176(%rdi), %xmm2\n"
        "  movdqu 192(%rdi), %xmm3;  movdqu 208(%rdi), %xmm4;  movdqu 224(%rdi), %xmm5\n"
        "  movdqu 240(%rdi), %xmm6;  movdqu 256(%rdi), %xmm7;  movdqu 272(%rdi), %xmm8\n"
        "  movdqu 288(%rdi), %xmm9;  movdqu 304(%rdi), %xmm10; movdqu 320(%rdi), %xmm11\n"
        "  movdqu 336(%rdi), %xmm12; movdqu 352(%rdi), %xmm13; movdqu 368(%rdi), %xmm14\n"
        "  movdqu 384(%rdi), %xmm15\n"
        "  pushq 128(%rdi); popfq\n"
        "  mov 0(%rdi), %rax; mov 8(%rdi), %rcx; mov 16(%rdi), %rdx; mov 24(%rdi), %rbx\n"
        "  mov 40(%rdi), %rbp; mov 48(%rdi), %rsi\n"
        "  mov 64(%rdi), %r8; mov 72(%rdi), %r9; mov 80(%rdi), %r10; mov 88(%rdi), %r11\n"
        "  mov 96(%rdi), %r12; mov 104(%rdi), %r13; mov 112(%rdi), %r14; mov 120(%rdi), %r15\n"
        "  mov 56(%rdi), %rdi\n"
        "  jmp *g_target(%rip)\n"
        ".globl case_return\n"
        "case_return:\n"
        "  pushfq\n"
        "  push %rdi\n"
        "  lea g_state(%rip), %rdi\n"
        "  mov %rax, 0(%rdi); mov %rcx, 8(%rdi); mov %rdx, 16(%rdi); mov %rbx, 24(%rdi)\n"
        "  mov %rbp, 40(%rdi); mov %rsi, 48(%rdi)\n"
        "  mov %r8, 64(%rdi); mov %r9, 72(%rdi); mov %r10, 80(%rdi); mov %r11, 88(%rdi)\n"
        "  mov %r12, 96(%rdi); mov %r13, 104(%rdi); mov %r14, 112(%rdi); mov %r15, 120(%rdi)\n"
        "  pop %rax; mov %rax, 56(%rdi)\n"
        "  pop %rax; mov %rax, 128(%rdi)\n"
        "  movdqu %xmm0, 144(%rdi);  movdqu %xmm1, 160(%rdi);  movdqu %xmm2, 176(%rdi)\n"
        "  movdqu %xmm3, 192(%rdi);  movdqu %xmm4, 208(%rdi);  movdqu %xmm5, 224(%rdi)\n"
        "  movdqu %xmm6, 240(%rdi);  movdqu %xmm7, 256(%rdi);  movdqu %xmm8, 272(%rdi)\n"
        "  movdqu %xmm9, 288(%rdi);  movdqu %xmm10, 304(%rdi); movdqu %xmm11, 320(%rdi)\n"
        "  movdqu %xmm12, 336(%rdi); movdqu %xmm13, 352(%rdi); movdqu %xmm14, 368(%rdi)\n"
        "  movdqu %xmm15, 384(%rdi)\n"
        "  cld\n"
        "  mov g_saved_rsp(%rip), %rsp\n"
        "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
        "  ret\n");

// The same for the AVX classes, with whole YMM registers: the low halves are
// loaded with a VEX.128 move (which zeroes the upper half) and the upper
// halves inserted with vinsertf128, and stored back the same way.
#define YLOAD(n) "  vmovdqu " #n "*16+144(%rdi), %xmm" #n "; vinsertf128 $1, " #n "*16+400(%rdi), %ymm" #n ", %ymm" #n "\n"
#define YSTORE(n) "  vmovdqu %xmm" #n ", " #n "*16+144(%rdi); vextractf128 $1, %ymm" #n ", " #n "*16+400(%rdi)\n"
__asm__(".text\n"
        ".globl run_case_avx\n"
        "run_case_avx:\n"
        "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
        "  mov %rsp, g_saved_rsp(%rip)\n"
        "  lea g_state(%rip), %rdi\n"
        "  ldmxcsr 136(%rdi)\n"
        YLOAD(0) YLOAD(1) YLOAD(2) YLOAD(3) YLOAD(4) YLOAD(5) YLOAD(6) YLOAD(7)
        YLOAD(8) YLOAD(9) YLOAD(10) YLOAD(11) YLOAD(12) YLOAD(13) YLOAD(14) YLOAD(15)
        "  pushq 128(%rdi); popfq\n"
        "  mov 0(%rdi), %rax; mov 8(%rdi), %rcx; mov 16(%rdi), %rdx; mov 24(%rdi), %rbx\n"
        "  mov 40(%rdi), %rbp; mov 48(%rdi), %rsi\n"
        "  mov 64(%rdi), %r8; mov 72(%rdi), %r9; mov 80(%rdi), %r10; mov 88(%rdi), %r11\n"
        "  mov 96(%rdi), %r12; mov 104(%rdi), %r13; mov 112(%rdi), %r14; mov 120(%rdi), %r15\n"
        "  mov 56(%rdi), %rdi\n"
        "  jmp *g_target(%rip)\n"
        ".globl case_return_avx\n"
        "case_return_avx:\n"
        "  pushfq\n"
        "  push %rdi\n"
        "  lea g_state(%rip), %rdi\n"
        "  mov %rax, 0(%rdi); mov %rcx, 8(%rdi); mov %rdx, 16(%rdi); mov %rbx, 24(%rdi)\n"
        "  mov %rbp, 40(%rdi); mov %rsi, 48(%rdi)\n"
        "  mov %r8, 64(%rdi); mov %r9, 72(%rdi); mov %r10, 80(%rdi); mov %r11, 88(%rdi)\n"
        "  mov %r12, 96(%rdi); mov %r13, 104(%rdi); mov %r14, 112(%rdi); mov %r15, 120(%rdi)\n"
        "  pop %rax; mov %rax, 56(%rdi)\n"
        "  pop %rax; mov %rax, 128(%rdi)\n"
        YSTORE(0) YSTORE(1) YSTORE(2) YSTORE(3) YSTORE(4) YSTORE(5) YSTORE(6) YSTORE(7)
        YSTORE(8) YSTORE(9) YSTORE(10) YSTORE(11) YSTORE(12) YSTORE(13) YSTORE(14) YSTORE(15)
        "  stmxcsr 136(%rdi)\n"
        "  movl $0x1f80, 136+4(%rdi); ldmxcsr 136+4(%rdi); movl $0, 136+4(%rdi)\n"
        "  vzeroupper\n"
        "  cld\n"
        "  mov g_saved_rsp(%rip), %rsp\n"
        "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
        "  ret\n");

// ---- fixed addresses -----------------------------------------------------

#define CODE_ADDR 0x10000000ul    // generated stubs, one slot per case
#define SLOT 64
#define BATCH 1024                // cases per code fill (64 KiB)
#define SCRATCH_ADDR 0x20000000ul // memory operands point here
#define SCRATCH_LEN 1024          // bytes compared after each case
#define SCRATCH_MID (SCRATCH_ADDR + 512)

// Arithmetic flags: CF PF AF ZF SF OF, and DF (string ops).
enum { CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800 };
#define ARITH (CF | PF | AF | ZF | SF | OF)
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI };

// ---- random numbers ------------------------------------------------------

static uint64_t rng_state;
static uint64_t rnd(void) {
  uint64_t x = rng_state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rng_state = x;
  return x * 0x2545F4914F6CDD1Dull;
}
static int rndn(int n) { return (int)(rnd() % (uint64_t)n); }

// Values that find flag bugs more often than uniform ones do.
static uint64_t interesting(void) {
  static const uint64_t special[] = {0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
                                     0xffffffff, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
                                     0xffffffffffffffffull, 0xfffffffffffffffeull, 0x8000000000000001ull};
  switch (rndn(6)) {
  case 0: return special[rndn(sizeof special / sizeof special[0])];
  case 1: return special[rndn(sizeof special / sizeof special[0])] + (uint64_t)(rndn(5) - 2);
  case 2: return rnd() & 0xff;
  case 3: return (uint64_t)(int64_t)(int8_t)rnd();
  default: return rnd();
  }
}

// The generator runs under xos too, so it computes with integers only: a
// floating-point instruction here would feed xos's own results into the inputs.
// Bits of the double k * 2^shift (k < 2^53, exact).
static uint64_t int_to_double_bits(uint64_t k, int shift) {
  int msb = 63 - __builtin_clzll(k);
  uint64_t exp = (uint64_t)(1023 + msb + shift);
  uint64_t mant = (k << (63 - msb)) << 1 >> 12; // drop the leading 1, keep 52 bits
  return exp << 52 | mant;
}

static double interesting_double(void) {
  static const double special[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, 1e300, -1e300, 1e-310, -4.9e-324,
                                   2.2250738585072014e-308, 9.2233720368547758e18, -9.2233720368547758e18,
                                   2147483647.5, -2147483648.5, 4294967296.0, 1.5, 2.5, -2.5, 0.1};
  uint64_t bits;
  switch (rndn(8)) {
  case 0: bits = 0x7ff0000000000000ull; break;                   // +inf
  case 1: bits = 0xfff0000000000000ull; break;                   // -inf
  case 2: bits = 0x7ff8000000000000ull | (rnd() & 0xffff); break; // qnan with payload
  case 3: bits = 0x7ff0000000000001ull | (rnd() & 0xffff); break; // snan
  case 4: bits = rnd(); break;
  case 5: bits = int_to_double_bits((uint64_t)rndn(1 << 20) + 1, rndn(41) - 20); break;
  default: { double d = special[rndn(sizeof special / sizeof special[0])]; memcpy(&bits, &d, 8); break; }
  }
  double d;
  memcpy(&d, &bits, 8);
  return d;
}

// ---- encoder -------------------------------------------------------------

typedef struct {
  int mem;              // 0: register operand, 1: memory operand
  int reg;              // register number when !mem
  int base, index;      // -1: none (no base means disp32 absolute via SIB)
  int scale;            // 1, 2, 4, 8
  int32_t disp;
  int dispsz;           // 0, 1 or 4
} operand;

typedef struct {
  int lock, p66, rep;   // rep: 0, 0xF2, 0xF3 (also SSE mandatory prefixes)
  int w, rex;           // REX.W; rex forces a REX byte (SPL..DIL byte regs)
  uint8_t op[3];
  int opn;
  int regf;             // ModRM.reg (register or /digit); -1: no ModRM
  int plusr;            // register added to the last opcode byte; -1: none
  operand rm;
  uint8_t imm[8];
  int immn;
  int vex, vmap, vl, vv; // VEX: map (1 0F, 2 0F38, 3 0F3A), L, vvvv register
  int vex2;             // use the two-byte C5 form when the fields allow it
} insn;

static int encode(const insn *in, uint8_t *out) {
  int n = 0;
  if (in->lock) out[n++] = 0xF0;
  if (in->p66) out[n++] = 0x66;
  if (in->rep) out[n++] = (uint8_t)in->rep;
  int rex = in->w ? 8 : 0;
  if (in->regf >= 8) rex |= 4;
  if (in->plusr >= 8) rex |= 1;
  if (in->regf >= 0) {
    if (in->rm.mem) {
      if (in->rm.index >= 8) rex |= 2;
      if (in->rm.base >= 8) rex |= 1;
    } else if (in->rm.reg >= 8) {
      rex |= 1;
    }
  }
  if (in->vex) { // three-byte VEX; p66/rep give pp, the opcode is op[0]
    int pp = in->p66 ? 1 : in->rep == 0xF3 ? 2 : in->rep == 0xF2 ? 3 : 0;
    n = 0;
    if (in->vex2 && in->vmap == 1 && !(rex & 0xB)) {
      out[n++] = 0xC5;
      out[n++] = (uint8_t)((~rex & 4) << 5 | (~in->vv & 15) << 3 | in->vl << 2 | pp);
    } else {
      out[n++] = 0xC4;
      out[n++] = (uint8_t)((~rex & 7) << 5 | in->vmap);
      out[n++] = (uint8_t)((rex & 8) << 4 | (~in->vv & 15) << 3 | in->vl << 2 | pp);
    }
  } else if (rex || in->rex) {
    out[n++] = (uint8_t)(0x40 | rex);
  }
  for (int i = 0; i < in->opn; i++) out[n++] = in->op[i];
  if (in->plusr >= 0) out[n - 1] += (uint8_t)(in->plusr & 7);
  if (in->regf >= 0) {
    int reg = in->regf & 7;
    const operand *m = &in->rm;
    if (!m->mem) {
      out[n++] = (uint8_t)(0xC0 | reg << 3 | (m->reg & 7));
    } else if (m->base < 0) {
      out[n++] = (uint8_t)(0x04 | reg << 3);
      int ss = m->scale == 8 ? 3 : m->scale == 4 ? 2 : m->scale == 2 ? 1 : 0;
      out[n++] = (uint8_t)(ss << 6 | (m->index < 0 ? 4 : m->index & 7) << 3 | 5);
      memcpy(out + n, &m->disp, 4);
      n += 4;
    } else {
      int dsz = m->dispsz;
      if (dsz == 0 && (m->base & 7) == 5) dsz = 1; // rbp/r13 need a displacement
      int mod = dsz == 0 ? 0 : dsz == 1 ? 1 : 2;
      if (m->index >= 0 || (m->base & 7) == 4) {
        int ss = m->scale == 8 ? 3 : m->scale == 4 ? 2 : m->scale == 2 ? 1 : 0;
        out[n++] = (uint8_t)(mod << 6 | reg << 3 | 4);
        out[n++] = (uint8_t)(ss << 6 | (m->index < 0 ? 4 : m->index & 7) << 3 | (m->base & 7));
      } else {
        out[n++] = (uint8_t)(mod << 6 | reg << 3 | (m->base & 7));
      }
      if (dsz == 1) out[n++] = (uint8_t)(int8_t)m->disp;
      if (dsz == 4) { memcpy(out + n, &m->disp, 4); n += 4; }
    }
  }
  memcpy(out + n, in->imm, in->immn);
  n += in->immn;
  return n;
}

// ---- case generation -----------------------------------------------------

// One generated case: its code, the initial state, what to mask.
typedef struct {
  const char *cls;
  uint8_t code[48];
  int len;
  struct state in;
  uint8_t scratch[SCRATCH_LEN];
  uint64_t undef_flags;  // flags whose value is architecturally undefined
  uint32_t undef_regs;   // GPRs whose value is undefined
  int flagmask_df;       // string ops: DF is printed too
  uint32_t mxcsr_mask;   // AVX classes: MXCSR bits compared (xos keeps no exception flags)
} tcase;

static tcase *cur;  // the case being generated
static insn I;      // the instruction being generated

static void insn_reset(void) {
  memset(&I, 0, sizeof I);
  I.regf = -1;
  I.plusr = -1;
  I.rm.base = I.rm.index = -1;
}

// Registers that already have a role in this case (bit per register).
static uint32_t used;

// A random register, never RSP. hi: r8..r15 allowed. For legacy byte
// registers (no REX) numbers 4..7 mean AH, CH, DH, BH and are allowed.
static int pick_reg(int hi, uint32_t avoid) {
  for (;;) {
    int r = rndn(hi ? 16 : 8);
    if (r == RSP || (avoid >> r & 1)) continue;
    return r;
  }
}
static int pick_reg8_legacy(uint32_t avoid) {
  for (;;) {
    int r = rndn(8);
    if (avoid >> r & 1) continue;
    return r;
  }
}

// A memory operand into the scratch window: base (+ index*scale) + disp8.
// The base and index registers get values that make the address land there.
// align: the effective address is made a multiple of it.
static void make_mem(operand *m, int hi, int align, uint32_t avoid) {
  m->mem = 1;
  m->base = pick_reg(hi, avoid | used);
  used |= 1u << m->base;
  m->index = -1;
  m->scale = 1;
  if (rndn(2)) {
    m->index = pick_reg(hi, avoid | used);
    used |= 1u << m->index;
    m->scale = 1 << rndn(4);
    cur->in.r[m->index] = (uint64_t)rndn(16);
  }
  uint64_t base = SCRATCH_MID + (uint64_t)(rndn(64) - 32);
  cur->in.r[m->base] = base;
  m->disp = rndn(225) - 112;
  m->dispsz = (m->disp == 0 && rndn(2)) ? 0 : 1;
  if (align > 1) {
    uint64_t ea = base + (m->index >= 0 ? cur->in.r[m->index] * m->scale : 0) + (int64_t)m->disp;
    m->disp -= (int32_t)(ea % align);
    if (m->disp == 0 && m->dispsz == 0) m->dispsz = 0;
    else m->dispsz = 1;
  }
}

static uint64_t ea_of(const operand *m, const struct state *s) {
  uint64_t a = m->base >= 0 ? s->r[m->base] : 0;
  if (m->index >= 0) a += s->r[m->index] * (uint64_t)m->scale;
  return a + (int64_t)m->disp;
}

// Operand size in bits: 8, 16, 32, 64.
static int pick_size(void) { return 8 << rndn(4); }
static int pick_size_nobyte(void) { return 16 << rndn(3); }

static void set_size(int size) {
  I.p66 = size == 16;
  I.w = size == 64;
}

// The r/m operand of a sized instruction: register or memory. For byte
// operations without a REX prefix the legacy high byte registers are used.
static int legacy8;
static int no_legacy8;  // set when REX.W is present: no AH..BH then
static void rm_operand(int size, int allow_mem, uint32_t avoid) {
  legacy8 = size == 8 && !no_legacy8 && rndn(2);
  if (size == 8 && !legacy8) I.rex = 1;
  if (allow_mem && rndn(3) == 0) {
    make_mem(&I.rm, !legacy8, 1, avoid);
  } else {
    I.rm.mem = 0;
    I.rm.reg = legacy8 ? pick_reg8_legacy(avoid) : pick_reg(1, avoid);
    used |= 1u << I.rm.reg;
  }
}
static int reg_operand(int size, uint32_t avoid) {
  if (size == 8 && legacy8) return pick_reg8_legacy(avoid);
  return pick_reg(1, avoid);
}

static void imm_bytes(int n, uint64_t v) {
  memcpy(I.imm, &v, n);
  I.immn = n;
}

static void op1(uint8_t a) { I.op[0] = a; I.opn = 1; }
static void op2(uint8_t a, uint8_t b) { I.op[0] = a; I.op[1] = b; I.opn = 2; }

// Memory destinations of these operations may carry LOCK.
static void maybe_lock(void) {
  if (I.rm.mem && rndn(4) == 0) I.lock = 1;
}

// Value of a register operand of size bits (legacy byte registers honoured).
static uint64_t reg_value(const struct state *s, int r, int size, int legacy) {
  if (size == 8 && legacy && r >= 4) return (s->r[r - 4] >> 8) & 0xff;
  uint64_t v = s->r[r];
  return size == 64 ? v : v & ((1ull << size) - 1);
}

// ---- classes -------------------------------------------------------------

static void gen_alu(void) {
  int k = rndn(8); // add or adc sbb and sub xor cmp
  int size = pick_size();
  set_size(size);
  int form = rndn(6);
  if (form == 0 || form == 1) { // op r/m, r  and  op r, r/m
    rm_operand(size, 1, 0);
    I.regf = reg_operand(size, 0);
    op1((uint8_t)(k * 8 + (form ? 2 : 0) + (size != 8)));
    if (form == 0 && k != 7) maybe_lock();
  } else if (form == 2) { // op AL/eAX, imm
    op1((uint8_t)(k * 8 + 4 + (size != 8)));
    imm_bytes(size == 8 ? 1 : size == 16 ? 2 : 4, interesting());
  } else { // 80/81/83 /k
    rm_operand(size, 1, 0);
    I.regf = k;
    if (size == 8) { op1(0x80); imm_bytes(1, interesting()); }
    else if (form == 3) { op1(0x83); imm_bytes(1, interesting()); }
    else { op1(0x81); imm_bytes(size == 16 ? 2 : 4, interesting()); }
    if (k != 7) maybe_lock();
  }
  if (k == 1 || k == 4 || k == 6) cur->undef_flags = AF; // or and xor
}

static void gen_incdec(void) {
  int k = rndn(4); // inc dec not neg
  int size = pick_size();
  set_size(size);
  rm_operand(size, 1, 0);
  static const uint8_t digit[] = {0, 1, 2, 3};
  if (k < 2) { op1(size == 8 ? 0xFE : 0xFF); I.regf = digit[k]; }
  else { op1(size == 8 ? 0xF6 : 0xF7); I.regf = digit[k]; }
  maybe_lock();
}

static void gen_test(void) {
  int size = pick_size();
  set_size(size);
  int form = rndn(3);
  if (form == 0) { rm_operand(size, 1, 0); I.regf = reg_operand(size, 0); op1(size == 8 ? 0x84 : 0x85); }
  else if (form == 1) { op1(size == 8 ? 0xA8 : 0xA9); imm_bytes(size == 8 ? 1 : size == 16 ? 2 : 4, interesting()); }
  else {
    rm_operand(size, 1, 0);
    I.regf = 0;
    op1(size == 8 ? 0xF6 : 0xF7);
    imm_bytes(size == 8 ? 1 : size == 16 ? 2 : 4, interesting());
  }
  cur->undef_flags = AF;
}

static uint8_t shift_count(void) {
  static const uint8_t counts[] = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 0x80, 0xff};
  return rndn(2) ? counts[rndn(sizeof counts)] : (uint8_t)rnd();
}

// Flags a shift or rotate leaves undefined, from the masked count (SDM vol. 2B, SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR).
static uint64_t shift_undef(int k, int size, unsigned raw) {
  unsigned c = raw & (size == 64 ? 63 : 31);
  if (c == 0) return 0;
  uint64_t u = c != 1 ? OF : 0;
  if (k >= 4) { // shl shr sal sar
    u |= AF;
    if ((k == 4 || k == 5) && c >= (unsigned)size) u |= CF;
  }
  return u;
}

static void gen_shift(void) {
  int k;
  do k = rndn(8); while (k == 6);
  int size = pick_size();
  set_size(size);
  int form = rndn(3); // imm8, 1, CL
  uint32_t avoid = form == 2 ? 1u << RCX : 0;
  rm_operand(size, 1, avoid);
  I.regf = k;
  unsigned count;
  if (form == 0) { op1(size == 8 ? 0xC0 : 0xC1); count = shift_count(); imm_bytes(1, count); }
  else if (form == 1) { op1(size == 8 ? 0xD0 : 0xD1); count = 1; }
  else {
    op1(size == 8 ? 0xD2 : 0xD3);
    count = shift_count();
    cur->in.r[RCX] = (cur->in.r[RCX] & ~0xffull) | count;
  }
  cur->undef_flags = shift_undef(k, size, count);
}

static void gen_shxd(void) {
  int size = pick_size_nobyte();
  set_size(size);
  int right = rndn(2), cl = rndn(2);
  uint32_t avoid = cl ? 1u << RCX : 0;
  rm_operand(size, 1, avoid);
  I.regf = reg_operand(size, avoid);
  unsigned count;
  do count = shift_count(); while (size == 16 && (count & 31) > 16); // > size: result undefined
  op2(0x0F, (uint8_t)((right ? 0xAC : 0xA4) + cl));
  if (cl) cur->in.r[RCX] = (cur->in.r[RCX] & ~0xffull) | count;
  else imm_bytes(1, count);
  unsigned c = count & (size == 64 ? 63 : 31);
  if (c) cur->undef_flags = AF | (c != 1 ? OF : 0);
}

static void gen_mul(void) {
  int size = pick_size();
  int form = rndn(5);
  if (size == 8 && form >= 2) form = rndn(2);
  set_size(size);
  if (form < 2) { // mul / imul r/m (one operand)
    rm_operand(size, 1, 0);
    op1(size == 8 ? 0xF6 : 0xF7);
    I.regf = form ? 5 : 4;
  } else if (form == 2) { // imul r, r/m
    rm_operand(size, 1, 0);
    I.regf = reg_operand(size, 0);
    op2(0x0F, 0xAF);
  } else { // imul r, r/m, imm
    rm_operand(size, 1, 0);
    I.regf = reg_operand(size, 0);
    if (form == 3) { op1(0x6B); imm_bytes(1, interesting()); }
    else { op1(0x69); imm_bytes(size == 16 ? 2 : 4, interesting()); }
  }
  cur->undef_flags = SF | ZF | AF | PF;
}

// Division: operands are chosen so that no #DE happens (the quotient fits).
static int gen_div(void) {
  int size = pick_size();
  set_size(size);
  int sign = rndn(2);
  uint32_t avoid = (1u << RAX) | (1u << RDX);
  legacy8 = size == 8 && rndn(2);
  if (size == 8 && !legacy8) I.rex = 1;
  if (rndn(3) == 0) make_mem(&I.rm, !legacy8, 1, avoid);
  else {
    // Legacy byte: AL, AH (0, 4) hold the dividend; others: RAX, RDX.
    I.rm.reg = legacy8 ? pick_reg8_legacy((1u << 0) | (1u << 4)) : pick_reg(1, avoid);
  }
  op1(size == 8 ? 0xF6 : 0xF7);
  I.regf = sign ? 7 : 6;
  struct state *s = &cur->in;
  if (rndn(2)) { // make the high half small often, so most draws are valid
    if (size == 8) s->r[RAX] &= ~0xff00ull;
    else s->r[RDX] = sign && (int64_t)(s->r[RAX] << (64 - size)) < 0 ? ~0ull : 0;
  }
  uint64_t d;
  if (I.rm.mem) {
    uint64_t ea = ea_of(&I.rm, s) - SCRATCH_ADDR;
    d = 0;
    memcpy(&d, cur->scratch + ea, size / 8);
  } else {
    d = reg_value(s, I.rm.reg, size, legacy8);
  }
  if (d == 0) return 0;
  if (size == 64) {
    unsigned __int128 n = ((unsigned __int128)s->r[RDX] << 64) | s->r[RAX];
    if (!sign) return (n / d) >> 64 == 0;
    __int128 sn = (__int128)n;
    int64_t sd = (int64_t)d;
    if (sd == -1 && n == (unsigned __int128)1 << 127) return 0;
    __int128 q = sn / sd;
    return q >= INT64_MIN && q <= INT64_MAX;
  }
  uint64_t mask = (1ull << size) - 1;
  uint64_t n = size == 8 ? (s->r[RAX] & 0xffff)
                         : ((s->r[RDX] & mask) << size) | (s->r[RAX] & mask);
  if (!sign) return n / d <= mask;
  int64_t sn = (int64_t)(n << (64 - 2 * size)) >> (64 - 2 * size);
  int64_t sd = (int64_t)(d << (64 - size)) >> (64 - size);
  int64_t q = sn / sd;
  int64_t lim = 1ll << (size - 1);
  return q >= -lim && q < lim;
}

static void gen_divwrap(void) {
  cur->undef_flags = ARITH;
}

static void gen_bt(void) {
  int k = rndn(4); // bt bts btr btc
  int size = pick_size_nobyte();
  set_size(size);
  if (rndn(2)) { // bit offset in a register
    rm_operand(size, 1, 0);
    I.regf = pick_reg(1, used);
    op2(0x0F, (uint8_t)(0xA3 + k * 8));
    uint64_t off = rnd();
    // Memory form: the offset is signed and may leave the operand; keep the
    // addressed byte inside the scratch window (+-200 bytes).
    if (I.rm.mem) off = (uint64_t)(int64_t)(rndn(3200) - 1600);
    cur->in.r[I.regf] = off;
  } else {
    rm_operand(size, 1, 0);
    I.regf = 4 + k;
    op2(0x0F, 0xBA);
    imm_bytes(1, rnd());
  }
  if (k) maybe_lock();
  cur->undef_flags = OF | SF | AF | PF;
}

static void gen_bsf(void) {
  int size = pick_size_nobyte();
  set_size(size);
  rm_operand(size, 1, 0);
  I.regf = reg_operand(size, 0);
  op2(0x0F, rndn(2) ? 0xBC : 0xBD);
  cur->undef_flags = CF | OF | SF | AF | PF;
  uint64_t v;
  if (I.rm.mem) {
    v = 0;
    memcpy(&v, cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR), size / 8);
    if (rndn(8) == 0) { memset(cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR), 0, size / 8); v = 0; }
  } else {
    if (rndn(8) == 0) cur->in.r[I.rm.reg] = 0;
    v = reg_value(&cur->in, I.rm.reg, size, 0);
  }
  if (v == 0) cur->undef_regs |= 1u << I.regf; // SDM: destination undefined
}

static void gen_bswap(void) {
  int size = rndn(2) ? 64 : 32;
  set_size(size);
  op2(0x0F, 0xC8);
  I.plusr = pick_reg(1, 0);
}

static void gen_movx(void) {
  int form = rndn(5);
  if (form == 4) { // movsxd r64, r/m32
    I.w = 1;
    rm_operand(32, 1, 0);
    I.regf = pick_reg(1, 0);
    op1(0x63);
    return;
  }
  int srcsize = (form & 1) ? 16 : 8;
  int dst = srcsize == 8 ? pick_size_nobyte() : (rndn(2) ? 32 : 64);
  set_size(dst);
  no_legacy8 = dst == 64;
  rm_operand(srcsize, 1, 0);
  I.regf = legacy8 ? pick_reg8_legacy(0) : pick_reg(1, 0);
  // Legacy high byte registers can only be sources; the destination is
  // a full register: with no REX, reg numbers 0..7 name RAX..RDI.
  if (legacy8 && I.regf == RSP) I.regf = RAX;
  op2(0x0F, (uint8_t)((form < 2 ? 0xB6 : 0xBE) + (srcsize == 16)));
}

static void gen_cmov(void) {
  int size = pick_size_nobyte();
  set_size(size);
  rm_operand(size, 1, 0);
  I.regf = pick_reg(1, 0);
  op2(0x0F, (uint8_t)(0x40 + rndn(16)));
}

static void gen_setcc(void) {
  rm_operand(8, 1, 0);
  I.regf = 0;
  op2(0x0F, (uint8_t)(0x90 + rndn(16)));
}

static void gen_lea(void) {
  int size = pick_size_nobyte();
  set_size(size);
  I.regf = pick_reg(1, 0);
  op1(0x8D);
  operand *m = &I.rm;
  m->mem = 1;
  // LEA reads no memory: base and index keep their random values.
  m->base = rndn(8) == 0 ? -1 : pick_reg(1, 0);
  m->index = rndn(3) == 0 ? -1 : pick_reg(1, 0);
  m->scale = 1 << rndn(4);
  int d = rndn(3);
  if (m->base < 0) { m->dispsz = 4; m->disp = (int32_t)rnd(); }
  else if (d == 0) { m->dispsz = 0; m->disp = 0; }
  else if (d == 1) { m->dispsz = 1; m->disp = (int8_t)rnd(); }
  else { m->dispsz = 4; m->disp = (int32_t)rnd(); }
}

static void gen_xchg(void) {
  int k = rndn(4); // xchg, xadd, cmpxchg, xchg eAX short form
  int size = k == 3 ? pick_size_nobyte() : pick_size();
  set_size(size);
  if (k == 3) {
    op1(0x90);
    I.plusr = pick_reg(1, 0);
    // 90 without REX.B is NOP (no zero-extension of EAX); that is tested too.
    return;
  }
  // cmpxchg may rewrite RAX below: it must not be a memory base or index.
  rm_operand(size, 1, k == 2 ? 1u << RAX : 0);
  I.regf = reg_operand(size, 0);
  if (k == 0) op1(size == 8 ? 0x86 : 0x87);
  else if (k == 1) op2(0x0F, size == 8 ? 0xC0 : 0xC1);
  else {
    op2(0x0F, size == 8 ? 0xB0 : 0xB1);
    if (rndn(2)) { // make the comparison succeed half the time
      uint64_t v = I.rm.mem ? 0 : cur->in.r[I.rm.reg];
      if (I.rm.mem) memcpy(&v, cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR), size / 8);
      else if (size == 8 && legacy8 && I.rm.reg >= 4) v = cur->in.r[I.rm.reg - 4] >> 8;
      uint64_t mask = size == 64 ? ~0ull : (1ull << size) - 1;
      cur->in.r[RAX] = (cur->in.r[RAX] & ~mask) | (v & mask);
      // Legacy AH as the r/m operand aliases RAX; leave it be.
    }
  }
  if (k) maybe_lock();
}

static void gen_cvt(void) {
  int size = pick_size_nobyte();
  set_size(size);
  op1(rndn(2) ? 0x98 : 0x99);
}

static void gen_string(void) {
  static const uint8_t ops[] = {0xA4, 0xAA, 0xAC, 0xAE, 0xA6}; // movs stos lods scas cmps
  int k = rndn(5);
  int size = pick_size();
  set_size(size);
  op1((uint8_t)(ops[k] + (size != 8)));
  int r = rndn(3);
  if (r == 1) I.rep = 0xF3;
  if (r == 2) I.rep = k >= 3 ? 0xF2 : 0xF3;
  struct state *s = &cur->in;
  s->r[RSI] = SCRATCH_MID + (uint64_t)(rndn(160) - 80);
  s->r[RDI] = SCRATCH_MID + (uint64_t)(rndn(160) - 80);
  if (I.rep) s->r[RCX] = (uint64_t)rndn(21);
  if (rndn(2)) s->flags |= DF;
  if (k >= 3 && rndn(2)) { // make repeated compares run a while
    memset(cur->scratch + 256, 0x41, 512);
    if (size == 8) s->r[RAX] = (s->r[RAX] & ~0xffull) | (rndn(2) ? 0x41 : 0x42);
    else s->r[RAX] = 0x4141414141414141ull;
  }
  cur->flagmask_df = 1;
}

static void gen_mov(void) {
  int form = rndn(6);
  int size = pick_size();
  set_size(size);
  if (form == 0 || form == 1) { // mov r/m, r  and  mov r, r/m
    rm_operand(size, 1, 0);
    I.regf = reg_operand(size, 0);
    op1((uint8_t)(0x88 + (form ? 2 : 0) + (size != 8)));
  } else if (form == 2) { // mov r/m, imm
    rm_operand(size, 1, 0);
    I.regf = 0;
    op1(size == 8 ? 0xC6 : 0xC7);
    imm_bytes(size == 8 ? 1 : size == 16 ? 2 : 4, interesting());
  } else if (form == 3) { // mov r, imm (B0+r, B8+r; imm64 with REX.W)
    op1(size == 8 ? 0xB0 : 0xB8);
    if (size == 8 && rndn(2)) {
      I.plusr = pick_reg8_legacy(0); // AL..BH, no REX
    } else {
      if (size == 8) I.rex = 1;
      I.plusr = pick_reg(1, 0);
    }
    imm_bytes(size == 8 ? 1 : size == 16 ? 2 : size == 32 ? 4 : 8, interesting());
  } else if (form == 4) { // multi-byte nop 0F 1F /0
    set_size(rndn(2) ? 16 : 32);
    rm_operand(32, 1, 0);
    I.regf = 0;
    op2(0x0F, 0x1F);
  } else { // movnti m32/64, r (a store hint libc's memcpy uses)
    set_size(rndn(2) ? 32 : 64);
    make_mem(&I.rm, 1, 1, 0);
    I.regf = pick_reg(1, 0);
    op2(0x0F, 0xC3);
  }
}

// Flag instructions: clc stc cmc lahf sahf, and cld/std (DF is printed).
static void gen_flagops(void) {
  static const uint8_t ops[] = {0xF8, 0xF9, 0xF5, 0x9F, 0x9E, 0xFC, 0xFD};
  op1(ops[rndn(sizeof ops)]);
  if (rndn(2)) cur->in.flags |= DF;
  cur->flagmask_df = 1;
}

// x87: each case is a short sequence (fninit; two loads; an operation; stores)
// whose results land in scratch memory, so no FPU register state is needed.
// The loads are of random 80-bit, double, float and integer operands.
static void rand_f80(uint8_t *p) {
  uint64_t mant;
  uint16_t se = (uint16_t)(rndn(2) << 15);
  switch (rndn(8)) {
  case 0: mant = 0; break;                                                 // zero
  case 1: mant = 1ull << 63; se |= 0x7fff; break;                          // infinity
  case 2: mant = 3ull << 62 | (rnd() >> 20); se |= 0x7fff; break;          // quiet NaN
  case 3: mant = rnd() >> 1; break;                                        // denormal
  case 4: mant = 1ull << 63 | (rnd() >> 1); se |= (uint16_t)(1 + rndn(0x7ffe)); break;
  case 5: mant = 1ull << 63 | (rnd() >> 1); se |= (uint16_t)(0x3fff - 40 + rndn(80)); break;
  default: mant = 1ull << 63 | ((rnd() >> 1) & ~0xffffull); se |= (uint16_t)(0x3fff - 8 + rndn(40)); break;
  }
  memcpy(p, &mant, 8);
  memcpy(p + 8, &se, 2);
}

static int emit_bytes(int n, const uint8_t *b) {
  memcpy(cur->code + cur->len, b, n);
  cur->len += n;
  return n;
}

// Appends one instruction with a [base + disp8] operand.
static void emit_mem(uint8_t op, int digit, int base, int disp) {
  insn_reset();
  op1(op);
  I.regf = digit;
  I.rm.mem = 1;
  I.rm.base = base;
  I.rm.disp = disp;
  I.rm.dispsz = 1;
  cur->len += encode(&I, cur->code + cur->len);
}

// Loads the operand at [base+disp] in a random format.
static void x87_load(int base, int disp) {
  uint8_t *p = cur->scratch + 512 + disp;
  switch (rndn(6)) {
  case 0: case 1: rand_f80(p); emit_mem(0xDB, 5, base, disp); break;                 // fld m80
  case 2: { double d = interesting_double(); memcpy(p, &d, 8); emit_mem(0xDD, 0, base, disp); break; } // fld m64
  case 3: { uint32_t f = (uint32_t)rnd(); if (rndn(2)) f = 0x3f800000u + (uint32_t)rndn(1 << 23); memcpy(p, &f, 4);
            emit_mem(0xD9, 0, base, disp); break; }                                  // fld m32
  case 4: { uint64_t v = interesting(); memcpy(p, &v, 8); emit_mem(0xDF, 5, base, disp); break; }   // fild m64
  default: { uint32_t v = (uint32_t)interesting(); memcpy(p, &v, 4); emit_mem(0xDB, 0, base, disp); break; } // fild m32
  }
}

// Stores st(0) to [base+disp] and pops, in a random format.
static void x87_store(int base, int disp) {
  switch (rndn(6)) {
  case 0: case 1: emit_mem(0xDB, 7, base, disp); break; // fstp m80
  case 2: emit_mem(0xDD, 3, base, disp); break;         // fstp m64
  case 3: emit_mem(0xD9, 3, base, disp); break;         // fstp m32
  case 4: emit_mem(0xDF, 7, base, disp); break;         // fistp m64
  default: emit_mem(0xDB, 3, base, disp); break;        // fistp m32
  }
}

static void gen_x87(void) {
  int base = pick_reg(1, 0);
  cur->in.r[base] = SCRATCH_MID;
  cur->len = 0;
  static const uint8_t fninit[] = {0xDB, 0xE3};
  emit_bytes(2, fninit);
  if (rndn(2)) { // fldcw: rounding control (bits 11:10) and sometimes double precision (9:8 = 10)
    uint16_t cw = (uint16_t)(0x007F | rndn(4) << 10 | (rndn(4) ? 3 : 2) << 8);
    memcpy(cur->scratch + 512 - 32, &cw, 2);
    emit_mem(0xD9, 5, base, -32);
  }
  x87_load(base, -96);
  if (rndn(4) == 0) { // fadd fmul fsub fsubr fdiv fdivr with an m64 or m32 operand
    static const int digits[] = {0, 1, 4, 5, 6, 7};
    int m64 = rndn(2);
    uint8_t *p = cur->scratch + 512 - 80;
    if (m64) { double d = interesting_double(); memcpy(p, &d, 8); }
    else { uint32_t f = (uint32_t)rnd(); if (rndn(2)) f = 0x3f800000u + (uint32_t)rndn(1 << 23); memcpy(p, &f, 4); }
    emit_mem(m64 ? 0xDC : 0xD8, digits[rndn(6)], base, -80);
    x87_store(base, -64);
    return;
  }
  x87_load(base, -80);
  static const uint8_t binop[][2] = {{0xDE, 0xC1}, {0xDE, 0xE9}, {0xDE, 0xE1}, {0xDE, 0xC9}, {0xDE, 0xF9},
                                     {0xDE, 0xF1}, {0xDF, 0xF1}, {0xDF, 0xE9}, {0xD9, 0xFD}, {0xD9, 0xF8}};
  static const uint8_t unop[][2] = {{0xD9, 0xFA}, {0xD9, 0xE1}, {0xD9, 0xE0}, {0xD9, 0xFC}, {0xD9, 0xC9}};
  int left = 2;
  if (rndn(3)) {
    int k = rndn(sizeof binop / 2);
    emit_bytes(2, binop[k]);
    if (k < 8) left = 1; // the *p and fcomip/fucomip forms pop; fscale and fprem do not
  } else {
    emit_bytes(2, unop[rndn(sizeof unop / 2)]);
  }
  x87_store(base, -64);
  if (left == 2) x87_store(base, -48);
  cur->undef_flags = 0;
}

// ---- SSE classes ---------------------------------------------------------

static void sse_rm(int align, int allow_mem) {
  if (allow_mem && rndn(3) == 0) make_mem(&I.rm, 1, align, 0);
  else { I.rm.mem = 0; I.rm.reg = rndn(16); }
}

static void gen_sse_int(void) {
  // 66 0F xx /r  xmm, xmm/m128 (aligned)
  static const uint8_t ops[] = {0x74, 0x75, 0x76, 0x64, 0xEF, 0xEB, 0xDB, 0xDF, 0xFE, 0xD4, 0xF8, 0xFB,
                                0xDA, 0xDE, 0x60, 0x61, 0x62, 0x6C, 0x68, 0x6D, 0xFC, 0xF9, 0xD8, 0xDC};
  int form = rndn(8);
  I.p66 = 1;
  if (form == 0) { // pmovmskb r32, xmm
    op2(0x0F, 0xD7);
    I.regf = pick_reg(1, 0);
    I.rm.reg = rndn(16);
    return;
  }
  if (form == 1) { // pshufd xmm, xmm/m128, imm8
    op2(0x0F, 0x70);
    I.regf = rndn(16);
    sse_rm(16, 1);
    imm_bytes(1, rnd());
    return;
  }
  if (form == 2) { // shifts by immediate: 73 /2 /3 /6 /7 (psrlq psrldq psllq pslldq), 72 /2 /4 /6
    static const uint8_t ext[][2] = {{0x73, 2}, {0x73, 3}, {0x73, 6}, {0x73, 7}, {0x72, 2}, {0x72, 4}, {0x72, 6},
                                     {0x71, 2}, {0x71, 6}};
    int e = rndn(9);
    op2(0x0F, ext[e][0]);
    I.regf = ext[e][1];
    I.rm.reg = rndn(16);
    imm_bytes(1, rndn(4) ? (uint64_t)rndn(20) : rnd());
    return;
  }
  op2(0x0F, ops[rndn(sizeof ops)]);
  I.regf = rndn(16);
  sse_rm(16, 1);
}

static void gen_sse_mov(void) {
  int form = rndn(12);
  I.regf = rndn(16);
  switch (form) {
  case 0: I.p66 = 1; op2(0x0F, 0x6F); sse_rm(16, 1); break;               // movdqa xmm, m
  case 1: I.p66 = 1; op2(0x0F, 0x7F); sse_rm(16, 1); break;               // movdqa m, xmm
  case 2: I.rep = 0xF3; op2(0x0F, 0x6F); sse_rm(1, 1); break;             // movdqu xmm, m
  case 3: I.rep = 0xF3; op2(0x0F, 0x7F); sse_rm(1, 1); break;             // movdqu m, xmm
  case 4: I.p66 = 1; I.w = rndn(2); op2(0x0F, 0x6E); I.regf = rndn(16);   // movd/movq xmm, r/m
    if (rndn(3) == 0) make_mem(&I.rm, 1, 1, 0); else { I.rm.reg = pick_reg(1, 0); }
    break;
  case 5: I.p66 = 1; I.w = rndn(2); op2(0x0F, 0x7E);                      // movd/movq r/m, xmm
    if (rndn(3) == 0) make_mem(&I.rm, 1, 1, 0); else { I.rm.reg = pick_reg(1, 0); }
    break;
  case 6: I.rep = 0xF3; op2(0x0F, 0x7E); sse_rm(1, 1); break;             // movq xmm, xmm/m64
  case 7: I.p66 = 1; op2(0x0F, 0xD6); sse_rm(1, 1); break;                // movq xmm/m64, xmm
  case 8: I.rep = 0xF2; op2(0x0F, (uint8_t)(0x10 + rndn(2))); sse_rm(1, 1); break; // movsd
  case 9: I.p66 = rndn(2); op2(0x0F, (uint8_t)(0x28 + rndn(2))); sse_rm(16, 1); break; // movap[sd]
  case 10: op2(0x0F, (uint8_t)(0x10 + rndn(2))); sse_rm(1, 1); break;     // movups
  default: I.p66 = 1; op2(0x0F, 0x14); sse_rm(16, 1); break;              // unpcklpd
  }
}

static void gen_sse_fp(void) {
  int form = rndn(10);
  I.regf = rndn(16);
  if (form < 5) { // F2 0F: addsd mulsd subsd divsd sqrtsd minsd maxsd, cvtsd2ss
    static const uint8_t ops[] = {0x58, 0x59, 0x5C, 0x5E, 0x51, 0x5D, 0x5F, 0x5A};
    I.rep = 0xF2;
    op2(0x0F, ops[rndn(sizeof ops)]);
    sse_rm(1, 1);
  } else if (form == 5) { // cvtsi2sd xmm, r/m32/64
    I.rep = 0xF2; I.w = rndn(2); op2(0x0F, 0x2A);
    if (rndn(3) == 0) make_mem(&I.rm, 1, 1, 0); else I.rm.reg = pick_reg(1, 0);
  } else if (form == 6) { // cvttsd2si / cvtsd2si r32/64, xmm/m64
    I.rep = 0xF2; I.w = rndn(2); op2(0x0F, (uint8_t)(0x2C + rndn(2)));
    I.regf = pick_reg(1, 0);
    sse_rm(1, 1);
  } else if (form == 7) { // andpd andnpd orpd xorpd addpd mulpd subpd
    static const uint8_t ops[] = {0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5C};
    I.p66 = 1; op2(0x0F, ops[rndn(sizeof ops)]);
    sse_rm(16, 1);
  } else if (form == 8) { // cvtss2sd
    I.rep = 0xF3; op2(0x0F, 0x5A); sse_rm(1, 1);
  } else { // xorps andps
    op2(0x0F, rndn(2) ? 0x57 : 0x54); sse_rm(16, 1);
  }
}

static void gen_sse_cmp(void) {
  I.p66 = 1;
  op2(0x0F, rndn(2) ? 0x2E : 0x2F); // ucomisd, comisd
  I.regf = rndn(16);
  sse_rm(1, 1);
  if (rndn(3) == 0) { // equal operands
    double d = interesting_double();
    memcpy(cur->in.xmm[I.regf], &d, 8);
    if (I.rm.mem) memcpy(cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR), &d, 8);
    else memcpy(cur->in.xmm[I.rm.reg], &d, 8);
  }
}

// ---- later extensions: BMI1, BMI2, ADX, MOVBE, CRC32, SSE3..SSE4.2 ------

static void op3(uint8_t a, uint8_t b, uint8_t c) { I.op[0] = a; I.op[1] = b; I.op[2] = c; I.opn = 3; }

static void zero_rm_sometimes(int size) {
  if (rndn(8)) return;
  if (I.rm.mem) memset(cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR), 0, size / 8);
  else cur->in.r[I.rm.reg] = 0;
}

// tzcnt, lzcnt, popcnt (F3 0F BC/BD/B8). tzcnt/lzcnt leave OF SF AF PF
// undefined (SDM vol. 2).
static void gen_lzcnt(void) {
  int size = pick_size_nobyte(), k = rndn(3);
  set_size(size);
  rm_operand(size, 1, 0);
  I.regf = reg_operand(size, 0);
  I.rep = 0xF3;
  op2(0x0F, k == 0 ? 0xBC : k == 1 ? 0xBD : 0xB8);
  zero_rm_sometimes(size);
  if (k < 2) cur->undef_flags = OF | SF | AF | PF;
}

// VEX general-register instruction: reg, vvvv, r/m of 32 or 64 bits.
static void vex_gpr(int map, int pp, uint8_t op) {
  I.vex = 1;
  I.vmap = map;
  I.p66 = pp == 1;
  I.rep = pp == 2 ? 0xF3 : pp == 3 ? 0xF2 : 0;
  I.w = rndn(2);
  op1(op);
  rm_operand(32, 1, 0);
  I.regf = pick_reg(1, 0);
  I.vv = pick_reg(1, used); // its value may be set below: not an address register
}

static void gen_bmi1(void) {
  int k = rndn(5);
  static const uint8_t digit[3] = {1, 2, 3}; // blsr blsmsk blsi
  switch (k) {
  case 0: vex_gpr(2, 0, 0xF2); cur->undef_flags = AF | PF; break; // andn
  case 1: // bextr: start and length from vvvv, often in range
    vex_gpr(2, 0, 0xF7);
    if (rndn(4)) cur->in.r[I.vv] = (uint64_t)rndn(72) | (uint64_t)rndn(72) << 8;
    cur->undef_flags = AF | SF | PF;
    break;
  default:
    vex_gpr(2, 0, 0xF3);
    I.regf = digit[k - 2];
    cur->undef_flags = AF | PF;
    break;
  }
  zero_rm_sometimes(I.w ? 64 : 32);
}

static void gen_bmi2(void) {
  int k = rndn(8);
  switch (k) {
  case 0: vex_gpr(2, 0, 0xF5); // bzhi
    if (rndn(4)) cur->in.r[I.vv] = (uint64_t)rndn(80) | (rnd() & ~0xffull);
    cur->undef_flags = AF | PF;
    break;
  case 1: vex_gpr(2, 3, 0xF5); break; // pdep
  case 2: vex_gpr(2, 2, 0xF5); break; // pext
  case 3: vex_gpr(2, 3, 0xF6); break; // mulx
  case 4: vex_gpr(3, 3, 0xF0); I.vv = 0; imm_bytes(1, rnd()); break; // rorx
  default: vex_gpr(2, k - 4, 0xF7); break; // shlx (66) sarx (F3) shrx (F2)
  }
}

static void gen_adx(void) {
  I.w = rndn(2);
  if (rndn(2)) I.p66 = 1; else I.rep = 0xF3;
  op3(0x0F, 0x38, 0xF6);
  rm_operand(32, 1, 0);
  I.regf = pick_reg(1, 0);
}

static void gen_movbe(void) {
  int size = pick_size_nobyte();
  set_size(size);
  make_mem(&I.rm, 1, 1, 0);
  I.regf = pick_reg(1, used);
  op3(0x0F, 0x38, rndn(2) ? 0xF0 : 0xF1);
}

static void gen_crc32(void) {
  int size = pick_size();
  I.rep = 0xF2;
  I.p66 = size == 16;
  I.w = size == 64 || (size == 8 && rndn(2));
  if (size == 8) no_legacy8 = I.w;
  rm_operand(size, 1, 0);
  I.regf = pick_reg(!legacy8, 0); // a full register: legacy byte numbering applies to r/m only
  op3(0x0F, 0x38, size == 8 ? 0xF0 : 0xF1);
}

static void gen_sse3(void) {
  static const struct { uint8_t pfx, op; } f[] = {
      {0xF2, 0x12}, {0xF3, 0x12}, {0xF3, 0x16}, {0x66, 0x7C}, {0xF2, 0x7C}, {0x66, 0x7D},
      {0xF2, 0x7D}, {0x66, 0xD0}, {0xF2, 0xD0}, {0xF2, 0xF0}};
  int k = rndn(10);
  if (f[k].pfx == 0x66) I.p66 = 1; else I.rep = f[k].pfx;
  op2(0x0F, f[k].op);
  I.regf = rndn(16);
  if (f[k].op == 0xF0) make_mem(&I.rm, 1, 1, 0);
  else sse_rm(f[k].op == 0x12 && f[k].pfx == 0xF2 ? 1 : 16, 1);
}

static void gen_ssse3(void) {
  static const uint8_t ops[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                0x08, 0x09, 0x0A, 0x0B, 0x1C, 0x1D, 0x1E, 0x0F};
  int k = rndn(sizeof ops);
  I.p66 = 1;
  I.regf = rndn(16);
  if (ops[k] == 0x0F) { op3(0x0F, 0x3A, 0x0F); imm_bytes(1, rndn(4) ? (uint64_t)rndn(34) : rnd()); }
  else op3(0x0F, 0x38, ops[k]);
  sse_rm(16, 1);
}

// SSE4.1: 0F38 two-operand ops, pmovsx/zx, ptest, and the 0F3A imm8 ops.
static void gen_sse41(void) {
  static const uint8_t ops38[] = {0x10, 0x14, 0x15, 0x28, 0x29, 0x2B, 0x38, 0x39, 0x3A, 0x3B,
                                  0x3C, 0x3D, 0x3E, 0x3F, 0x40, 0x41, 0x17, 0x2A};
  static const uint8_t ops3a[] = {0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x40, 0x41, 0x42,
                                  0x14, 0x15, 0x16, 0x17, 0x20, 0x21, 0x22};
  I.p66 = 1;
  I.regf = rndn(16);
  int form = rndn(3);
  if (form == 0) {
    uint8_t op = ops38[rndn(sizeof ops38)];
    op3(0x0F, 0x38, op);
    if (op == 0x2A) make_mem(&I.rm, 1, 16, 0);
    else sse_rm(16, 1);
  } else if (form == 1) {
    uint8_t op = (uint8_t)((rndn(2) ? 0x20 : 0x30) + rndn(6));
    op3(0x0F, 0x38, op);
    sse_rm(1, 1);
  } else {
    uint8_t op = ops3a[rndn(sizeof ops3a)];
    op3(0x0F, 0x3A, op);
    imm_bytes(1, rnd());
    if (op >= 0x14 && op <= 0x17) { // pextr*/extractps: r/m is a GPR or memory
      if (op == 0x16) I.w = rndn(2);
      if (rndn(3) == 0) make_mem(&I.rm, 1, 1, 0); else I.rm.reg = pick_reg(1, 0);
    } else if (op == 0x20 || op == 0x22) { // pinsrb/d/q
      if (op == 0x22) I.w = rndn(2);
      if (rndn(3) == 0) make_mem(&I.rm, 1, 1, 0); else I.rm.reg = pick_reg(1, 0);
    } else if (op == 0x21 || op == 0x0A || op == 0x0B) {
      sse_rm(1, 1);
    } else {
      sse_rm(16, 1);
    }
    if (op >= 0x08 && op <= 0x0B) I.imm[0] &= 0x0F;
  }
}

// Small alphabets so string compares find matches, ranges and terminators.
static void fill_text(uint8_t *p) {
  static const uint8_t alpha[] = {0, 'a', 'b', 'c', 'z', 0x80, 0xff, 'A'};
  for (int i = 0; i < 16; i++) p[i] = alpha[rndn(rndn(4) ? 5 : 8)];
  if (rndn(2)) p[rndn(16)] = 0;
}

static void gen_sse42(void) {
  I.p66 = 1;
  I.regf = rndn(16);
  if (rndn(6) == 0) { // pcmpgtq
    op3(0x0F, 0x38, 0x37);
    sse_rm(16, 1);
    return;
  }
  if (rndn(6) == 0) { // pclmulqdq
    op3(0x0F, 0x3A, 0x44);
    sse_rm(16, 1);
    imm_bytes(1, rnd());
    return;
  }
  op3(0x0F, 0x3A, (uint8_t)(0x60 + rndn(4)));
  I.w = rndn(4) == 0;
  if (rndn(3) == 0) make_mem(&I.rm, 1, 1, 1u << RAX | 1u << RDX); else I.rm.reg = rndn(16);
  imm_bytes(1, rnd() & 0x7F);
  fill_text(cur->in.xmm[I.regf]);
  if (I.rm.mem) fill_text(cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR));
  else fill_text(cur->in.xmm[I.rm.reg]);
  if (rndn(4)) {
    cur->in.r[RAX] = (uint64_t)(int64_t)(rndn(40) - 20);
    cur->in.r[RDX] = (uint64_t)(int64_t)(rndn(40) - 20);
  }
}

// x87 state images and BCD: frstor of a random 108-byte image (random
// control word, TOP and non-empty tags) or fbld of random packed BCD, an
// optional operation, then stores that include fbstp.
static void gen_x87env(void) {
  int base = pick_reg(1, 0);
  cur->in.r[base] = SCRATCH_MID;
  cur->len = 0;
  static const uint8_t fninit[] = {0xDB, 0xE3};
  emit_bytes(2, fninit);
  if (rndn(2)) {
    uint8_t *img = cur->scratch + 512 + 16;
    uint32_t cw = 0xFFFF0000u | 0x7F | (uint32_t)rndn(4) << 10 | (uint32_t)(rndn(2) ? 3 : 2) << 8;
    uint32_t sw = 0xFFFF0000u | (uint32_t)rndn(8) << 11, tw = 0xFFFF0000u;
    for (int i = 0; i < 8; i++) tw |= (uint32_t)rndn(3) << (2 * i);
    uint32_t w[7] = {cw, sw, tw, 0, 0, 0, 0};
    memcpy(img, w, 28);
    for (int i = 0; i < 8; i++) rand_f80(img + 28 + 10 * i);
    emit_mem(0xDD, 4, base, 16); // frstor
  } else {
    uint8_t *p = cur->scratch + 512 - 96;
    for (int i = 0; i < 9; i++) p[i] = (uint8_t)(rndn(10) | rndn(10) << 4);
    if (rndn(3) == 0) memset(p + rndn(9), 0, (size_t)rndn(3)); // small values
    p[9] = rndn(2) ? 0x80 : 0;
    x87_load(base, -80);
    emit_mem(0xDF, 4, base, -96); // fbld
  }
  static const uint8_t ops[][2] = {{0xDE, 0xC1}, {0xDE, 0xF9}, {0xD9, 0xFC}, {0xD9, 0xE0}, {0xD9, 0xFA}, {0xD9, 0xC9}};
  int left = 2;
  if (rndn(2)) {
    int k = rndn(6);
    emit_bytes(2, ops[k]);
    if (k < 2) left = 1;
  }
  for (int i = 0; i < left; i++) {
    if (rndn(3) == 0) emit_mem(0xDF, 6, base, -64 + 16 * i); // fbstp
    else x87_store(base, -64 + 16 * i);
  }
}

// x87 register stack: random pushes, pops, exchanges, frees and arithmetic
// from a state after fninit and 0-2 loads, so stack overflow and underflow
// happen; then the status word (TOP, C0-C3, SF, IE) and two stores. At
// most 40 code bytes.
static void gen_x87stack(void) {
  static const uint8_t one[][2] = {{0xD9, 0xE8}, {0xD9, 0xEE}, {0xDE, 0xC1}, {0xD9, 0xF7}, {0xD9, 0xF6},
                                   {0xD9, 0xE0}, {0xD9, 0xFA}, {0xDE, 0xC9}, {0xD9, 0xE4}};
  static const uint8_t with_i[][2] = {{0xD9, 0xC0}, {0xD9, 0xC8}, {0xD8, 0xC8}, {0xDD, 0xD8}, {0xDD, 0xC0},
                                      {0xDC, 0xC0}, {0xDB, 0xF0}};
  int base = pick_reg(1, 1u << RAX);
  cur->in.r[base] = SCRATCH_MID;
  cur->len = 0;
  static const uint8_t fninit[] = {0xDB, 0xE3};
  emit_bytes(2, fninit);
  int loads = rndn(3);
  for (int i = 0; i < loads; i++) x87_load(base, -96 + 16 * i);
  int ops = 3 + rndn(4);
  for (int i = 0; i < ops; i++) {
    uint8_t b[2];
    if (rndn(2)) memcpy(b, one[rndn(sizeof one / 2)], 2);
    else {
      memcpy(b, with_i[rndn(sizeof with_i / 2)], 2);
      b[1] = (uint8_t)(b[1] + rndn(8));
    }
    emit_bytes(2, b);
  }
  static const uint8_t fnstsw_and[] = {0xDF, 0xE0, 0x66, 0x25, 0x41, 0x7F}; // fnstsw ax; and ax, 0x7f41
  emit_bytes(6, fnstsw_and);
  for (int i = 0; i < 2; i++) emit_mem(0xDB, 7, base, -64 + 16 * i); // fstp m80
  cur->undef_flags = ARITH; // and ax: flags of no interest
}

// cmpxchg8b / cmpxchg16b m64/m128 (16-byte aligned), equal half the time.
static void gen_cx16(void) {
  I.w = rndn(2);
  I.lock = rndn(2);
  op2(0x0F, 0xC7);
  I.regf = 1;
  make_mem(&I.rm, 1, 16, 1u << RAX | 1u << RDX | 1u << RBX | 1u << RCX);
  uint8_t *m = cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR);
  if (rndn(2)) {
    if (I.w) {
      memcpy(&cur->in.r[RAX], m, 8);
      memcpy(&cur->in.r[RDX], m + 8, 8);
    } else {
      uint32_t lo, hi;
      memcpy(&lo, m, 4);
      memcpy(&hi, m + 4, 4);
      cur->in.r[RAX] = (cur->in.r[RAX] & ~0xffffffffull) | lo;
      cur->in.r[RDX] = (cur->in.r[RDX] & ~0xffffffffull) | hi;
    }
  }
}

// MMX: a short sequence (movq loads of two MMX registers from scratch, the
// operation, movq stores of both, emms), so MMX state needs no harness
// support. Register operands are mm0-mm7 (REX.B/R are ignored for them).
static void mmx_insn(void) { cur->len += encode(&I, cur->code + cur->len); }
static void mmx_movq(int load, int mm, int base, int disp) {
  insn_reset();
  op2(0x0F, load ? 0x6F : 0x7F);
  I.regf = mm;
  I.rm.mem = 1;
  I.rm.base = base;
  I.rm.disp = disp;
  I.rm.dispsz = 1;
  mmx_insn();
}

static void gen_mmx(void) {
  static const uint8_t elem[] = {0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x74,
                                 0x75, 0x76, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD,
                                 0xDE, 0xDF, 0xE0, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC,
                                 0xED, 0xEE, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF8, 0xF9, 0xFA, 0xFB,
                                 0xFC, 0xFD, 0xFE};
  int base = pick_reg(1, 1u << RDI);
  used |= 1u << base;
  cur->in.r[base] = SCRATCH_MID;
  cur->len = 0;
  int a = rndn(8), b = rndn(8);
  mmx_movq(1, a, base, -96);
  mmx_movq(1, b, base, -80);
  uint64_t cnt = (uint64_t)rndn(70);
  if (rndn(4) == 0) memcpy(cur->scratch + 512 - 80, &cnt, 8); // shift counts in range
  insn_reset();
  I.regf = a;
  int form = rndn(10);
  if (form < 5) { // element-wise, mm or m64 source
    op2(0x0F, elem[rndn(sizeof elem)]);
    if (rndn(3) == 0) { I.rm.mem = 1; I.rm.base = base; I.rm.disp = -48 + 8 * rndn(4); I.rm.dispsz = 1; }
    else I.rm.reg = b;
  } else if (form == 5) { // shifts by immediate
    static const uint8_t ext[][2] = {{0x71, 2}, {0x71, 4}, {0x71, 6}, {0x72, 2}, {0x72, 4}, {0x72, 6}, {0x73, 2}, {0x73, 6}};
    int e = rndn(8);
    op2(0x0F, ext[e][0]);
    I.regf = ext[e][1];
    I.rm.reg = a;
    imm_bytes(1, rndn(4) ? (uint64_t)rndn(70) : rnd());
  } else if (form == 6) { // SSSE3 on mm, palignr
    static const uint8_t ops[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x1C, 0x1D, 0x1E};
    if (rndn(5) == 0) { op3(0x0F, 0x3A, 0x0F); imm_bytes(1, (uint64_t)rndn(18)); }
    else op3(0x0F, 0x38, ops[rndn(sizeof ops)]);
    I.rm.reg = b;
  } else if (form == 7) { // pshufw, pinsrw, pextrw, pmovmskb
    int k = rndn(4);
    if (k == 0) { op2(0x0F, 0x70); I.rm.reg = b; imm_bytes(1, rnd()); }
    else if (k == 1) { op2(0x0F, 0xC4); I.rm.reg = pick_reg(1, used); imm_bytes(1, rnd()); }
    else { op2(0x0F, k == 2 ? 0xC5 : 0xD7); I.regf = pick_reg(1, used); I.rm.reg = b; if (k == 2) imm_bytes(1, rnd()); }
  } else if (form == 8) { // movd/movq between mm and a general register
    I.w = rndn(2);
    op2(0x0F, rndn(2) ? 0x6E : 0x7E);
    I.rm.reg = pick_reg(1, used);
  } else { // conversions and moves with xmm registers
    int k = rndn(4);
    I.regf = rndn(16);
    if (k == 0) { I.rep = rndn(2) ? 0xF3 : 0xF2; op2(0x0F, 0xD6); I.rm.reg = I.rep == 0xF3 ? b : rndn(16); if (I.rep == 0xF2) I.regf = a; }
    else if (k == 1) { I.p66 = rndn(2); op2(0x0F, 0x2A); I.rm.reg = b; }
    else { I.p66 = rndn(2); op2(0x0F, (uint8_t)(0x2C + rndn(2))); I.regf = a; I.rm.reg = rndn(16); }
  }
  mmx_insn();
  mmx_movq(0, a, base, -64);
  mmx_movq(0, b, base, -56);
  static const uint8_t emms[] = {0x0F, 0x77};
  emit_bytes(2, emms);
}

// maskmovdqu xmm, xmm and maskmovq mm, mm: masked byte stores to [rdi].
static void gen_maskmov(void) {
  cur->in.r[RDI] = SCRATCH_MID + (uint64_t)(rndn(64) - 32);
  if (rndn(2)) {
    I.p66 = 1;
    op2(0x0F, 0xF7);
    I.regf = rndn(16);
    I.rm.reg = rndn(16);
    return;
  }
  int base = pick_reg(1, 1u << RDI);
  cur->in.r[base] = SCRATCH_MID;
  cur->len = 0;
  int a = rndn(8), b = rndn(8);
  mmx_movq(1, a, base, -96);
  mmx_movq(1, b, base, -80);
  insn_reset();
  op2(0x0F, 0xF7);
  I.regf = a;
  I.rm.reg = b;
  mmx_insn();
  static const uint8_t emms[] = {0x0F, 0x77};
  emit_bytes(2, emms);
}

// ---- class table ---------------------------------------------------------

typedef struct {
  const char *name;
  void (*gen)(void);
  int (*gen_checked)(void); // returns 0: draw again
  int sse;                  // 1: fill XMM registers with doubles too; AVX (2): whole YMM registers
} cls;
#define AVX 2
#define AVX_FP (AVX | 1)

// A VEX vector instruction: map (1 0F, 2 0F38, 3 0F3A), pp (0 none, 1 66,
// 2 F3, 3 F2), L, W and the opcode; ModRM.reg and VEX.vvvv get random
// vector registers and r/m a random register or (one case in three) an
// unaligned memory operand in the scratch window. Callers adjust I after.
static void vex_vec(int map, int pp, int l, int w, uint8_t op) {
  I.vex = 1;
  I.vex2 = rndn(2);
  I.vmap = map;
  I.p66 = pp == 1;
  I.rep = pp == 2 ? 0xF3 : pp == 3 ? 0xF2 : 0;
  I.vl = l;
  I.w = w;
  op1(op);
  I.regf = rndn(16);
  I.vv = rndn(16);
  sse_rm(1, 1);
}

// The moves avx.c routes itself: vmovdqa/vmovdqu (both directions, both
// widths), vinsert/vextract of 128-bit halves, vzeroupper/vzeroall.
static void gen_avx_mov(void) {
  int k = rndn(8), l = rndn(2);
  switch (k) {
  case 0: case 1: { // 66/F3 0F 6F/7F
    int a = rndn(2);
    vex_vec(1, a ? 1 : 2, l, 0, k ? 0x7F : 0x6F);
    if (I.rm.mem && a) make_mem(&I.rm, 1, l ? 32 : 16, 0);
    I.vv = 0;
    break;
  }
  case 2: case 3: // vinsertf128 / vinserti128
    vex_vec(3, 1, 1, 0, k == 2 ? 0x18 : 0x38);
    imm_bytes(1, rnd());
    break;
  case 4: // vextractf128 / vextracti128
    vex_vec(3, 1, 1, 0, rndn(2) ? 0x19 : 0x39);
    I.vv = 0;
    imm_bytes(1, rnd());
    break;
  case 6: case 7: { // vstmxcsr m32, vldmxcsr m32 (any 16-bit value)
    vex_vec(1, 0, 0, 0, 0xAE);
    I.vv = 0;
    I.regf = k == 6 ? 3 : 2;
    make_mem(&I.rm, 1, 1, 0);
    uint32_t v = 0x1F80 ^ (uint32_t)(rnd() & 0xFFFF);
    memcpy(cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR), &v, 4);
    cur->mxcsr_mask = 0xFFFF;
    if (k == 6) cur->in.mxcsr = 0x1F80 | (rnd() & 0x7F3F); // flags, DAZ, masks, RC, FTZ
    break;
  }
  default: // vzeroupper / vzeroall
    insn_reset();
    I.vex = 1; I.vex2 = rndn(2); I.vmap = 1; I.vl = l; op1(0x77);
    break;
  }
}

// XSAVE, XSAVEOPT, XSAVEC and XRSTOR (optionally REX.W) on a 64-aligned
// area at SCRATCH_ADDR+64, with EDX:EAX naming only SSE and AVX: the x87
// component holds instruction pointers xos does not keep, and the host's
// XCR0 has AVX-512 components xos has not. XRSTOR images get valid headers
// (standard or compacted) and a valid MXCSR.
static void gen_xsave(void) {
  int k = rndn(5);
  I.w = rndn(2);
  I.rm.mem = 1;
  I.rm.base = pick_reg(1, (1u << RAX) | (1u << RDX));
  I.rm.index = -1;
  I.rm.scale = 1;
  I.rm.disp = 0;
  cur->in.r[I.rm.base] = SCRATCH_ADDR + 64;
  cur->in.r[RAX] = (rnd() & ~0xffffffffull) | (rnd() & 6); // higher XCR0 bits are host-specific (AMX traps)
  cur->in.r[RDX] = rnd() & ~0xffffffffull;
  cur->in.mxcsr = 0x1F80 | (rnd() & 0x3F);
  cur->mxcsr_mask = 0xFFFF;
  switch (k) {
  case 0: op2(0x0F, 0xAE); I.regf = 4; break; // xsave
  case 1: op2(0x0F, 0xAE); I.regf = 6; break; // xsaveopt
  case 2: op2(0x0F, 0xC7); I.regf = 4; break; // xsavec
  default: { // xrstor
    op2(0x0F, 0xAE);
    I.regf = 5;
    uint8_t *img = cur->scratch + 64;
    uint32_t mxcsr = 0x1F80 | (uint32_t)(rnd() & 0x3F);
    memcpy(img + 24, &mxcsr, 4);
    uint64_t bv = rnd() & 7, comp = 0;
    if (rndn(2)) comp = (1ull << 63) | bv | (rnd() & 7);
    memcpy(img + 512, &bv, 8);
    memcpy(img + 520, &comp, 8);
    memset(img + 528, 0, 48);
    break;
  }
  }
}

// Single and double values around the places where rounding, overflow and
// underflow happen (integers only: the generator runs under xos too).
static uint32_t edge_float(void) {
  static const uint32_t special[] = {0, 0x80000000u, 0x3F800000u, 0xBF800000u, 0x00000001u, 0x807FFFFFu,
                                     0x00800000u, 0x7F7FFFFFu, 0xFF7FFFFFu, 0x7F800000u, 0xFF800000u,
                                     0x7FC00000u, 0x7F800001u, 0x34000000u};
  uint32_t sign = (uint32_t)(rnd() & 1) << 31, m = (uint32_t)rnd() & 0x7FFFFF;
  switch (rndn(6)) {
  case 0: return special[rndn(sizeof special / sizeof special[0])];
  case 1: return sign | (uint32_t)(0xF0 + rndn(15)) << 23 | m;   // near overflow
  case 2: return sign | (uint32_t)(1 + rndn(24)) << 23 | m;      // near underflow
  case 3: return sign | m;                                      // subnormal
  case 4: return sign | (uint32_t)(120 + rndn(16)) << 23 | m;    // around 1
  default: return (uint32_t)rnd();
  }
}
static uint64_t edge_double(void) {
  uint64_t sign = (rnd() & 1) << 63, m = rnd() & 0xFFFFFFFFFFFFFull;
  switch (rndn(6)) {
  case 0: { double d = interesting_double(); uint64_t u; memcpy(&u, &d, 8); return u; }
  case 1: return sign | (uint64_t)(0x7E0 + rndn(31)) << 52 | m;  // near overflow
  case 2: return sign | (uint64_t)(1 + rndn(60)) << 52 | m;      // near underflow
  case 3: return sign | m;                                      // subnormal
  case 4: return sign | (uint64_t)(1000 + rndn(48)) << 52 | m;   // around 1
  default: return rnd();
  }
}
static void fill_edge(uint8_t *p, int dbl) {
  for (int i = 0; i < 16; i += dbl ? 8 : 4) {
    if (dbl) { uint64_t v = edge_double(); memcpy(p + i, &v, 8); }
    else { uint32_t v = edge_float(); memcpy(p + i, &v, 4); }
  }
}

// Legacy SSE arithmetic (0F 51, 58-5F; none/66/F3/F2) under a random MXCSR
// other than the default: rounding control, DAZ, FTZ, starting flags; all
// exceptions masked (an unmasked one would trap the harness natively). The
// flags after the instruction are compared too.
static void gen_sse_mx(void) {
  static const uint8_t ops[] = {0x51, 0x58, 0x59, 0x5C, 0x5D, 0x5E, 0x5F};
  int p = rndn(4), dbl = p == 1 || p == 3;
  I.p66 = p == 1;
  I.rep = p == 2 ? 0xF3 : p == 3 ? 0xF2 : 0;
  op2(0x0F, ops[rndn(sizeof ops)]);
  I.regf = rndn(16);
  sse_rm(p >= 2 ? 1 : 16, 1);
  fill_edge(cur->in.xmm[I.regf], dbl);
  if (I.rm.mem) fill_edge(cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR), dbl);
  else fill_edge(cur->in.xmm[I.rm.reg], dbl);
  uint32_t mx = 0x1F80 | (uint32_t)(rnd() & 0x603F) | (rndn(2) ? 0x40 : 0) | (rndn(2) ? 0x8000 : 0);
  if ((mx & 0xFFC0) == 0x1F80) mx |= 0x2000 << rndn(2);
  cur->in.mxcsr = mx;
  cur->mxcsr_mask = 0xFFFF;
}

#include "avx_int.inc.c"
#include "avx_fp.inc.c"
#include "mx.inc.c"

// rcpps/rcpss/rsqrtps/rsqrtss (0F 53/52), legacy and VEX, on operands from
// every range (denormals, near overflow and underflow, NaNs, negatives).
static void gen_rcp(void) {
  uint8_t op = (uint8_t)(0x52 + rndn(2));
  int ss = rndn(2);
  if (rndn(2)) {
    I.rep = ss ? 0xF3 : 0;
    op2(0x0F, op);
    I.regf = rndn(16);
    sse_rm(ss ? 1 : 16, 1);
  } else {
    vfp(1, ss ? 2 : 0, rndn(2), -1, op, 0);
    if (!ss) I.vv = 0;
  }
  fill_edge(cur->in.xmm[I.regf], 0);
  if (I.rm.mem) {
    uint8_t *p = cur->scratch + (ea_of(&I.rm, &cur->in) - SCRATCH_ADDR);
    fill_edge(p, 0);
    if (I.vex && I.vl) fill_edge(p + 16, 0);
  } else {
    fill_edge(cur->in.xmm[I.rm.reg], 0);
    if (I.vex) fill_edge(cur->in.yhi[I.rm.reg], 0);
  }
}

static const cls classes[] = {
    {"alu", gen_alu, NULL, 0},       {"incdec", gen_incdec, NULL, 0}, {"test", gen_test, NULL, 0},
    {"shift", gen_shift, NULL, 0},   {"shxd", gen_shxd, NULL, 0},     {"mul", gen_mul, NULL, 0},
    {"div", gen_divwrap, gen_div, 0}, {"bt", gen_bt, NULL, 0},        {"bsf", gen_bsf, NULL, 0},
    {"bswap", gen_bswap, NULL, 0},   {"movx", gen_movx, NULL, 0},     {"cmov", gen_cmov, NULL, 0},
    {"setcc", gen_setcc, NULL, 0},   {"lea", gen_lea, NULL, 0},       {"xchg", gen_xchg, NULL, 0},
    {"cvt", gen_cvt, NULL, 0},       {"string", gen_string, NULL, 0}, {"sse_int", gen_sse_int, NULL, 1},
    {"sse_mov", gen_sse_mov, NULL, 1}, {"sse_fp", gen_sse_fp, NULL, 1}, {"sse_cmp", gen_sse_cmp, NULL, 1},
    {"mov", gen_mov, NULL, 0},       {"flagops", gen_flagops, NULL, 0}, {"x87", gen_x87, NULL, 0},
    {"lzcnt", gen_lzcnt, NULL, 0},   {"bmi1", gen_bmi1, NULL, 0},     {"bmi2", gen_bmi2, NULL, 0},
    {"adx", gen_adx, NULL, 0},       {"movbe", gen_movbe, NULL, 0},   {"crc32", gen_crc32, NULL, 0},
    {"sse3", gen_sse3, NULL, 1},     {"ssse3", gen_ssse3, NULL, 0},   {"sse41", gen_sse41, NULL, 1},
    {"sse42", gen_sse42, NULL, 0},   {"mmx", gen_mmx, NULL, 1},     {"cx16", gen_cx16, NULL, 0},
    {"x87env", gen_x87env, NULL, 0}, {"maskmov", gen_maskmov, NULL, 0}, {"x87stack", gen_x87stack, NULL, 0},
    {"avx_mov", gen_avx_mov, NULL, AVX},
    AVX_INT_CLASSES
    AVX_FP_CLASSES
    {"xsave", gen_xsave, NULL, AVX}, {"sse_mx", gen_sse_mx, NULL, AVX},
    MX_CLASSES
    {"rcp", gen_rcp, NULL, AVX},
};
#define NCLASSES (int)(sizeof classes / sizeof classes[0])

static void random_state(tcase *t, int sse) {
  memset(t, 0, sizeof *t);
  for (int i = 0; i < 16; i++) t->in.r[i] = interesting();
  t->in.r[RSP] = 0;
  t->in.flags = 2 | (rnd() & ARITH);
  for (int i = 0; i < 16; i++) {
    for (int k = 0; k < 2; k++) {
      uint64_t v = rnd();
      if ((sse & 1) && rndn(3)) { double d = interesting_double(); memcpy(&v, &d, 8); }
      else if (rndn(4) == 0) v = interesting();
      memcpy(&t->in.xmm[i][k * 8], &v, 8);
    }
  }
  if (sse & AVX) {
    t->in.mxcsr = 0x1F80;
    t->mxcsr_mask = 0xFFC0;
  }
  if (sse & AVX)
    for (int i = 0; i < 16; i++)
      for (int k = 0; k < 2; k++) {
        uint64_t v = rnd();
        if ((sse & 1) && rndn(3)) { double d = interesting_double(); memcpy(&v, &d, 8); }
        else if (rndn(4) == 0) v = interesting();
        memcpy(&t->in.yhi[i][k * 8], &v, 8);
      }
  for (int i = 0; i < SCRATCH_LEN; i += 8) {
    uint64_t v = rndn(4) == 0 ? interesting() : rnd();
    if ((sse & 1) && rndn(2)) { double d = interesting_double(); memcpy(&v, &d, 8); }
    memcpy(t->scratch + i, &v, 8);
  }
}

static void gen_case(const cls *c, tcase *t) {
  for (;;) {
    random_state(t, c->sse);
    cur = t;
    insn_reset();
    used = 0;
    legacy8 = 0;
    no_legacy8 = 0;
    t->cls = c->name;
    if (c->gen_checked) {
      if (!c->gen_checked()) continue;
      c->gen();
    } else {
      c->gen();
    }
    if (t->len == 0) t->len = encode(&I, t->code); // x87 emits its own sequence
    return;
  }
}

// ---- running and printing ------------------------------------------------

static uint8_t *code_page;
static uint8_t *scratch;
static int verbose;

static const char *const regname[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                        "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};

static void print_hex(const uint8_t *b, int n) {
  for (int i = 0; i < n; i++) printf("%02x", b[i]);
}

static void print_state(const char *tag, const struct state *s) {
  printf("  %s", tag);
  for (int i = 0; i < 16; i++)
    if (i != RSP) printf(" %s=%016llx", regname[i], (unsigned long long)s->r[i]);
  printf(" fl=%03llx\n", (unsigned long long)(s->flags & (ARITH | DF)));
  for (int i = 0; i < 16; i++) {
    printf("  %s xmm%d=", tag, i);
    print_hex(s->xmm[i], 16);
    printf(" hi ");
    print_hex(s->yhi[i], 16);
    printf("\n");
  }
}

static void print_result(long id, const tcase *t, const struct state *out, const uint8_t *mem_after) {
  uint64_t fmask = (ARITH | (t->flagmask_df ? DF : 0)) & ~t->undef_flags;
  printf("%ld %s ", id, t->cls);
  print_hex(t->code, t->len);
  printf(" f=%03llx", (unsigned long long)(out->flags & fmask));
  for (int i = 0; i < 16; i++) {
    if (i == RSP || (t->undef_regs >> i & 1)) continue;
    if (out->r[i] != t->in.r[i]) printf(" %s=%llx", regname[i], (unsigned long long)out->r[i]);
  }
  for (int i = 0; i < 16; i++) {
    if (memcmp(out->xmm[i], t->in.xmm[i], 16) != 0) {
      printf(" xmm%d=", i);
      print_hex(out->xmm[i], 16);
    }
    if (memcmp(out->yhi[i], t->in.yhi[i], 16) != 0) {
      printf(" ymm%dh=", i);
      print_hex(out->yhi[i], 16);
    }
  }
  if ((out->mxcsr ^ t->in.mxcsr) & t->mxcsr_mask) printf(" mxcsr=%04llx", (unsigned long long)(out->mxcsr & t->mxcsr_mask));
  for (int i = 0; i < SCRATCH_LEN; i++) {
    if (mem_after[i] == t->scratch[i]) continue;
    int j = i;
    while (j < SCRATCH_LEN && mem_after[j] != t->scratch[j]) j++;
    printf(" m%d=", i);
    print_hex(mem_after + i, j - i);
    i = j;
  }
  printf("\n");
  if (verbose) {
    printf("  undef flags %03llx regs %04x\n", (unsigned long long)t->undef_flags, t->undef_regs);
    print_state("in ", &t->in);
    if (t->mxcsr_mask == 0xFFFF) { // xsave: the image's MXCSR and header
      printf("  in  mxcsr %04llx image mxcsr ", (unsigned long long)t->in.mxcsr);
      print_hex(t->scratch + 64 + 24, 4);
      printf(" xstate_bv ");
      print_hex(t->scratch + 64 + 512, 8);
      printf(" xcomp_bv ");
      print_hex(t->scratch + 64 + 520, 8);
      printf("\n");
    }
    print_state("out", out);
  }
}

static tcase batch[BATCH];

static void run_class(const cls *c, long n, long *id) {
  for (long done = 0; done < n;) {
    int k = n - done < BATCH ? (int)(n - done) : BATCH;
    if (mprotect(code_page, BATCH * SLOT, PROT_READ | PROT_WRITE) != 0) { perror("mprotect rw"); exit(2); }
    for (int i = 0; i < k; i++) {
      gen_case(c, &batch[i]);
      uint8_t *p = code_page + (size_t)i * SLOT;
      memset(p, 0xCC, SLOT);
      memcpy(p, batch[i].code, batch[i].len);
      // jmp *0(%rip); .quad case_return
      uint8_t *j = p + batch[i].len;
      j[0] = 0xFF; j[1] = 0x25; j[2] = j[3] = j[4] = j[5] = 0;
      uint64_t ret = (uint64_t)(uintptr_t)((c->sse & AVX) ? case_return_avx : case_return);
      memcpy(j + 6, &ret, 8);
    }
    if (mprotect(code_page, BATCH * SLOT, PROT_READ | PROT_EXEC) != 0) { perror("mprotect rx"); exit(2); }
    for (int i = 0; i < k; i++) {
      tcase *t = &batch[i];
      memcpy(scratch, t->scratch, SCRATCH_LEN);
      g_state = t->in;
      g_target = CODE_ADDR + (uint64_t)i * SLOT;
      if (c->sse & AVX) run_case_avx();
      else run_case();
      print_result((*id)++, t, &g_state, scratch);
    }
    done += k;
  }
}

int main(int argc, char **argv) {
  uint64_t seed = 1;
  long n = 200;
  const char *only = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--n") && i + 1 < argc) n = strtol(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
    else if (!strcmp(argv[i], "--soak")) n = 1000000;
    else if (!strcmp(argv[i], "--verbose")) verbose = 1;
    else if (!strcmp(argv[i], "--list")) {
      for (int c = 0; c < NCLASSES; c++) printf("%s\n", classes[c].name);
      return 0;
    } else {
      fprintf(stderr, "usage: insntest [--seed S] [--n N] [--only CLASS,...] [--soak] [--verbose] [--list]\n");
      return 2;
    }
  }
  code_page = mmap((void *)CODE_ADDR, BATCH * SLOT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                   -1, 0);
  scratch = mmap((void *)SCRATCH_ADDR, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (code_page != (void *)CODE_ADDR || scratch != (void *)SCRATCH_ADDR) {
    fprintf(stderr, "insntest: cannot map fixed pages\n");
    return 2;
  }
  printf("insntest seed %llu n %ld\n", (unsigned long long)seed, n);
  long id = 0;
  for (int c = 0; c < NCLASSES; c++) {
    if (only) {
      size_t len = strlen(classes[c].name);
      const char *p = only;
      int hit = 0;
      while (*p) {
        if (!strncmp(p, classes[c].name, len) && (p[len] == 0 || p[len] == ',')) hit = 1;
        p = strchr(p, ',');
        if (!p) break;
        p++;
      }
      if (!hit) continue;
    }
    // Each class gets its own stream, so --only reproduces the same cases.
    rng_state = seed * 0x9E3779B97F4A7C15ull + (uint64_t)c * 0x632BE59BD9B4E019ull + 1;
    id = (long)c * 1000000;
    run_class(&classes[c], n, &id);
  }
  printf("insntest done\n");
  return 0;
}
