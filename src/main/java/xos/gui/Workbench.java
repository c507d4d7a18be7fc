// SPDX-License-Identifier: MIT
package xos.gui;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import xos.gui.session.Debugger;

/** Puts a witness for one debugger into a stage: loads Main.fxml, binds it, wires closing. */
public final class Workbench {
  private final WitnessViewModel model;
  private final MainView view;
  private final ExecutorService io;

  private Workbench(WitnessViewModel model, MainView view, ExecutorService io) {
    this.model = model;
    this.view = view;
    this.io = io;
  }

  /**
   * Opens the witness in {@code stage}. {@code dialogs} null: JavaFX dialogs owned by the stage.
   * The debugger is closed with the window.
   */
  public static Workbench open(Stage stage, Debugger debugger, DialogService dialogs) throws IOException {
    FXMLLoader loader = new FXMLLoader(Workbench.class.getResource("/xos/gui/Main.fxml"));
    Parent root = loader.load();
    MainView view = loader.getController();
    Scene scene = new Scene(root);
    stage.setScene(scene);
    DialogService d = dialogs != null ? dialogs : new FxDialogService(stage);
    ExecutorService io = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "xos-gui-io");
      t.setDaemon(true);
      return t;
    });
    Executor fx = Platform::runLater;
    WitnessViewModel vm = new WitnessViewModel(debugger, d, io, fx);
    Workbench w = new Workbench(vm, view, io);
    view.bind(vm, scene, stage::close);
    stage.setTitle("xos - " + debugger.title());
    stage.setOnHidden(e -> w.close());
    return w;
  }

  public void setTheme(xos.gui.theme.Theme t) {
    view.setTheme(t);
  }

  public WitnessViewModel model() {
    return model;
  }

  public void close() {
    view.stop();
    io.shutdownNow();
    model.close();
  }
}
