// SPDX-License-Identifier: MIT
package xos.gui.snapshots;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import xos.gui.DialogService;
import xos.gui.session.Debugger;
import xos.gui.session.SnapshotDiff;
import xos.gui.session.SnapshotFile;
import xos.gui.term.Screen;

/**
 * The snapshot timeline: take, restore, save and load {@code .xsnap} files, diff two entries.
 * Engine work goes through the {@link Debugger}'s worker, file work through {@code io}, and
 * results come back on {@code fx} (the FX thread in the app, the calling thread in tests).
 */
public final class SnapshotsViewModel {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final Debugger debugger;
  private final DialogService dialogs;
  private final Executor io;
  private final Executor fx;
  private final Supplier<Screen> screenNow;
  private final Consumer<Screen> screenRestore;
  private final ObservableList<SnapshotFile.Entry> entries = FXCollections.observableArrayList();
  private final Map<SnapshotFile.Entry, Screen> screens = new IdentityHashMap<>();
  private final DoubleProperty progress = new SimpleDoubleProperty(0);
  private final BooleanProperty busy = new SimpleBooleanProperty();
  private int counter;

  public SnapshotsViewModel(Debugger debugger, DialogService dialogs, Executor io, Executor fx,
      Supplier<Screen> screenNow, Consumer<Screen> screenRestore) {
    this.debugger = debugger;
    this.dialogs = dialogs;
    this.io = io;
    this.fx = fx;
    this.screenNow = screenNow;
    this.screenRestore = screenRestore;
  }

  public ObservableList<SnapshotFile.Entry> entries() {
    return entries;
  }

  public DoubleProperty progressProperty() {
    return progress;
  }

  public BooleanProperty busyProperty() {
    return busy;
  }

  /** "#3  1234567 insns  12:00:01  label" for the timeline list. */
  public static String describe(SnapshotFile.Entry e) {
    return String.format("%-12s %,14d insns  %s", e.label(), e.snapshot().icount(),
        TIME.format(Instant.ofEpochMilli(e.epochMillis())));
  }

  public CompletableFuture<SnapshotFile.Entry> take() {
    busy.set(true);
    return debugger.snapshot().thenApplyAsync(s -> {
      SnapshotFile.Entry e = new SnapshotFile.Entry("#" + (++counter), System.currentTimeMillis(),
          debugger.state().registers(), s);
      screens.put(e, screenNow.get());
      entries.add(e);
      busy.set(false);
      return e;
    }, fx).whenCompleteAsync((e, t) -> failed("Snapshot failed", t), fx);
  }

  public CompletableFuture<Void> restore(SnapshotFile.Entry e) {
    if (e == null) {
      return CompletableFuture.completedFuture(null);
    }
    busy.set(true);
    return debugger.restore(e.snapshot()).thenAcceptAsync(st -> {
      Screen s = screens.get(e);
      if (s != null) {
        screenRestore.accept(s);
      }
      busy.set(false);
    }, fx).whenCompleteAsync((v, t) -> failed("Restore failed", t), fx);
  }

  public CompletableFuture<Void> save(SnapshotFile.Entry e) {
    if (e == null) {
      dialogs.showError("Nothing to save", "Take or select a snapshot first.");
      return CompletableFuture.completedFuture(null);
    }
    var target = dialogs.chooseSnapshotToSave(e.label().replace("#", "snapshot-") + SnapshotFile.EXTENSION);
    if (target.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Path p = target.get();
    busy.set(true);
    progress.set(0);
    return CompletableFuture.runAsync(() -> {
      try {
        SnapshotFile.save(p, e, this::reportProgress);
      } catch (IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
    }, io).whenCompleteAsync((v, t) -> {
      busy.set(false);
      progress.set(t == null ? 1 : 0);
      failed("Cannot save " + p.getFileName(), t);
    }, fx);
  }

  /** Loads a file into the timeline (not into the machine: restore it to go there). */
  public CompletableFuture<SnapshotFile.Entry> load() {
    var source = dialogs.chooseSnapshotToLoad();
    if (source.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Path p = source.get();
    busy.set(true);
    progress.set(0);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return SnapshotFile.load(p, this::reportProgress);
      } catch (IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
    }, io).whenCompleteAsync((e, t) -> {
      busy.set(false);
      if (t == null) {
        progress.set(1);
        entries.add(new SnapshotFile.Entry(p.getFileName().toString(), e.epochMillis(), e.registers(), e.snapshot()));
      } else {
        progress.set(0);
        failed("Cannot load " + p.getFileName(), t);
      }
    }, fx);
  }

  public void diff(SnapshotFile.Entry a, SnapshotFile.Entry b) {
    if (a == null || b == null) {
      dialogs.showError("Diff needs two snapshots", "Select two snapshots in the timeline (Ctrl+click).");
      return;
    }
    dialogs.showInformation("Diff " + a.label() + " -> " + b.label(), SnapshotDiff.of(a, b).text());
  }

  private void reportProgress(double v) {
    fx.execute(() -> progress.set(v));
  }

  private void failed(String title, Throwable t) {
    if (t == null) {
      return;
    }
    busy.set(false);
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.io.UncheckedIOException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    dialogs.showError(title, c.getMessage() == null ? c.toString() : c.getMessage());
  }
}
