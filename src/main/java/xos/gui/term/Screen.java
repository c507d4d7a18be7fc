// SPDX-License-Identifier: MIT
package xos.gui.term;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The screen of a VT100/xterm-like terminal: two buffers (main and alternate), a bounded
 * scrollback, the cursor and the modes escape sequences change. Pure data, no JavaFX; the
 * {@link Parser} calls it, views read it. Coordinates are 0-based; rows count from the top.
 * Not thread-safe: the FX thread owns it.
 */
public final class Screen {
  private int cols;
  private int rows;
  private Line[] main;
  private Line[] alt;
  private Line[] lines;
  private final ArrayDeque<Line> scrollback = new ArrayDeque<>();
  private final int scrollbackLimit;

  private int cx;
  private int cy;
  /** The cursor sits past the last column: the next printable character wraps first. */
  private boolean wrapPending;
  private long style = Style.DEFAULT;
  private int top;
  private int bottom;

  private boolean autowrap = true;
  private boolean originMode;
  private boolean insertMode;
  private boolean newlineMode;
  private boolean cursorVisible = true;
  private boolean bracketedPaste;
  private boolean applicationCursorKeys;

  private Saved savedMain = new Saved(0, 0, Style.DEFAULT, false, false);
  private Saved savedAlt = new Saved(0, 0, Style.DEFAULT, false, false);
  private String title = "";
  private int bells;
  private long version;

  private record Saved(int x, int y, long style, boolean origin, boolean wrapPending) {}

  public Screen(int cols, int rows, int scrollbackLimit) {
    if (cols < 1 || rows < 1) {
      throw new IllegalArgumentException("screen of " + cols + "x" + rows);
    }
    this.cols = cols;
    this.rows = rows;
    this.scrollbackLimit = Math.max(0, scrollbackLimit);
    main = blank(rows, cols);
    alt = blank(rows, cols);
    lines = main;
    bottom = rows - 1;
  }

  private static Line[] blank(int rows, int cols) {
    Line[] l = new Line[rows];
    for (int i = 0; i < rows; i++) {
      l[i] = new Line(cols, Style.DEFAULT);
    }
    return l;
  }

  private void changed() {
    version++;
  }

  // ---- reading ----

  public int cols() { return cols; }

  public int rows() { return rows; }

  public int cursorX() { return cx; }

  public int cursorY() { return cy; }

  public boolean cursorVisible() { return cursorVisible; }

  public boolean bracketedPaste() { return bracketedPaste; }

  public boolean applicationCursorKeys() { return applicationCursorKeys; }

  public boolean alternateScreen() { return lines == alt; }

  public boolean originMode() { return originMode; }

  public boolean autowrap() { return autowrap; }

  public long style() { return style; }

  public String title() { return title; }

  public int bells() { return bells; }

  public int scrollTop() { return top; }

  public int scrollBottom() { return bottom; }

  /** Grows with every change, so a view redraws only when it moved. */
  public long version() { return version; }

  public int scrollbackSize() { return scrollback.size(); }

  public Line line(int row) {
    return lines[row];
  }

  /** Text of a screen row without trailing blanks. */
  public String lineText(int row) {
    return lines[row].text();
  }

