// SPDX-License-Identifier: MIT
// Checks cpu_disasm against GNU objdump on a real binary: every instruction
// objdump decodes in the executable sections is decoded here at the same
// address; lengths must agree (and the count of instructions we cannot
// decode is reported), and texts are compared after a light normalisation
// (comments, spacing, hex case, objdump's size/segment decorations).
//   disasm_check FILE [--raw] [--groups] [--show N] [--show-text N]
//   disasm_check [--att] --cases FILE   fixed cases, exact text, no objdump
//   --att: cpu_disasm_att against objdump -M att
// exits 1 on any length mismatch. FILE is an ELF executable or shared
// object, or (--raw) vexgen's slots of generated instructions; --groups
// counts the text mismatches by objdump's mnemonic and encoding class.
// Build: make -C src/test/disasm (links the engine's cpu/, mem/, util/).
#define _GNU_SOURCE
#include <ctype.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"

// AT&T syntax (cpu/disasm.c; not in cpu.h yet).
int cpu_disasm_att(const uint8_t *p, int n, uint64_t addr, char *buf, int bufsz);
static int (*disasm)(const uint8_t *, int, uint64_t, char *, int) = cpu_disasm;

static uint8_t *image;
static size_t image_len;
static Elf64_Phdr *ph;
static int nph;

// Bytes at a virtual address (from the PT_LOAD segments), or NULL.
static const uint8_t *at(uint64_t va, int *avail) {
  for (int i = 0; i < nph; i++) {
    if (ph[i].p_type != PT_LOAD || va < ph[i].p_vaddr || va >= ph[i].p_vaddr + ph[i].p_filesz) continue;
    uint64_t off = ph[i].p_offset + (va - ph[i].p_vaddr);
    *avail = (int)(ph[i].p_vaddr + ph[i].p_filesz - va);
    if (off >= image_len) return NULL;
    return image + off;
  }
  return NULL;
}

// Lower-case, one space between tokens, no comment, no "ptr"-less
// differences: objdump writes "QWORD PTR", "ds:" and "# 0x..." notes.
static void normalise(const char *in, char *out, int n) {
  int k = 0, space = 0;
  for (const char *p = in; *p && k < n - 1; p++) {
    if (*p == '#' || *p == ';' || *p == '<') break;
    if (isspace((unsigned char)*p)) {
      space = k > 0;
      continue;
    }
    if (space && k < n - 1) out[k++] = ' ';
    space = 0;
    out[k++] = (char)tolower((unsigned char)*p);
  }
  while (k > 0 && out[k - 1] == ' ') k--;
  out[k] = 0;
  // objdump separates operands with ','; cpu_disasm's Intel text with ", ".
  char *c;
  while ((c = strstr(out, ", ")) != NULL) memmove(c + 1, c + 2, strlen(c + 2) + 1);
  char *d;
  while ((d = strstr(out, "ds:")) != NULL && (d == out || d[-1] != '%')) memmove(d, d + 3, strlen(d + 3) + 1);
}

// objdump's spellings that name the same instruction: "movabs", prefixes it
// shows as words ("cs nop", "notrack jmp", "ds jmp"), "xchg ax,ax" for 66 90,
// and negative rip displacements as 64-bit sums.
static void objdump_style(char *s) {
  if (!strncmp(s, "movabs ", 7)) memmove(s + 3, s + 6, strlen(s + 6) + 1);
  static const char *const words[] = {"cs ", "ds ", "ss ", "es ", "notrack ", "bnd ", "data16 ", "addr32 "};
  for (int again = 1; again;) {
    again = 0;
    for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++)
      if (!strncmp(s, words[i], strlen(words[i]))) {
        memmove(s, s + strlen(words[i]), strlen(s + strlen(words[i])) + 1);
        again = 1;
      }
  }
  if (!strcmp(s, "xchg ax,ax") || !strcmp(s, "xchg %ax,%ax")) strcpy(s, "nop");
  // Branch targets: "call 4535e0 <sym>" in a binary with symbols.
  char *sp = strchr(s, ' ');
  if (sp && (s[0] == 'j' || !strncmp(s, "call ", 5) || !strncmp(s, "loop", 4) || !strncmp(s, "xbegin ", 7)) &&
      isxdigit((unsigned char)sp[1]) && strncmp(sp + 1, "0x", 2) != 0 && !strchr(sp, '[') && !strchr(sp, 'r')) {
    memmove(sp + 3, sp + 1, strlen(sp + 1) + 1);
    sp[1] = '0';
    sp[2] = 'x';
  }
  char *r = strstr(s, "rip+0xffffffff");
  if (r) {
    char *e;
    uint64_t v = strtoull(r + 4, &e, 16);
    char tail[256];
    snprintf(tail, sizeof tail, "%s", e);
    snprintf(r, 64 + strlen(tail), "rip-0x%llx%s", (unsigned long long)(0 - v), tail);
  }
}

