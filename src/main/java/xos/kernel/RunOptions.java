// SPDX-License-Identifier: MIT
package xos.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run a guest program. The machine starts sandboxed: an empty tmpfs root with only the
 * {@link #files} and {@link #mounts} given here.
 *
 * @param argv argv of the guest, argv[0] first (default ["program"])
 * @param env environment strings NAME=value (default {@link #DEFAULT_ENV})
 * @param stdin everything the guest reads from stdin, then end of file
 * @param strace one line per syscall to the log (stderr of the host by default)
 * @param instructionLimit stop after this many guest instructions (0: no limit); a guest
 *     stopped this way counts as killed by SIGKILL
 * @param mounts host directories mounted into the guest
 * @param files files created in the guest's tmpfs before start (parents created, mode 0755)
 * @param cwd the guest's working directory (default "/")
 * @param seed when non-null, random bytes come from this seed and the clock is a fixed
 *     counter, so a run is reproducible
 * @param ttyMask which console fds the guest sees as terminals: bit 0 stdin, 1 stdout, 2
 *     stderr (default 0: pipes)
 * @param realTime guest sleeps take real time (interactive use); otherwise (default) the guest's
 *     clocks jump to the next deadline when nothing can run, which is fast and deterministic
 * @param symlinks symlinks created in the guest's tmpfs (path to target) after the files
 * @param tars tar archives (plain, gzip, xz, zstd or bzip2) unpacked into the guest's tmpfs
 *     before the mounts and files: a root file system, for instance
 */
public record RunOptions(
    List<String> argv,
    List<String> env,
    byte[] stdin,
    boolean strace,
    long instructionLimit,
    List<HostMount> mounts,
    Map<String, byte[]> files,
    String cwd,
    Long seed,
    int ttyMask,
    List<TarMount> tars,
    Map<String, String> symlinks,
    boolean realTime) {

  public static final List<String> DEFAULT_ENV =
      List.of("PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/", "TERM=xterm");

  /** A host directory at a guest path. */
  public record HostMount(String guestPath, Path hostDir, boolean readOnly) {}

  /** A tar archive unpacked at a guest path. */
  public record TarMount(String guestPath, Path archive) {}

  public RunOptions {
    argv = List.copyOf(argv);
    env = List.copyOf(env);
    stdin = stdin.clone();
    mounts = List.copyOf(mounts);
    tars = List.copyOf(tars);
    symlinks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(symlinks));
    files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv needs at least argv[0]");
    }
    if (instructionLimit < 0) {
      throw new IllegalArgumentException("instructionLimit must be >= 0");
    }
  }

  /** These options with another argv. */
  public RunOptions withArgv(List<String> newArgv) {
    return new RunOptions(newArgv, env, stdin, strace, instructionLimit, mounts, files, cwd, seed, ttyMask, tars, symlinks, realTime);
  }

  @Override
  public byte[] stdin() {
    return stdin.clone();
  }

  public static RunOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private List<String> argv = List.of("program");
    private List<String> env = DEFAULT_ENV;
    private byte[] stdin = new byte[0];
    private boolean strace;
    private long instructionLimit;
    private final List<HostMount> mounts = new ArrayList<>();
    private final List<TarMount> tars = new ArrayList<>();
    private final Map<String, String> symlinks = new LinkedHashMap<>();
    private boolean realTime;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private String cwd = "/";
    private Long seed;
    private int ttyMask;

    public Builder argv(List<String> argv) {
      this.argv = List.copyOf(argv);
      return this;
    }

    public Builder argv(String... argv) {
      return argv(List.of(argv));
    }

    public Builder env(List<String> env) {
      this.env = List.copyOf(env);
      return this;
    }

    public Builder stdin(byte[] stdin) {
      this.stdin = stdin.clone();
      return this;
    }

    public Builder strace(boolean on) {
      this.strace = on;
      return this;
    }

    public Builder instructionLimit(long limit) {
      this.instructionLimit = limit;
      return this;
    }

    public Builder mount(String guestPath, Path hostDir) {
      return mount(guestPath, hostDir, false);
    }

    public Builder mount(String guestPath, Path hostDir, boolean readOnly) {
      mounts.add(new HostMount(guestPath, hostDir, readOnly));
      return this;
    }

    public Builder file(String guestPath, byte[] data) {
      files.put(guestPath, data.clone());
      return this;
    }

    public Builder cwd(String cwd) {
      this.cwd = cwd;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Unpacks a tar archive (plain, .gz, .xz, .zst, .bz2) at guestPath before the start. */
    public Builder tar(String guestPath, Path archive) {
      tars.add(new TarMount(guestPath, archive));
      return this;
    }

    /** A symlink at guestPath pointing to target, made after the files. */
    public Builder symlink(String guestPath, String target) {
      symlinks.put(guestPath, target);
      return this;
    }

    /** Guest sleeps take real time (terminals, the GUI) instead of jumping the guest clock. */
    public Builder realTime(boolean on) {
      this.realTime = on;
      return this;
    }

    public Builder tty(int mask) {
      this.ttyMask = mask;
      return this;
    }

    public RunOptions build() {
      return new RunOptions(argv, env, stdin, strace, instructionLimit, mounts, files, cwd, seed, ttyMask, tars, symlinks, realTime);
    }
  }
}
