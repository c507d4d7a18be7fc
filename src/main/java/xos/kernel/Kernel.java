// SPDX-License-Identifier: MIT
package xos.kernel;

import java.util.List;
import java.util.function.Consumer;
import xos.engine.ConsoleSink;

/**
 * The entry point of the Java API: runs x86-64 Linux programs in xos.
 *
 * <pre>{@code
 * ProcessResult r = Kernel.create().runX86_64(elfBytes, RunOptions.builder().argv("hello").build());
 * }</pre>
 *
 * Each program runs in its own {@link Machine} (one engine instance, one engine thread),
 * sandboxed unless host directories are mounted.
 */
public final class Kernel {
  private final Consumer<String> log;

  private Kernel(Consumer<String> log) {
    this.log = log;
  }

  /** A kernel whose engine diagnostics and strace lines go to the host's stderr. */
  public static Kernel create() {
    return new Kernel(line -> System.err.println(line));
  }

  /** A kernel whose engine diagnostics and strace lines go to {@code log}. */
  public static Kernel create(Consumer<String> log) {
    return new Kernel(log);
  }

  /**
   * Runs a static x86-64 ELF to its end with the given options (stdin is fed, then end of file).
   *
   * @throws ExecFormatException when the file is no x86-64 ELF program the engine can start
   * @throws XosException when the engine itself fails
   */
  public ProcessResult runX86_64(byte[] elf, RunOptions options) {
    try (Machine m = start(elf, options)) {
      return m.runToExit();
    }
  }

  /** Starts a machine that keeps the guest's output; its stdin is options.stdin, then EOF. */
  public Machine start(byte[] elf, RunOptions options) {
    return Machine.start(elf, null, options, new CapturedOutput(null, true), log, false);
  }

  /**
   * Runs the program at {@code guestPath} in the guest's own file tree (a rootfs from {@link
   * RunOptions.Builder#tar}, a mount or a file) to its end.
   *
   * @throws ExecFormatException when the file is missing or no program the engine can start
   */
  public ProcessResult run(String guestPath, RunOptions options) {
    try (Machine m = Machine.start(null, guestPath, options, new CapturedOutput(null, true), log, false)) {
      return m.runToExit();
    }
  }

  /** Like {@link #start(byte[], RunOptions, ConsoleSink, boolean)} for a program in the guest's tree. */
  public Machine start(String guestPath, RunOptions options, ConsoleSink sink, boolean interactiveStdin) {
    return Machine.start(null, guestPath, options, new CapturedOutput(sink, false), log, interactiveStdin);
  }

  /**
   * Runs {@code script} with the guest's {@code /bin/sh -c} (from a rootfs tar, a mount or a
   * file in the options) to its end.
   */
  public ProcessResult runShellScript(String script, RunOptions options) {
    List<String> argv = List.of("sh", "-c", script);
    RunOptions o = options.withArgv(argv);
    return run("/bin/sh", o);
  }

  /**
   * Starts a machine whose console output goes to {@code sink} as it is written. With
   * {@code interactiveStdin}, stdin stays open for {@link Machine#pushInput} until
   * {@link Machine#closeInput}; otherwise it is options.stdin, then EOF.
   */
  public Machine start(byte[] elf, RunOptions options, ConsoleSink sink, boolean interactiveStdin) {
    return Machine.start(elf, null, options, new CapturedOutput(sink, false), log, interactiveStdin);
  }
}
