#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every guest test program natively and under a runner (default: the
# native engine build, ../build/native/xos-native) and compares stdout and exit
# status byte for byte. Quick feedback for engine work without Maven; the JUnit
# tests in src/test/java/xos/it do the same through the Java API.
#   containers/check.sh [RUNNER...]        e.g. containers/check.sh qemu-x86_64
# Environment: INSN_ARGS (default "--seed 1 --n 200"), KEEP=1 keeps outputs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then set -- "$here/../build/native/xos-native"; fi
make -s -C "$here" all >/dev/null || { echo "make -C containers failed: run scripts/setup.sh"; exit 2; }
b=$here/build
out=$(mktemp -d)
pass=0 fail=0
# run NAME ARGS...: compares native and runner output of build/NAME.
run() {
  name=$1; shift
  prog=$b/$name
  [ "$name" = hello ] && prog=$here/hello-x86_64.elf
  # The outer braces swallow the shell's own "Segmentation fault" notices.
  { (cd "$out" && exec env -i "$prog" "$@" </dev/null >"$out/$name.native" 2>/dev/null); } 2>/dev/null; n=$?
  { (cd "$out" && exec env -i "$RUNNER" "$prog" "$@" </dev/null >"$out/$name.xos" 2>"$out/$name.xos.err"); } 2>/dev/null
  x=$?
  if [ $n -eq $x ] && cmp -s "$out/$name.native" "$out/$name.xos"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name $*: native exit $n, runner exit $x"
    diff "$out/$name.native" "$out/$name.xos" | head -${DIFFLINES:-6}
    head -3 "$out/$name.xos.err"
  fi
}
RUNNER=$1
for p in $(cd "$here/src" && ls *.c | sed 's/\.c$//'); do
  for libc in musl glibc; do
    case $p in
      exitcode) run $p-$libc 42 exit; run $p-$libc 3 _exit; run $p-$libc 300 ;;
      fileio) mkdir -p "$out/n-$libc" "$out/x-$libc"
              # Each side gets its own directory; the output names no paths.
              (cd "$out" && env -i "$b/$p-$libc" "$out/n-$libc" >"$out/$p-$libc.native" 2>&1); n=$?
              (cd "$out" && env -i "$RUNNER" "$b/$p-$libc" "$out/x-$libc" >"$out/$p-$libc.xos" 2>&1); x=$?
              if [ $n -eq $x ] && cmp -s "$out/$p-$libc.native" "$out/$p-$libc.xos"; then pass=$((pass + 1))
              else fail=$((fail + 1)); echo "FAIL $p-$libc: native exit $n, runner exit $x"
                   diff "$out/$p-$libc.native" "$out/$p-$libc.xos" | head -${DIFFLINES:-6}; fi ;;
      envargv) run $p-$libc one "two words" "" ;;
      *) run $p-$libc ;;
    esac
  done
done
run hello
# shellcheck disable=SC2086
run insntest ${INSN_ARGS:---seed 1 --n 200}
echo "check: $pass passed, $fail failed (runner $RUNNER)"
[ "${KEEP:-0}" = 1 ] && echo "outputs in $out" || rm -rf "$out"
[ $fail -eq 0 ]
