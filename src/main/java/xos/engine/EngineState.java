// SPDX-License-Identifier: MIT
package xos.engine;

/**
 * What the engine thread publishes after every slice and command (immutable).
 * {@code waitStatus} is meaningful once {@code status} is EXITED (Linux wait status encoding).
 */
public record EngineState(Status status, long icount, int pid, RegisterFile registers, int waitStatus, String error) {
  public enum Status {
    /** Created, nothing run yet, or between runs. */
    READY,
    /** A run is in progress. */
    RUNNING,
    /** The run's budget is used up. */
    BUDGET,
    /** Every task waits for input. */
    IDLE,
    /** Paused by a Pause command. */
    PAUSED,
    /** Breakpoint or single step. */
    STOPPED,
    /** The first process and all others have exited. */
    EXITED,
    /** The engine failed; {@code error} says why. */
    FAULT
  }

  public static Status fromEngine(int xosStatus) {
    switch (xosStatus) {
      case Engine.XOS_BUDGET: return Status.BUDGET;
      case Engine.XOS_IDLE: return Status.IDLE;
      case Engine.XOS_EXITED: return Status.EXITED;
      case Engine.XOS_STOPPED: return Status.STOPPED;
      default: return Status.FAULT;
    }
  }

  /** Exit code when the guest exited normally, else -1. */
  public int exitCode() {
    return (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : -1;
  }

  /** Signal number that killed the guest, else 0. */
  public int signal() {
    return waitStatus & 0x7f;
  }
}
