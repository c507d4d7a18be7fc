// SPDX-License-Identifier: MIT
package xos.gui;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.stage.Stage;
import xos.gui.session.Debugger;
import xos.gui.session.LaunchSpec;
import xos.kernel.ExecFormatException;
import xos.kernel.XosException;

/**
 * The JavaFX application behind `xos gui`. Started by {@link #launch(GuiRequest)} from the
 * command line (xos.cli.Main is no Application, so the jar's main class needs no JavaFX to
 * start). Every failure becomes a message dialog or one line on stderr, never a stack trace.
 */
public final class XosApp extends Application {
  /** JavaFX's logger, held here: java.util.logging keeps loggers only weakly. */
  private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("javafx");
  private static volatile GuiRequest request = new GuiRequest(null, List.of(), List.of(), false);
  private Workbench workbench;

  /** Blocks until the last window closes; returns the exit status for the command line. */
  public static int launch(GuiRequest r) {
    request = r;
    // JavaFX warns that it was loaded from the class path (a shaded jar); that is how xos ships.
    QUIET.setLevel(java.util.logging.Level.SEVERE);
    Thread.setDefaultUncaughtExceptionHandler((t, e) ->
        System.err.println("xos gui: " + (e.getMessage() == null ? e.toString() : e.getMessage())));
    Application.launch(XosApp.class);
    return 0;
  }

  @Override
  public void start(Stage stage) {
    DialogService fatal = new FxDialogService(null) {
      @Override
      public void showError(String title, String message) {
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.setTitle("xos");
        a.setHeaderText(title);
        a.setContentText(message);
        a.showAndWait();
      }
    };
    Debugger d = debugger(request, fatal).orElse(null);
    if (d == null) {
      Platform.exit();
      return;
    }
    try {
      workbench = Workbench.open(stage, d, null);
    } catch (IOException e) {
      d.close();
      fatal.showError("Cannot open the window", String.valueOf(e.getMessage()));
      Platform.exit();
      return;
    }
    stage.show();
    if (request.program() == null) {
      workbench.model().resume(); // the shell runs at once; a program waits for Continue
    }
  }

  /**
   * Starts the machine a request asks for; a file that is no x86-64 program (not ELF, i386,
   * truncated) or a missing one becomes an error dialog with the engine's message, and empty.
   */
  public static Optional<Debugger> debugger(GuiRequest r, DialogService dialogs) {
    try {
      return Optional.of(Debugger.start(spec(r), r.strace()));
    } catch (ExecFormatException e) {
      dialogs.showError("Cannot run " + name(r), e.getMessage());
    } catch (IOException | XosException | IllegalArgumentException e) {
      dialogs.showError("Cannot start " + name(r), e.getMessage() == null ? e.toString() : e.getMessage());
    }
    return Optional.empty();
  }

  private static String name(GuiRequest r) {
    return r.program() == null ? "the shell" : r.program().toString();
  }

  /** The program asked for, or busybox sh, or the bundled hello demo when busybox is absent. */
  static LaunchSpec spec(GuiRequest r) throws IOException {
    if (r.program() != null) {
      if (!Files.isRegularFile(r.program())) {
        throw new IOException(r.program() + ": no such file");
      }
      return LaunchSpec.program(r.program(), r.args(), r.mounts());
    }
    LaunchSpec shell = LaunchSpec.busyboxShell(r.mounts());
    if (shell != null) {
      return shell;
    }
    try (InputStream in = XosApp.class.getResourceAsStream("/xos/gui/demo/hello-x86_64.elf")) {
      if (in == null) {
        throw new IOException("neither /bin/busybox (Debian's busybox-static) nor the bundled demo is there");
      }
      Path tmp = Files.createTempFile("xos-hello", ".elf");
      Files.write(tmp, in.readAllBytes());
      tmp.toFile().deleteOnExit();
      return LaunchSpec.program(tmp, List.of(), r.mounts());
    }
  }

  @Override
  public void stop() {
    if (workbench != null) {
      workbench.close();
    }
  }
}
