// The qemu command line for one lab machine. Kept apart from process control so that it can
// be read (and tested) as data.
import type { LabImage } from "./image.ts";

export type Accelerator = "kvm" | "tcg";

export interface QemuOptions {
  image: LabImage;
  accelerator: Accelerator;
  /** Unix socket qemu listens on for the guest agent's virtio-serial port. */
  agentSocket: string;
  memoryMb: number;
  cpus: number;
  /** TCG's translated-code cache in MB (qemu's default, 1 GiB, all of it resident once filled). */
  tcgCacheMb?: number;
  /** Extra kernel command-line words (the accelerator probe passes bpflab.probe). */
  kernelArgs?: string[];
  /** Unix socket for QMP, qemu's machine protocol, through which a snapshot is saved. */
  monitorSocket?: string;
  /** A saved machine state to resume instead of booting (a snapshot file). */
  resumeFrom?: string;
}

/** A path as one word for /bin/sh, which runs qemu's exec: migration commands. */
function shellWord(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}

/** The migration target that writes a machine's state to a file (qemu 7 has no file: URI). */
export function saveStateUri(path: string): string {
  return `exec:cat > ${shellWord(path)}`;
}

export function qemuArguments(options: QemuOptions): string[] {
  const { image, accelerator } = options;
  const cmdline = ["console=ttyS0", "quiet", "loglevel=3", "panic=-1", "oops=panic", ...(options.kernelArgs ?? [])];
  return [
    "-accel", accelerator === "kvm" ? "kvm" : `tcg,thread=multi${options.tcgCacheMb ? `,tb-size=${options.tcgCacheMb}` : ""}`,
    "-cpu", accelerator === "kvm" ? "host" : "max",
    "-smp", String(options.cpus),
    "-m", String(options.memoryMb),
    // A panic or a power-off ends qemu instead of rebooting the guest: the host sees it at once.
    "-no-reboot",
    "-nodefaults",
    "-nographic",
    "-serial", "stdio",
    "-kernel", image.kernel,
    "-initrd", image.initramfs,
    "-append", cmdline.join(" "),
    "-drive", `file=${image.rootDisk},if=virtio,format=raw,readonly=on`,
    "-device", "virtio-serial-pci",
    "-chardev", `socket,id=agent,path=${options.agentSocket},server=on,wait=off`,
    "-device", "virtserialport,chardev=agent,name=bpflab",
    ...(options.monitorSocket ? ["-qmp", `unix:${options.monitorSocket},server=on,wait=off`] : []),
    ...(options.resumeFrom ? ["-incoming", `exec:cat ${shellWord(options.resumeFrom)}`] : []),
  ];
}
