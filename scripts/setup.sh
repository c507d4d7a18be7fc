#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every tool the build and the tests need, from Debian's packages by name, when
# missing. Idempotent: with everything present it only asks dpkg and returns.
#   scripts/setup.sh          everything (engine toolchain, test programs, qemu, Java, Maven)
#   scripts/setup.sh --java   only what running xos needs (a JDK 17 and Maven)
#   scripts/setup.sh --gui    that, and what `xos gui` needs: GTK for a real window, fonts, and
#                             busybox-static for the shell it opens
set -euo pipefail

java_pkgs=(openjdk-17-jdk-headless maven)
all_pkgs=(
  clang lld wasi-libc libclang-rt-14-dev-wasm32   # engine.wasm (src/main/c)
  gcc binutils make                                # native engine build, test programs
  musl-tools                                       # musl-gcc -static test programs
  busybox-static                                   # real binaries the tests run
  qemu-user                                        # qemu-x86_64 for the benchmark
  xvfb libgtk-3-0 fonts-dejavu-core                # xos gui under a virtual X server (screenshots)
  debootstrap                                      # the Debian rootfs tests (scripts/rootfs.sh)
  "${java_pkgs[@]}"
)

pkgs=("${all_pkgs[@]}")
if [ "${1:-}" = "--java" ]; then
  pkgs=("${java_pkgs[@]}")
elif [ "${1:-}" = "--gui" ]; then
  pkgs=("${java_pkgs[@]}" libgtk-3-0 fonts-dejavu-core busybox-static)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

# Say so if anything is still missing rather than failing later with a puzzling error.
for p in "${missing[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || { echo "setup: $p did not install" >&2; exit 1; }
done
