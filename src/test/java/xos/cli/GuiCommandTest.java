// SPDX-License-Identifier: MIT
package xos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `xos gui` where no window can open: one line, a non-zero status, no stack trace. */
class GuiCommandTest {
  @Test
  void needsADisplayOrMonocle() {
    assertNotNull(GuiCommand.displayProblem(Map.of(), null));
    assertNotNull(GuiCommand.displayProblem(Map.of("DISPLAY", ""), "gtk"));
    assertNull(GuiCommand.displayProblem(Map.of("DISPLAY", ":0"), null));
    assertNull(GuiCommand.displayProblem(Map.of("WAYLAND_DISPLAY", "wayland-0"), null));
    assertNull(GuiCommand.displayProblem(Map.of(), "Monocle"));
  }

  @Test
  void withoutADisplayItSaysSoInOneLine() {
    // The test JVM has no glass.platform; skip where a display is really there.
    if (GuiCommand.displayProblem(System.getenv(), System.getProperty("glass.platform")) == null) {
      return;
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("gui");
    assertEquals(1, rc);
    String e = err.toString();
    assertTrue(e.startsWith("xos gui: no display"), e);
    assertEquals(1, e.strip().lines().count(), e);
    assertFalse(e.contains("Exception"), e);
  }

  @Test
  void badMountIsAUsageError() {
    StringWriter err = new StringWriter();
    int rc = Main.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
        .execute("gui", "--mount", "nocolon");
    // Without a display the display check answers first; with one, the mount check does.
    assertTrue(rc == 1 || rc == 2, "status " + rc + ": " + err);
  }
}
