// SPDX-License-Identifier: MIT
package xos.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Everything that makes an engine what it is at one moment: linear memory, every wasm global
 * (low and high 64 bits), and the host's own record. Immutable; restoring it is byte-exact.
 */
public record Snapshot(byte[] memory, long[] globalsLow, long[] globalsHigh, HostRecord host) {
  /**
   * The host side, versioned: mounts, open host files by path (reopened on restore), the next
   * handle number, and a seeded host's clock and random state (empty when unseeded).
   */
  public record HostRecord(
      int version,
      List<HostFiles.Mount> mounts,
      List<HostFiles.HandleRecord> handles,
      int nextHandle,
      long[] seededState) {
    public HostRecord {
      mounts = List.copyOf(mounts);
      handles = List.copyOf(handles);
      seededState = seededState.clone();
    }

    @Override
    public long[] seededState() {
      return seededState.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HostRecord
          && version == ((HostRecord) o).version
          && mounts.equals(((HostRecord) o).mounts)
          && handles.equals(((HostRecord) o).handles)
          && nextHandle == ((HostRecord) o).nextHandle
          && Arrays.equals(seededState, ((HostRecord) o).seededState);
    }

    @Override
    public int hashCode() {
      return handles.hashCode() * 31 + nextHandle;
    }
  }

  public Snapshot {
    memory = memory.clone();
    globalsLow = globalsLow.clone();
    globalsHigh = globalsHigh.clone();
  }

  @Override
  public byte[] memory() {
    return memory.clone();
  }

  @Override
  public long[] globalsLow() {
    return globalsLow.clone();
  }

  @Override
  public long[] globalsHigh() {
    return globalsHigh.clone();
  }

  /** The memory image without a copy, for the engine's restore only. */
  byte[] memoryImage() {
    return memory;
  }

  public int memorySize() {
    return memory.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Snapshot
        && Arrays.equals(memory, ((Snapshot) o).memory)
        && Arrays.equals(globalsLow, ((Snapshot) o).globalsLow)
        && Arrays.equals(globalsHigh, ((Snapshot) o).globalsHigh)
        && host.equals(((Snapshot) o).host);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(memory) ^ Arrays.hashCode(globalsLow);
  }

  @Override
  public String toString() {
    return "Snapshot[" + memory.length + " bytes, " + globalsLow.length + " globals, " + host + "]";
  }
}
