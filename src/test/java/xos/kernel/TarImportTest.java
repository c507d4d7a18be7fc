// SPDX-License-Identifier: MIT
package xos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Root file systems from tar archives: every compression, owners, modes (set-ID bits too),
 * times, symlinks, hard links, long names, and names that try to climb out. The guest's view
 * is read with Debian's busybox (stat, cat, readlink), which the archive itself carries.
 */
class TarImportTest {
  static final long MTIME = 1_700_000_000L;
  static final byte[] BIG = bigFile();

  static byte[] bigFile() {
    byte[] b = new byte[(3 << 20) + 12345]; // more than one import chunk
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 31 + (i >> 13));
    }
    return b;
  }

  static byte[] busybox() throws IOException {
    return Files.readAllBytes(Path.of("/bin/busybox"));
  }

  static void dir(TarArchiveOutputStream t, String name, int mode) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR);
    e.setMode(040000 | mode);
    e.setModTime(MTIME * 1000);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  static void file(TarArchiveOutputStream t, String name, int mode, int uid, int gid, byte[] data)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100000 | mode);
    e.setSize(data.length);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setModTime(MTIME * 1000 + 1000L * (data.length % 1000));
    t.putArchiveEntry(e);
    t.write(data);
    t.closeArchiveEntry();
  }

  static void link(TarArchiveOutputStream t, String name, String target, byte type) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setLinkName(target);
    e.setModTime(MTIME * 1000);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  /** The test archive, compressed as {@code kind} says. */
  static byte[] archive(String kind) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream out =
        switch (kind) {
          case "gz" -> new GzipCompressorOutputStream(bytes);
          case "xz" -> new XZCompressorOutputStream(bytes, 1);
          case "zst" -> new ZstdCompressorOutputStream(bytes);
          case "bz2" -> new BZip2CompressorOutputStream(bytes);
          default -> bytes;
        };
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      dir(t, "./", 0755);
      dir(t, "./bin/", 0755);
      file(t, "./bin/busybox", 0755, 0, 0, busybox());
      link(t, "./bin/sh", "busybox", TarConstants.LF_SYMLINK);
      dir(t, "./etc/", 0755);
      file(t, "./etc/motd", 0644, 0, 0, "welcome\n".getBytes(StandardCharsets.UTF_8));
      file(t, "./usr/bin/passwd", 04755, 0, 0, "not really\n".getBytes(StandardCharsets.UTF_8));
      file(t, "./home/user/notes.txt", 0600, 1000, 1000, "mine\n".getBytes(StandardCharsets.UTF_8));
      file(t, "./data/big.bin", 0644, 0, 0, BIG);
      link(t, "./data/big-link.bin", "./data/big.bin", TarConstants.LF_LINK);
      String deep = "./" + "d".repeat(120) + "/" + "e".repeat(120) + "/file-with-a-long-name.txt";
      file(t, deep, 0644, 0, 0, "deep\n".getBytes(StandardCharsets.UTF_8));
      file(t, "../../escape.txt", 0644, 0, 0, "climbed\n".getBytes(StandardCharsets.UTF_8));
      TarArchiveEntry dev = new TarArchiveEntry("./dev/null", TarConstants.LF_CHR);
      dev.setDevMajor(1);
      dev.setDevMinor(3);
      t.putArchiveEntry(dev);
      t.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  static ProcessResult run(Path tar, String... argv) {
    RunOptions o = RunOptions.builder().tar("/", tar).argv(argv).build();
    return Kernel.create().run("/bin/busybox", o);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tar", "gz", "xz", "zst", "bz2"})
  void everyCompressionUnpacksTheSameTree(String kind, @TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("root." + kind);
    Files.write(tar, archive(kind));
    ProcessResult r =
        run(tar, "busybox", "stat", "-c", "%n %a %u %g %s %Y %F", "/etc/motd", "/usr/bin/passwd",
            "/home/user/notes.txt", "/data/big.bin", "/data/big-link.bin", "/bin/sh", "/etc", "/escape.txt");
    assertEquals(
        String.join("\n",
            "/etc/motd 644 0 0 8 " + (MTIME + 8) + " regular file",
            "/usr/bin/passwd 4755 0 0 11 " + (MTIME + 11) + " regular file",
            "/home/user/notes.txt 600 1000 1000 5 " + (MTIME + 5) + " regular file",
            "/data/big.bin 644 0 0 " + BIG.length + " " + (MTIME + BIG.length % 1000) + " regular file",
            "/data/big-link.bin 644 0 0 " + BIG.length + " " + (MTIME + BIG.length % 1000) + " regular file",
            "/bin/sh 777 0 0 7 " + MTIME + " symbolic link",
            "/etc 755 0 0 4096 " + MTIME + " directory",
            "/escape.txt 644 0 0 8 " + (MTIME + 8) + " regular file")
            + "\n",
        r.stdoutText(), r.stderrText());
  }

  @Test
  void contentsSurviveChunkingAndHardLinksCopy(@TempDir Path tmp) throws IOException {
    Path tar = tmp.resolve("root.tar.zst");
    Files.write(tar, archive("zst"));
    ProcessResult r = run(tar, "busybox", "cat", "/data/big-link.bin");
    assertTrue(Arrays.equals(BIG, r.stdout()), "big file differs after unpacking (" + r.stdout().length + " bytes)");
    String deep = "/" + "d".repeat(120) + "/" + "e".repeat(120) + "/file-with-a-long-name.txt";
    assertEquals("deep\n", run(tar, "busybox", "cat", deep).stdoutText());
    assertEquals("busybox\n", run(tar, "busybox", "readlink", "/bin/sh").stdoutText());
    // /dev is the engine's devfs, whatever the archive says.
    r = run(tar, "busybox", "stat", "-c", "%F %t:%T", "/dev/null");
    assertEquals("character special file 1:3\n", r.stdoutText(), r.stderrText());
  }

  @Test
  void aCorruptArchiveIsAClearError(@TempDir Path tmp) throws IOException {
    byte[] good = archive("gz");
    Path tar = tmp.resolve("cut.tar.gz");
    Files.write(tar, Arrays.copyOf(good, good.length / 2));
    XosException e = assertThrows(XosException.class, () -> run(tar, "busybox", "true"));
    assertTrue(e.getMessage().contains("cut.tar.gz"), e.getMessage());
    Path missing = tmp.resolve("missing.tar");
    e = assertThrows(XosException.class, () -> run(missing, "busybox", "true"));
    assertTrue(e.getMessage().contains("missing.tar"), e.getMessage());
  }

  @Test
  void entryNamesCannotClimbAboveTheRoot() {
    assertEquals("escape.txt", TarImport.clean("../../escape.txt"));
    assertEquals("a/c", TarImport.clean("./a/b/../c"));
    assertEquals(null, TarImport.clean("./"));
    assertEquals(List.of("x"), List.of(TarImport.clean("/x")));
  }
}
