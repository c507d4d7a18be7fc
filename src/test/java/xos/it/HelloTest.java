// SPDX-License-Identifier: MIT
package xos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** containers/hello-x86_64.elf: two raw syscalls, no libc. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HelloTest {
  @Test
  void printsHiAndExits42() {
    Path elf = Repo.root().resolve("containers/hello-x86_64.elf");
    Outcome xos = Guest.program(Repo.read(elf)).arg0("hello").run();
    assertEquals("hi\n", xos.out());
    assertEquals("exit 42", xos.status());
    Compare.same("hello-x86_64.elf", NativeRun.run(elf, List.of(), List.of(), new byte[0], null), xos);
  }
}
