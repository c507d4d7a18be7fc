// SPDX-License-Identifier: MIT
package xos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xos.kernel.Machine;
import xos.kernel.ProcessResult;

/**
 * A guest with a host directory mounted tries to reach the host files beside it: through "..",
 * absolute and relative symlinks it makes itself, symlinks the host put in the mount, renames
 * and hard links out of the mount, and chdir above it. Nothing outside the mount may be read,
 * written or created; the guest's own namespace answers instead.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MountEscapeTest {
  static final String SECRET = "the host's secret 7f3a";
  @TempDir Path tmp;
  Path mount;
  Path outside;

  @BeforeEach
  void tree() throws IOException {
    mount = Files.createDirectories(tmp.resolve("mount"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), SECRET + "\n");
    Files.writeString(mount.resolve("inside.txt"), "inside\n");
    // Symlinks the host itself left in the mount, pointing out of it.
    Files.createSymbolicLink(mount.resolve("host-rel"), Path.of("../outside"));
    Files.createSymbolicLink(mount.resolve("host-abs"), outside.resolve("secret.txt"));
  }

  private static String sh(Machine m, String script) {
    ProcessResult r = m.run("/bin/busybox", "sh", "-c", script);
    return r.stdoutText() + r.stderrText();
  }

  private List<Path> hostFilesOutsideTheMount() throws IOException {
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.filter(p -> !p.startsWith(mount) && !p.equals(tmp) && !p.equals(outside)
          && !p.equals(outside.resolve("secret.txt"))).toList();
    }
  }

  @Test
  void nothingOutsideTheMountCanBeReachedOrChanged() throws IOException {
    try (Machine m = Machine.create()) {
      m.writeFile("/bin/busybox", Repo.read(Repo.busybox()), 0755);
      m.mountHost("/data", mount, false);
      StringBuilder all = new StringBuilder();
      all.append(sh(m, "cat /data/inside.txt"));
      assertEquals("inside\n", sh(m, "cat /data/inside.txt"), "the mount works");
      // "..": the guest's parent of /data is its own root.
      all.append(sh(m, "cat /data/../outside/secret.txt; cd /data/../../..; pwd; ls"));
      // Symlinks the guest makes: resolved in the guest's namespace.
      all.append(sh(m, "ln -s ../outside/secret.txt /data/g-rel; cat /data/g-rel"));
      all.append(sh(m, "ln -s " + outside.resolve("secret.txt") + " /data/g-abs; cat /data/g-abs"));
      all.append(sh(m, "ln -s ../../../../../../../.. /data/g-up; ls /data/g-up/; cat /data/g-up" + outside
          + "/secret.txt"));
      // Symlinks the host left: they lead into the guest's namespace too, never the host's.
      all.append(sh(m, "cat /data/host-rel/secret.txt; cat /data/host-abs; ls /data/host-rel/"));
      // Renames and hard links out of the mount: the guest's tmpfs, not the host.
      all.append(sh(m, "mv /data/inside.txt /data/../moved.txt; ls /; cat /moved.txt"));
      all.append(sh(m, "ln /data/g-rel /data/../hard 2>&1; echo x > /data/../../outside-new; ls /"));
      // The secret never reached the guest.
      assertFalse(all.toString().contains(SECRET), all.toString());
      // Nothing was created or changed beside the mount on the host.
      assertEquals(List.of(), hostFilesOutsideTheMount());
      assertEquals(SECRET + "\n", Files.readString(outside.resolve("secret.txt")));
      // The guest's renames left the mount (moved.txt went to its tmpfs root).
      assertFalse(Files.exists(mount.resolve("inside.txt")));
      assertTrue(Files.isSymbolicLink(mount.resolve("g-rel")), "guest symlinks live in the mount");
      assertEquals("../outside/secret.txt", Files.readSymbolicLink(mount.resolve("g-rel")).toString());
    }
  }

  @Test
  void readOnlyMountsRefuseEveryWrite() throws IOException {
    try (Machine m = Machine.create()) {
      m.writeFile("/bin/busybox", Repo.read(Repo.busybox()), 0755);
      m.mountHost("/ro", mount, true);
      ProcessResult r = m.run("/bin/busybox", "sh", "-c", "echo x > /ro/new; rm /ro/inside.txt;"
          + " mv /ro/inside.txt /ro/x; mkdir /ro/d; ln -s a /ro/l; touch /ro/inside.txt;"
          + " chmod 777 /ro/inside.txt; cat /ro/inside.txt");
      assertEquals("inside\n", r.stdoutText());
      assertEquals(7, r.stderrText().split("Read-only file system", -1).length - 1, r.stderrText());
      try (Stream<Path> s = Files.list(mount)) {
        assertEquals(List.of("host-abs", "host-rel", "inside.txt"),
            s.map(p -> p.getFileName().toString()).sorted().toList());
      }
    }
  }
}
