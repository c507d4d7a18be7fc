// SPDX-License-Identifier: MIT
package xos.gui.term;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What xterm sends for keys (its ctlseqs document, "PC-Style Function Keys"). */
class KeyEncoderTest {
  private static String key(Key k, boolean shift, boolean alt, boolean ctrl, boolean app) {
    return new String(KeyEncoder.key(k, shift, alt, ctrl, app), StandardCharsets.US_ASCII);
  }

  @Test
  void controlLetters() {
    assertArrayEquals(new byte[] {3}, KeyEncoder.control('c', false));
    assertArrayEquals(new byte[] {3}, KeyEncoder.control('C', false));
    assertArrayEquals(new byte[] {0x1a}, KeyEncoder.control('z', false));
    assertArrayEquals(new byte[] {0x1b, 4}, KeyEncoder.control('d', true));
    assertArrayEquals(new byte[] {0}, KeyEncoder.control(' ', false));
    assertArrayEquals(new byte[] {0x1c}, KeyEncoder.control('\\', false));
    assertNull(KeyEncoder.control('1', false));
  }

  @Test
  void editingKeys() {
    assertEquals("\r", key(Key.ENTER, false, false, false, false));
    assertEquals("\177", key(Key.BACKSPACE, false, false, false, false));
    assertEquals("\t", key(Key.TAB, false, false, false, false));
    assertEquals("\033[Z", key(Key.TAB, true, false, false, false));
    assertEquals("\033[3~", key(Key.DELETE, false, false, false, false));
    assertEquals("\033[5~", key(Key.PAGE_UP, false, false, false, false));
    assertEquals("\033[6~", key(Key.PAGE_DOWN, false, false, false, false));
  }

  @Test
  void cursorKeysFollowDecckm() {
    assertEquals("\033[A", key(Key.UP, false, false, false, false));
    assertEquals("\033OA", key(Key.UP, false, false, false, true));
    assertEquals("\033[H", key(Key.HOME, false, false, false, false));
    assertEquals("\033OF", key(Key.END, false, false, false, true));
    assertEquals("\033[1;5C", key(Key.RIGHT, false, false, true, false));
    assertEquals("\033[1;2D", key(Key.LEFT, true, false, false, true));
  }

  @Test
  void functionKeys() {
    assertEquals("\033OP", key(Key.F1, false, false, false, false));
    assertEquals("\033OS", key(Key.F4, false, false, false, false));
    assertEquals("\033[15~", key(Key.F5, false, false, false, false));
    assertEquals("\033[24~", key(Key.F12, false, false, false, false));
    assertEquals("\033[1;5P", key(Key.F1, false, false, true, false));
    assertEquals("\033[15;2~", key(Key.F5, true, false, false, false));
  }
}
