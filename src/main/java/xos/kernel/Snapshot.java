// SPDX-License-Identifier: MIT
package xos.kernel;

/**
 * A machine at one moment: the engine's snapshot (linear memory, globals, host record) and the
 * console output captured up to then, so a restored machine continues byte-exactly.
 */
public record Snapshot(xos.engine.Snapshot engine, byte[] stdout, byte[] stderr, long icount) {
  public Snapshot {
    stdout = stdout.clone();
    stderr = stderr.clone();
  }

  @Override
  public byte[] stdout() {
    return stdout.clone();
  }

  @Override
  public byte[] stderr() {
    return stderr.clone();
  }
}
