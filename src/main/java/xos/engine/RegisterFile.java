// SPDX-License-Identifier: MIT
package xos.engine;

import java.util.Arrays;

/**
 * The architectural registers of one task at one moment (immutable). GPRs in encoding order:
 * rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15.
 */
public record RegisterFile(long[] gpr, long rip, long rflags, long fsBase, long gsBase) {
  public static final String[] GPR_NAMES = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"
  };

  public RegisterFile {
    if (gpr.length != 16) {
      throw new IllegalArgumentException("16 GPRs expected");
    }
    gpr = gpr.clone();
  }

  @Override
  public long[] gpr() {
    return gpr.clone();
  }

  public long gpr(int i) {
    return gpr[i];
  }

  public long rax() { return gpr[0]; }

  public long rsp() { return gpr[4]; }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegisterFile
        && Arrays.equals(gpr, ((RegisterFile) o).gpr)
        && rip == ((RegisterFile) o).rip
        && rflags == ((RegisterFile) o).rflags
        && fsBase == ((RegisterFile) o).fsBase
        && gsBase == ((RegisterFile) o).gsBase;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(gpr) * 31 + Long.hashCode(rip);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      sb.append(GPR_NAMES[i]).append('=').append(String.format("%016x", gpr[i])).append(' ');
    }
    sb.append(String.format("rip=%016x rflags=%08x fs=%x gs=%x", rip, rflags, fsBase, gsBase));
    return sb.toString();
  }
}
