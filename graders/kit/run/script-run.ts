// One "attach, run the workloads, SIGINT, collect" cycle of a bpftrace script, the way
// bpftrace's own runtime tests do it: workloads start only once bpftrace says every probe is
// attached, and a script that misbehaves is bounded by time and output caps.
import type { ExitStatus, LabMachine, RemoteProcess } from "../machine/lab-machine.ts";
import { AttachMarkerScanner, attachedMarker } from "./attach-marker.ts";
import { collectOutput } from "./collect-output.ts";
import { sleep, within } from "./timing.ts";
import type { WorkloadLaunch } from "../workloads/workload.ts";

export interface ScriptInvocation {
  /** Path of the script inside the lab machine. */
  scriptPath: string;
  /** Positional parameters ($1, $2, ...). */
  args: readonly string[];
  json: boolean;
}

export interface RunLimits {
  attachTimeoutMs: number;
  /** From attach to the last workload's exit. */
  workloadTimeoutMs: number;
  /** From SIGINT to bpftrace's exit (END probes, map printing). */
  exitTimeoutMs: number;
  /** Output past which bpftrace is stopped before its probes attach, and said to print too much after. */
  outputCapBytes: number;
  /**
   * Output past which bpftrace is stopped once its probes are attached. A script that prints
   * every call of a busy function floods within a second; stopped at outputCapBytes, its cut
   * would race with the workloads, and whether their events were in the output kept (behind
   * the flood in bpftrace's buffers) would be chance.
   */
  floodCapBytes: number;
  /** Quiet time after the workloads end, so the last events reach bpftrace's output. */
  settleMs: number;
}

export const defaultLimits: RunLimits = {
  // clang parses kernel headers for a script with #include: about half a minute under TCG,
  // twice that on a loaded host.
  attachTimeoutMs: 150_000,
  workloadTimeoutMs: 60_000,
  exitTimeoutMs: 20_000,
  outputCapBytes: 1 << 20,
  floodCapBytes: 8 << 20,
  settleMs: 400,
};

/** How bpftrace's run ended, from the grader's point of view. */
export type RunEnding =
  | "stopped-by-sigint" // the normal case
  | "exited-by-itself" // exit() in the script, or a crash after attaching
  | "rejected" // exited before attaching: syntax, semantic or load error
  | "attach-timeout"
  | "ignored-sigint" // killed after exitTimeoutMs
  | "output-cap"; // printed more than outputCapBytes: killed then before attach, at floodCapBytes after, else stopped by SIGINT

export interface WorkloadResult {
  program: string;
  label: string;
  exit: ExitStatus;
  stdout: string;
  stderr: string;
}

export interface ScriptRun {
  ending: RunEnding;
  exit: ExitStatus;
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  workloads: WorkloadResult[];
  attachMs?: number | undefined;
  totalMs: number;
}

export class MachineLostError extends Error {}

function lostIfLost(machine: LabMachine, exit: ExitStatus): void {
  if (exit.kind === "lost") throw new MachineLostError(exit.reason);
  if (machine.failure) throw new MachineLostError(machine.failure);
}

/** Resolves when bpftrace says its probes are attached; `seen` runs before the chunk that said so is read further. */
function watchForMarker(process: RemoteProcess, seen: () => void): Promise<void> {
  return new Promise((resolve) => {
    const scanner = new AttachMarkerScanner();
    process.onStdout((chunk) => {
      if (scanner.feed(Buffer.from(chunk).toString("latin1"))) {
        seen();
        resolve();
      }
    });
  });
}

async function runWorkload(machine: LabMachine, launch: WorkloadLaunch, limits: RunLimits): Promise<WorkloadResult> {
  const process = await machine.spawn([launch.program], { stdin: launch.stdin, cwd: "/tmp" });
  const output = collectOutput(process, limits.outputCapBytes);
  const exit = await within(process.exit, limits.workloadTimeoutMs, undefined);
  if (exit === undefined) process.signal("SIGKILL");
  const finalExit = exit ?? (await process.exit);
  lostIfLost(machine, finalExit);
  return {
    program: launch.program,
    label: launch.label,
    exit: finalExit,
    stdout: output.stdout.text(),
    stderr: output.stderr.text(),
  };
}

