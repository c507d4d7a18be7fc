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
    same("/usr/bin/stat", "-c", "%n %a %u %g %s %Y %F", "/etc/passwd", "/usr/bin/su", "/bin", "/etc/os-release");
  }

  @Test
  void bashPipelinesSubshellsAndHereDocuments() {
    same("/bin/bash", "-c",
        "ls /etc | sort | head -3; echo $(echo sub $((1+2))); (cd /usr && pwd); cat <<EOT\nhere $HOME\nEOT\n"
            + "for f in /etc/host*; do wc -c < $f; done | sort -n | tail -1; false || echo \"status $?\"");
  }

  @Test
  void findAndDpkgThroughPipes() {
    same("/bin/bash", "-c",
        "find /etc -name '*.conf' | sort | head -5; find /usr/share/doc -type f | wc -l;"
            + " dpkg -l | head -8 | cut -c1-60");
  }

  @Test
  void perl() {
    // (apt-cache policy and apt-get check agree with Linux too, but building APT's cache in
    // the interpreter takes minutes: run them by hand, see README.)
    same("/bin/bash", "-c", "perl -e 'print join(q(,), map { $_ * 2 } 1..5), qq(\\n)'; perl -v | head -2");
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

  /**
   * glibc's loader sees the CPU xos reports: x86-64-v3 (AVX, AVX2, BMI1/2, F16C, FMA, LZCNT, MOVBE,
   * OSXSAVE) but not v4, with AVX2 and FMA usable, so its ifuncs pick the AVX2 string routines and
   * the FMA libm variants that every other test here then runs. The loader's own diagnostics say so.
   */
  @Test
  void glibcSeesAnX8664V3Cpu() {
    Outcome o = xos(List.of("/lib64/ld-linux-x86-64.so.2", "--list-diagnostics"), new byte[0]);
    String out = o.out();
    assertTrue(out.contains("x86.cpu_features.isa_1=0x7\n"), out);
    long leaf7ebx = diag(out, "x86.cpu_features.features[0x1].active[0x1]");
    long leaf1ecx = diag(out, "x86.cpu_features.features[0x0].active[0x2]");
    assertTrue((leaf7ebx & (1 << 5)) != 0, "AVX2 usable");
    assertTrue((leaf1ecx & (1 << 12)) != 0 && (leaf1ecx & (1 << 28)) != 0, "FMA and AVX usable");
    assertTrue(out.contains("x86.cpu_features.xsave_state_size=0x380\n"), "XSAVEC area for x87+SSE+AVX");
  }

  private static long diag(String out, String key) {
    for (String line : out.split("\n")) {
      if (line.startsWith(key + "=0x")) {
        return Long.parseLong(line.substring(key.length() + 3), 16);
      }
    }
    throw new AssertionError("no " + key + " in\n" + out);
  }
}
