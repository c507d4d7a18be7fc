// SPDX-License-Identifier: MIT
package xos.gui.session;

/**
 * Guest memory from {@code address} on (immutable): {@code bytes[i]} is valid where
 * {@code mapped[i]}; unmapped pages read as nothing and show as {@code ??}.
 */
public record MemoryWindow(long address, byte[] bytes, boolean[] mapped) {
  public MemoryWindow {
    bytes = bytes.clone();
    mapped = mapped.clone();
  }

  public int length() {
    return bytes.length;
  }

  public boolean isMapped(int i) {
    return mapped[i];
  }

  public int byteAt(int i) {
    return bytes[i] & 0xff;
  }

  /** The byte at a guest address inside this window, or -1 (outside or unmapped). */
  public int at(long addr) {
    long i = addr - address;
    if (i < 0 || i >= bytes.length || !mapped[(int) i]) {
      return -1;
    }
    return bytes[(int) i] & 0xff;
  }
}
