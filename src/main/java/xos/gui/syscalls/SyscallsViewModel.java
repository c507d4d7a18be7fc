// SPDX-License-Identifier: MIT
package xos.gui.syscalls;

import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The strace pane: the engine's log lines, newest last, at most {@link #LIMIT} kept. */
public final class SyscallsViewModel {
  public static final int LIMIT = 5000;

  private final ObservableList<String> lines = FXCollections.observableArrayList();
  private final BooleanProperty enabled = new SimpleBooleanProperty();

  public ObservableList<String> lines() {
    return lines;
  }

  public BooleanProperty enabledProperty() {
    return enabled;
  }

  /** Appends one frame's lines in one change. */
  public void append(List<String> more) {
    if (more.isEmpty()) {
      return;
    }
    if (more.size() >= LIMIT) {
      lines.setAll(more.subList(more.size() - LIMIT, more.size()));
      return;
    }
    int over = lines.size() + more.size() - LIMIT;
    if (over > 0) {
      lines.remove(0, over);
    }
    lines.addAll(more);
  }

  public void clear() {
    lines.clear();
  }
}
