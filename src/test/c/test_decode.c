// SPDX-License-Identifier: MIT
// Decoder and disassembler on random bytes (biased towards prefixes, REX,
// VEX/EVEX and the escape bytes): never out of bounds, lengths within 1..15
// and the same from both, and an instruction cut short asks for more bytes.
#include <stdint.h>
#include <string.h>

#include "cpu/cpu.h"
#include "test.h"

static uint64_t fuzz_state = 0x9E3779B97F4A7C15ull;
static uint8_t fuzz_byte(void) {
  fuzz_state ^= fuzz_state << 13;
  fuzz_state ^= fuzz_state >> 7;
  fuzz_state ^= fuzz_state << 17;
  static const uint8_t hot[] = {0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x48, 0x4C, 0x0F, 0x38, 0x3A, 0xC4, 0xC5, 0x62, 0x64, 0xD9, 0xDB};
  return (fuzz_state >> 60) < 5 ? hot[(fuzz_state >> 20) & 15] : (uint8_t)(fuzz_state >> 32);
}

TEST(decode_random_bytes) {
  uint8_t b[15];
  char text[160];
  struct insn in;
  for (int i = 0; i < 300000; i++) {
    for (int k = 0; k < 15; k++) b[k] = fuzz_byte();
    int len = cpu_decode_bytes(b, 15, &in);
    ASSERT(len == -2 || (len >= 1 && len <= 15));
    int dl = cpu_disasm(b, 15, 0x400000, text, sizeof text);
    ASSERT(strlen(text) < sizeof text);
    if (len > 0) {
      ASSERT_EQ(dl, len);
      ASSERT_EQ(cpu_decode_bytes(b, len - 1, &in), -1); // one byte short: needs more
    }
  }
}
