// Grades one exercise of one submission: each task's script is copied into a lab machine,
// run against its workloads, and its checks are applied to what happened.
import type { Exercise, Task, Verdict } from "../exercise.ts";
import type { Isolation } from "../machine/isolation.ts";
import type { LabMachine } from "../machine/lab-machine.ts";
import type { LabProvider } from "../machine/lab-provider.ts";
import { parseOutput } from "../evidence/output.ts";
import { listScriptProbes } from "../evidence/probes.ts";
import { describeRejection, describeEnding } from "./run-problems.ts";
import { seededRandom } from "../run/random.ts";
import { MachineLostError, runScript, type RunLimits, defaultLimits, type ScriptRun } from "../run/script-run.ts";
import type { CheckResult, ExerciseResult, ReviewAnswer } from "./results.ts";
import { scored } from "./results.ts";
import { readSubmissionFile } from "./submission-files.ts";
import { workloadProblem } from "./workload-integrity.ts";
import type { TranscriptWriter } from "./transcript.ts";

export interface GradeOptions {
  seed: number;
  limits?: RunLimits;
  transcripts?: TranscriptWriter;
}

const excerptLines = 12;

function headOf(text: string): string[] {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  return lines.length > excerptLines ? [...lines.slice(0, excerptLines), `... (${lines.length - excerptLines} more lines)`] : lines;
}

const excerptLineChars = 160;

/** Excerpts stay readable whatever was printed: a dozen lines, each cut to a line's width. */
function trimExcerpt(lines: readonly string[]): string[] {
  const cut = lines.map((line) => (line.length > excerptLineChars ? `${line.slice(0, excerptLineChars)}... (${line.length} characters)` : line));
  return cut.length > excerptLines ? [...cut.slice(0, excerptLines), `... (${cut.length - excerptLines} more lines)`] : cut;
}

function resultsFor(task: Task, verdicts: readonly Verdict[], fallbackExcerpt: string[], note?: string): CheckResult[] {
  return task.checks.map((check, index) => {
    const verdict = verdicts[index] ?? verdicts[0] ?? { ok: false, message: "not checked" };
    const base = { task: task.name, name: check.name, points: verdict.ok ? check.points : 0, max: check.points, hidden: check.hidden };
    if (verdict.ok) return { ...base, ok: true, message: "", excerpt: [] };
    const message = note ? `${verdict.message} ${note}` : verdict.message;
    return { ...base, ok: false, message, excerpt: trimExcerpt(verdict.excerpt ?? fallbackExcerpt) };
  });
}

/** A task that cannot be judged: its workloads failed, or never brought about what its checks need. */
class NotGradableError extends Error {}

const runsBeforeInconclusive = 3;

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

async function gradeTask(
  exercise: Exercise,
  task: Task,
  index: number,
  submissionRoot: string,
  machine: LabMachine,
  options: GradeOptions,
): Promise<{ checks: CheckResult[]; notes: string[]; run?: ScriptRun; plan?: unknown; args?: string[]; script?: string }> {
  const file = await readSubmissionFile(submissionRoot, exercise.id, task.script);
  if (file.kind === "unusable") return { checks: resultsFor(task, [{ ok: false, message: file.message }], []), notes: [] };
  const notes = file.normalized.map((change) => `${task.script}: ${change}`);

  const scriptPath = `${submissionsFolder}/${exercise.id}/${index}-${task.script}`;
  await machine.writeFile(scriptPath, file.text, 0o644);
  for (let attempt = 0; ; attempt++) {
    // The first run's plan depends on the seed alone, so that --seed replays it.
    const prepared = task.prepare(seededRandom(options.seed + index + attempt * 1_000_003));
    // Listing the probes is a second bpftrace start-up; it overlaps the run's compile and attach,
    // which saves about two seconds a task under TCG.
    const [probes, run] = await Promise.all([
      listScriptProbes(machine, scriptPath),
      runScript(machine, { scriptPath, args: prepared.args, json: task.output === "json" }, prepared.workloads, options.limits ?? defaultLimits),
    ]);
    const rejection = describeRejection(run, task.script);
    const traced = { run, plan: prepared.plan, args: prepared.args, script: file.text };
    if (rejection) return { checks: resultsFor(task, [rejection], headOf(run.stderr)), notes, ...traced };
    const problem = run.workloads.map(workloadProblem).find((found) => found !== undefined);
    if (problem?.blame === "machine") throw new NotGradableError(`${task.name}: ${problem.message}`);
    if (problem) return { checks: resultsFor(task, [{ ok: false, message: problem.message }], headOf(run.stdout)), notes, ...traced };
    const records = Object.fromEntries(run.workloads.map((workload) => [workload.label, workload.stdout]));
    const inconclusive = prepared.inconclusive(records);
    if (inconclusive) {
      if (attempt + 1 >= runsBeforeInconclusive) {
        throw new NotGradableError(`${task.name}: ${inconclusive} (${runsBeforeInconclusive} runs in a row)`);
      }
      notes.push(`${task.script}: run ${attempt + 1} could not judge the checks (${inconclusive}); ran it again`);
      continue;
    }
    const output = parseOutput(run.stdout, task.output);
    const verdicts = prepared.verify({ records, output, probes, run });
    const ending = describeEnding(run);
    if (ending) notes.push(`${task.script}: ${ending}`);
    return { checks: resultsFor(task, verdicts, headOf(run.stdout), ending), notes, ...traced };
  }
}

