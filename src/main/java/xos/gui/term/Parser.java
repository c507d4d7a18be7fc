// SPDX-License-Identifier: MIT
package xos.gui.term;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns the guest's output bytes into {@link Screen} operations: UTF-8 text, C0 controls, ESC,
 * CSI, OSC and DCS sequences as xterm reads them (ECMA-48 and the DEC private modes). A state
 * machine fed byte by byte, so a sequence split across two writes parses the same as one.
 * Answers to queries (DSR, DA) go to {@code reply}, which sends them to the guest's input.
 */
public final class Parser {
  private enum State { GROUND, ESCAPE, ESCAPE_SKIP_ONE, CSI, OSC, OSC_ESCAPE, STRING, STRING_ESCAPE }

  private static final int MAX_PARAMS = 32;
  private static final int MAX_OSC = 4096;

  private final Screen screen;
  private final Consumer<byte[]> reply;
  private State state = State.GROUND;

  // CSI being read.
  private final int[] params = new int[MAX_PARAMS];
  private int nparams;
  private boolean paramStarted;
  private char privateMarker;
  private char intermediate;

  private final StringBuilder osc = new StringBuilder();

  // UTF-8 being decoded.
  private int utf8Need;
  private int utf8Code;

  public Parser(Screen screen, Consumer<byte[]> reply) {
    this.screen = screen;
    this.reply = reply;
  }

  public Screen screen() {
    return screen;
  }

  public void feed(byte[] b) {
    feed(b, 0, b.length);
  }

  public void feed(String s) {
    feed(s.getBytes(StandardCharsets.UTF_8));
  }

