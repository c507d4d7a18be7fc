// SPDX-License-Identifier: MIT
package xos.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The host side of passthrough mounts: a table of mounted host directories and a table of
 * open host files, serving the engine's {@code file_*} imports (host/host.h).
 *
 * <p>Paths come from the engine relative to a mount's directory. Anything that would leave the
 * mount is refused with EACCES: absolute paths, {@code ..} components, and symbolic links
 * (in a parent directory, or in the last component when it is followed) whose real path lies
 * outside the mount's real path. The last component is never followed for stat, readlink,
 * unlink, rename and symlink; open follows it unless O_NOFOLLOW is given.
 *
 * <p>Every method returns a non-negative result or a negative Linux errno and never throws on
 * host failures. Owned by the engine thread.
 */
public final class HostFiles implements AutoCloseable {
  // Linux open(2) flags (x86-64).
  public static final int O_ACCMODE = 3;
  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_RDWR = 2;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_TRUNC = 01000;
  public static final int O_APPEND = 02000;
  public static final int O_DIRECTORY = 0200000;
  public static final int O_NOFOLLOW = 0400000;

  public static final int OP_MKDIR = 0;
  public static final int OP_RMDIR = 1;
  public static final int OP_UNLINK = 2;
  public static final int OP_TRUNCATE = 3;
  public static final int OP_CHMOD = 4;
  public static final int OP2_RENAME = 0;
  public static final int OP2_SYMLINK = 1;
  public static final int OP2_LINK = 2;

  /** Size of struct host_stat. */
  public static final int STAT_SIZE = 64;

  /** A mounted host directory; {@code root} is its real path. */
  public record Mount(int id, Path root, boolean readOnly) {}

  /** An open host file as the snapshot records it: reopened by path on restore. */
  public record HandleRecord(int handle, int mount, String path, int flags) {}

  private record Handle(int mount, String path, int flags, Path resolved, FileChannel channel) {}

  private final Map<Integer, Mount> mounts = new TreeMap<>();
  private final Map<Integer, Handle> handles = new TreeMap<>();
  private int nextMount = 1;
  private int nextHandle = 0;

  // One cached directory listing: readdir is called with increasing indexes.
  private int listedMount = -1;
  private String listedPath;
  private List<String> listedNames = List.of();
  private List<Integer> listedTypes = List.of();

  /** Adds a mount of host directory {@code dir}; returns its id for the engine. */
  public int addMount(Path dir, boolean readOnly) throws IOException {
    Path root = dir.toRealPath();
    if (!Files.isDirectory(root)) {
      throw new IOException(dir + " is not a directory");
    }
    int id = nextMount++;
    mounts.put(id, new Mount(id, root, readOnly));
    return id;
  }

  /** Re-adds a mount with a known id (restore). */
  void putMount(Mount m) {
    mounts.put(m.id(), m);
    nextMount = Math.max(nextMount, m.id() + 1);
  }

  public List<Mount> mounts() {
    return List.copyOf(mounts.values());
  }

  public List<HandleRecord> handleRecords() {
    List<HandleRecord> out = new ArrayList<>();
    handles.forEach((id, h) -> out.add(new HandleRecord(id, h.mount(), h.path(), h.flags())));
    return out;
  }

  public int openHandleCount() {
    return handles.size();
  }

  // ---- path resolution ----

  private Mount mount(int id) throws Errno.Failure {
    Mount m = mounts.get(id);
    if (m == null) {
      throw Errno.fail(Errno.EBADF);
    }
    return m;
  }

