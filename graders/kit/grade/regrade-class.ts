// `bpflab regrade`: a graded class judged again with today's graders, from what its grading
// recorded (an --out folder's results.json and the transcripts it names, or a folder of
// transcripts), without a lab machine. What cannot be judged again keeps its recorded result.
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { loadExercise } from "../catalog.ts";
import type { Exercise } from "../exercise.ts";
import { readResultsFile, resultsFileName } from "../report/results-file.ts";
import type { Shard } from "./shard.ts";
import { regradeExercise } from "./regrade-exercise.ts";
import { submissionResult, type ExerciseResult, type SubmissionResult } from "./results.ts";
import { readTranscript, transcriptFileName, type Transcript } from "./transcript.ts";

/** One exercise of one student, as recorded. */
interface Recorded {
  student: string;
  result: ExerciseResult;
  transcript?: { path: string; contents: Transcript };
}

export interface RegradedExercise {
  student: string;
  before: ExerciseResult;
  after: ExerciseResult;
  /** Why the exercise kept its recorded result: no transcript, or one today's grader cannot judge. */
  kept?: string;
}

export interface RegradedClass {
  submissions: SubmissionResult[];
  exercises: RegradedExercise[];
  shard: Shard;
  classSize: number;
}

/** A transcript path as recorded, or the same folder beside the results when the class was moved. */
function transcriptPath(recorded: string, resultsDir: string): string | undefined {
  const candidates = [recorded, join(resultsDir, "transcripts", basename(recorded))];
  return candidates.map((path) => join(path, transcriptFileName)).find((file) => existsSync(file));
}

async function fromResultsFolder(dir: string): Promise<{ recorded: Recorded[]; shard: Shard; classSize: number }> {
  const file = await readResultsFile(dir);
  const recorded: Recorded[] = [];
  for (const submission of file.submissions) {
    for (const result of submission.exercises) {
      const path = result.transcript ? transcriptPath(result.transcript, dir) : undefined;
      recorded.push(path ? { student: submission.id, result, transcript: { path, contents: await readTranscript(path) } } : { student: submission.id, result });
    }
  }
  return { recorded, shard: file.shard, classSize: file.classSize };
}

async function transcriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name === transcriptFileName).map((entry) => join(entry.parentPath, entry.name));
}

/** Every transcript under the folder; the latest of each student's exercise counts. */
async function fromTranscriptsFolder(dir: string): Promise<{ recorded: Recorded[]; shard: Shard; classSize: number }> {
  const latest = new Map<string, Recorded>();
  for (const path of await transcriptFiles(dir)) {
    const contents = await readTranscript(path);
    const student = contents.submission ?? "submission";
    const key = `${student}\0${contents.exercise}`;
    const known = latest.get(key);
    if (known?.transcript && known.transcript.contents.gradedAt >= contents.gradedAt) continue;
    latest.set(key, { student, result: { ...contents.result, transcript: resolve(path, "..") }, transcript: { path, contents } });
  }
  const recorded = [...latest.values()].sort((a, b) => (a.student === b.student ? a.result.id.localeCompare(b.result.id) : a.student < b.student ? -1 : 1));
  const students = new Set(recorded.map((each) => each.student));
  return { recorded, shard: { index: 1, count: 1 }, classSize: students.size };
}

function regradeOne(exercise: Exercise, recorded: Recorded): RegradedExercise {
  const before = recorded.result;
  if (!recorded.transcript) return { student: recorded.student, before, after: before, kept: before.gradable ? "no transcript was kept" : "it was not gradable: it needs a real run" };
  const regrade = regradeExercise(exercise, recorded.transcript.contents, before.transcript);
  if (regrade.kind === "refused") return { student: recorded.student, before, after: before, kept: regrade.reason };
  return { student: recorded.student, before, after: regrade.result };
}

/** Today's graders: the repository's own, or another copy's (a test's). */
export type ExerciseLoader = (id: string) => Promise<Exercise>;

export async function regradeClass(dir: string, load: ExerciseLoader = loadExercise): Promise<RegradedClass> {
  const root = resolve(dir);
  if (!existsSync(root)) throw new Error(`${dir} does not exist`);
  const { recorded, shard, classSize } = existsSync(join(root, resultsFileName)) ? await fromResultsFolder(root) : await fromTranscriptsFolder(root);
  if (recorded.length === 0) throw new Error(`${dir} holds no ${resultsFileName} and no transcripts: point regrade at a grade run's --out folder or its transcripts`);
  const exercises = new Map<string, Exercise>();
  const regraded: RegradedExercise[] = [];
  for (const each of recorded) {
    const id = each.result.id;
    if (!exercises.has(id)) exercises.set(id, await load(id));
    regraded.push(regradeOne(exercises.get(id)!, each));
  }
  const students = [...new Set(regraded.map((each) => each.student))];
  const submissions = students.map((student) => submissionResult(student, regraded.filter((each) => each.student === student).map((each) => each.after)));
  return { submissions, exercises: regraded, shard, classSize };
}
