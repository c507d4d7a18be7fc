// SPDX-License-Identifier: MIT
package xos.kernel;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import xos.engine.Command;
import xos.engine.Engine;
import xos.engine.EngineException;
import xos.engine.EngineState;
import xos.engine.EngineThread;
import xos.engine.Errno;
import xos.engine.HostFiles;
import xos.engine.HostImports;
import xos.engine.RegisterFile;

/**
 * A running guest: one engine on its own engine thread. Every method may be called from any
 * thread; each sends a command and waits for the reply. Pause, step, registers, snapshot and
 * restore are for debuggers; {@link #runToExit()} is for everyone else.
 */
public final class Machine implements AutoCloseable {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final int SIGKILL = 9;

  private final EngineThread thread;
  private final CapturedOutput output;
  private final RunOptions options;
  private volatile int pid;

  private Machine(EngineThread thread, CapturedOutput output, RunOptions options, int pid) {
    this.thread = thread;
    this.output = output;
    this.options = options;
    this.pid = pid;
  }

  /**
   * Starts a machine. The program is {@code elf} (bytes from the host) or, when elf is null,
   * the file {@code guestProgram} of the guest's own tree (after tars, mounts and files).
   */
  static Machine start(
      byte[] elf, String guestProgram, RunOptions o, CapturedOutput output, Consumer<String> log,
      boolean interactiveStdin) {
    HostFiles files = new HostFiles();
    EngineThread thread;
    try {
      thread =
          new EngineThread(
              "xos-engine-" + COUNT.incrementAndGet(),
              () ->
                  new Engine(
                      o.seed() != null
                          ? HostImports.seeded(o.seed(), output, log, files)
                          : HostImports.system(output, log, files)));
    } catch (EngineException e) {
      throw new XosException(e.getMessage(), e);
    }
    try {
      int pid = thread.call(engine -> setUp(engine, elf, guestProgram, o, interactiveStdin));
      return new Machine(thread, output, o, pid);
    } catch (RuntimeException e) {
      thread.close();
      if (e instanceof XosException) {
        throw e;
      }
      throw new XosException(e.getMessage(), e);
    }
  }

  private static void mount(Engine engine, RunOptions.HostMount m) {
    int id;
    try {
      id = engine.files().addMount(m.hostDir(), m.readOnly());
    } catch (IOException e) {
      throw new XosException("cannot mount " + m.hostDir() + ": " + e.getMessage(), e);
    }
    int r = engine.mountHost(m.guestPath(), id, m.readOnly());
    if (r < 0) {
      throw new XosException(
          "cannot mount " + m.hostDir() + " at " + m.guestPath() + ": " + engine.error() + " (" + r + ")");
    }
  }

  /**
   * On the engine thread: tars, mounts, files, cwd, strace, then the spawn and stdin (none when
   * both elf and guestProgram are null: a machine for {@link #run}). Returns the pid (0: none).
   */
  private static int setUp(
      Engine engine, byte[] elf, String guestProgram, RunOptions o, boolean interactiveStdin) {
    for (RunOptions.TarMount t : o.tars()) {
      try {
        TarImport.unpack(engine, t.guestPath(), t.archive());
      } catch (IOException | RuntimeException e) {
        throw new XosException("cannot unpack " + t.archive() + " at " + t.guestPath() + ": " + e.getMessage(), e);
      }
    }
    for (RunOptions.HostMount m : o.mounts()) {
      mount(engine, m);
    }
    for (var f : o.files().entrySet()) {
      int r = engine.writeFile(f.getKey(), f.getValue(), 0755);
      if (r < 0) {
        throw new XosException("cannot create guest file " + f.getKey() + ": " + engine.error() + " (" + r + ")");
      }
    }
    for (var l : o.symlinks().entrySet()) {
      int r = engine.fsSymlink(l.getKey(), l.getValue());
      if (r < 0) {
        throw new XosException("cannot create guest symlink " + l.getKey() + ": " + engine.error() + " (" + r + ")");
      }
    }
    int r = engine.setCwd(o.cwd());
    if (r < 0) {
      throw new XosException("cannot change to directory " + o.cwd() + ": " + engine.error() + " (" + r + ")");
    }
    engine.setStrace(o.strace());
    engine.setTty(o.ttyMask());
    engine.setRealtime(o.realTime());
    if (elf == null && guestProgram == null) {
      return 0;
    }
    int pid = elf != null ? engine.spawn(elf, o.argv(), o.env()) : engine.spawnPath(guestProgram, o.argv(), o.env());
    if (pid < 0) {
      String msg = engine.error();
      if (elf == null && msg.isEmpty()) {
        msg = guestProgram + ": " + Errno.describe(-pid);
      }
      throw new ExecFormatException(msg.isEmpty() ? "cannot execute program (errno " + -pid + ")" : msg, pid);
    }
    if (!interactiveStdin) {
      byte[] in = o.stdin();
      if (in.length > 0) {
        engine.stdinPush(in, 0, in.length);
      }
      engine.stdinClose();
    }
    return pid;
  }

