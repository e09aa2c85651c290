// Grades one exercise of one submission: each task's script is copied into a lab machine, run
// against its workloads, and judged (judge-task.ts) on what was recorded of the run. The record
// goes into the transcript, from which a regrade judges it again without a machine.
import type { Exercise, Task } from "../exercise.ts";
import type { Isolation } from "../machine/isolation.ts";
import type { LabMachine } from "../machine/lab-machine.ts";
import type { LabProvider } from "../machine/lab-provider.ts";
import { listProbes } from "../run/probe-listing.ts";
import { seededRandom } from "../run/random.ts";
import { MachineLostError, runScript, type RunLimits, defaultLimits } from "../run/script-run.ts";
import { everyCheck, judgeAttempt } from "./judge-task.ts";
import { exerciseResult, notGradableResult } from "./exercise-result.ts";
import type { CheckResult, ExerciseResult, Figure, ReviewAnswer } from "./results.ts";
import { readSubmissionFile } from "./submission-files.ts";
import type { TaskAttempt, TaskRecord } from "./task-attempt.ts";
import type { TranscriptWriter } from "./transcript.ts";

export interface GradeOptions {
  seed: number;
  limits?: RunLimits;
  transcripts?: TranscriptWriter;
}

/** Where submissions' scripts are copied in the lab machine. */
const submissionsFolder = "/run/bpflab/submission";

/**
 * A machine grades one submission after another, and bpftrace's cat() reads any file in it: the
 * scripts of the submission graded before are removed before this one's are copied in.
 */
async function clearSubmissions(machine: LabMachine): Promise<void> {
  const rm = await machine.spawn(["rm", "-rf", submissionsFolder]);
  const exit = await rm.exit;
  if (exit.kind === "lost") throw new MachineLostError(exit.reason);
  if (exit.kind !== "exited" || exit.code !== 0) throw new Error(`could not clear ${submissionsFolder} in the lab machine (${JSON.stringify(exit)})`);
}

export const runsBeforeInconclusive = 3;

/** The random draws of a task's runs: the first depends on the seed alone, so that --seed replays it. */
export function taskRandom(seed: number, taskIndex: number, attempt: number) {
  return seededRandom(seed + taskIndex + attempt * 1_000_003);
}

/** Notes the student should see about the file itself, e.g. line endings that were converted. */
export function scriptNotes(record: TaskRecord, script: string): string[] {
  return record.script.kind === "ok" ? record.script.normalized.map((change) => `${script}: ${change}`) : [];
}

export function machineLossNote(loss: string): string {
  return `the lab machine failed while grading (${loss.split("\n")[0]}); graded again on a new one`;
}

export function inconclusiveNote(script: string, attempt: number, reason: string): string {
  return `${script}: run ${attempt + 1} could not judge the checks (${reason}); ran it again`;
}

interface GradedTask {
  checks: CheckResult[];
  notes: string[];
  figures?: Figure[];
  record: TaskRecord;
  /** A grader that threw while judging: the exercise is not gradable, and the record is kept for a regrade. */
  graderError?: unknown;
  /** The workloads failed, or never brought about what the checks need: not gradable, the record kept. */
  notGradable?: string;
}

async function gradeTask(exercise: Exercise, task: Task, index: number, submissionRoot: string, machine: LabMachine, options: GradeOptions): Promise<GradedTask> {
  const script = await readSubmissionFile(submissionRoot, exercise.id, task.script);
  const record: TaskRecord = { task: task.name, file: task.script, output: task.output, script, attempts: [] };
  if (script.kind === "unusable") return { checks: everyCheck(task, { ok: false, message: script.message }), notes: [], record };
  const notes = scriptNotes(record, task.script);

  const scriptPath = `${submissionsFolder}/${exercise.id}/${index}-${task.script}`;
  await machine.writeFile(scriptPath, script.text, 0o644);
  for (let attempt = 0; ; attempt++) {
    const prepared = task.prepare(taskRandom(options.seed, index, attempt));
    // Listing the probes is a second bpftrace start-up; it overlaps the run's compile and attach,
    // which saves about two seconds a task under TCG.
    const [probeListing, run] = await Promise.all([
      listProbes(machine, scriptPath),
      runScript(machine, { scriptPath, args: prepared.args, json: task.output === "json" }, prepared.launches, options.limits ?? defaultLimits),
    ]);
    const taskAttempt: TaskAttempt = { attempt, plan: prepared.plan, args: prepared.args, launches: prepared.launches, probeListing, run };
    record.attempts.push(taskAttempt);
    let judgement;
    try {
      judgement = judgeAttempt(task, prepared, taskAttempt, script.text);
    } catch (graderError) {
      return { checks: [], notes, record, graderError };
    }
    if (judgement.kind === "not-gradable") return { checks: [], notes, record, notGradable: judgement.reason };
    if (judgement.kind === "judged") return { checks: judgement.checks, notes: [...notes, ...judgement.notes], record, ...(judgement.figures ? { figures: judgement.figures } : {}) };
    if (attempt + 1 >= runsBeforeInconclusive) return { checks: [], notes, record, notGradable: `${task.name}: ${judgement.reason} (${runsBeforeInconclusive} runs in a row)` };
    notes.push(inconclusiveNote(task.script, attempt, judgement.reason));
  }
}

