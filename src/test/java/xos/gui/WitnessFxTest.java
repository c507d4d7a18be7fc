// SPDX-License-Identifier: MIT
package xos.gui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import xos.engine.EngineState;
import xos.engine.RegisterFile;
import xos.gui.registers.RegistersViewModel;
import xos.gui.session.Debugger;
import xos.gui.session.LaunchSpec;
import xos.gui.session.SnapshotFile;
import xos.kernel.Machine;

/**
 * The witness on containers/hello-x86_64.elf (started stopped at its entry): stepping, the hex
 * view, snapshots restored byte for byte, .xsnap files and a corrupt one. Drives the real window
 * through TestFX on Monocle's headless glass.
 */
@ExtendWith(ApplicationExtension.class)
class WitnessFxTest {
  private Workbench workbench;
  private RecordingDialogs dialogs;
  private Debugger debugger;
  @TempDir Path tmp;

  @Start
  void start(Stage stage) throws Exception {
    Path hello = Path.of(System.getProperty("xos.repo", ".")).resolve("containers/hello-x86_64.elf");
    debugger = Debugger.start(LaunchSpec.program(hello, List.of(), List.of()), false);
    dialogs = new RecordingDialogs(stage);
    workbench = Workbench.open(stage, debugger, dialogs);
    stage.show();
  }

  @AfterEach
  void close() {
    workbench.close();
  }

  private Machine machine() {
    return debugger.machine();
  }

  private WitnessViewModel vm() {
    return workbench.model();
  }

  @SuppressWarnings("unchecked")
  private String tableValue(FxRobot robot, String register) {
    TableView<RegistersViewModel.Row> t = robot.lookup("#registerTable").queryAs(TableView.class);
    for (RegistersViewModel.Row r : t.getItems()) {
      if (r.name().equals(register)) {
        return r.value();
      }
    }
    return null;
  }

  private static String hex(long v) {
    return String.format("%016x", v);
  }

  @Test
  void stepMovesRipToTheNextInstruction(FxRobot robot) {
    long rip = debugger.state().registers().rip();
    Machine.Instruction first = machine().disassemble(rip, 1).get(0);
    assertTrue(first.length() > 0, "decodable: " + first);
    Wait.until("the table shows the entry point", () -> hex(rip).equals(tableValue(robot, "rip")));
    robot.clickOn("#stepButton");
    long next = rip + first.length();
    Wait.until("rip at the next instruction " + hex(next), () -> hex(next).equals(tableValue(robot, "rip")),
        () -> "rip shown: " + tableValue(robot, "rip"));
    assertEquals(next, machine().registers().rip());
  }

  @Test
  void hexViewShowsTheBytesAtRsp(FxRobot robot) {
    long rsp = machine().registers().rsp();
    byte[] expect = machine().readMemory(rsp & ~15L, 16);
    assertEquals(16, expect.length);
    robot.clickOn("#gotoField").eraseText(40).write("rsp").type(KeyCode.ENTER);
    StringBuilder want = new StringBuilder(String.format("%012x ", rsp & ~15L));
    for (int i = 0; i < 16; i++) {
      want.append(i == 8 ? "  " : " ").append(String.format("%02x", expect[i] & 0xff));
    }
    Wait.until("row 0 of the hex view at rsp", () -> vm().memory().rowText(0).startsWith(want.toString()),
        () -> "\nwant " + want + "\n got " + vm().memory().rowText(0));
    assertEquals(rsp & ~15L, vm().memory().topAddress());
  }

  @Test
  void typedHexDigitsChangeGuestMemoryWhilePaused(FxRobot robot) {
    long rsp = machine().registers().rsp();
    robot.clickOn("#gotoField").eraseText(40).write("rsp").type(KeyCode.ENTER);
    Wait.until("rsp selected", () -> vm().memory().selected() == rsp);
    xos.gui.memory.HexView hex = robot.lookup("#hexView").queryAs(xos.gui.memory.HexView.class);
    robot.interact(hex::requestFocus);
    robot.write("ab");
    Wait.until("the byte at rsp is ab", () -> (machine().readMemory(rsp, 1)[0] & 0xff) == 0xab);
    Wait.until("the view shows it", () -> vm().memory().byteAt(rsp) == 0xab);
    assertEquals(rsp + 1, vm().memory().selected(), "the selection moves on");
  }

  @Test
  void gutterClickSetsABreakpointThatStopsTheRun(FxRobot robot) {
    Wait.until("a listing", () -> vm().disassembly().lines().size() > 3);
    var third = vm().disassembly().lines().get(2);
    javafx.scene.Node gutter = robot.lookup(".code-list .gutter").nth(2).query();
    robot.clickOn(gutter);
    Wait.until("the breakpoint", () -> debugger.breakpoints().contains(third.address()));
    Wait.until("the gutter mark", () -> vm().disassembly().lines().get(2).breakpoint());
    robot.clickOn("#continueButton");
    waitForStatus(EngineState.Status.STOPPED);
    assertEquals(third.address(), machine().registers().rip());
    Wait.until("the table shows it", () -> hex(third.address()).equals(tableValue(robot, "rip")));
  }

