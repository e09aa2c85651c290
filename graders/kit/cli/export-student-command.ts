// `bpflab export-student <dir>`: write the repository students get, without solutions, wrong
// submissions, the harness's proofs or hidden checks (kit/export/student-repository.ts).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { exportStudentRepository } from "../export/student-repository.ts";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export async function exportStudentCommand(dir: string): Promise<void> {
  try {
    const files = await exportStudentRepository(repoRoot, resolve(dir));
    process.stderr.write(`bpflab: wrote ${files.length} files to ${dir}; students run npm ci, then npm test exercises/<id>\n`);
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
