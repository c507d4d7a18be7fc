// SPDX-License-Identifier: MIT
package xos.engine;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every import of host/host.h (module "xos"), implemented for the JVM. Each moves bytes between
 * linear memory and the host; none interprets guest behaviour. Host failures become negative
 * Linux errno values, never exceptions into the engine.
 */
public final class HostImports {
  public static final String MODULE = "xos";

  private final ConsoleSink console;
  private final Consumer<String> log;
  private final HostClock clock;
  private final java.util.function.Consumer<byte[]> random;
  private final HostFiles files;

  public HostImports(
      ConsoleSink console, Consumer<String> log, HostClock clock, Consumer<byte[]> random, HostFiles files) {
    this.console = console;
    this.log = log;
    this.clock = clock;
    this.random = random;
    this.files = files;
  }

  public HostFiles files() {
    return files;
  }

  /** A seeded host's clock and random state (empty when they come from the host). */
  long[] seededState() {
    if (clock instanceof SeededHost) {
      return ((SeededHost) clock).state();
    }
    return new long[0];
  }

  void restoreSeededState(long[] s) {
    if (clock instanceof SeededHost && s.length == 2) {
      ((SeededHost) clock).restore(s);
    }
  }

  /** Host clock and random bytes. */
  public static HostImports system(ConsoleSink console, Consumer<String> log, HostFiles files) {
    java.security.SecureRandom r = new java.security.SecureRandom();
    return new HostImports(console, log, HostClock.system(), r::nextBytes, files);
  }

  /** Clock and random bytes from a seed: the same inputs give the same run. */
  public static HostImports seeded(long seed, ConsoleSink console, Consumer<String> log, HostFiles files) {
    SeededHost h = new SeededHost(seed);
    return new HostImports(console, log, h, h, files);
  }

  private static final ValType I32 = ValType.I32;
  private static final ValType I64 = ValType.I64;
  private static final long[] NONE = new long[0];

  private static FunctionType type(List<ValType> params, List<ValType> results) {
    return FunctionType.of(params, results);
  }

  private static FlatMemory mem(Instance instance) {
    return (FlatMemory) instance.memory();
  }

  private static String string(Instance instance, long addr, long len) {
    byte[] b = bytes(instance, addr, len);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(Instance instance, long addr, long len) {
    byte[] b = new byte[(int) len];
    mem(instance).readInto((int) addr, b, 0, (int) len);
    return b;
  }

  private static long[] ret(int v) {
    return new long[] {v};
  }

  private static final String WASI = "wasi_snapshot_preview1";
  private static final int WASI_ESPIPE = 70;
  private static final int WASI_EBADF = 8;

  /**
   * wasi-libc's stdio reaches these if the engine ever prints through FILE* (for instance an
   * assert message). They are not part of the host contract: fd 1 and 2 go to the log as
   * engine diagnostics, never to the guest's console; nothing else is served.
   */
  private HostFunction[] wasiStubs() {
    return new HostFunction[] {
      new HostFunction(WASI, "fd_write", type(List.of(I32, I32, I32, I32), List.of(I32)),
          (inst, a) -> {
            int fd = (int) a[0];
            FlatMemory m = mem(inst);
            long total = 0;
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < (int) a[2]; i++) {
              int iov = (int) a[1] + 8 * i;
              int buf = m.readInt(iov);
              int len = m.readInt(iov + 4);
              text.append(new String(m.readBytes(buf, len), StandardCharsets.UTF_8));
              total += len;
            }
            if (fd != 1 && fd != 2) {
              return ret(WASI_EBADF);
            }
            String t = text.toString();
            if (t.endsWith("\n")) {
              t = t.substring(0, t.length() - 1);
            }
            if (!t.isEmpty()) {
              log.accept("engine: " + t);
            }
            m.writeI32((int) a[3], (int) total);
            return ret(0);
          }),
      new HostFunction(WASI, "fd_seek", type(List.of(I32, I64, I32, I32), List.of(I32)),
          (inst, a) -> ret(WASI_ESPIPE)),
      new HostFunction(WASI, "fd_close", type(List.of(I32), List.of(I32)),
          (inst, a) -> ret(0)),
    };
  }

