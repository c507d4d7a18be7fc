// SPDX-License-Identifier: MIT
package xos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Limits a guest cannot get past, through the real engine.wasm: a fork bomb
 * ends with EAGAIN from fork (the engine's process limit), not with the
 * engine running out of memory. Never run natively: it would bomb the host.
 */
class ProcessLimitsTest {
  /** An ELF executable at 0x400000 whose code is the given bytes (like test_kernel.c's tiny guests). */
  static byte[] elfWithCode(byte[] code) {
    int len = 120 + code.length;
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
    b.position(16);
    b.putShort((short) 2).putShort((short) 62).putInt(1); // ET_EXEC, x86-64, version
    b.putLong(0x400000 + 120).putLong(64).putLong(0); // entry, phoff, shoff
    b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1); // flags, ehsize, phentsize, phnum
    b.position(64);
    b.putInt(1).putInt(5); // PT_LOAD, R+X
    b.putLong(0).putLong(0x400000).putLong(0x400000).putLong(len).putLong(len).putLong(0x1000);
    b.put(code);
    return b.array();
  }

  @Test
  void forkBombEndsWithEagain() {
    // loop: fork(); if (rax >= 0) goto loop; exit(-rax)   (parents and children alike)
    byte[] code = {(byte) 0xb8, 0x39, 0, 0, 0, 0x0f, 0x05, (byte) 0x85, (byte) 0xc0, 0x79, (byte) 0xf5,
        (byte) 0xf7, (byte) 0xd8, (byte) 0x89, (byte) 0xc7, (byte) 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05};
    ProcessResult r = Kernel.create().runX86_64(elfWithCode(code), RunOptions.defaults());
    assertEquals(0, r.signal());
    assertEquals(11, r.exitCode(), "EAGAIN");
  }
}
