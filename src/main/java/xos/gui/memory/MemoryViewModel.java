// SPDX-License-Identifier: MIT
package xos.gui.memory;

import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import xos.engine.RegisterFile;
import xos.gui.session.AddressExpression;
import xos.gui.session.MemoryWindow;

/**
 * The hex view's state: which 16-byte row is at the top (0 .. 2^43, the 47-bit user address
 * space), how many rows fit, the latest window read from the guest, the window at the previous
 * stop (bytes that differ are highlighted) and the byte being edited.
 */
public final class MemoryViewModel {
  public static final int BYTES_PER_ROW = 16;
  public static final long ROWS_TOTAL = (1L << 47) / BYTES_PER_ROW;

  private final LongProperty topRow = new SimpleLongProperty();
  private final StringProperty message = new SimpleStringProperty("");
  private int visibleRows = 16;
  private MemoryWindow window;
  private MemoryWindow atPreviousStop;
  private MemoryWindow atLastStop;
  private long selected = -1;
  private int pendingNibble = -1;
  private long version;

  public LongProperty topRowProperty() {
    return topRow;
  }

  public StringProperty messageProperty() {
    return message;
  }

  public long topAddress() {
    return topRow.get() * BYTES_PER_ROW;
  }

  public int visibleRows() {
    return visibleRows;
  }

  public void setVisibleRows(int n) {
    visibleRows = Math.max(1, n);
  }

  public int windowLength() {
    return visibleRows * BYTES_PER_ROW;
  }

  public long version() {
    return version;
  }

  public long selected() {
    return selected;
  }

  public MemoryWindow window() {
    return window;
  }

  public void scrollTo(long row) {
    topRow.set(Math.max(0, Math.min(ROWS_TOTAL - 1, row)));
    version++;
  }

  /** Evaluates a go-to expression; returns false (message set) when it is no address. */
  public boolean goTo(String expression, RegisterFile regs) {
    try {
      long a = AddressExpression.evaluate(expression, regs);
      if (a < 0 || a >= (1L << 47)) {
        message.set(String.format("%x is outside the 47-bit user address space", a));
        return false;
      }
      scrollTo(a / BYTES_PER_ROW);
      selected = a;
      pendingNibble = -1;
      message.set("");
      return true;
    } catch (IllegalArgumentException e) {
      message.set(e.getMessage());
      return false;
    }
  }

  /** A window read from the guest; {@code stopped} marks it as the memory of a new stop. */
  public void show(MemoryWindow w, boolean newStop) {
    if (newStop) {
      atPreviousStop = atLastStop;
      atLastStop = w;
    }
    window = w;
    version++;
  }

  /** Whether the byte at addr differs from the previous stop (both read and mapped). */
  public boolean changed(long addr) {
    if (window == null || atPreviousStop == null) {
      return false;
    }
    int now = window.at(addr);
    int before = atPreviousStop.at(addr);
    return now >= 0 && before >= 0 && now != before;
  }

  /** The byte at addr from the latest window, or -1 (not read yet, or unmapped). */
  public int byteAt(long addr) {
    return window == null ? -1 : window.at(addr);
  }

  /** The text of a visible row as the view draws it (address, 16 bytes or ??, ASCII). */
  public String rowText(int row) {
    long a = topAddress() + (long) row * BYTES_PER_ROW;
    StringBuilder sb = new StringBuilder(String.format("%012x ", a));
    StringBuilder ascii = new StringBuilder();
    for (int i = 0; i < BYTES_PER_ROW; i++) {
      int b = byteAt(a + i);
      sb.append(i == 8 ? "  " : " ").append(b < 0 ? "??" : String.format("%02x", b));
      ascii.append(b < 0 ? ' ' : (b >= 0x20 && b < 0x7f ? (char) b : '.'));
    }
    return sb.append("  ").append(ascii).toString();
  }

  public void select(long addr) {
    selected = addr;
    pendingNibble = -1;
    version++;
  }

  /**
   * A hex digit typed while a byte is selected: the second digit completes the byte, which is
   * returned (the caller pokes it) and the selection moves on; otherwise -1.
   */
  public int typeHexDigit(char c) {
    int d = Character.digit(c, 16);
    if (d < 0 || selected < 0) {
      return -1;
    }
    if (pendingNibble < 0) {
      pendingNibble = d;
      version++;
      return -1;
    }
    int value = pendingNibble << 4 | d;
    pendingNibble = -1;
    version++;
    return value;
  }

  public int pendingNibble() {
    return pendingNibble;
  }

  public void advanceSelection() {
    selected++;
    if (selected >= topAddress() + windowLength()) {
      scrollTo(topRow.get() + 1);
    }
    version++;
  }
}
