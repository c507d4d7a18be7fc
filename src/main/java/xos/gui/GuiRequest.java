// SPDX-License-Identifier: MIT
package xos.gui;

import java.nio.file.Path;
import java.util.List;
import xos.kernel.RunOptions;

/** What `xos gui` was asked to open: a program and its arguments (null: the busybox shell). */
public record GuiRequest(Path program, List<String> args, List<RunOptions.HostMount> mounts, boolean strace) {
  public GuiRequest {
    args = List.copyOf(args);
    mounts = List.copyOf(mounts);
  }
}
