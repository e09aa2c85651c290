// Which probes a script attaches, as bpftrace itself resolves them (`bpftrace -l script.bt`):
// aliases such as kfunc/fentry and wildcards are expanded by bpftrace, not guessed here.
import { canonicalProbeType, parseProbeListing } from "../bpftrace/script-probes.ts";
import type { LabMachine } from "../machine/lab-machine.ts";
import { collectOutput } from "../run/collect-output.ts";

const functionProviders = new Set(["fentry", "fexit", "kprobe", "kretprobe"]);

export interface ScriptProbe {
  /** Canonical provider: fentry, fexit, kprobe, kretprobe, tracepoint, special, ... */
  provider: string;
  /** A kernel function for function probes ("vfs_unlink"), else the listed target ("lock:contention_begin"). */
  target: string;
  /** The listing line as bpftrace printed it, e.g. "fentry:vmlinux:vfs_unlink". */
  spec: string;
}

export function scriptProbesFromListing(stdout: string): ScriptProbe[] {
  return parseProbeListing(stdout).map((listed) => {
    const provider = canonicalProbeType(listed.type);
    return {
      provider,
      target: functionProviders.has(provider) ? listed.name : listed.target,
      spec: `${listed.type}:${listed.target}`,
    };
  });
}

export function attachesTo(probes: readonly ScriptProbe[], providers: readonly string[], target: string): boolean {
  return probes.some((probe) => providers.includes(probe.provider) && probe.target === target);
}

/** Lists the probes of a script already copied into the machine; empty when bpftrace rejects it. */
export async function listScriptProbes(machine: LabMachine, scriptPath: string): Promise<ScriptProbe[]> {
  const listing = await machine.spawn(["bpftrace", "-l", scriptPath], { cwd: "/tmp" });
  const output = collectOutput(listing, 256 * 1024);
  const exit = await listing.exit;
  return exit.kind === "exited" && exit.code === 0 ? scriptProbesFromListing(output.stdout.text()) : [];
}
