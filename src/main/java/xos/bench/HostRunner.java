// SPDX-License-Identifier: MIT
package xos.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a workload as a host process: natively (the program itself) or under an
 * emulator command such as {@code qemu-x86_64}. stdout is read fully (not
 * discarded) so its bytes can be compared with the xos run.
 */
final class HostRunner implements Runner {
  private final String name;
  private final List<String> prefix;

  private HostRunner(String name, List<String> prefix) {
    this.name = name;
    this.prefix = prefix;
  }

  static HostRunner nativeRunner() {
    return new HostRunner("native", List.of());
  }

  static HostRunner emulator(String name, String command) {
    return new HostRunner(name, List.of(command));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Measurement run(Workload w, Path dataDir) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    if (!prefix.isEmpty()) {
      // qemu-x86_64 -0 ARGV0 PROGRAM ARGS: the guest sees the same argv[0].
      cmd.add("-0");
      cmd.add(w.argv().get(0));
    }
    cmd.add(w.program().toString());
    cmd.addAll(w.argv().subList(1, w.argv().size()));
    byte[] out = null;
    int exit = 0;
    long start = System.nanoTime();
    for (int i = 0; i < w.runs(); i++) {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dataDir.toFile());
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      out = readAll(p.getInputStream());
      exit = p.waitFor();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    return new Measurement(secs, out, exit, -1);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    in.transferTo(bo);
    return bo.toByteArray();
  }
}
