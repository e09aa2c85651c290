import { execa } from "execa";
import type { VmProgress as Progress } from "./progress.ts";

/** A command bpflab runs on the grading host, and the Debian/Ubuntu package that provides it. */
export interface SystemTool {
  command: string;
  debianPackage: string;
}

export class MissingToolError extends Error {}

async function onPath(command: string): Promise<boolean> {
  const found = await execa("sh", ["-c", `command -v ${command}`], { reject: false });
  return found.exitCode === 0;
}

async function canInstallWithApt(): Promise<boolean> {
  return process.getuid?.() === 0 && process.env.BPFLAB_NO_INSTALL === undefined && (await onPath("apt-get"));
}

/**
 * Makes sure every tool is on PATH. As root on Debian or Ubuntu the missing packages are
 * installed with apt-get; elsewhere the error names the packages to install.
 */
export async function requireTools(tools: readonly SystemTool[], progress: Progress): Promise<void> {
  const missing: SystemTool[] = [];
  for (const tool of tools) if (!(await onPath(tool.command))) missing.push(tool);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => tool.debianPackage))];
  const commands = missing.map((tool) => tool.command).join(", ");
  if (!(await canInstallWithApt())) {
    throw new MissingToolError(
      `bpflab needs ${commands}, which is not installed: run \`sudo apt-get install ${packages.join(" ")}\`.`,
    );
  }
  progress.step(`installing ${packages.join(" ")} (apt-get) for ${commands}`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  await execa("apt-get", ["update", "-qq"], { env, reject: false });
  const install = await execa("apt-get", ["install", "-y", "-qq", ...packages], { env, reject: false, all: true });
  if (install.exitCode !== 0) {
    throw new MissingToolError(
      `bpflab needs ${commands}; installing ${packages.join(" ")} with apt-get failed:\n${install.all ?? ""}`,
    );
  }
  progress.done(`installed ${packages.join(" ")}`);
}
