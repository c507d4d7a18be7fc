// SPDX-License-Identifier: MIT
package xos.gui;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import xos.engine.EngineState;
import xos.gui.disasm.DisassemblyViewModel;
import xos.gui.memory.MemoryViewModel;
import xos.gui.registers.RegistersViewModel;
import xos.gui.session.Debugger;
import xos.gui.session.Inspection;
import xos.gui.snapshots.SnapshotsViewModel;
import xos.gui.processes.ProcessesViewModel;
import xos.gui.syscalls.SyscallsViewModel;
import xos.gui.terminal.TerminalViewModel;

/**
 * The whole witness for one machine, and the frame rule: {@link #frame} runs once a frame on
 * the FX thread (at most {@link #FPS} times a second), pulls the latest published engine state,
 * console bytes and log lines, and asks for a fresh inspection (memory, disassembly) when the
 * machine stopped somewhere new, the view moved, or - while running - a few times a second.
 * Nothing here blocks: engine calls go through the {@link Debugger}'s worker.
 */
public final class WitnessViewModel {
  public static final int FPS = 30;
  private static final long FRAME_NANOS = 1_000_000_000L / FPS;
  private static final long RUNNING_INSPECT_NANOS = 250_000_000L;

  private final Debugger debugger;
  private final DialogService dialogs;
  private final Executor fx;
  private final TerminalViewModel terminal;
  private final RegistersViewModel registers = new RegistersViewModel();
  private final DisassemblyViewModel disassembly = new DisassemblyViewModel();
  private final MemoryViewModel memory = new MemoryViewModel();
  private final SyscallsViewModel syscalls = new SyscallsViewModel();
  private final ProcessesViewModel processes = new ProcessesViewModel();
  private final SnapshotsViewModel snapshots;
  private final StringProperty status = new SimpleStringProperty("");

  private long lastFrame;
  private long lastInspectRequest;
  private boolean inspecting;
  private boolean inspectWanted = true;
  private long shownSerial = -1;
  private EngineState lastState;
  private long lastStopIcount = Long.MIN_VALUE;
  private EngineState.Status lastStatus;

  public WitnessViewModel(Debugger debugger, DialogService dialogs, Executor io, Executor fx) {
    this.debugger = debugger;
    this.dialogs = dialogs;
    this.fx = fx;
    this.terminal = new TerminalViewModel(80, 24, debugger::input, size -> debugger.resize(size[0], size[1]));
    this.snapshots = new SnapshotsViewModel(debugger, dialogs, io, fx, () -> terminal.screen().copy(), terminal::restore);
    syscalls.enabledProperty().set(debugger.strace());
    syscalls.enabledProperty().addListener((o, was, on) -> debugger.setStrace(on));
    memory.topRowProperty().addListener((o, a, b) -> inspectWanted = true);
    disassembly.attSyntaxProperty().addListener((o, was, att) ->
        debugger.setAttSyntax(att).whenCompleteAsync((ok, t) -> inspectWanted = true, fx));
    EngineState s = debugger.state();
    if (s.registers() != null) {
      memory.goTo("rsp", s.registers());
    }
  }

  public Debugger debugger() { return debugger; }

  public TerminalViewModel terminal() { return terminal; }

  public RegistersViewModel registers() { return registers; }

  public DisassemblyViewModel disassembly() { return disassembly; }

  public MemoryViewModel memory() { return memory; }

  public SyscallsViewModel syscalls() { return syscalls; }

  public ProcessesViewModel processes() { return processes; }

  public SnapshotsViewModel snapshots() { return snapshots; }

  public StringProperty statusProperty() { return status; }

  /** Asks for a fresh inspection at the next frame (view scrolled, breakpoint toggled, ...). */
  public void refresh() {
    inspectWanted = true;
  }

