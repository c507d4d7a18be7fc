// SPDX-License-Identifier: MIT
package xos.gui.term;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The terminal model: escape sequences in, screen contents out. */
class ScreenTest {
  private final ByteArrayOutputStream replies = new ByteArrayOutputStream();

  private Parser term(int cols, int rows) {
    return new Parser(new Screen(cols, rows, 100), b -> replies.write(b, 0, b.length));
  }

  private static String rows(Parser p) {
    return p.screen().text();
  }

  @Test
  void textAndNewlines() {
    Parser p = term(10, 3);
    p.feed("ab\r\ncd");
    assertEquals("ab\ncd\n", rows(p));
    assertEquals(2, p.screen().cursorX());
    assertEquals(1, p.screen().cursorY());
  }

  @Test
  void lfWithoutNewlineModeKeepsTheColumn() {
    Parser p = term(10, 3);
    p.feed("ab\ncd");
    assertEquals("ab\n  cd\n", rows(p));
    p.screen().setNewlineMode(true);
    p.feed("\nx");
    assertEquals("ab\n  cd\nx", rows(p));
  }

  @Test
  void utf8AcrossWrites() {
    Parser p = term(10, 1);
    byte[] e = "é€".getBytes(StandardCharsets.UTF_8);
    p.feed(new byte[] {e[0]});
    p.feed(new byte[] {e[1], e[2]});
    p.feed(new byte[] {e[3], e[4]});
    assertEquals("é€", rows(p));
  }

  @Test
  void cursorMotion() {
    Parser p = term(10, 5);
    p.feed("\033[3;4HX");          // CUP row 3 col 4
    p.feed("\033[2AY");            // CUU 2
    p.feed("\033[B\033[3DZ");      // CUD, CUB 3
    p.feed("\033[8GW");            // CHA 8
    p.feed("\033[5dV");            // VPA 5
    p.feed("\033[HA\033[2CB");     // home, CUF 2
    assertEquals("A  BY\n  Z    W\n   X\n\n        V", rows(p));
  }

  @Test
  void cursorStopsAtTheEdges() {
    Parser p = term(5, 3);
    p.feed("\033[99;99HX\033[99A\033[99DY");
    assertEquals("Y\n\n    X", rows(p));
  }

  @Test
  void eraseDisplayAndLine() {
    Parser p = term(5, 3);
    p.feed("aaaaa\r\nbbbbb\r\nccccc");
    p.feed("\033[2;3H\033[K");
    assertEquals("aaaaa\nbb\nccccc", rows(p));
    p.feed("\033[1K");
    assertEquals("aaaaa\n\nccccc", rows(p));
    p.feed("\033[J");
    assertEquals("aaaaa", rows(p).strip());
    p.feed("\033[1;3H\033[1J");
    assertEquals("   aa", rows(p).lines().findFirst().get());
    p.feed("\033[2J");
    assertEquals("\n\n", rows(p));
  }

  @Test
  void eraseInsertDeleteCharacters() {
    Parser p = term(8, 1);
    p.feed("abcdefgh\033[3G\033[2X");
    assertEquals("ab  efgh", rows(p));
    p.feed("\033[2P");
    assertEquals("abefgh", rows(p));
    p.feed("\033[3@");
    assertEquals("ab   efg", rows(p));
  }

  @Test
  void insertAndDeleteLinesInsideTheScrollRegion() {
    Parser p = term(3, 5);
    p.feed("1\r\n2\r\n3\r\n4\r\n5");
    p.feed("\033[2;4r");           // region rows 2-4
    p.feed("\033[2;1H\033[L");     // IL at row 2
    assertEquals("1\n\n2\n3\n5", rows(p));
    p.feed("\033[M\033[M");        // DL twice at row 2
    assertEquals("1\n3\n\n\n5", rows(p));
  }

  @Test
  void scrollRegionScrollsOnlyItsRows() {
    Parser p = term(3, 4);
    p.feed("a\r\nb\r\nc\r\nd");
    p.feed("\033[2;3r\033[3;1H\nX");
    assertEquals("a\nc\nX\nd", rows(p));
    assertEquals(0, p.screen().scrollbackSize(), "a region that is not the whole screen keeps no history");
    p.feed("\033[2;1H\033MY");     // reverse index at the region's top scrolls it down
    assertEquals("a\nY\nc\nd", rows(p));
  }

  @Test
  void indexAndReverseIndexAtTheScreenEdges() {
    Parser p = term(3, 2);
    p.feed("a\r\nb\033D");          // IND at the bottom scrolls
    assertEquals("b\n", rows(p));
    p.feed("\033[H\033M");          // RI at the top scrolls down
    assertEquals("\nb", rows(p));
    p.feed("\033EZ");               // NEL
    assertEquals("\nZ", rows(p));
  }

  @Test
  void scrollbackIsBounded() {
    Parser p = new Parser(new Screen(5, 2, 3), null);
    for (int i = 0; i < 10; i++) {
      p.feed(i + "\r\n");
    }
    assertEquals(3, p.screen().scrollbackSize());
    assertEquals("6", p.screen().historyLine(0).text());
    assertEquals("9", p.screen().historyLine(3).text());
  }

