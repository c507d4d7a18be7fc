// SPDX-License-Identifier: MIT
package xos.gui.theme;

import javafx.scene.Scene;
import javafx.scene.paint.Color;

/**
 * Dark and light looks: one base stylesheet of looked-up colours (-xos-*) plus a file that only
 * redefines them; canvases (terminal, hex view) take their colours from here.
 */
public enum Theme {
  DARK("dark.css", "#1d1f21", "#c5c8c6", "#f0c674", "#3a5f8f", "#707880", "#e06c75", new int[] {
    0x1d1f21, 0xcc6666, 0xb5bd68, 0xf0c674, 0x81a2be, 0xb294bb, 0x8abeb7, 0xc5c8c6,
    0x666666, 0xd54e53, 0xb9ca4a, 0xe7c547, 0x7aa6da, 0xc397d8, 0x70c0b1, 0xeaeaea}),
  LIGHT("light.css", "#fafafa", "#2b2b2b", "#b58900", "#b3d4fc", "#8a8a8a", "#c62828", new int[] {
    0x000000, 0xc91b00, 0x00a600, 0x9a7b00, 0x0225c7, 0xb224b8, 0x00979c, 0x8a8a8a,
    0x555555, 0xe5332a, 0x1f9e1f, 0xb58900, 0x3a5bd9, 0xc13ac1, 0x0aa8ad, 0x3a3a3a});

  private final String file;
  public final Color background;
  public final Color foreground;
  public final Color cursor;
  public final Color selection;
  public final Color dim;
  public final Color changed;
  private final int[] ansi;

  Theme(String file, String bg, String fg, String cursor, String sel, String dim, String changed, int[] ansi) {
    this.ansi = ansi;
    this.file = file;
    this.background = Color.web(bg);
    this.foreground = Color.web(fg);
    this.cursor = Color.web(cursor);
    this.selection = Color.web(sel);
    this.dim = Color.web(dim);
    this.changed = Color.web(changed);
  }

  /** The 16 ANSI colours (0xrrggbb) the terminal uses on this background. */
  public int[] ansi() {
    return ansi.clone();
  }

  public void apply(Scene scene) {
    scene.getStylesheets().setAll(
        Theme.class.getResource("/xos/gui/theme/base.css").toExternalForm(),
        Theme.class.getResource("/xos/gui/theme/" + file).toExternalForm());
  }
}
