// SPDX-License-Identifier: MIT
package xos.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xos.kernel.Kernel;
import xos.kernel.ProcessResult;
import xos.kernel.RunOptions;

/**
 * One program run in xos through the public Java API (Kernel.runX86_64). The
 * only class of the integration tests that touches the API, so an API change
 * is one edit here.
 */
final class Guest {
  private final byte[] elf;
  private String arg0 = "prog";
  private final List<String> args = new ArrayList<>();
  private final List<String> env = new ArrayList<>();
  private byte[] stdin = new byte[0];
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final Map<String, Path> mounts = new LinkedHashMap<>();
  private String cwd;

  private Guest(byte[] elf) {
    this.elf = elf;
  }

  static Guest program(byte[] elf) {
    return new Guest(elf);
  }

  Guest arg0(String a) {
    arg0 = a;
    return this;
  }

  Guest args(List<String> a) {
    args.addAll(a);
    return this;
  }

  Guest env(List<String> e) {
    env.addAll(e);
    return this;
  }

  Guest stdin(byte[] b) {
    stdin = b;
    return this;
  }

  Guest file(String guestPath, byte[] data) {
    files.put(guestPath, data);
    return this;
  }

  Guest mount(String guestPath, Path hostDir) {
    mounts.put(guestPath, hostDir);
    return this;
  }

  Guest cwd(String dir) {
    cwd = dir;
    return this;
  }

  Outcome run() {
    List<String> argv = new ArrayList<>();
    argv.add(arg0);
    argv.addAll(args);
    RunOptions.Builder b = RunOptions.builder().argv(argv).env(env).stdin(stdin);
    files.forEach(b::file);
    mounts.forEach(b::mount);
    if (cwd != null) {
      b.cwd(cwd);
    }
    ProcessResult r = Kernel.create().runX86_64(elf, b.build());
    return new Outcome(r.signal() != 0 ? 0 : r.exitCode(), r.signal(), r.stdout(), r.stderr());
  }
}
