// SPDX-License-Identifier: MIT
package xos.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program natively, the oracle every xos run is compared with. The
 * environment is exactly the given list, in order (through env -i, since a
 * ProcessBuilder environment has no order).
 */
final class NativeRun {
  private NativeRun() {}

  static Outcome run(Path program, List<String> args, List<String> env, byte[] stdin, Path cwd) {
    List<String> cmd = new ArrayList<>();
    cmd.add("/usr/bin/env");
    cmd.add("-i");
    cmd.addAll(env);
    cmd.add(program.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (cwd != null) {
      pb.directory(cwd.toFile());
    }
    try {
      Process p = pb.start();
      CompletableFuture<byte[]> out = drain(p.getInputStream());
      CompletableFuture<byte[]> err = drain(p.getErrorStream());
      try (var in = p.getOutputStream()) {
        in.write(stdin);
      } catch (IOException ignored) {
        // the program may exit without reading its input
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("native run of " + program + " did not finish in 120 s");
      }
      int status = p.exitValue();
      // Java reports death by signal N as 128+N; our programs never exit with > 128.
      int signal = status > 128 ? status - 128 : 0;
      return new Outcome(signal != 0 ? 0 : status, signal, out.join(), err.join());
    } catch (IOException e) {
      return fail("cannot run " + program + " natively: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try {
        in.transferTo(b);
      } catch (IOException ignored) {
        // the process went away; keep what was read
      }
      return b.toByteArray();
    });
  }
}
