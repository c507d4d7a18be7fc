// SPDX-License-Identifier: MIT
package xos.engine;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.ConstantEvaluators;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The engine's linear memory: one byte array of exactly the current size, read and written
 * through little-endian VarHandle views. Measured 1.15-2.7x faster than Chicory's own memories
 * on emulator-like work (ARCHITECTURE.md). Growing copies the array, so callers pre-size.
 *
 * <p>Owned by the engine thread; not safe for concurrent use (the engine is single-threaded,
 * the module declares no shared memory). Accesses outside the current size throw Chicory's
 * {@link WasmRuntimeException} "out of bounds memory access", which is a trap of the engine.
 */
public final class FlatMemory implements Memory {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int initialPages;
  private final int maximumPages;
  private byte[] bytes;
  private DataSegment[] dataSegments = new DataSegment[0];
  private String lastRefusal = ""; // why the last grow returned -1, for error messages

  public FlatMemory(MemoryLimits limits) {
    this(limits.initialPages(), limits.maximumPages());
  }

  public FlatMemory(int initialPages, int maximumPages) {
    if (initialPages < 0 || maximumPages < initialPages || maximumPages > RUNTIME_MAX_PAGES) {
      throw new IllegalArgumentException(
          "bad memory limits: initial " + initialPages + ", maximum " + maximumPages);
    }
    this.initialPages = initialPages;
    this.maximumPages = maximumPages;
    this.bytes = new byte[Memory.bytes(initialPages)];
  }

  // ---- snapshot support (engine thread only) ----

  /** A copy of the whole memory, exactly {@link #pages()} * 64 KiB bytes. */
  public byte[] copyBytes() {
    return bytes.clone();
  }

  /** Replaces size and content with a copy of {@code image}, which must be whole pages. */
  public void restoreBytes(byte[] image) {
    if (image.length % PAGE_SIZE != 0 || image.length / PAGE_SIZE > maximumPages) {
      throw new IllegalArgumentException("memory image of " + image.length + " bytes is not a valid size");
    }
    bytes = image.clone();
  }

  /** Size in bytes. */
  public int size() {
    return bytes.length;
  }

  // ---- Memory ----

  @Override
  public int pages() {
    return bytes.length / PAGE_SIZE;
  }

  @Override
  public int grow(int delta) {
    int old = pages();
    if (delta < 0 || (long) old + delta > maximumPages) {
      lastRefusal = "grow by " + delta + " pages refused at " + old + " of at most " + maximumPages;
      return -1;
    }
    if (delta > 0) {
      try {
        bytes = Arrays.copyOf(bytes, Memory.bytes(old + delta));
      } catch (OutOfMemoryError e) {
        Runtime rt = Runtime.getRuntime();
        lastRefusal = "grow by " + delta + " pages at " + old + " pages: Java heap exhausted ("
            + (rt.totalMemory() - rt.freeMemory()) / (1 << 20) + " of " + rt.maxMemory() / (1 << 20) + " MiB used)";
        return -1;
      }
    }
    return old;
  }

  /**
   * Size and the last refused grow, for messages about a failed allocation in the engine
   * ("32 MiB, no grow refused").
   */
  public String describe() {
    return (bytes.length >> 20) + " MiB (" + pages() + " pages), "
        + (lastRefusal.isEmpty() ? "no grow refused" : lastRefusal);
  }

  /**
   * Drops the contents (the engine is closed): anything still holding the engine no longer
   * holds its linear memory, which can be gigabytes.
   */
  public void release() {
    bytes = new byte[0];
    dataSegments = new DataSegment[0];
  }

  @Override
  public int initialPages() {
    return initialPages;
  }

