// SPDX-License-Identifier: MIT
package xos.engine;

import java.util.function.Consumer;

/**
 * Clock and random bytes for reproducible runs: random bytes from a SplitMix64 stream, a clock
 * that advances a fixed step on every reading. Its state is two longs, saved in snapshots, so a
 * restored machine sees the same clock readings and random bytes again.
 */
public final class SeededHost implements HostClock, Consumer<byte[]> {
  /** 2023-11-14T22:13:20Z: a fixed, plausible "now". */
  public static final long EPOCH_NANOS = 1_700_000_000_000_000_000L;
  /** Each clock reading advances 1 ms. */
  public static final long STEP_NANOS = 1_000_000L;

  private long random;
  private long ticks;

  public SeededHost(long seed) {
    this.random = seed;
  }

  private long next() {
    long z = (random += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public void accept(byte[] b) {
    for (int i = 0; i < b.length; i += 8) {
      long v = next();
      for (int j = 0; j < 8 && i + j < b.length; j++) {
        b[i + j] = (byte) (v >>> (8 * j));
      }
    }
  }

  @Override
  public long realtimeNanos() {
    return EPOCH_NANOS + (ticks++) * STEP_NANOS;
  }

  @Override
  public long monotonicNanos() {
    return (ticks++) * STEP_NANOS;
  }

  long[] state() {
    return new long[] {random, ticks};
  }

  void restore(long[] s) {
    random = s[0];
    ticks = s[1];
  }
}
