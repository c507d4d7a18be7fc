// SPDX-License-Identifier: MIT
package xos.gui.session;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import xos.engine.EngineState;
import xos.kernel.Kernel;
import xos.kernel.Machine;
import xos.kernel.RunOptions;
import xos.kernel.Snapshot;

/**
 * The witness's hold on one machine: run control (continue, pause, step, step over, run to),
 * breakpoints, stdin, snapshots and the inspections the views draw. No JavaFX: every call that
 * waits for the engine thread runs on one worker thread, so callers (the FX thread) never
 * block; results come back as futures or as the latest {@link Inspection}.
 */
public final class Debugger implements AutoCloseable {
  /** Bytes of console output kept for the view between two frames. */
  public static final int OUTPUT_CAPACITY = 4 << 20;

  private final Machine machine;
  private final OutputBuffer output;
  private final LogBuffer log;
  private final ExecutorService worker;
  private final ExecutorService control;
  private final Set<Long> breakpoints = new ConcurrentSkipListSet<>(Long::compareUnsigned);
  /** Every address ever given to the engine (worker thread only): a restore may bring any back. */
  private final Set<Long> everSet = new java.util.HashSet<>();
  private final AtomicReference<Inspection> inspection = new AtomicReference<>();
  private final AtomicLong serial = new AtomicLong();
  private final AtomicReference<CompletableFuture<EngineState>> run = new AtomicReference<>();
  private final String title;
  private volatile boolean strace;
  /** The state at start: the engine thread publishes none between spawn and the first command. */
  private final EngineState startState;
  private volatile boolean touched;