  @Override
  public int maximumPages() {
    return maximumPages;
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  @SuppressWarnings("removal") // still abstract in Chicory 1.7.5
  public Object lock(int address) {
    return this;
  }

  @Override
  @SuppressWarnings("removal") // still abstract in Chicory 1.7.5
  public int waitOn(int address, int expected, long timeout) {
    throw new WasmRuntimeException("atomic wait on unshared memory");
  }

  @Override
  @SuppressWarnings("removal") // still abstract in Chicory 1.7.5
  public int waitOn(int address, long expected, long timeout) {
    throw new WasmRuntimeException("atomic wait on unshared memory");
  }

  @Override
  @SuppressWarnings("removal") // still abstract in Chicory 1.7.5
  public int notify(int address, int count) {
    check(address, 4);
    return 0;
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments) {
    initialize(instance, segments, 0);
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments, int memoryIndex) {
    this.dataSegments = segments == null ? new DataSegment[0] : segments;
    for (DataSegment s : dataSegments) {
      if (s instanceof ActiveDataSegment) {
        ActiveDataSegment a = (ActiveDataSegment) s;
        if (a.index() != memoryIndex) {
          continue;
        }
        int offset = (int) ConstantEvaluators.computeConstantValue(instance, a.offsetInstructions())[0];
        byte[] data = a.data();
        write(offset, data, 0, data.length);
      } else if (!(s instanceof PassiveDataSegment)) {
        throw new WasmRuntimeException("unknown data segment kind " + s);
      }
    }
  }

  @Override
  public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
    byte[] data = dataSegments[segmentId].data();
    if (offset < 0 || size < 0 || (long) offset + size > data.length) {
      throw oob(dest, size);
    }
    write(dest, data, offset, size);
  }

  @Override
  public void drop(int segment) {
    dataSegments[segment] = PassiveDataSegment.EMPTY;
  }

  private void check(int addr, int len) {
    if (addr < 0 || len < 0 || addr > bytes.length - len) {
      throw oob(addr, len);
    }
  }

  private RuntimeException oob(int addr, int len) {
    return new WasmRuntimeException(
        "out of bounds memory access: attempted to access address: "
            + Integer.toUnsignedString(addr)
            + " but limit is: "
            + bytes.length
            + " and size: "
            + len);
  }

  @Override
  public void write(int addr, byte[] data, int offset, int size) {
    check(addr, size);
    System.arraycopy(data, offset, bytes, addr, size);
  }

  @Override
  public byte read(int addr) {
    check(addr, 1);
    return bytes[addr];
  }

  @Override
  public byte[] readBytes(int addr, int len) {
    check(addr, len);
    return Arrays.copyOfRange(bytes, addr, addr + len);
  }

  /** Copies {@code len} bytes at {@code addr} into {@code dst[off..]}. */
  public void readInto(int addr, byte[] dst, int off, int len) {
    check(addr, len);
    System.arraycopy(bytes, addr, dst, off, len);
  }

  @Override
  public void writeI32(int addr, int data) {
    check(addr, 4);
    INT.set(bytes, addr, data);
  }

  @Override
  public int readInt(int addr) {
    check(addr, 4);
    return (int) INT.get(bytes, addr);
  }

  @Override
  public void writeLong(int addr, long data) {
    check(addr, 8);
    LONG.set(bytes, addr, data);
  }

  @Override
  public long readLong(int addr) {
    check(addr, 8);
    return (long) LONG.get(bytes, addr);
  }

  @Override
  public void writeShort(int addr, short data) {
    check(addr, 2);
    SHORT.set(bytes, addr, data);
  }

  @Override
  public short readShort(int addr) {
    check(addr, 2);
    return (short) SHORT.get(bytes, addr);
  }

  @Override
  public long readU16(int addr) {
    return readShort(addr) & 0xFFFFL;
  }

  @Override
  public void writeByte(int addr, byte data) {
    check(addr, 1);
    bytes[addr] = data;
  }

  @Override
  public void writeF32(int addr, float data) {
    writeI32(addr, Float.floatToRawIntBits(data));
  }

  @Override
  public long readF32(int addr) {
    return readInt(addr) & 0xFFFFFFFFL;
  }

  @Override
  public float readFloat(int addr) {
    return Float.intBitsToFloat(readInt(addr));
  }

  @Override
  public void writeF64(int addr, double data) {
    writeLong(addr, Double.doubleToRawLongBits(data));
  }

  @Override
  public double readDouble(int addr) {
    return Double.longBitsToDouble(readLong(addr));
  }

  @Override
  public long readF64(int addr) {
    return readLong(addr);
  }

  @Override
  public void zero() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public void fill(byte value, int fromIndex, int toIndex) {
    if (fromIndex < 0 || toIndex < fromIndex || toIndex > bytes.length) {
      throw oob(fromIndex, toIndex - fromIndex);
    }
    Arrays.fill(bytes, fromIndex, toIndex, value);
  }

  @Override
  public void copy(int dest, int src, int size) {
    check(src, size);
    check(dest, size);
    System.arraycopy(bytes, src, bytes, dest, size);
  }
}
