// SPDX-License-Identifier: MIT
package xos.kernel;

import java.io.ByteArrayOutputStream;
import xos.engine.ConsoleSink;

/** Console output kept in memory (fd 1 and fd 2), optionally forwarded to another sink. */
final class CapturedOutput implements ConsoleSink {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ConsoleSink forward;
  private final boolean keep;

  CapturedOutput(ConsoleSink forward, boolean keep) {
    this.forward = forward;
    this.keep = keep;
  }

  @Override
  public void write(int fd, byte[] bytes, int off, int len) {
    if (keep) {
      synchronized (this) {
        (fd == 2 ? err : out).write(bytes, off, len);
      }
    }
    if (forward != null) {
      forward.write(fd, bytes, off, len);
    }
  }

  synchronized byte[] stdout() {
    return out.toByteArray();
  }

  synchronized byte[] stderr() {
    return err.toByteArray();
  }

  synchronized void reset(byte[] stdout, byte[] stderr) {
    out.reset();
    err.reset();
    out.write(stdout, 0, stdout.length);
    err.write(stderr, 0, stderr.length);
  }
}