  public int pid() {
    return pid;
  }

  // ---- a machine that runs one program after another (Machine.create) ----

  /**
   * A sandboxed machine with no process yet: an empty tmpfs root (with /tmp, /dev, /proc). Give
   * it a file tree with {@link #mountTar}, {@link #mountHost} and {@link #writeFile}, then run
   * programs in it one after another with {@link #run}; files they write stay for the next.
   */
  public static Machine create() {
    return create(RunOptions.defaults(), line -> System.err.println(line));
  }

  /**
   * Like {@link #create()}, with the options' tars, mounts, files, symlinks, cwd, environment,
   * strace and seed applied (argv and stdin are per run).
   */
  public static Machine create(RunOptions o, Consumer<String> log) {
    return start(null, null, o, new CapturedOutput(null, true), log, false);
  }

  /** Unpacks a tar archive (plain, .gz, .xz, .zst, .bz2) at guestPath. */
  public TarImport.Stats mountTar(String guestPath, java.nio.file.Path archive) {
    return thread.call(e -> {
      try {
        return TarImport.unpack(e, guestPath, archive);
      } catch (IOException | RuntimeException x) {
        throw new XosException("cannot unpack " + archive + " at " + guestPath + ": " + x.getMessage(), x);
      }
    });
  }

  /** Unpacks tar bytes (plain or compressed) at guestPath. */
  public TarImport.Stats mountTar(String guestPath, byte[] archive) {
    return thread.call(e -> {
      try {
        return TarImport.unpack(e, guestPath, new java.io.ByteArrayInputStream(archive));
      } catch (IOException | RuntimeException x) {
        throw new XosException("cannot unpack a tar at " + guestPath + ": " + x.getMessage(), x);
      }
    });
  }

  /** Mounts a host directory; the guest cannot leave it through .., symlinks or renames. */
  public void mountHost(String guestPath, java.nio.file.Path hostDir, boolean readOnly) {
    thread.call(e -> {
      mount(e, new RunOptions.HostMount(guestPath, hostDir, readOnly));
      return null;
    });
  }

  /** Creates (or replaces) a file in the guest's tree, parents included. */
  public void writeFile(String guestPath, byte[] data, int mode) {
    thread.call(e -> {
      int r = e.writeFile(guestPath, data, mode);
      if (r < 0) {
        throw new XosException("cannot create guest file " + guestPath + ": " + e.error() + " (" + r + ")");
      }
      return null;
    });
  }

  /** Runs a program of the guest's tree to its end, with empty stdin. */
  public ProcessResult run(String... argv) {
    return run(List.of(argv), new byte[0]);
  }

