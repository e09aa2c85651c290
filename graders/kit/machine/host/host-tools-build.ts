// The guest agent and the workloads compiled for the host backend, cached under a key that
// hashes their sources (as the lab image's key does), so they are rebuilt only when those change.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { cacheRoot } from "../../../../vm/image.ts";
import { requireTools } from "../../../../vm/system-tools.ts";
import type { VmProgress as Progress } from "../../../../vm/progress.ts";

const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));
const agentSource = join(repoRoot, "vm/guest/agent.c");
const workloadsDir = join(repoRoot, "fixtures/workloads");

export interface HostTools {
  agent: string;
  /** Workload program name -> absolute path. */
  workloads: Record<string, string>;
}

async function sourcesHash(): Promise<string> {
  const hash = createHash("sha256");
  const workloadFiles = (await readdir(workloadsDir)).filter((file) => /\.(c|h|sh)$/.test(file)).sort();
  for (const file of [agentSource, ...workloadFiles.map((name) => join(workloadsDir, name))]) {
    hash.update(file.slice(repoRoot.length)).update("\0").update(await readFile(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

async function toolsIn(dir: string): Promise<HostTools> {
  const names = (await readdir(join(dir, "bin"))).sort();
  return { agent: join(dir, "bpflab-agent"), workloads: Object.fromEntries(names.map((name) => [name, join(dir, "bin", name)])) };
}

export async function ensureHostTools(progress: Progress): Promise<HostTools> {
  const dir = join(cacheRoot(), `host-tools-${await sourcesHash()}`);
  if (existsSync(join(dir, "bpflab-agent"))) return toolsIn(dir);
  await requireTools([{ command: "gcc", debianPackage: "gcc" }], progress);
  progress.step("compiling the agent and the workloads for this host");
  const staging = `${dir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await execa("gcc", ["-static", "-O2", "-Wall", "-Wextra", "-o", join(staging, "bpflab-agent"), agentSource]);
    await execa(join(workloadsDir, "build.sh"), [join(staging, "bin")]);
    await rename(staging, dir).catch(() => undefined);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  progress.done("compiled the agent and the workloads for this host");
  return toolsIn(dir);
}
