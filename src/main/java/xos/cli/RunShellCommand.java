// SPDX-License-Identifier: MIT
package xos.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xos.kernel.RunOptions;

/**
 * `xos run-shell [--rootfs TAR] [--mount HOST:GUEST[:ro]] [SCRIPT]`: a shell in a sandboxed
 * guest. The root is the unpacked TAR (its /bin/sh), or else a tmpfs holding the host's
 * busybox-static as /bin/busybox and /bin/sh. With SCRIPT the shell runs it (`sh -c`);
 * without, it reads commands from our stdin.
 */
@Command(
    name = "run-shell",
    mixinStandardHelpOptions = true,
    description = "Runs a shell in a sandboxed guest: a rootfs from a tar, or busybox.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "N:the shell's exit status, or 128+N when killed by signal N",
      "1:xos failed (bad --rootfs or --mount, engine fault)",
      "126:the guest's /bin/sh is no x86-64 program xos can start"
    })
final class RunShellCommand implements Callable<Integer> {
  @Option(names = "--rootfs", paramLabel = "TAR", description = "Root file system: a tar, .tar.gz, .tar.xz or .tar.zst.")
  Path rootfs;

  @Option(names = "--mount", paramLabel = "HOST:GUEST[:ro]", description = "Mount a host directory (repeatable).")
  List<String> mounts = new ArrayList<>();

  @Option(names = "--strace", description = "Log every system call to stderr.")
  boolean strace;

  @Option(names = "--cwd", paramLabel = "DIR", description = "The shell's working directory (default /).")
  String cwd = "/";

  @Parameters(index = "0", arity = "0..1", paramLabel = "SCRIPT", description = "Shell commands (sh -c SCRIPT).")
  String script;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "$0, $1... for SCRIPT.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    PrintStream err = System.err;
    RunOptions.Builder b = RunOptions.builder().strace(strace).tty(RunX86_64Command.ttyMask()).cwd(cwd);
    try {
      if (rootfs != null) {
        GuestTree.addRootfs(b, rootfs);
      } else {
        GuestTree.addBusyboxRoot(b);
      }
      GuestTree.addMounts(b, mounts);
    } catch (IllegalArgumentException | IOException e) {
      err.println("xos: " + e.getMessage());
      return 1;
    }
    List<String> argv = new ArrayList<>();
    argv.add("sh");
    if (script != null) {
      argv.add("-c");
      argv.add(script);
      argv.addAll(args);
    } else if (b.build().ttyMask() != 0) {
      argv.add("-i");
    }
    b.argv(argv);
    b.env(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
        "TERM=" + System.getenv().getOrDefault("TERM", "xterm"), "USER=root", "LOGNAME=root", "SHELL=/bin/sh"));
    RunOptions options = b.realTime(true).build();
    return RunX86_64Command.runInTerminal(options, "/bin/sh",
        (kernel, sink) -> kernel.start("/bin/sh", options, sink, true));
  }
}
