// SPDX-License-Identifier: MIT
package xos.gui.session;

import java.util.List;
import xos.engine.EngineState;
import xos.kernel.Machine;

/**
 * What the views show of a stopped (or, throttled, a running) machine, read on the worker
 * thread in one go: state, a memory window, disassembly around RIP, the vector registers
 * (null when the engine does not export them) and the guest's tasks. Immutable.
 */
public record Inspection(
    EngineState state, MemoryWindow memory, List<Machine.Instruction> code, long[][] xmm, long serial,
    List<Machine.Task> tasks) {
  public Inspection {
    code = List.copyOf(code);
    tasks = List.copyOf(tasks);
  }
}
