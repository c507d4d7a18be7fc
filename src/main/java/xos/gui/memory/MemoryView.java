// SPDX-License-Identifier: MIT
package xos.gui.memory;

import java.util.function.BiConsumer;
import java.util.function.Supplier;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.paint.Color;
import xos.engine.RegisterFile;

/** Controller of Memory.fxml: the go-to box and the hex view, bound to a {@link MemoryViewModel}. */
public final class MemoryView {
  @FXML private TextField gotoField;
  @FXML private Label memoryMessage;
  @FXML private HexView hexView;
  private MemoryViewModel vm;
  private Supplier<RegisterFile> registers = () -> null;
  private Runnable refresh = () -> { };

  public void bind(MemoryViewModel model, Supplier<RegisterFile> regs, BiConsumer<Long, Integer> poke, Runnable onMove) {
    vm = model;
    registers = regs;
    refresh = onMove;
    hexView.setModel(vm);
    hexView.setOnPoke(poke);
    vm.topRowProperty().addListener((o, a, b) -> refresh.run());
    memoryMessage.textProperty().bind(vm.messageProperty());
  }

  public void redraw() {
    hexView.redraw();
  }

  public void setColours(Color bg, Color fg, Color dim, Color changed, Color selection) {
    hexView.setColours(bg, fg, dim, changed, selection);
  }

  @FXML
  private void goTo() {
    if (vm.goTo(gotoField.getText(), registers.get())) {
      refresh.run();
    }
  }
}
