#!/bin/bash
# mmdebstrap customize hook: downloads the lab's kernel from the same archive as the root
# filesystem and unpacks it into DEST, outside the root filesystem (the guest boots it directly).
# LAYOUT says how Debian packages the kernel in this suite:
#   image: linux-image-<release> holds /boot/vmlinuz-<release> and the modules (trixie);
#   split: linux-image-<release> is a meta package; /usr/lib/modules/<release>/vmlinuz is in
#          linux-binary-<release>, the modules in linux-modules-<release> (forky).
# Writes DEST/vmlinuz, DEST/unpacked (the modules, for stage 1), DEST/release and DEST/package.
set -euo pipefail
dest=${1:?usage: fetch-kernel.sh DEST META_PACKAGE LAYOUT}
meta=${2:?}
layout=${3:?}
export APT_CONFIG=$MMDEBSTRAP_APT_CONFIG
mkdir -p "$dest/deb"
image=$(apt-cache depends "$meta" | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
[ -n "$image" ] || { echo "fetch-kernel: $meta depends on no linux-image-<release> package" >&2; exit 1; }
release=${image#linux-image-}
case $layout in
  image) packages=("$image") ;;
  split) packages=("$image" "linux-binary-$release" "linux-modules-$release") ;;
  *) echo "fetch-kernel: unknown kernel layout '$layout' (image or split)" >&2; exit 1 ;;
esac
(cd "$dest/deb" && apt-get -q=2 -o APT::Sandbox::User=root download "${packages[@]}")
for deb in "$dest"/deb/*.deb; do dpkg-deb -x "$deb" "$dest/unpacked"; done
vmlinuz=$(find "$dest/unpacked" \( -path "*/boot/vmlinuz-$release" -o -path "*/modules/$release/vmlinuz" \) | head -n 1)
[ -n "$vmlinuz" ] || { echo "fetch-kernel: no vmlinuz for $release in ${packages[*]} (is the layout '$layout' right?)" >&2; exit 1; }
cp "$vmlinuz" "$dest/vmlinuz"
echo "$release" > "$dest/release"
printf '%s\t%s\n' "$image" "$(dpkg-deb -f "$dest/deb/${image}_"*.deb Version)" > "$dest/package"
