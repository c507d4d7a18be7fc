// SPDX-License-Identifier: MIT
package xos.gui.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorInputStream;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorOutputStream;
import org.apache.commons.compress.compressors.deflate.DeflateParameters;
import xos.engine.HostFiles;
import xos.engine.RegisterFile;
import xos.kernel.Snapshot;

/**
 * The {@code .xsnap} file: one snapshot of a machine with its label and registers.
 *
 * <pre>
 *   "XOSSNAP\n"                 8 bytes magic
 *   u32 format version          ({@link #VERSION})
 *   32 bytes engine build       SHA-256 of the compiled engine ({@link xos.engine.Engine#buildId})
 *   u64 payload length          uncompressed
 *   u32 CRC-32                  of the uncompressed payload
 *   deflate stream              (commons-compress, level 1) of the payload:
 *     UTF label, u64 icount, u64 epoch millis, registers (16 GPRs, rip, rflags, fs, gs),
 *     stdout, stderr, linear memory (u32 length + bytes), globals (u32 n, n low, n high),
 *     host record (version, mounts, handles, next handle, seeded state)
 *   u32 CRC-32                  of every byte of the file before it
 * </pre>
 *
 * All integers big-endian. Two checksums because deflate forgives: in long runs of zeros a
 * damaged match distance still copies zeros, so a damaged file can inflate to the right bytes;
 * the file checksum says it is damaged all the same. A file is checked whole (both checksums,
 * magic, version, length) before anything is built from it, so a corrupt file changes nothing. A
 * snapshot holds the engine's own linear memory, so only the engine build that wrote it can
 * load it; another build's file is refused by name (version 1 files carried no build).
 */
public final class SnapshotFile {
  public static final String EXTENSION = ".xsnap";
  public static final int VERSION = 2;
  private static final int BUILD_LEN = 32;
  /** Magic, version, build, length, checksum: where the deflate stream starts. */
  static final int HEADER = 8 + 4 + BUILD_LEN + 8 + 4;
  private static final byte[] MAGIC = "XOSSNAP\n".getBytes(StandardCharsets.US_ASCII);
  /** Payloads above this are refused (the engine's linear memory stops at 2 GiB). */
  private static final long MAX_PAYLOAD = 1L << 31;

  private SnapshotFile() {}

  /** A snapshot with what the witness shows about it. */
  public record Entry(String label, long epochMillis, RegisterFile registers, Snapshot snapshot) {}

