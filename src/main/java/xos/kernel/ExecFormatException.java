// SPDX-License-Identifier: MIT
package xos.kernel;

/**
 * The program could not be started: not an ELF file, a truncated or malformed one, or another
 * architecture (i386). The message is the engine's own ("i386 (ELF32) programs are not
 * supported", ...); {@link #errno()} is the negative Linux errno xos_spawn returned.
 */
public class ExecFormatException extends XosException {
  private static final long serialVersionUID = 1L;
  private final int errno;

  public ExecFormatException(String message, int errno) {
    super(message);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
