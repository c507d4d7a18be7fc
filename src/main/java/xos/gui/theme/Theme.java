// SPDX-License-Identifier: MIT
package xos.gui.theme;

import javafx.scene.Scene;
import javafx.scene.paint.Color;

/**
 * Dark and light looks: one base stylesheet of looked-up colours (-xos-*) plus a file that only
 * redefines them; canvases (terminal, hex view) take their colours from here.
 */
public enum Theme {
  DARK("dark.css", "#1d1f21", "#c5c8c6", "#f0c674", "#3a5f8f", "#707880", "#e06c75"),
  LIGHT("light.css", "#fafafa", "#2b2b2b", "#b58900", "#b3d4fc", "#8a8a8a", "#c62828");

  private final String file;
  public final Color background;
  public final Color foreground;
  public final Color cursor;
  public final Color selection;
  public final Color dim;
  public final Color changed;

  Theme(String file, String bg, String fg, String cursor, String sel, String dim, String changed) {
    this.file = file;
    this.background = Color.web(bg);
    this.foreground = Color.web(fg);
    this.cursor = Color.web(cursor);
    this.selection = Color.web(sel);
    this.dim = Color.web(dim);
    this.changed = Color.web(changed);
  }

  public void apply(Scene scene) {
    scene.getStylesheets().setAll(
        Theme.class.getResource("/xos/gui/theme/base.css").toExternalForm(),
        Theme.class.getResource("/xos/gui/theme/" + file).toExternalForm());
  }
}
