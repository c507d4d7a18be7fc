// SPDX-License-Identifier: MIT
package xos.engine;

import java.time.Instant;

/** The engine's clock import: realtime (ns since the epoch) and monotonic ns. */
public interface HostClock {
  long realtimeNanos();

  long monotonicNanos();

  /** The host's clocks. */
  static HostClock system() {
    return new HostClock() {
      @Override
      public long realtimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public long monotonicNanos() {
        return System.nanoTime();
      }
    };
  }
}
