// How many CPUs and how much memory the lab VM gets. By default 2 CPUs and 1536 MB, fitted down
// to what this process may use (a grading platform's container is often smaller than that);
// BPFLAB_VM_CPUS and BPFLAB_VM_MEMORY_MB set them. Whatever the VM is given must leave room for
// qemu itself and for bpflab beside it, or the container's OOM killer ends the grade half-way.
// A saved machine resumes only into the shape it was saved with (vm/snapshot.ts), so a platform
// image saves its machine under the shape it will grade with.
import type { ResourceLimits } from "../../host/cgroup-limits.ts";

export interface VmSize {
  cpus: number;
  memoryMb: number;
  /**
   * TCG's translated-code cache. qemu's default, 1 GiB, fills up while bpftrace's LLVM runs in the
   * guest (measured: 576 MB resident after lock-contention); capped, qemu retranslates instead.
   */
  tcgCacheMb: number;
}

const tcgCacheMb = 256;
export const defaultVmSize: VmSize = { cpus: 2, memoryMb: 1536, tcgCacheMb };
/** With 384 MB the guest stopped answering while grading; 512 MB graded every exercise (TCG, 2026-11-30). */
export const minimumVmMemoryMb = 512;
/**
 * What the host side holds beside the guest's memory: qemu with its translation cache (the guest's
 * memory + 154 MB measured, at most + tcgCacheMb + 90 MB) and bpflab's Node process (120 MB).
 */
export const hostReserveMb = tcgCacheMb + 90 + 130;

export type VmSizeChoice = { size: VmSize; why: string } | { refused: string };

const mb = (bytes: number) => Math.floor(bytes / (1024 * 1024));

function positiveInteger(name: string, text: string): number | string {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : `${name}=${text} is not a positive whole number`;
}

/** The smallest memory limit a container may have for the VM to fit in it. */
export function containerMemoryNeededMb(size: VmSize): number {
  return size.memoryMb + hostReserveMb;
}

/**
 * The VM's size for these limits and settings (BPFLAB_VM_CPUS, BPFLAB_VM_MEMORY_MB), or why the
 * VM cannot run here: set sizes that do not fit, or a container too small for the smallest VM.
 */
export function chooseVmSize(limits: ResourceLimits, env: Readonly<Record<string, string | undefined>>): VmSizeChoice {
  const availableMb = mb(limits.memoryBytes);
  const fittingMb = Math.min(defaultVmSize.memoryMb, availableMb - hostReserveMb);
  const fittingCpus = Math.max(1, Math.min(defaultVmSize.cpus, Math.ceil(limits.cpus - 0.05)));
  const setCpus = env.BPFLAB_VM_CPUS === undefined ? undefined : positiveInteger("BPFLAB_VM_CPUS", env.BPFLAB_VM_CPUS);
  const setMemory = env.BPFLAB_VM_MEMORY_MB === undefined ? undefined : positiveInteger("BPFLAB_VM_MEMORY_MB", env.BPFLAB_VM_MEMORY_MB);
  if (typeof setCpus === "string") return { refused: setCpus };
  if (typeof setMemory === "string") return { refused: setMemory };
  const memoryMb = setMemory ?? fittingMb;
  const cpus = setCpus ?? fittingCpus;
  const limitText = `this machine or container may use ${availableMb} MB of memory and ${Number(limits.cpus.toFixed(2))} CPUs`;
  if (memoryMb < minimumVmMemoryMb) {
    return {
      refused:
        `the lab VM needs at least ${minimumVmMemoryMb} MB of memory and bpflab ${hostReserveMb} MB beside it, ` +
        `${minimumVmMemoryMb + hostReserveMb} MB in all, but ${setMemory === undefined ? limitText : `BPFLAB_VM_MEMORY_MB is ${setMemory}`}: ` +
        `give the grading container more memory (on Gradescope, a larger setting under Autograder Settings)`,
    };
  }
  if (memoryMb + hostReserveMb > availableMb) {
    return {
      refused:
        `BPFLAB_VM_MEMORY_MB=${memoryMb} does not fit: ${limitText}, and the VM needs ${hostReserveMb} MB for qemu and bpflab beside its own memory; ` +
        `set BPFLAB_VM_MEMORY_MB to ${Math.max(minimumVmMemoryMb, availableMb - hostReserveMb)} or less, or give the container ${containerMemoryNeededMb({ cpus, memoryMb, tcgCacheMb })} MB`,
    };
  }
  const sources = [setCpus === undefined ? "CPUs fitted to the limits" : "BPFLAB_VM_CPUS", setMemory === undefined ? "memory fitted to the limits" : "BPFLAB_VM_MEMORY_MB"];
  return { size: { cpus, memoryMb, tcgCacheMb }, why: `${cpus} CPUs and ${memoryMb} MB (${sources.join(", ")}; ${limitText})` };
}
