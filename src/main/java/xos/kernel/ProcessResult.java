// SPDX-License-Identifier: MIT
package xos.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a guest process ended: its pid, exit code (0 when killed by a signal), the killing
 * signal (0 when it exited) and everything it wrote to stdout and stderr.
 */
public record ProcessResult(int pid, int exitCode, byte[] stdout, byte[] stderr, int signal) {
  public ProcessResult {
    stdout = stdout.clone();
    stderr = stderr.clone();
  }

  @Override
  public byte[] stdout() {
    return stdout.clone();
  }

  @Override
  public byte[] stderr() {
    return stderr.clone();
  }

  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  /** The status a shell reports: the exit code, or 128 + N when killed by signal N. */
  public int shellStatus() {
    return signal != 0 ? 128 + signal : exitCode;
  }

  /** From a Linux wait status (code &lt;&lt; 8 for exit, signal number (| 0x80 core) for a kill). */
  public static ProcessResult fromWaitStatus(int pid, int waitStatus, byte[] stdout, byte[] stderr) {
    int sig = waitStatus & 0x7f;
    int code = sig == 0 ? (waitStatus >> 8) & 0xff : 0;
    return new ProcessResult(pid, code, stdout, stderr, sig);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProcessResult
        && pid == ((ProcessResult) o).pid
        && exitCode == ((ProcessResult) o).exitCode
        && signal == ((ProcessResult) o).signal
        && Arrays.equals(stdout, ((ProcessResult) o).stdout)
        && Arrays.equals(stderr, ((ProcessResult) o).stderr);
  }

  @Override
  public int hashCode() {
    return (pid * 31 + exitCode) * 31 + signal + Arrays.hashCode(stdout);
  }

  @Override
  public String toString() {
    return "ProcessResult[pid=" + pid + ", exitCode=" + exitCode + ", signal=" + signal
        + ", stdout=" + stdout.length + " bytes, stderr=" + stderr.length + " bytes]";
  }
}
