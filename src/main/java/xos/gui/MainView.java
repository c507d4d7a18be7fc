// SPDX-License-Identifier: MIT
package xos.gui;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import xos.gui.disasm.DisassemblyView;
import xos.gui.disasm.DisassemblyViewModel.CodeLine;
import xos.gui.memory.MemoryView;
import xos.gui.registers.RegistersView;
import xos.gui.snapshots.SnapshotsView;
import xos.gui.processes.ProcessesView;
import xos.gui.syscalls.SyscallsView;
import xos.gui.terminal.TerminalView;
import xos.gui.theme.Theme;

/**
 * Controller of Main.fxml: menus, tool bar, status line and the frame timer; each pane has its
 * own FXML and controller (fx:include), bound here to its part of the {@link WitnessViewModel}.
 */
public final class MainView {
  @FXML private TerminalView terminal;
  @FXML private RegistersView registersController;
  @FXML private DisassemblyView disassemblyController;
  @FXML private MemoryView memoryController;
  @FXML private SnapshotsView snapshotsController;
  @FXML private SyscallsView syscallsController;
  @FXML private ProcessesView processesController;
  @FXML private Label statusLabel;
  @FXML private CheckMenuItem straceItem;

  private WitnessViewModel vm;
  private Scene scene;
  private Runnable onQuit = () -> { };
  private final AnimationTimer timer = new AnimationTimer() {
    @Override
    public void handle(long now) {
      if (vm.frame(now)) {
        terminal.redraw();
        memoryController.redraw();
      }
    }
  };

  /** Binds everything and starts the frame timer. */
  public void bind(WitnessViewModel model, Scene s, Runnable quit) {
    vm = model;
    scene = s;
    onQuit = quit;
    terminal.setModel(vm.terminal());
    registersController.bind(vm.registers());
    disassemblyController.bind(vm.disassembly(), vm::toggleBreakpoint);
    memoryController.bind(vm.memory(), () -> vm.debugger().state().registers(), vm::poke, vm::refresh);
    snapshotsController.bind(vm.snapshots());
    syscallsController.bind(vm.syscalls());
    processesController.bind(vm.processes());
    straceItem.selectedProperty().bindBidirectional(vm.syscalls().enabledProperty());
    statusLabel.textProperty().bind(vm.statusProperty());

    // Second shortcuts for step and step over (F7/F8 beside F11/F10).
    scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F7), vm::step);
    scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F8), vm::stepOver);
    setTheme(Theme.DARK);
    timer.start();
    Platform.runLater(terminal::requestFocus);
  }

  public void stop() {
    timer.stop();
  }

  public void setTheme(Theme t) {
    t.apply(scene);
    terminal.setColours(t.background, t.foreground, t.cursor, t.selection, t.ansi());
    memoryController.setColours(t.background, t.foreground, t.dim, t.changed, t.selection);
  }

  // ---- actions ----

  @FXML private void resume() { vm.resume(); }

  @FXML private void pause() { vm.pause(); }

  @FXML private void step() { vm.step(); }

  @FXML private void stepOver() { vm.stepOver(); }

  @FXML
  private void runToCursor() {
    CodeLine l = disassemblyController.selected();
    if (l != null) {
      vm.runTo(l.address());
    }
  }

  @FXML
  private void toggleBreakpoint() {
    CodeLine l = disassemblyController.selectedOrCurrent();
    if (l != null) {
      vm.toggleBreakpoint(l.address());
    }
  }

  @FXML private void takeSnapshot() { snapshotsController.take(); }

  @FXML private void restoreSnapshot() { snapshotsController.restore(); }

  @FXML private void saveSnapshot() { snapshotsController.save(); }

  @FXML private void loadSnapshot() { snapshotsController.load(); }

  @FXML private void diffSnapshots() { snapshotsController.diff(); }

  @FXML private void darkTheme() { setTheme(Theme.DARK); }

  @FXML private void lightTheme() { setTheme(Theme.LIGHT); }

  @FXML private void copy() { terminal.copySelection(); }

  @FXML private void paste() { terminal.pasteClipboard(); }

  @FXML private void quit() { onQuit.run(); }
}