// Encoding class of the instruction at b: 0 legacy, 1 VEX, 2 EVEX.
static int enc_class(const uint8_t *b, int n) {
  int i = 0;
  while (i < n && (b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xF2 || b[i] == 0xF3 || b[i] == 0xF0 || b[i] == 0x2E ||
                   b[i] == 0x3E || b[i] == 0x26 || b[i] == 0x36 || b[i] == 0x64 || b[i] == 0x65))
    i++;
  if (i >= n) return 0;
  return b[i] == 0xC4 || b[i] == 0xC5 ? 1 : b[i] == 0x62 ? 2 : 0;
}

// Text mismatches counted by objdump's mnemonic, for --groups.
#define NGROUPS 4096
static struct group { char name[32]; int cls; long n; } groups[NGROUPS];
static int ngroups;

static void count_group(const char *text, int cls) {
  char name[32];
  int k = 0;
  while (text[k] && text[k] != ' ' && k < 31) name[k] = text[k], k++;
  name[k] = 0;
  for (int i = 0; i < ngroups; i++)
    if (groups[i].cls == cls && !strcmp(groups[i].name, name)) {
      groups[i].n++;
      return;
    }
  if (ngroups < NGROUPS) {
    strcpy(groups[ngroups].name, name);
    groups[ngroups].cls = cls;
    groups[ngroups++].n = 1;
  }
}

static int by_count(const void *a, const void *b) {
  const struct group *x = a, *y = b;
  return x->cls != y->cls ? x->cls - y->cls : y->n > x->n ? 1 : y->n < x->n ? -1 : strcmp(x->name, y->name);
}

// objdump folds FWAIT into the x87 instruction after it ("fstcw" for
// 9B D9 /7); the CPU executes them as two, and so does cpu_disasm.
// Returns the combined length when ours is that pair, else 0.
static int fwait_pair(const uint8_t *b, int avail, uint64_t va, char *ours, int size) {
  if (b[0] != 0x9B || avail < 2 || (b[1] & 0xF8) != 0xD8) return 0;
  char rest[256];
  int len = disasm(b + 1, avail - 1 < 15 ? avail - 1 : 15, va + 1, rest, sizeof rest);
  if (len < 0) return 0;
  if (!strncmp(rest, "fn", 2)) snprintf(ours, size, "f%s", rest + 2);
  else snprintf(ours, size, "%s", rest);
  return len + 1;
}

// --cases FILE: "address<TAB>bytes<TAB>text" lines, compared exactly (no
// objdump needed). Returns the number of failures.
static int run_cases(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) { perror(path); return 1; }
  char line[512];
  int n = 0, bad = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (!t2) continue;
    uint64_t va = strtoull(line, NULL, 16);
    uint8_t b[16];
    int len = 0;
    for (char *q = t1 + 1; q < t2 && len < 16;) {
      while (*q == ' ') q++;
      if (q >= t2) break;
      b[len++] = (uint8_t)strtoul(q, &q, 16);
    }
    char *want = t2 + 1;
    want[strcspn(want, "\n")] = 0;
    char ours[256];
    int got = disasm(b, len, va, ours, sizeof ours);
    n++;
    if (got != len || strcmp(ours, want)) {
      bad++;
      printf("case %llx: length %d (want %d) '%s' want '%s'\n", (unsigned long long)va, got, len, ours, want);
    }
  }
  fclose(f);
  printf("cases %d, failed %d\n", n, bad);
  return bad;
}

