// SPDX-License-Identifier: MIT
package xos.gui.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Engine log lines (strace) from the engine thread, taken by the view once a frame; bounded. */
public final class LogBuffer implements Consumer<String> {
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private final int limit;
  private long dropped;

  public LogBuffer(int limit) {
    this.limit = limit;
  }

  @Override
  public synchronized void accept(String line) {
    lines.addLast(line);
    while (lines.size() > limit) {
      lines.removeFirst();
      dropped++;
    }
  }

  public synchronized List<String> drain() {
    List<String> out = new ArrayList<>(lines);
    lines.clear();
    return out;
  }

  public synchronized long dropped() {
    return dropped;
  }
}
