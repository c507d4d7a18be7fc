// SPDX-License-Identifier: MIT
package xos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelTest {
  @Test
  void helloWritesHiAndExits42() {
    ProcessResult r = Kernel.create().runX86_64(Programs.hello(), RunOptions.defaults());
    assertEquals("hi\n", r.stdoutText());
    assertEquals("", r.stderrText());
    assertEquals(42, r.exitCode());
    assertEquals(0, r.signal());
    assertTrue(r.pid() > 0);
  }

  @Test
  void defaultsAreSmallAndFixed() {
    RunOptions o = RunOptions.defaults();
    assertEquals(List.of("program"), o.argv());
    assertEquals(List.of("PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/", "TERM=xterm"), o.env());
    assertEquals("/", o.cwd());
    assertEquals(0, o.instructionLimit());
    assertTrue(o.mounts().isEmpty(), "sandboxed: nothing of the host");
  }

  @Test
  void notAnElfIsAnExecFormatError() {
    ExecFormatException e =
        assertThrows(
            ExecFormatException.class,
            () -> Kernel.create().runX86_64("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8), RunOptions.defaults()));
    assertFalse(e.getMessage().isBlank());
    assertTrue(e.errno() < 0);
  }

  @Test
  void i386IsRefusedByName() {
    ExecFormatException e =
        assertThrows(
            ExecFormatException.class, () -> Kernel.create().runX86_64(Programs.i386Header(), RunOptions.defaults()));
    assertTrue(e.getMessage().contains("i386"), e.getMessage());
  }

  @Test
  void truncatedElfIsAnExecFormatError() {
    byte[] cut = Arrays.copyOf(Programs.hello(), 40);
    ExecFormatException e =
        assertThrows(ExecFormatException.class, () -> Kernel.create().runX86_64(cut, RunOptions.defaults()));
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void emptyFileIsAnExecFormatError() {
    assertThrows(ExecFormatException.class, () -> Kernel.create().runX86_64(new byte[0], RunOptions.defaults()));
  }

  @Test
  void instructionLimitKillsTheGuest() {
    ProcessResult r =
        Kernel.create().runX86_64(Programs.hello(), RunOptions.builder().instructionLimit(2).build());
    assertEquals(9, r.signal());
    assertEquals(0, r.exitCode());
    assertEquals("", r.stdoutText(), "killed before its write");
  }

  @Test
  void shellStatusMapsSignalsTo128PlusN() {
    byte[] none = new byte[0];
    assertEquals(42, ProcessResult.fromWaitStatus(1, 42 << 8, none, none).shellStatus());
    assertEquals(0, ProcessResult.fromWaitStatus(1, 0, none, none).shellStatus());
    ProcessResult segv = ProcessResult.fromWaitStatus(1, 11 | 0x80, none, none);
    assertEquals(11, segv.signal());
    assertEquals(0, segv.exitCode());
    assertEquals(139, segv.shellStatus());
    assertEquals(137, ProcessResult.fromWaitStatus(1, 9, none, none).shellStatus());
  }
}
