// SPDX-License-Identifier: MIT
package xos.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFilesTest {
  @TempDir Path tmp;
  Path root;
  HostFiles files;
  int mount;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectory(tmp.resolve("mnt"));
    Files.writeString(root.resolve("a.txt"), "hello");
    Files.createDirectory(root.resolve("dir"));
    Files.writeString(root.resolve("dir/b.txt"), "bee");
    Files.writeString(tmp.resolve("secret"), "outside");
    files = new HostFiles();
    mount = files.addMount(root, false);
  }

  @AfterEach
  void tearDown() {
    files.close();
  }

  private String read(int h) {
    byte[] b = new byte[100];
    int n = files.pread(h, b, b.length, 0);
    assertTrue(n >= 0, "pread " + n);
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  @Test
  void opensAndReadsInsideTheMount() {
    int h = files.open(mount, "dir/b.txt", HostFiles.O_RDONLY, 0);
    assertTrue(h >= 0);
    assertEquals("bee", read(h));
    byte[] b = new byte[2];
    assertEquals(2, files.pread(h, b, 2, 1));
    assertEquals("ee", new String(b, StandardCharsets.UTF_8));
    assertEquals(0, files.pread(h, b, 2, 10), "end of file");
    assertEquals(0, files.close(h));
    assertEquals(-Errno.EBADF, files.close(h));
  }

  @Test
  void dotDotIsRefused() {
    assertEquals(-Errno.EACCES, files.open(mount, "../secret", HostFiles.O_RDONLY, 0));
    assertEquals(-Errno.EACCES, files.open(mount, "dir/../../secret", HostFiles.O_RDONLY, 0));
    assertEquals(-Errno.EACCES, files.stat(mount, "..", new byte[64]));
    assertEquals(-Errno.EACCES, files.op(mount, "../x", HostFiles.OP_MKDIR, 0755));
  }

  @Test
  void absolutePathsAreRefused() {
    assertEquals(-Errno.EACCES, files.open(mount, "/etc/passwd", HostFiles.O_RDONLY, 0));
    assertEquals(-Errno.EACCES, files.stat(mount, "/etc", new byte[64]));
    assertEquals(-Errno.EACCES, files.readdir(mount, "/", 0, new byte[256], 256));
  }

  @Test
  void symlinksLeadingOutsideAreRefused() throws IOException {
    Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("up"), tmp.resolve("secret"));
    // As a parent directory.
    assertEquals(-Errno.EACCES, files.open(mount, "etc/passwd", HostFiles.O_RDONLY, 0));
    assertEquals(-Errno.EACCES, files.stat(mount, "etc/passwd", new byte[64]));
    assertEquals(-Errno.EACCES, files.readdir(mount, "etc", 0, new byte[256], 256));
    // As the followed last component.
    assertEquals(-Errno.EACCES, files.open(mount, "up", HostFiles.O_RDONLY, 0));
    assertEquals(-Errno.EACCES, files.open(mount, "up", HostFiles.O_WRONLY | HostFiles.O_TRUNC, 0));
    assertEquals("outside", contentOfSecret());
    // Not followed: lstat and readlink see the link itself.
    byte[] st = new byte[64];
    assertEquals(0, files.stat(mount, "etc", st));
    assertEquals(0120000, ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN).getInt(40) & 0170000);
    byte[] buf = new byte[64];
    int n = files.readlink(mount, "etc", buf, buf.length);
    assertEquals("/etc", new String(buf, 0, n, StandardCharsets.UTF_8));
    // O_NOFOLLOW on a link: ELOOP, as Linux.
    assertEquals(-Errno.ELOOP, files.open(mount, "etc", HostFiles.O_RDONLY | HostFiles.O_NOFOLLOW, 0));
  }

  private String contentOfSecret() throws IOException {
    return Files.readString(tmp.resolve("secret"));
  }

  @Test
  void symlinksInsideTheMountAreFollowed() throws IOException {
    Files.createSymbolicLink(root.resolve("d2"), Path.of("dir"));
    Files.createSymbolicLink(root.resolve("dir/toA"), Path.of("../a.txt"));
    int h = files.open(mount, "d2/b.txt", HostFiles.O_RDONLY, 0);
    assertEquals("bee", read(h));
    int h2 = files.open(mount, "dir/toA", HostFiles.O_RDONLY, 0);
    assertEquals("hello", read(h2));
  }

  @Test
  void errnoValuesAreLinux() throws IOException {
    byte[] st = new byte[64];
    assertEquals(-Errno.ENOENT, files.stat(mount, "nope", st));
    assertEquals(-Errno.ENOENT, files.open(mount, "nope", HostFiles.O_RDONLY, 0));
    assertEquals(-Errno.ENOTDIR, files.open(mount, "a.txt/x", HostFiles.O_RDONLY, 0));
    assertEquals(-Errno.ENOTDIR, files.open(mount, "a.txt", HostFiles.O_RDONLY | HostFiles.O_DIRECTORY, 0));
    assertEquals(-Errno.EISDIR, files.open(mount, "dir", HostFiles.O_WRONLY, 0));
    assertEquals(-Errno.EEXIST,
        files.open(mount, "a.txt", HostFiles.O_WRONLY | HostFiles.O_CREAT | HostFiles.O_EXCL, 0644));
    assertEquals(-Errno.EEXIST, files.op(mount, "dir", HostFiles.OP_MKDIR, 0755));
    assertEquals(-Errno.ENOTEMPTY, files.op(mount, "dir", HostFiles.OP_RMDIR, 0));
    assertEquals(-Errno.ENOTDIR, files.op(mount, "a.txt", HostFiles.OP_RMDIR, 0));
    assertEquals(-Errno.EISDIR, files.op(mount, "dir", HostFiles.OP_UNLINK, 0));
    assertEquals(-Errno.ENOENT, files.op(mount, "nope", HostFiles.OP_UNLINK, 0));
    assertEquals(-Errno.EINVAL, files.readlink(mount, "a.txt", new byte[8], 8));
    assertEquals(-Errno.EBADF, files.pread(77, new byte[1], 1, 0));
    assertEquals(-Errno.EBADF, files.open(99, "a.txt", HostFiles.O_RDONLY, 0), "unknown mount");
    int d = files.open(mount, "dir", HostFiles.O_RDONLY | HostFiles.O_DIRECTORY, 0);
    assertTrue(d >= 0);
    assertEquals(-Errno.EISDIR, files.pread(d, new byte[1], 1, 0));
  }

  @Test
  void writesCreatesTruncatesAndRenames() throws IOException {
    int h = files.open(mount, "new.txt", HostFiles.O_RDWR | HostFiles.O_CREAT, 0640);
    assertTrue(h >= 0);
    byte[] data = "abcdef".getBytes(StandardCharsets.UTF_8);
    assertEquals(6, files.pwrite(h, data, 6, 0));
    assertEquals(3, files.pwrite(h, data, 3, 10));
    assertEquals(0, files.ftruncate(h, 4));
    assertEquals(0, files.ftruncate(h, 8));
    byte[] st = new byte[64];
    assertEquals(0, files.fstat(h, st));
    ByteBuffer b = ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(8, b.getLong(0));
    int mode = b.getInt(40);
    assertEquals(0100000, mode & 0170000, "regular file");
    assertEquals(0600, mode & 0600, "owner bits as asked");
    assertEquals(0, mode & 0777 & ~0640, "no bits beyond those asked (umask may remove some)");
    assertEquals(1, b.getInt(44), "nlink");
    assertEquals(0, files.close(h));
    assertArrayEquals(new byte[] {'a', 'b', 'c', 'd', 0, 0, 0, 0}, Files.readAllBytes(root.resolve("new.txt")));
    assertEquals(0, files.op2(mount, "new.txt", "dir/moved.txt", HostFiles.OP2_RENAME));
    assertTrue(Files.exists(root.resolve("dir/moved.txt")));
    assertEquals(0, files.op(mount, "dir/moved.txt", HostFiles.OP_TRUNCATE, 2));
    assertEquals(2, Files.size(root.resolve("dir/moved.txt")));
    assertEquals(0, files.op2(mount, "b.txt", "dir/lnk", HostFiles.OP2_SYMLINK));
    assertEquals(Path.of("b.txt"), Files.readSymbolicLink(root.resolve("dir/lnk")));
    assertEquals(0, files.op(mount, "sub", HostFiles.OP_MKDIR, 0755));
    assertEquals(0, files.op(mount, "sub", HostFiles.OP_RMDIR, 0));
    assertEquals(0, files.op(mount, "a.txt", HostFiles.OP_UNLINK, 0));
    assertTrue(Files.notExists(root.resolve("a.txt")));
  }

  @Test
  void statFillsTheSharedLayout() throws IOException {
    byte[] st = new byte[64];
    assertEquals(0, files.stat(mount, "a.txt", st));
    ByteBuffer b = ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(5, b.getLong(0), "size");
    assertEquals(((Number) Files.getAttribute(root.resolve("a.txt"), "unix:ino")).longValue(), b.getLong(8));
    assertEquals(Files.getLastModifiedTime(root.resolve("a.txt")).toMillis(), b.getLong(24) / 1_000_000);
    assertEquals(0100000, b.getInt(40) & 0170000, "regular file");
    assertEquals(((Number) Files.getAttribute(root, "unix:dev")).longValue(), b.getLong(56));
    assertEquals(0, files.stat(mount, "", st), "the mount root itself");
    assertEquals(0040000, b.getInt(40) & 0170000);
  }

  @Test
  void readdirListsSortedRecordsInPieces() throws IOException {
    List<String> names = new ArrayList<>();
    byte[] buf = new byte[12]; // room for one or two short records at a time
    int index = 0;
    while (true) {
      int n = files.readdir(mount, "", index, buf, buf.length);
      assertTrue(n >= 0, "readdir " + n);
      if (n == 0) {
        break;
      }
      for (int at = 0; at < n; ) {
        int type = buf[at];
        int len = buf[at + 1] & 0xff;
        String name = new String(buf, at + 2, len, StandardCharsets.UTF_8);
        names.add(name + ":" + type);
        at += 2 + len;
        index++;
      }
    }
    assertEquals(List.of("a.txt:8", "dir:4"), names);
    assertEquals(-Errno.EINVAL, files.readdir(mount, "", 0, new byte[3], 3), "no record fits");
    assertEquals(-Errno.ENOTDIR, files.readdir(mount, "a.txt", 0, buf, buf.length));
  }

  @Test
  void readOnlyMountsRefuseWrites() throws IOException {
    int ro = files.addMount(root, true);
    assertEquals(-Errno.EROFS, files.open(ro, "a.txt", HostFiles.O_WRONLY, 0));
    assertEquals(-Errno.EROFS, files.open(ro, "c.txt", HostFiles.O_WRONLY | HostFiles.O_CREAT, 0644));
    assertEquals(-Errno.EROFS, files.op(ro, "d", HostFiles.OP_MKDIR, 0755));
    assertEquals(-Errno.EROFS, files.op2(ro, "a.txt", "b", HostFiles.OP2_RENAME));
    int h = files.open(ro, "a.txt", HostFiles.O_RDONLY, 0);
    assertEquals("hello", read(h));
  }

  @Test
  void restoreReopensHandlesByPathWithoutTruncating() throws IOException {
    int h = files.open(mount, "a.txt", HostFiles.O_RDWR | HostFiles.O_TRUNC, 0);
    files.pwrite(h, "xyz".getBytes(StandardCharsets.UTF_8), 3, 0);
    var mounts = files.mounts();
    var records = files.handleRecords();
    int next = files.nextHandle();
    files.restore(mounts, records, next);
    assertEquals("xyz", read(h), "same handle number, content kept");
    assertEquals(next, files.nextHandle());
    assertEquals(next, files.open(mount, "dir/b.txt", HostFiles.O_RDONLY, 0));
  }

  @Test
  void fstatOfAnUnlinkedOpenFileStillAnswers() {
    int h = files.open(mount, "tmpfile", HostFiles.O_RDWR | HostFiles.O_CREAT, 0600);
    assertEquals(4, files.pwrite(h, "data".getBytes(StandardCharsets.UTF_8), 4, 0));
    assertEquals(0, files.op(mount, "tmpfile", HostFiles.OP_UNLINK, 0));
    byte[] st = new byte[64];
    assertEquals(0, files.fstat(h, st));
    ByteBuffer b = ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(4, b.getLong(0));
    assertEquals(0, b.getInt(44), "no links left");
    assertEquals("data", read(h));
  }
}
