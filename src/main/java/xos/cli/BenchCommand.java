// SPDX-License-Identifier: MIT
package xos.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `xos bench [ARGS]`: hands everything, options too, to xos.bench.Bench, which has its own usage. */
@Command(
    name = "bench",
    description = "Benchmarks xos against native and qemu-x86_64 runs (xos bench --help for its options).")
final class BenchCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Arguments for the benchmark.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    return xos.bench.Bench.run(args);
  }
}
