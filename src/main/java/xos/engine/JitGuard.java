// SPDX-License-Identifier: MIT
package xos.engine;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * Keeps HotSpot's C2 of JDK 17 (12-20) from miscompiling the engine's unsigned comparisons.
 *
 * <p>The compiled engine does every wasm {@code i32.lt_u}, {@code i64.gt_u} ... through
 * Chicory's {@code OpcodeImpl}, which calls {@code Integer/Long.compareUnsigned}. Inlined deep
 * into a large method, that pattern is sometimes compiled wrongly by C2 on JDK 17 (Chicory issue
 * 843; Chicory 1.7.5 works around only {@code i32.ge_u}). Here it made wasi-libc's {@code
 * realloc(p, 4)} fail its {@code size < -64} check in about half of the full test runs: "engine
 * could not allocate a buffer of 4 bytes" with no memory grow attempted. A compiler directive
 * that never inlines {@code compareUnsigned} removes the pattern; it is added once, before the
 * engine's code is compiled, through the DiagnosticCommand MBean ({@code jcmd
 * Compiler.directives_add}). JDK 21 and later are left alone.
 */
final class JitGuard {
  private static final String DIRECTIVE =
      "[{ match: \"*.*\", inline: [\"-java/lang/Integer.compareUnsigned\", \"-java/lang/Long.compareUnsigned\"] }]\n";
  private static volatile String state;

  private JitGuard() {}

  /** Installs the directive on an affected JDK; returns what it did (for logs and tests). */
  static synchronized String install() {
    if (state != null) {
      return state;
    }
    int feature = Runtime.version().feature();
    if (feature < 12 || feature >= 21 || Boolean.getBoolean("xos.noJitGuard")) {
      return state = "not needed on JDK " + feature;
    }
    Path f = null;
    try {
      f = Files.createTempFile("xos-jit", ".json");
      Files.writeString(f, DIRECTIVE, StandardCharsets.UTF_8);
      Object r =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "compilerDirectivesAdd",
                  new Object[] {new String[] {f.toString()}},
                  new String[] {String[].class.getName()});
      String out = r == null ? "" : r.toString().strip();
      state = out.isEmpty() || out.contains("1 compiler directives added")
          ? "compareUnsigned kept out of line on JDK " + feature
          : "compiler directive refused on JDK " + feature + ": " + out;
    } catch (Exception | LinkageError e) {
      state = "cannot add the compiler directive on JDK " + feature + ": " + e;
    } finally {
      if (f != null) {
        try {
          Files.deleteIfExists(f);
        } catch (java.io.IOException ignored) {
          // a temp file of 120 bytes
        }
      }
    }
    if (!state.startsWith("compareUnsigned")) {
      System.err.println("xos: " + state + " (unsigned comparisons may be miscompiled by this JIT)");
    }
    return state;
  }
}
