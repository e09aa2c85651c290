// What of bpflab a grading platform's image runs: the command line, the graders with their hidden
// checks (the image is the instructor's, never shown to students), the VM recipe and the
// workloads. An allow-list, like the students' repository: solutions, proofs and tests stay out.
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { copyTree } from "../export/copy-tree.ts";

const bundledFiles = ["package.json", "package-lock.json", "tsconfig.json"] as const;
const bundledFolders = ["bin", "graders", "vm", "fixtures/workloads"] as const;
const neverCopied = new Set(["node_modules", ".bpflab", ".git"]);

/** Copies bpflab from `sourceRoot` into `dest`; returns the files written, relative to `dest`. */
export async function writeBpflabBundle(sourceRoot: string, dest: string): Promise<string[]> {
  await mkdir(dest, { recursive: true });
  const copied: string[] = [];
  for (const file of bundledFiles) {
    await copyFile(join(sourceRoot, file), join(dest, file));
    copied.push(file);
  }
  for (const folder of bundledFolders) copied.push(...(await copyTree(join(sourceRoot, folder), join(dest, folder), folder, (name) => neverCopied.has(name))));
  return copied;
}