  @Test
  void autowrapAndItsModes() {
    Parser p = term(4, 3);
    p.feed("abcdef");
    assertEquals("abcd\nef\n", rows(p));
    assertTrue(p.screen().line(0).isWrapped());
    p.feed("\033[?7l\033[3;1H123456");
    assertEquals("abcd\nef\n1236", rows(p));
    p.feed("\033[?7h\033[H\033[2J1234");
    assertEquals(3, p.screen().cursorX(), "the cursor waits on the last column until the next character");
    p.feed("\r");
    assertEquals(0, p.screen().cursorY());
  }

  @Test
  void originModeAddressesTheRegion() {
    Parser p = term(5, 5);
    p.feed("\033[2;4r\033[?6h\033[1;1HA\033[9;1HB");
    assertEquals("\nA\n\nB\n", rows(p));
    p.feed("\033[6n");
    assertEquals("\033[3;2R", replies.toString(StandardCharsets.US_ASCII));
  }

  @Test
  void saveAndRestoreCursorWithItsStyle() {
    Parser p = term(6, 2);
    p.feed("\033[1;31mab\0337\033[0m\033[2;5Hx\0338c");
    assertEquals("abc\n    x", rows(p));
    long st = p.screen().line(0).styleAt(2);
    assertTrue(Style.has(st, Style.BOLD));
    assertEquals(Style.INDEXED | 1, Style.fg(st));
    p.feed("\033[s\033[2;1H\033[uD");
    assertEquals("abcD\n    x", rows(p));
  }

  @Test
  void sgrColoursAndAttributes() {
    Parser p = term(8, 1);
    p.feed("\033[4;7;32;44mA\033[38;5;200;48;2;1;2;3mB\033[91;24;27mC\033[0mD\033[1;2;22mE");
    long a = p.screen().line(0).styleAt(0);
    assertTrue(Style.has(a, Style.UNDERLINE) && Style.has(a, Style.REVERSE));
    assertEquals(Style.INDEXED | 2, Style.fg(a));
    assertEquals(Style.INDEXED | 4, Style.bg(a));
    long b = p.screen().line(0).styleAt(1);
    assertEquals(Style.INDEXED | 200, Style.fg(b));
    assertEquals(Style.RGB | 0x010203, Style.bg(b));
    long c = p.screen().line(0).styleAt(2);
    assertEquals(Style.INDEXED | 9, Style.fg(c));
    assertFalse(Style.has(c, Style.UNDERLINE) || Style.has(c, Style.REVERSE));
    assertEquals(Style.DEFAULT, p.screen().line(0).styleAt(3));
    assertFalse(Style.has(p.screen().line(0).styleAt(4), Style.BOLD));
  }

  @Test
  void alternateScreenKeepsTheMainOne() {
    for (String mode : new String[] {"1049", "47"}) {
      Parser p = term(5, 2);
      p.feed("main\r\n");
      p.feed("\033[?" + mode + "h");
      assertTrue(p.screen().alternateScreen());
      p.feed("\033[Halt");
      assertEquals("alt\n", rows(p));
      p.feed("\033[?" + mode + "l");
      assertFalse(p.screen().alternateScreen());
      assertEquals("main\n", rows(p));
    }
    Parser p = term(5, 2);
    p.feed("ab\033[?1049h\033[2;3Hx\033[?1049lc");
    assertEquals("abc\n", rows(p), "1049 restores the cursor");
  }

  @Test
  void bracketedPasteIsOffUntilAsked() {
    Parser p = term(5, 1);
    assertFalse(p.screen().bracketedPaste());
    assertArrayEquals("a\rb".getBytes(StandardCharsets.UTF_8), KeyEncoder.paste("a\nb", p.screen().bracketedPaste()));
    p.feed("\033[?2004h");
    assertEquals("\033[200~x\033[201~", new String(KeyEncoder.paste("x", p.screen().bracketedPaste()), StandardCharsets.UTF_8));
  }

  @Test
  void oscSetsTheTitleAndDcsIsSwallowed() {
    Parser p = term(10, 1);
    p.feed("\033]0;hello\007\033Pq#0;1\033\\ok\033]2;two\033\\");
    assertEquals("two", p.screen().title());
    assertEquals("ok", rows(p));
  }

  @Test
  void deviceAttributesAndStatusReports() {
    Parser p = term(10, 3);
    p.feed("\033[c\033[5n\033[2;7H\033[6n");
    assertEquals("\033[?1;2c\033[0n\033[2;7R", replies.toString(StandardCharsets.US_ASCII));
  }

  @Test
  void selectionJoinsWrappedRows() {
    Parser p = term(4, 3);
    p.feed("abcdef\r\ngh");
    assertEquals("abcdef\ngh", p.screen().textBetween(0, 0, 2, 2));
    assertEquals("cde", p.screen().textBetween(0, 2, 1, 1));
  }

  @Test
  void resizeKeepsTheCursorRowOnScreen() {
    Parser p = term(6, 4);
    p.feed("1\r\n2\r\n3\r\n4");
    p.screen().resize(3, 2);
    assertEquals("3\n4", rows(p));
    assertEquals(1, p.screen().cursorY());
    assertEquals(2, p.screen().scrollbackSize());
    p.screen().resize(5, 3);
    assertEquals("3\n4\n", rows(p));
  }

  @Test
  void copyIsIndependent() {
    Parser p = term(4, 2);
    p.feed("ab");
    Screen copy = p.screen().copy();
    p.feed("cd\033[2J");
    assertEquals("ab\n", copy.text());
  }
}
