// SPDX-License-Identifier: MIT
package xos.it;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * busybox sh (Debian's busybox-static) running pipelines, subshells, traps and
 * background jobs natively and in xos: fork, execve of /proc/self/exe, pipes,
 * wait statuses and signals through a real shell. The guest sees the host's
 * /etc through a read-only mount, so `ls /etc` lists the same names.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ShellTest {
  @TempDir
  Path dir;

  private void same(String script) {
    Path bb = Repo.busybox();
    Outcome nat = NativeRun.run(bb, List.of("sh", "-c", script), List.of(), new byte[0], dir);
    Outcome xos = Guest.program(Repo.read(bb)).arg0("/bin/busybox").args(List.of("sh", "-c", script))
        .file("/bin/busybox", Repo.read(bb)).mount("/etc", Path.of("/etc")).mount("/work", dir).cwd("/work")
        .run();
    Compare.same("busybox sh -c '" + script + "'", nat, xos);
  }

  @Test
  void pipelineIntoFile() {
    same("ls /etc | sort | head -3 > x; cat x");
  }

  @Test
  void longerPipeline() {
    same("seq 1 3000 | grep 7 | sort -r | head -5; seq 1 3000 | grep 7 | wc -l");
  }

  @Test
  void exitStatusesAndSignals() {
    same("(exit 3); echo $?; sh -c 'kill -TERM $$'; echo $?; false | true; echo $?; true | false; echo $?");
  }

  @Test
  void trapAndKill() {
    same("trap 'echo got USR1' USR1; kill -USR1 $$; echo after; trap 'echo bye' EXIT");
  }

  @Test
  void backgroundJobAndWait() {
    same("sleep 0.05 & wait $!; echo waited $?; (exit 7) & wait $!; echo $?");
  }

  @Test
  void commandSubstitutionAndHereDoc() {
    same("x=$(echo one; echo two | tr a-z A-Z); echo \"$x\"; cat <<EOT\nline $((6*7))\nEOT");
  }
}
