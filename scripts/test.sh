#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The project's test command (README; .ci/run runs exactly this). Each step fails loudly;
# nothing is skipped silently.
#  1. tools from Debian's packages (scripts/setup.sh)
#  2. containers/engine.wasm rebuilt from src/main/c must be byte-identical to the committed one
#     (with CI set, a difference fails; locally it is reported, since you may be editing C)
#  3. guest test programs (make -C containers), native C unit tests (src/test/c), the Debian
#     minbase rootfs the rootfs tests unpack (scripts/rootfs.sh: debootstrap, cached)
#  4. mvn package: compiles engine.wasm to JVM classes, runs every JUnit test, builds target/xos.jar
#  5. smoke test of the jar users run
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n==== %s\n' "$*"; }
die() { printf 'test.sh: FAILED: %s\n' "$*" >&2; exit 1; }

step "setup"
scripts/setup.sh

step "engine.wasm: rebuild and compare with the committed file"
wasm=containers/engine.wasm
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
committed="$tmp/committed.wasm"
if git ls-files --error-unmatch "$wasm" >/dev/null 2>&1; then
  git show "HEAD:$wasm" > "$committed"
else
  [ -z "${CI:-}" ] || die "$wasm is not committed"
  echo "note: $wasm is not committed yet; nothing to compare"
  committed=""
fi
make -B -C src/main/c wasm
[ -f "$wasm" ] || die "make -C src/main/c wasm produced no $wasm"
if [ -n "$committed" ]; then
  if cmp -s "$committed" "$wasm"; then
    echo "engine.wasm: rebuilt bytes are identical to the committed file ($(wc -c < "$wasm") bytes)"
  elif [ -n "${CI:-}" ]; then
    die "$wasm rebuilt from src/main/c differs from the committed file (commit the rebuilt one)"
  else
    echo "WARNING: $wasm rebuilt from your src/main/c differs from HEAD's; commit it with the C change"
  fi
fi

step "guest test programs"
if [ -f containers/Makefile ]; then
  make -C containers
else
  echo "containers/Makefile: none"
fi

step "native C unit tests"
if [ -f src/test/c/Makefile ]; then
  if grep -q '^test:' src/test/c/Makefile; then
    make -C src/test/c test
  else
    make -C src/test/c
  fi
else
  echo "src/test/c/Makefile: none"
fi

step "Debian minbase rootfs for the rootfs tests (scripts/rootfs.sh; cached in build/rootfs)"
scripts/rootfs.sh

step "Java: build, JUnit tests, target/xos.jar"
mvn -B -ntp package

step "smoke test: java -jar target/xos.jar run-x86_64 containers/hello-x86_64.elf"
set +e
out="$(java -jar target/xos.jar run-x86_64 containers/hello-x86_64.elf < /dev/null)"
status=$?
set -e
[ "$out" = "hi" ] && [ "$status" -eq 42 ] || die "hello printed '$out' and exited $status (want 'hi', 42)"
echo "hello: printed 'hi', exited 42"
