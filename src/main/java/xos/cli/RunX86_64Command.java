// SPDX-License-Identifier: MIT
package xos.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import xos.engine.ConsoleSink;
import xos.kernel.ExecFormatException;
import xos.kernel.Kernel;
import xos.kernel.Machine;
import xos.kernel.ProcessResult;
import xos.kernel.RunOptions;
import xos.kernel.XosException;

/**
 * `xos run-x86_64 PROGRAM [ARGS...]`, like qemu-x86_64: the guest sees the host's file system
 * (or --root DIR), inherits the environment and working directory, and its stdin, stdout and
 * stderr are ours. The exit status is the guest's, or 128 + N when signal N killed it.
 */
@Command(
    name = "run-x86_64",
    mixinStandardHelpOptions = true,
    description = "Runs a static x86-64 Linux program, like qemu-x86_64.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "N:the guest's exit status, or 128+N when killed by signal N",
      "1:xos failed (engine fault, bad --root)",
      "126:PROGRAM is not an x86-64 ELF program xos can start",
      "127:PROGRAM does not exist or cannot be read"
    })
final class RunX86_64Command implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--strace", description = "Log every system call to stderr.")
  boolean strace;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "The guest's / is DIR instead of the host's /.")
  Path root;

  @Option(
      names = "--rootfs",
      paramLabel = "TAR",
      description = "The guest's / is a tmpfs unpacked from TAR (.tar, .tar.gz, .tar.xz, .tar.zst); "
          + "PROGRAM is then a path in it.")
  Path rootfs;

  @Option(names = "--mount", paramLabel = "HOST:GUEST[:ro]", description = "Mount a host directory (repeatable).")
  List<String> mounts = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "PROGRAM", description = "The x86-64 ELF file to run.")
  String program;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the program.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    PrintStream err = System.err;
    if (rootfs != null && root != null) {
      err.println("xos: --root and --rootfs exclude each other");
      return 1;
    }
    byte[] elf = null;
    if (rootfs == null) {
      try {
        elf = Files.readAllBytes(Path.of(program));
      } catch (NoSuchFileException e) {
        err.println("xos: " + program + ": No such file or directory");
        return 127;
      } catch (AccessDeniedException e) {
        err.println("xos: " + program + ": Permission denied");
        return 127;
      } catch (IOException | RuntimeException e) {
        err.println("xos: " + program + ": " + (Files.isDirectory(Path.of(program)) ? "Is a directory" : e.getMessage()));
        return 127;
      }
    }
    RunOptions.Builder b = RunOptions.builder().strace(strace).tty(ttyMask());
    List<String> argv = new ArrayList<>();
    argv.add(program);
    argv.addAll(args);
    b.argv(argv);
    List<String> env = new ArrayList<>();
    for (Map.Entry<String, String> e : System.getenv().entrySet()) {
      env.add(e.getKey() + "=" + e.getValue());
    }
    env.sort(null);
    b.env(env);
    try {
      if (rootfs != null) {
        GuestTree.addRootfs(b, rootfs);
        b.cwd("/");
      }
      GuestTree.addMounts(b, mounts);
    } catch (IllegalArgumentException e) {
      err.println("xos: " + e.getMessage());
      return 1;
    }
    if (rootfs != null) {
      // the tar is the whole tree
    } else if (root != null) {
      if (!Files.isDirectory(root)) {
        err.println("xos: --root " + root + ": not a directory");
        return 1;
      }
      b.mount("/", root);
      b.cwd("/");
    } else {
      b.mount("/", Path.of("/"));
      b.cwd(Path.of("").toAbsolutePath().toString());
    }
    RunOptions options = b.realTime(true).build();
    byte[] program0 = elf;
    return runInTerminal(options, program,
        (kernel, sink) -> program0 != null ? kernel.start(program0, options, sink, true)
            : kernel.start(program, options, sink, true));
  }

  /** How a command starts its machine, given the kernel and the console sink. */
  interface Starter {
    Machine start(Kernel kernel, ConsoleSink sink);
  }

  /**
   * Runs a machine in the user's terminal to its end: guest output to our stdout and stderr, our
   * stdin to the guest, the host terminal raw and its window size followed while it runs. Returns
   * the shell's exit status (126 when the program cannot start, 1 when xos fails).
   */
  static int runInTerminal(RunOptions options, String what, Starter starter) {
    PrintStream err = System.err;
    Kernel kernel = Kernel.create(line -> err.println(line));
    ConsoleSink sink =
        (fd, bytes, off, len) -> {
          PrintStream s = fd == 2 ? System.err : System.out;
          s.write(bytes, off, len);
          s.flush();
        };
    try (HostTerminal term = HostTerminal.rawIfTty(options.ttyMask());
        Machine m = starter.start(kernel, sink)) {
      term.followWindowSize(m);
      Thread pump = stdinPump(m, System.in);
      ProcessResult r = m.runToExit();
      pump.interrupt();
      System.out.flush();
      return r.shellStatus();
    } catch (ExecFormatException e) {
      err.println("xos: " + what + ": " + e.getMessage());
      return 126;
    } catch (XosException e) {
      err.println("xos: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Reads our stdin on its own daemon thread and pushes it to the engine's queue, so the engine
   * thread never blocks on the host's stdin.
   */
  static Thread stdinPump(Machine m, InputStream in) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try {
                int n;
                while ((n = in.read(buf)) > 0) {
                  m.pushInput(java.util.Arrays.copyOf(buf, n));
                }
              } catch (IOException e) {
                // stdin unreadable: the guest sees end of file
              }
              m.closeInput();
            },
            "xos-stdin");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Which of our fds 0-2 are terminals, read from /proc/self/fd (bit 0 stdin, 1, 2). */
  static int ttyMask() {
    int mask = 0;
    for (int fd = 0; fd < 3; fd++) {
      try {
        String t = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        if (t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console")) {
          mask |= 1 << fd;
        }
      } catch (IOException | UnsupportedOperationException e) {
        // no /proc: the guest sees pipes
      }
    }
    return mask;
  }

  /** The shell's view of a result (tests). */
  static int exitStatus(ProcessResult r) {
    return r.shellStatus();
  }
}
