// SPDX-License-Identifier: MIT
package xos.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * One benchmark row: a static x86-64 program run with the given arguments in a
 * directory that holds the input files, {@code runs} times in a row.
 *
 * @param id       the workload id from the bench README (W1..W6, W6 split by libc)
 * @param program  the host path of the static ELF run natively, under qemu and in xos
 * @param argv     argv[0..] as the guest sees it
 * @param runs     how many times the program is started (W5 starts many)
 * @param expected expected stdout, or null when only native and xos are compared
 */
record Workload(String id, Path program, List<String> argv, int runs, String expected) {}
