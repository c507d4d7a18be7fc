// SPDX-License-Identifier: MIT
package xos.gui.session;

import java.util.ArrayList;
import java.util.List;
import xos.engine.RegisterFile;

/**
 * What changed between two snapshots: registers that differ and the 4 KiB pages of the
 * engine's linear memory (not guest virtual pages: the engine owns that mapping) that differ.
 */
public record SnapshotDiff(List<String> registers, List<Integer> pages, long icountDelta) {
  public static final int PAGE = 4096;

  public static SnapshotDiff of(SnapshotFile.Entry a, SnapshotFile.Entry b) {
    List<String> regs = new ArrayList<>();
    RegisterFile ra = a.registers();
    RegisterFile rb = b.registers();
    for (int i = 0; i < 16; i++) {
      reg(regs, RegisterFile.GPR_NAMES[i], ra.gpr(i), rb.gpr(i));
    }
    reg(regs, "rip", ra.rip(), rb.rip());
    reg(regs, "rflags", ra.rflags(), rb.rflags());
    reg(regs, "fs_base", ra.fsBase(), rb.fsBase());
    reg(regs, "gs_base", ra.gsBase(), rb.gsBase());
    byte[] ma = a.snapshot().engine().memory();
    byte[] mb = b.snapshot().engine().memory();
    List<Integer> pages = new ArrayList<>();
    int n = Math.max(ma.length, mb.length);
    for (int p = 0; p * PAGE < n; p++) {
      int from = p * PAGE;
      int to = Math.min(n, from + PAGE);
      if (from >= ma.length || from >= mb.length || to > ma.length || to > mb.length
          || !java.util.Arrays.equals(ma, from, to, mb, from, to)) {
        pages.add(p);
      }
    }
    return new SnapshotDiff(regs, pages, b.snapshot().icount() - a.snapshot().icount());
  }

  private static void reg(List<String> out, String name, long a, long b) {
    if (a != b) {
      out.add(String.format("%-7s %016x -> %016x", name, a, b));
    }
  }

  /** A report for the diff dialog. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("instructions between them: ").append(icountDelta).append('\n');
    sb.append(registers.size()).append(" registers differ\n");
    for (String r : registers) {
      sb.append("  ").append(r).append('\n');
    }
    sb.append(pages.size()).append(" pages of engine memory (4 KiB) differ");
    int shown = 0;
    for (int p : pages) {
      if (shown++ % 8 == 0) {
        sb.append("\n ");
      }
      if (shown > 64) {
        sb.append(" ...");
        break;
      }
      sb.append(String.format(" %08x", (long) p * PAGE));
    }
    return sb.append('\n').toString();
  }
}
