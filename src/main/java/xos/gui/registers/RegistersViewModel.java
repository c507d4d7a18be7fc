// SPDX-License-Identifier: MIT
package xos.gui.registers;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import xos.engine.RegisterFile;

/**
 * The register table's rows: RIP, RSP, RBP, the other GPRs, RFLAGS with its flags by name, the
 * FS/GS bases and, when the engine exports them, XMM0-15. A row is "changed" when it differs
 * from the previous stop (while running: from the last stop).
 */
public final class RegistersViewModel {
  /** One row as drawn. */
  public record Row(String name, String value, String detail, boolean changed) {}

  private static final int[] ORDER = {4, 5, 0, 3, 1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

  private final ObservableList<Row> rows = FXCollections.observableArrayList();
  private RegisterFile lastStop;
  private RegisterFile previousStop;
  private long[][] xmmLastStop;
  private long[][] xmmPreviousStop;
  private RegisterFile shown;
  private long[][] shownXmm;
  private boolean xmmAvailable;

  public ObservableList<Row> rows() {
    return rows;
  }

  public boolean xmmAvailable() {
    return xmmAvailable;
  }

  /**
   * Shows registers; {@code stopped} marks a new stop (the machine is not running), which
   * moves the baseline that "changed" compares with.
   */
  public void show(RegisterFile r, long[][] xmm, boolean stopped) {
    if (r == null) {
      return;
    }
    if (stopped && !r.equals(lastStop)) {
      previousStop = lastStop;
      xmmPreviousStop = xmmLastStop;
      lastStop = r;
      xmmLastStop = xmm;
    } else if (stopped && xmm != null) {
      xmmLastStop = xmm;
    }
    RegisterFile base = stopped ? previousStop : lastStop;
    long[][] xbase = stopped ? xmmPreviousStop : xmmLastStop;
    if (r.equals(shown) && java.util.Arrays.deepEquals(xmm, shownXmm) && !rows.isEmpty()) {
      return;
    }
    shown = r;
    shownXmm = xmm;
    xmmAvailable = xmm != null;
    java.util.List<Row> out = new java.util.ArrayList<>();
    out.add(row("rip", r.rip(), base == null ? r.rip() : base.rip(), ""));
    for (int i : ORDER) {
      out.add(row(RegisterFile.GPR_NAMES[i], r.gpr(i), base == null ? r.gpr(i) : base.gpr(i), ""));
    }
    out.add(row("rflags", r.rflags(), base == null ? r.rflags() : base.rflags(), flagNames(r.rflags())));
    out.add(row("fs_base", r.fsBase(), base == null ? r.fsBase() : base.fsBase(), ""));
    out.add(row("gs_base", r.gsBase(), base == null ? r.gsBase() : base.gsBase(), ""));
    if (xmm != null) {
      // An XMM register, or the whole YMM register once its upper half is in use (AVX).
      for (int i = 0; i < 16; i++) {
        long[] q = xmm[i];
        boolean wide = q.length > 3 && (q[2] != 0 || q[3] != 0);
        String v = wide
            ? String.format("%016x%016x %016x%016x", q[3], q[2], q[1], q[0])
            : String.format("%016x%016x", q[1], q[0]);
        boolean changed = xbase != null && !java.util.Arrays.equals(xbase[i], q);
        out.add(new Row((wide ? "ymm" : "xmm") + i, v, "", changed));
      }
    }
    rows.setAll(out);
  }

  private static Row row(String name, long v, long base, String detail) {
    return new Row(name, String.format("%016x", v), detail, v != base);
  }

  /** The value column of a row by register name, or null. */
  public String value(String name) {
    for (Row r : rows) {
      if (r.name().equals(name)) {
        return r.value();
      }
    }
    return null;
  }

  /** RFLAGS by name (Intel SDM vol. 1, 3.4.3): set flags upper case. */
  public static String flagNames(long f) {
    String[] names = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "TF", "IF", "DF", "OF"};
    StringBuilder sb = new StringBuilder();
    for (int bit = 0; bit < names.length; bit++) {
      if (!names[bit].isEmpty() && (f >> bit & 1) != 0) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(names[bit]);
      }
    }
    return sb.toString();
  }
}
