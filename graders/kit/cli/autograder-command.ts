// `bpflab autograder prepare` and `bpflab autograder grade`: what runs inside a grading platform's
// image (written by `bpflab package`). prepare runs once while the image is built; grade runs for
// every submission and always leaves a results file for the platform to read.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { exerciseIds } from "../catalog.ts";
import { gradeUpload } from "../package/grade-upload.ts";
import { gradescopeResults, harnessFailureResults, prairieLearnResults, type Platform } from "../package/platform-results.ts";
import { exerciseFromData } from "../package/prairielearn-data.ts";
import { prepareMachine } from "../package/prepare-machine.ts";
import type { HiddenVisibility } from "../report/gradescope.ts";
import { plainProgress } from "../ui/progress.ts";

export async function autograderPrepareCommand(): Promise<void> {
  try {
    await prepareMachine(plainProgress());
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

export interface AutograderGradeOptions {
  for: Platform;
  results: string;
  exercise?: string[];
  /** PrairieLearn's /grade/data/data.json: names the exercise when --exercise does not. */
  prairielearnData?: string;
  transcripts: string;
  hiddenVisibility: HiddenVisibility;
  exerciseTimeout: number;
}

async function exercisesToGrade(options: AutograderGradeOptions): Promise<string[]> {
  if (options.exercise) return options.exercise;
  const named = options.prairielearnData ? await exerciseFromData(options.prairielearnData) : undefined;
  return named ? [named] : exerciseIds();
}

async function writeResults(path: string, results: unknown): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}

/**
 * Exit status 0 once the results file is written, whatever the score: the platform reads the
 * file. When bpflab itself fails, the file says so (not gradable), and the status is 2.
 */
export async function autograderGradeCommand(upload: string, options: AutograderGradeOptions): Promise<void> {
  const started = Date.now();
  const progress = plainProgress();
  try {
    const grade = await gradeUpload(resolve(upload), {
      exercises: await exercisesToGrade(options),
      transcriptDir: resolve(options.transcripts),
      exerciseTimeoutMs: options.exerciseTimeout * 1000,
      progress,
    });
    const results = options.for === "gradescope" ? gradescopeResults(grade, options.hiddenVisibility, (Date.now() - started) / 1000) : prairieLearnResults(grade);
    await writeResults(options.results, results);
    const { score, max } = grade.submission;
    progress.done(`graded ${grade.submission.exercises.map((exercise) => exercise.id).join(", ")}: ${score}/${max} points in ${((Date.now() - started) / 1000).toFixed(1)} s; results in ${options.results}`);
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
    const reason = error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error);
    await writeResults(options.results, harnessFailureResults(options.for, reason)).catch(() => undefined);
  }
}
