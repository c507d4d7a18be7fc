// SPDX-License-Identifier: MIT
package xos.it;

import static org.junit.jupiter.api.Assertions.fail;

/** Compares a native run with an xos run and explains the first difference. */
final class Compare {
  private Compare() {}

  static void same(String what, Outcome nat, Outcome xos) {
    StringBuilder msg = new StringBuilder();
    if (nat.exit() != xos.exit() || nat.signal() != xos.signal()) {
      msg.append("status: native ").append(nat.status()).append(", xos ").append(xos.status()).append('\n');
    }
    diff(msg, "stdout", nat.out(), xos.out());
    diff(msg, "stderr", nat.err(), xos.err());
    if (msg.length() > 0) {
      fail(what + " differs from its native run:\n" + msg);
    }
  }

  /** Appends the first differing line (with line number) and the byte counts. */
  static void diff(StringBuilder msg, String stream, String a, String b) {
    if (a.equals(b)) {
      return;
    }
    String[] la = a.split("\n", -1);
    String[] lb = b.split("\n", -1);
    int i = 0;
    while (i < la.length && i < lb.length && la[i].equals(lb[i])) {
      i++;
    }
    msg.append(stream).append(" differs at line ").append(i + 1).append(" (native ").append(a.length())
        .append(" chars, xos ").append(b.length()).append(")\n");
    msg.append("  native: ").append(i < la.length ? clip(la[i]) : "<end>").append('\n');
    msg.append("  xos:    ").append(i < lb.length ? clip(lb[i]) : "<end>").append('\n');
  }

  private static String clip(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
