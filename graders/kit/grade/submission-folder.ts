// Before anything of a submission's exercise folder is read, the whole folder is walked without
// following links: a link out of the submission (the folder itself included), a special file, or
// a file over the size limit refuses the folder, with the file named. Files outside the exercise
// folders are never read, so they are not judged.
import { lstat, readdir, realpath } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { maxFileBytes } from "./submission-files.ts";

export const maxEntriesPerExercise = 200;

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep));
}

/** Problems that refuse `<submission>/<exerciseId>/`, each naming the file; empty when fine or absent. */
export async function folderProblems(submissionRoot: string, exerciseId: string): Promise<string[]> {
  const root = await realpath(submissionRoot);
  const problems: string[] = [];
  let entries = 0;

  async function visit(path: string): Promise<void> {
    const shown = relative(submissionRoot, path).split(sep).join("/");
    const stat = await lstat(path).catch(() => undefined);
    if (!stat) return;
    if (++entries > maxEntriesPerExercise) {
      if (entries === maxEntriesPerExercise + 1) problems.push(`${exerciseId}/ holds more than ${maxEntriesPerExercise} files`);
      return;
    }
    if (stat.isSymbolicLink()) {
      const target = await realpath(path).catch(() => undefined);
      if (!target) problems.push(`${shown} is a symbolic link to nothing`);
      else if (!isInside(root, target)) problems.push(`${shown} is a symbolic link out of the submission`);
      return;
    }
    if (stat.isDirectory()) {
      for (const name of (await readdir(path)).sort()) await visit(join(path, name));
      return;
    }
    if (!stat.isFile()) problems.push(`${shown} is not a regular file`);
    else if (stat.size > maxFileBytes) problems.push(`${shown} is ${stat.size} bytes, over the ${maxFileBytes}-byte limit`);
  }

  await visit(join(submissionRoot, exerciseId));
  return problems;
}
