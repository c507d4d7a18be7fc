// SPDX-License-Identifier: MIT
package xos.engine;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import xos.engine.compiled.EngineModule;

/**
 * One instance of containers/engine.wasm (compiled to JVM bytecode at build time) with its
 * flat memory and host imports. Calls map one to one onto the exports of host/api.h.
 *
 * <p>Not thread-safe: exactly one thread (the {@link EngineThread}, or a test) may use it.
 * A trap inside the engine (an engine bug, never guest behaviour) becomes an
 * {@link EngineException}.
 */
public final class Engine implements AutoCloseable {
  // enum xos_status (host/api.h)
  public static final int XOS_BUDGET = 0;
  public static final int XOS_IDLE = 1;
  public static final int XOS_EXITED = 2;
  public static final int XOS_STOPPED = 3;
  public static final int XOS_FAULT = 4;

  public static final int XREG_RIP = 16;
  public static final int XREG_RFLAGS = 17;
  public static final int XREG_FS = 18;
  public static final int XREG_GS = 19;
  public static final int XREG_COUNT = 20;

  /** Version of the host record inside snapshots. */
  public static final int HOST_RECORD_VERSION = 1;

  private final Instance instance;
  private final FlatMemory memory;
  private final HostImports imports;

  private final ExportFunction fInit;
  private final ExportFunction fBuffer;
  private final ExportFunction fError;
  private final ExportFunction fErrorLen;
  private final ExportFunction fSpawn;
  private final ExportFunction fSpawnPath;
  private final ExportFunction fRun;
  private final ExportFunction fStep;
  private final ExportFunction fExitStatus;
  private final ExportFunction fStdinPush;
  private final ExportFunction fStdinClose;
  private final ExportFunction fStdinReopen;
  private final ExportFunction fReg;
  private final ExportFunction fSetReg;
  private final ExportFunction fIcount;
  private final ExportFunction fPid;
  private final ExportFunction fPeek;
  private final ExportFunction fPoke;
  private final ExportFunction fSetStrace;
  private final ExportFunction fMountHost;
  private final ExportFunction fSetCwd;
  private final ExportFunction fWriteFile;
  private final ExportFunction fBreakSet;
  private final ExportFunction fBreakClear;
  private final ExportFunction fDisasm;
  private final ExportFunction fText;
  private final ExportFunction fSetPageLimit;
  private final ExportFunction fSetTty; // null in engines before xos_set_tty
  // host/debug_api.h (the witness's exports); null in engines built without them.
  private final ExportFunction fDisasmLen;
  private final ExportFunction fXmm;
  private final ExportFunction fDisasmSyntax; // null in engines before xos_disasm_syntax
  private boolean disasmAtt;
  private final ExportFunction fSymlink;
  private final ExportFunction fSetWinsize; // null in engines before xos_set_winsize
  private final ExportFunction fSetRealtime; // null in engines before xos_set_realtime
  private final ExportFunction fWaitNs;
  private final ExportFunction fPs; // null in engines before xos_ps
  private final ExportFunction fPsText;
  private final ExportFunction fFsMkdir;
  private final ExportFunction fFsSymlink;
  private final ExportFunction fFsWrite;
  private final ExportFunction fFsAttr;
  private final ExportFunction fFsLink;

  private static volatile byte[] buildId;