  /** The screen's rows joined by newlines (trailing blanks of each row removed). */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      if (r > 0) {
        sb.append('\n');
      }
      sb.append(lines[r].text());
    }
    return sb.toString();
  }

  /**
   * A row of the combined history: 0 is the oldest scrollback line, {@link #scrollbackSize()}
   * the top screen row (only the main buffer has history).
   */
  public Line historyLine(int absRow) {
    int sb = scrollback.size();
    if (absRow < sb) {
      int i = 0;
      for (Iterator<Line> it = scrollback.iterator(); it.hasNext(); i++) {
        Line l = it.next();
        if (i == absRow) {
          return l;
        }
      }
    }
    return lines[absRow - sb];
  }

  /** Rows of history visible when the view is scrolled back by {@code offset} rows. */
  public List<Line> visibleLines(int offset) {
    offset = Math.max(0, Math.min(offset, scrollback.size()));
    List<Line> out = new ArrayList<>(rows);
    if (offset > 0) {
      List<Line> sb = new ArrayList<>(scrollback);
      for (int i = sb.size() - offset; i < sb.size() && out.size() < rows; i++) {
        out.add(sb.get(i));
      }
    }
    for (int r = 0; out.size() < rows; r++) {
      out.add(lines[r]);
    }
    return out;
  }

  /**
   * The text between two history positions (absolute rows as in {@link #historyLine}),
   * inclusive of the start cell, exclusive of the end cell; wrapped rows join without a newline.
   */
  public String textBetween(int row0, int col0, int row1, int col1) {
    if (row1 < row0 || (row1 == row0 && col1 < col0)) {
      int r = row0, c = col0;
      row0 = row1;
      col0 = col1;
      row1 = r;
      col1 = c;
    }
    List<Line> all = new ArrayList<>(scrollback);
    for (Line l : lines) {
      all.add(l);
    }
    StringBuilder sb = new StringBuilder();
    for (int r = Math.max(0, row0); r <= Math.min(row1, all.size() - 1); r++) {
      Line l = all.get(r);
      int from = r == row0 ? col0 : 0;
      int to = r == row1 ? col1 : l.length();
      boolean last = r == row1;
      sb.append(l.text(from, to, !l.wrapped || last));
      if (!last && !l.wrapped) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  // ---- output ----

  public void bell() {
    bells++;
  }

  public void setTitle(String t) {
    title = t;
    changed();
  }

  /** Puts one printable character at the cursor and advances it (autowrap, insert mode). */
  public void print(int cp) {
    if (wrapPending && autowrap) {
      lines[cy].wrapped = true;
      cx = 0;
      index();
    }
    wrapPending = false;
    Line l = lines[cy];
    if (insertMode) {
      System.arraycopy(l.chars, cx, l.chars, cx + 1, cols - cx - 1);
      System.arraycopy(l.styles, cx, l.styles, cx + 1, cols - cx - 1);
    }
    l.chars[cx] = cp;
    l.styles[cx] = style;
    if (cx == cols - 1) {
      wrapPending = true;
    } else {
      cx++;
    }
    changed();
  }

  public void carriageReturn() {
    cx = 0;
    wrapPending = false;
    changed();
  }

  /** LF, VT, FF: index, and a carriage return too in newline mode (LNM). */
  public void lineFeed() {
    index();
    if (newlineMode) {
      cx = 0;
    }
  }

  public void backspace() {
    if (wrapPending) {
      wrapPending = false;
    } else if (cx > 0) {
      cx--;
    }
    changed();
  }

  public void tab() {
    int next = (cx / 8 + 1) * 8;
    cx = Math.min(cols - 1, next);
    changed();
  }

  public void backTab(int n) {
    for (int i = 0; i < n && cx > 0; i++) {
      cx = ((cx - 1) / 8) * 8;
    }
    wrapPending = false;
    changed();
  }

  /** IND: down one row, scrolling the region when at its bottom. */
  public void index() {
    wrapPending = false;
    if (cy == bottom) {
      scrollUp(1);
    } else if (cy < rows - 1) {
      cy++;
    }
    changed();
  }

  /** RI: up one row, scrolling the region down when at its top. */
  public void reverseIndex() {
    wrapPending = false;
    if (cy == top) {
      scrollDown(1);
    } else if (cy > 0) {
      cy--;
    }
    changed();
  }

  /** NEL. */
  public void nextLine() {
    cx = 0;
    index();
  }

  /** SU: the region's rows move up n; rows leaving the top of a full-screen main buffer go to the scrollback. */
  public void scrollUp(int n) {
    n = Math.max(1, Math.min(n, bottom - top + 1));
    for (int i = 0; i < n; i++) {
      Line gone = lines[top];
      if (lines == main && top == 0 && scrollbackLimit > 0) {
        scrollback.addLast(gone);
        while (scrollback.size() > scrollbackLimit) {
          scrollback.removeFirst();
        }
      }
      System.arraycopy(lines, top + 1, lines, top, bottom - top);
      lines[bottom] = new Line(cols, blankStyle());
    }
    changed();
  }

  /** SD. */
  public void scrollDown(int n) {
    n = Math.max(1, Math.min(n, bottom - top + 1));
    for (int i = 0; i < n; i++) {
      System.arraycopy(lines, top, lines, top + 1, bottom - top);
      lines[top] = new Line(cols, blankStyle());
    }
    changed();
  }

  /** Erased cells keep the current background colour (xterm's behaviour), no other attribute. */
  private long blankStyle() {
    return Style.withBg(Style.DEFAULT, Style.bg(style));
  }

  // ---- cursor ----

  private int minRow() {
    return originMode ? top : 0;
  }

  private int maxRow() {
    return originMode ? bottom : rows - 1;
  }

  /** CUP/HVP with 1-based row and column (relative to the scroll region in origin mode). */
  public void cursorPosition(int row, int col) {
    int base = originMode ? top : 0;
    cy = clamp(base + Math.max(1, row) - 1, minRow(), maxRow());
    cx = clamp(Math.max(1, col) - 1, 0, cols - 1);
    wrapPending = false;
    changed();
  }

  /** CHA/HPA: 1-based column. */
  public void cursorColumn(int col) {
    cx = clamp(Math.max(1, col) - 1, 0, cols - 1);
    wrapPending = false;
    changed();
  }

  /** VPA: 1-based row (relative to the region in origin mode). */
  public void cursorRow(int row) {
    int base = originMode ? top : 0;
    cy = clamp(base + Math.max(1, row) - 1, minRow(), maxRow());
    wrapPending = false;
    changed();
  }

  /** CUU (negative) / CUD (positive): stops at the region's margins when inside it. */
  public void cursorVertical(int delta) {
    int lo = cy >= top ? top : 0;
    int hi = cy <= bottom ? bottom : rows - 1;
    cy = clamp(cy + delta, lo, hi);
    wrapPending = false;
    changed();
  }

  /** CUF (positive) / CUB (negative). */
  public void cursorHorizontal(int delta) {
    cx = clamp(cx + delta, 0, cols - 1);
    wrapPending = false;
    changed();
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  public void saveCursor() {
    Saved s = new Saved(cx, cy, style, originMode, wrapPending);
    if (lines == alt) {
      savedAlt = s;
    } else {
      savedMain = s;
    }
  }

  public void restoreCursor() {
    Saved s = lines == alt ? savedAlt : savedMain;
    cx = clamp(s.x, 0, cols - 1);
    cy = clamp(s.y, 0, rows - 1);
    style = s.style;
    originMode = s.origin;
    wrapPending = s.wrapPending;
    changed();
  }

  // ---- erase, insert, delete ----

  /** ED: 0 cursor to end, 1 start to cursor, 2 whole screen, 3 also the scrollback. */
  public void eraseDisplay(int mode) {
    long b = blankStyle();
    switch (mode) {
      case 0:
        lines[cy].clear(cx, cols, b);
        for (int r = cy + 1; r < rows; r++) {
          lines[r].clear(0, cols, b);
        }
        break;
      case 1:
        lines[cy].clear(0, cx + 1, b);
        for (int r = 0; r < cy; r++) {
          lines[r].clear(0, cols, b);
        }
        break;
      case 2:
        for (Line l : lines) {
          l.clear(0, cols, b);
          l.wrapped = false;
        }
        break;
      case 3:
        scrollback.clear();
        break;
      default:
        return;
    }
    wrapPending = false;
    changed();
  }

  /** EL: 0 cursor to end of line, 1 start to cursor, 2 whole line. */
  public void eraseLine(int mode) {
    long b = blankStyle();
    Line l = lines[cy];
    switch (mode) {
      case 0: l.clear(cx, cols, b); l.wrapped = false; break;
      case 1: l.clear(0, cx + 1, b); break;
      case 2: l.clear(0, cols, b); l.wrapped = false; break;
      default: return;
    }
    wrapPending = false;
    changed();
  }

  /** ECH: n blanks from the cursor on, the cursor stays. */
  public void eraseCharacters(int n) {
    lines[cy].clear(cx, cx + Math.max(1, n), blankStyle());
    wrapPending = false;
    changed();
  }

  /** ICH: n blanks at the cursor, the rest of the line moves right (and off the edge). */
  public void insertCharacters(int n) {
    n = clamp(n, 1, cols - cx);
    Line l = lines[cy];
    System.arraycopy(l.chars, cx, l.chars, cx + n, cols - cx - n);
    System.arraycopy(l.styles, cx, l.styles, cx + n, cols - cx - n);
    l.clear(cx, cx + n, blankStyle());
    wrapPending = false;
    changed();
  }

  /** DCH: n characters at the cursor go, the rest of the line moves left. */
  public void deleteCharacters(int n) {
    n = clamp(n, 1, cols - cx);
    Line l = lines[cy];
    System.arraycopy(l.chars, cx + n, l.chars, cx, cols - cx - n);
    System.arraycopy(l.styles, cx + n, l.styles, cx, cols - cx - n);
    l.clear(cols - n, cols, blankStyle());
    wrapPending = false;
    changed();
  }

  /** IL: n blank rows at the cursor row inside the region; rows below move down. */
  public void insertLines(int n) {
    if (cy < top || cy > bottom) {
      return;
    }
    n = clamp(n, 1, bottom - cy + 1);
    for (int i = 0; i < n; i++) {
      System.arraycopy(lines, cy, lines, cy + 1, bottom - cy);
      lines[cy] = new Line(cols, blankStyle());
    }
    cx = 0;
    wrapPending = false;
    changed();
  }

  /** DL: n rows at the cursor go; rows below move up, blanks enter at the region's bottom. */
  public void deleteLines(int n) {
    if (cy < top || cy > bottom) {
      return;
    }
    n = clamp(n, 1, bottom - cy + 1);
    for (int i = 0; i < n; i++) {
      System.arraycopy(lines, cy + 1, lines, cy, bottom - cy);
      lines[bottom] = new Line(cols, blankStyle());
    }
    cx = 0;
    wrapPending = false;
    changed();
  }

  /** DECSTBM with 1-based rows (0: default); homes the cursor. */
  public void setScrollRegion(int topRow, int bottomRow) {
    int t = topRow <= 0 ? 0 : topRow - 1;
    int b = bottomRow <= 0 ? rows - 1 : Math.min(rows - 1, bottomRow - 1);
    if (t >= b) {
      return;
    }
    top = t;
    bottom = b;
    cursorPosition(1, 1);
  }

  // ---- rendition and modes ----

  public void setStyle(long s) {
    style = s;
  }

  public void setAutowrap(boolean on) {
    autowrap = on;
    if (!on) {
      wrapPending = false;
    }
  }

  public void setOriginMode(boolean on) {
    originMode = on;
    cursorPosition(1, 1);
  }

  public void setInsertMode(boolean on) {
    insertMode = on;
  }

  /** LNM (mode 20): LF also returns the carriage. */
  public void setNewlineMode(boolean on) {
    newlineMode = on;
  }

  public boolean newlineMode() {
    return newlineMode;
  }

  public void setCursorVisible(boolean on) {
    cursorVisible = on;
    changed();
  }

  public void setBracketedPaste(boolean on) {
    bracketedPaste = on;
  }

  public void setApplicationCursorKeys(boolean on) {
    applicationCursorKeys = on;
  }

  /** Switches to (and, with {@code clear}, wipes) the alternate buffer, or back to the main one. */
  public void useAlternateScreen(boolean on, boolean clear) {
    if (on == (lines == alt)) {
      return;
    }
    lines = on ? alt : main;
    if (clear) {
      for (Line l : alt) {
        l.clear(0, cols, Style.DEFAULT);
        l.wrapped = false;
      }
    }
    wrapPending = false;
    changed();
  }

  /** RIS: everything back to power-on, the scrollback kept. */
  public void reset() {
    main = blank(rows, cols);
    alt = blank(rows, cols);
    lines = main;
    cx = cy = 0;
    wrapPending = false;
    style = Style.DEFAULT;
    top = 0;
    bottom = rows - 1;
    autowrap = true;
    originMode = insertMode = bracketedPaste = applicationCursorKeys = false;
    cursorVisible = true;
    savedMain = savedAlt = new Saved(0, 0, Style.DEFAULT, false, false);
    changed();
  }

  /**
   * New size. Rows that no longer fit above the cursor go to the scrollback (main buffer), so
   * the cursor's row stays on screen; the scroll region becomes the whole screen.
   */
  public void resize(int newCols, int newRows) {
    if (newCols < 1 || newRows < 1 || (newCols == cols && newRows == rows)) {
      return;
    }
    boolean onAlt = lines == alt;
    int shift = Math.max(0, cy - (newRows - 1));
    main = resizeBuffer(main, newCols, newRows, onAlt ? 0 : shift, true);
    alt = resizeBuffer(alt, newCols, newRows, onAlt ? shift : 0, false);
    lines = onAlt ? alt : main;
    cols = newCols;
    rows = newRows;
    cy = clamp(cy - shift, 0, rows - 1);
    cx = clamp(cx, 0, cols - 1);
    wrapPending = false;
    top = 0;
    bottom = rows - 1;
    changed();
  }

  private Line[] resizeBuffer(Line[] old, int newCols, int newRows, int shift, boolean keepHistory) {
    Line[] out = new Line[newRows];
    for (int i = 0; i < shift; i++) {
      if (keepHistory && scrollbackLimit > 0) {
        scrollback.addLast(old[i]);
        while (scrollback.size() > scrollbackLimit) {
          scrollback.removeFirst();
        }
      }
    }
    for (int r = 0; r < newRows; r++) {
      int src = r + shift;
      out[r] = src < old.length ? old[src].resized(newCols) : new Line(newCols, Style.DEFAULT);
    }
    return out;
  }

  /** A deep copy, for snapshots of the witness (the guest's screen at that moment). */
  public Screen copy() {
    Screen s = new Screen(cols, rows, scrollbackLimit);
    s.main = copyOf(main);
    s.alt = copyOf(alt);
    s.lines = lines == alt ? s.alt : s.main;
    for (Line l : scrollback) {
      s.scrollback.addLast(l.copy());
    }
    s.cx = cx;
    s.cy = cy;
    s.wrapPending = wrapPending;
    s.style = style;
    s.top = top;
    s.bottom = bottom;
    s.autowrap = autowrap;
    s.originMode = originMode;
    s.insertMode = insertMode;
    s.newlineMode = newlineMode;
    s.cursorVisible = cursorVisible;
    s.bracketedPaste = bracketedPaste;
    s.applicationCursorKeys = applicationCursorKeys;
    s.savedMain = savedMain;
    s.savedAlt = savedAlt;
    s.title = title;
    s.version = version + 1;
    return s;
  }

  private static Line[] copyOf(Line[] ls) {
    Line[] out = new Line[ls.length];
    for (int i = 0; i < ls.length; i++) {
      out[i] = ls[i].copy();
    }
    return out;
  }
}
