// SPDX-License-Identifier: MIT
package xos.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import xos.kernel.Machine;

/**
 * The user's terminal while a guest runs in it. When our stdin is a terminal, the engine's own
 * tty does the line editing, echo and ^C (the guest's termios decide, as on Linux), so the host
 * terminal goes raw for the run and comes back as it was afterwards, also on ^C of the JVM. The
 * window size follows the host's (SIGWINCH). Uses stty on /dev/tty: no native code.
 */
final class HostTerminal implements AutoCloseable {
  private final String saved; // `stty -g` before the run, or null when nothing was changed
  private final Thread restoreHook;

  private HostTerminal(String saved) {
    this.saved = saved;
    this.restoreHook = saved == null ? null : new Thread(this::restore, "xos-tty-restore");
    if (restoreHook != null) {
      Runtime.getRuntime().addShutdownHook(restoreHook);
    }
  }

  /** Puts the host terminal in raw mode when stdin is one (ttyMask bit 0); otherwise does nothing. */
  static HostTerminal rawIfTty(int ttyMask) {
    if ((ttyMask & 1) == 0) {
      return new HostTerminal(null);
    }
    String g = stty("-g");
    if (g == null || g.isBlank() || stty("raw", "-echo") == null) {
      return new HostTerminal(null);
    }
    return new HostTerminal(g.trim());
  }

  /** Rows and columns of the host terminal, or null. */
  static int[] size() {
    String s = stty("size");
    if (s == null) {
      return null;
    }
    String[] p = s.trim().split("\\s+");
    try {
      int rows = Integer.parseInt(p[0]);
      int cols = Integer.parseInt(p[1]);
      return rows > 0 && cols > 0 ? new int[] {rows, cols} : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Gives the guest the host's window size now and on every SIGWINCH. */
  void followWindowSize(Machine m) {
    int[] s = size();
    if (s != null) {
      m.setWindowSize(s[0], s[1]);
    }
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sig -> {
        int[] n = size();
        if (n != null) {
          m.setWindowSize(n[0], n[1]);
        }
      });
    } catch (RuntimeException | LinkageError e) {
      // no SIGWINCH on this JVM or platform: the size stays what it was at the start
    }
  }

  private void restore() {
    if (saved != null) {
      stty(saved);
    }
  }

  @Override
  public void close() {
    restore();
    if (restoreHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(restoreHook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook restores
      }
    }
  }

  /** Runs stty on /dev/tty; its output, or null when it failed. */
  private static String stty(String... args) {
    File tty = new File("/dev/tty");
    if (!tty.exists()) {
      return null;
    }
    String[] cmd = new String[args.length + 1];
    cmd[0] = "stty";
    System.arraycopy(args, 0, cmd, 1, args.length);
    try {
      Process p = new ProcessBuilder(cmd).redirectInput(tty).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
