// `bpflab grade <root>`: one submission laid out like exercises/, or a folder holding one such
// submission per student, graded by a pool of workers, each with its own lab machine that it
// reuses from one submission to the next.
import { lstat, readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { exerciseIds, loadExercise } from "../catalog.ts";
import type { Exercise } from "../exercise.ts";
import type { LabProvider } from "../machine/lab-provider.ts";
import { gradeExercise } from "./grade-exercise.ts";
import { submissionResult, type ExerciseResult, type SubmissionResult } from "./results.ts";
import { folderProblems } from "./submission-folder.ts";
import { transcriptsIn } from "./transcript.ts";
import { notGradableResult, refusedResult } from "./exercise-result.ts";

export interface Submission {
  id: string;
  root: string;
  /** Why the whole submission is refused without reading it (its folder is a symbolic link). */
  refused?: string;
}

export async function findSubmissions(root: string): Promise<Submission[]> {
  const absolute = resolve(root);
  if (!(await stat(absolute).catch(() => undefined))?.isDirectory()) throw new Error(`${root} is not a directory`);
  const known = new Set(exerciseIds());
  const entries = (await readdir(absolute, { withFileTypes: true })).filter((entry) => !entry.name.startsWith("."));
  if (entries.some((entry) => entry.isDirectory() && known.has(entry.name))) return [{ id: basename(absolute), root: absolute }];
  const students = entries.filter((entry) => entry.isDirectory() || entry.isSymbolicLink()).map((entry) => entry.name).sort();
  return Promise.all(
    students.map(async (id) => {
      const path = join(absolute, id);
      const link = (await lstat(path)).isSymbolicLink();
      return link ? { id, root: path, refused: `${id} is a symbolic link, not a folder` } : { id, root: path };
    }),
  );
}

/** What a pool reports as it goes; `worker` numbers start at 1. */
export interface GradingEvents {
  started(worker: number, submission: Submission, exercise: Exercise): void;
  retrying(worker: number, submission: Submission, exercise: Exercise, why: string): void;
  graded(worker: number, submission: Submission, result: ExerciseResult, progress: { done: number; total: number }): void;
}

export interface GradeAllOptions {
  exercises?: readonly string[];
  seed: number;
  transcriptDir: string;
  /** Workers grading at once; each gets its own provider, hence its own lab machine. */
  jobs: number;
  newProvider(worker: number): LabProvider;
  /** A grade that takes longer is abandoned, its machine thrown away, and retried once. */
  exerciseTimeoutMs: number;
  events?: GradingEvents;
}

interface Unit {
  submission: Submission;
  exercise: Exercise;
  position: number;
}

class TimedOut extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  work.catch(() => undefined); // abandoned after a timeout: its late failure is expected
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`grading took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

class Worker {
  private provider: LabProvider;

  constructor(
    readonly number: number,
    private readonly options: GradeAllOptions,
  ) {
    this.provider = options.newProvider(number);
  }

  /**
   * The kit already replaces a machine lost under a submission once; on top of that, an
   * exercise that throws, times out or comes back not gradable is tried once more on a fresh
   * provider, then reported not gradable with the reason: never a zero.
   */
  async grade({ submission, exercise }: Unit): Promise<ExerciseResult> {
    const { seed } = this.options;
    if (submission.refused) return refusedResult(exercise, seed, [submission.refused]);
    const problems = await folderProblems(submission.root, exercise.id);
    if (problems.length > 0) return refusedResult(exercise, seed, problems);
    let reason = "";
    // The last not gradable result keeps its transcript, so a regrade can judge it once bpflab is fixed.
    let last: ExerciseResult | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (attempt === 2) {
        this.options.events?.retrying(this.number, submission, exercise, reason);
        await this.replaceProvider();
      }
      try {
        const grading = gradeExercise(exercise, submission.root, this.provider, {
          seed,
          transcripts: transcriptsIn(this.options.transcriptDir, submission.id),
        });
        const result = await withTimeout(grading, this.options.exerciseTimeoutMs);
        if (result.gradable) return result;
        last = result;
        reason = result.reason ?? "unknown reason";
      } catch (error) {
        reason = `the harness failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return last ?? notGradableResult(exercise, seed, reason);
  }

  private async replaceProvider(): Promise<void> {
    const old = this.provider;
    this.provider = this.options.newProvider(this.number);
    await old.close().catch(() => undefined);
  }

  close(): Promise<void> {
    return this.provider.close();
  }
}

export async function gradeSubmissions(submissions: readonly Submission[], options: GradeAllOptions): Promise<SubmissionResult[]> {
  const ids = options.exercises ?? exerciseIds();
  const exercises = await Promise.all(ids.map((id) => loadExercise(id)));
  const units: Unit[] = submissions.flatMap((submission) => exercises.map((exercise, position) => ({ submission, exercise, position })));
  const graded = new Map(submissions.map((submission) => [submission.id, new Array<ExerciseResult>(exercises.length)]));
  let next = 0;
  let done = 0;

  const workers = Array.from({ length: Math.max(1, Math.min(options.jobs, units.length)) }, (_, index) => new Worker(index + 1, options));
  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (let unit = units[next++]; unit; unit = units[next++]) {
          options.events?.started(worker.number, unit.submission, unit.exercise);
          const result = await worker.grade(unit);
          graded.get(unit.submission.id)![unit.position] = result;
          options.events?.graded(worker.number, unit.submission, result, { done: ++done, total: units.length });
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.close().catch(() => undefined)));
  }
  return submissions.map((submission) => submissionResult(submission.id, graded.get(submission.id) ?? []));
}
