// SPDX-License-Identifier: MIT
package xos.gui;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import xos.gui.session.Debugger;
import xos.gui.session.LaunchSpec;
import xos.gui.terminal.TerminalView;

/** Typing into the terminal reaches busybox sh; its output comes back onto the screen. */
@ExtendWith(ApplicationExtension.class)
class TerminalFxTest {
  private Workbench workbench;

  @Start
  void start(Stage stage) throws Exception {
    if (!Files.isRegularFile(LaunchSpec.HOST_BUSYBOX)) {
      return;
    }
    Debugger d = Debugger.start(LaunchSpec.busyboxShell(List.of()), false);
    workbench = Workbench.open(stage, d, new RecordingDialogs(stage));
    stage.show();
    workbench.model().resume();
  }

  @AfterEach
  void close() {
    if (workbench != null) {
      workbench.close();
    }
  }

  @Test
  void echoHiShowsHi(FxRobot robot) {
    assumeTrue(workbench != null, "/bin/busybox (busybox-static) is not installed");
    TerminalView t = robot.lookup("#terminal").queryAs(TerminalView.class);
    Wait.until("the shell's prompt", () -> t.model().screen().text().contains("#"), () -> t.model().screen().text());
    robot.clickOn(t);
    robot.write("echo hi");
    robot.type(KeyCode.ENTER);
    Wait.until("a line that is just hi", () -> t.model().screen().text().lines().anyMatch("hi"::equals),
        () -> "\n" + t.model().screen().text());
  }

  /**
   * A guest writing as fast as it can leaves the FX thread free: while `yes` floods the
   * terminal, events still get through (a liveness check with a generous bound, not a timing).
   */
  @Test
  void floodingGuestDoesNotFreezeTheWindow(FxRobot robot) throws Exception {
    assumeTrue(workbench != null, "/bin/busybox (busybox-static) is not installed");
    TerminalView t = robot.lookup("#terminal").queryAs(TerminalView.class);
    Wait.until("the shell's prompt", () -> t.model().screen().text().contains("#"));
    robot.interact(() -> t.model().type("yes flood | head -n 50000; echo flood-over\r", false));
    Wait.until("the flood", () -> t.model().screen().text().contains("flood\nflood"));
    int answered = 0;
    do {
      org.testfx.util.WaitForAsyncUtils.asyncFx(() -> true).get(10, java.util.concurrent.TimeUnit.SECONDS);
      answered++;
    } while (!t.model().screen().text().contains("flood-over") && answered < 10_000);
    Wait.until("the end of the flood", () -> t.model().screen().text().contains("flood-over"),
        () -> "\n" + t.model().screen().text());
    assertTrue(answered > 0, "the FX thread answered while the guest wrote");
    assertTrue(t.model().screen().scrollbackSize() <= xos.gui.terminal.TerminalViewModel.SCROLLBACK);
  }
}
