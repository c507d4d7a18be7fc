// SPDX-License-Identifier: MIT
package xos.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import xos.kernel.RunOptions;

/**
 * The guest file tree options the commands share: {@code --rootfs TAR} (a tmpfs root unpacked
 * from an archive) and {@code --mount HOST:GUEST[:ro]} (host directories), and the sandbox
 * busybox root {@code run-shell} uses when no rootfs is given.
 */
final class GuestTree {
  /** Where Debian's busybox-static installs busybox. */
  static final Path HOST_BUSYBOX = Path.of("/bin/busybox");

  private GuestTree() {}

  /** A parsed {@code --mount} value. */
  record Mount(Path host, String guest, boolean readOnly) {}

  /** Parses HOST:GUEST[:ro|:rw]; throws IllegalArgumentException with a user-facing message. */
  static Mount parseMount(String spec) {
    String[] p = spec.split(":", -1);
    boolean ro = false;
    if (p.length == 3 && (p[2].equals("ro") || p[2].equals("rw"))) {
      ro = p[2].equals("ro");
    } else if (p.length != 2) {
      throw new IllegalArgumentException("--mount " + spec + ": expected HOST:GUEST or HOST:GUEST:ro");
    }
    if (p[0].isEmpty() || !p[1].startsWith("/")) {
      throw new IllegalArgumentException("--mount " + spec + ": GUEST must be an absolute path");
    }
    Path host = Path.of(p[0]);
    if (!Files.isDirectory(host)) {
      throw new IllegalArgumentException("--mount " + spec + ": " + host + " is not a directory");
    }
    return new Mount(host, p[1], ro);
  }

  /** Adds the mounts to the options. */
  static void addMounts(RunOptions.Builder b, List<String> specs) {
    for (String s : specs) {
      Mount m = parseMount(s);
      b.mount(m.guest(), m.host(), m.readOnly());
    }
  }

  /** Checks a --rootfs argument; throws IllegalArgumentException with a user-facing message. */
  static void addRootfs(RunOptions.Builder b, Path tar) {
    if (!Files.isRegularFile(tar) || !Files.isReadable(tar)) {
      throw new IllegalArgumentException("--rootfs " + tar + ": no readable file");
    }
    b.tar("/", tar);
  }

  /**
   * A minimal sandbox root: the host's busybox-static as /bin/busybox and /bin/sh, and empty
   * /tmp, /root and /etc. Debian's static busybox runs its applets from the shell without
   * symlinks (standalone shell).
   */
  static void addBusyboxRoot(RunOptions.Builder b) throws IOException {
    if (!Files.isRegularFile(HOST_BUSYBOX)) {
      throw new IOException(
          HOST_BUSYBOX + " is missing: install Debian's busybox-static (scripts/setup.sh) or give --rootfs TAR");
    }
    byte[] bb = Files.readAllBytes(HOST_BUSYBOX);
    b.file("/bin/busybox", bb);
    b.symlink("/bin/sh", "busybox");
    b.file("/tmp/.keep", new byte[0]);
    b.file("/root/.keep", new byte[0]);
    b.file("/etc/hostname", "xos\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
