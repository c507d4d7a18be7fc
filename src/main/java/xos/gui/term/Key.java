// SPDX-License-Identifier: MIT
package xos.gui.term;

/** The non-text keys a terminal encodes, independent of any toolkit's key codes. */
public enum Key {
  ENTER, BACKSPACE, TAB, ESCAPE, UP, DOWN, RIGHT, LEFT, HOME, END, PAGE_UP, PAGE_DOWN, INSERT, DELETE,
  F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12
}
