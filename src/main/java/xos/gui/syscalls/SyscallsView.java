// SPDX-License-Identifier: MIT
package xos.gui.syscalls;

import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ListView;

/** Controller of Syscalls.fxml: the strace switch and log, following the newest line. */
public final class SyscallsView {
  @FXML private CheckBox straceBox;
  @FXML private ListView<String> syscallList;

  public void bind(SyscallsViewModel vm) {
    syscallList.setItems(vm.lines());
    straceBox.selectedProperty().bindBidirectional(vm.enabledProperty());
    vm.lines().addListener((ListChangeListener<String>) c -> {
      if (!syscallList.getItems().isEmpty()) {
        syscallList.scrollTo(syscallList.getItems().size() - 1);
      }
    });
  }
}
