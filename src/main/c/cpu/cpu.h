// SPDX-License-Identifier: MIT
// The x86-64 CPU: architectural state, the decoded-instruction form and the
// run loop's stop reasons. The CPU knows nothing about Linux; it runs until
// something stops it and says why (kernel/ turns reasons into syscalls and
// signals). It must not include anything from kernel/, fs/ or host/.
#ifndef XOS_CPU_H
#define XOS_CPU_H

#include <stdint.h>
#include "../mem/mem.h"
#include "f80.h"

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

// Why cpu_run returned.
enum stop_reason {
  STOP_BUDGET = 0,   // instruction budget spent
  STOP_SYSCALL,      // executed `syscall`; rip is after it
  STOP_PAGEFAULT,    // #PF: cpu->fault_addr, cpu->fault_write; rip at the insn
  STOP_UD,           // #UD undefined/unimplemented opcode; rip at the insn
  STOP_DE,           // #DE divide error; rip at the insn
  STOP_GP,           // #GP (e.g. misaligned movaps); rip at the insn
  STOP_INT3,         // int3; rip after it (as Linux reports SIGTRAP)
  STOP_BREAKPOINT,   // debugger breakpoint at rip (not executed)
  STOP_STEP,         // single step done
  STOP_HLT,          // hlt (privileged in user mode: kernel sends SIGSEGV)
  STOP_FPE,          // unmasked x87/SSE exception (issue 4)
};

// RFLAGS bits (Intel SDM vol. 1, 3.4.3).
#define F_CF 0x0001u
#define F_PF 0x0004u
#define F_AF 0x0010u
#define F_ZF 0x0040u
#define F_SF 0x0080u
#define F_TF 0x0100u
#define F_IF 0x0200u
#define F_DF 0x0400u
#define F_OF 0x0800u
#define F_AC 0x40000u
#define F_ID 0x200000u
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

// Lazy flags: the last flag-setting operation is remembered and the six
// arithmetic flags are computed only when something reads them.
enum lazy_op {
  LF_NONE = 0, // flags are in cpu->flags as they stand
  LF_ADD, LF_ADC, LF_SUB, LF_SBB, LF_LOGIC, LF_INC, LF_DEC,
  LF_SHL, LF_SHR, LF_SAR, LF_MUL, LF_NEG,
};

union xmm {
  uint8_t b[32];
  uint16_t w[16];
  uint32_t d[8];
  uint64_t q[4];
  int8_t sb[32];
  int16_t sw[16];
  int32_t sd[8];
  int64_t sq[4];
  float f[8];
  double dbl[4];
};

// Decoded instruction. Produced by cpu_decode, cached by RIP.
struct insn {
  uint16_t op;      // 0x000-0x0FF one-byte map, 0x100-0x1FF 0F map,
                    // 0x200-0x2FF 0F38 map, 0x300-0x3FF 0F3A map
  uint8_t len;      // total length in bytes
  uint8_t rex;      // REX byte (0x40-0x4F) or 0
  uint8_t pfx;      // PFX_* bits
  uint8_t seg;      // 0 none, 4 FS, 5 GS (segment override)
  uint8_t has_modrm;
  uint8_t mod;      // modrm.mod (3 = register operand)
  uint8_t reg;      // modrm.reg | REX.R<<3
  uint8_t rm;       // modrm.rm | REX.B<<3 (register when mod==3)
  uint8_t base;     // base register or 0xFF (none) / 0xFE (rip-relative)
  uint8_t index;    // index register or 0xFF (none)
  uint8_t scale;    // shift 0-3
  uint8_t osz;      // operand size in bytes: 1, 2, 4 or 8 (for non-byte ops)
  uint8_t vex_l, vex_v; // VEX.L and VEX.vvvv (issue 4)
  int32_t disp;
  uint64_t imm;     // immediate (sign- or zero-extended as the opcode says)
  uint16_t imm2;    // second immediate (enter)
  // Filled by the run loop's block builder (exec.c), zero from the decoder:
  uint8_t kind;     // which handler runs it (K_* in exec.c; 0: by opcode group)
  uint8_t sub;      // kind-specific operand (ALU op, condition, register)
  uint8_t aux;      // kind-specific: shift count
  uint8_t fdead;    // 1: no later instruction can see the flags it writes
};

#define PFX_66 0x01   // operand-size override
#define PFX_F2 0x02   // repne / SSE prefix
#define PFX_F3 0x04   // rep / SSE prefix
#define PFX_LOCK 0x08
#define PFX_67 0x10   // address-size override
#define PFX_REXW 0x20 // REX.W set
#define PFX_VEX 0x40

// x87 state (fsave/fxsave view). Registers are double-extended values in
// software (cpu/f80.h), identical in the native and wasm builds.
struct x87 {
  struct f80 st[8];  // physical registers; ST(i) = st[(top + i) & 7]
  uint16_t cw, sw;   // control word, status word (top kept separately)
  uint16_t tag;      // abridged tag: bit i set = physical reg i valid
  uint8_t top;
  uint8_t uf;        // x87.c: a stack underflow happened in the current instruction
};

