// Lab containers outlive a bpflab that was killed (no Ryuk here, and the agent keeps listening
// after its host goes away). Each is labelled with its owner's pid; a later start removes
// those whose owner is gone.
import { hostname } from "node:os";
import type { DockerClient } from "./testcontainers-runtime.ts";

const ownerPidLabel = "bpflab.owner-pid";
const ownerHostLabel = "bpflab.owner-host";

export function ownerLabels(): Record<string, string> {
  return { [ownerPidLabel]: String(process.pid), [ownerHostLabel]: hostname() };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function reapOrphanContainers(client: DockerClient): Promise<void> {
  const containers = await client.container.dockerode.listContainers({ all: true });
  for (const container of containers) {
    const pid = Number(container.Labels?.[ownerPidLabel]);
    if (!Number.isInteger(pid) || container.Labels?.[ownerHostLabel] !== hostname() || alive(pid)) continue;
    await client.container.getById(container.Id).remove({ force: true }).catch(() => undefined);
  }
}

/** Containers of this process that were created but never started (Docker refused their capabilities). */
export async function removeStillborn(client: DockerClient): Promise<void> {
  for (const container of await client.container.dockerode.listContainers({ all: true })) {
    if (container.Labels?.[ownerPidLabel] !== String(process.pid) || container.State !== "created") continue;
    await client.container.getById(container.Id).remove({ force: true }).catch(() => undefined);
  }
}
