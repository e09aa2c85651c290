// Which probes a script attaches, as bpftrace itself resolves them (`bpftrace -l script.bt`):
// aliases such as kfunc/fentry and wildcards are expanded by bpftrace, not guessed here.
import { z } from "zod";
import type { LabMachine } from "../machine/lab-machine.ts";
import { collectOutput } from "../run/collect-output.ts";

const providerAliases: Record<string, string> = { kfunc: "fentry", kretfunc: "fexit", k: "kprobe", kr: "kretprobe", t: "tracepoint" };

const functionProviders = new Set(["fentry", "fexit", "kprobe", "kretprobe"]);

export const scriptProbeSchema = z.object({
  /** Canonical provider: fentry, fexit, kprobe, kretprobe, tracepoint, rawtracepoint, special, ... */
  provider: z.string().min(1),
  /** What the probe is attached to: a kernel function, a tracepoint category:name, ... */
  target: z.string(),
  /** The listing line as bpftrace printed it. */
  spec: z.string(),
});
export type ScriptProbe = z.infer<typeof scriptProbeSchema>;

/** Parses one line of `bpftrace -l` output, e.g. `fentry:vmlinux:vfs_unlink`. */
export function parseProbeLine(line: string): ScriptProbe | undefined {
  const spec = line.trim();
  const parts = spec.split(":");
  const [rawProvider, ...rest] = parts;
  if (!rawProvider || rest.length === 0 || /\s/.test(spec)) return undefined;
  const provider = providerAliases[rawProvider] ?? rawProvider;
  // Function probes may name the module (vmlinux) before the function.
  const target = functionProviders.has(provider) && rest.length === 2 ? (rest[1] ?? "") : rest.join(":");
  return scriptProbeSchema.parse({ provider, target, spec });
}

export function parseProbeListing(stdout: string): ScriptProbe[] {
  return stdout.split("\n").flatMap((line) => parseProbeLine(line) ?? []);
}

export function attachesTo(probes: readonly ScriptProbe[], providers: readonly string[], target: string): boolean {
  return probes.some((probe) => providers.includes(probe.provider) && probe.target === target);
}

/** Lists the probes of a script already copied into the machine; empty when bpftrace rejects it. */
export async function listScriptProbes(machine: LabMachine, scriptPath: string): Promise<ScriptProbe[]> {
  const listing = await machine.spawn(["bpftrace", "-l", scriptPath], { cwd: "/tmp" });
  const output = collectOutput(listing, 256 * 1024);
  const exit = await listing.exit;
  return exit.kind === "exited" && exit.code === 0 ? parseProbeListing(output.stdout.text()) : [];
}
