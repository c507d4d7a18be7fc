// SPDX-License-Identifier: MIT
package xos.kernel;

/** A failure of xos itself or of the request (not of the guest program, which gets a status). */
public class XosException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public XosException(String message) {
    super(message);
  }

  public XosException(String message, Throwable cause) {
    super(message, cause);
  }
}
