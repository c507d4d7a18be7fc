// SPDX-License-Identifier: MIT
package xos.gui.term;

import java.util.Arrays;

/** One row of cells: code points and styles. {@code wrapped}: text continues on the next row. */
public final class Line {
  final int[] chars;
  final long[] styles;
  boolean wrapped;

  Line(int cols, long style) {
    chars = new int[cols];
    styles = new long[cols];
    Arrays.fill(chars, ' ');
    Arrays.fill(styles, style);
  }

  private Line(int[] chars, long[] styles, boolean wrapped) {
    this.chars = chars;
    this.styles = styles;
    this.wrapped = wrapped;
  }

  Line copy() {
    return new Line(chars.clone(), styles.clone(), wrapped);
  }

  /** The same text at another width (cut or padded with blanks). */
  Line resized(int cols) {
    Line l = new Line(cols, Style.DEFAULT);
    int n = Math.min(cols, chars.length);
    System.arraycopy(chars, 0, l.chars, 0, n);
    System.arraycopy(styles, 0, l.styles, 0, n);
    l.wrapped = wrapped;
    return l;
  }

  public int length() {
    return chars.length;
  }

  public int charAt(int col) {
    return chars[col];
  }

  public long styleAt(int col) {
    return styles[col];
  }

  public boolean isWrapped() {
    return wrapped;
  }

  void clear(int from, int to, long style) {
    from = Math.max(0, from);
    to = Math.min(chars.length, to);
    for (int i = from; i < to; i++) {
      chars[i] = ' ';
      styles[i] = style;
    }
  }

  /** The row's text with trailing blanks removed. */
  public String text() {
    return text(0, chars.length, true);
  }

  String text(int from, int to, boolean trim) {
    StringBuilder sb = new StringBuilder();
    for (int i = Math.max(0, from); i < Math.min(to, chars.length); i++) {
      sb.appendCodePoint(chars[i] == 0 ? ' ' : chars[i]);
    }
    if (trim) {
      int end = sb.length();
      while (end > 0 && sb.charAt(end - 1) == ' ') {
        end--;
      }
      sb.setLength(end);
    }
    return sb.toString();
  }
}