async function gradeOnMachine(
  exercise: Exercise,
  submissionRoot: string,
  machine: LabMachine,
  isolation: Isolation,
  options: GradeOptions,
): Promise<ExerciseResult> {
  const checks: CheckResult[] = [];
  const notes: string[] = [];
  const runs = [];
  await clearSubmissions(machine);
  for (const [index, task] of exercise.tasks.entries()) {
    const graded = await gradeTask(exercise, task, index, submissionRoot, machine, options);
    checks.push(...graded.checks);
    notes.push(...graded.notes);
    runs.push({ task: task.name, script: graded.script, args: graded.args, plan: graded.plan, run: graded.run });
  }
  const result: ExerciseResult = {
    id: exercise.id,
    title: exercise.title,
    ...scored(checks),
    gradable: true,
    checks,
    notes,
    review: await reviewAnswers(exercise, submissionRoot),
    seed: options.seed,
    machine: machine.info,
    isolation,
  };
  if (options.transcripts) result.transcript = await options.transcripts.write(result, runs);
  return result;
}

async function reviewAnswers(exercise: Exercise, submissionRoot: string): Promise<ReviewAnswer[]> {
  return Promise.all(
    (exercise.review ?? []).map(async (item) => {
      const file = await readSubmissionFile(submissionRoot, exercise.id, item.file);
      return file.kind === "ok" ? { ...item, answer: file.text } : { ...item };
    }),
  );
}

function notGradable(exercise: Exercise, seed: number, reason: string): ExerciseResult {
  const checks = exercise.tasks.flatMap((task) =>
    task.checks.map((check) => ({
      task: task.name,
      name: check.name,
      ok: false,
      points: 0,
      max: check.points,
      hidden: check.hidden,
      message: `not gradable: ${reason}`,
      excerpt: [],
    })),
  );
  return { id: exercise.id, title: exercise.title, score: 0, max: scored(checks).max, gradable: false, reason, checks, notes: [], review: [], seed };
}

/**
 * A bug in bpflab (or in a grader) must not read as the student's failure nor end the class's
 * grading: the exercise is not gradable, the reason says whose fault it is, and the stack goes
 * to stderr for whoever maintains the grader.
 */
function internalError(exercise: Exercise, seed: number, error: unknown): ExerciseResult {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bpflab: internal error while grading ${exercise.id} (seed ${seed}): ${error instanceof Error ? error.stack : message}\n`);
  return notGradable(exercise, seed, `bpflab itself failed while grading (not your script's fault; please report it with seed ${seed}): ${message.split("\n")[0]}`);
}

/**
 * A lab machine that dies under a submission (panic, hang, lost channel) is replaced and the
 * exercise graded once more; a second loss makes the exercise not gradable, never a zero. So
 * does a task whose workloads failed, or never brought about what its checks need.
 */
export async function gradeExercise(
  exercise: Exercise,
  submissionRoot: string,
  provider: LabProvider,
  options: GradeOptions,
): Promise<ExerciseResult> {
  let lastLoss = "";
  for (let attempt = 1; attempt <= 2; attempt++) {
    const offer = await provider.acquire(exercise.requires);
    if (offer.kind === "unavailable") return notGradable(exercise, options.seed, offer.reason);
    try {
      const result = await gradeOnMachine(exercise, submissionRoot, offer.machine, offer.isolation, options);
      return lastLoss ? { ...result, notes: [`the lab machine failed while grading (${lastLoss.split("\n")[0]}); graded again on a new one`, ...result.notes] } : result;
    } catch (error) {
      if (error instanceof NotGradableError) return notGradable(exercise, options.seed, error.message);
      if (!(error instanceof MachineLostError) && !offer.machine.failure) return internalError(exercise, options.seed, error);
      await provider.discard(offer.machine);
      lastLoss = offer.machine.failure ?? (error instanceof Error ? error.message : String(error));
    }
  }
  return notGradable(exercise, options.seed, `the lab machine failed twice while grading: ${lastLoss}`);
}
