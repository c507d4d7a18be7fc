// SPDX-License-Identifier: MIT
package xos.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark of the bench README (workloads W1-W6): each workload runs
 * natively, under {@code qemu-x86_64} and in xos (in-process, through the Java
 * engine) in one invocation, and a table reports times, the ratios xos/native
 * and xos/qemu, and guest instructions retired per second in xos. Output of
 * every xos run is compared with the native run's.
 *
 * <p>Inputs: the bench directory (bench.c, gendata.c, SHA256SUMS). gendata and
 * bench are built with gcc and musl-gcc into a work directory (default
 * {@code target/bench}, git-ignored).
 */
public final class Bench {
  private Bench() {}

  static final String USAGE = """
      usage: xos bench [options]
        --bench-dir DIR   workloads and sources (default ../shared/bench from the repo root)
        --work DIR        build and data directory (default target/bench)
        --only W1,W6      run only these workloads (W6 runs both libcs; W6-musl, W6-glibc pick one)
        --scale F         work scale (default 1; 0.1 finishes quickly): W1 loop count, W2-W4 input
                          size, W5 number of starts, W6 argument (rounded, at least 1)
        --repeat N        run each cell N times and keep the fastest (default 1)
        --warmup N        untimed xos runs of each workload first (JIT warm-up, default 0)
        --no-native, --no-qemu, --no-xos   skip a column
        --no-snapshot     skip the snapshot timings
      """;

