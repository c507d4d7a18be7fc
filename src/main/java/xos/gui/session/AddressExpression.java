// SPDX-License-Identifier: MIT
package xos.gui.session;

import java.util.Locale;
import xos.engine.RegisterFile;

/**
 * The memory view's go-to language: hex numbers (with or without 0x), register names, and
 * sums and differences of them: {@code rsp}, {@code rip+0x40}, {@code 7ffc0000-10}.
 */
public final class AddressExpression {
  private AddressExpression() {}

  public static long evaluate(String text, RegisterFile regs) {
    String s = text.strip().toLowerCase(Locale.ROOT).replace(" ", "");
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty address");
    }
    long total = 0;
    int i = 0;
    int sign = 1;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      sign = s.charAt(0) == '-' ? -1 : 1;
      i = 1;
    }
    while (i <= s.length()) {
      int j = i;
      while (j < s.length() && s.charAt(j) != '+' && s.charAt(j) != '-') {
        j++;
      }
      String term = s.substring(i, j);
      if (term.isEmpty()) {
        throw new IllegalArgumentException("missing operand in " + text);
      }
      total += sign * term(term, regs);
      if (j >= s.length()) {
        break;
      }
      sign = s.charAt(j) == '-' ? -1 : 1;
      i = j + 1;
    }
    return total;
  }

  private static long term(String t, RegisterFile regs) {
    Long r = register(t, regs);
    if (r != null) {
      return r;
    }
    String hex = t.startsWith("0x") ? t.substring(2) : t;
    if (hex.isEmpty() || hex.length() > 16 || !hex.matches("[0-9a-f]+")) {
      throw new IllegalArgumentException("not a hex number or register: " + t);
    }
    return Long.parseUnsignedLong(hex, 16);
  }

  private static Long register(String name, RegisterFile regs) {
    if (regs == null) {
      return null;
    }
    switch (name) {
      case "rip": return regs.rip();
      case "rflags": case "eflags": return regs.rflags();
      case "fs": case "fsbase": case "fs_base": return regs.fsBase();
      case "gs": case "gsbase": case "gs_base": return regs.gsBase();
      default: break;
    }
    for (int i = 0; i < 16; i++) {
      if (RegisterFile.GPR_NAMES[i].equals(name)) {
        return regs.gpr(i);
      }
    }
    return null;
  }
}
