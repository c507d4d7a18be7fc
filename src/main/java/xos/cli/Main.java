// SPDX-License-Identifier: MIT
package xos.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The xos command line. Not a JavaFX Application: the GUI is one subcommand among others. */
@Command(
    name = "xos",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs x86-64 Linux programs on the JVM.",
    subcommands = {
      RunX86_64Command.class, RunShellCommand.class, GuiCommand.class, BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the process exit status (for tests). */
  public static int execute(String... args) {
    return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    // Options after PROGRAM belong to the guest: `xos run-x86_64 prog -n` passes -n on.
    cl.setStopAtPositional(true);
    // Everything after `bench`, options too, is the benchmark's (it prints its own usage).
    cl.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
    // `xos gui prog -n` passes -n on to the guest, as run-x86_64 does.
    cl.getSubcommands().get("gui").setStopAtPositional(true);
    cl.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          cmd.getErr().println("xos: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"xos " + (v == null ? "(development build)" : v)};
    }
  }
}
