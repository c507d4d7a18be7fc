// SPDX-License-Identifier: MIT
package xos.gui.terminal;

import java.util.List;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import xos.gui.term.Key;
import xos.gui.term.Line;
import xos.gui.term.Screen;
import xos.gui.term.Style;

/**
 * Draws a {@link TerminalViewModel}'s screen on a canvas and turns key and mouse events into
 * its calls. Keys come from KEY_PRESSED (Ctrl-letters, cursor and function keys) and text from
 * KEY_TYPED without Ctrl; Monocle and real windows disagree on what Ctrl-C types.
 */
public final class TerminalView extends Region {
  private int[] ansi = {
    0x1d1f21, 0xcc6666, 0xb5bd68, 0xf0c674, 0x81a2be, 0xb294bb, 0x8abeb7, 0xc5c8c6,
    0x666666, 0xd54e53, 0xb9ca4a, 0xe7c547, 0x7aa6da, 0xc397d8, 0x70c0b1, 0xeaeaea};

  /** Function keys the debugger's menus use; they never reach the guest. */
  private static final java.util.Set<Key> RESERVED =
      java.util.EnumSet.of(Key.F5, Key.F7, Key.F8, Key.F9, Key.F10, Key.F11);

  private final Canvas canvas = new Canvas();
  private TerminalViewModel model;
  private final Font font;
  private final Font boldFont;
  private final double cellW;
  private final double cellH;
  private final double ascent;
  private long drawnVersion = -1;
  private Color background = Color.web("#1d1f21");
  private Color foreground = Color.web("#c5c8c6");
  private Color cursorColour = Color.web("#f0c674");
  private Color selectionColour = Color.web("#3a5f8f");

