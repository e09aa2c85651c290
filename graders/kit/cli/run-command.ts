// `bpflab run <script.bt> --workload <name> [-- args]`: try a script live in the lab machine,
// like the lab's menu program: raw bpftrace output, the workload started once probes attach.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { AttachMarkerFilter } from "../run/attach-marker.ts";
import { demoWorkloads } from "../run/demo-workloads.ts";
import { newSeed, seededRandom } from "../run/random.ts";
import { defaultLimits, runScript } from "../run/script-run.ts";
import { sharedLabProvider, type BackendChoice } from "../session.ts";
import { terminalProgress } from "../ui/progress.ts";
import { chosenLab } from "../../../vm/labs.ts";

export interface RunCommandOptions {
  workload?: string;
  backend: BackendChoice;
  lab?: string;
  json?: boolean;
  duration: number;
}

export async function runCommand(script: string, args: string[], options: RunCommandOptions): Promise<void> {
  const demo = options.workload === undefined ? undefined : demoWorkloads[options.workload];
  if (options.workload !== undefined && !demo) {
    process.stderr.write(`bpflab: no workload "${options.workload}"; choose one of: ${Object.keys(demoWorkloads).join(", ")}\n`);
    process.exitCode = 2;
    return;
  }
  const text = await readFile(script, "utf8").catch(() => undefined);
  if (text === undefined) {
    process.stderr.write(`bpflab: cannot read ${script}\n`);
    process.exitCode = 2;
    return;
  }
  const provider = sharedLabProvider(options.backend, terminalProgress(), chosenLab(options.lab));
  try {
    const offer = await provider.acquire([]);
    if (offer.kind === "unavailable") throw new Error(`no lab machine: ${offer.reason}`);
    const machine = offer.machine;
    const remote = `/run/bpflab/try/${basename(script)}`;
    await machine.writeFile(remote, text);
    if (demo) process.stderr.write(`bpflab: workload ${options.workload} ${demo.describe}, once the probes are attached\n`);
    process.stderr.write(`bpflab: bpftrace stops ${options.duration} s after that (SIGINT), so END and maps print\n`);
    const stdout = new AttachMarkerFilter();
    const run = await runScript(
      machine,
      { scriptPath: remote, args, json: options.json ?? false },
      demo?.launches(seededRandom(newSeed())) ?? [],
      { ...defaultLimits, settleMs: options.duration * 1000 },
      {
        stdout: (chunk) => process.stdout.write(stdout.push(chunk)),
        stderr: (chunk) => process.stderr.write(chunk),
        workloadEnded: (result) =>
          process.stderr.write(
            result.stdout
              .split("\n")
              .filter(Boolean)
              .map((line) => `[${result.program}] ${line}\n`)
              .join(""),
          ),
      },
    );
    process.stdout.write(stdout.flush());
    process.stderr.write(`bpflab: bpftrace ${run.ending.replaceAll("-", " ")} (${JSON.stringify(run.exit)})\n`);
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  } finally {
    await provider.close();
  }
}
