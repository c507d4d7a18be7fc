// SPDX-License-Identifier: MIT
package xos.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import xos.gui.terminal.TerminalView;
import xos.gui.terminal.TerminalViewModel;

/**
 * Key events of a real (headless) window become the bytes an xterm sends: Ctrl-letters from
 * KEY_PRESSED (Monocle types a plain letter for Ctrl-C), cursor and function keys, text.
 */
@ExtendWith(ApplicationExtension.class)
class TerminalKeysFxTest {
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private TerminalView view;

  @Start
  void start(Stage stage) {
    view = new TerminalView();
    view.setId("terminal");
    view.setModel(new TerminalViewModel(80, 24, b -> {
      synchronized (sent) {
        sent.write(b, 0, b.length);
      }
    }, size -> { }));
    stage.setScene(new Scene(new StackPane(view), 700, 420));
    stage.show();
  }

  private String sentText() {
    WaitForAsyncUtils.waitForFxEvents();
    synchronized (sent) {
      String s = sent.toString(StandardCharsets.ISO_8859_1);
      sent.reset();
      return s;
    }
  }

  @Test
  void keysBecomeXtermBytes(FxRobot robot) {
    robot.clickOn("#terminal");
    sentText();
    robot.press(KeyCode.CONTROL).press(KeyCode.C).release(KeyCode.C).release(KeyCode.CONTROL);
    assertEquals("\003", sentText());
    robot.press(KeyCode.CONTROL).press(KeyCode.D).release(KeyCode.D).release(KeyCode.CONTROL);
    assertEquals("\004", sentText());
    robot.type(KeyCode.UP, KeyCode.LEFT, KeyCode.HOME, KeyCode.DELETE, KeyCode.PAGE_DOWN, KeyCode.F1, KeyCode.F12);
    assertEquals("\033[A\033[D\033[H\033[3~\033[6~\033OP\033[24~", sentText());
    robot.type(KeyCode.ENTER, KeyCode.BACK_SPACE, KeyCode.TAB, KeyCode.ESCAPE);
    assertEquals("\r\177\t\033", sentText());
    robot.write("ls -l");
    assertEquals("ls -l", sentText());
  }

  @Test
  void applicationCursorModeChangesArrows(FxRobot robot) {
    robot.interact(() -> view.model().feed("\033[?1h".getBytes(StandardCharsets.US_ASCII)));
    robot.clickOn("#terminal");
    sentText();
    robot.type(KeyCode.DOWN);
    assertEquals("\033OB", sentText());
  }
}
