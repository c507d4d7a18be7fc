// SPDX-License-Identifier: MIT
package xos.gui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.stage.Window;

/** Real alerts (so tests see the dialog), file choosers answered by the test. */
final class RecordingDialogs extends FxDialogService {
  volatile Path nextSave;
  volatile Path nextLoad;
  final List<String> errors = new ArrayList<>();

  RecordingDialogs(Window owner) {
    super(owner);
  }

  @Override
  public void showError(String title, String message) {
    synchronized (errors) {
      errors.add(title + ": " + message);
    }
    super.showError(title, message);
  }

  List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  @Override
  public Optional<Path> chooseSnapshotToSave(String suggestedName) {
    return Optional.ofNullable(nextSave);
  }

  @Override
  public Optional<Path> chooseSnapshotToLoad() {
    return Optional.ofNullable(nextLoad);
  }
}
