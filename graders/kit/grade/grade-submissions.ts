// `bpflab grade <root>`: one submission laid out like exercises/, or a folder holding one
// such submission per student.
import { readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { exerciseIds, loadExercise } from "../catalog.ts";
import type { LabProvider } from "../machine/lab-provider.ts";
import { gradeExercise } from "./grade-exercise.ts";
import { submissionResult, type ExerciseResult, type SubmissionResult } from "./results.ts";
import { transcriptsIn } from "./transcript.ts";

export interface Submission {
  id: string;
  root: string;
}

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

export async function findSubmissions(root: string): Promise<Submission[]> {
  const absolute = resolve(root);
  if (!(await stat(absolute).catch(() => undefined))?.isDirectory()) throw new Error(`${root} is not a directory`);
  const known = new Set(exerciseIds());
  const children = await subdirectories(absolute);
  if (children.some((child) => known.has(child))) return [{ id: basename(absolute), root: absolute }];
  return children.map((child) => ({ id: child, root: join(absolute, child) }));
}

export interface GradeAllOptions {
  exercises?: readonly string[];
  seed: number;
  transcriptDir: string;
  onExercise?: (submission: Submission, result: ExerciseResult) => void;
}

export async function gradeSubmissions(
  submissions: readonly Submission[],
  provider: LabProvider,
  options: GradeAllOptions,
): Promise<SubmissionResult[]> {
  const ids = options.exercises ?? exerciseIds();
  const exercises = await Promise.all(ids.map((id) => loadExercise(id)));
  const results: SubmissionResult[] = [];
  for (const submission of submissions) {
    const graded: ExerciseResult[] = [];
    for (const exercise of exercises) {
      const result = await gradeExercise(exercise, submission.root, provider, {
        seed: options.seed,
        transcripts: transcriptsIn(options.transcriptDir, submission.id),
      });
      options.onExercise?.(submission, result);
      graded.push(result);
    }
    results.push(submissionResult(submission.id, graded));
  }
  return results;
}
