// SPDX-License-Identifier: MIT
package xos.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import xos.engine.EngineState;
import xos.kernel.Kernel;
import xos.kernel.Machine;
import xos.kernel.ProcessResult;
import xos.kernel.RunOptions;
import xos.kernel.Snapshot;

/**
 * Runs a workload in xos, in-process, through the public Java API: one Machine per
 * program start (so W5 measures engine instantiation, load, exec and exit), the
 * data directory mounted at /data and used as the working directory.
 */
final class XosRunner implements Runner {
  static final String DATA = "/data";
  private final int warmup;
  private final Kernel kernel = Kernel.create(line -> {});

  XosRunner(int warmup) {
    this.warmup = warmup;
  }

  @Override
  public String name() {
    return "xos";
  }

  @Override
  public Measurement run(Workload w, Path dataDir) throws IOException {
    byte[] elf = Files.readAllBytes(w.program());
    RunOptions opts = RunOptions.builder().argv(w.argv()).env(RunOptions.DEFAULT_ENV)
        .mount(DATA, dataDir, true).cwd(DATA).build();
    for (int i = 0; i < warmup; i++) {
      runOnce(elf, opts);
    }
    long icount = 0;
    ProcessResult last = null;
    long start = System.nanoTime();
    for (int i = 0; i < w.runs(); i++) {
      try (Machine m = kernel.start(elf, opts)) {
        last = m.runToExit();
        icount += m.icount();
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    return new Measurement(secs, last.stdout(), last.shellStatus(), icount);
  }

  private void runOnce(byte[] elf, RunOptions opts) {
    try (Machine m = kernel.start(elf, opts)) {
      m.runToExit();
    }
  }

  /**
   * Times snapshot and restore of a machine whose guest (memtouch, built beside the
   * bench binaries) has filled 16 and 256 MiB and waits for input.
   */
  void snapshotTimings(Path memtouch, PrintStream out, PrintStream err) {
    byte[] elf;
    try {
      elf = Files.readAllBytes(memtouch);
    } catch (IOException e) {
      err.println("bench: snapshot timings skipped: " + e.getMessage());
      return;
    }
    out.println();
    out.printf(Locale.ROOT, "%-9s %10s %10s %10s %10s %12s%n", "snapshot", "guest MiB", "linear MiB", "take ms",
        "restore ms", "same output");
    for (int mib : new int[] {16, 256}) {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      RunOptions opts = RunOptions.builder().argv("memtouch", Integer.toString(mib)).build();
      try (Machine m = kernel.start(elf, opts, (fd, b, off, len) -> {
        synchronized (sink) {
          sink.write(b, off, len);
        }
      }, true)) {
        EngineState s = m.runAsync(Long.MAX_VALUE, true).join();
        if (s.status() != EngineState.Status.IDLE) {
          err.println("bench: memtouch " + mib + " did not wait for input: " + s.status() + " " + s.error());
          continue;
        }
        long t0 = System.nanoTime();
        Snapshot snap = m.snapshot();
        long t1 = System.nanoTime();
        m.pushInput("first".getBytes());
        m.closeInput();
        m.runToExit();
        String first;
        synchronized (sink) {
          first = sink.toString();
          sink.reset();
        }
        long t2 = System.nanoTime();
        m.restore(snap);
        long t3 = System.nanoTime();
        m.pushInput("first".getBytes());
        m.closeInput();
        m.runToExit();
        String second;
        synchronized (sink) {
          second = sink.toString();
        }
        String tail = first.substring(first.indexOf('\n') + 1);
        out.printf(Locale.ROOT, "%-9s %10d %10d %10.1f %10.1f %12s%n", "", mib, snap.engine().memory().length >> 20,
            (t1 - t0) / 1e6, (t3 - t2) / 1e6, tail.equals(second) ? "yes" : "NO");
      } catch (RuntimeException e) {
        err.println("bench: snapshot at " + mib + " MiB failed: " + e.getMessage());
      }
    }
  }
}
