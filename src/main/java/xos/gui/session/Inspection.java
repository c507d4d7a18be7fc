// SPDX-License-Identifier: MIT
package xos.gui.session;

import java.util.List;
import xos.engine.EngineState;
import xos.kernel.Machine;

/**
 * What the views show of a stopped (or, throttled, a running) machine, read on the worker
 * thread in one go: state, a memory window, disassembly around RIP and the vector registers
 * (null when the engine does not export them). Immutable.
 */
public record Inspection(
    EngineState state, MemoryWindow memory, List<Machine.Instruction> code, long[][] xmm, long serial) {
  public Inspection {
    code = List.copyOf(code);
  }
}
