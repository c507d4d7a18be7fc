// SPDX-License-Identifier: MIT
package xos.gui.memory;

import java.util.function.BiConsumer;
import javafx.geometry.Orientation;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * Guest memory as hex and ASCII on a canvas, 16 bytes a row, with its own scroll bar over the
 * whole 47-bit address space (2^43 rows: a double holds that exactly). Unmapped bytes show as
 * {@code ??}; bytes that changed since the previous stop are highlighted; a selected byte
 * takes two typed hex digits (the caller pokes them while paused).
 */
public final class HexView extends Region {
  private final Canvas canvas = new Canvas();
  private final ScrollBar bar = new ScrollBar();
  private final Font font = Font.font("DejaVu Sans Mono", 13);
  private final double cellW;
  private final double cellH;
  private final double ascent;
  private MemoryViewModel model;
  private BiConsumer<Long, Integer> poke = (a, v) -> { };
  private long drawnVersion = -1;
  private boolean updatingBar;
  private Color background = Color.web("#1d1f21");
  private Color foreground = Color.web("#c5c8c6");
  private Color dim = Color.web("#707880");
  private Color changed = Color.web("#cc6666");
  private Color selection = Color.web("#3a5f8f");

  public HexView() {
    getStyleClass().add("hex-view");
    setFocusTraversable(true);
    Text t = new Text("0000000000");
    t.setFont(font);
    cellW = t.getLayoutBounds().getWidth() / 10.0;
    cellH = Math.ceil(t.getLayoutBounds().getHeight()) + 1;
    ascent = -t.getLayoutBounds().getMinY();
    bar.setOrientation(Orientation.VERTICAL);
    bar.setMin(0);
    bar.setMax(MemoryViewModel.ROWS_TOTAL - 1);
    bar.setUnitIncrement(1);
    getChildren().addAll(canvas, bar);
    setPrefSize(cellW * 76 + 20, cellH * 16);
    bar.valueProperty().addListener((o, a, b) -> {
      if (!updatingBar && model != null) {
        model.scrollTo((long) b.doubleValue());
      }
    });
    addEventHandler(ScrollEvent.SCROLL, e -> {
      if (model != null && e.getDeltaY() != 0) {
        model.scrollTo(model.topRowProperty().get() - (long) Math.signum(e.getDeltaY()) * 3);
      }
    });
    addEventHandler(MouseEvent.MOUSE_PRESSED, this::clicked);
    addEventHandler(KeyEvent.KEY_TYPED, this::typed);
  }

  public void setModel(MemoryViewModel m) {
    model = m;
    m.topRowProperty().addListener((o, a, b) -> syncBar());
    syncBar();
    requestLayout();
  }

  /** Where edited bytes go (address, value). */
  public void setOnPoke(BiConsumer<Long, Integer> poke) {
    this.poke = poke;
  }

  public void setColours(Color bg, Color fg, Color dimmed, Color changedBytes, Color selected) {
    background = bg;
    foreground = fg;
    dim = dimmed;
    changed = changedBytes;
    selection = selected;
    drawnVersion = -1;
  }

  private void syncBar() {
    updatingBar = true;
    bar.setValue(model.topRowProperty().get());
    updatingBar = false;
    drawnVersion = -1;
  }

  @Override
  protected void layoutChildren() {
    double bw = bar.prefWidth(-1);
    double w = getWidth() - bw;
    double h = getHeight();
    canvas.setWidth(Math.max(0, w));
    canvas.setHeight(h);
    bar.resizeRelocate(w, 0, bw, h);
    if (model != null) {
      int rows = Math.max(1, (int) (h / cellH));
      if (rows != model.visibleRows()) {
        model.setVisibleRows(rows);
        model.scrollTo(model.topRowProperty().get()); // asks for a window of the new size
      }
      bar.setVisibleAmount(rows);
      bar.setBlockIncrement(rows);
    }
    drawnVersion = -1;
    redraw();
  }

  /** Column (0-15) of the byte under x in the hex part, or -1. */
  private int byteColumn(double x) {
    double hexStart = (13 + 1) * cellW;
    int c = (int) ((x - hexStart) / (3 * cellW));
    if (x < hexStart || c > 16) {
      return -1;
    }
    double gap = x - hexStart - 8 * 3 * cellW;
    if (gap >= 0) {
      c = (int) ((gap - cellW) / (3 * cellW)) + 8;
    }
    return c >= 0 && c < 16 ? c : -1;
  }

  private void clicked(MouseEvent e) {
    requestFocus();
    e.consume(); // or the enclosing TabPane takes the focus back
    if (model == null) {
      return;
    }
    int row = (int) (e.getY() / cellH);
    int c = byteColumn(e.getX());
    if (c >= 0) {
      model.select(model.topAddress() + (long) row * 16 + c);
    }
  }

  private void typed(KeyEvent e) {
    if (model == null || e.getCharacter().isEmpty()) {
      return;
    }
    long at = model.selected();
    int v = model.typeHexDigit(e.getCharacter().charAt(0));
    if (v >= 0) {
      poke.accept(at, v);
      model.advanceSelection();
    }
    e.consume();
  }

  public void redraw() {
    if (model == null || model.version() == drawnVersion) {
      return;
    }
    drawnVersion = model.version();
    GraphicsContext g = canvas.getGraphicsContext2D();
    g.setFont(font);
    g.setFill(background);
    g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
    long top = model.topAddress();
    for (int r = 0; r < model.visibleRows(); r++) {
      long a = top + (long) r * 16;
      if (a >= (1L << 47)) {
        break;
      }
      double y = r * cellH + ascent;
      g.setFill(dim);
      g.fillText(String.format("%012x", a), 0, y);
      for (int i = 0; i < 16; i++) {
        long addr = a + i;
        int b = model.byteAt(addr);
        double x = (14 + i * 3 + (i >= 8 ? 1 : 0)) * cellW;
        if (addr == model.selected()) {
          g.setFill(selection);
          g.fillRect(x - 1, r * cellH, 2 * cellW + 2, cellH);
        }
        String text = b < 0 ? "??" : String.format("%02x", b);
        if (addr == model.selected() && model.pendingNibble() >= 0) {
          text = Integer.toHexString(model.pendingNibble()) + "_";
        }
        g.setFill(b < 0 ? dim : model.changed(addr) ? changed : foreground);
        g.fillText(text, x, y);
        double ax = (14 + 16 * 3 + 2 + i) * cellW;
        if (b >= 0) {
          g.setFill(model.changed(addr) ? changed : foreground);
          g.fillText(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : ".", ax, y);
        }
      }
    }
  }
}
