// SPDX-License-Identifier: MIT
package xos.gui;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.testfx.util.WaitForAsyncUtils;

/** Polls a condition evaluated on the FX thread (so it sees what the views see). */
final class Wait {
  private Wait() {}

  static void until(String what, Callable<Boolean> condition) {
    until(what, condition, () -> "");
  }

  static void until(String what, Callable<Boolean> condition, Supplier<String> explain) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      try {
        if (WaitForAsyncUtils.asyncFx(condition).get(10, TimeUnit.SECONDS)) {
          return;
        }
        Thread.sleep(20);
      } catch (Exception e) {
        fail(what + ": " + e, e);
      }
    }
    fail("timed out waiting for " + what + " " + explain.get());
  }
}