  public void feed(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      feed(b[i] & 0xff);
    }
  }

  private void feed(int c) {
    switch (state) {
      case GROUND: ground(c); break;
      case ESCAPE: escape(c); break;
      case ESCAPE_SKIP_ONE: state = State.GROUND; break;
      case CSI: csi(c); break;
      case OSC: osc(c); break;
      case OSC_ESCAPE:
        if (c == '\\') {
          oscEnd();
        } else {
          state = State.GROUND;
          feed(c);
        }
        break;
      case STRING:
        if (c == 0x1b) {
          state = State.STRING_ESCAPE;
        } else if (c == 0x07 || c == 0x18 || c == 0x1a) {
          state = State.GROUND;
        }
        break;
      case STRING_ESCAPE:
        state = c == '\\' ? State.GROUND : State.STRING;
        break;
      default:
        state = State.GROUND;
    }
  }

  private void ground(int c) {
    if (utf8Need > 0) {
      if ((c & 0xc0) == 0x80) {
        utf8Code = (utf8Code << 6) | (c & 0x3f);
        if (--utf8Need == 0) {
          screen.print(utf8Code);
        }
        return;
      }
      utf8Need = 0;
      screen.print(0xfffd);
    }
    if (c < 0x20 || c == 0x7f) {
      control(c);
    } else if (c < 0x80) {
      screen.print(c);
    } else if ((c & 0xe0) == 0xc0) {
      utf8Need = 1;
      utf8Code = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      utf8Need = 2;
      utf8Code = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      utf8Need = 3;
      utf8Code = c & 0x07;
    } else {
      screen.print(0xfffd);
    }
  }

  /** C0 controls; they act even inside a CSI sequence, as on a VT100. */
  private void control(int c) {
    switch (c) {
      case 0x07: screen.bell(); break;
      case 0x08: screen.backspace(); break;
      case 0x09: screen.tab(); break;
      case 0x0a: case 0x0b: case 0x0c: screen.lineFeed(); break;
      case 0x0d: screen.carriageReturn(); break;
      case 0x18: case 0x1a: state = State.GROUND; break;
      case 0x1b: state = State.ESCAPE; break;
      default: break; // NUL, SO, SI, DEL and the rest: ignored
    }
  }

  private void escape(int c) {
    state = State.GROUND;
    switch (c) {
      case '[':
        startCsi();
        state = State.CSI;
        break;
      case ']':
        osc.setLength(0);
        state = State.OSC;
        break;
      case 'P': case 'X': case '^': case '_':
        state = State.STRING; // DCS, SOS, PM, APC: swallowed up to ST
        break;
      case '7': screen.saveCursor(); break;
      case '8': screen.restoreCursor(); break;
      case 'D': screen.index(); break;
      case 'E': screen.nextLine(); break;
      case 'M': screen.reverseIndex(); break;
      case 'c': screen.reset(); break;
      case '(': case ')': case '*': case '+': case '#': case '%': case ' ':
        state = State.ESCAPE_SKIP_ONE; // charset designation, DECALN and friends: one more byte
        break;
      case 0x1b: state = State.ESCAPE; break;
      default:
        if (c < 0x20) {
          control(c);
        }
        break; // '=', '>' (keypad modes), 'H' (tab set) and unknown finals: ignored
    }
  }

  private void startCsi() {
    nparams = 0;
    paramStarted = false;
    privateMarker = 0;
    intermediate = 0;
    params[0] = 0;
  }

  private void csi(int c) {
    if (c >= '0' && c <= '9') {
      if (!paramStarted) {
        paramStarted = true;
        if (nparams < MAX_PARAMS) {
          params[nparams] = 0;
        }
      }
      if (nparams < MAX_PARAMS) {
        params[nparams] = Math.min(99999, params[nparams] * 10 + (c - '0'));
      }
    } else if (c == ';' || c == ':') {
      if (!paramStarted && nparams < MAX_PARAMS) {
        params[nparams] = 0;
      }
      nparams++;
      paramStarted = false;
    } else if (c >= '<' && c <= '?') {
      privateMarker = (char) c;
    } else if (c >= 0x20 && c <= 0x2f) {
      intermediate = (char) c;
    } else if (c >= 0x40 && c <= 0x7e) {
      if (paramStarted) {
        nparams++;
      }
      nparams = Math.min(nparams, MAX_PARAMS);
      state = State.GROUND;
      dispatchCsi((char) c);
    } else if (c < 0x20) {
      control(c);
    } else {
      state = State.GROUND;
    }
  }

  private int param(int i, int dflt) {
    return i < nparams && params[i] != 0 ? params[i] : dflt;
  }

  private void dispatchCsi(char f) {
    if (intermediate != 0) {
      return; // DECSCUSR (" q"), DECSTR ("!p") and others: no effect on the screen model
    }
    if (privateMarker == '?') {
      if (f == 'h' || f == 'l') {
        for (int i = 0; i < Math.max(1, nparams); i++) {
          privateMode(params[i], f == 'h');
        }
      }
      return;
    }
    if (privateMarker != 0) {
      if (privateMarker == '>' && f == 'c') {
        send("\033[>0;10;0c");
      }
      return;
    }
    switch (f) {
      case '@': screen.insertCharacters(param(0, 1)); break;
      case 'A': screen.cursorVertical(-param(0, 1)); break;
      case 'B': case 'e': screen.cursorVertical(param(0, 1)); break;
      case 'C': case 'a': screen.cursorHorizontal(param(0, 1)); break;
      case 'D': screen.cursorHorizontal(-param(0, 1)); break;
      case 'E': screen.cursorVertical(param(0, 1)); screen.carriageReturn(); break;
      case 'F': screen.cursorVertical(-param(0, 1)); screen.carriageReturn(); break;
      case 'G': case '`': screen.cursorColumn(param(0, 1)); break;
      case 'H': case 'f': screen.cursorPosition(param(0, 1), param(1, 1)); break;
      case 'I': for (int i = 0; i < param(0, 1); i++) { screen.tab(); } break;
      case 'Z': screen.backTab(param(0, 1)); break;
      case 'J': screen.eraseDisplay(param(0, 0)); break;
      case 'K': screen.eraseLine(param(0, 0)); break;
      case 'L': screen.insertLines(param(0, 1)); break;
      case 'M': screen.deleteLines(param(0, 1)); break;
      case 'P': screen.deleteCharacters(param(0, 1)); break;
      case 'S': screen.scrollUp(param(0, 1)); break;
      case 'T': screen.scrollDown(param(0, 1)); break;
      case 'X': screen.eraseCharacters(param(0, 1)); break;
      case 'd': screen.cursorRow(param(0, 1)); break;
      case 'm': sgr(); break;
      case 'r': screen.setScrollRegion(param(0, 0), param(1, 0)); break;
      case 's': screen.saveCursor(); break;
      case 'u': screen.restoreCursor(); break;
      case 'h': case 'l':
        for (int i = 0; i < Math.max(1, nparams); i++) {
          if (params[i] == 4) {
            screen.setInsertMode(f == 'h');
          } else if (params[i] == 20) {
            screen.setNewlineMode(f == 'h');
          }
        }
        break;
      case 'n':
        if (param(0, 0) == 5) {
          send("\033[0n");
        } else if (param(0, 0) == 6) {
          int row = screen.cursorY() + 1 - (screen.originMode() ? screen.scrollTop() : 0);
          send("\033[" + row + ";" + (screen.cursorX() + 1) + "R");
        }
        break;
      case 'c':
        if (param(0, 0) == 0) {
          send("\033[?1;2c"); // a VT100 with advanced video
        }
        break;
      default:
        break;
    }
  }

  private void privateMode(int mode, boolean on) {
    switch (mode) {
      case 1: screen.setApplicationCursorKeys(on); break;
      case 6: screen.setOriginMode(on); break;
      case 7: screen.setAutowrap(on); break;
      case 25: screen.setCursorVisible(on); break;
      case 47: screen.useAlternateScreen(on, false); break;
      case 1047: screen.useAlternateScreen(on, on); break;
      case 1048:
        if (on) {
          screen.saveCursor();
        } else {
          screen.restoreCursor();
        }
        break;
      case 1049:
        if (on) {
          screen.saveCursor();
          screen.useAlternateScreen(true, true);
        } else {
          screen.useAlternateScreen(false, false);
          screen.restoreCursor();
        }
        break;
      case 2004: screen.setBracketedPaste(on); break;
      default: break;
    }
  }

  /** SGR: attributes and colours (16, 256 via 38;5;n, truecolour via 38;2;r;g;b). */
  private void sgr() {
    long s = screen.style();
    if (nparams == 0) {
      screen.setStyle(Style.DEFAULT);
      return;
    }
    for (int i = 0; i < nparams; i++) {
      int p = params[i];
      if (p == 0) {
        s = Style.DEFAULT;
      } else if (p == 1) {
        s |= Style.BOLD;
      } else if (p == 2) {
        s |= Style.DIM;
      } else if (p == 3) {
        s |= Style.ITALIC;
      } else if (p == 4) {
        s |= Style.UNDERLINE;
      } else if (p == 5 || p == 6) {
        s |= Style.BLINK;
      } else if (p == 7) {
        s |= Style.REVERSE;
      } else if (p == 8) {
        s |= Style.INVISIBLE;
      } else if (p == 9) {
        s |= Style.STRIKE;
      } else if (p == 21 || p == 22) {
        s &= ~(Style.BOLD | Style.DIM);
      } else if (p == 23) {
        s &= ~Style.ITALIC;
      } else if (p == 24) {
        s &= ~Style.UNDERLINE;
      } else if (p == 25) {
        s &= ~Style.BLINK;
      } else if (p == 27) {
        s &= ~Style.REVERSE;
      } else if (p == 28) {
        s &= ~Style.INVISIBLE;
      } else if (p == 29) {
        s &= ~Style.STRIKE;
      } else if (p >= 30 && p <= 37) {
        s = Style.withFg(s, Style.INDEXED | (p - 30));
      } else if (p == 39) {
        s = Style.withFg(s, 0);
      } else if (p >= 40 && p <= 47) {
        s = Style.withBg(s, Style.INDEXED | (p - 40));
      } else if (p == 49) {
        s = Style.withBg(s, 0);
      } else if (p >= 90 && p <= 97) {
        s = Style.withFg(s, Style.INDEXED | (p - 90 + 8));
      } else if (p >= 100 && p <= 107) {
        s = Style.withBg(s, Style.INDEXED | (p - 100 + 8));
      } else if (p == 38 || p == 48) {
        int colour = -1;
        if (i + 2 < nparams && params[i + 1] == 5) {
          colour = Style.INDEXED | (params[i + 2] & 0xff);
          i += 2;
        } else if (i + 4 < nparams && params[i + 1] == 2) {
          colour = Style.RGB | (params[i + 2] & 0xff) << 16 | (params[i + 3] & 0xff) << 8 | (params[i + 4] & 0xff);
          i += 4;
        } else {
          break;
        }
        s = p == 38 ? Style.withFg(s, colour) : Style.withBg(s, colour);
      }
    }
    screen.setStyle(s);
  }

  private void osc(int c) {
    if (c == 0x07) {
      oscEnd();
    } else if (c == 0x1b) {
      state = State.OSC_ESCAPE;
    } else if (c == 0x18 || c == 0x1a) {
      state = State.GROUND;
    } else if (osc.length() < MAX_OSC) {
      osc.append((char) c);
    }
  }

  /** OSC 0 and 2 set the title; others are ignored. */
  private void oscEnd() {
    state = State.GROUND;
    String s = osc.toString();
    int semi = s.indexOf(';');
    if (semi > 0) {
      String code = s.substring(0, semi);
      if (code.equals("0") || code.equals("2")) {
        byte[] raw = new byte[s.length() - semi - 1];
        for (int i = 0; i < raw.length; i++) {
          raw[i] = (byte) s.charAt(semi + 1 + i);
        }
        screen.setTitle(new String(raw, StandardCharsets.UTF_8));
      }
    }
  }

  private void send(String s) {
    if (reply != null) {
      reply.accept(s.getBytes(StandardCharsets.US_ASCII));
    }
  }
}
