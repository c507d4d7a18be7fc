// SPDX-License-Identifier: MIT
package xos.kernel;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import xos.engine.Engine;

/**
 * Unpacks a tar archive into the guest's file tree, streaming: one entry at a time, file
 * contents in chunks, so an archive of any size costs one chunk of Java heap. Runs on the
 * engine thread. Compression is recognised by its magic bytes (gzip, xz, zstd, bzip2, or
 * none). Device nodes, FIFOs and everything under /dev are skipped (the guest's /dev is
 * devfs); hard links become copies (tmpfs keeps one name per file).
 */
public final class TarImport {
  private static final int CHUNK = 1 << 20;

  /** What an import did. */
  public record Stats(int files, int dirs, int symlinks, int hardlinks, int skipped, long bytes) {
    @Override
    public String toString() {
      return files + " files (" + bytes + " bytes), " + dirs + " directories, " + symlinks + " symlinks, "
          + hardlinks + " hard links, " + skipped + " skipped";
    }
  }

  private TarImport() {}

  /** Unpacks {@code archive} under {@code guestRoot} ("/" for a root file system). */
  public static Stats unpack(Engine engine, String guestRoot, Path archive) throws IOException {
    try (InputStream in = Files.newInputStream(archive)) {
      return unpack(engine, guestRoot, in);
    }
  }

  /** Unpacks a tar stream (compressed or not) under {@code guestRoot}. */
  public static Stats unpack(Engine engine, String guestRoot, InputStream raw) throws IOException {
    InputStream in = decompress(raw);
    String root = guestRoot.endsWith("/") ? guestRoot.substring(0, guestRoot.length() - 1) : guestRoot;
    int files = 0, dirs = 0, symlinks = 0, hardlinks = 0, skipped = 0;
    long bytes = 0;
    // Directory times are set last: creating their entries changes them.
    List<String> dirPaths = new ArrayList<>();
    List<Long> dirTimes = new ArrayList<>();
    byte[] buf = new byte[CHUNK];
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      String name = clean(e.getName());
      if (name == null) {
        if (e.isDirectory()) { // "./": the root itself keeps its owner and (last) its time
          long t = e.getLastModifiedTime() == null ? -1 : e.getLastModifiedTime().toMillis() * 1_000_000L;
          String r = root.isEmpty() ? "/" : root;
          engine.fsAttr(r, (int) e.getLongUserId(), (int) e.getLongGroupId(), -1);
          dirPaths.add(0, r);
          dirTimes.add(0, t);
          continue;
        }
        skipped++;
        continue;
      }
      String path = root + "/" + name;
      if (path.startsWith("/dev/")) {
        skipped++; // the guest's /dev is devfs
        continue;
      }
      int mode = e.getMode() & 07777;
      long mtime = e.getLastModifiedTime() == null ? -1 : e.getLastModifiedTime().toMillis() * 1_000_000L;
      int r;
      if (e.isDirectory()) {
        r = engine.fsMkdir(path, mode);
        if (r == 0) {
          dirs++;
          dirPaths.add(path);
          dirTimes.add(mtime);
        }
      } else if (e.isSymbolicLink()) {
        r = engine.fsSymlink(path, e.getLinkName());
        symlinks += r == 0 ? 1 : 0;
      } else if (e.isLink()) {
        String target = clean(e.getLinkName());
        r = target == null ? -22 : engine.fsLink(path, root + "/" + target);
        hardlinks += r == 0 ? 1 : 0;
      } else if (e.isFile()) {
        // The first chunk (perhaps empty) creates the file; the rest extend it.
        int n = Math.max(0, tar.readNBytes(buf, 0, buf.length));
        r = engine.fsWrite(path, buf, n, 0, mode);
        long off = n;
        while (r == 0 && (n = tar.readNBytes(buf, 0, buf.length)) > 0) {
          r = engine.fsWrite(path, buf, n, off, mode);
          off += n;
        }
        if (r == 0) {
          files++;
          bytes += off;
        }
      } else {
        skipped++; // character and block devices, FIFOs
        continue;
      }
      if (r < 0) {
        throw new IOException("cannot unpack " + e.getName() + ": " + engine.error() + " (errno " + -r + ")");
      }
      if (!e.isDirectory()) {
        engine.fsAttr(path, (int) e.getLongUserId(), (int) e.getLongGroupId(), e.isLink() ? -1 : mtime);
      } else {
        engine.fsAttr(path, (int) e.getLongUserId(), (int) e.getLongGroupId(), -1);
      }
    }
    for (int i = dirPaths.size() - 1; i >= 0; i--) {
      engine.fsAttr(dirPaths.get(i), -1, -1, dirTimes.get(i));
    }
    return new Stats(files, dirs, symlinks, hardlinks, skipped, bytes);
  }

  /**
   * An entry name as a relative path without "." and ".." components, or null for the root.
   * ".." cannot climb above the archive's root (the engine normalises too).
   */
  static String clean(String name) {
    List<String> parts = new ArrayList<>();
    for (String p : name.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(p);
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  /** Wraps {@code raw} in the decompressor its first bytes call for. */
  static InputStream decompress(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(8);
    byte[] m = new byte[6];
    int n = in.readNBytes(m, 0, m.length);
    in.reset();
    if (n >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
      return new GzipCompressorInputStream(in, true);
    }
    if (n >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0) {
      return new XZCompressorInputStream(in, true);
    }
    if (n >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
      return new ZstdCompressorInputStream(in);
    }
    if (n >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
      return new BZip2CompressorInputStream(in, true);
    }
    return in;
  }
}
