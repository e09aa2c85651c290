// The exercises bpflab knows: one grader module per file in graders/, named after the exercise,
// plus its hidden checks, when graders/<id>.hidden.ts exists (see hidden-checks.ts).
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { z } from "zod";
import type { Exercise } from "./exercise.ts";
import { hiddenModuleSchema, rejectInlineHidden, withHiddenChecks } from "./hidden-checks.ts";

/** What a grader module exports: exercise({...})'s value. Its tasks were built by task(), which checks their checks. */
const graderModuleSchema = z.custom<Exercise>(
  (value) => typeof value === "object" && value !== null && "id" in value && "tasks" in value && Array.isArray((value as { tasks: unknown }).tasks),
);

const defaultGradersDir = fileURLToPath(new URL("..", import.meta.url));
export const hiddenSuffix = ".hidden.ts";

export function exerciseIds(): string[] {
  return exerciseIdsIn(defaultGradersDir);
}

export function loadExercise(id: string): Promise<Exercise> {
  return loadExerciseFrom(defaultGradersDir, id);
}

/** The exercises of another copy of bpflab's graders (an exported student repository, a test's copy). */
export function exerciseIdsIn(gradersDir: string): string[] {
  return readdirSync(gradersDir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(hiddenSuffix))
    .map((file) => file.slice(0, -".ts".length))
    .sort();
}

/** Every script a grader runs is a starter in exercises/, and a reference in solutions/ where there is one. */
function requireScripts(exercise: Exercise, root: string): void {
  const folders = ["exercises", "solutions"].filter((folder) => existsSync(join(root, folder)));
  for (const folder of folders) {
    for (const task of exercise.tasks) {
      if (!existsSync(join(root, folder, exercise.id, task.script))) {
        throw new Error(`graders/${exercise.id}.ts runs ${task.script}, which ${folder}/${exercise.id}/ does not have`);
      }
    }
  }
}

export async function loadExerciseFrom(gradersDir: string, id: string): Promise<Exercise> {
  const known = exerciseIdsIn(gradersDir);
  if (!known.includes(id)) {
    throw new Error(`there is no exercise "${id}"; known exercises: ${known.join(", ")}`);
  }
  const module = (await import(pathToFileURL(join(gradersDir, `${id}.ts`)).href)) as { default: unknown };
  const exercise = graderModuleSchema.parse(module.default, { error: () => `graders/${id}.ts must export default exercise({ ... })` });
  rejectInlineHidden(exercise, `graders/${id}.ts`);
  requireScripts(exercise, dirname(gradersDir));
  const hiddenPath = join(gradersDir, `${id}${hiddenSuffix}`);
  if (!existsSync(hiddenPath)) return exercise;
  const hiddenModule = (await import(pathToFileURL(hiddenPath).href)) as { default: unknown };
  const parsed = hiddenModuleSchema.safeParse(hiddenModule.default);
  if (!parsed.success) throw new Error(`graders/${id}${hiddenSuffix} must export default hiddenChecks(...): ${parsed.error.message}`);
  return withHiddenChecks(exercise, parsed.data, `graders/${id}${hiddenSuffix}`);
}
