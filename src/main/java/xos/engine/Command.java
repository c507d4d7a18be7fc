// SPDX-License-Identifier: MIT
package xos.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** What other threads ask of the {@link EngineThread}. Replies come back through futures. */
public sealed interface Command {
  /**
   * Runs up to {@code budget} guest instructions (Long.MAX_VALUE: until the guest stops). A run
   * waits for pushed input while the guest is idle, unless input is closed or {@code returnOnIdle}.
   */
  record Run(long budget, boolean returnOnIdle, CompletableFuture<EngineState> reply) implements Command {}

  /** Stops a run in progress at the next slice boundary; the run's reply says PAUSED. */
  record Pause(CompletableFuture<EngineState> reply) implements Command {}

  /** Executes exactly one instruction. */
  record Step(CompletableFuture<EngineState> reply) implements Command {}

  record TakeSnapshot(CompletableFuture<Snapshot> reply) implements Command {}

  record Restore(Snapshot snapshot, CompletableFuture<EngineState> reply) implements Command {}

  /** Bytes for the guest's stdin. */
  record PushInput(byte[] bytes) implements Command {
    public PushInput {
      bytes = bytes.clone();
    }
  }

  /** End of the guest's stdin after the buffered bytes. */
  record CloseInput() implements Command {}

  /** Any other engine access (setup, peek, disassembly), run on the engine thread. */
  record Call<T>(Function<Engine, T> action, CompletableFuture<T> reply) implements Command {}

  /** Ends the engine thread and releases the engine. */
  record Shutdown() implements Command {}
}
