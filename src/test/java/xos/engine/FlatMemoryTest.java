// SPDX-License-Identifier: MIT
package xos.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import org.junit.jupiter.api.Test;

class FlatMemoryTest {
  @Test
  void sizeIsExactlyTheInitialPages() {
    FlatMemory m = new FlatMemory(2, 10);
    assertEquals(2, m.pages());
    assertEquals(2 * Memory.PAGE_SIZE, m.size());
    assertEquals(2, m.initialPages());
    assertEquals(10, m.maximumPages());
  }

  @Test
  void valuesAreLittleEndian() {
    FlatMemory m = new FlatMemory(1, 1);
    m.writeI32(0, 0x11223344);
    assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11}, m.readBytes(0, 4));
    m.writeLong(8, 0x0102030405060708L);
    assertEquals(0x08, m.read(8));
    assertEquals(0x0102030405060708L, m.readLong(8));
    m.writeShort(20, (short) 0xBEEF);
    assertEquals((short) 0xBEEF, m.readShort(20));
    assertEquals(0xBEEFL, m.readU16(20));
    m.writeF64(24, 1.5);
    assertEquals(1.5, m.readDouble(24));
    assertEquals(Double.doubleToRawLongBits(1.5), m.readF64(24));
    m.writeF32(32, -2.25f);
    assertEquals(-2.25f, m.readFloat(32));
    assertEquals(Float.floatToRawIntBits(-2.25f) & 0xFFFFFFFFL, m.readF32(32));
  }

  @Test
  void unalignedAccessWorks() {
    FlatMemory m = new FlatMemory(1, 1);
    m.writeLong(3, -1L);
    assertEquals(-1L, m.readLong(3));
    assertEquals(0, m.read(2));
    assertEquals(0, m.read(11));
  }

  @Test
  void accessPastTheEndTraps() {
    FlatMemory m = new FlatMemory(1, 1);
    int end = Memory.PAGE_SIZE;
    m.writeI32(end - 4, 7);
    assertThrows(WasmRuntimeException.class, () -> m.writeI32(end - 3, 7));
    assertThrows(WasmRuntimeException.class, () -> m.readLong(end - 7));
    assertThrows(WasmRuntimeException.class, () -> m.read(end));
    assertThrows(WasmRuntimeException.class, () -> m.read(-1));
    assertThrows(WasmRuntimeException.class, () -> m.readBytes(end - 1, 2));
    assertThrows(WasmRuntimeException.class, () -> m.write(end - 1, new byte[2], 0, 2));
    assertThrows(WasmRuntimeException.class, () -> m.copy(0, end - 1, 2));
    assertThrows(WasmRuntimeException.class, () -> m.fill((byte) 1, end - 1, end + 1));
  }

  @Test
  void growCopiesAndKeepsContent() {
    FlatMemory m = new FlatMemory(1, 3);
    m.writeLong(100, 42);
    assertEquals(1, m.grow(1));
    assertEquals(2, m.pages());
    assertEquals(42, m.readLong(100));
    m.writeI32(Memory.PAGE_SIZE + 10, 5);
    assertEquals(5, m.readInt(Memory.PAGE_SIZE + 10));
    assertEquals(-1, m.grow(2), "past the maximum");
    assertEquals(2, m.pages());
    assertEquals(2, m.grow(0));
  }

  @Test
  void fillAndOverlappingCopy() {
    FlatMemory m = new FlatMemory(1, 1);
    m.fill((byte) 9, 10, 20);
    assertEquals(9, m.read(19));
    assertEquals(0, m.read(20));
    m.write(0, new byte[] {1, 2, 3, 4, 5}, 0, 5);
    m.copy(1, 0, 4);
    assertArrayEquals(new byte[] {1, 1, 2, 3, 4}, m.readBytes(0, 5));
  }

  @Test
  void snapshotBytesRestoreSizeAndContent() {
    FlatMemory m = new FlatMemory(1, 4);
    m.writeI32(0, 1);
    byte[] image = m.copyBytes();
    m.grow(2);
    m.writeI32(0, 2);
    m.writeI32(2 * Memory.PAGE_SIZE, 3);
    m.restoreBytes(image);
    assertEquals(1, m.pages());
    assertEquals(1, m.readInt(0));
    assertThrows(IllegalArgumentException.class, () -> m.restoreBytes(new byte[10]));
  }

  @Test
  void badLimitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FlatMemory(2, 1));
    assertThrows(IllegalArgumentException.class, () -> new FlatMemory(1, Memory.RUNTIME_MAX_PAGES + 1));
  }
}
