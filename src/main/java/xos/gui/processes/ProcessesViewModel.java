// SPDX-License-Identifier: MIT
package xos.gui.processes;

import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import xos.kernel.Machine;

/** The process and thread list: the guest's tasks as of the latest inspection. */
public final class ProcessesViewModel {
  private final ObservableList<Machine.Task> tasks = FXCollections.observableArrayList();

  public ObservableList<Machine.Task> tasks() {
    return tasks;
  }

  /** Shows a new list; an unchanged one leaves the table (and its selection) alone. */
  public void show(List<Machine.Task> now) {
    if (!tasks.equals(now)) {
      tasks.setAll(now);
    }
  }

  /** A line of text per task, as ps would show it (tests, copy). */
  public static String describe(Machine.Task t) {
    return String.format("%5d %5d %5d %5d %c %s", t.pid(), t.ppid(), t.pgid(), t.tid(), t.state(), t.command());
  }
}
