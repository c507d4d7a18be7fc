// SPDX-License-Identifier: MIT
package xos.gui.terminal;

import java.util.function.Consumer;
import xos.gui.term.Key;
import xos.gui.term.KeyEncoder;
import xos.gui.term.Parser;
import xos.gui.term.Screen;

/**
 * The terminal pane's state: the screen the guest's output draws, the keyboard encoding, the
 * scrollback position and the selection. Keys and pastes become bytes for {@code input} (the
 * guest's stdin). No JavaFX controls: the view translates its events into these calls.
 */
public final class TerminalViewModel {
  public static final int SCROLLBACK = 5000;
  /** Console bytes parsed per frame at most, so a flood cannot stall a frame. */
  public static final int BYTES_PER_FRAME = 512 * 1024;

  private final Consumer<byte[]> input;
  private final Consumer<int[]> resized;
  private Screen screen;
  private Parser parser;
  private int scrollOffset;
  private int[] selStart;
  private int[] selEnd;
  private long version;

  public TerminalViewModel(int cols, int rows, Consumer<byte[]> input, Consumer<int[]> resized) {
    this.input = input;
    this.resized = resized;
    use(new Screen(cols, rows, SCROLLBACK));
  }

  private void use(Screen s) {
    screen = s;
    parser = new Parser(s, input);
    version++;
  }

  public Screen screen() {
    return screen;
  }

  /** Grows when the picture changes (screen, scroll position or selection). */
  public long version() {
    return screen.version() * 1_000_003L + version;
  }

  public void feed(byte[] bytes) {
    if (bytes.length > 0) {
      parser.feed(bytes);
      if (scrollOffset > 0) {
        scrollOffset = Math.min(scrollOffset, screen.scrollbackSize());
      }
    }
  }

  /** Puts back a screen saved with a snapshot (a copy, so the snapshot's stays intact). */
  public void restore(Screen saved) {
    int cols = screen.cols();
    int rows = screen.rows();
    use(saved.copy());
    screen.resize(cols, rows);
    scrollOffset = 0;
    clearSelection();
  }

  public void resize(int cols, int rows) {
    if (cols != screen.cols() || rows != screen.rows()) {
      screen.resize(cols, rows);
      resized.accept(new int[] {cols, rows});
      version++;
    }
  }

  // ---- keyboard ----

  private void send(byte[] b) {
    if (b != null && b.length > 0) {
      scrollOffset = 0;
      clearSelection();
      input.accept(b);
    }
  }

  public void key(Key k, boolean shift, boolean alt, boolean ctrl) {
    send(KeyEncoder.key(k, shift, alt, ctrl, screen.applicationCursorKeys()));
  }

  /** Ctrl (+Alt) with a character key; false when that combination sends nothing. */
  public boolean control(char ch, boolean alt) {
    byte[] b = KeyEncoder.control(ch, alt);
    send(b);
    return b != null;
  }

  public void type(String text, boolean alt) {
    send(KeyEncoder.text(text, alt));
  }

  public void paste(String text) {
    if (text != null && !text.isEmpty()) {
      send(KeyEncoder.paste(text, screen.bracketedPaste()));
    }
  }

  // ---- scrollback ----

  public int scrollOffset() {
    return scrollOffset;
  }

  public void scrollBy(int rows) {
    int n = Math.max(0, Math.min(screen.scrollbackSize(), scrollOffset + rows));
    if (n != scrollOffset) {
      scrollOffset = n;
      version++;
    }
  }

  // ---- selection (absolute history rows, see Screen.historyLine) ----

  /** A view row (0 = top of what is shown) as an absolute history row. */
  public int absoluteRow(int viewRow) {
    return screen.scrollbackSize() - scrollOffset + viewRow;
  }

  public void startSelection(int viewRow, int col) {
    selStart = new int[] {absoluteRow(viewRow), col};
    selEnd = selStart.clone();
    version++;
  }

  public void extendSelection(int viewRow, int col) {
    if (selStart != null) {
      selEnd = new int[] {absoluteRow(viewRow), col};
      version++;
    }
  }

  public void clearSelection() {
    if (selStart != null) {
      selStart = selEnd = null;
      version++;
    }
  }

  public boolean selected(int viewRow, int col) {
    if (selStart == null) {
      return false;
    }
    int[] a = selStart;
    int[] b = selEnd;
    if (b[0] < a[0] || (b[0] == a[0] && b[1] < a[1])) {
      int[] t = a;
      a = b;
      b = t;
    }
    int r = absoluteRow(viewRow);
    if (r < a[0] || r > b[0]) {
      return false;
    }
    return !(r == a[0] && col < a[1]) && !(r == b[0] && col >= b[1]);
  }

  /** The selected text, or "" without a selection. */
  public String selectedText() {
    if (selStart == null) {
      return "";
    }
    return screen.textBetween(selStart[0], selStart[1], selEnd[0], selEnd[1]);
  }
}
