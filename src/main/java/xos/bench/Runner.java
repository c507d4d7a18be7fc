// SPDX-License-Identifier: MIT
package xos.bench;

import java.io.IOException;
import java.nio.file.Path;

/** Runs a workload one way (natively, under qemu, in xos) and measures it. */
interface Runner {
  /** Short column name: "native", "qemu", "xos". */
  String name();

  /**
   * Runs {@code w.runs()} times in {@code dataDir} and returns the total time,
   * the stdout of the last run and, where the runner can count them, the guest
   * instructions retired.
   */
  Measurement run(Workload w, Path dataDir) throws IOException, InterruptedException;

  /**
   * @param seconds wall time of all runs
   * @param stdout  stdout of the last run
   * @param exit    exit status of the last run (128+N when killed by signal N)
   * @param icount  guest instructions retired, or -1 when unknown
   */
  record Measurement(double seconds, byte[] stdout, int exit, long icount) {}
}