int main(int argc, char **argv) {
  int show = 10, show_text = 0, raw = 0, list_groups = 0;
  const char *path = NULL, *cases = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--show") && i + 1 < argc) show = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--show-text") && i + 1 < argc) show_text = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--raw")) raw = 1;
    else if (!strcmp(argv[i], "--groups")) list_groups = 1;
    else if (!strcmp(argv[i], "--att")) disasm = cpu_disasm_att;
    else if (!strcmp(argv[i], "--cases") && i + 1 < argc) cases = argv[++i];
    else path = argv[i];
  }
  if (cases) return run_cases(cases) ? 1 : 0;
  if (!path) {
    fprintf(stderr, "usage: disasm_check FILE [--att] [--raw] [--groups] [--show N] [--show-text N]\n"
                    "       disasm_check [--att] --cases FILE\n"
                    "  FILE an x86-64 ELF (executable or shared object), or with --raw a file of\n"
                    "  32-byte slots each starting with one instruction (vexgen's output)\n");
    return 2;
  }
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); return 2; }
  fseek(f, 0, SEEK_END);
  image_len = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  image = malloc(image_len);
  if (fread(image, 1, image_len, f) != image_len) { perror("read"); return 2; }
  fclose(f);
  static Elf64_Phdr raw_ph;
  if (raw) { // one segment: the whole file at address 0
    raw_ph.p_type = PT_LOAD;
    raw_ph.p_filesz = image_len;
    ph = &raw_ph;
    nph = 1;
  } else {
    Elf64_Ehdr *eh = (Elf64_Ehdr *)image;
    if (image_len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64) {
      fprintf(stderr, "%s: not a 64-bit ELF (use --raw for raw code)\n", path);
      return 2;
    }
    ph = (Elf64_Phdr *)(image + eh->e_phoff);
    nph = eh->e_phnum;
  }

  char cmd[4096];
  snprintf(cmd, sizeof cmd, "objdump -d -w -M %s %s'%s'", disasm == cpu_disasm ? "intel" : "att",
           raw ? "-D -b binary -m i386:x86-64 " : "", path);
  FILE *p = popen(cmd, "r");
  if (!p) { perror("objdump"); return 2; }
  char line[1024];
  long total = 0, len_bad = 0, undecodable = 0, text_bad = 0, unsynced = 0, fwaits = 0, objdump_bad = 0;
  long cls_n[3] = {0}, cls_bad[3] = {0}, cls_len[3] = {0};
  uint64_t next_slot = 0;
  while (fgets(line, sizeof line, p)) {
    // "  401000:\t48 83 ec 08          \tsub    rsp,0x8"
    char *colon = strchr(line, ':');
    if (!colon || line[0] != ' ') continue;
    char *tab1 = strchr(colon, '\t');
    if (!tab1) continue;
    char *tab2 = strchr(tab1 + 1, '\t');
    uint64_t va = strtoull(line, NULL, 16);
    int nbytes = 0;
    for (char *q = tab1 + 1; q && *q && (!tab2 || q < tab2);) {
      while (*q == ' ') q++;
      if (!isxdigit((unsigned char)q[0]) || !isxdigit((unsigned char)q[1])) break;
      nbytes++;
      q += 2;
    }
    if (!tab2 || nbytes == 0) continue; // a continuation line of a long instruction
    if (raw) { // only the instruction at each slot's start
      if (va % 32) continue;
      unsynced += (long)((va - next_slot) / 32);
      next_slot = va + 32;
    }
    const char *theirs = tab2 + 1;
    if (strstr(theirs, "(bad)")) { // objdump found it invalid (whole or an operand)
      objdump_bad++;
      continue;
    }
    total++;
    int avail = 0;
    const uint8_t *b = at(va, &avail);
    if (!b) continue;
    int cls = enc_class(b, avail);
    cls_n[cls]++;
    char ours[256];
    int len = disasm(b, avail < 15 ? avail : 15, va, ours, sizeof ours);
    if (len == 1 && nbytes > 1) {
      int l2 = fwait_pair(b, avail, va, ours, sizeof ours);
      if (l2) len = l2, fwaits++;
    }
    if (len < 0) {
      if (undecodable++ < show) printf("undecodable %llx: %s", (unsigned long long)va, theirs);
      continue;
    }
    if (len != nbytes) {
      cls_len[cls]++;
      if (len_bad++ < show) printf("length %llx: ours %d objdump %d: %s", (unsigned long long)va, len, nbytes, theirs);
      continue;
    }
    char a[256], c2[256];
    normalise(ours, a, sizeof a);
    normalise(theirs, c2, sizeof c2);
    objdump_style(c2);
    if (strcmp(a, c2) != 0) {
      cls_bad[cls]++;
      count_group(c2, cls);
      if (text_bad++ < show_text) {
        printf("text %llx:", (unsigned long long)va);
        for (int i = 0; i < len; i++) printf(" %02x", b[i]);
        printf(": ours '%s' objdump '%s'\n", a, c2);
      }
    }
  }
  pclose(p);
  if (raw) unsynced += (long)((image_len - next_slot) / 32);
  printf("instructions %ld, undecodable %ld, length mismatches %ld, text mismatches %ld", total, undecodable, len_bad,
         text_bad);
  if (fwaits) printf(", fwait pairs %ld", fwaits);
  if (objdump_bad) printf(", skipped as (bad) by objdump %ld", objdump_bad);
  if (raw) printf(", slots objdump read out of step %ld", unsynced);
  printf("\n");
  static const char *const cls_name[3] = {"legacy", "VEX", "EVEX"};
  for (int c = 0; c < 3; c++)
    printf("  %-6s instructions %ld, length mismatches %ld, text mismatches %ld\n", cls_name[c], cls_n[c], cls_len[c],
           cls_bad[c]);
  if (list_groups) {
    qsort(groups, ngroups, sizeof groups[0], by_count);
    for (int i = 0; i < ngroups; i++) printf("  %s %s %ld\n", cls_name[groups[i].cls], groups[i].name, groups[i].n);
  }
  return len_bad ? 1 : 0;
}
