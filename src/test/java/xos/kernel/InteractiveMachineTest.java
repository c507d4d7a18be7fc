// SPDX-License-Identifier: MIT
package xos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xos.engine.EngineState;

/**
 * Input pushed through the engine thread's queue: a guest waiting on stdin costs nothing, wakes
 * on input and ends at end of input. Uses Debian's busybox-static (scripts/setup.sh installs it).
 */
class InteractiveMachineTest {
  private static byte[] busybox() throws Exception {
    Path p = Path.of("/bin/busybox");
    assertTrue(Files.isRegularFile(p), "busybox-static is installed by scripts/setup.sh");
    return Files.readAllBytes(p);
  }

  private static void waitFor(Machine m, EngineState.Status want) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (m.state().status() != want) {
      assertTrue(System.nanoTime() < end, "state " + m.state().status() + ", waiting for " + want);
      Thread.sleep(5);
    }
  }

  @Test
  void catEchoesPushedInputAndEndsAtEof() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunOptions o = RunOptions.builder().argv("cat").build();
    try (Machine m =
        Kernel.create()
            .start(busybox(), o, (fd, b, off, len) -> {
              synchronized (out) {
                out.write(b, off, len);
              }
            }, true)) {
      CompletableFuture<EngineState> run = m.runAsync(Long.MAX_VALUE, false);
      waitFor(m, EngineState.Status.IDLE);
      m.pushInput("abc\n".getBytes(StandardCharsets.UTF_8));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        synchronized (out) {
          if (out.toString(StandardCharsets.UTF_8).equals("abc\n")) {
            break;
          }
        }
        assertTrue(System.nanoTime() < end, "no echo of pushed input");
        Thread.sleep(5);
      }
      waitFor(m, EngineState.Status.IDLE);
      assertTrue(!run.isDone(), "the run waits for more input");
      m.closeInput();
      EngineState s = run.get(30, TimeUnit.SECONDS);
      assertEquals(EngineState.Status.EXITED, s.status());
      assertEquals(0, s.exitCode());
    }
  }

  @Test
  void pauseStopsAWaitingRun() throws Exception {
    try (Machine m = Kernel.create().start(busybox(), RunOptions.builder().argv("cat").build(), (fd, b, off, len) -> {}, true)) {
      CompletableFuture<EngineState> run = m.runAsync(Long.MAX_VALUE, false);
      waitFor(m, EngineState.Status.IDLE);
      m.pause();
      assertEquals(EngineState.Status.PAUSED, run.get(30, TimeUnit.SECONDS).status());
      m.closeInput();
      ProcessResult r = m.runToExit();
      assertEquals(0, r.exitCode());
    }
  }
}
