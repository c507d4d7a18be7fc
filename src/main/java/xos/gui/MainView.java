// SPDX-License-Identifier: MIT
package xos.gui;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.HBox;
import xos.gui.disasm.DisassemblyViewModel.CodeLine;
import xos.gui.memory.HexView;
import xos.gui.registers.RegistersViewModel.Row;
import xos.gui.session.SnapshotFile;
import xos.gui.snapshots.SnapshotsViewModel;
import xos.gui.terminal.TerminalView;
import xos.gui.theme.Theme;

/** Controller of Main.fxml: binds controls to the {@link WitnessViewModel}; no behaviour of its own. */
public final class MainView {
  @FXML private TerminalView terminal;
  @FXML private ListView<String> syscallList;
  @FXML private TableView<Row> registerTable;
  @FXML private TableColumn<Row, String> regName;
  @FXML private TableColumn<Row, String> regValue;
  @FXML private TableColumn<Row, String> regDetail;
  @FXML private ListView<CodeLine> codeList;
  @FXML private TextField gotoField;
  @FXML private Label memoryMessage;
  @FXML private HexView hexView;
  @FXML private ListView<SnapshotFile.Entry> snapshotList;
  @FXML private ProgressBar snapshotProgress;
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
        hexView.redraw();
      }
    }
  };

  /** Binds everything and starts the frame timer. */
  public void bind(WitnessViewModel model, Scene s, Runnable quit) {
    vm = model;
    scene = s;
    onQuit = quit;
    terminal.setModel(vm.terminal());
    hexView.setModel(vm.memory());
    hexView.setOnPoke(vm::poke);
    vm.memory().topRowProperty().addListener((o, a, b) -> vm.refresh());

    syscallList.setItems(vm.syscalls().lines());
    vm.syscalls().lines().addListener((javafx.collections.ListChangeListener<String>) c -> {
      if (!syscallList.getItems().isEmpty()) {
        syscallList.scrollTo(syscallList.getItems().size() - 1);
      }
    });
    straceItem.selectedProperty().bindBidirectional(vm.syscalls().enabledProperty());

    registerTable.setItems(vm.registers().rows());
    regName.setCellValueFactory(r -> new ReadOnlyStringWrapper(r.getValue().name()));
    regValue.setCellValueFactory(r -> new ReadOnlyStringWrapper(r.getValue().value()));
    regDetail.setCellValueFactory(r -> new ReadOnlyStringWrapper(r.getValue().detail()));
    registerTable.setRowFactory(t -> new TableRow<>() {
      @Override
      protected void updateItem(Row item, boolean empty) {
        super.updateItem(item, empty);
        getStyleClass().remove("changed");
        if (!empty && item != null && item.changed()) {
          getStyleClass().add("changed");
        }
      }
    });

    codeList.setItems(vm.disassembly().lines());
    codeList.setCellFactory(l -> new CodeCell());
    vm.disassembly().lines().addListener((javafx.collections.ListChangeListener<CodeLine>) c -> {
      int i = vm.disassembly().currentIndex();
      if (i >= 0) {
        codeList.scrollTo(Math.max(0, i - 3));
      }
    });

    memoryMessage.textProperty().bind(vm.memory().messageProperty());

    snapshotList.setItems(vm.snapshots().entries());
    snapshotList.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
    snapshotList.setCellFactory(l -> new ListCell<>() {
      @Override
      protected void updateItem(SnapshotFile.Entry e, boolean empty) {
        super.updateItem(e, empty);
        setText(empty || e == null ? null : SnapshotsViewModel.describe(e));
      }
    });
    vm.snapshots().entries().addListener((javafx.collections.ListChangeListener<SnapshotFile.Entry>) c -> {
      while (c.next()) {
        if (c.wasAdded()) {
          snapshotList.getSelectionModel().clearAndSelect(c.getTo() - 1);
        }
      }
    });
    snapshotProgress.progressProperty().bind(vm.snapshots().progressProperty());

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

  private void setTheme(Theme t) {
    t.apply(scene);
    terminal.setColours(t.background, t.foreground, t.cursor, t.selection);
    hexView.setColours(t.background, t.foreground, t.dim, t.changed, t.selection);
  }

  /** A disassembly row: breakpoint gutter (click toggles), address, instruction. */
  private final class CodeCell extends ListCell<CodeLine> {
    private final Label gutter = new Label("●");
    private final Label address = new Label();
    private final Label text = new Label();
    private final HBox box = new HBox(8, gutter, address, text);

    CodeCell() {
      gutter.getStyleClass().add("gutter");
      address.getStyleClass().add("address");
      gutter.setOnMouseClicked(e -> {
        if (getItem() != null) {
          vm.toggleBreakpoint(getItem().address());
          e.consume();
        }
      });
    }

    @Override
    protected void updateItem(CodeLine line, boolean empty) {
      super.updateItem(line, empty);
      getStyleClass().remove("current");
      gutter.getStyleClass().remove("breakpoint");
      if (empty || line == null) {
        setGraphic(null);
        return;
      }
      address.setText(line.addressText());
      text.setText(line.text());
      if (line.current()) {
        getStyleClass().add("current");
      }
      if (line.breakpoint()) {
        gutter.getStyleClass().add("breakpoint");
      }
      setGraphic(box);
    }
  }

  // ---- actions ----

  @FXML private void resume() { vm.resume(); }

  @FXML private void pause() { vm.pause(); }

  @FXML private void step() { vm.step(); }

  @FXML private void stepOver() { vm.stepOver(); }

  @FXML
  private void runToCursor() {
    CodeLine l = codeList.getSelectionModel().getSelectedItem();
    if (l != null) {
      vm.runTo(l.address());
    }
  }

  @FXML
  private void toggleBreakpoint() {
    CodeLine l = codeList.getSelectionModel().getSelectedItem();
    if (l == null) {
      int i = vm.disassembly().currentIndex();
      l = i >= 0 ? vm.disassembly().lines().get(i) : null;
    }
    if (l != null) {
      vm.toggleBreakpoint(l.address());
    }
  }

  @FXML
  private void goTo() {
    var s = vm.debugger().state();
    if (vm.memory().goTo(gotoField.getText(), s.registers())) {
      vm.refresh();
    }
  }

  private SnapshotFile.Entry selectedSnapshot() {
    return snapshotList.getSelectionModel().getSelectedItem();
  }

  @FXML private void takeSnapshot() { vm.snapshots().take(); }

  @FXML private void restoreSnapshot() { vm.snapshots().restore(selectedSnapshot()); }

  @FXML private void saveSnapshot() { vm.snapshots().save(selectedSnapshot()); }

  @FXML private void loadSnapshot() { vm.snapshots().load(); }

  @FXML
  private void diffSnapshots() {
    var sel = snapshotList.getSelectionModel().getSelectedItems();
    vm.snapshots().diff(sel.size() >= 2 ? sel.get(0) : null, sel.size() >= 2 ? sel.get(sel.size() - 1) : null);
  }

  @FXML private void darkTheme() { setTheme(Theme.DARK); }

  @FXML private void lightTheme() { setTheme(Theme.LIGHT); }

  @FXML private void copy() { terminal.copySelection(); }

  @FXML private void paste() { terminal.pasteClipboard(); }

  @FXML private void quit() { onQuit.run(); }
}
