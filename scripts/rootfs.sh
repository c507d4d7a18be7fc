#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian root file system the tests use, once, and caches it:
#   build/rootfs/minbase/          `debootstrap --variant=minbase bookworm` (the native oracle:
#                                  tests run the same programs in it with chroot)
#   build/rootfs/minbase.tar.gz    the same tree as a tar (what xos unpacks: --rootfs, RunOptions.tar)
# Needs root (debootstrap makes device nodes and chowns) and Debian's mirror; scripts/setup.sh
# installs debootstrap. Prints the tar's path. XOS_DEBIAN_MIRROR overrides the mirror.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/build/rootfs"
tree="$out/minbase"
tar="$out/minbase.tar.gz"
mirror="${XOS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [ -f "$tar" ] && [ -f "$out/.complete" ]; then
  echo "$tar"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "rootfs.sh: debootstrap needs root" >&2
  exit 1
fi
command -v debootstrap >/dev/null || { echo "rootfs.sh: debootstrap missing (scripts/setup.sh installs it)" >&2; exit 1; }
rm -rf "$tree" "$tar" "$out/.complete"
mkdir -p "$out"
echo "rootfs.sh: debootstrap --variant=minbase bookworm (once; cached in build/rootfs)" >&2
debootstrap --variant=minbase bookworm "$tree" "$mirror" > "$out/debootstrap.log" 2>&1 \
  || { tail -20 "$out/debootstrap.log" >&2; echo "rootfs.sh: debootstrap failed (log: $out/debootstrap.log)" >&2; exit 1; }
# Numeric owners: the guest has no passwd lookups to do at unpack time.
tar --numeric-owner -C "$tree" -cf - . | gzip -1 > "$tar.part"
mv "$tar.part" "$tar"
touch "$out/.complete"
echo "$tar"
