// SPDX-License-Identifier: MIT
package xos.engine;

/** Where the guest's console output goes: fd 1 (stdout) or 2 (stderr). Must not block long. */
@FunctionalInterface
public interface ConsoleSink {
  void write(int fd, byte[] bytes, int off, int len);
}
