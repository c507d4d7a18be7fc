// SPDX-License-Identifier: MIT
package xos.gui.term;

import java.nio.charset.StandardCharsets;

/**
 * The bytes an xterm sends for a key: control bytes for Ctrl-letters, CSI/SS3 sequences for
 * cursor and function keys (with xterm's modifier parameter 1 + shift + 2*alt + 4*ctrl). Works
 * from key presses, not typed characters, because toolkits disagree on what Ctrl-C types.
 */
public final class KeyEncoder {
  private KeyEncoder() {}

  /** Ctrl with a letter or one of @[\]^_ and space; null when Ctrl+ch is no control byte. */
  public static byte[] control(char ch, boolean alt) {
    char u = Character.toUpperCase(ch);
    int b;
    if (u >= '@' && u <= '_') {
      b = u - '@';
    } else if (ch == ' ' || ch == '2') {
      b = 0;
    } else if (ch == '/' || ch == '7') {
      b = 0x1f;
    } else if (ch == '?' || ch == '8') {
      b = 0x7f;
    } else if (ch >= '3' && ch <= '6') {
      b = 0x1b + (ch - '3');
    } else {
      return null;
    }
    return alt ? new byte[] {0x1b, (byte) b} : new byte[] {(byte) b};
  }

  /** Typed text, with ESC first when Alt is held (xterm's metaSendsEscape). */
  public static byte[] text(String s, boolean alt) {
    byte[] t = s.getBytes(StandardCharsets.UTF_8);
    if (!alt) {
      return t;
    }
    byte[] out = new byte[t.length + 1];
    out[0] = 0x1b;
    System.arraycopy(t, 0, out, 1, t.length);
    return out;
  }

  public static byte[] key(Key k, boolean shift, boolean alt, boolean ctrl, boolean applicationCursor) {
    int mod = 1 + (shift ? 1 : 0) + (alt ? 2 : 0) + (ctrl ? 4 : 0);
    String s;
    switch (k) {
      case ENTER: s = alt ? "\033\r" : "\r"; break;
      case BACKSPACE: s = ctrl ? "\b" : (alt ? "\033\177" : "\177"); break;
      case TAB: s = shift ? "\033[Z" : "\t"; break;
      case ESCAPE: s = "\033"; break;
      case UP: s = cursor('A', mod, applicationCursor); break;
      case DOWN: s = cursor('B', mod, applicationCursor); break;
      case RIGHT: s = cursor('C', mod, applicationCursor); break;
      case LEFT: s = cursor('D', mod, applicationCursor); break;
      case HOME: s = cursor('H', mod, applicationCursor); break;
      case END: s = cursor('F', mod, applicationCursor); break;
      case INSERT: s = tilde(2, mod); break;
      case DELETE: s = tilde(3, mod); break;
      case PAGE_UP: s = tilde(5, mod); break;
      case PAGE_DOWN: s = tilde(6, mod); break;
      case F1: s = ss3('P', mod); break;
      case F2: s = ss3('Q', mod); break;
      case F3: s = ss3('R', mod); break;
      case F4: s = ss3('S', mod); break;
      case F5: s = tilde(15, mod); break;
      case F6: s = tilde(17, mod); break;
      case F7: s = tilde(18, mod); break;
      case F8: s = tilde(19, mod); break;
      case F9: s = tilde(20, mod); break;
      case F10: s = tilde(21, mod); break;
      case F11: s = tilde(23, mod); break;
      case F12: s = tilde(24, mod); break;
      default: s = ""; break;
    }
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String cursor(char f, int mod, boolean app) {
    if (mod > 1) {
      return "\033[1;" + mod + f;
    }
    return (app ? "\033O" : "\033[") + f;
  }

  private static String ss3(char f, int mod) {
    return mod > 1 ? "\033[1;" + mod + f : "\033O" + f;
  }

  private static String tilde(int n, int mod) {
    return mod > 1 ? "\033[" + n + ";" + mod + "~" : "\033[" + n + "~";
  }

  /** Pasted text: newlines as CR (what Enter sends), wrapped in ESC[200~ ... ESC[201~ when asked. */
  public static byte[] paste(String s, boolean bracketed) {
    String t = s.replace("\r\n", "\r").replace('\n', '\r');
    if (bracketed) {
      t = "\033[200~" + t.replace("\033[201~", "") + "\033[201~";
    }
    return t.getBytes(StandardCharsets.UTF_8);
  }
}