  private Debugger(Machine machine, OutputBuffer output, LogBuffer log, String title, boolean strace) {
    this.machine = machine;
    this.output = output;
    this.log = log;
    this.title = title;
    this.strace = strace;
    this.startState = new EngineState(
        EngineState.Status.READY, machine.icount(), machine.pid(), machine.registers(), 0, "");
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "xos-gui-worker");
      t.setDaemon(true);
      return t;
    });
    this.control = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "xos-gui-pause");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts the program of {@code spec} stopped before its first instruction.
   *
   * @throws xos.kernel.ExecFormatException when it is no x86-64 ELF program
   */
  public static Debugger start(LaunchSpec spec, boolean strace) {
    OutputBuffer out = new OutputBuffer(OUTPUT_CAPACITY);
    LogBuffer log = new LogBuffer(20_000);
    RunOptions o = spec.options(strace);
    Machine m = Kernel.create(log).start(spec.program(), o, (fd, b, off, len) -> out.write(b, off, len), true);
    try {
      for (var l : spec.symlinks().entrySet()) {
        if (!m.symlink(l.getValue(), l.getKey())) {
          // Engines without xos_symlink: a "#!/bin/busybox" script per applet, which busybox
          // runs as the applet named by the script's file name.
          m.writeFile(l.getKey(), "#!/bin/busybox\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0755);
        }
      }
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return new Debugger(m, out, log, spec.title(), strace);
  }

  public String title() {
    return title;
  }

  public Machine machine() {
    return machine;
  }

  public OutputBuffer output() {
    return output;
  }

  public LogBuffer log() {
    return log;
  }

  /** The engine thread's latest published state (cheap, never blocks). */
  public EngineState state() {
    return touched ? machine.state() : startState;
  }

  public boolean running() {
    CompletableFuture<EngineState> r = run.get();
    return r != null && !r.isDone();
  }

  public Inspection inspection() {
    return inspection.get();
  }

  public Set<Long> breakpoints() {
    return Set.copyOf(breakpoints);
  }

  public boolean strace() {
    return strace;
  }

  // ---- input ----

  public void input(byte[] bytes) {
    if (bytes.length > 0) {
      machine.pushInput(bytes);
    }
  }

  /** The terminal pane's size, for the guest's TIOCGWINSZ (and SIGWINCH). */
  public CompletableFuture<Boolean> resize(int cols, int rows) {
    return CompletableFuture.supplyAsync(() -> machine.setWindowSize(rows, cols), worker);
  }

  public CompletableFuture<Void> setStrace(boolean on) {
    strace = on;
    return CompletableFuture.runAsync(() -> machine.setStrace(on), worker);
  }

  // ---- run control ----

  /** Runs until a breakpoint, exit or pause; a guest waiting for input keeps the run alive. */
  public CompletableFuture<EngineState> resume() {
    return CompletableFuture.supplyAsync(() -> {
      if (running()) {
        return state();
      }
      touched = true;
      CompletableFuture<EngineState> f = machine.runAsync(Long.MAX_VALUE, false);
      run.set(f);
      return state();
    }, worker);
  }

  /** The future of the run in progress, or a completed one with the current state. */
  public CompletableFuture<EngineState> currentRun() {
    CompletableFuture<EngineState> r = run.get();
    return r != null ? r : CompletableFuture.completedFuture(state());
  }

  /** Not on the worker, which may be waiting for something only a pause ends. */
  public CompletableFuture<EngineState> pause() {
    return CompletableFuture.supplyAsync(this::pauseNow, control);
  }

  private EngineState pauseNow() {
    CompletableFuture<EngineState> r = run.get();
    if (r == null || r.isDone()) {
      return state();
    }
    machine.pause();
    return r.join();
  }

  public CompletableFuture<EngineState> step() {
    return CompletableFuture.supplyAsync(() -> {
      pauseNow();
      if (finished(state())) {
        return state();
      }
      touched = true;
      return machine.step();
    }, worker);
  }

  private static boolean finished(EngineState s) {
    return s.status() == EngineState.Status.EXITED || s.status() == EngineState.Status.FAULT;
  }

  /** Over a call: runs to the instruction after it; any other instruction is one step. */
  public CompletableFuture<EngineState> stepOver() {
    return CompletableFuture.supplyAsync(() -> {
      pauseNow();
      EngineState s = state();
      if (finished(s)) {
        return CompletableFuture.completedFuture(s);
      }
      long rip = s.registers().rip();
      Machine.Instruction in = machine.disassemble(rip, 1).get(0);
      touched = true;
      if (in.length() <= 0 || !in.text().strip().startsWith("call")) {
        return CompletableFuture.completedFuture(machine.step());
      }
      return startRunTo(rip + in.length());
    }, worker).thenCompose(f -> f);
  }

  /** Runs until the guest reaches {@code addr} (or stops for another reason). */
  public CompletableFuture<EngineState> runTo(long addr) {
    return CompletableFuture.supplyAsync(() -> {
      pauseNow();
      return finished(state()) ? CompletableFuture.completedFuture(state()) : startRunTo(addr);
    }, worker).thenCompose(f -> f);
  }

  /**
   * On the worker: a temporary breakpoint at addr and a run. Returns without waiting for the
   * run, so inspections and pauses are served meanwhile; the breakpoint goes when it ends.
   */
  private CompletableFuture<EngineState> startRunTo(long addr) {
    touched = true;
    boolean temporary = !breakpoints.contains(addr);
    if (temporary) {
      everSet.add(addr);
      machine.setBreakpoint(addr);
    }
    CompletableFuture<EngineState> f = machine.runAsync(Long.MAX_VALUE, false);
    run.set(f);
    if (!temporary) {
      return f;
    }
    return f.handleAsync((st, t) -> {
      if (!breakpoints.contains(addr)) {
        machine.clearBreakpoint(addr);
      }
      if (t != null) {
        throw new java.util.concurrent.CompletionException(t);
      }
      return st;
    }, worker);
  }

  /** Disassembly in AT&T syntax (true) or Intel (false); false if the engine cannot. */
  public CompletableFuture<Boolean> setAttSyntax(boolean att) {
    return CompletableFuture.supplyAsync(() -> machine.setAttSyntax(att), worker);
  }

  public CompletableFuture<Boolean> toggleBreakpoint(long addr) {
    return CompletableFuture.supplyAsync(() -> {
      if (breakpoints.remove(addr)) {
        machine.clearBreakpoint(addr);
        return false;
      }
      breakpoints.add(addr);
      everSet.add(addr);
      machine.setBreakpoint(addr);
      return true;
    }, worker);
  }

  public CompletableFuture<Integer> poke(long addr, byte[] bytes) {
    return CompletableFuture.supplyAsync(() -> machine.writeMemory(addr, bytes), worker);
  }

  // ---- snapshots ----

  public CompletableFuture<Snapshot> snapshot() {
    return CompletableFuture.supplyAsync(machine::snapshot, worker);
  }

  /** Pauses, restores, and leaves the machine paused at the snapshot. */
  public CompletableFuture<EngineState> restore(Snapshot s) {
    return CompletableFuture.supplyAsync(() -> {
      pauseNow();
      touched = true;
      EngineState st = machine.restore(s);
      // Breakpoints live in the engine's memory, so the restore brought back the snapshot's
      // list: make it the witness's current set again.
      for (long a : everSet) {
        if (breakpoints.contains(a)) {
          machine.setBreakpoint(a);
        } else {
          machine.clearBreakpoint(a);
        }
      }
      return st;
    }, worker);
  }

  // ---- inspection ----

  /**
   * Reads state, {@code memLen} bytes from {@code memAddr} page by page (unmapped pages
   * marked) and {@code codeCount} instructions from {@code codeAddr} (from RIP when null), then
   * publishes them as the latest inspection.
   */
  public CompletableFuture<Inspection> inspect(long memAddr, int memLen, Long codeAddr, int codeCount) {
    return CompletableFuture.supplyAsync(() -> {
      EngineState s = state();
      MemoryWindow mem = readWindow(memAddr, memLen);
      long from = codeAddr != null ? codeAddr : (s.registers() == null ? 0 : s.registers().rip());
      List<Machine.Instruction> code = s.registers() == null ? List.of() : machine.disassemble(from, codeCount);
      long[][] xmm = machine.vectorRegisters();
      Inspection i = new Inspection(s, mem, code, xmm, serial.incrementAndGet(), machine.processes());
      inspection.set(i);
      return i;
    }, worker);
  }

  /** Memory page by page: a page xos_peek cannot read is marked unmapped, the rest still read. */
  public MemoryWindow readWindow(long addr, int len) {
    byte[] bytes = new byte[len];
    boolean[] mapped = new boolean[len];
    int done = 0;
    while (done < len) {
      long a = addr + done;
      int k = (int) Math.min(len - done, 4096 - (a & 4095));
      byte[] got = addressable(a, k) ? machine.readMemory(a, k) : new byte[0];
      System.arraycopy(got, 0, bytes, done, got.length);
      for (int i = 0; i < got.length; i++) {
        mapped[done + i] = true;
      }
      done += k;
    }
    return new MemoryWindow(addr, bytes, mapped);
  }

  /** Canonical lower-half addresses only (47 bits of user space). */
  private static boolean addressable(long a, int len) {
    return a >= 0 && a + len <= (1L << 47);
  }

  @Override
  public void close() {
    worker.shutdownNow();
    control.shutdownNow();
    machine.close();
  }
}