  /** The import values for Instance.builder(...).withImportValues(...). */
  public ImportValues importValues() {
    return ImportValues.builder()
        .addFunction(
            new HostFunction(MODULE, "console_write", type(List.of(I32, I32, I32), List.of()),
                (inst, a) -> {
                  int len = (int) a[2];
                  if (len > 0) {
                    byte[] b = bytes(inst, a[1], len);
                    console.write((int) a[0], b, 0, len);
                  }
                  return NONE;
                }),
            new HostFunction(MODULE, "log", type(List.of(I32, I32), List.of()),
                (inst, a) -> {
                  log.accept(string(inst, a[0], a[1]));
                  return NONE;
                }),
            new HostFunction(MODULE, "clock", type(List.of(I32), List.of(I64)),
                (inst, a) -> new long[] {(int) a[0] == 0 ? clock.realtimeNanos() : clock.monotonicNanos()}),
            new HostFunction(MODULE, "random", type(List.of(I32, I32), List.of()),
                (inst, a) -> {
                  byte[] b = new byte[(int) a[1]];
                  random.accept(b);
                  mem(inst).write((int) a[0], b, 0, b.length);
                  return NONE;
                }),
            new HostFunction(MODULE, "file_open", type(List.of(I32, I32, I32, I32, I32), List.of(I32)),
                (inst, a) -> ret(files.open((int) a[0], string(inst, a[1], a[2]), (int) a[3], (int) a[4]))),
            new HostFunction(MODULE, "file_close", type(List.of(I32), List.of(I32)),
                (inst, a) -> ret(files.close((int) a[0]))),
            new HostFunction(MODULE, "file_pread", type(List.of(I32, I32, I32, I64), List.of(I32)),
                (inst, a) -> {
                  int len = (int) a[2];
                  if (len < 0) {
                    return ret(-Errno.EINVAL);
                  }
                  byte[] b = new byte[len];
                  int n = files.pread((int) a[0], b, len, a[3]);
                  if (n > 0) {
                    mem(inst).write((int) a[1], b, 0, n);
                  }
                  return ret(n);
                }),
            new HostFunction(MODULE, "file_pwrite", type(List.of(I32, I32, I32, I64), List.of(I32)),
                (inst, a) -> {
                  int len = (int) a[2];
                  if (len < 0) {
                    return ret(-Errno.EINVAL);
                  }
                  return ret(files.pwrite((int) a[0], bytes(inst, a[1], len), len, a[3]));
                }),
            new HostFunction(MODULE, "file_stat", type(List.of(I32, I32, I32, I32), List.of(I32)),
                (inst, a) -> {
                  byte[] st = new byte[HostFiles.STAT_SIZE];
                  int r = files.stat((int) a[0], string(inst, a[1], a[2]), st);
                  if (r == 0) {
                    mem(inst).write((int) a[3], st, 0, st.length);
                  }
                  return ret(r);
                }),
            new HostFunction(MODULE, "file_fstat", type(List.of(I32, I32), List.of(I32)),
                (inst, a) -> {
                  byte[] st = new byte[HostFiles.STAT_SIZE];
                  int r = files.fstat((int) a[0], st);
                  if (r == 0) {
                    mem(inst).write((int) a[1], st, 0, st.length);
                  }
                  return ret(r);
                }),
            new HostFunction(MODULE, "file_readdir", type(List.of(I32, I32, I32, I32, I32, I32), List.of(I32)),
                (inst, a) -> {
                  int len = Math.max(0, (int) a[5]);
                  byte[] b = new byte[len];
                  int r = files.readdir((int) a[0], string(inst, a[1], a[2]), (int) a[3], b, len);
                  if (r > 0) {
                    mem(inst).write((int) a[4], b, 0, r);
                  }
                  return ret(r);
                }),
            new HostFunction(MODULE, "file_readlink", type(List.of(I32, I32, I32, I32, I32), List.of(I32)),
                (inst, a) -> {
                  int len = Math.max(0, (int) a[4]);
                  byte[] b = new byte[len];
                  int r = files.readlink((int) a[0], string(inst, a[1], a[2]), b, len);
                  if (r > 0) {
                    mem(inst).write((int) a[3], b, 0, r);
                  }
                  return ret(r);
                }),
            new HostFunction(MODULE, "file_op", type(List.of(I32, I32, I32, I32, I64), List.of(I32)),
                (inst, a) -> ret(files.op((int) a[0], string(inst, a[1], a[2]), (int) a[3], a[4]))),
            new HostFunction(MODULE, "file_op2", type(List.of(I32, I32, I32, I32, I32, I32), List.of(I32)),
                (inst, a) -> ret(files.op2((int) a[0], string(inst, a[1], a[2]), string(inst, a[3], a[4]), (int) a[5]))),
            new HostFunction(MODULE, "file_ftruncate", type(List.of(I32, I64), List.of(I32)),
                (inst, a) -> ret(files.ftruncate((int) a[0], a[1]))))
        .addFunction(wasiStubs())
        .build();
  }
}
