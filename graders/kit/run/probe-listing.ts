// `bpftrace -l script.bt`: the probes a script attaches, as bpftrace itself resolves them.
import type { LabMachine } from "../machine/lab-machine.ts";
import { collectOutput } from "./collect-output.ts";

/** The listing of a script already copied into the machine, or null when bpftrace refuses it. */
export async function listProbes(machine: LabMachine, scriptPath: string): Promise<string | null> {
  const listing = await machine.spawn(["bpftrace", "-l", scriptPath], { cwd: "/tmp" });
  const output = collectOutput(listing, 256 * 1024);
  const exit = await listing.exit;
  return exit.kind === "exited" && exit.code === 0 ? output.stdout.text() : null;
}
