// SPDX-License-Identifier: MIT
package xos.gui.snapshots;

import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import xos.gui.session.SnapshotFile;

/** Controller of Snapshots.fxml: the timeline and its buttons, bound to a {@link SnapshotsViewModel}. */
public final class SnapshotsView {
  @FXML private ListView<SnapshotFile.Entry> snapshotList;
  @FXML private ProgressBar snapshotProgress;
  private SnapshotsViewModel vm;

  public void bind(SnapshotsViewModel model) {
    vm = model;
    snapshotList.setItems(vm.entries());
    snapshotList.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
    snapshotList.setCellFactory(l -> new ListCell<>() {
      @Override
      protected void updateItem(SnapshotFile.Entry e, boolean empty) {
        super.updateItem(e, empty);
        setText(empty || e == null ? null : SnapshotsViewModel.describe(e));
      }
    });
    vm.entries().addListener((ListChangeListener<SnapshotFile.Entry>) c -> {
      while (c.next()) {
        if (c.wasAdded()) {
          snapshotList.getSelectionModel().clearAndSelect(c.getTo() - 1);
        }
      }
    });
    snapshotProgress.progressProperty().bind(vm.progressProperty());
  }

  private SnapshotFile.Entry selected() {
    return snapshotList.getSelectionModel().getSelectedItem();
  }

  @FXML public void take() { vm.take(); }

  @FXML public void restore() { vm.restore(selected()); }

  @FXML public void save() { vm.save(selected()); }

  @FXML public void load() { vm.load(); }

  @FXML
  public void diff() {
    var sel = snapshotList.getSelectionModel().getSelectedItems();
    boolean two = sel.size() >= 2;
    vm.diff(two ? sel.get(0) : null, two ? sel.get(sel.size() - 1) : null);
  }
}
