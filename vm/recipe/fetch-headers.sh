#!/bin/bash
# mmdebstrap customize hook: unpacks the headers of the lab's kernel into the root filesystem
# ROOT, where bpftrace looks for them (/lib/modules/<release>/build and source, as Debian's
# packages lay them out), so that scripts with `#include <linux/fs.h>` run as on any machine
# with the kernel's headers installed. Unpacked with dpkg-deb rather than installed: apt would
# pull in what building modules needs (gcc, kbuild, pahole), which bpftrace does not use.
# KERNELDIR is fetch-kernel.sh's DEST: reads its release, writes headers.tsv (the manifest).
set -euo pipefail
root=${1:?usage: fetch-headers.sh ROOT KERNELDIR META_PACKAGE}
kernel=${2:?}
meta=${3:?}
release=$(cat "$kernel/release")
export APT_CONFIG=$MMDEBSTRAP_APT_CONFIG
headers=$(apt-cache depends "$meta" | sed -n 's/^ *Depends: \(linux-headers-[0-9].*\)$/\1/p' | head -n 1)
if [ "$headers" != "linux-headers-$release" ]; then
  echo "fetch-headers: $meta depends on '$headers', not on the headers of the lab's kernel ($release)" >&2
  exit 1
fi
common=$(apt-cache depends "$headers" | sed -n 's/^ *Depends: \(linux-headers-.*-common\)$/\1/p' | head -n 1)
mkdir -p "$kernel/headers"
(cd "$kernel/headers" && apt-get -q=2 -o APT::Sandbox::User=root download "$headers" "$common")
for deb in "$kernel"/headers/*.deb; do
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" --exclude='./usr/share/doc/*'
  printf '%s\t%s\n' "$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Version)" >> "$kernel/headers.tsv"
done
for dir in build source; do
  test -d "$root/lib/modules/$release/$dir/include" || { echo "fetch-headers: $headers left no /lib/modules/$release/$dir/include" >&2; exit 1; }
done
