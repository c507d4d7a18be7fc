// SPDX-License-Identifier: MIT
package xos.gui.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xos.engine.EngineState;
import xos.kernel.Machine;

/** The witness's machine control without a window, on the real engine. */
class DebuggerTest {
  static Path hello() {
    return Path.of(System.getProperty("xos.repo", ".")).resolve("containers/hello-x86_64.elf");
  }

  @Test
  void busyboxShellEchoesACommand() throws Exception {
    assumeTrue(Files.isRegularFile(LaunchSpec.HOST_BUSYBOX), "busybox-static not installed");
    try (Debugger d = Debugger.start(LaunchSpec.busyboxShell(List.of()), false)) {
      d.resume().get(30, TimeUnit.SECONDS);
      StringBuilder out = new StringBuilder();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      d.input("echo hi; echo $((40 + 2))\r".getBytes(StandardCharsets.US_ASCII));
      // The guest's tty turns "\n" into "\r\n" (ONLCR), as Linux's does.
      while (!out.toString().contains("\r\nhi\r\n42\r\n")) {
        out.append(new String(d.output().drain(1 << 20), StandardCharsets.UTF_8));
        assertTrue(System.nanoTime() < end, "no echo; output so far: " + out);
        Thread.sleep(10);
      }
    }
  }

  @Test
  void terminalSizeReachesTheGuest() throws Exception {
    assumeTrue(Files.isRegularFile(LaunchSpec.HOST_BUSYBOX), "busybox-static not installed");
    try (Debugger d = Debugger.start(LaunchSpec.busyboxShell(List.of()), false)) {
      assumeTrue(d.resize(100, 30).get(30, TimeUnit.SECONDS), "engine without xos_set_winsize");
      d.resume().get(30, TimeUnit.SECONDS);
      d.input("stty size\r".getBytes(StandardCharsets.US_ASCII));
      StringBuilder out = new StringBuilder();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!out.toString().contains("\r\n30 100\r\n")) {
        out.append(new String(d.output().drain(1 << 20), StandardCharsets.UTF_8));
        assertTrue(System.nanoTime() < end, "no size; output so far: " + out);
        Thread.sleep(10);
      }
    }
  }

  @Test
  void stepGoesToTheNextInstruction() throws Exception {
    try (Debugger d = Debugger.start(LaunchSpec.program(hello(), List.of(), List.of()), false)) {
      long rip = d.state().registers().rip();
      Machine.Instruction first = d.machine().disassemble(rip, 1).get(0);
      assertTrue(first.length() > 0, "decodable first instruction: " + first);
      EngineState s = d.step().get(30, TimeUnit.SECONDS);
      assertEquals(rip + first.length(), s.registers().rip());
    }
  }

  /** The listing in either syntax, as objdump -M intel / -M att print hello's first instructions. */
  @Test
  void disassemblyInIntelAndAttSyntax() throws Exception {
    try (Debugger d = Debugger.start(LaunchSpec.program(hello(), List.of(), List.of()), false)) {
      long rip = d.state().registers().rip();
      List<Machine.Instruction> intel = d.machine().disassemble(rip, 3);
      assertEquals("mov eax, 0x1", intel.get(0).text().replaceAll("\\s+", " "));
      assertTrue(d.machine().setAttSyntax(true), "engine without xos_disasm_syntax");
      List<Machine.Instruction> att = d.machine().disassemble(rip, 3);
      assertEquals("mov $0x1,%eax", att.get(0).text().replaceAll("\\s+", " "));
      assertTrue(att.get(2).text().startsWith("lea") && att.get(2).text().contains("(%rip)"), att.get(2).text());
      for (int i = 0; i < 3; i++) {
        assertEquals(intel.get(i).length(), att.get(i).length());
      }
      d.machine().setAttSyntax(false);
      assertEquals(intel.get(0).text(), d.machine().disassemble(rip, 1).get(0).text());
    }
  }

  @Test
  void notAnElfIsAnExecFormatError(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("notes.txt");
    Files.writeString(f, "just text\n");
    xos.kernel.ExecFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
        xos.kernel.ExecFormatException.class, () -> Debugger.start(LaunchSpec.program(f, List.of(), List.of()), false));
    assertTrue(e.getMessage().contains("ELF"), e.getMessage());
  }

  /**
   * Steps at least {@code skip} instructions (past _start's call of __libc_start_main, which
   * never returns), then until RIP is at a call instruction.
   */
  private static Machine.Instruction stepToCall(Debugger d, int skip) throws Exception {
    for (int i = 0; i < skip; i++) {
      d.step().get(30, TimeUnit.SECONDS);
    }
    for (int i = 0; i < 5000; i++) {
      long rip = d.state().registers().rip();
      Machine.Instruction in = d.machine().disassemble(rip, 1).get(0);
      if (in.text().startsWith("call")) {
        return in;
      }
      d.step().get(30, TimeUnit.SECONDS);
    }
    throw new AssertionError("no call in the first 5000 instructions");
  }

  @Test
  void stepOverRunsTheWholeCallAndBreakpointsStop() throws Exception {
    assumeTrue(Files.isRegularFile(LaunchSpec.HOST_BUSYBOX), "busybox-static not installed");
    try (Debugger d = Debugger.start(LaunchSpec.busyboxShell(List.of()), true)) {
      Machine.Instruction call = stepToCall(d, 300);
      long before = d.state().icount();
      EngineState s = d.stepOver().get(60, TimeUnit.SECONDS);
      assertEquals(call.address() + call.length(), s.registers().rip(), "after " + call);
      assertTrue(s.icount() - before > 1, "the call's body ran too");
      assertTrue(d.breakpoints().isEmpty(), "the temporary breakpoint is gone");

      Machine.Instruction next = stepToCall(d, 1);
      assertTrue(d.toggleBreakpoint(next.address() + next.length()).get(30, TimeUnit.SECONDS));
      d.resume().get(30, TimeUnit.SECONDS);
      EngineState hit = d.currentRun().get(60, TimeUnit.SECONDS);
      assertEquals(EngineState.Status.STOPPED, hit.status());
      assertEquals(next.address() + next.length(), hit.registers().rip());

      // strace was on from the start: the shell's reads and writes are in the log.
      d.toggleBreakpoint(next.address() + next.length()).get(30, TimeUnit.SECONDS);
      d.resume().get(30, TimeUnit.SECONDS);
      d.input("echo hi\r".getBytes(StandardCharsets.US_ASCII));
      StringBuilder log = new StringBuilder();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!log.toString().contains("write(1")) {
        d.log().drain().forEach(l -> log.append(l).append('\n'));
        assertTrue(System.nanoTime() < end, "no write(1, ...) in the strace log:\n" + log);
        Thread.sleep(10);
      }
    }
  }
}
