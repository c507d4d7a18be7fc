// SPDX-License-Identifier: MIT
package xos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Files given in RunOptions are created in the guest's tmpfs, parent
 * directories included (RunOptions.files), and the guest reads them back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GuestFilesTest {
  @Test
  void nestedFileWithParentsIsCreated() {
    byte[] data = "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8);
    Outcome xos = Guest.program(Repo.read(Repo.busybox())).arg0("busybox")
        .args(List.of("cat", "/deep/er/file.txt")).file("/deep/er/file.txt", data).run();
    assertEquals("exit 0", xos.status(), xos.err());
    assertEquals("one\ntwo\nthree\n", xos.out());
  }

  @Test
  void workingDirectoryInsideCreatedTree() {
    Outcome xos = Guest.program(Repo.read(Repo.busybox())).arg0("busybox").args(List.of("pwd"))
        .file("/home/user/.profile", new byte[0]).cwd("/home/user").run();
    assertEquals("/home/user\n", xos.out());
  }
}