  private static List<String> components(String rel) throws Errno.Failure {
    if (rel.startsWith("/")) {
      throw Errno.fail(Errno.EACCES);
    }
    if (rel.indexOf('\0') >= 0) {
      throw Errno.fail(Errno.EINVAL);
    }
    List<String> parts = new ArrayList<>();
    for (String p : rel.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw Errno.fail(Errno.EACCES);
      }
      parts.add(p);
    }
    return parts;
  }

  private static void inside(Mount m, Path real) throws Errno.Failure {
    if (!real.startsWith(m.root())) {
      throw Errno.fail(Errno.EACCES);
    }
  }

  /**
   * The host path for {@code rel} in mount {@code m}. Parent directories are resolved to their
   * real path and must stay inside the mount; the last component is followed only when asked.
   */
  Path resolve(Mount m, String rel, boolean followLast) throws Errno.Failure {
    List<String> parts = components(rel);
    if (parts.isEmpty()) {
      return m.root();
    }
    try {
      Path parent = m.root();
      for (int i = 0; i < parts.size() - 1; i++) {
        parent = parent.resolve(parts.get(i));
      }
      Path realParent = parent.toRealPath();
      inside(m, realParent);
      if (!Files.isDirectory(realParent)) {
        throw Errno.fail(Errno.ENOTDIR);
      }
      Path p = realParent.resolve(parts.get(parts.size() - 1));
      if (followLast && Files.isSymbolicLink(p)) {
        Path real = p.toRealPath();
        inside(m, real);
        return real;
      }
      return p;
    } catch (Errno.Failure f) {
      throw f;
    } catch (Exception e) {
      throw Errno.fail(Errno.of(e));
    }
  }

  private static void writable(Mount m) throws Errno.Failure {
    if (m.readOnly()) {
      throw Errno.fail(Errno.EROFS);
    }
  }

  // ---- the imports ----

  public int open(int mountId, String rel, int flags, int mode) {
    try {
      Mount m = mount(mountId);
      int acc = flags & O_ACCMODE;
      boolean write = acc == O_WRONLY || acc == O_RDWR;
      boolean creat = (flags & O_CREAT) != 0;
      if (acc == O_ACCMODE) {
        return -Errno.EINVAL;
      }
      if (m.readOnly() && (write || (flags & O_TRUNC) != 0)) {
        return -Errno.EROFS;
      }
      boolean noFollow = (flags & O_NOFOLLOW) != 0 || (creat && (flags & O_EXCL) != 0);
      Path p = resolve(m, rel, !noFollow);
      if (Files.isSymbolicLink(p)) {
        if (creat && (flags & O_EXCL) != 0) {
          return -Errno.EEXIST;
        }
        return -Errno.ELOOP;
      }
      boolean exists = Files.exists(p, LinkOption.NOFOLLOW_LINKS);
      if (creat && !exists && m.readOnly()) {
        return -Errno.EROFS;
      }
      if (exists && creat && (flags & O_EXCL) != 0) {
        return -Errno.EEXIST;
      }
      if (exists && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        if (write || creat) {
          return -Errno.EISDIR;
        }
        return addHandle(new Handle(mountId, rel, flags, p, null));
      }
      if ((flags & O_DIRECTORY) != 0) {
        return exists ? -Errno.ENOTDIR : -Errno.ENOENT;
      }
      if (!exists && !creat) {
        return -Errno.ENOENT;
      }
      FileChannel ch = openChannel(p, flags, mode);
      return addHandle(new Handle(mountId, rel, flags, p, ch));
    } catch (Errno.Failure f) {
      return -f.errno;
    } catch (Exception e) {
      return -Errno.of(e);
    }
  }

  private static FileChannel openChannel(Path p, int flags, int mode) throws IOException {
    Set<OpenOption> opts = new HashSet<>();
    int acc = flags & O_ACCMODE;
    if (acc == O_RDONLY || acc == O_RDWR) {
      opts.add(StandardOpenOption.READ);
    }
    if (acc == O_WRONLY || acc == O_RDWR) {
      opts.add(StandardOpenOption.WRITE);
    }
    if ((flags & O_CREAT) != 0) {
      opts.add((flags & O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
    }
    if ((flags & O_TRUNC) != 0 && acc != O_RDONLY) {
      opts.add(StandardOpenOption.TRUNCATE_EXISTING);
    }
    opts.add(LinkOption.NOFOLLOW_LINKS);
    // O_APPEND is the engine's: it writes at the end with pwrite.
    if ((flags & O_CREAT) != 0) {
      FileAttribute<Set<PosixFilePermission>> perms =
          PosixFilePermissions.asFileAttribute(permissions(mode));
      return FileChannel.open(p, opts, perms);
    }
    return FileChannel.open(p, opts);
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }

  private int addHandle(Handle h) {
    int id = nextHandle++;
    handles.put(id, h);
    return id;
  }

  public int close(int h) {
    Handle x = handles.remove(h);
    if (x == null) {
      return -Errno.EBADF;
    }
    if (x.channel() != null) {
      try {
        x.channel().close();
      } catch (IOException e) {
        return -Errno.EIO;
      }
    }
    return 0;
  }

  private Handle handle(int h) throws Errno.Failure {
    Handle x = handles.get(h);
    if (x == null) {
      throw Errno.fail(Errno.EBADF);
    }
    return x;
  }

  /** Reads up to {@code len} bytes at {@code off} into {@code dst}; 0 at end of file. */
  public int pread(int h, byte[] dst, int len, long off) {
    try {
      Handle x = handle(h);
      if (x.channel() == null) {
        return -Errno.EISDIR;
      }
      if ((x.flags() & O_ACCMODE) == O_WRONLY) {
        return -Errno.EBADF;
      }
      if (off < 0 || len < 0) {
        return -Errno.EINVAL;
      }
      ByteBuffer b = ByteBuffer.wrap(dst, 0, len);
      while (b.hasRemaining()) {
        int n = x.channel().read(b, off + b.position());
        if (n <= 0) {
          break;
        }
      }
      return b.position();
    } catch (Errno.Failure f) {
      return -f.errno;
    } catch (Exception e) {
      return -Errno.of(e);
    }
  }

  public int pwrite(int h, byte[] src, int len, long off) {
    try {
      Handle x = handle(h);
      if (x.channel() == null) {
        return -Errno.EISDIR;
      }
      if ((x.flags() & O_ACCMODE) == O_RDONLY) {
        return -Errno.EBADF;
      }
      if (off < 0 || len < 0) {
        return -Errno.EINVAL;
      }
      ByteBuffer b = ByteBuffer.wrap(src, 0, len);
      while (b.hasRemaining()) {
        x.channel().write(b, off + b.position());
      }
      return len;
    } catch (Errno.Failure f) {
      return -f.errno;
    } catch (Exception e) {
      return -Errno.of(e);
    }
  }

  public int ftruncate(int h, long len) {
    try {
      Handle x = handle(h);
      if (x.channel() == null) {
        return -Errno.EISDIR;
      }
      if ((x.flags() & O_ACCMODE) == O_RDONLY) {
        return -Errno.EINVAL;
      }
      if (len < 0) {
        return -Errno.EINVAL;
      }
      FileChannel ch = x.channel();
      long size = ch.size();
      if (len < size) {
        ch.truncate(len);
      } else if (len > size) {
        ch.write(ByteBuffer.allocate(1), len - 1);
      }
      return 0;
    } catch (Errno.Failure f) {
      return -f.errno;
    } catch (Exception e) {
      return -Errno.of(e);
    }
  }

  /** lstat of a path into {@code st} (struct host_stat, 64 bytes little-endian). */
  public int stat(int mountId, String rel, byte[] st) {
    try {
      Mount m = mount(mountId);
      Path p = resolve(m, rel, false);
      fillStat(p, st);
      return 0;
    } catch (Errno.Failure f) {
      return -f.errno;
    } catch (Exception e) {
      return -Errno.of(e);
    }
  }

  public int fstat(int h, byte[] st) {
    Handle x;
    try {
      x = handle(h);
    } catch (Errno.Failure f) {
      return -f.errno;
    }
    try {
      fillStat(x.resolved(), st);
      return 0;
    } catch (java.nio.file.NoSuchFileException gone) {
      // Unlinked while open (a common temporary-file pattern): what the open file still says.
      if (x.channel() == null) {
        return -Errno.ENOENT;
      }
      try {
        ByteBuffer b = ByteBuffer.wrap(st, 0, STAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        java.util.Arrays.fill(st, 0, STAT_SIZE, (byte) 0);
        b.putLong(0, x.channel().size());
        b.putInt(40, 0100600);
        b.putInt(44, 0); // nlink: no name left
        return 0;
      } catch (IOException e) {
        return -Errno.of(e);
      }
    } catch (Exception e) {
      return -Errno.of(e);
    }
  }

  static void fillStat(Path p, byte[] st) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    ByteBuffer b = ByteBuffer.wrap(st, 0, STAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, ((Number) a.get("size")).longValue());
    b.putLong(8, ((Number) a.get("ino")).longValue());
    b.putLong(16, nanos((FileTime) a.get("lastAccessTime")));
    b.putLong(24, nanos((FileTime) a.get("lastModifiedTime")));
    b.putLong(32, nanos((FileTime) a.get("ctime")));
    b.putInt(40, ((Number) a.get("mode")).intValue());
    b.putInt(44, ((Number) a.get("nlink")).intValue());
    b.putInt(48, ((Number) a.get("uid")).intValue());
    b.putInt(52, ((Number) a.get("gid")).intValue());
    b.putLong(56, ((Number) a.get("dev")).longValue());
  }

  private static long nanos(FileTime t) {
    return t == null ? 0 : t.to(TimeUnit.NANOSECONDS);
  }

  private static int dirType(Path p) {
    try {
      int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      switch (mode & 0170000) {
        case 0010000: return 1;  // DT_FIFO
        case 0020000: return 2;  // DT_CHR
        case 0040000: return 4;  // DT_DIR
        case 0060000: return 6;  // DT_BLK
        case 0100000: return 8;  // DT_REG
        case 0120000: return 10; // DT_LNK
        case 0140000: return 12; // DT_SOCK
        default: return 0;
      }
    } catch (IOException | RuntimeException e) {
      return 0; // DT_UNKNOWN: removed meanwhile or unreadable
    }
  }

  /**
   * Directory entries from number {@code index} on, as records {u8 type, u8 namelen, name},
   * sorted by name (deterministic), without "." and "..". Returns bytes written, 0 at the end,
   * -EINVAL if not even one record fits.
   */
  public int readdir(int mountId, String rel, int index, byte[] buf, int len) {
    try {
      Mount m = mount(mountId);
      Path p = resolve(m, rel, true);
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? -Errno.ENOTDIR : -Errno.ENOENT;
      }
      if (index == 0 || listedMount != mountId || !rel.equals(listedPath)) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
          for (Path e : ds) {
            names.add(e.getFileName().toString());
          }
        }
        names.sort((x, y) -> compareBytes(x, y));
        List<Integer> types = new ArrayList<>(names.size());
        for (String n : names) {
          types.add(dirType(p.resolve(n)));
        }
        listedMount = mountId;
        listedPath = rel;
        listedNames = names;
        listedTypes = types;
      }
      int at = 0;
      for (int i = Math.max(0, index); i < listedNames.size(); i++) {
        byte[] name = listedNames.get(i).getBytes(StandardCharsets.UTF_8);
        if (name.length > 255) {
          continue;
        }
        int need = 2 + name.length;
        if (at + need > len) {
          if (at == 0) {
            return -Errno.EINVAL;
          }
          break;
        }
        buf[at] = (byte) (int) listedTypes.get(i);
        buf[at + 1] = (byte) name.length;
        System.arraycopy(name, 0, buf, at + 2, name.length);
        at += need;
      }
      return at;
    } catch (Errno.Failure f) {
      return -f.errno;
    } catch (Exception e) {
      return -Errno.of(e);
    }
  }

  private static int compareBytes(String x, String y) {
    byte[] a = x.getBytes(StandardCharsets.UTF_8);
    byte[] b = y.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(a, b);
  }

  private void forgetListing() {
    listedMount = -1;
    listedPath = null;
  }

  public int readlink(int mountId, String rel, byte[] buf, int len) {
    try {
      Mount m = mount(mountId);
      Path p = resolve(m, rel, false);
      if (!Files.isSymbolicLink(p)) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? -Errno.EINVAL : -Errno.ENOENT;
      }
      byte[] target = Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8);
      int n = Math.min(Math.max(len, 0), target.length);
      System.arraycopy(target, 0, buf, 0, n);
      return n;
    } catch (Errno.Failure f) {
      return -f.errno;
    } catch (Exception e) {
      return -Errno.of(e);
    }
  }

  public int op(int mountId, String rel, int op, long arg) {
    try {
      Mount m = mount(mountId);
      writable(m);
      forgetListing();
      switch (op) {
        case OP_MKDIR: {
          Path p = resolve(m, rel, false);
          if (p.equals(m.root())) {
            return -Errno.EEXIST;
          }
          Files.createDirectory(p, PosixFilePermissions.asFileAttribute(permissions((int) arg)));
          return 0;
        }
        case OP_RMDIR: {
          Path p = resolve(m, rel, false);
          if (p.equals(m.root())) {
            return -Errno.EACCES;
          }
          if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return -Errno.ENOENT;
          }
          if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return -Errno.ENOTDIR;
          }
          Files.delete(p);
          return 0;
        }
        case OP_UNLINK: {
          Path p = resolve(m, rel, false);
          if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return -Errno.ENOENT;
          }
          if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return -Errno.EISDIR;
          }
          Files.delete(p);
          return 0;
        }
        case OP_TRUNCATE: {
          Path p = resolve(m, rel, true);
          if (Files.isDirectory(p)) {
            return -Errno.EISDIR;
          }
          if (!Files.exists(p)) {
            return -Errno.ENOENT;
          }
          if (arg < 0) {
            return -Errno.EINVAL;
          }
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            if (arg < ch.size()) {
              ch.truncate(arg);
            } else if (arg > ch.size()) {
              ch.write(ByteBuffer.allocate(1), arg - 1);
            }
          }
          return 0;
        }
        case OP_CHMOD: {
          Path p = resolve(m, rel, true);
          Files.setAttribute(p, "unix:mode", (int) (arg & 07777));
          return 0;
        }
        default:
          return -Errno.EINVAL;
      }
    } catch (Errno.Failure f) {
      return -f.errno;
    } catch (Exception e) {
      return -Errno.of(e);
    }
  }

  public int op2(int mountId, String rel, String rel2, int op) {
    try {
      Mount m = mount(mountId);
      writable(m);
      forgetListing();
      switch (op) {
        case OP2_RENAME: {
          Path from = resolve(m, rel, false);
          Path to = resolve(m, rel2, false);
          if (from.equals(m.root()) || to.equals(m.root())) {
            return -Errno.EBUSY;
          }
          if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            return -Errno.ENOENT;
          }
          Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
          return 0;
        }
        case OP2_SYMLINK: {
          Path link = resolve(m, rel2, false);
          // The target is text stored in the link; it is checked when the link is followed.
          Files.createSymbolicLink(link, link.getFileSystem().getPath(rel));
          return 0;
        }
        case OP2_LINK: {
          Path from = resolve(m, rel, false);
          Path to = resolve(m, rel2, false);
          Files.createLink(to, from);
          return 0;
        }
        default:
          return -Errno.EINVAL;
      }
    } catch (Errno.Failure f) {
      return -f.errno;
    } catch (Exception e) {
      return -Errno.of(e);
    }
  }

  // ---- snapshots ----

  /** Closes every handle and reopens the recorded ones by path, without O_CREAT/O_TRUNC/O_EXCL. */
  public void restore(List<Mount> savedMounts, List<HandleRecord> saved, int savedNextHandle)
      throws IOException {
    closeHandles();
    mounts.clear();
    nextMount = 1;
    for (Mount m : savedMounts) {
      putMount(m);
    }
    forgetListing();
    int max = -1;
    for (HandleRecord r : saved) {
      Mount m = mounts.get(r.mount());
      if (m == null) {
        throw new IOException("snapshot handle " + r.handle() + " names unknown mount " + r.mount());
      }
      int flags = r.flags() & ~(O_CREAT | O_TRUNC | O_EXCL);
      Path p;
      try {
        p = resolve(m, r.path(), (flags & O_NOFOLLOW) == 0);
      } catch (Errno.Failure f) {
        throw new IOException("cannot reopen " + r.path() + " (errno " + f.errno + ")");
      }
      FileChannel ch = null;
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        ch = openChannel(p, flags, 0);
      }
      handles.put(r.handle(), new Handle(r.mount(), r.path(), r.flags(), p, ch));
      max = Math.max(max, r.handle());
    }
    nextHandle = Math.max(max + 1, savedNextHandle);
  }

  /** The next handle number open() will give: part of the snapshot, so ids replay exactly. */
  public int nextHandle() {
    return nextHandle;
  }

  private void closeHandles() {
    for (Handle h : handles.values()) {
      if (h.channel() != null) {
        try {
          h.channel().close();
        } catch (IOException e) {
          // closing a host file that failed to flush: nothing left to tell the guest
        }
      }
    }
    handles.clear();
  }

  @Override
  public void close() {
    closeHandles();
  }
}
