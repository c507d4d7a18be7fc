// SPDX-License-Identifier: MIT
package xos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xos.kernel.Programs;

class MainTest {
  @TempDir Path tmp;

  /** Runs the CLI in-process; returns status and what it wrote to stderr. */
  private static Object[] run(String... args) {
    java.io.InputStream oldIn = System.in;
    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter usage = new StringWriter();
    try {
      // The forked test JVM's real stdin belongs to surefire: give the guest an empty one.
      System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int status =
          Main.commandLine(new PrintWriter(usage, true), new PrintWriter(usage, true)).execute(args);
      return new Object[] {status, err.toString(StandardCharsets.UTF_8) + usage, out.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setIn(oldIn);
      System.setErr(oldErr);
      System.setOut(oldOut);
    }
  }

  @Test
  void helpWorksEverywhere() {
    Object[] r = run("--help");
    assertEquals(0, r[0]);
    assertTrue(((String) r[1]).contains("run-x86_64"));
    Object[] r2 = run("run-x86_64", "--help");
    assertEquals(0, r2[0]);
    assertTrue(((String) r2[1]).contains("--strace"));
    assertTrue(((String) r2[1]).contains("--root"));
  }

  @Test
  void guestExitStatusBecomesOurs() {
    Object[] r = run("run-x86_64", Programs.helloPath().toString());
    assertEquals(42, r[0]);
    assertEquals("hi\n", r[2]);
  }

  @Test
  void missingProgramIsOneLine127() {
    Object[] r = run("run-x86_64", tmp.resolve("nope").toString());
    assertEquals(127, r[0]);
    String err = (String) r[1];
    assertTrue(err.contains("No such file"), err);
    assertEquals(1, err.strip().lines().count(), err);
    assertFalse(err.contains("Exception"), err);
  }

  @Test
  void malformedProgramIsOneLine126() throws Exception {
    Path f = tmp.resolve("junk");
    Files.writeString(f, "not an elf at all");
    Object[] r = run("run-x86_64", f.toString());
    assertEquals(126, r[0]);
    String err = (String) r[1];
    assertEquals(1, err.strip().lines().count(), err);
    assertFalse(err.contains("Exception"), err);
  }

  @Test
  void i386ProgramIsRefusedByName() throws Exception {
    Path f = tmp.resolve("i386");
    Files.write(f, Programs.i386Header());
    Object[] r = run("run-x86_64", f.toString());
    assertEquals(126, r[0]);
    assertTrue(((String) r[1]).contains("i386"), (String) r[1]);
  }

  @Test
  void unknownCommandIsAUsageError() {
    Object[] r = run("frobnicate");
    assertEquals(2, r[0]);
  }

  @Test
  void benchGetsItsArgumentsOptionsIncluded() {
    Object[] r = run("bench", "--help");
    assertEquals(0, r[0]);
    assertTrue(((String) r[2] + r[1]).contains("usage: xos bench"), (String) r[2]);
  }
}
