// SPDX-License-Identifier: MIT
package xos.it;

import java.nio.charset.StandardCharsets;

/**
 * What one run of a program produced, natively or in xos, in a form the tests
 * compare: exit code (0 when killed), the killing signal (0 when it exited), and
 * the bytes of stdout and stderr.
 */
record Outcome(int exit, int signal, byte[] stdout, byte[] stderr) {
  String out() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  String err() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  /** exit/signal as one readable word for assertion messages. */
  String status() {
    return signal != 0 ? "killed by signal " + signal : "exit " + exit;
  }
}
