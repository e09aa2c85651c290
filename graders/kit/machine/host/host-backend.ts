// The lab machine is this host: bpflab-agent runs locally over --stdio, so the student's script
// and the workloads run here, as the agent's children, against this host's kernel. Only for a
// host that is itself a lab machine (host-readiness.ts).
import { spawn } from "node:child_process";
import { Duplex } from "node:stream";
import type { VmProgress as Progress } from "../../../../vm/progress.ts";
import { connectAgentMachine } from "../agent/connect-agent.ts";
import { featureHints } from "../capabilities/backend-diagnosis.ts";
import { capabilityCheckedBackend, type MachineSource } from "../capabilities/capability-checked-backend.ts";
import { checkHostReadiness } from "./host-readiness.ts";
import { ensureHostTools } from "./host-tools-build.ts";
import type { LabMachine } from "../lab-machine.ts";

const remedy = "run with --backend vm";

/**
 * Starts the local agent. The workloads (and bpftrace, when given) are found where this host
 * keeps them, whatever PATH the caller passes: in the image they are on the default PATH.
 */
export async function startHostMachine(progress: Progress, bpftrace?: string): Promise<LabMachine> {
  const tools = await ensureHostTools(progress);
  const child = spawn(tools.agent, ["--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal ? `signal ${signal}` : `status ${code}`)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  const programs: Record<string, string> = { ...tools.workloads, ...(bpftrace ? { bpftrace } : {}) };
  return connectAgentMachine({
    stream: async () => Duplex.from({ readable: child.stdout, writable: child.stdin }),
    timing: { helloTimeoutMs: 10_000 },
    info: (agent) => ({ backend: "host", accelerator: "none", kernelRelease: agent.kernelRelease, packages: {} }),
    resolveArgv: ([command, ...rest]) => [command !== undefined ? (programs[command] ?? command) : "", ...rest],
    stop,
    async prepare(_, agent) {
      void exited.then((how) => agent.fail(`the local agent exited (${how})`));
    },
  });
}

export const hostSource: MachineSource = {
  name: "host",
  kernel: "host",
  async unusable() {
    const readiness = await checkHostReadiness();
    return readiness.problems.length > 0 ? { reason: readiness.problems.join("; "), hints: readiness.hints } : undefined;
  },
  async start(progress) {
    const readiness = await checkHostReadiness();
    if (readiness.problems.length > 0 || !readiness.bpftrace) throw new Error(readiness.problems.join("; "));
    return startHostMachine(progress, readiness.bpftrace);
  },
  hints: async (summary) => featureHints(summary, `this backend uses the host's kernel (${summary.kernelRelease}): ${remedy}`),
  remedy,
};

export function hostBackend(progress?: Progress) {
  return capabilityCheckedBackend(hostSource, progress);
}
