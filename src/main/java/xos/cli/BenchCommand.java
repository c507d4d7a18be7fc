// SPDX-License-Identifier: MIT
package xos.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * `xos bench [ARGS]`: hands everything to xos.bench.Bench.run(List), which has its own usage
 * text. Looked up by name so the CLI builds while the benchmark is developed beside it.
 */
@Command(
    name = "bench",
    description = "Benchmarks xos against native and qemu-x86_64 runs (xos bench --help for its options).")
final class BenchCommand implements Callable<Integer> {
  static final String BENCH_CLASS = "xos.bench.Bench";

  @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Arguments for the benchmark.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    Method run;
    try {
      run = Class.forName(BENCH_CLASS).getMethod("run", List.class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      System.err.println("xos: bench is not part of this build (" + BENCH_CLASS + ".run(List) is missing)");
      return 1;
    }
    try {
      return (Integer) run.invoke(null, args);
    } catch (InvocationTargetException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new IllegalStateException(c);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