  /** Writes atomically (a temporary file renamed into place); progress goes 0..1. */
  public static void save(Path file, Entry e, DoubleConsumer progress) throws IOException {
    byte[] payload = payload(e);
    CRC32 crc = new CRC32();
    crc.update(payload);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    CRC32 fileCrc = new CRC32();
    try (OutputStream raw = Files.newOutputStream(tmp);
        java.util.zip.CheckedOutputStream fo = new java.util.zip.CheckedOutputStream(raw, fileCrc);
        DataOutputStream head = new DataOutputStream(fo)) {
      head.write(MAGIC);
      head.writeInt(VERSION);
      head.write(xos.engine.Engine.buildId());
      head.writeLong(payload.length);
      head.writeInt((int) crc.getValue());
      head.flush();
      DeflateParameters p = new DeflateParameters();
      p.setCompressionLevel(Deflater.BEST_SPEED);
      OutputStream z = new DeflateCompressorOutputStream(new NonClosing(fo), p);
      int chunk = 1 << 20;
      for (int off = 0; off < payload.length; off += chunk) {
        z.write(payload, off, Math.min(chunk, payload.length - off));
        progress.accept((double) Math.min(payload.length, off + chunk) / payload.length);
      }
      z.close();
      new DataOutputStream(raw).writeInt((int) fileCrc.getValue());
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads and checks a file; throws {@link IOException} with a message a person can act on. */
  public static Entry load(Path file, DoubleConsumer progress) throws IOException {
    long size = Files.size(file);
    if (size > MAX_PAYLOAD) {
      throw new IOException(file.getFileName() + " is too large for a snapshot (" + size + " bytes)");
    }
    byte[] all = Files.readAllBytes(file);
    // A file of another format version is named as such, not as damaged.
    if (all.length >= HEADER + 4 && startsWithMagic(all)
        && java.nio.ByteBuffer.wrap(all, MAGIC.length, 4).getInt() == VERSION) {
      CRC32 c = new CRC32();
      c.update(all, 0, all.length - 4);
      int stored = java.nio.ByteBuffer.wrap(all, all.length - 4, 4).getInt();
      if ((int) c.getValue() != stored) {
        throw new IOException(file.getFileName() + " is corrupt (file checksum mismatch)");
      }
    }
    try (InputStream fi = new ByteArrayInputStream(all, 0, Math.max(0, all.length - 4));
        DataInputStream head = new DataInputStream(fi)) {
      byte[] magic = new byte[MAGIC.length];
      try {
        head.readFully(magic);
      } catch (EOFException ex) {
        throw new IOException(file.getFileName() + " is not an xos snapshot (too short)");
      }
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException(file.getFileName() + " is not an xos snapshot (no XOSSNAP header)");
      }
      int version = head.readInt();
      if (version != VERSION) {
        throw new IOException(file.getFileName() + " is a snapshot of format version " + version
            + "; this xos reads version " + VERSION);
      }
      byte[] build = new byte[BUILD_LEN];
      head.readFully(build);
      byte[] ours = xos.engine.Engine.buildId();
      if (!java.util.Arrays.equals(build, ours)) {
        throw new IOException(file.getFileName() + " was saved by another build of the xos engine (engine "
            + hex(build) + ", this one " + hex(ours) + "); a snapshot loads only into the engine that took it");
      }
      long length = head.readLong();
      int crc = head.readInt();
      if (length < 0 || length > MAX_PAYLOAD) {
        throw new IOException(file.getFileName() + " is corrupt (payload length " + length + ")");
      }
      byte[] payload = new byte[(int) length];
      try (InputStream z = new DeflateCompressorInputStream(fi)) {
        int done = 0;
        while (done < payload.length) {
          int n = z.read(payload, done, Math.min(1 << 20, payload.length - done));
          if (n < 0) {
            throw new IOException(file.getFileName() + " is corrupt (truncated after " + done + " of "
                + length + " bytes)");
          }
          done += n;
          progress.accept((double) done / Math.max(1, payload.length));
        }
        if (z.read() >= 0) {
          throw new IOException(file.getFileName() + " is corrupt (longer than its header says)");
        }
      } catch (IOException | RuntimeException ex) {
        if (ex.getMessage() != null && ex.getMessage().contains("is corrupt")) {
          throw ex;
        }
        throw new IOException(file.getFileName() + " is corrupt (" + ex.getMessage() + ")", ex);
      }
      CRC32 c = new CRC32();
      c.update(payload);
      if ((int) c.getValue() != crc) {
        throw new IOException(file.getFileName() + " is corrupt (checksum mismatch)");
      }
      try {
        return parse(payload);
      } catch (IOException | RuntimeException ex) {
        throw new IOException(file.getFileName() + " is corrupt (" + ex.getMessage() + ")", ex);
      }
    } catch (EOFException ex) {
      throw new IOException(file.getFileName() + " is corrupt (ends early; " + size + " bytes)", ex);
    }
  }

  private static String hex(byte[] id) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      s.append(String.format("%02x", id[i]));
    }
    return s.toString();
  }

  private static boolean startsWithMagic(byte[] b) {
    return java.util.Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  static byte[] payload(Entry e) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream(e.snapshot().engine().memorySize() + 4096);
    DataOutputStream o = new DataOutputStream(bo);
    o.writeUTF(e.label());
    o.writeLong(e.snapshot().icount());
    o.writeLong(e.epochMillis());
    RegisterFile r = e.registers();
    for (int i = 0; i < 16; i++) {
      o.writeLong(r.gpr(i));
    }
    o.writeLong(r.rip());
    o.writeLong(r.rflags());
    o.writeLong(r.fsBase());
    o.writeLong(r.gsBase());
    bytes(o, e.snapshot().stdout());
    bytes(o, e.snapshot().stderr());
    xos.engine.Snapshot s = e.snapshot().engine();
    bytes(o, s.memory());
    longs(o, s.globalsLow());
    longs(o, s.globalsHigh());
    xos.engine.Snapshot.HostRecord h = s.host();
    o.writeInt(h.version());
    o.writeInt(h.mounts().size());
    for (HostFiles.Mount m : h.mounts()) {
      o.writeInt(m.id());
      o.writeUTF(m.root().toString());
      o.writeBoolean(m.readOnly());
    }
    o.writeInt(h.handles().size());
    for (HostFiles.HandleRecord hr : h.handles()) {
      o.writeInt(hr.handle());
      o.writeInt(hr.mount());
      o.writeUTF(hr.path());
      o.writeInt(hr.flags());
    }
    o.writeInt(h.nextHandle());
    longs(o, h.seededState());
    o.flush();
    return bo.toByteArray();
  }

  static Entry parse(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    String label = in.readUTF();
    long icount = in.readLong();
    long millis = in.readLong();
    long[] gpr = new long[16];
    for (int i = 0; i < 16; i++) {
      gpr[i] = in.readLong();
    }
    RegisterFile regs = new RegisterFile(gpr, in.readLong(), in.readLong(), in.readLong(), in.readLong());
    byte[] stdout = bytes(in);
    byte[] stderr = bytes(in);
    byte[] memory = bytes(in);
    long[] low = longs(in);
    long[] high = longs(in);
    if (low.length != high.length) {
      throw new IOException("globals differ in number");
    }
    int hv = in.readInt();
    int nm = count(in);
    List<HostFiles.Mount> mounts = new ArrayList<>();
    for (int i = 0; i < nm; i++) {
      mounts.add(new HostFiles.Mount(in.readInt(), Path.of(in.readUTF()), in.readBoolean()));
    }
    int nh = count(in);
    List<HostFiles.HandleRecord> handles = new ArrayList<>();
    for (int i = 0; i < nh; i++) {
      handles.add(new HostFiles.HandleRecord(in.readInt(), in.readInt(), in.readUTF(), in.readInt()));
    }
    int next = in.readInt();
    long[] seeded = longs(in);
    if (in.available() != 0) {
      throw new IOException(in.available() + " bytes after the snapshot");
    }
    xos.engine.Snapshot.HostRecord host = new xos.engine.Snapshot.HostRecord(hv, mounts, handles, next, seeded);
    xos.engine.Snapshot es = new xos.engine.Snapshot(memory, low, high, host);
    return new Entry(label, millis, regs, new Snapshot(es, stdout, stderr, icount));
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad count " + n);
    }
    return n;
  }

  private static void bytes(DataOutputStream o, byte[] b) throws IOException {
    o.writeInt(b.length);
    o.write(b);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int n = count(in);
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static void longs(DataOutputStream o, long[] v) throws IOException {
    o.writeInt(v.length);
    for (long x : v) {
      o.writeLong(x);
    }
  }

  private static long[] longs(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available() / 8) {
      throw new IOException("bad count " + n);
    }
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readLong();
    }
    return v;
  }

  /** Keeps the deflate stream's close from closing the file under the header's writer. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
