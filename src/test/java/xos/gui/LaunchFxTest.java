// SPDX-License-Identifier: MIT
package xos.gui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.DialogPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import xos.gui.session.Debugger;

/** Opening something that is no x86-64 program shows the engine's message in a dialog. */
@ExtendWith(ApplicationExtension.class)
class LaunchFxTest {
  private RecordingDialogs dialogs;
  @TempDir Path tmp;

  @Start
  void start(Stage stage) {
    stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.StackPane(), 300, 200));
    dialogs = new RecordingDialogs(stage);
    stage.show();
  }

  private String open(FxRobot robot, Path file) throws Exception {
    Optional<Debugger> d = WaitForAsyncUtils.asyncFx(
        () -> XosApp.debugger(new GuiRequest(file, List.of(), List.of(), false), dialogs)).get();
    assertTrue(d.isEmpty(), "no machine for " + file);
    Wait.until("an error dialog", () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
    DialogPane pane = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
    String text = pane.getHeaderText() + ": " + pane.getContentText();
    robot.interact(() -> pane.getScene().getWindow().hide());
    return text;
  }

  @Test
  void textFileIsNotAnElf(FxRobot robot) throws Exception {
    Path f = tmp.resolve("notes.txt");
    Files.writeString(f, "not a program\n");
    String text = open(robot, f);
    assertTrue(text.contains("Cannot run") && text.contains("ELF"), text);
  }

  @Test
  void i386ProgramIsRefusedByName(FxRobot robot) throws Exception {
    // An ELF32 header for EM_386 (System V ABI, i386 supplement): enough for the engine to say what it is.
    ByteBuffer b = ByteBuffer.allocate(52).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0});
    b.position(16);
    b.putShort((short) 2).putShort((short) 3).putInt(1).putInt(0x8048000).putInt(52).putInt(0).putInt(0)
        .putShort((short) 52).putShort((short) 32).putShort((short) 0).putShort((short) 40)
        .putShort((short) 0).putShort((short) 0);
    Path f = tmp.resolve("i386.elf");
    Files.write(f, b.array());
    String text = open(robot, f);
    assertTrue(text.contains("i386"), text);
  }

  @Test
  void missingFileSaysSo(FxRobot robot) throws Exception {
    String text = open(robot, tmp.resolve("nothing-here"));
    assertTrue(text.contains("no such file"), text);
  }
}