  @Test
  void syntaxCheckboxSwitchesTheListingBetweenIntelAndAtt(FxRobot robot) {
    Wait.until("a listing", () -> vm().disassembly().lines().size() > 3);
    Wait.until("Intel text at the entry", () -> firstLine().equals("mov eax, 0x1"), this::firstLine);
    robot.clickOn("#attToggle");
    Wait.until("AT&T text at the entry", () -> firstLine().equals("mov $0x1,%eax"), this::firstLine);
    robot.clickOn("#stepButton"); // stepping keeps the chosen syntax
    Wait.until("AT&T after a step", () -> vm().disassembly().currentIndex() == 1
        && vm().disassembly().lines().get(0).text().contains("%eax"), this::firstLine);
    robot.clickOn("#attToggle");
    Wait.until("Intel again", () -> firstLine().equals("mov eax, 0x1"), this::firstLine);
  }

  private String firstLine() {
    var lines = vm().disassembly().lines();
    return lines.isEmpty() ? "" : lines.get(0).text().replaceAll("\\s+", " ").strip();
  }

  private void waitForStatus(EngineState.Status s) {
    Wait.until("status " + s, () -> debugger.state().status() == s && !debugger.running(),
        () -> "status " + debugger.state().status());
  }

  @Test
  void restoreBringsRegistersAndMemoryBackByteForByte(FxRobot robot) {
    robot.clickOn("#stepButton");
    Wait.until("a step", () -> debugger.state().icount() > 0);
    RegisterFile regs = machine().registers();
    byte[] memory = machine().linearMemory();
    robot.clickOn("#snapshotButton");
    Wait.until("a snapshot in the timeline", () -> vm().snapshots().entries().size() == 1);

    robot.clickOn("#continueButton");
    waitForStatus(EngineState.Status.EXITED);
    Wait.until("hi on the terminal", () -> vm().terminal().screen().text().contains("hi"));
    String screenAfterRun = vm().terminal().screen().text();
    assertTrue(!regs.equals(machine().registers()), "the run changed the registers");

    robot.clickOn("Snapshots");
    robot.clickOn("#restoreButton");
    Wait.until("restored", () -> debugger.state().status() == EngineState.Status.READY
        && !vm().terminal().screen().text().contains("hi"));
    assertEquals(regs, machine().registers());
    assertArrayEquals(memory, machine().linearMemory());

    // Continuing from the restored state prints what the first run printed.
    robot.clickOn("#continueButton");
    waitForStatus(EngineState.Status.EXITED);
    Wait.until("the same screen as the first run", () -> vm().terminal().screen().text().equals(screenAfterRun),
        () -> "\n" + vm().terminal().screen().text());
  }

  @Test
  void savedSnapshotLoadsBackIdentical(FxRobot robot) throws Exception {
    robot.clickOn("#stepButton");
    robot.clickOn("#snapshotButton");
    Wait.until("a snapshot", () -> vm().snapshots().entries().size() == 1);
    SnapshotFile.Entry taken = vm().snapshots().entries().get(0);
    Path file = tmp.resolve("one.xsnap");
    dialogs.nextSave = file;
    dialogs.nextLoad = file;
    robot.clickOn("Snapshots");
    robot.clickOn("#saveButton");
    Wait.until("the file and a full progress bar",
        () -> Files.isRegularFile(file) && vm().snapshots().progressProperty().get() == 1.0);
    robot.clickOn("#loadButton");
    Wait.until("the loaded entry", () -> vm().snapshots().entries().size() == 2);
    SnapshotFile.Entry loaded = vm().snapshots().entries().get(1);
    assertEquals(taken.snapshot().engine(), loaded.snapshot().engine());
    assertEquals(taken.registers(), loaded.registers());
    assertEquals(taken.snapshot().icount(), loaded.snapshot().icount());
    assertTrue(dialogs.errors().isEmpty(), dialogs.errors().toString());
  }

  @Test
  void corruptSnapshotFileGivesAnErrorDialogAndChangesNothing(FxRobot robot) throws Exception {
    robot.clickOn("#snapshotButton");
    Wait.until("a snapshot", () -> vm().snapshots().entries().size() == 1);
    Path good = tmp.resolve("good.xsnap");
    SnapshotFile.save(good, vm().snapshots().entries().get(0), p -> { });
    byte[] bytes = Files.readAllBytes(good);
    bytes[bytes.length / 2] ^= 0x5a; // inside the compressed payload
    Path bad = tmp.resolve("bad.xsnap");
    Files.write(bad, bytes);
    RegisterFile regs = machine().registers();
    byte[] memory = machine().linearMemory();

    dialogs.nextLoad = bad;
    robot.clickOn("Snapshots");
    robot.clickOn("#loadButton");
    Wait.until("an error dialog", () -> robot.lookup(".dialog-pane").tryQuery().isPresent(),
        () -> dialogs.errors().toString());
    String text = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class).getContentText();
    assertTrue(text.contains("corrupt"), text);
    assertEquals(1, vm().snapshots().entries().size());
    assertEquals(regs, machine().registers());
    assertArrayEquals(memory, machine().linearMemory());
  }
}
