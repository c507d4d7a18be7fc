// SPDX-License-Identifier: MIT
// Checks cpu_disasm against GNU objdump on a real binary: every instruction
// objdump decodes in the executable sections is decoded here at the same
// address; lengths must agree (and the count of instructions we cannot
// decode is reported), and texts are compared after a light normalisation
// (comments, spacing, hex case, objdump's size/segment decorations).
//   disasm_check BINARY [--show N | --show-text N]   exit 1 on any length mismatch
// Build: make -C src/test/disasm (links the engine's cpu/, mem/, util/).
#define _GNU_SOURCE
#include <ctype.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"

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
  char *d;
  while ((d = strstr(out, "ds:")) != NULL) memmove(d, d + 3, strlen(d + 3) + 1);
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
  if (!strcmp(s, "xchg ax, ax")) strcpy(s, "nop");
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

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: disasm_check BINARY [--show N | --show-text N]\n");
    return 2;
  }
  int show = argc > 3 && !strcmp(argv[2], "--show") ? atoi(argv[3]) : 10;
  int show_text = argc > 3 && !strcmp(argv[2], "--show-text") ? atoi(argv[3]) : 0;
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 2; }
  fseek(f, 0, SEEK_END);
  image_len = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  image = malloc(image_len);
  if (fread(image, 1, image_len, f) != image_len) { perror("read"); return 2; }
  fclose(f);
  Elf64_Ehdr *eh = (Elf64_Ehdr *)image;
  ph = (Elf64_Phdr *)(image + eh->e_phoff);
  nph = eh->e_phnum;

  char cmd[4096];
  snprintf(cmd, sizeof cmd, "objdump -d -w -M intel '%s'", argv[1]);
  FILE *p = popen(cmd, "r");
  if (!p) { perror("objdump"); return 2; }
  char line[1024];
  long total = 0, len_bad = 0, undecodable = 0, text_bad = 0;
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
    const char *theirs = tab2 + 1;
    if (!strncmp(theirs, "(bad)", 5)) continue;
    total++;
    int avail = 0;
    const uint8_t *b = at(va, &avail);
    if (!b) continue;
    char ours[256];
    int len = cpu_disasm(b, avail < 15 ? avail : 15, va, ours, sizeof ours);
    if (len < 0) {
      if (undecodable++ < show) printf("undecodable %llx: %s", (unsigned long long)va, theirs);
      continue;
    }
    if (len != nbytes) {
      if (len_bad++ < show) printf("length %llx: ours %d objdump %d: %s", (unsigned long long)va, len, nbytes, theirs);
      continue;
    }
    char a[256], c[256];
    normalise(ours, a, sizeof a);
    normalise(theirs, c, sizeof c);
    // objdump separates operands with ',' and writes "QWORD PTR"; we write ", ".
    char c2[256];
    int k = 0;
    for (int i = 0; c[i] && k < 250; i++) {
      c2[k++] = c[i];
      if (c[i] == ',' && c[i + 1] != ' ') c2[k++] = ' ';
    }
    c2[k] = 0;
    objdump_style(c2);
    if (strcmp(a, c2) != 0 && text_bad++ < show_text) printf("text %llx: ours '%s' objdump '%s'\n", (unsigned long long)va, a, c2);
  }
  pclose(p);
  printf("instructions %ld, undecodable %ld, length mismatches %ld, text mismatches %ld\n", total, undecodable, len_bad,
         text_bad);
  return len_bad ? 1 : 0;
}
