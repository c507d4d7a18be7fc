// SPDX-License-Identifier: MIT
package xos.gui;

import java.nio.file.Path;
import java.util.Optional;

/** Every dialog and file chooser the witness shows, behind one interface (tests replace it). */
public interface DialogService {
  void showError(String title, String message);

  void showInformation(String title, String message);

  Optional<Path> chooseSnapshotToSave(String suggestedName);

  Optional<Path> chooseSnapshotToLoad();
}
