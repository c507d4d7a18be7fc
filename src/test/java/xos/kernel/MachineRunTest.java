// SPDX-License-Identifier: MIT
package xos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One machine, several programs one after another (Machine.create): the file tree persists
 * between runs, each result holds its own run's output and status, programs are found
 * through PATH, and host mounts work as in a single run.
 */
class MachineRunTest {
  static byte[] busybox() throws IOException {
    return Files.readAllBytes(Path.of("/bin/busybox"));
  }

  @Test
  void filesPersistBetweenRunsAndOutputIsPerRun() throws IOException {
    try (Machine m = Machine.create()) {
      m.writeFile("/bin/busybox", busybox(), 0755);
      ProcessResult a = m.run("busybox", "sh", "-c", "echo one > /tmp/f; echo made; exit 3");
      assertEquals("made\n", a.stdoutText(), a.stderrText());
      assertEquals(3, a.exitCode());
      ProcessResult b = m.run("/bin/busybox", "cat", "/tmp/f");
      assertEquals("one\n", b.stdoutText(), b.stderrText());
      assertEquals(0, b.exitCode());
      assertTrue(b.pid() > a.pid(), "a new process each run");
      ProcessResult c = m.run(List.of("busybox", "tr", "a-z", "A-Z"), "stdin per run\n".getBytes(StandardCharsets.UTF_8));
      assertEquals("STDIN PER RUN\n", c.stdoutText());
      ExecFormatException e = assertThrows(ExecFormatException.class, () -> m.runShellScript("echo $((6*7))"));
      assertTrue(e.getMessage().contains("/bin/sh"), "no /bin/sh yet: " + e.getMessage());
    }
  }

  @Test
  void shellScriptsAndPipelinesRunInTheSameTree() throws IOException {
    try (Machine m = Machine.create()) {
      m.writeFile("/bin/busybox", busybox(), 0755);
      m.run("busybox", "ln", "-s", "busybox", "/bin/sh");
      ProcessResult r = m.runShellScript("for w in c a b; do echo $w; done | busybox sort > /tmp/s; busybox wc -l < /tmp/s");
      assertEquals("3\n", r.stdoutText(), r.stderrText());
      assertEquals("a\nb\nc\n", m.run("busybox", "cat", "/tmp/s").stdoutText());
    }
  }

  @Test
  void missingProgramsAreExecFormatErrors() throws IOException {
    try (Machine m = Machine.create()) {
      ExecFormatException e = assertThrows(ExecFormatException.class, () -> m.run("nosuchprogram"));
      assertTrue(e.getMessage().contains("command not found"), e.getMessage());
      m.writeFile("/bin/notelf", "just text\n".getBytes(StandardCharsets.UTF_8), 0755);
      e = assertThrows(ExecFormatException.class, () -> m.run("/bin/notelf"));
      assertTrue(e.getMessage().contains("ELF"), e.getMessage());
      // The machine is still usable afterwards.
      m.writeFile("/bin/busybox", busybox(), 0755);
      assertEquals("ok\n", m.run("busybox", "echo", "ok").stdoutText());
    }
  }

  @Test
  void hostMountsAndTarsComeAndGo(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("in.txt"), "from the host\n");
    try (Machine m = Machine.create()) {
      m.writeFile("/bin/busybox", busybox(), 0755);
      m.mountHost("/data", dir, false);
      assertEquals("from the host\n", m.run("busybox", "cat", "/data/in.txt").stdoutText());
      m.run("busybox", "sh", "-c", "echo back > /data/out.txt");
      assertEquals("back\n", Files.readString(dir.resolve("out.txt")));
    }
  }

  @Test
  void pathLookupFollowsTheEnvironment() {
    assertEquals(List.of("/x/ls", "/y/ls"), Machine.candidates("ls", List.of("PATH=/x:/y/")));
    assertEquals(List.of("./ls"), Machine.candidates("./ls", List.of()));
  }

  @Test
  void processListShowsTheShellAndItsChildren() throws Exception {
    byte[] bb = busybox();
    RunOptions o = RunOptions.builder().argv("sh", "-c", "busybox sleep 30 & busybox sleep 30 & read x; kill %1 %2")
        .file("/bin/busybox", bb).realTime(true).build();
    try (Machine m = Kernel.create().start(bb, o, (fd, b, off, len) -> { }, true)) {
      m.runAsync(Long.MAX_VALUE, false);
      List<Machine.Task> tasks = List.of();
      for (int i = 0; i < 200 && tasks.size() < 3; i++) {
        Thread.sleep(50);
        tasks = m.processes();
      }
      assertEquals(3, tasks.size(), tasks.toString());
      Machine.Task sh = tasks.get(0);
      assertEquals(m.pid(), sh.pid());
      for (Machine.Task t : tasks.subList(1, 3)) {
        assertEquals(sh.pid(), t.ppid(), t.toString());
        assertEquals(t.pid(), t.tid(), "single-threaded: the tid is the pid");
        assertEquals('S', t.state(), "sleeping in nanosleep: " + t);
        assertEquals("busybox", t.command());
      }
      m.pushInput("\n".getBytes(StandardCharsets.UTF_8));
      m.closeInput();
      ProcessResult r = m.runToExit();
      assertEquals(0, r.exitCode(), r.stderrText());
    }
  }
}