// Decoded blocks: straight-line runs of instructions ending at a control
// transfer, decoded once and cached by their start address. Pages holding
// cached code are kept out of the write TLB; a store to one bumps
// mm->code_gen, which invalidates every cached block of that address space.
// A CPU starts with the small cache; the first time its pool fills up it
// moves to the large one (a shell's interpreter loop runs ~2,000 distinct
// blocks per iteration: the small cache decoded one block per 60
// instructions, the large one one per 900).
#define BLOCK_TABLE 4096        // direct-mapped block entries (small cache)
#define BLOCK_TABLE_LARGE 32768
#define BLOCK_MAX 32            // instructions per block
#define INSN_POOL 16384         // decoded instructions shared by all blocks (small cache)
#define INSN_POOL_LARGE 131072

struct block_entry {
  uint64_t rip;   // start address
  uint32_t gen;   // mm->code_gen when decoded
  uint32_t where; // pool index of the first instruction << 6 | instruction count (0: entry unused)
};                // (cpu_run reads gen and where as one quadword)

struct cpu {
  uint64_t r[16];
  uint64_t rip;
  uint64_t fs_base, gs_base;
  // Flags: cpu->flags holds every bit; when lf_op != LF_NONE the arithmetic
  // bits in it are stale and come from (lf_op, lf_res, lf_a, lf_b, lf_size).
  uint32_t flags;
  uint32_t lf_op;
  uint32_t lf_size; // operand size in bytes of the lazy op
  uint64_t lf_res, lf_a, lf_b;
  union xmm xmm[16];   // YMM0-15: legacy SSE writes bytes 0-15 only; VEX zeroes 16-31 (VLMAX 256)
  uint32_t mxcsr;
  struct x87 fpu;
  struct mm *mm;
  uint64_t icount;      // instructions retired
  uint64_t fault_addr;  // for STOP_PAGEFAULT
  int pf;               // set by a faulting access inside an instruction
  int fault_write;
  uint64_t fault_rip;   // rip of the insn that stopped (UD/GP/DE/PF/FPE)
  int fpe_vector;       // STOP_FPE: 16 (#MF, x87) or 19 (#XM, SIMD)
  uint8_t ud_bytes[16]; // bytes at fault_rip for the SIGILL log
  uint64_t *bp;         // debugger breakpoints (sorted), may be NULL
  int nbp;
  uint64_t tsc;         // rdtsc counter base
  struct block_entry *blocks;  // block_mask + 1 entries
  struct insn *pool;           // pool_cap decoded instructions
  uint32_t block_mask;         // exec.c (cpu_init, growth): table size - 1
  uint32_t pool_cap;           // exec.c (cpu_init, growth)
  uint32_t pool_next;          // next free pool slot
  struct mm *cache_mm;         // the address space the cache was filled from
  uint8_t skip_dead;           // cpu_run: the block runs whole, dead flags may be skipped
  struct insn tmp_insn;        // decode of an instruction that crosses a page
  union xmm tmpx[4];           // SSE/AVX operands in flight (not on the wasm stack)
  uint8_t fxbuf[512];          // fxsave/fxrstor image in flight
  uint8_t xbuf[832];           // xsave/xrstor image in flight
};

// XSAVE state (cpu/xsave.c): XCR0 = x87 | SSE | AVX, standard image size.
#define CPU_XCR0 7ull
#define CPU_XSAVE_SIZE 832

void cpu_init(struct cpu *cpu, struct mm *mm);
void cpu_free(struct cpu *cpu);
// Runs at most budget instructions. Returns a stop_reason.
int cpu_run(struct cpu *cpu, uint64_t budget);
// Architectural RFLAGS with lazy flags materialised.
uint64_t cpu_get_flags(struct cpu *cpu);
void cpu_set_flags(struct cpu *cpu, uint64_t f);
// Decodes the instruction at rip from guest memory. Returns 0, or a stop
// reason (STOP_PAGEFAULT if the bytes cannot be fetched, STOP_UD if invalid).
int cpu_decode(struct cpu *cpu, uint64_t rip, struct insn *in);
// Drops every cached decoded block (the kernel calls it after exec).
void cpu_flush_code(struct cpu *cpu);
// Decodes from a byte buffer (disassembler, tests). Returns length or -1.
int cpu_decode_bytes(const uint8_t *p, int n, struct insn *in);
// Fills the CPUID leaf (eax, ecx) into out[4] = {eax, ebx, ecx, edx}.
void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4]);
// XSAVE images (also the signal frame's FPU state): save the components in
// rfbm into img, which holds what memory held (standard or compacted form);
// restore, -1 for a header XRSTOR would reject with #GP.
void cpu_xsave(struct cpu *cpu, uint8_t *img, uint64_t rfbm, int compact);
int cpu_xrstor(struct cpu *cpu, const uint8_t *img, uint64_t rfbm);
uint64_t cpu_xinuse(struct cpu *cpu);
// Supplied by the embedder: random bytes for RDRAND and RDSEED.
void cpu_random(void *buf, int len);
// Disassembles one instruction (Intel syntax) into buf; returns length or -1.
// cpu_disasm_att: the same instruction in AT&T syntax (objdump -M att).
int cpu_disasm_att(const uint8_t *p, int n, uint64_t addr, char *buf, int bufsz);
int cpu_disasm(const uint8_t *p, int n, uint64_t addr, char *buf, int bufsz);

#endif
