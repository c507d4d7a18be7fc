// SPDX-License-Identifier: MIT
package xos.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test inputs: our committed guest programs and hand-made malformed ELF headers. */
public final class Programs {
  private Programs() {}

  public static Path repo() {
    return Path.of(System.getProperty("xos.repo", ".")).toAbsolutePath();
  }

  /** containers/hello-x86_64.elf: writes "hi\n", exits 42. */
  public static Path helloPath() {
    return repo().resolve("containers/hello-x86_64.elf");
  }

  public static byte[] hello() {
    try {
      return Files.readAllBytes(helloPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 52-byte ELF32 header for EM_386 (what an i386 program starts with). */
  public static byte[] i386Header() {
    ByteBuffer b = ByteBuffer.allocate(52).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0});
    b.position(16);
    b.putShort((short) 2); // ET_EXEC
    b.putShort((short) 3); // EM_386
    b.putInt(1); // EV_CURRENT
    b.putInt(0x08048000); // e_entry
    b.putInt(52); // e_phoff
    b.putInt(0); // e_shoff
    b.putInt(0); // e_flags
    b.putShort((short) 52); // e_ehsize
    b.putShort((short) 32); // e_phentsize
    b.putShort((short) 0); // e_phnum
    return b.array();
  }
}
