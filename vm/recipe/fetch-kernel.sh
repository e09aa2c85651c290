#!/bin/bash
# mmdebstrap customize hook: downloads the cloud kernel from the same archive as the root
# filesystem and unpacks it into DEST, outside the root filesystem (the guest boots it directly).
set -euo pipefail
dest=${1:?usage: fetch-kernel.sh DEST}
export APT_CONFIG=$MMDEBSTRAP_APT_CONFIG
mkdir -p "$dest/deb"
pkg=$(apt-cache depends linux-image-cloud-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
(cd "$dest/deb" && apt-get -q=2 -o APT::Sandbox::User=root download "$pkg")
dpkg-deb -x "$dest"/deb/*.deb "$dest/unpacked"
cp "$dest"/unpacked/boot/vmlinuz-* "$dest/vmlinuz"
printf '%s\t%s\n' "$pkg" "$(dpkg-deb -f "$dest"/deb/*.deb Version)" > "$dest/package"