  public TerminalView() {
    getStyleClass().add("terminal");
    setFocusTraversable(true);
    font = Font.font("DejaVu Sans Mono", 13);
    boldFont = Font.font("DejaVu Sans Mono", FontWeight.BOLD, 13);
    Text t = new Text("MMMMMMMMMM");
    t.setFont(font);
    cellW = Math.ceil(t.getLayoutBounds().getWidth()) / 10.0;
    cellH = Math.ceil(t.getLayoutBounds().getHeight());
    ascent = -t.getLayoutBounds().getMinY();
    getChildren().add(canvas);
    setMinSize(cellW * 20, cellH * 5);
    setPrefSize(cellW * 80 + 8, cellH * 24 + 8);
    addEventHandler(KeyEvent.KEY_PRESSED, this::pressed);
    addEventHandler(KeyEvent.KEY_TYPED, this::typed);
    addEventHandler(MouseEvent.MOUSE_PRESSED, this::mousePressed);
    addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
      if (model != null) {
        model.extendSelection(row(e.getY()), col(e.getX()));
      }
    });
    addEventHandler(ScrollEvent.SCROLL, e -> {
      if (model != null && e.getDeltaY() != 0) {
        model.scrollBy((int) Math.signum(e.getDeltaY()) * 3);
      }
    });
    focusedProperty().addListener((o, a, b) -> drawnVersion = -1);
  }

  public void setModel(TerminalViewModel m) {
    model = m;
    drawnVersion = -1;
    requestLayout();
  }

  public TerminalViewModel model() {
    return model;
  }

  /** Colours from the theme: background, foreground, cursor, selection, the 16 ANSI colours. */
  public void setColours(Color bg, Color fg, Color cursor, Color selection, int[] ansi16) {
    ansi = ansi16.clone();
    background = bg;
    foreground = fg;
    cursorColour = cursor;
    selectionColour = selection;
    drawnVersion = -1;
  }

  private int row(double y) {
    return Math.max(0, (int) ((y - 4) / cellH));
  }

  private int col(double x) {
    return Math.max(0, (int) Math.round((x - 4) / cellW));
  }

  @Override
  protected void layoutChildren() {
    double w = getWidth();
    double h = getHeight();
    canvas.setWidth(w);
    canvas.setHeight(h);
    if (model != null) {
      int cols = Math.max(20, (int) ((w - 8) / cellW));
      int rows = Math.max(5, (int) ((h - 8) / cellH));
      model.resize(cols, rows);
    }
    drawnVersion = -1;
    redraw();
  }

  /** Draws when the model changed since the last call (called once a frame). */
  public void redraw() {
    if (model == null || model.version() == drawnVersion) {
      return;
    }
    drawnVersion = model.version();
    Screen s = model.screen();
    GraphicsContext g = canvas.getGraphicsContext2D();
    g.setFill(background);
    g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
    List<Line> lines = s.visibleLines(model.scrollOffset());
    for (int r = 0; r < lines.size(); r++) {
      drawLine(g, lines.get(r), r);
    }
    if (s.cursorVisible() && model.scrollOffset() == 0) {
      double x = 4 + s.cursorX() * cellW;
      double y = 4 + s.cursorY() * cellH;
      g.setStroke(cursorColour);
      g.setFill(cursorColour);
      if (isFocused()) {
        g.setGlobalAlpha(0.6);
        g.fillRect(x, y, cellW, cellH);
        g.setGlobalAlpha(1);
      } else {
        g.strokeRect(x + 0.5, y + 0.5, cellW - 1, cellH - 1);
      }
    }
  }

  private void drawLine(GraphicsContext g, Line line, int r) {
    double y = 4 + r * cellH;
    int n = line.length();
    for (int c = 0; c < n; c++) {
      long st = line.styleAt(c);
      Color fg = colour(Style.fg(st), foreground, Style.has(st, Style.BOLD));
      Color bg = colour(Style.bg(st), background, false);
      if (Style.has(st, Style.REVERSE)) {
        Color t = fg;
        fg = bg;
        bg = t;
      }
      if (model.selected(r, c)) {
        bg = selectionColour;
      }
      double x = 4 + c * cellW;
      if (!bg.equals(background)) {
        g.setFill(bg);
        g.fillRect(x, y, cellW + 0.5, cellH);
      }
      int ch = line.charAt(c);
      if (ch != ' ' && ch != 0 && !Style.has(st, Style.INVISIBLE)) {
        g.setFont(Style.has(st, Style.BOLD) ? boldFont : font);
        g.setFill(Style.has(st, Style.DIM) ? fg.deriveColor(0, 1, 0.7, 1) : fg);
        g.fillText(new String(Character.toChars(ch)), x, y + ascent);
      }
      if (Style.has(st, Style.UNDERLINE)) {
        g.setStroke(fg);
        g.strokeLine(x, y + cellH - 1.5, x + cellW, y + cellH - 1.5);
      }
    }
  }

  private Color colour(int c, Color dflt, boolean bold) {
    if (c == 0) {
      return dflt;
    }
    int rgb;
    if ((c & Style.RGB) != 0) {
      rgb = c & 0xffffff;
    } else {
      int n = c & 0xff;
      if (bold && n < 8) {
        n += 8;
      }
      rgb = Style.paletteRgb(n, ansi);
    }
    return Color.rgb(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
  }

  // ---- input ----

  private static Key key(KeyCode k) {
    switch (k) {
      case ENTER: return Key.ENTER;
      case BACK_SPACE: return Key.BACKSPACE;
      case TAB: return Key.TAB;
      case ESCAPE: return Key.ESCAPE;
      case UP: return Key.UP;
      case DOWN: return Key.DOWN;
      case LEFT: return Key.LEFT;
      case RIGHT: return Key.RIGHT;
      case HOME: return Key.HOME;
      case END: return Key.END;
      case PAGE_UP: return Key.PAGE_UP;
      case PAGE_DOWN: return Key.PAGE_DOWN;
      case INSERT: return Key.INSERT;
      case DELETE: return Key.DELETE;
      case F1: return Key.F1;
      case F2: return Key.F2;
      case F3: return Key.F3;
      case F4: return Key.F4;
      case F5: return Key.F5;
      case F6: return Key.F6;
      case F7: return Key.F7;
      case F8: return Key.F8;
      case F9: return Key.F9;
      case F10: return Key.F10;
      case F11: return Key.F11;
      case F12: return Key.F12;
      default: return null;
    }
  }

  private void pressed(KeyEvent e) {
    if (model == null) {
      return;
    }
    KeyCode code = e.getCode();
    if (e.isControlDown() && e.isShiftDown() && code == KeyCode.C) {
      copySelection();
      e.consume();
      return;
    }
    if ((e.isControlDown() && e.isShiftDown() && code == KeyCode.V) || (e.isShiftDown() && code == KeyCode.INSERT)) {
      model.paste(Clipboard.getSystemClipboard().getString());
      e.consume();
      return;
    }
    if (e.isShiftDown() && (code == KeyCode.PAGE_UP || code == KeyCode.PAGE_DOWN)) {
      int page = Math.max(1, model.screen().rows() - 1);
      model.scrollBy(code == KeyCode.PAGE_UP ? page : -page);
      e.consume();
      return;
    }
    Key k = key(code);
    if (k != null && RESERVED.contains(k)) {
      return; // the debugger's shortcuts (menu accelerators)
    }
    if (k != null) {
      model.key(k, e.isShiftDown(), e.isAltDown(), e.isControlDown());
      e.consume();
      return;
    }
    if (e.isControlDown() && !e.isMetaDown()) {
      String t = code.isLetterKey() ? code.getChar() : e.getText();
      if (code == KeyCode.SPACE) {
        t = " ";
      }
      if (t != null && t.length() == 1 && model.control(t.charAt(0), e.isAltDown())) {
        e.consume();
      }
    }
  }

  private void typed(KeyEvent e) {
    if (model == null || e.isControlDown() || e.isMetaDown()) {
      return;
    }
    String t = e.getCharacter();
    if (t == null || t.isEmpty() || t.equals(KeyEvent.CHAR_UNDEFINED)) {
      return;
    }
    char c = t.charAt(0);
    if (c < 0x20 || c == 0x7f) {
      return; // Enter, Tab, Backspace, Escape: sent from KEY_PRESSED
    }
    model.type(t, e.isAltDown());
    e.consume();
  }

  private void mousePressed(MouseEvent e) {
    requestFocus();
    e.consume(); // or the enclosing TabPane takes the focus back
    if (model == null) {
      return;
    }
    if (e.getButton() == MouseButton.MIDDLE) {
      model.paste(Clipboard.getSystemClipboard().getString());
    } else if (e.getButton() == MouseButton.PRIMARY) {
      model.startSelection(row(e.getY()), col(e.getX()));
    }
  }

  public void copySelection() {
    String s = model.selectedText();
    if (!s.isEmpty()) {
      ClipboardContent c = new ClipboardContent();
      c.putString(s);
      Clipboard.getSystemClipboard().setContent(c);
    }
  }

  public void pasteClipboard() {
    model.paste(Clipboard.getSystemClipboard().getString());
  }
}
