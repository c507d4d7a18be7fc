// SPDX-License-Identifier: MIT
package xos.gui.processes;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import xos.kernel.Machine;

/** Controller of Processes.fxml: one row per guest task. */
public final class ProcessesView {
  @FXML private TableView<Machine.Task> table;
  @FXML private TableColumn<Machine.Task, Integer> pidColumn;
  @FXML private TableColumn<Machine.Task, Integer> ppidColumn;
  @FXML private TableColumn<Machine.Task, Integer> pgidColumn;
  @FXML private TableColumn<Machine.Task, Integer> tidColumn;
  @FXML private TableColumn<Machine.Task, String> stateColumn;
  @FXML private TableColumn<Machine.Task, String> commandColumn;

  public void bind(ProcessesViewModel vm) {
    pidColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().pid()));
    ppidColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().ppid()));
    pgidColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().pgid()));
    tidColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().tid()));
    stateColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(state(c.getValue().state())));
    commandColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().command()));
    table.setItems(vm.tasks());
  }

  private static String state(char s) {
    switch (s) {
      case 'R': return "running";
      case 'S': return "sleeping";
      case 'T': return "stopped";
      case 'Z': return "zombie";
      default: return String.valueOf(s);
    }
  }
}
