// SPDX-License-Identifier: MIT
package xos.gui.disasm;

import java.util.function.LongConsumer;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import xos.gui.disasm.DisassemblyViewModel.CodeLine;

/** Controller of Disassembly.fxml: the listing, RIP's line marked, a gutter click toggles a breakpoint. */
public final class DisassemblyView {
  @FXML private ListView<CodeLine> codeList;
  @FXML private CheckBox attToggle;
  private DisassemblyViewModel vm;
  private LongConsumer toggle = a -> { };

  public void bind(DisassemblyViewModel model, LongConsumer toggleBreakpoint) {
    vm = model;
    toggle = toggleBreakpoint;
    codeList.setItems(vm.lines());
    attToggle.selectedProperty().bindBidirectional(vm.attSyntaxProperty());
    codeList.setCellFactory(l -> new CodeCell());
    vm.lines().addListener((ListChangeListener<CodeLine>) c -> {
      int i = vm.currentIndex();
      if (i >= 0) {
        codeList.scrollTo(Math.max(0, i - 3));
      }
    });
  }

  /** The selected line, else RIP's, else null. */
  public CodeLine selectedOrCurrent() {
    CodeLine l = codeList.getSelectionModel().getSelectedItem();
    if (l == null) {
      int i = vm.currentIndex();
      l = i >= 0 ? vm.lines().get(i) : null;
    }
    return l;
  }

  public CodeLine selected() {
    return codeList.getSelectionModel().getSelectedItem();
  }

  /** A row: breakpoint gutter (click toggles), address, instruction. */
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
          toggle.accept(getItem().address());
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
}
