// Which probes a script attaches, as bpftrace itself resolves them (`bpftrace -l script.bt`):
// aliases such as kfunc/fentry and wildcards are expanded by bpftrace, not guessed here.
import { canonicalProbeType, parseProbeListing } from "../bpftrace/script-probes.ts";

const functionProviders = new Set(["fentry", "fexit", "kprobe", "kretprobe"]);

export interface ScriptProbe {
  /** Canonical provider: fentry, fexit, kprobe, kretprobe, tracepoint, special, ... */
  provider: string;
  /** A kernel function for function probes ("vfs_unlink"), else the listed target ("lock:contention_begin"). */
  target: string;
  /** The listing line as bpftrace printed it, e.g. "fentry:vmlinux:vfs_unlink". */
  spec: string;
}

/** The probes in `bpftrace -l script`'s output; none when bpftrace refused the script (null). */
export function scriptProbesFromListing(stdout: string | null): ScriptProbe[] {
  if (stdout === null) return [];
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
