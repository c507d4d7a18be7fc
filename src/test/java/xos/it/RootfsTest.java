// SPDX-License-Identifier: MIT
package xos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xos.kernel.Kernel;
import xos.kernel.ProcessResult;
import xos.kernel.RunOptions;

/**
 * A real distribution's dynamic programs, through its own loader (ld-linux-x86-64.so.2), in a
 * root file system unpacked from a tar: Debian bookworm minbase, made by debootstrap
 * (scripts/rootfs.sh). The oracle is the same program run natively with chroot in the same
 * tree the tar was made from.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RootfsTest {
  static final List<String> ENV =
      List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LC_ALL=C",
          "TERM=dumb");
  static Path tar;
  static Path tree;

  @BeforeAll
  static void rootfs() {
    tar = Repo.rootfs();
    tree = tar.resolveSibling("minbase");
  }

  /** The program natively, chrooted into the tree. */
  static Outcome chroot(List<String> argv, byte[] stdin) {
    List<String> args = new ArrayList<>();
    args.add(tree.toString());
    args.add("/usr/bin/env");
    args.add("-i");
    args.addAll(ENV);
    args.addAll(argv);
    return NativeRun.run(Path.of("/usr/sbin/chroot"), args, List.of(), stdin, Path.of("/"));
  }

  /** The program in xos, whose root is the tar unpacked into tmpfs. */
  static Outcome xos(List<String> argv, byte[] stdin) {
    RunOptions o = RunOptions.builder().tar("/", tar).argv(argv).env(ENV).stdin(stdin).cwd("/").build();
    ProcessResult r = Kernel.create().run(argv.get(0), o);
    return new Outcome(r.signal() != 0 ? 0 : r.exitCode(), r.signal(), r.stdout(), r.stderr());
  }

  static void same(String... argv) {
    List<String> a = List.of(argv);
    Compare.same(String.join(" ", a), chroot(a, new byte[0]), xos(a, new byte[0]));
  }

  @Test
  void bashBuiltins() {
    same("/bin/bash", "-c",
        "echo $BASH_VERSION; echo $((6*7)); for i in 1 2 3; do printf '%s-' $i; done; echo;"
            + " read -r v < /etc/debian_version; echo \"debian $v\"; type -t ls; declare -A m=([k]=v); echo ${m[k]}");
  }

  @Test
  void lsEtc() {
    same("/bin/ls", "-la", "/etc");
  }

  @Test
  void lsRecursiveWithInodesHidden() {
    same("/bin/ls", "-lR", "--time-style=+%s", "/usr/lib/apt", "/var/lib/dpkg/info");
  }

  @Test
  void dpkgList() {
    same("/usr/bin/dpkg-query", "-l");
  }

  @Test
  void aptGetVersion() {
    same("/usr/bin/apt-get", "--version");
  }

  @Test
  void coreutilsOnRootfsFiles() {
    same("/usr/bin/sha256sum", "/etc/passwd", "/usr/bin/dpkg", "/usr/lib/os-release");
    same("/usr/bin/wc", "-lwc", "/var/lib/dpkg/status");
    same("/usr/bin/stat", "-c", "%n %a %u %g %s %Y %F", "/etc/passwd", "/tmp", "/usr/bin/su", "/bin", "/etc/os-release");
  }

  @Test
  void shellScriptFromTmpfs() {
    String script =
        "#!/bin/sh\n"
            + "# a multi-line script that lives in the guest's tmpfs\n"
            + "count=0\n"
            + "for f in /etc/*.conf; do\n"
            + "  case \"$f\" in\n"
            + "    *host*) echo \"host file: $f\" ;;\n"
            + "  esac\n"
            + "  count=$((count + 1))\n"
            + "done\n"
            + "greet() { echo \"hello, $1\"; }\n"
            + "greet world\n"
            + "echo \"conf files: $count\"\n"
            + "exit 7\n";
    RunOptions o = RunOptions.builder().tar("/", tar).argv("/tmp/s.sh").env(ENV).cwd("/")
        .file("/tmp/s.sh", script.getBytes(StandardCharsets.UTF_8)).build();
    ProcessResult r = Kernel.create().run("/tmp/s.sh", o);
    assertEquals(7, r.exitCode(), r.stderrText());
    assertTrue(r.stdoutText().contains("hello, world\n"), r.stdoutText());
    // The same script natively in the chroot (written where the native tree has it).
    Outcome nat = chroot(List.of("/bin/sh", "-c", script), new byte[0]);
    assertEquals(nat.out(), r.stdoutText());
  }

  @Test
  void runShellScriptApi() {
    RunOptions o = RunOptions.builder().tar("/", tar).env(ENV).cwd("/").build();
    ProcessResult r = Kernel.create().runShellScript("x=6; y=7; echo $((x*y)) $0", o);
    assertEquals("42 sh\n", r.stdoutText(), r.stderrText());
    assertEquals(0, r.exitCode());
  }
}
