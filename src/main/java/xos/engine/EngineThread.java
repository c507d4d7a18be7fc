// SPDX-License-Identifier: MIT
package xos.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The only thread that runs the engine. Others send {@link Command}s through a queue and read
 * the latest {@link EngineState} (published after every slice), or wait on a command's future.
 * A run is cut into slices so pause, input and snapshots are served while the guest runs.
 */
public final class EngineThread implements AutoCloseable {
  /** Guest instructions per xos_run call: a few milliseconds, so commands are served quickly. */
  public static final long SLICE = 1L << 20;

  private final BlockingQueue<Command> queue = new LinkedBlockingQueue<>();
  private final AtomicReference<EngineState> latest = new AtomicReference<>();
  private final Thread thread;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile boolean closed;

  // Engine-thread state.
  private Engine engine;
  private Command.Run current;
  private long remaining;
  private boolean waitingForInput;
  private long wakeAt; // System.nanoTime() when a sleeping guest is due (0: none); with waitingForInput
  private boolean inputClosed;
  private EngineState.Status lastStatus = EngineState.Status.READY;
  private String lastError = "";

  /**
   * Starts the thread; {@code factory} creates the engine on it, so the Chicory instance is
   * born on, and never leaves, the engine thread.
   */
  public EngineThread(String name, Supplier<Engine> factory) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    thread = new Thread(() -> loop(factory, started), name);
    thread.setDaemon(true);
    thread.start();
    try {
      started.join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new EngineException("engine did not start: " + c, c);
    }
  }

  /** Queues a command; after shutdown its reply fails at once instead of never coming. */
  public void send(Command c) {
    queue.add(c);
    if (closed) {
      failQueued();
    }
  }

  private void failQueued() {
    List<Command> left = new ArrayList<>();
    queue.drainTo(left);
    for (Command c : left) {
      fail(c, new EngineException("engine thread shut down"));
    }
  }

  /** The latest published state (never null after start). */
  public EngineState state() {
    return latest.get();
  }

  /** Runs {@code action} on the engine thread and waits for its result. */
  public <T> T call(java.util.function.Function<Engine, T> action) {
    CompletableFuture<T> f = new CompletableFuture<>();
    send(new Command.Call<>(action, f));
    return join(f);
  }

  /**
   * Like {@link #call}, for an action that starts a new process (a machine running programs one
   * after another): afterwards the thread is ready to run again, as after a fresh start;
   * {@code stdinClosed} says whether the action closed the guest's stdin. Refused while a run is
   * in progress.
   */
  public <T> T callAndRearm(java.util.function.Function<Engine, T> action, boolean stdinClosed) {
    return call(e -> {
      if (current != null) {
        throw new IllegalStateException("a run is in progress");
      }
      T r = action.apply(e);
      if (lastStatus != EngineState.Status.FAULT) {
        inputClosed = stdinClosed;
        waitingForInput = false;
        lastError = "";
        publish(EngineState.Status.READY);
      }
      return r;
    });
  }

  public static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new EngineException(String.valueOf(c), c);
    }
  }

  public boolean isEngineThread() {
    return Thread.currentThread() == thread;
  }

  private void loop(Supplier<Engine> factory, CompletableFuture<Void> started) {
    try {
      engine = factory.get();
      publish(EngineState.Status.READY);
      started.complete(null);
    } catch (Throwable t) {
      closed = true;
      started.completeExceptionally(t);
      done.complete(null);
      return;
    }
    try {
      while (true) {
        Command c;
        if (current != null && !waitingForInput) {
          c = queue.poll();
        } else if (current != null && wakeAt != 0) {
          // A sleeping guest (real-time sleeps): run again when it is due, or on a command.
          long left = wakeAt - System.nanoTime();
          c = left > 0 ? queue.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS) : null;
          if (c == null || c instanceof Command.PushInput || c instanceof Command.CloseInput) {
            waitingForInput = false;
            wakeAt = 0;
          }
        } else {
          c = queue.take();
        }
        if (c instanceof Command.Shutdown) {
          break;
        }
        if (c != null) {
          handle(c);
        }
        if (current != null && !waitingForInput) {
          slice();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (current != null) {
        current.reply().completeExceptionally(new EngineException("engine thread shut down"));
        current = null;
      }
      closed = true;
      failQueued();
      try {
        engine.close();
      } finally {
        done.complete(null);
      }
    }
  }

  private void handle(Command c) {
    try {
      if (c instanceof Command.Run) {
        Command.Run r = (Command.Run) c;
        if (current != null) {
          r.reply().completeExceptionally(new IllegalStateException("a run is already in progress"));
          return;
        }
        if (lastStatus == EngineState.Status.EXITED || lastStatus == EngineState.Status.FAULT) {
          r.reply().complete(latest.get());
          return;
        }
        current = r;
        remaining = r.budget();
        waitingForInput = false;
        publish(EngineState.Status.RUNNING);
      } else if (c instanceof Command.Pause) {
        if (current != null) {
          finish(EngineState.Status.PAUSED);
        }
        ((Command.Pause) c).reply().complete(latest.get());
      } else if (c instanceof Command.Step) {
        Command.Step s = (Command.Step) c;
        if (current != null) {
          s.reply().completeExceptionally(new IllegalStateException("cannot step while running"));
          return;
        }
        int st = engine.step();
        s.reply().complete(publish(EngineState.fromEngine(st)));
      } else if (c instanceof Command.TakeSnapshot) {
        ((Command.TakeSnapshot) c).reply().complete(engine.snapshot());
      } else if (c instanceof Command.Restore) {
        Command.Restore r = (Command.Restore) c;
        if (current != null) {
          finish(EngineState.Status.PAUSED);
        }
        engine.restore(r.snapshot());
        lastError = "";
        waitingForInput = false;
        r.reply().complete(publish(EngineState.Status.READY));
      } else if (c instanceof Command.PushInput) {
        byte[] b = ((Command.PushInput) c).bytes();
        engine.stdinPush(b, 0, b.length);
        waitingForInput = false;
      } else if (c instanceof Command.CloseInput) {
        engine.stdinClose();
        inputClosed = true;
        waitingForInput = false;
      } else if (c instanceof Command.Call) {
        call((Command.Call<?>) c);
      }
    } catch (RuntimeException e) {
      lastError = e.getMessage() == null ? e.toString() : e.getMessage();
      fail(c, e);
      if (e instanceof EngineException) {
        // The engine itself failed: nothing it says can be trusted any more.
        if (current != null) {
          finish(EngineState.Status.FAULT);
        } else {
          publish(EngineState.Status.FAULT);
        }
      }
    }
  }

  private <T> void call(Command.Call<T> c) {
    c.reply().complete(c.action().apply(engine));
  }

  private static void fail(Command c, Throwable t) {
    if (c instanceof Command.Run) {
      ((Command.Run) c).reply().completeExceptionally(t);
    } else if (c instanceof Command.Pause) {
      ((Command.Pause) c).reply().completeExceptionally(t);
    } else if (c instanceof Command.Step) {
      ((Command.Step) c).reply().completeExceptionally(t);
    } else if (c instanceof Command.TakeSnapshot) {
      ((Command.TakeSnapshot) c).reply().completeExceptionally(t);
    } else if (c instanceof Command.Restore) {
      ((Command.Restore) c).reply().completeExceptionally(t);
    } else if (c instanceof Command.Call) {
      ((Command.Call<?>) c).reply().completeExceptionally(t);
    }
  }

  private void slice() {
    long n = Math.min(SLICE, remaining);
    int st;
    long before;
    try {
      before = engine.icount();
      st = engine.run(n);
      remaining -= Math.max(0, engine.icount() - before);
    } catch (RuntimeException e) {
      lastError = e.getMessage() == null ? e.toString() : e.getMessage();
      finish(EngineState.Status.FAULT);
      return;
    }
    switch (st) {
      case Engine.XOS_BUDGET:
        if (remaining <= 0) {
          finish(EngineState.Status.BUDGET);
        } else {
          publish(EngineState.Status.RUNNING);
        }
        break;
      case Engine.XOS_IDLE:
        long wait = engine.waitNanos();
        if (wait >= 0) {
          // Not stuck: a guest task sleeps until then (real-time sleeps).
          waitingForInput = true;
          wakeAt = System.nanoTime() + Math.max(wait, 1);
          publish(EngineState.Status.IDLE);
        } else if (inputClosed || current.returnOnIdle()) {
          wakeAt = 0;
          finish(EngineState.Status.IDLE);
        } else {
          waitingForInput = true;
          wakeAt = 0;
          publish(EngineState.Status.IDLE);
        }
        break;
      case Engine.XOS_EXITED:
        finish(EngineState.Status.EXITED);
        break;
      case Engine.XOS_STOPPED:
        finish(EngineState.Status.STOPPED);
        break;
      default:
        lastError = engine.error();
        finish(EngineState.Status.FAULT);
        break;
    }
  }

  private void finish(EngineState.Status status) {
    EngineState s = publish(status);
    Command.Run r = current;
    current = null;
    waitingForInput = false;
    r.reply().complete(s);
  }

  private EngineState publish(EngineState.Status status) {
    lastStatus = status;
    EngineState s;
    try {
      int wait = status == EngineState.Status.EXITED ? engine.exitStatus() : 0;
      s = new EngineState(status, engine.icount(), engine.pid(), engine.registers(), wait, lastError);
    } catch (RuntimeException e) {
      lastError = e.getMessage() == null ? e.toString() : e.getMessage();
      lastStatus = EngineState.Status.FAULT;
      s = new EngineState(EngineState.Status.FAULT, -1, 0, null, 0, lastError);
    }
    latest.set(s);
    return s;
  }

  /** Asks the thread to end and waits for it. */
  @Override
  public void close() {
    send(new Command.Shutdown());
    if (!isEngineThread()) {
      done.join();
    }
  }
}
