// What every platform image needs, whatever writes it (Gradescope's setup.sh, PrairieLearn's
// Dockerfile): the system packages, the settings bpflab reads there, and, on request, the lab
// image this machine already built, so that the platform's image build copies it instead of
// running mmdebstrap.
import { copyFile, link, mkdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { cacheRoot, ensureLabImage } from "../../../vm/image.ts";
import { containerMemoryNeededMb, chooseVmSize, type VmSize } from "../machine/vm/vm-shape.ts";
import type { Progress } from "../ui/progress.ts";

/**
 * Debian and Ubuntu package names: qemu (TCG), the lab image's build (vm/recipe/build-image.sh:
 * mmdebstrap, Debian's archive keyring, which Ubuntu lacks, and the tools the recipe calls),
 * unzip for uploads, certificates for npm.
 */
export const platformPackages = [
  "qemu-system-x86", "mmdebstrap", "debian-archive-keyring", "e2fsprogs", "cpio", "xz-utils", "gcc", "libc6-dev", "ca-certificates", "unzip",
] as const;

/** The grading container's size, as the platform's settings give it. */
export interface ContainerSize {
  cpus: number;
  memoryMb: number;
}

export interface PlatformSettings {
  /** Where the lab image and the saved machine live in the platform's image. */
  cache: string;
  vm: VmSize;
}

/**
 * The VM's size for a container of this size: the image saves its booted machine for that size,
 * and grading resumes it only if the container still fits it (checked again at grade time).
 */
export function vmSizeFor(container: ContainerSize): VmSize {
  const choice = chooseVmSize({ memoryBytes: container.memoryMb * 1024 * 1024, cpus: container.cpus }, {});
  if ("refused" in choice) throw new Error(`a grading container with ${container.cpus} CPUs and ${container.memoryMb} MB cannot hold the lab VM: ${choice.refused}`);
  return choice.size;
}

/** The environment bpflab runs with in the platform's image, as NAME=value pairs. */
export function platformEnvironment(settings: PlatformSettings): Array<[string, string]> {
  return [
    ["BPFLAB_CACHE", settings.cache],
    // The platforms' containers have no /dev/kvm; saying so saves the probe and keeps the saved machine's name stable.
    ["BPFLAB_ACCEL", "tcg"],
    ["BPFLAB_VM_CPUS", String(settings.vm.cpus)],
    ["BPFLAB_VM_MEMORY_MB", String(settings.vm.memoryMb)],
    // mmdebstrap on Ubuntu trusts Debian's archive only with Debian's keyring (vm/recipe/build-image.sh).
    ["BPFLAB_DEBIAN_KEYRING", "/usr/share/keyrings/debian-archive-keyring.gpg"],
  ];
}

export function describeContainer(container: ContainerSize, vm: VmSize): string {
  return `a grading container of ${container.cpus} CPUs and ${container.memoryMb} MB (the VM: ${vm.cpus} CPUs, ${vm.memoryMb} MB; the container needs at least ${containerMemoryNeededMb(vm)} MB)`;
}

const labImageFiles = ["vmlinuz", "initramfs.cpio", "root.ext4", "packages.tsv"] as const;

/**
 * Copies this machine's lab image (building it first if needed) into `dest`, at the path it has in
 * the cache, so that `dest` is laid out as a cache; the saved machines and the container
 * backend's tar stay out.
 */
export async function copyLabImage(dest: string, progress: Progress): Promise<string> {
  const image = await ensureLabImage(progress);
  const target = join(dest, relative(cacheRoot(), image.dir));
  await mkdir(target, { recursive: true });
  for (const file of labImageFiles) {
    await link(join(image.dir, file), join(target, file)).catch(() => copyFile(join(image.dir, file), join(target, file)));
  }
  return target;
}
