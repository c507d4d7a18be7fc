// SPDX-License-Identifier: MIT
package xos.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Locates the repository and the guest programs the integration tests run.
 * Our own programs are built by {@code make -C containers} (musl-gcc and gcc,
 * from scripts/setup.sh); a missing prerequisite fails the test with a message
 * that says what to install, it never skips.
 */
final class Repo {
  private Repo() {}

  private static Path root;
  private static boolean built;

  static synchronized Path root() {
    if (root == null) {
      // Maven passes the project directory (pom.xml: xos.repo); otherwise search upwards.
      String prop = System.getProperty("xos.repo");
      Path p = prop != null ? Path.of(prop).toAbsolutePath() : Path.of("").toAbsolutePath();
      while (p != null && !Files.isRegularFile(p.resolve("containers/Makefile"))) {
        p = p.getParent();
      }
      if (p == null) {
        fail("cannot find the repository root (containers/Makefile) above " + Path.of("").toAbsolutePath());
      }
      root = p;
    }
    return root;
  }

  /** Runs {@code make -C containers} once per JVM so build/ matches the sources. */
  static synchronized void buildPrograms() {
    if (built) {
      return;
    }
    try {
      Process p = new ProcessBuilder("make", "-C", root().resolve("containers").toString(), "all")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        fail("building the guest test programs failed (make -C containers): run scripts/setup.sh "
            + "(needs gcc, musl-tools, make)\n" + out);
      }
    } catch (IOException e) {
      fail("cannot run make: run scripts/setup.sh (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
    built = true;
  }

  /** A built guest program: containers/build/NAME (e.g. printf-musl, insntest). */
  static Path program(String name) {
    buildPrograms();
    Path p = root().resolve("containers/build").resolve(name);
    if (!Files.isExecutable(p)) {
      fail(p + " was not built: run scripts/setup.sh, then make -C containers");
    }
    return p;
  }

  /** Debian's busybox-static. */
  static Path busybox() {
    Path p = Path.of("/bin/busybox");
    if (!Files.isExecutable(p)) {
      fail("/bin/busybox is missing: run scripts/setup.sh (Debian package busybox-static)");
    }
    return p;
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      return fail("cannot read " + p + ": " + e.getMessage());
    }
  }

  /** Program names built from containers/src/*.c (without the -musl/-glibc suffix). */
  static List<String> programNames() {
    try (var s = Files.list(root().resolve("containers/src"))) {
      return s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".c"))
          .map(n -> n.substring(0, n.length() - 2)).sorted().toList();
    } catch (IOException e) {
      return fail("cannot list containers/src: " + e.getMessage());
    }
  }

  private static Path rootfs;

  /**
   * The Debian minbase root file system as a tar (build/rootfs/minbase.tar.gz); its unpacked
   * tree is {@code minbase/} beside it. Built once by scripts/rootfs.sh (debootstrap, root).
   */
  static synchronized Path rootfs() {
    if (rootfs != null) {
      return rootfs;
    }
    try {
      Process p = new ProcessBuilder("bash", root().resolve("scripts/rootfs.sh").toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() != 0 || !Files.isRegularFile(Path.of(out))) {
        fail("scripts/rootfs.sh failed: the Debian rootfs needs root and debootstrap (scripts/setup.sh)");
      }
      rootfs = Path.of(out);
    } catch (IOException e) {
      fail("cannot run scripts/rootfs.sh: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
    return rootfs;
  }
}