  /**
   * Runs a program of the guest's tree to its end. argv[0] is a path, or a name looked up in
   * the PATH of the machine's environment. The result holds this run's output only.
   *
   * @throws ExecFormatException when the program is missing or cannot be started
   */
  public ProcessResult run(List<String> argv, byte[] stdin) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv needs at least argv[0]");
    }
    int p = thread.callAndRearm(e -> {
      output.reset(new byte[0], new byte[0]);
      e.stdinReopen();
      int r = -Errno.ENOENT;
      for (String path : candidates(argv.get(0), options.env())) {
        r = e.spawnPath(path, argv, options.env());
        if (r != -Errno.ENOENT) {
          break;
        }
      }
      if (r < 0) {
        String msg = e.error();
        throw new ExecFormatException(argv.get(0) + ": " + (r == -Errno.ENOENT ? "command not found"
            : msg.isEmpty() ? Errno.describe(-r) : msg), r);
      }
      if (stdin.length > 0) {
        e.stdinPush(stdin, 0, stdin.length);
      }
      e.stdinClose();
      return r;
    }, true);
    pid = p;
    return runToExit();
  }

  /** Runs {@code script} with the guest's {@code /bin/sh -c}. */
  public ProcessResult runShellScript(String script) {
    return run(List.of("/bin/sh", "-c", script), new byte[0]);
  }

  /** Where argv[0] may be: itself if it has a slash, else each PATH directory in turn. */
  static List<String> candidates(String name, List<String> env) {
    if (name.contains("/")) {
      return List.of(name);
    }
    String path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (String v : env) {
      if (v.startsWith("PATH=")) {
        path = v.substring(5);
      }
    }
    List<String> c = new java.util.ArrayList<>();
    for (String dir : path.split(":")) {
      if (!dir.isEmpty()) {
        c.add((dir.endsWith("/") ? dir : dir + "/") + name);
      }
    }
    return c;
  }

  /** The latest state the engine thread published (cheap; for views that poll). */
  public EngineState state() {
    return thread.state();
  }

  /** Runs up to {@code budget} instructions, waiting for input while idle; blocks until it stops. */
  public EngineState run(long budget) {
    return EngineThread.join(runAsync(budget, false));
  }

  /** Starts a run and returns at once. */
  public CompletableFuture<EngineState> runAsync(long budget, boolean returnOnIdle) {
    CompletableFuture<EngineState> f = new CompletableFuture<>();
    thread.send(new Command.Run(budget, returnOnIdle, f));
    return f;
  }

  /**
   * Runs until the guest exits (or the instruction limit). Breakpoint stops are continued.
   *
   * @throws XosException if the engine fails, or every task waits for input that cannot come
   */
  public ProcessResult runToExit() {
    while (true) {
      long limit = options.instructionLimit();
      long budget = Long.MAX_VALUE;
      if (limit > 0) {
        budget = limit - Math.max(0, state().icount());
        if (budget <= 0) {
          return killed();
        }
      }
      EngineState s = run(budget);
      switch (s.status()) {
        case EXITED:
          return ProcessResult.fromWaitStatus(pid, s.waitStatus(), output.stdout(), output.stderr());
        case BUDGET:
          if (limit > 0) {
            return killed();
          }
          break;
        case STOPPED:
          break;
        case IDLE:
          throw new XosException("the guest waits for input after the end of its stdin (deadlock)");
        case PAUSED:
          throw new XosException("the machine was paused");
        case FAULT:
          throw new XosException("engine fault: " + s.error());
        default:
          throw new XosException("unexpected engine state " + s.status());
      }
    }
  }

  private ProcessResult killed() {
    return new ProcessResult(pid, 0, output.stdout(), output.stderr(), SIGKILL);
  }

  /** Stops a run in progress at the next slice boundary. */
  public EngineState pause() {
    CompletableFuture<EngineState> f = new CompletableFuture<>();
    thread.send(new Command.Pause(f));
    return EngineThread.join(f);
  }

  /** Executes one instruction. */
  public EngineState step() {
    CompletableFuture<EngineState> f = new CompletableFuture<>();
    thread.send(new Command.Step(f));
    return EngineThread.join(f);
  }

  public RegisterFile registers() {
    return thread.call(Engine::registers);
  }

  public long icount() {
    return thread.call(Engine::icount);
  }

  /** Guest virtual memory of the current task (shorter at the first unmapped page). */
  public byte[] readMemory(long addr, int len) {
    return thread.call(e -> e.peek(addr, len));
  }

  /** A copy of the engine's whole linear memory. */
  public byte[] linearMemory() {
    return thread.call(e -> e.memory().copyBytes());
  }

  /** Disassembly in AT&T syntax (true) or Intel syntax (false, the default); false if unsupported. */
  public boolean setAttSyntax(boolean att) {
    return thread.call(e -> e.setDisasmAtt(att));
  }

  public String disassemble(long addr) {
    return thread.call(e -> e.disasm(addr));
  }

  /** One decoded instruction: where, how long (-1: undecodable) and its text. */
  public record Instruction(long address, int length, String text) {}

  /** Up to {@code count} instructions from {@code addr} on, stopping at one that cannot be decoded. */
  public java.util.List<Instruction> disassemble(long addr, int count) {
    return thread.call(e -> {
      java.util.List<Instruction> out = new java.util.ArrayList<>();
      long a = addr;
      for (int i = 0; i < count; i++) {
        String text = e.disasm(a);
        int len = e.disasmLength();
        out.add(new Instruction(a, len, text));
        if (len <= 0) {
          break;
        }
        a += len;
      }
      return out;
    });
  }

  /** Writes guest virtual memory of the current task; returns the bytes written. */
  public int writeMemory(long addr, byte[] bytes) {
    return thread.call(e -> e.poke(addr, bytes));
  }

  /** Registers plus, when the engine exports them, the 16 XMM/YMM registers (else null). */
  public long[][] vectorRegisters() {
    return thread.call(e -> {
      if (!e.hasXmm()) {
        return null;
      }
      long[][] v = new long[16][];
      for (int i = 0; i < 16; i++) {
        v[i] = e.xmm(i);
      }
      return v;
    });
  }


  /** Creates a guest symlink; false when the engine cannot (no xos_symlink export, or an error). */
  public boolean symlink(String target, String path) {
    return thread.call(e -> e.symlink(target, path)) == 0;
  }

  /** The guest's terminal size (rows, columns); false when the engine cannot take it. */
  public boolean setWindowSize(int rows, int cols) {
    return thread.call(e -> e.setWinsize(rows, cols));
  }

  /** Turns the strace log on or off (lines go to the kernel's log consumer). */
  public void setStrace(boolean on) {
    thread.call(e -> {
      e.setStrace(on);
      return null;
    });
  }

  public int setBreakpoint(long addr) {
    return thread.call(e -> e.breakSet(addr));
  }

  public int clearBreakpoint(long addr) {
    return thread.call(e -> e.breakClear(addr));
  }

  /** Bytes for the guest's stdin (interactive machines). */
  public void pushInput(byte[] bytes) {
    thread.send(new Command.PushInput(bytes));
  }

  /** End of the guest's stdin. */
  public void closeInput() {
    thread.send(new Command.CloseInput());
  }

  /** Output captured so far (empty for machines that stream to a sink). */
  public byte[] stdout() {
    return output.stdout();
  }

  public byte[] stderr() {
    return output.stderr();
  }

  /** One task of the guest: a thread of a process (tid 0: a zombie with no threads left). */
  public record Task(int pid, int ppid, int pgid, int tid, char state, String command) {}

  /** The guest's processes and threads now (R running, S sleeping, T stopped, Z zombie). */
  public List<Task> processes() {
    String text = thread.call(Engine::processList);
    List<Task> out = new java.util.ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(" ", 6);
      if (f.length == 6) {
        try {
          out.add(new Task(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
              Integer.parseInt(f[3]), f[4].charAt(0), f[5]));
        } catch (NumberFormatException e) {
          // a malformed line: skipped (the engine writes them itself)
        }
      }
    }
    return out;
  }

  /** The whole machine now; taken between slices, so consistent even while running. */
  public Snapshot snapshot() {
    return thread.call(e -> new Snapshot(e.snapshot(), output.stdout(), output.stderr(), e.icount()));
  }

  /** Makes the machine byte-exactly what it was at {@code s}. A run in progress is paused. */
  public EngineState restore(Snapshot s) {
    CompletableFuture<EngineState> f = new CompletableFuture<>();
    thread.send(new Command.Restore(s.engine(), f));
    // Queued right behind the restore: no run can start in between.
    thread.call(e -> {
      output.reset(s.stdout(), s.stderr());
      return null;
    });
    return EngineThread.join(f);
  }

  @Override
  public void close() {
    thread.close();
  }
}
