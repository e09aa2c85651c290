#!/bin/bash
# Builds the lab image into OUTDIR: a kernel, a small stage-1 initramfs, a read-only ext4 root
# disk with bpftrace, the guest agent and the workloads, the same root filesystem as a tar
# (for the container backend), and a package manifest.
# Lines starting with "==> " are progress steps; bpflab shows them while it waits.

# The lab (vm/labs/<name>.json) comes in as its name and fields:
#   LAB                 its name, written at the top of the package manifest
#   SUITE MIRROR        the Debian suite and the archive it comes from
#   KERNEL LAYOUT       the kernel's meta package, and how the suite packages it (fetch-kernel.sh)
#   HEADERS             the meta package of the kernel's headers (fetch-headers.sh)
set -euo pipefail

usage="usage: build-image.sh OUTDIR LAB SUITE MIRROR KERNEL LAYOUT HEADERS"
out=${1:?$usage}
lab=${2:?$usage}
suite=${3:?$usage}
mirror_uri=${4:?$usage}
kernel_meta=${5:?$usage}
kernel_layout=${6:?$usage}
headers_meta=${7:?$usage}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mirror="deb $mirror_uri $suite main"
packages=bpftrace,busybox-static,kmod,procps

work=$(mktemp -d "${out%/}.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
kernel=$work/kernel

# BPFLAB_DEBIAN_KEYRING: Debian's archive keyring, for hosts that do not trust Debian's archive
# by default (Ubuntu: apt-get install debian-archive-keyring, then the .gpg under /usr/share/keyrings).
keyring=()
if [[ -n ${BPFLAB_DEBIAN_KEYRING:-} ]]; then keyring=(--keyring="$BPFLAB_DEBIAN_KEYRING"); fi

echo "==> debootstrapping Debian $suite with bpftrace and the kernel's headers (mmdebstrap)"
# Testing's Release files expire within days; an archive mirror that lags must still build.
mmdebstrap --quiet --variant=essential --include="$packages" "${keyring[@]}" \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook="\"$here/fetch-kernel.sh\" \"$kernel\" \"$kernel_meta\" \"$kernel_layout\"" \
  --customize-hook="\"$here/fetch-headers.sh\" \"\$1\" \"$kernel\" \"$headers_meta\"" \
  "$suite" "$rootfs" "$mirror"

echo "==> compiling the guest agent and the workloads"
gcc -static -O2 -Wall -Wextra -o "$rootfs/usr/local/sbin/bpflab-agent" "$repo/vm/guest/agent.c"
"$repo/fixtures/workloads/build.sh" "$rootfs/usr/local/bin"
install -m 0755 "$repo/vm/guest/init" "$rootfs/sbin/bpflab-init"
install -D -m 0644 "$repo/vm/guest/bashrc" "$rootfs/etc/bpflab/bashrc"
install -m 0755 "$repo/vm/guest/bpfhol" "$rootfs/usr/local/bin/bpfhol"

echo "==> writing the package manifest"
echo "# lab: $lab (Debian $suite)" > "$work/packages.tsv"
{
  dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f='${Package}\t${Version}\n'
  cat "$kernel/package" "$kernel/headers.tsv"
} | sort >> "$work/packages.tsv"

echo "==> making the root disk (ext4, read-only in the guest)"
size_mb=$(( $(du -sm "$rootfs" | cut -f1) * 12 / 10 + 64 ))
mke2fs -q -t ext4 -O ^has_journal -L bpflab-root -d "$rootfs" "$work/root.ext4" "${size_mb}M"

echo "==> archiving the root filesystem (the container backend's image)"
tar --numeric-owner --xattrs -C "$rootfs" -cf "$work/rootfs.tar" .

echo "==> making the stage-1 initramfs"
"$here/make-initramfs.sh" "$kernel" "$rootfs/usr/bin/busybox" "$work/initramfs.cpio"

mkdir -p "$out"
mv "$kernel/vmlinuz" "$work/root.ext4" "$work/rootfs.tar" "$work/initramfs.cpio" "$work/packages.tsv" "$out/"
echo "==> image ready in $out"