function bpftraceArgv(invocation: ScriptInvocation): string[] {
  return ["bpftrace", ...(invocation.json ? ["-f", "json"] : []), invocation.scriptPath, ...invocation.args];
}

/** For `bpflab run`: bpftrace's output as it arrives, and the workloads' records when they end. */
export interface RunObserver {
  stdout(chunk: Uint8Array): void;
  stderr(chunk: Uint8Array): void;
  workloadEnded(result: WorkloadResult): void;
}

export async function runScript(
  machine: LabMachine,
  invocation: ScriptInvocation,
  workloads: readonly WorkloadLaunch[],
  limits: RunLimits = defaultLimits,
  observer?: RunObserver,
): Promise<ScriptRun> {
  const started = Date.now();
  const bpftrace = await machine.spawn(bpftraceArgv(invocation), {
    env: { [attachedMarker]: "1", PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root" },
    cwd: "/tmp",
  });
  let probesAttached = false;
  const attached = watchForMarker(bpftrace, () => (probesAttached = true)).then(() => "attached" as const);
  const output = collectOutput(bpftrace, limits.floodCapBytes);
  if (observer) {
    bpftrace.onStdout((chunk) => observer.stdout(chunk));
    bpftrace.onStderr((chunk) => observer.stderr(chunk));
  }
  let ending: RunEnding | undefined;
  const overOutputCap = () => Math.max(output.stdout.total, output.stderr.total) > limits.outputCapBytes;
  let stoppedForOutput = false;
  const stopForOutput = () => {
    if (stoppedForOutput) return;
    stoppedForOutput = true;
    ending ??= "output-cap";
    bpftrace.signal("SIGKILL");
  };
  const checkOutput = () => {
    if (output.stdout.overCap || output.stderr.overCap || (overOutputCap() && !probesAttached)) stopForOutput();
  };
  bpftrace.onStdout(checkOutput);
  bpftrace.onStderr(checkOutput);

  const firstEvent = await within(
    Promise.race([attached, bpftrace.exit.then(() => "exited" as const)]),
    limits.attachTimeoutMs,
    "timeout" as const,
  );
  const attachMs = firstEvent === "attached" ? Date.now() - started : undefined;

  const workloadResults: WorkloadResult[] = [];
  if (firstEvent === "timeout") {
    ending = "attach-timeout";
    bpftrace.signal("SIGKILL");
  } else if (firstEvent === "exited") {
    // Our own kill for printing too much, before the probes attached, is not bpftrace refusing the script.
    ending ??= "rejected";
  } else {
    const results = await Promise.all(
      workloads.map(async (launch) => {
        const result = await runWorkload(machine, launch, limits);
        observer?.workloadEnded(result);
        return result;
      }),
    );
    workloadResults.push(...results);
    await sleep(limits.settleMs);
    const exitedAlready = await within(bpftrace.exit.then(() => true), 0, false);
    if (exitedAlready) ending ??= "exited-by-itself";
    else {
      bpftrace.signal("SIGINT");
      const exit = await within(bpftrace.exit, limits.exitTimeoutMs, undefined);
      if (exit === undefined) {
        ending ??= "ignored-sigint";
        bpftrace.signal("SIGKILL");
      }
      ending ??= overOutputCap() ? "output-cap" : "stopped-by-sigint";
    }
  }
  const exit = await bpftrace.exit;
  lostIfLost(machine, exit);
  return {
    ending: ending ?? "rejected",
    exit,
    stdout: output.stdout.text(),
    stderr: output.stderr.text(),
    stdoutBytes: output.stdout.total,
    workloads: workloadResults,
    attachMs,
    totalMs: Date.now() - started,
  };
}
