// SPDX-License-Identifier: MIT
package xos.gui.disasm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import xos.kernel.Machine;

/**
 * The listing around RIP: instructions from a start address, the current one and breakpoints
 * marked. The listing stays put while RIP moves inside it (stepping does not make it jump) and
 * starts again at RIP when RIP leaves it or nears its end.
 */
public final class DisassemblyViewModel {
  /** One instruction as drawn. */
  public record CodeLine(long address, int length, String text, boolean current, boolean breakpoint) {
    public String addressText() {
      return String.format("%012x", address);
    }
  }

  public static final int COUNT = 48;
  private static final int MARGIN = 6;

  private final ObservableList<CodeLine> lines = FXCollections.observableArrayList();
  private List<Machine.Instruction> listing = List.of();
  private final BooleanProperty attSyntax = new SimpleBooleanProperty(false);

  public ObservableList<CodeLine> lines() {
    return lines;
  }

  /** AT&T syntax (as objdump -M att) instead of Intel (objdump -M intel, the default). */
  public BooleanProperty attSyntaxProperty() {
    return attSyntax;
  }

  /** Where the next listing should start for this RIP. */
  public long startFor(long rip) {
    for (int i = 0; i < listing.size() - MARGIN; i++) {
      if (listing.get(i).address() == rip) {
        return listing.get(0).address();
      }
    }
    return rip;
  }

  public void show(List<Machine.Instruction> code, long rip, Set<Long> breakpoints) {
    listing = List.copyOf(code);
    List<CodeLine> out = new ArrayList<>();
    for (Machine.Instruction in : code) {
      out.add(new CodeLine(in.address(), in.length(), in.text(), in.address() == rip,
          breakpoints.contains(in.address())));
    }
    if (!out.equals(lines)) {
      lines.setAll(out);
    }
  }

  /** Index of the line at RIP, or -1. */
  public int currentIndex() {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).current()) {
        return i;
      }
    }
    return -1;
  }
}
