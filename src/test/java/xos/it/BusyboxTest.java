// SPDX-License-Identifier: MIT
package xos.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's busybox-static (a static glibc build nobody here wrote) run natively
 * and in xos. FILE is a generated text file, given to the guest both as a file
 * in its tmpfs and through a host mount.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BusyboxTest {
  @TempDir
  static Path dir;
  static byte[] file;

  @BeforeAll
  static void makeFile() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      s.append("line ").append(i).append(' ').append(Integer.toHexString(i * 40503))
          .append(i % 7 == 0 ? "\n\n" : "\n");
    }
    file = s.toString().getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("file.txt"), file);
  }

  private static void same(List<String> args) {
    Path bb = Repo.busybox();
    Outcome nat = NativeRun.run(bb, args, List.of(), new byte[0], dir);
    Outcome inTmpfs = Guest.program(Repo.read(bb)).arg0("busybox").args(args)
        .file("/file.txt", file).cwd("/").run();
    Compare.same("busybox " + args + " (tmpfs)", nat, inTmpfs);
    Outcome inMount = Guest.program(Repo.read(bb)).arg0("busybox").args(args)
        .mount("/data", dir).cwd("/data").run();
    Compare.same("busybox " + args + " (host mount)", nat, inMount);
  }

  @Test
  void echo() {
    same(List.of("echo", "hello", "from", "busybox"));
  }

  @Test
  void unameMachine() {
    same(List.of("uname", "-m"));
  }

  @Test
  void expr() {
    same(List.of("expr", "6", "*", "7"));
  }

  @Test
  void wcLines() {
    same(List.of("wc", "-l", "file.txt"));
  }

  @Test
  void sha256sum() {
    same(List.of("sha256sum", "file.txt"));
  }
}
