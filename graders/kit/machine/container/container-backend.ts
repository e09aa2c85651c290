// The lab machine as a Docker container of the lab image, tracing the host's kernel. Its main
// process is bpflab-agent listening on a unix socket in a bind-mounted host folder; the host
// talks to it exactly as to the VM's agent. Docker runs it with what bpftrace needs and no more
// (--privileged fails on hosts whose dockerd lacks CAP_SYS_RESOURCE).
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VmProgress as Progress } from "../../../../vm/progress.ts";
import { userSpacePackages } from "../agent/agent-machine.ts";
import { connectAgentMachine } from "../agent/connect-agent.ts";
import { featureHints } from "../capabilities/backend-diagnosis.ts";
import { capabilityCheckedBackend, type MachineSource } from "../capabilities/capability-checked-backend.ts";
import { connectWhenListening } from "../agent/connect-when-listening.ts";
import { ensureContainerImage, packageManifestPath } from "./container-image.ts";
import { ownerLabels, reapOrphanContainers, removeStillborn } from "./container-orphans.ts";
import type { LabMachine } from "../lab-machine.ts";
import { runCommand, succeeded, describeExit } from "../capabilities/machine-command.ts";
import { chosenLab, type Lab } from "../../../../vm/labs.ts";
import { dockerClient, loadTestcontainers, type DockerClient } from "./testcontainers-runtime.ts";

const socketDir = "/bpflab";
const agentCommand = ["/usr/local/sbin/bpflab-agent", "--listen", `${socketDir}/agent.sock`];
const requiredCapabilities = ["SYS_ADMIN", "SYS_PTRACE", "IPC_LOCK"];
// Lets bpftrace raise RLIMIT_MEMLOCK; a dockerd that does not hold it cannot grant it.
const optionalCapability = "SYS_RESOURCE";
// VM parity: the guest's init mounts tmpfs there (the workloads contend on tmpfs inodes).
const tmpfs = { "/tmp": "rw,exec,mode=1777", "/run": "rw,exec,mode=755", "/root": "rw,mode=700" };
const remedy = "run with --backend vm";

let sysResourceGranted: boolean | undefined;

/** A kernel folder is bind-mounted when the host has it mounted; the container mounts it otherwise. */
function populated(path: string): boolean {
  return existsSync(path) && readdirSync(path).length > 0;
}

async function startContainer(client: DockerClient, tag: string, hostDir: string) {
  const { GenericContainer } = await loadTestcontainers();
  class LabContainer extends GenericContainer {
    withHostPidNamespace(): this {
      this.hostConfig.PidMode = "host";
      return this;
    }
  }
  const mounts = [
    { source: hostDir, target: socketDir, mode: "rw" as const },
    { source: "/sys/kernel/btf", target: "/sys/kernel/btf", mode: "ro" as const },
    ...["/sys/kernel/tracing", "/sys/kernel/debug"].filter(populated).map((path) => ({ source: path, target: path, mode: "rw" as const })),
  ];
  const start = (capabilities: string[]) =>
    new LabContainer(tag)
      .withCommand(agentCommand)
      .withHostPidNamespace()
      .withNetworkMode("none")
      .withAddedCapabilities(...capabilities)
      .withSecurityOpt("seccomp=unconfined")
      .withBindMounts(mounts)
      .withTmpFs(tmpfs)
      .withLabels(ownerLabels())
      .withAutoRemove(true)
      .start();
  await reapOrphanContainers(client);
  if (sysResourceGranted !== false) {
    try {
      const container = await start([...requiredCapabilities, optionalCapability]);
      sysResourceGranted = true;
      return container;
    } catch (error) {
      await removeStillborn(client);
      if (!/apply caps|operation not permitted/i.test(error instanceof Error ? error.message : String(error))) throw error;
      sysResourceGranted = false;
    }
  }
  return start(requiredCapabilities);
}

/** tracefs and debugfs, where the host has not mounted them (then they were not bind-mounted). */
async function mountKernelFilesystems(machine: LabMachine): Promise<void> {
  const script = [
    "test -d /sys/kernel/tracing/events || busybox mount -t tracefs tracefs /sys/kernel/tracing",
    "test -n \"$(ls /sys/kernel/debug 2>/dev/null)\" || busybox mount -t debugfs debugfs /sys/kernel/debug || true",
  ].join("\n");
  const result = await runCommand(machine, ["sh", "-ec", script], 10_000);
  if (!succeeded(result)) throw new Error(`could not mount tracefs in the container (${describeExit(result)}): ${result.stderr.trim()}`);
}

async function startLabContainer(progress: Progress, lab: Lab): Promise<LabMachine> {
  const docker = await dockerClient();
  if ("unavailable" in docker) throw new Error(docker.unavailable);
  const tag = await ensureContainerImage(docker.client, progress, lab);
  const started = Date.now();
  progress.step("starting the lab container");
  const hostDir = await mkdtemp(join(tmpdir(), "bpflab-container-"));
  let container: Awaited<ReturnType<typeof startContainer>> | undefined;
  const stop = async () => {
    await container?.stop({ timeout: 0 }).catch(() => undefined);
    await rm(hostDir, { recursive: true, force: true });
  };
  try {
    container = await startContainer(docker.client, tag, hostDir);
  } catch (error) {
    await stop();
    throw error;
  }
  const machine = await connectAgentMachine({
    stream: () => connectWhenListening(join(hostDir, "agent.sock"), 15_000),
    timing: { helloTimeoutMs: 15_000, heartbeatTimeoutMs: 10_000 },
    info: (agent) => ({ backend: "container", accelerator: "none", kernelRelease: agent.kernelRelease, lab: lab.name, packages: {} }),
    stop,
    async prepare(ready) {
      await mountKernelFilesystems(ready);
      ready.info.packages = userSpacePackages(Buffer.from(await ready.readFile(packageManifestPath)).toString("utf8"));
    },
  });
  progress.done(`lab container ready in ${((Date.now() - started) / 1000).toFixed(1)} s (host kernel ${machine.info.kernelRelease})`);
  return machine;
}

/** The container of a lab's root filesystem: the lab's bpftrace on the host's kernel. */
export const containerSource = (lab: Lab): MachineSource => ({
  name: "container",
  kernel: "host",
  async unusable() {
    const docker = await dockerClient();
    return "unavailable" in docker ? { reason: docker.unavailable, hints: ["install docker.io and start dockerd"] } : undefined;
  },
  start: (progress) => startLabContainer(progress, lab),
  hints: async (summary) => [
    ...featureHints(summary, `this backend uses the host's kernel (${summary.kernelRelease}): ${remedy}`),
    ...(sysResourceGranted === false ? [`CAP_SYS_RESOURCE: dockerd cannot grant it here, so bpftrace warns that it cannot raise RLIMIT_MEMLOCK (harmless on kernels >= 5.11)`] : []),
  ],
  remedy,
});

export function containerBackend(progress?: Progress, lab: Lab = chosenLab()) {
  return capabilityCheckedBackend(containerSource(lab), progress);
}
