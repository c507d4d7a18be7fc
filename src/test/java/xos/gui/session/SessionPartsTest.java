// SPDX-License-Identifier: MIT
package xos.gui.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xos.engine.RegisterFile;

/** The witness's plain parts: go-to expressions, the output ring, .xsnap files, snapshot diffs. */
class SessionPartsTest {
  @TempDir Path tmp;

  private static RegisterFile regs() {
    long[] g = new long[16];
    for (int i = 0; i < 16; i++) {
      g[i] = 0x1000L * (i + 1);
    }
    return new RegisterFile(g, 0x401000, 0x246, 0, 0);
  }

  @Test
  void addressExpressions() {
    RegisterFile r = regs();
    assertEquals(0x5000, AddressExpression.evaluate("rsp", r));
    assertEquals(0x401040, AddressExpression.evaluate("rip+0x40", r));
    assertEquals(0x401000 - 0x10, AddressExpression.evaluate(" RIP - 10 ", r));
    assertEquals(0x7ffc0000L, AddressExpression.evaluate("7ffc0000", r));
    assertEquals(0x9000 + 0x10000, AddressExpression.evaluate("r8+r15", r));
    assertThrows(IllegalArgumentException.class, () -> AddressExpression.evaluate("rsp+", r));
    assertThrows(IllegalArgumentException.class, () -> AddressExpression.evaluate("zz", r));
  }

  @Test
  void outputRingKeepsTheNewestBytes() {
    OutputBuffer b = new OutputBuffer(8);
    b.write("abcdef".getBytes(), 0, 6);
    assertArrayEquals("abc".getBytes(), b.drain(3));
    b.write("ghijklm".getBytes(), 0, 7);
    assertEquals(8, b.available());
    assertEquals(2, b.dropped());
    assertArrayEquals("fghijklm".getBytes(), b.drain(100));
    b.write("0123456789abc".getBytes(), 0, 13);
    assertArrayEquals("56789abc".getBytes(), b.drain(100));
  }

  private static SnapshotFile.Entry entry() throws Exception {
    try (Debugger d = Debugger.start(LaunchSpec.program(DebuggerTest.hello(), List.of(), List.of()), false)) {
      d.step().get(30, TimeUnit.SECONDS);
      return new SnapshotFile.Entry("#1", 1_700_000_000_000L, d.state().registers(), d.snapshot().get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void snapshotFilesRoundTripAndRefuseDamage() throws Exception {
    SnapshotFile.Entry e = entry();
    Path f = tmp.resolve("a.xsnap");
    double[] last = {0};
    SnapshotFile.save(f, e, p -> last[0] = p);
    assertEquals(1.0, last[0]);
    assertTrue(Files.size(f) < e.snapshot().engine().memorySize() / 4, "compressed: " + Files.size(f));
    SnapshotFile.Entry back = SnapshotFile.load(f, p -> { });
    assertEquals(e.snapshot().engine(), back.snapshot().engine());
    assertEquals(e.registers(), back.registers());
    assertEquals(e.label(), back.label());

    byte[] good = Files.readAllBytes(f);
    Path bad = tmp.resolve("bad.xsnap");
    Files.write(bad, java.util.Arrays.copyOf(good, good.length / 2));
    assertTrue(message(bad).contains("corrupt"), message(bad));
    Files.write(bad, "hello".getBytes());
    assertTrue(message(bad).contains("not an xos snapshot"), message(bad));
    byte[] v3 = good.clone();
    v3[11] = 3;
    Files.write(bad, v3);
    assertTrue(message(bad).contains("format version 3"), message(bad));
    byte[] other = good.clone(); // another engine build, the file otherwise intact
    other[12] ^= 1;
    java.util.zip.CRC32 fc = new java.util.zip.CRC32();
    fc.update(other, 0, other.length - 4);
    java.nio.ByteBuffer.wrap(other, other.length - 4, 4).putInt((int) fc.getValue());
    Files.write(bad, other);
    assertTrue(message(bad).contains("another build of the xos engine"), message(bad));
    byte[] crc = good.clone();
    crc[SnapshotFile.HEADER - 1] ^= 1; // the stored checksum
    Files.write(bad, crc);
    assertTrue(message(bad).contains("checksum"), message(bad));
    // Any damaged byte is refused, also where deflate would inflate the same bytes anyway
    // (a match distance inside a run of zeros).
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 40; i++) {
      byte[] b = good.clone();
      b[SnapshotFile.HEADER + r.nextInt(b.length - SnapshotFile.HEADER)] ^= (byte) (1 + r.nextInt(255));
      Files.write(bad, b);
      assertTrue(message(bad).contains("corrupt"), message(bad));
    }
  }

  private static String message(Path p) {
    return assertThrows(IOException.class, () -> SnapshotFile.load(p, x -> { })).getMessage();
  }

  @Test
  void diffNamesChangedRegistersAndPages() throws Exception {
    SnapshotFile.Entry a = entry();
    long[] g = a.registers().gpr();
    g[0] ^= 1;
    RegisterFile r = new RegisterFile(g, a.registers().rip(), a.registers().rflags(), 0, 0);
    SnapshotDiff none = SnapshotDiff.of(a, a);
    assertTrue(none.registers().isEmpty() && none.pages().isEmpty());
    SnapshotDiff d = SnapshotDiff.of(a, new SnapshotFile.Entry("b", 0, r, a.snapshot()));
    assertEquals(1, d.registers().size());
    assertTrue(d.registers().get(0).startsWith("rax"), d.registers().toString());
  }
}
