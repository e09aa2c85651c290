#!/bin/bash
# Stage 1: a 2 MB initramfs that loads virtio_blk and switches to the ext4 root disk. Keeping
# the big root filesystem out of the initramfs saves seconds of unpacking under TCG.
set -euo pipefail
kernel=${1:?usage: make-initramfs.sh KERNELDIR BUSYBOX OUT}
busybox=${2:?}
out=${3:?}
here=$(cd "$(dirname "$0")" && pwd)

tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$busybox" "$tree/bin/busybox"
ln -s busybox "$tree/bin/sh"
xz -dc "$(find "$kernel/unpacked" -name 'virtio_blk.ko.xz')" > "$tree/lib/modules/virtio_blk.ko"
install -m 0755 "$here/stage1-init" "$tree/init"
(cd "$tree" && find . -print0 | cpio --null --create --format=newc --quiet) > "$out"
