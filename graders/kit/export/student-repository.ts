// The repository students clone: an allow-list of what they need to run `npm test`, so that
// anything new in the instructor's repository stays out unless it is added here. Left out:
// solutions/, fixtures/ other than the workloads (wrong submissions, recorded outputs), test/
// (the harness's own proofs), bench/, CI, docs/, the instructor's README, and every
// graders/<id>.hidden.ts. Written for it: a README for students (docs/student-readme.md) and
// GitHub Classroom's autograding workflow, both from the graders' visible checks.
import { copyFile, lstat, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { exerciseIdsIn, hiddenSuffix, loadExerciseFrom } from "../catalog.ts";
import { classroomWorkflow, classroomWorkflowPath } from "./classroom-workflow.ts";
import { copyTree } from "./copy-tree.ts";
import { studentReadme } from "./student-readme.ts";

export const exportedFiles = [".gitignore", "package-lock.json", "tsconfig.json", "vitest.exercises.config.ts"] as const;
export const exportedFolders = ["bin", "exercises", "graders", "vm", "fixtures/workloads"] as const;
/** The scripts a student's copy keeps; the others run files that are not exported. */
const studentScripts = ["test", "typecheck"];
const neverCopied = new Set(["node_modules", ".bpflab", ".git"]);

function excluded(name: string): boolean {
  return neverCopied.has(name) || name.endsWith(hiddenSuffix);
}

async function studentPackageJson(sourceRoot: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(sourceRoot, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const scripts = Object.fromEntries(Object.entries(manifest.scripts ?? {}).filter(([name]) => studentScripts.includes(name)));
  return `${JSON.stringify({ ...manifest, scripts }, null, 2)}\n`;
}

/** Copies the student-facing repository from `sourceRoot` into `dest` (absent or empty); returns the files written. */
export async function exportStudentRepository(sourceRoot: string, dest: string): Promise<string[]> {
  const existing = await readdir(dest).catch(() => []);
  if (existing.length > 0) throw new Error(`${dest} is not empty: export into a new folder`);
  await mkdir(dest, { recursive: true });
  const copied: string[] = [];
  for (const file of exportedFiles) {
    const stat = await lstat(join(sourceRoot, file)).catch(() => undefined);
    if (!stat?.isFile()) continue;
    await copyFile(join(sourceRoot, file), join(dest, file));
    copied.push(file);
  }
  await writeFile(join(dest, "package.json"), await studentPackageJson(sourceRoot));
  copied.push("package.json");
  for (const folder of exportedFolders) copied.push(...(await copyTree(join(sourceRoot, folder), join(dest, folder), folder, excluded)));

  const gradersDir = join(sourceRoot, "graders");
  const exercises = await Promise.all(exerciseIdsIn(gradersDir).map((id) => loadExerciseFrom(gradersDir, id)));
  await writeFile(join(dest, "README.md"), await studentReadme(sourceRoot, exercises));
  copied.push("README.md");
  await mkdir(dirname(join(dest, classroomWorkflowPath)), { recursive: true });
  await writeFile(join(dest, classroomWorkflowPath), classroomWorkflow(exercises));
  copied.push(classroomWorkflowPath);
  return copied;
}
