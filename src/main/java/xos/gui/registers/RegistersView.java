// SPDX-License-Identifier: MIT
package xos.gui.registers;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import xos.gui.registers.RegistersViewModel.Row;

/** Controller of Registers.fxml: the table shows the view-model's rows, changed ones marked. */
public final class RegistersView {
  @FXML private TableView<Row> registerTable;
  @FXML private TableColumn<Row, String> regName;
  @FXML private TableColumn<Row, String> regValue;
  @FXML private TableColumn<Row, String> regDetail;

  public void bind(RegistersViewModel vm) {
    registerTable.setItems(vm.rows());
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
  }
}