  /** Entry point used by the CLI ({@code xos bench}). Returns the exit status. */
  public static int run(List<String> args) {
    return run(args, System.out, System.err);
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (o.help) {
      out.print(USAGE);
      return 0;
    }
    try {
      return new Bench().execute(o, out, err);
    } catch (IOException | RuntimeException e) {
      err.println("bench: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  static final class Options {
    Path benchDir;
    Path workDir = Path.of("target", "bench");
    Set<String> only = new LinkedHashSet<>();
    double scale = 1;
    int repeat = 1;
    int warmup;
    boolean nativeCol = true;
    boolean qemuCol = true;
    boolean xosCol = true;
    boolean snapshot = true;
    boolean help;

    static Options parse(List<String> args) {
      Options o = new Options();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "--bench-dir" -> o.benchDir = Path.of(value(args, ++i, a));
          case "--work" -> o.workDir = Path.of(value(args, ++i, a));
          case "--only" -> o.only.addAll(Arrays.asList(value(args, ++i, a).toUpperCase(Locale.ROOT).split(",")));
          case "--scale" -> o.scale = Double.parseDouble(value(args, ++i, a));
          case "--repeat" -> o.repeat = Integer.parseInt(value(args, ++i, a));
          case "--warmup" -> o.warmup = Integer.parseInt(value(args, ++i, a));
          case "--no-native" -> o.nativeCol = false;
          case "--no-qemu" -> o.qemuCol = false;
          case "--no-xos" -> o.xosCol = false;
          case "--no-snapshot" -> o.snapshot = false;
          case "-h", "--help" -> o.help = true;
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (!(o.scale > 0) || o.repeat < 1 || o.warmup < 0) {
        throw new IllegalArgumentException("--scale must be > 0, --repeat >= 1, --warmup >= 0");
      }
      return o;
    }

    private static String value(List<String> args, int i, String opt) {
      if (i >= args.size()) {
        throw new IllegalArgumentException(opt + " needs a value");
      }
      return args.get(i);
    }
  }

  /** Finds ../shared/bench relative to the repository root (the directory holding pom.xml). */
  static Path defaultBenchDir() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("pom.xml")) || Files.isDirectory(p.resolve(".git"))) {
        return p.resolveSibling("shared").resolve("bench");
      }
    }
    return dir.resolveSibling("shared").resolve("bench");
  }

  private int execute(Options o, PrintStream out, PrintStream err) throws IOException, InterruptedException {
    Path benchDir = o.benchDir != null ? o.benchDir : defaultBenchDir();
    if (!Files.isRegularFile(benchDir.resolve("bench.c"))) {
      err.println("bench: no bench.c in " + benchDir + " (give --bench-dir DIR)");
      return 2;
    }
    Path busybox = Path.of("/bin/busybox");
    Files.createDirectories(o.workDir);
    Path work = o.workDir.toAbsolutePath();
    Prepare prep = new Prepare(benchDir, work, err);
    List<Workload> all = new ArrayList<>();
    boolean wantBusybox = o.only.isEmpty() || o.only.stream().anyMatch(s -> !s.startsWith("W6"));
    if (wantBusybox && !Files.isExecutable(busybox)) {
      err.println("bench: /bin/busybox missing: run scripts/setup.sh (Debian package busybox-static)");
      return 2;
    }
    Path data = prep.data(o.scale);
    int loops = Math.max(1, (int) Math.round(100000 * o.scale));
    int starts = Math.max(1, (int) Math.round(100 * o.scale));
    int w6 = Math.max(1, (int) Math.round(o.scale));
    String expected = w6 == 1 ? Files.readString(benchDir.resolve("bench.expected")) : null;
    all.add(new Workload("W1", busybox, List.of("busybox", "sh", "-c",
        "i=0; while [ $i -lt " + loops + " ]; do i=$((i+1)); done"), 1, null));
    all.add(new Workload("W2", busybox, List.of("busybox", "sha256sum", "data16m.bin"), 1, null));
    all.add(new Workload("W3", busybox, List.of("busybox", "gzip", "-c", "text4m.txt"), 1, null));
    all.add(new Workload("W4", busybox, List.of("busybox", "sort", "lines100k.txt"), 1, null));
    all.add(new Workload("W5", busybox, List.of("busybox", "true"), starts, null));
    if (select(o, "W6-MUSL")) {
      all.add(new Workload("W6-musl", prep.benchBinary("musl-gcc", "bench-musl"), List.of("bench",
          Integer.toString(w6)), 1, expected));
    }
    if (select(o, "W6-GLIBC")) {
      all.add(new Workload("W6-glibc", prep.benchBinary("gcc", "bench-glibc"), List.of("bench",
          Integer.toString(w6)), 1, expected));
    }
    all.removeIf(w -> !select(o, w.id().toUpperCase(Locale.ROOT)));

    List<Runner> runners = new ArrayList<>();
    if (o.nativeCol) {
      runners.add(HostRunner.nativeRunner());
    }
    if (o.qemuCol) {
      if (onPath("qemu-x86_64")) {
        runners.add(HostRunner.emulator("qemu", "qemu-x86_64"));
      } else {
        err.println("bench: qemu-x86_64 not found (Debian package qemu-user); its column is skipped");
      }
    }
    XosRunner xos = null;
    if (o.xosCol) {
      xos = new XosRunner(o.warmup);
      runners.add(xos);
    }

    out.printf(Locale.ROOT, "xos bench: scale %s, repeat %d, data %s%n", o.scale, o.repeat, data);
    Table table = new Table(runners);
    int failures = 0;
    for (Workload w : all) {
      Row row = new Row(w);
      for (Runner r : runners) {
        Runner.Measurement best = null;
        try {
          for (int i = 0; i < o.repeat; i++) {
            Runner.Measurement m = r.run(w, data);
            if (best == null || m.seconds() < best.seconds()) {
              best = m;
            }
          }
        } catch (IOException | RuntimeException e) {
          err.println("bench: " + w.id() + " " + r.name() + ": " + e.getMessage());
          failures++;
        }
        row.cells.put(r.name(), best);
      }
      failures += row.check(err);
      table.print(row, out);
    }
    if (xos != null && o.snapshot) {
      Path memtouch = prep.memtouch();
      xos.snapshotTimings(memtouch, out, err);
    }
    return failures == 0 ? 0 : 1;
  }

  private static boolean select(Options o, String id) {
    if (o.only.isEmpty()) {
      return true;
    }
    for (String s : o.only) {
      if (id.equals(s) || id.startsWith(s + "-")) {
        return true;
      }
    }
    return false;
  }

  static boolean onPath(String cmd) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(":")) {
      if (Files.isExecutable(Path.of(d, cmd))) {
        return true;
      }
    }
    return false;
  }

  /** One workload's measurements by runner name. */
  static final class Row {
    final Workload w;
    final java.util.Map<String, Runner.Measurement> cells = new java.util.LinkedHashMap<>();
    String verdict = "";

    Row(Workload w) {
      this.w = w;
    }

    /** Compares stdout and exit status of every runner with native (or with the expected text). */
    int check(PrintStream err) {
      Runner.Measurement ref = cells.get("native");
      int bad = 0;
      List<String> notes = new ArrayList<>();
      for (var e : cells.entrySet()) {
        Runner.Measurement m = e.getValue();
        if (m == null) {
          notes.add(e.getKey() + " failed");
          bad++;
          continue;
        }
        if (w.expected() != null && !w.expected().equals(new String(m.stdout(), StandardCharsets.UTF_8))) {
          notes.add(e.getKey() + " output differs from bench.expected");
          bad++;
        } else if (ref != null && m != ref && (!Arrays.equals(ref.stdout(), m.stdout()) || ref.exit() != m.exit())) {
          notes.add(e.getKey() + " differs from native (exit " + m.exit() + " vs " + ref.exit() + ", stdout "
              + m.stdout().length + " vs " + ref.stdout().length + " bytes)");
          bad++;
        }
      }
      verdict = bad == 0 ? "ok" : "MISMATCH";
      for (String n : notes) {
        err.println("bench: " + w.id() + ": " + n);
      }
      return bad;
    }
  }

  /** Prints the header once and one line per workload. */
  static final class Table {
    private final List<Runner> runners;
    private boolean header;

    Table(List<Runner> runners) {
      this.runners = runners;
    }

    void print(Row row, PrintStream out) {
      if (!header) {
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-9s", "workload"));
        for (Runner r : runners) {
          h.append(String.format(Locale.ROOT, " %10s", r.name() + " s"));
        }
        h.append(String.format(Locale.ROOT, " %10s %10s %10s %8s", "xos/nat", "xos/qemu", "xos MIPS", "output"));
        out.println(h);
        header = true;
      }
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-9s", row.w.id()));
      for (Runner r : runners) {
        Runner.Measurement m = row.cells.get(r.name());
        s.append(m == null ? String.format(Locale.ROOT, " %10s", "-")
            : String.format(Locale.ROOT, " %10.3f", m.seconds()));
      }
      Runner.Measurement x = row.cells.get("xos");
      s.append(ratio(x, row.cells.get("native")));
      s.append(ratio(x, row.cells.get("qemu")));
      if (x != null && x.icount() >= 0 && x.seconds() > 0) {
        s.append(String.format(Locale.ROOT, " %10.1f", x.icount() / x.seconds() / 1e6));
      } else {
        s.append(String.format(Locale.ROOT, " %10s", "-"));
      }
      s.append(String.format(Locale.ROOT, " %8s", row.verdict));
      out.println(s);
    }

    private static String ratio(Runner.Measurement a, Runner.Measurement b) {
      if (a == null || b == null || b.seconds() <= 0) {
        return String.format(Locale.ROOT, " %10s", "-");
      }
      return String.format(Locale.ROOT, " %10.1f", a.seconds() / b.seconds());
    }
  }

  /** Builds gendata and bench, and generates (and scales) the input files. */
  static final class Prepare {
    private final Path benchDir;
    private final Path work;
    private final PrintStream err;

    Prepare(Path benchDir, Path work, PrintStream err) {
      this.benchDir = benchDir;
      this.work = work;
      this.err = err;
    }

    Path benchBinary(String cc, String name) throws IOException, InterruptedException {
      Path out = work.resolve(name);
      Path src = benchDir.resolve("bench.c");
      if (!Files.exists(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) < 0) {
        exec(List.of(cc, "-O2", "-static", "-o", out.toString(), src.toString(), "-lm"), cc
            + " failed: run scripts/setup.sh (Debian packages gcc, musl-tools)");
      }
      return out;
    }

    /**
     * memtouch (the repository's containers/src/memtouch.c, found from the working
     * directory) built with musl: the guest whose memory the snapshot timings copy.
     */
    Path memtouch() throws IOException, InterruptedException {
      Path src = Path.of("containers", "src", "memtouch.c").toAbsolutePath();
      if (!Files.exists(src)) {
        throw new IOException("no " + src + ": run the benchmark from the repository root");
      }
      Path out = work.resolve("memtouch");
      if (!Files.exists(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) < 0) {
        exec(List.of("musl-gcc", "-O2", "-static", "-o", out.toString(), src.toString()),
            "musl-gcc failed: run scripts/setup.sh (Debian package musl-tools)");
      }
      return out;
    }

    /** The directory with data16m.bin, text4m.txt and lines100k.txt at the given scale. */
    Path data(double scale) throws IOException, InterruptedException {
      Path full = work.resolve("data");
      String[] files = {"data16m.bin", "text4m.txt", "lines100k.txt"};
      if (!Files.exists(full.resolve("lines100k.txt")) || !sumsMatch(full, files)) {
        Path gendata = work.resolve("gendata");
        exec(List.of("gcc", "-O2", "-o", gendata.toString(), benchDir.resolve("gendata.c").toString()),
            "gcc failed: run scripts/setup.sh");
        Files.createDirectories(full);
        exec(List.of(gendata.toString(), full.toString()), "gendata failed");
        if (!sumsMatch(full, files)) {
          throw new IOException("generated data does not match " + benchDir.resolve("SHA256SUMS"));
        }
      }
      if (scale >= 1) {
        return full;
      }
      // Smaller inputs: a prefix of each file, cut at a line end for the text files.
      Path small = work.resolve(String.format(Locale.ROOT, "data-%.4f", scale));
      Files.createDirectories(small);
      for (String f : files) {
        byte[] b = Files.readAllBytes(full.resolve(f));
        int n = (int) Math.max(1, b.length * scale);
        if (f.endsWith(".txt")) {
          while (n < b.length && b[n - 1] != '\n') {
            n++;
          }
        }
        Path target = small.resolve(f);
        if (!Files.exists(target) || Files.size(target) != n) {
          Files.write(target, Arrays.copyOf(b, n));
        }
      }
      return small;
    }

    private boolean sumsMatch(Path dir, String[] files) throws IOException {
      List<String> lines = Files.readAllLines(benchDir.resolve("SHA256SUMS"));
      for (String f : files) {
        Path p = dir.resolve(f);
        if (!Files.exists(p)) {
          return false;
        }
        String sum = sha256(p);
        if (lines.stream().noneMatch(l -> l.startsWith(sum) && l.endsWith(f))) {
          return false;
        }
      }
      return true;
    }

    private void exec(List<String> cmd, String failure) throws IOException, InterruptedException {
      Process p;
      try {
        p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new IOException(failure + " (" + e.getMessage() + ")", e);
      }
      byte[] output = p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        err.write(output, 0, output.length);
        throw new IOException(failure);
      }
    }
  }

  static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** For running without the CLI: {@code java -cp target/classes xos.bench.Bench ARGS}. */
  public static void main(String[] args) {
    System.exit(run(List.of(args)));
  }
}