interface MachineGrade {
  result: ExerciseResult;
  records: TaskRecord[];
  review: ReviewAnswer[];
}

async function gradeOnMachine(exercise: Exercise, submissionRoot: string, machine: LabMachine, isolation: Isolation, options: GradeOptions): Promise<MachineGrade> {
  await clearSubmissions(machine);
  const graded: GradedTask[] = [];
  // Every task runs even after one could not be judged, so that a regrade (with a fixed grader) has all the evidence.
  for (const [index, task] of exercise.tasks.entries()) graded.push(await gradeTask(exercise, task, index, submissionRoot, machine, options));
  const review = await reviewAnswers(exercise, submissionRoot);
  const records = graded.map((task) => task.record);
  const failed = graded.find((task) => task.graderError !== undefined);
  if (failed) return { result: { ...internalError(exercise, options.seed, failed.graderError), machine: machine.info, isolation }, records, review };
  const unjudged = graded.find((task) => task.notGradable !== undefined);
  if (unjudged?.notGradable) return { result: { ...notGradableResult(exercise, options.seed, unjudged.notGradable), machine: machine.info, isolation }, records, review };
  const result = exerciseResult(exercise, {
    checks: graded.flatMap((task) => task.checks),
    notes: graded.flatMap((task) => task.notes),
    figures: graded.flatMap((task) => task.figures ?? []),
    review,
    seed: options.seed,
    machine: machine.info,
    isolation,
  });
  return { result, records, review };
}

async function reviewAnswers(exercise: Exercise, submissionRoot: string): Promise<ReviewAnswer[]> {
  return Promise.all(
    (exercise.review ?? []).map(async (item) => {
      const file = await readSubmissionFile(submissionRoot, exercise.id, item.file);
      return file.kind === "ok" ? { ...item, answer: file.text } : { ...item };
    }),
  );
}

/**
 * A bug in bpflab (or in a grader) must not read as the student's failure nor end the class's
 * grading: the exercise is not gradable, the reason says whose fault it is, and the stack goes
 * to stderr for whoever maintains the grader.
 */
export function internalError(exercise: Exercise, seed: number, error: unknown): ExerciseResult {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bpflab: internal error while grading ${exercise.id} (seed ${seed}): ${error instanceof Error ? error.stack : message}\n`);
  return notGradableResult(exercise, seed, `bpflab itself failed while grading (not your script's fault; please report it with seed ${seed}): ${message.split("\n")[0]}`);
}

/**
 * A lab machine that dies under a submission (panic, hang, lost channel) is replaced and the
 * exercise graded once more; a second loss makes the exercise not gradable, never a zero. So
 * does a task whose workloads failed, or never brought about what its checks need.
 */
export async function gradeExercise(exercise: Exercise, submissionRoot: string, provider: LabProvider, options: GradeOptions): Promise<ExerciseResult> {
  let lastLoss = "";
  for (let attempt = 1; attempt <= 2; attempt++) {
    const offer = await provider.acquire(exercise.requires);
    if (offer.kind === "unavailable") return notGradableResult(exercise, options.seed, offer.reason);
    try {
      const graded = await gradeOnMachine(exercise, submissionRoot, offer.machine, offer.isolation, options);
      const result = lastLoss ? { ...graded.result, notes: [machineLossNote(lastLoss), ...graded.result.notes] } : graded.result;
      if (options.transcripts) {
        result.transcript = await options.transcripts.write({ result, tasks: graded.records, review: graded.review, ...(lastLoss ? { machineLoss: lastLoss } : {}) });
      }
      return result;
    } catch (error) {
      if (!(error instanceof MachineLostError) && !offer.machine.failure) return internalError(exercise, options.seed, error);
      await provider.discard(offer.machine);
      lastLoss = offer.machine.failure ?? (error instanceof Error ? error.message : String(error));
    }
  }
  return notGradableResult(exercise, options.seed, `the lab machine failed twice while grading: ${lastLoss}`);
}
