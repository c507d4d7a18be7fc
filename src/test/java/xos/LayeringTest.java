// SPDX-License-Identifier: MIT
package xos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of STYLE.md, checked by scanning imports: only xos.gui may use JavaFX,
 * xos.gui never touches Chicory, and view-models hold no controls.
 */
class LayeringTest {
  private static Path sources() {
    return Path.of(System.getProperty("xos.repo", ".")).resolve("src/main/java").toAbsolutePath();
  }

  @Test
  void layersImportOnlyWhatTheyMay() throws IOException {
    Path src = sources();
    assertTrue(Files.isDirectory(src.resolve("xos")), "sources at " + src);
    List<String> problems = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        scanned++;
        String rel = src.relativize(f).toString().replace('\\', '/');
        boolean gui = rel.startsWith("xos/gui/");
        for (String line : Files.readAllLines(f)) {
          String l = line.strip();
          if (!l.startsWith("import ")) {
            continue;
          }
          if (!gui && l.matches("import\\s+(static\\s+)?javafx\\..*")) {
            problems.add(rel + ": JavaFX outside xos.gui: " + l);
          }
          if (gui && l.contains("com.dylibso.chicory")) {
            problems.add(rel + ": xos.gui uses Chicory: " + l);
          }
          if (rel.endsWith("ViewModel.java") && l.contains("javafx.scene.control")) {
            problems.add(rel + ": a view-model imports controls: " + l);
          }
        }
      }
    }
    assertTrue(scanned > 10, "scanned " + scanned + " files");
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }
}