  /** One frame; returns false when it was skipped to keep under {@link #FPS}. */
  public boolean frame(long now) {
    if (now - lastFrame < FRAME_NANOS - 2_000_000L) {
      return false;
    }
    lastFrame = now;
    terminal.feed(debugger.output().drain(TerminalViewModel.BYTES_PER_FRAME));
    syscalls.append(debugger.log().drain());

    EngineState s = debugger.state();
    boolean running = s.status() == EngineState.Status.RUNNING || (debugger.running() && s.status() == EngineState.Status.IDLE);
    boolean stoppedSomewhereNew = !running && s.icount() != lastStopIcount;
    if (s != lastState) {
      lastState = s;
      registers.show(s.registers(), currentXmm(), !running);
      status.set(describe(s, running));
    }
    if (stoppedSomewhereNew || s.status() != lastStatus) {
      inspectWanted = true;
    }
    lastStatus = s.status();
    if (!inspecting && (inspectWanted || (running && now - lastInspectRequest > RUNNING_INSPECT_NANOS))) {
      boolean newStop = stoppedSomewhereNew;
      if (newStop) {
        lastStopIcount = s.icount();
      }
      inspectWanted = false;
      inspecting = true;
      lastInspectRequest = now;
      Long codeStart = s.registers() == null ? null : disassembly.startFor(s.registers().rip());
      debugger.inspect(memory.topAddress(), memory.windowLength(), codeStart, DisassemblyViewModel.COUNT)
          .whenCompleteAsync((i, t) -> {
            inspecting = false;
            if (i != null) {
              apply(i, newStop);
            }
          }, fx);
    }
    return true;
  }

  private long[][] currentXmm() {
    Inspection i = debugger.inspection();
    return i == null ? null : i.xmm();
  }

  private void apply(Inspection i, boolean newStop) {
    if (i.serial() <= shownSerial) {
      return;
    }
    shownSerial = i.serial();
    EngineState s = i.state();
    memory.show(i.memory(), newStop);
    processes.show(i.tasks());
    if (s.registers() != null) {
      disassembly.show(i.code(), s.registers().rip(), debugger.breakpoints());
      registers.show(s.registers(), i.xmm(), newStop || !debugger.running());
    }
  }

  private String describe(EngineState s, boolean running) {
    String what;
    switch (s.status()) {
      case RUNNING: what = "running"; break;
      case IDLE: what = running ? "running (waiting for input)" : "idle"; break;
      case STOPPED: what = "stopped"; break;
      case PAUSED: what = "paused"; break;
      case READY: what = "ready"; break;
      case BUDGET: what = "paused"; break;
      case EXITED:
        what = s.signal() != 0 ? "killed by signal " + s.signal() : "exited with status " + s.exitCode();
        break;
      case FAULT: what = "engine fault: " + s.error(); break;
      default: what = s.status().toString(); break;
    }
    String rip = s.registers() == null ? "" : String.format("   rip %016x", s.registers().rip());
    return debugger.title() + " - pid " + s.pid() + " - " + what + String.format("   %,d instructions", s.icount()) + rip;
  }

  // ---- actions (menus, buttons, keys) ----

  public void resume() {
    report(debugger.resume());
  }

  public void pause() {
    report(debugger.pause());
  }

  public void step() {
    report(debugger.step());
  }

  public void stepOver() {
    report(debugger.stepOver());
  }

  public void runTo(long addr) {
    report(debugger.runTo(addr));
  }

  public void toggleBreakpoint(long addr) {
    report(debugger.toggleBreakpoint(addr));
  }

  /** A byte typed into the hex view while paused goes into guest memory. */
  public void poke(long addr, int value) {
    if (debugger.running()) {
      dialogs.showError("Memory is read-only while running", "Pause the machine to edit memory.");
      return;
    }
    report(debugger.poke(addr, new byte[] {(byte) value}).thenApply(n -> {
      if (n != 1) {
        throw new IllegalStateException(String.format("cannot write guest memory at %x (not mapped)", addr));
      }
      return n;
    }));
  }

  private void report(CompletableFuture<?> f) {
    f.whenCompleteAsync((v, t) -> {
      inspectWanted = true;
      if (t != null) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        dialogs.showError("xos", c.getMessage() == null ? c.toString() : c.getMessage());
      }
    }, fx);
  }

  public void close() {
    debugger.close();
  }
}
