// SPDX-License-Identifier: MIT
package xos.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program natively, the oracle every xos run is compared with. The
 * environment is exactly the given list, in order (through env -i, since a
 * ProcessBuilder environment has no order); exit and signal come from
 * containers/build/waitstatus.
 */
final class NativeRun {
  private NativeRun() {}

  static Outcome run(Path program, List<String> args, List<String> env, byte[] stdin, Path cwd) {
    Path statusFile;
    try {
      statusFile = Files.createTempFile("xos-native-status", ".txt");
    } catch (IOException e) {
      return fail("cannot create a temporary file: " + e.getMessage());
    }
    List<String> cmd = new ArrayList<>();
    // waitstatus (containers/tools) records "exit N" or "signal N": Java alone reports a
    // death by signal N as 128+N, the same as exit(128+N).
    cmd.add(Repo.program("waitstatus").toString());
    cmd.add(statusFile.toString());
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
      if (p.exitValue() != 0) {
        fail("waitstatus failed for " + program + ": " + new String(err.join(), StandardCharsets.UTF_8));
      }
      String[] st = Files.readString(statusFile).trim().split(" ");
      int n = Integer.parseInt(st[1]);
      boolean killed = st[0].equals("signal");
      return new Outcome(killed ? 0 : n, killed ? n : 0, out.join(), err.join());
    } catch (IOException e) {
      return fail("cannot run " + program + " natively: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    } finally {
      try {
        Files.deleteIfExists(statusFile);
      } catch (IOException ignored) {
        // a temporary file; nothing depends on it
      }
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
