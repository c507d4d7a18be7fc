// SPDX-License-Identifier: MIT
package xos.gui.session;

/**
 * Console bytes between the engine thread (writer) and the FX thread (reader, once a frame).
 * Bounded: a guest that writes faster than the view draws loses its oldest undrawn bytes, never
 * the engine's time or the UI's; {@link #dropped()} counts them.
 */
public final class OutputBuffer {
  private final byte[] ring;
  private int head; // next byte to read
  private int size;
  private long dropped;

  public OutputBuffer(int capacity) {
    ring = new byte[capacity];
  }

  public synchronized void write(byte[] b, int off, int len) {
    if (len >= ring.length) {
      dropped += size + (len - ring.length);
      off += len - ring.length;
      len = ring.length;
      head = 0;
      size = 0;
    }
    int overflow = size + len - ring.length;
    if (overflow > 0) {
      head = (head + overflow) % ring.length;
      size -= overflow;
      dropped += overflow;
    }
    int tail = (head + size) % ring.length;
    int first = Math.min(len, ring.length - tail);
    System.arraycopy(b, off, ring, tail, first);
    System.arraycopy(b, off + first, ring, 0, len - first);
    size += len;
  }

  /** Takes up to {@code max} bytes (the oldest first); empty when nothing is waiting. */
  public synchronized byte[] drain(int max) {
    int n = Math.min(max, size);
    byte[] out = new byte[n];
    int first = Math.min(n, ring.length - head);
    System.arraycopy(ring, head, out, 0, first);
    System.arraycopy(ring, 0, out, first, n - first);
    head = (head + n) % ring.length;
    size -= n;
    return out;
  }

  public synchronized int available() {
    return size;
  }

  public synchronized long dropped() {
    return dropped;
  }
}
