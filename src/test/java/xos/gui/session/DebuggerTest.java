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
      while (!out.toString().contains("\nhi\n42\n")) {
        out.append(new String(d.output().drain(1 << 20), StandardCharsets.UTF_8));
        assertTrue(System.nanoTime() < end, "no echo; output so far: " + out);
        Thread.sleep(10);
      }
    }
  }

  @Test
  void stepOverACallStopsAfterIt() throws Exception {
    try (Debugger d = Debugger.start(LaunchSpec.program(hello(), List.of(), List.of()), false)) {
      long rip = d.state().registers().rip();
      Machine.Instruction first = d.machine().disassemble(rip, 1).get(0);
      assertTrue(first.length() > 0, "decodable first instruction: " + first);
      EngineState s = d.step().get(30, TimeUnit.SECONDS);
      assertEquals(rip + first.length(), s.registers().rip());
    }
  }
}
