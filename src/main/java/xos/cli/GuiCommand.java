// SPDX-License-Identifier: MIT
package xos.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import xos.gui.GuiRequest;
import xos.gui.XosApp;
import xos.gui.session.LaunchSpec;
import xos.kernel.RunOptions;

/** `xos gui`: the JavaFX witness. Without a display it says so in one line and fails. */
@Command(
    name = "gui",
    mixinStandardHelpOptions = true,
    description = {
      "Opens the witness: terminal, registers, memory, disassembly, snapshots and system calls.",
      "Without PROGRAM: an interactive busybox shell (/bin/busybox from busybox-static).",
      "A PROGRAM starts stopped at its first instruction; Continue (F5) runs it."
    })
final class GuiCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--mount", paramLabel = "HOST:GUEST[:ro]", description = "Mount a host directory in the guest.")
  List<String> mounts = new ArrayList<>();

  @Option(names = "--strace", description = "Start with the system call log on.")
  boolean strace;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PROGRAM", description = "A static x86-64 ELF program.")
  Path program;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for PROGRAM.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    String problem = displayProblem(System.getenv(), System.getProperty("glass.platform"));
    if (problem != null) {
      spec.commandLine().getErr().println("xos gui: " + problem);
      return 1;
    }
    List<RunOptions.HostMount> m = new ArrayList<>();
    for (String s : mounts) {
      try {
        m.add(LaunchSpec.parseMount(s));
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("xos gui: " + e.getMessage());
        return 2;
      }
    }
    return XosApp.launch(new GuiRequest(program, args, m, strace));
  }

  /** Why no window can open here, or null: needs X11 or Wayland, or Monocle's headless glass. */
  static String displayProblem(Map<String, String> env, String glassPlatform) {
    if ("Monocle".equalsIgnoreCase(glassPlatform)) {
      return null;
    }
    for (String v : new String[] {"DISPLAY", "WAYLAND_DISPLAY"}) {
      String d = env.get(v);
      if (d != null && !d.isBlank()) {
        return null;
      }
    }
    return "no display (DISPLAY is not set); run it in a desktop session or under xvfb-run";
  }
}
