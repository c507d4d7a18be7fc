// SPDX-License-Identifier: MIT
package xos.gui;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.TextArea;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Dialogs as JavaFX alerts and file choosers, owned by the main window. Non-blocking alerts. */
public class FxDialogService implements DialogService {
  private final Window owner;

  public FxDialogService(Window owner) {
    this.owner = owner;
  }

  private Alert alert(Alert.AlertType type, String title, String message) {
    Alert a = new Alert(type);
    if (owner != null && owner.getScene() != null) {
      a.initOwner(owner); // JavaFX's dialogs copy the owner's stylesheets and need its scene
    }
    a.setTitle(title);
    a.setHeaderText(title);
    if (message.lines().count() > 6) {
      TextArea t = new TextArea(message);
      t.setEditable(false);
      t.getStyleClass().add("dialog-mono");
      a.getDialogPane().setContent(t);
    } else {
      a.setContentText(message);
    }
    if (owner != null && owner.getScene() != null) {
      a.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
    }
    a.show();
    return a;
  }

  @Override
  public void showError(String title, String message) {
    alert(Alert.AlertType.ERROR, title, message);
  }

  @Override
  public void showInformation(String title, String message) {
    alert(Alert.AlertType.INFORMATION, title, message);
  }

  private static FileChooser chooser(String title) {
    FileChooser c = new FileChooser();
    c.setTitle(title);
    c.getExtensionFilters().add(new FileChooser.ExtensionFilter("xos snapshots", "*.xsnap"));
    return c;
  }

  @Override
  public Optional<Path> chooseSnapshotToSave(String suggestedName) {
    FileChooser c = chooser("Save snapshot");
    c.setInitialFileName(suggestedName);
    File f = c.showSaveDialog(owner);
    return Optional.ofNullable(f).map(File::toPath);
  }

  @Override
  public Optional<Path> chooseSnapshotToLoad() {
    File f = chooser("Load snapshot").showOpenDialog(owner);
    return Optional.ofNullable(f).map(File::toPath);
  }
}
