// SPDX-License-Identifier: MIT
package xos.engine;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/**
 * Linux errno numbers (x86-64, asm-generic) as the engine expects them from host imports.
 * These are guest ABI values, not the host JVM's: every host failure is translated here once.
 */
public final class Errno {
  private Errno() {}

  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EIO = 5;
  public static final int EBADF = 9;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int EXDEV = 18;
  public static final int ENOTDIR = 20;
  public static final int EISDIR = 21;
  public static final int EINVAL = 22;
  public static final int EFBIG = 27;
  public static final int ENOSPC = 28;
  public static final int EROFS = 30;
  public static final int ENAMETOOLONG = 36;
  public static final int ENOTEMPTY = 39;
  public static final int ELOOP = 40;

  /** A failure that already carries its Linux errno. */
  public static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    public final int errno;

    public Failure(int errno) {
      super(null, null, false, false);
      this.errno = errno;
    }
  }

  public static Failure fail(int errno) {
    return new Failure(errno);
  }

  /** Maps a java.nio failure to a positive Linux errno. */
  public static int of(Throwable e) {
    if (e instanceof Failure) {
      return ((Failure) e).errno;
    }
    if (e instanceof NoSuchFileException) {
      return ENOENT;
    }
    if (e instanceof FileAlreadyExistsException) {
      return EEXIST;
    }
    if (e instanceof DirectoryNotEmptyException) {
      return ENOTEMPTY;
    }
    if (e instanceof AccessDeniedException) {
      return EACCES;
    }
    if (e instanceof NotDirectoryException) {
      return ENOTDIR;
    }
    if (e instanceof NotLinkException) {
      return EINVAL;
    }
    if (e instanceof FileSystemLoopException) {
      return ELOOP;
    }
    if (e instanceof AtomicMoveNotSupportedException) {
      return EXDEV;
    }
    if (e instanceof SecurityException) {
      return EACCES;
    }
    if (e instanceof FileSystemException) {
      // The JDK's Unix provider puts strerror() text in the reason.
      String r = ((FileSystemException) e).getReason();
      if (r != null) {
        String s = r.toLowerCase(Locale.ROOT);
        if (s.contains("not a directory")) return ENOTDIR;
        if (s.contains("is a directory")) return EISDIR;
        if (s.contains("no space")) return ENOSPC;
        if (s.contains("read-only")) return EROFS;
        if (s.contains("cross-device")) return EXDEV;
        if (s.contains("symbolic links")) return ELOOP;
        if (s.contains("permission denied")) return EACCES;
        if (s.contains("operation not permitted")) return EPERM;
        if (s.contains("file exists")) return EEXIST;
        if (s.contains("not empty")) return ENOTEMPTY;
        if (s.contains("no such file")) return ENOENT;
        if (s.contains("name too long")) return ENAMETOOLONG;
        if (s.contains("too large")) return EFBIG;
      }
      return EIO;
    }
    if (e instanceof IllegalArgumentException) {
      return EINVAL;
    }
    if (e instanceof UnsupportedOperationException) {
      return EPERM;
    }
    if (e instanceof IOException) {
      String m = e.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains("no space")) {
        return ENOSPC;
      }
      return EIO;
    }
    return EIO;
  }

  /** strerror-style text for the errno values a spawn reports. */
  public static String describe(int errno) {
    switch (errno) {
      case EPERM: return "Operation not permitted";
      case ENOENT: return "No such file or directory";
      case EACCES: return "Permission denied";
      case ENOTDIR: return "Not a directory";
      case EISDIR: return "Is a directory";
      case ELOOP: return "Too many levels of symbolic links";
      case ENAMETOOLONG: return "File name too long";
      case EFBIG: return "File too large";
      default: return "errno " + errno;
    }
  }
}
