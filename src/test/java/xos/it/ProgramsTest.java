// SPDX-License-Identifier: MIT
package xos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our own C programs (containers/src), each built with musl and with glibc, run
 * natively and in xos: stdout, stderr, exit code and signal must be identical.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ProgramsTest {
  static final List<String> LIBCS = List.of("musl", "glibc");
  /** Programs with their own tests below (they need arguments, input or a directory). */
  static final Set<String> SPECIAL = Set.of("exitcode", "envargv", "fileio", "ownership");

  static Stream<Arguments> plainPrograms() {
    List<Arguments> a = new ArrayList<>();
    for (String p : Repo.programNames()) {
      if (!SPECIAL.contains(p)) {
        for (String libc : LIBCS) {
          a.add(Arguments.of(p + "-" + libc));
        }
      }
    }
    return a.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plainPrograms")
  void sameAsNative(String name) {
    Path prog = Repo.program(name);
    Outcome nat = NativeRun.run(prog, List.of(), List.of(), new byte[0], null);
    Outcome xos = Guest.program(Repo.read(prog)).arg0(name).run();
    Compare.same(name, nat, xos);
  }

  static Stream<Arguments> exitCodes() {
    List<Arguments> a = new ArrayList<>();
    String[][] cases = {{"0"}, {"1"}, {"3", "exit"}, {"42", "exit"}, {"127", "_exit"}, {"255", "return"},
        {"256", "exit"}, {"300", "_exit"}};
    for (String libc : LIBCS) {
      for (String[] c : cases) {
        a.add(Arguments.of("exitcode-" + libc, List.of(c)));
      }
    }
    return a.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("exitCodes")
  void exitCode(String name, List<String> args) {
    Path prog = Repo.program(name);
    Outcome nat = NativeRun.run(prog, args, List.of(), new byte[0], null);
    Outcome xos = Guest.program(Repo.read(prog)).arg0(name).args(args).run();
    Compare.same(name + " " + args, nat, xos);
  }

  static Stream<String> bothLibcs() {
    return LIBCS.stream();
  }

  @ParameterizedTest(name = "envargv-{0}")
  @MethodSource("bothLibcs")
  void argvEnvStdin(String libc) {
    String name = "envargv-" + libc;
    Path prog = Repo.program(name);
    List<String> args = List.of("one", "two words", "", "tab\there", "dollar $HOME");
    List<String> env = List.of("HOME=/home/test", "LANG=C", "EMPTY=", "PATH=/usr/bin:/bin", "X=a=b");
    byte[] stdin = new byte[100_000];
    for (int i = 0; i < stdin.length; i++) {
      stdin[i] = (byte) (i * 7 + i / 251);
    }
    Outcome nat = NativeRun.run(prog, args, env, stdin, null);
    Outcome xos = Guest.program(Repo.read(prog)).arg0(prog.toString()).args(args).env(env).stdin(stdin).run();
    Compare.same(name, nat, xos);
  }

  @ParameterizedTest(name = "fileio-{0} in tmpfs")
  @MethodSource("bothLibcs")
  void fileIoInTmpfs(String libc, @TempDir Path host) {
    String name = "fileio-" + libc;
    Path prog = Repo.program(name);
    Outcome nat = NativeRun.run(prog, List.of(host.toString()), List.of(), new byte[0], null);
    Outcome xos = Guest.program(Repo.read(prog)).arg0(name).args(List.of("/tmp"))
        .file("/tmp/.keep", new byte[0]).cwd("/").run();
    Compare.same(name, nat, xos);
  }

  @ParameterizedTest(name = "ownership-{0} in tmpfs")
  @MethodSource("bothLibcs")
  void ownershipAndTimesInTmpfs(String libc, @TempDir Path host) throws java.io.IOException {
    // The native run needs root for chown; a directory we made is owned by our uid.
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ((Integer) java.nio.file.Files.getAttribute(host, "unix:uid")) == 0, "native chown needs root");
    // Natively as root in a host directory; in xos in tmpfs, which keeps owners and times.
    String name = "ownership-" + libc;
    Path prog = Repo.program(name);
    Outcome nat = NativeRun.run(prog, List.of(host.toString()), List.of(), new byte[0], null);
    Outcome xos = Guest.program(Repo.read(prog)).arg0(name).args(List.of("/tmp"))
        .file("/tmp/.keep", new byte[0]).cwd("/").run();
    Compare.same(name, nat, xos);
  }

  @ParameterizedTest(name = "fileio-{0} in a host mount")
  @MethodSource("bothLibcs")
  void fileIoInHostMount(String libc, @TempDir Path nativeDir, @TempDir Path mountDir) {
    String name = "fileio-" + libc;
    Path prog = Repo.program(name);
    Outcome nat = NativeRun.run(prog, List.of(nativeDir.toString()), List.of(), new byte[0], null);
    Outcome xos = Guest.program(Repo.read(prog)).arg0(name).args(List.of("/mnt/host"))
        .mount("/mnt/host", mountDir).run();
    Compare.same(name, nat, xos);
    assertTrue(mountDir.toFile().list().length == 0, "fileio left files in the host mount");
  }

  @ParameterizedTest(name = "signal {0}")
  @MethodSource("bothLibcs")
  void signalsAreReported(String libc) {
    // The generic test compares these with native; here the expected signal is pinned too.
    assertEquals(11, Guest.program(Repo.read(Repo.program("sigsegv-" + libc))).run().signal(), "SIGSEGV");
    assertEquals(4, Guest.program(Repo.read(Repo.program("sigill-" + libc))).run().signal(), "SIGILL");
    assertEquals(8, Guest.program(Repo.read(Repo.program("sigfpe-" + libc))).run().signal(), "SIGFPE");
  }
}
