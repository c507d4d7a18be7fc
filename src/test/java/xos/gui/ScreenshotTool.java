// SPDX-License-Identifier: MIT
package xos.gui;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.robot.Robot;
import javafx.stage.Stage;
import javafx.util.Duration;
import javax.imageio.ImageIO;
import xos.gui.session.Debugger;
import xos.gui.session.LaunchSpec;

/**
 * Takes assets/screenshot.png from the real window (GTK glass) on an X server, e.g.
 * {@code xvfb-run -s "-screen 0 1400x900x24" java -cp ... xos.gui.ScreenshotTool assets/screenshot.png [light] [att]}.
 * Runs busybox sh, types a few commands, takes a snapshot, pauses and steps, then captures the
 * screen pixels of the window with the JavaFX robot.
 */
public final class ScreenshotTool {
  private static Path out;
  private static boolean light;
  private static boolean att;

  private ScreenshotTool() {}

  /** Not an Application itself: JavaFX on the class path refuses to launch a main class that is one. */
  public static void main(String[] args) {
    out = Path.of(args.length > 0 ? args[0] : "assets/screenshot.png");
    List<String> opts = List.of(args).subList(Math.min(1, args.length), args.length);
    light = opts.contains("light");
    att = opts.contains("att"); // the listing in AT&T syntax
    Application.launch(App.class, args);
  }

  /** The window being photographed. */
  public static final class App extends Application {
  @Override
  public void start(Stage stage) throws Exception {
    Debugger d = Debugger.start(LaunchSpec.busyboxShell(List.of()), true);
    Workbench w = Workbench.open(stage, d, null);
    if (light) {
      w.setTheme(xos.gui.theme.Theme.LIGHT);
    }
    stage.setX(0);
    stage.setY(0);
    stage.setWidth(1360);
    stage.setHeight(840);
    stage.show();
    WitnessViewModel vm = w.model();
    vm.resume();
    Timeline t = new Timeline(
        new KeyFrame(Duration.seconds(4), e -> vm.terminal().type("echo hello from xos > /tmp/greeting; read line < /tmp/greeting; echo \"$line\"\r", false)),
        new KeyFrame(Duration.seconds(5), e -> vm.terminal().type("for i in 1 2 3; do printf 'line %s\\n' $i; done\r", false)),
        new KeyFrame(Duration.seconds(6), e -> vm.terminal().type("uname -a; ls /bin | wc -l; echo $((6 * 7))\r", false)),
        new KeyFrame(Duration.seconds(7), e -> vm.terminal().type("printf '\\033[1;32mgreen\\033[0m \\033[7mreverse\\033[0m \\033[4munderline\\033[0m\\n'\r", false)),
        new KeyFrame(Duration.seconds(9), e -> vm.snapshots().take()),
        new KeyFrame(Duration.seconds(10), e -> vm.pause()),
        new KeyFrame(Duration.seconds(11), e -> vm.step()),
        new KeyFrame(Duration.seconds(12), e -> {
          vm.step();
          vm.disassembly().attSyntaxProperty().set(att);
        }),
        new KeyFrame(Duration.seconds(13), e -> {
          vm.memory().goTo("rsp", d.state().registers());
          vm.refresh();
        }),
        new KeyFrame(Duration.seconds(15), e -> {
          capture(stage);
          Platform.exit();
        }));
    t.play();
  }
  }

  private static void capture(Stage stage) {
    Robot robot = new Robot();
    WritableImage img = robot.getScreenCapture(null,
        new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()));
    int w = (int) img.getWidth();
    int h = (int) img.getHeight();
    BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    PixelReader r = img.getPixelReader();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        b.setRGB(x, y, r.getArgb(x, y));
      }
    }
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
      ImageIO.write(b, "png", out.toFile());
      System.err.println("wrote " + out + " (" + w + "x" + h + ")");
    } catch (java.io.IOException e) {
      System.err.println("cannot write " + out + ": " + e.getMessage());
    }
  }
}
