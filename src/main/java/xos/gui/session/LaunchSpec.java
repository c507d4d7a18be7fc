// SPDX-License-Identifier: MIT
package xos.gui.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xos.kernel.RunOptions;

/**
 * What the witness starts: the program's bytes, its argv, the files and symlinks its sandboxed
 * tmpfs root gets, and host mounts. {@link #busyboxShell} is the default: Debian's static
 * busybox as /bin/busybox with applet links, running an interactive {@code sh}.
 */
public record LaunchSpec(
    String title,
    byte[] program,
    List<String> argv,
    Map<String, byte[]> files,
    Map<String, String> symlinks,
    List<RunOptions.HostMount> mounts) {

  /** Where the default shell comes from (scripts/setup.sh installs busybox-static). */
  public static final Path HOST_BUSYBOX = Path.of("/bin/busybox");

  /** Applets linked into /bin; busybox picks the applet by argv[0]. */
  static final List<String> APPLETS = List.of(
      "sh", "ash", "ls", "cat", "echo", "wc", "grep", "sed", "awk", "head", "tail", "sort", "uniq", "cut",
      "tr", "mkdir", "rmdir", "rm", "cp", "mv", "ln", "touch", "pwd", "env", "printf", "sleep", "date",
      "uname", "vi", "less", "more", "find", "xargs", "sha256sum", "md5sum", "expr", "seq", "yes", "true",
      "false", "id", "whoami", "hostname", "ps", "kill", "clear", "reset", "stty", "od", "hexdump", "tee",
      "basename", "dirname", "readlink", "realpath", "du", "df", "chmod", "test", "[", "which", "dd", "cmp",
      "diff", "gzip", "gunzip", "tar", "top", "free", "uptime", "nproc", "factor", "bc", "dc", "base64");

  public LaunchSpec {
    argv = List.copyOf(argv);
    files = new LinkedHashMap<>(files);
    symlinks = new LinkedHashMap<>(symlinks);
    mounts = List.copyOf(mounts);
  }

  /** The interactive busybox shell, or null when busybox is not on the host. */
  public static LaunchSpec busyboxShell(List<RunOptions.HostMount> mounts) throws IOException {
    if (!Files.isRegularFile(HOST_BUSYBOX)) {
      return null;
    }
    byte[] bb = Files.readAllBytes(HOST_BUSYBOX);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("/bin/busybox", bb);
    files.put("/tmp/.keep", new byte[0]);
    files.put("/root/.keep", new byte[0]);
    Map<String, String> links = new LinkedHashMap<>();
    for (String a : APPLETS) {
      links.put("/bin/" + a, "busybox");
    }
    return new LaunchSpec("busybox sh", bb, List.of("sh"), files, links, mounts);
  }

  /** A program from the host, placed at {@code /prog/NAME} in the guest's tmpfs. */
  public static LaunchSpec program(Path path, List<String> args, List<RunOptions.HostMount> mounts)
      throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    String name = path.getFileName().toString();
    List<String> argv = new ArrayList<>();
    argv.add("/prog/" + name);
    argv.addAll(args);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("/prog/" + name, bytes);
    return new LaunchSpec(name, bytes, argv, files, Map.of(), mounts);
  }

  /** Options for the machine: a terminal on all three console fds, the Java API's environment. */
  public RunOptions options(boolean strace) {
    RunOptions.Builder b = RunOptions.builder()
        .argv(argv)
        .env(List.of("PATH=/bin:/usr/bin", "HOME=/root", "TERM=xterm", "PS1=\\w \\$ "))
        .tty(7)
        .realTime(true)
        .strace(strace);
    for (var f : files.entrySet()) {
      b.file(f.getKey(), f.getValue());
    }
    for (RunOptions.HostMount m : mounts) {
      b.mount(m.guestPath(), m.hostDir(), m.readOnly());
    }
    return b.build();
  }

  /** Parses HOST:GUEST[:ro] as the command line gives it. */
  public static RunOptions.HostMount parseMount(String spec) {
    String[] p = spec.split(":");
    if (p.length < 2 || p.length > 3 || p[0].isEmpty() || !p[1].startsWith("/")
        || (p.length == 3 && !p[2].equals("ro"))) {
      throw new IllegalArgumentException("--mount wants HOST:GUEST[:ro] with an absolute GUEST, not " + spec);
    }
    return new RunOptions.HostMount(p[1], Path.of(p[0]).toAbsolutePath(), p.length == 3);
  }
}