  /**
   * SHA-256 of the compiled engine module (engine.wasm as built into this jar): a snapshot's
   * linear memory restores only into the engine build that took it.
   */
  public static byte[] buildId() {
    byte[] id = buildId;
    if (id == null) {
      try (java.io.InputStream in = EngineModule.class.getResourceAsStream("EngineModule.meta")) {
        if (in == null) {
          throw new EngineException("the compiled engine (EngineModule.meta) is missing from the class path");
        }
        id = java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
      } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
        throw new EngineException("cannot read the compiled engine: " + e.getMessage(), e);
      }
      buildId = id;
    }
    return id.clone();
  }

  /** Instantiates the engine and calls xos_init. */
  public Engine(HostImports imports) {
    JitGuard.install();
    this.imports = imports;
    FlatMemory[] made = new FlatMemory[1];
    try {
      this.instance =
          Instance.builder(EngineModule.load())
              .withImportValues(imports.importValues())
              .withMachineFactory(EngineModule::create)
              .withMemoryFactory(limits -> made[0] = new FlatMemory(limits))
              .build();
    } catch (ChicoryException | LinkageError e) {
      throw new EngineException("cannot instantiate engine.wasm: " + e.getMessage(), e);
    }
    this.memory = made[0];
    if (memory == null || instance.memory() != memory) {
      throw new EngineException("engine memory is not the flat memory");
    }
    fInit = export("xos_init");
    fBuffer = export("xos_buffer");
    fError = export("xos_error");
    fErrorLen = export("xos_error_len");
    fSpawn = export("xos_spawn");
    fSpawnPath = export("xos_spawn_path");
    fRun = export("xos_run");
    fStep = export("xos_step");
    fExitStatus = export("xos_exit_status");
    fStdinPush = export("xos_stdin_push");
    fStdinClose = export("xos_stdin_close");
    fStdinReopen = export("xos_stdin_reopen");
    fReg = export("xos_reg");
    fSetReg = export("xos_set_reg");
    fIcount = export("xos_icount");
    fPid = export("xos_pid");
    fPeek = export("xos_peek");
    fPoke = export("xos_poke");
    fSetStrace = export("xos_set_strace");
    fMountHost = export("xos_mount_host");
    fSetCwd = export("xos_set_cwd");
    fWriteFile = export("xos_write_file");
    fBreakSet = export("xos_break_set");
    fBreakClear = export("xos_break_clear");
    fDisasm = export("xos_disasm");
    fText = export("xos_text");
    fSetPageLimit = export("xos_set_page_limit");
    fSetTty = optionalExport("xos_set_tty");
    fDisasmLen = optionalExport("xos_disasm_len");
    fDisasmSyntax = optionalExport("xos_disasm_syntax");
    fXmm = optionalExport("xos_xmm");
    fSymlink = optionalExport("xos_symlink");
    fSetWinsize = optionalExport("xos_set_winsize");
    fSetRealtime = optionalExport("xos_set_realtime");
    fWaitNs = optionalExport("xos_wait_ns");
    fPs = optionalExport("xos_ps");
    fPsText = optionalExport("xos_ps_text");
    fFsMkdir = export("xos_fs_mkdir");
    fFsSymlink = export("xos_fs_symlink");
    fFsWrite = export("xos_fs_write");
    fFsAttr = export("xos_fs_attr");
    fFsLink = export("xos_fs_link");
    int r = (int) call(fInit)[0];
    if (r < 0) {
      throw new EngineException("xos_init failed: " + r + " " + error());
    }
  }

  private ExportFunction export(String name) {
    try {
      return instance.export(name);
    } catch (ChicoryException e) {
      throw new EngineException("engine.wasm lacks export " + name, e);
    }
  }

  private ExportFunction optionalExport(String name) {
    try {
      return instance.exports().function(name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long[] call(ExportFunction f, long... args) {
    try {
      return f.apply(args);
    } catch (ChicoryException e) {
      throw new EngineException("engine trapped: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new EngineException("engine trapped: call stack exhausted", e);
    } catch (RuntimeException e) {
      // A failure inside a host import or the compiled module: still the engine's, and the
      // engine thread must survive it to report it.
      throw new EngineException("engine failed: " + e, e);
    }
  }

  private static int i32(long[] r) {
    return (int) r[0];
  }

  public FlatMemory memory() {
    return memory;
  }

  public HostFiles files() {
    return imports.files();
  }

  // ---- buffers and strings ----

  /** Copies bytes into the engine's scratch buffer and returns its linear address. */
  private int buffer(byte[] data) {
    int addr = i32(call(fBuffer, data.length));
    if (addr == 0 && data.length > 0) {
      throw new EngineException(
          "engine could not allocate a buffer of " + data.length + " bytes (" + error() + "); memory "
              + memory.describe());
    }
    memory.write(addr, data, 0, data.length);
    return addr;
  }

  /** The engine's last error message. */
  public String error() {
    int addr = i32(call(fError));
    int len = i32(call(fErrorLen));
    if (addr == 0 || len <= 0) {
      return "";
    }
    return new String(memory.readBytes(addr, len), StandardCharsets.UTF_8);
  }

  /**
   * argv and envp as the args block of xos_spawn: u32 argc, u32 envc (little endian), then every
   * string NUL-terminated (counts, so an empty string is an ordinary argument).
   */
  static byte[] argsBlock(List<String> argv, List<String> env) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int n : new int[] {argv.size(), env.size()}) {
      out.write(n);
      out.write(n >>> 8);
      out.write(n >>> 16);
      out.write(n >>> 24);
    }
    for (List<String> list : List.of(argv, env)) {
      for (String s : list) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write(0);
      }
    }
    return out.toByteArray();
  }

  /**
   * Spawns the first process from ELF bytes. Returns the pid (&gt;0) or a negative errno; on
   * failure {@link #error()} has the message.
   */
  public int spawn(byte[] elf, List<String> argv, List<String> env) {
    // Both live in one buffer (xos_buffer is valid until its next call).
    byte[] args = argsBlock(argv, env);
    byte[] both = new byte[elf.length + args.length];
    System.arraycopy(elf, 0, both, 0, elf.length);
    System.arraycopy(args, 0, both, elf.length, args.length);
    int addr = buffer(both);
    return i32(call(fSpawn, addr, elf.length, addr + elf.length, args.length));
  }

  /** Spawns the first process from a path in the guest file system. */
  public int spawnPath(String path, List<String> argv, List<String> env) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    byte[] args = argsBlock(argv, env);
    byte[] both = new byte[p.length + args.length];
    System.arraycopy(p, 0, both, 0, p.length);
    System.arraycopy(args, 0, both, p.length, args.length);
    int addr = buffer(both);
    return i32(call(fSpawnPath, addr, p.length, addr + p.length, args.length));
  }

  public int run(long budget) {
    return i32(call(fRun, budget));
  }

  public int step() {
    return i32(call(fStep));
  }

  public int exitStatus() {
    return i32(call(fExitStatus));
  }

  public void stdinPush(byte[] data, int off, int len) {
    byte[] b = new byte[len];
    System.arraycopy(data, off, b, 0, len);
    int addr = buffer(b);
    call(fStdinPush, addr, len);
  }

  /** A fresh stdin (no buffered input, no end of file) for the next spawn. */
  public void stdinReopen() {
    call(fStdinReopen);
  }

  public void stdinClose() {
    call(fStdinClose);
  }

  public long reg(int i) {
    return call(fReg, i)[0];
  }

  public void setReg(int i, long v) {
    call(fSetReg, i, v);
  }

  public RegisterFile registers() {
    long[] gpr = new long[16];
    for (int i = 0; i < 16; i++) {
      gpr[i] = reg(i);
    }
    return new RegisterFile(gpr, reg(XREG_RIP), reg(XREG_RFLAGS), reg(XREG_FS), reg(XREG_GS));
  }

  public long icount() {
    return call(fIcount)[0];
  }

  public int pid() {
    return i32(call(fPid));
  }

  /** Guest virtual memory of the current task; shorter than len at the first unmapped page. */
  public byte[] peek(long addr, int len) {
    int buf = i32(call(fBuffer, len));
    int n = i32(call(fPeek, addr, buf, len));
    if (n <= 0) {
      return new byte[0];
    }
    return memory.readBytes(buf, n);
  }

  public int poke(long addr, byte[] data) {
    int buf = buffer(data);
    return i32(call(fPoke, addr, buf, data.length));
  }

  public void setStrace(boolean on) {
    call(fSetStrace, on ? 1 : 0);
  }

  /** Mounts host mount {@code hostMount} (from {@link HostFiles#addMount}) at a guest path. */
  public int mountHost(String guestPath, int hostMount, boolean readOnly) {
    byte[] p = guestPath.getBytes(StandardCharsets.UTF_8);
    int addr = buffer(p);
    return i32(call(fMountHost, addr, p.length, hostMount, readOnly ? 1 : 0));
  }

  public int setCwd(String path) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    int addr = buffer(p);
    return i32(call(fSetCwd, addr, p.length));
  }

  public int writeFile(String path, byte[] data, int mode) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    byte[] both = new byte[p.length + data.length];
    System.arraycopy(p, 0, both, 0, p.length);
    System.arraycopy(data, 0, both, p.length, data.length);
    int addr = buffer(both);
    return i32(call(fWriteFile, addr, p.length, addr + p.length, data.length, mode));
  }

  // ---- building a guest tree (host/fsimport.h); each returns 0 or a negative errno ----

  /** Copies two byte strings into one scratch buffer; returns its address. */
  private int buffer2(byte[] a, byte[] b, int blen) {
    byte[] both = new byte[a.length + blen];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, blen);
    return buffer(both);
  }

  /** mkdir -p, then exactly {@code mode} on the last directory. */
  public int fsMkdir(String path, int mode) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    return i32(call(fFsMkdir, buffer(p), p.length, mode));
  }

  /** A symlink at {@code path} pointing to {@code target}. */
  public int fsSymlink(String path, String target) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    byte[] t = target.getBytes(StandardCharsets.UTF_8);
    int addr = buffer2(p, t, t.length);
    return i32(call(fFsSymlink, addr, p.length, addr + p.length, t.length));
  }

  /** Writes {@code data[0..len)} at {@code offset}; offset 0 creates the file with {@code mode}. */
  public int fsWrite(String path, byte[] data, int len, long offset, int mode) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    int addr = buffer2(p, data, len);
    return i32(call(fFsWrite, addr, p.length, addr + p.length, len, offset, mode));
  }

  /** Owner and modification time of {@code path} itself; -1 keeps a value. */
  public int fsAttr(String path, int uid, int gid, long mtimeNs) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    return i32(call(fFsAttr, buffer(p), p.length, uid, gid, mtimeNs));
  }

  /** A hard link (a copy in tmpfs) at {@code path} of the file {@code target}. */
  public int fsLink(String path, String target) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    byte[] t = target.getBytes(StandardCharsets.UTF_8);
    int addr = buffer2(p, t, t.length);
    return i32(call(fFsLink, addr, p.length, addr + p.length, t.length));
  }

  public int breakSet(long addr) {
    return i32(call(fBreakSet, addr));
  }

  public int breakClear(long addr) {
    return i32(call(fBreakClear, addr));
  }

  /**
   * Chooses the syntax of {@link #disasm}: Intel (the default, as objdump -M intel) or AT&T (as
   * objdump -M att). False when the engine cannot (no xos_disasm_syntax export). The choice is
   * the host's: it survives restoring a snapshot taken in the other syntax.
   */
  public boolean setDisasmAtt(boolean att) {
    if (fDisasmSyntax == null) {
      return false;
    }
    disasmAtt = att;
    return true;
  }

  /** One instruction's disassembly at a guest address. */
  public String disasm(long addr) {
    if (fDisasmSyntax != null) {
      call(fDisasmSyntax, disasmAtt ? 1 : 0); // the engine's flag lives in linear memory
    }
    int n = i32(call(fDisasm, addr));
    if (n <= 0) {
      return "";
    }
    int text = i32(call(fText));
    return new String(memory.readBytes(text, n), StandardCharsets.UTF_8);
  }

  /**
   * The host terminal's size (TIOCGWINSZ; the foreground group gets SIGWINCH). False when the
   * engine has no xos_set_winsize.
   */
  /**
   * Whether guest sleeps take real time (the engine returns idle and the engine thread waits,
   * see {@link #waitNanos}) or move the guest's clocks at once (default: fast, deterministic).
   */
  public void setRealtime(boolean on) {
    if (fSetRealtime != null) {
      call(fSetRealtime, on ? 1 : 0);
    }
  }

  /** After an idle run: nanoseconds until a sleeper is due (0: now), or -1: only input can wake it. */
  public long waitNanos() {
    return fWaitNs == null ? -1 : call(fWaitNs)[0];
  }

  /** The engine's task list, one line a task: "pid ppid pgid tid state comm" (empty if unknown). */
  public String processList() {
    if (fPs == null || fPsText == null) {
      return "";
    }
    int n = i32(call(fPs));
    return n <= 0 ? "" : new String(memory.readBytes(i32(call(fPsText)), n), StandardCharsets.UTF_8);
  }

  public boolean setWinsize(int rows, int cols) {
    if (fSetWinsize == null) {
      return false;
    }
    call(fSetWinsize, rows, cols);
    return true;
  }

  /** Length in bytes of the instruction the last {@link #disasm} decoded (-1: undecodable). */
  public int disasmLength() {
    return fDisasmLen == null ? -1 : i32(call(fDisasmLen));
  }

  /** Whether this engine exports the SSE registers (xos_xmm). */
  public boolean hasXmm() {
    return fXmm != null;
  }

  /** XMM/YMM register i of the current task as four 64-bit lanes (low first). */
  public long[] xmm(int i) {
    long[] q = new long[4];
    if (fXmm != null) {
      for (int lane = 0; lane < 4; lane++) {
        q[lane] = call(fXmm, i, lane)[0];
      }
    }
    return q;
  }

  /**
   * Creates a symlink in the guest file system; 0 or a negative errno, or -38 (ENOSYS) when
   * the engine has no xos_symlink.
   */
  public int symlink(String target, String path) {
    if (fSymlink == null) {
      return -38;
    }
    byte[] t = target.getBytes(StandardCharsets.UTF_8);
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    byte[] both = new byte[t.length + p.length];
    System.arraycopy(t, 0, both, 0, t.length);
    System.arraycopy(p, 0, both, t.length, p.length);
    int addr = buffer(both);
    return i32(call(fSymlink, addr, t.length, addr + t.length, p.length));
  }

  /** Which console fds are host terminals: bit 0 stdin, 1 stdout, 2 stderr. */
  public void setTty(int mask) {
    if (fSetTty != null) {
      call(fSetTty, mask);
    }
  }

  public void setPageLimit(long pages) {
    call(fSetPageLimit, pages);
  }

  // ---- snapshots ----

  /** Linear memory, every global of the module, and the host's own record. */
  public Snapshot snapshot() {
    int n = instance.globalCount();
    long[] low = new long[n];
    long[] high = new long[n];
    for (int i = 0; i < n; i++) {
      GlobalInstance g = instance.global(i);
      low[i] = g.getValueLow();
      high[i] = g.getValueHigh();
    }
    HostFiles f = imports.files();
    Snapshot.HostRecord host =
        new Snapshot.HostRecord(
            HOST_RECORD_VERSION, f.mounts(), f.handleRecords(), f.nextHandle(), imports.seededState());
    return new Snapshot(memory.copyBytes(), low, high, host);
  }

  /** Makes the engine byte-exactly what it was at {@code s}. */
  public void restore(Snapshot s) {
    if (s.host().version() != HOST_RECORD_VERSION) {
      throw new EngineException("snapshot host record version " + s.host().version() + " is not "
          + HOST_RECORD_VERSION);
    }
    int n = instance.globalCount();
    if (s.globalsLow().length != n) {
      throw new EngineException("snapshot has " + s.globalsLow().length + " globals, engine has " + n
          + " (a snapshot of another engine.wasm?)");
    }
    try {
      imports.files().restore(s.host().mounts(), s.host().handles(), s.host().nextHandle());
    } catch (java.io.IOException e) {
      throw new EngineException("cannot restore host files: " + e.getMessage(), e);
    }
    imports.restoreSeededState(s.host().seededState());
    memory.restoreBytes(s.memoryImage());
    for (int i = 0; i < n; i++) {
      GlobalInstance g = instance.global(i);
      g.setValueLow(s.globalsLow()[i]);
      g.setValueHigh(s.globalsHigh()[i]);
    }
  }

  /** Names of mutable global state, for diagnostics. */
  List<String> describeGlobals() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < instance.globalCount(); i++) {
      GlobalInstance g = instance.global(i);
      out.add(i + ":" + g.getType() + "=" + g.getValue());
    }
    return out;
  }

  @Override
  public void close() {
    try {
      imports.files().close();
    } finally {
      memory.release();
    }
  }
}
