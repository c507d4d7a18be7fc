// SPDX-License-Identifier: MIT
package xos.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import xos.engine.EngineState;
import xos.engine.RegisterFile;

/** The seed's "byte-exact snapshot/restore": both continuations give identical everything. */
class MachineSnapshotTest {
  private static RunOptions options() {
    return RunOptions.builder().argv("hello").seed(7).build();
  }

  @Test
  void snapshotMidRunThenRestoreGivesTheSameFuture() {
    try (Machine m = Kernel.create().start(Programs.hello(), options())) {
      RegisterFile start = m.registers();
      m.step();
      m.step();
      m.step();
      RegisterFile atSnapshot = m.registers();
      assertNotEquals(start.rip(), atSnapshot.rip(), "stepping moves rip");
      assertEquals(3, m.icount());
      Snapshot s = m.snapshot();
      assertEquals(3, s.icount());

      ProcessResult first = m.runToExit();
      RegisterFile firstRegs = m.registers();
      byte[] firstMemory = m.linearMemory();
      assertEquals("hi\n", first.stdoutText());
      assertEquals(42, first.exitCode());

      EngineState restored = m.restore(s);
      assertEquals(3, restored.icount());
      assertEquals(atSnapshot, m.registers());
      assertEquals(0, m.stdout().length, "output is back to what it was at the snapshot");

      ProcessResult second = m.runToExit();
      assertEquals(first, second);
      assertEquals(firstRegs, m.registers());
      assertArrayEquals(firstMemory, m.linearMemory());
    }
  }

  @Test
  void restoreMakesMemoryByteExact() {
    try (Machine m = Kernel.create().start(Programs.hello(), options())) {
      Snapshot s = m.snapshot();
      byte[] before = m.linearMemory();
      m.runToExit();
      m.restore(s);
      assertArrayEquals(before, m.linearMemory());
      assertEquals(s.engine(), m.snapshot().engine(), "a second snapshot equals the first");
    }
  }

  @Test
  void pausedRunsCanBeContinued() {
    try (Machine m = Kernel.create().start(Programs.hello(), options())) {
      EngineState s = m.run(2);
      assertEquals(EngineState.Status.BUDGET, s.status());
      assertEquals(2, s.icount());
      assertTrue(m.readMemory(m.registers().rip(), 4).length > 0, "code is readable at rip");
      ProcessResult r = m.runToExit();
      assertEquals("hi\n", r.stdoutText());
    }
  }

  @Test
  void aClosedMachineFailsInsteadOfHanging() {
    Machine m = Kernel.create().start(Programs.hello(), options());
    m.close();
    org.junit.jupiter.api.Assertions.assertThrows(xos.engine.EngineException.class, m::registers);
  }

  @Test
  void busyboxShellRestoredMidRunRepeatsItselfExactly() throws Exception {
    byte[] busybox = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/bin/busybox"));
    String script = "i=0; while [ $i -lt 300 ]; do i=$((i+1)); done; echo $i; echo $RANDOM; echo done";
    RunOptions o = RunOptions.builder().argv("sh", "-c", script).seed(42).build();
    try (Machine m = Kernel.create().start(busybox, o)) {
      EngineState mid = m.run(200_000);
      assertEquals(EngineState.Status.BUDGET, mid.status(), "still running at the snapshot");
      Snapshot s = m.snapshot();
      ProcessResult first = m.runToExit();
      assertTrue(first.stdoutText().startsWith("300\n"), first.stdoutText());
      assertTrue(first.stdoutText().endsWith("done\n"), first.stdoutText());
      RegisterFile firstRegs = m.registers();
      byte[] firstMemory = m.linearMemory();

      m.restore(s);
      ProcessResult second = m.runToExit();
      assertEquals(first.stdoutText(), second.stdoutText(), "same $RANDOM too");
      assertEquals(first, second);
      assertEquals(firstRegs, m.registers());
      assertArrayEquals(firstMemory, m.linearMemory());
    }
  }
}
