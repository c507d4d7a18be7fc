// SPDX-License-Identifier: MIT
package xos.engine;

/** The engine itself failed (a trap, a missing export, a bad snapshot): never guest behaviour. */
public class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineException(String message) {
    super(message);
  }

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
