// SPDX-License-Identifier: MIT
package xos.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The instruction differential (src/test/insn/insntest.c) with a fixed seed:
 * random operands for every instruction class, run natively and in xos. Each
 * output line is one case: id, class, instruction bytes, resulting flags (the
 * SDM's undefined ones masked), changed registers and memory.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InsnDiffTest {
  static final List<String> ARGS = List.of("--seed", "1", "--n", "200");

  @Test
  void fixedSeedMatchesNative() {
    Path prog = Repo.program("insntest");
    Outcome nat = NativeRun.run(prog, ARGS, List.of(), new byte[0], null);
    assertEquals("exit 0", nat.status(), "native insntest failed: " + nat.err());
    Outcome xos = Guest.program(Repo.read(prog)).arg0("insntest").args(ARGS).run();
    String[] a = nat.out().split("\n");
    String[] b = xos.out().split("\n");
    StringBuilder msg = new StringBuilder();
    Map<String, Integer> perClass = new TreeMap<>();
    int shown = 0;
    int differing = 0;
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "<end>";
      String y = i < b.length ? b[i] : "<end>";
      if (!x.equals(y)) {
        differing++;
        String[] f = x.split(" ");
        perClass.merge(f.length > 1 ? f[1] : "?", 1, Integer::sum);
        if (shown++ < 25) {
          msg.append("native: ").append(x).append("\nxos:    ").append(y).append('\n');
        }
      }
    }
    if (differing > 0 || !nat.status().equals(xos.status())) {
      fail(differing + " of " + a.length + " lines differ " + perClass + "; xos " + xos.status() + " (rerun one case natively with "
          + "containers/build/insntest --seed 1 --n 200 --only CLASS --verbose)\n" + msg + xos.err());
    }
  }
}
