// SPDX-License-Identifier: MIT
package xos.gui.term;

/**
 * A cell's rendition packed into a long: foreground colour in bits 0-25, background in 26-51,
 * attribute flags from bit 52. A colour is 0 (the default), {@code INDEXED | n} for palette
 * entry n (0-255) or {@code RGB | 0xrrggbb} (SGR 38;2 / 48;2).
 */
public final class Style {
  public static final int INDEXED = 1 << 24;
  public static final int RGB = 1 << 25;
  private static final long COLOUR_MASK = (1L << 26) - 1;

  public static final long BOLD = 1L << 52;
  public static final long UNDERLINE = 1L << 53;
  public static final long REVERSE = 1L << 54;
  public static final long ITALIC = 1L << 55;
  public static final long DIM = 1L << 56;
  public static final long INVISIBLE = 1L << 57;
  public static final long STRIKE = 1L << 58;
  public static final long BLINK = 1L << 59;

  public static final long DEFAULT = 0;

  private Style() {}

  public static int fg(long style) {
    return (int) (style & COLOUR_MASK);
  }

  public static int bg(long style) {
    return (int) ((style >>> 26) & COLOUR_MASK);
  }

  public static long withFg(long style, int colour) {
    return (style & ~COLOUR_MASK) | (colour & COLOUR_MASK);
  }

  public static long withBg(long style, int colour) {
    return (style & ~(COLOUR_MASK << 26)) | ((long) (colour & COLOUR_MASK) << 26);
  }

  public static boolean has(long style, long flag) {
    return (style & flag) != 0;
  }

  /** The xterm palette as 0xrrggbb: 16 ANSI colours, the 6x6x6 cube, 24 greys. */
  public static int paletteRgb(int n, int[] ansi16) {
    if (n < 16) {
      return ansi16[n];
    }
    if (n < 232) {
      int i = n - 16;
      int[] level = {0, 0x5f, 0x87, 0xaf, 0xd7, 0xff};
      return level[i / 36] << 16 | level[(i / 6) % 6] << 8 | level[i % 6];
    }
    int g = 8 + (n - 232) * 10;
    return g << 16 | g << 8 | g;
  }
}
