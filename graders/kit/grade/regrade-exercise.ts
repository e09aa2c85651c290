// Judges a transcript again with today's grader: no lab machine, the same evidence. Only runs
// that today's grader would have planned the same way are judged; a grader whose plan, workloads
// or tasks changed since needs a real run, and says so.
import { isDeepStrictEqual } from "node:util";
import type { Exercise, PreparedTask, Task } from "../exercise.ts";
import { exerciseResult, notGradableResult } from "./exercise-result.ts";
import { everyCheck, judgeAttempt, type Judgement } from "./judge-task.ts";
import { inconclusiveNote, machineLossNote, scriptNotes, taskRandom } from "./grade-exercise.ts";
import type { CheckResult, ExerciseResult, Figure } from "./results.ts";
import type { TaskAttempt, TaskRecord } from "./task-attempt.ts";
import type { Transcript } from "./transcript.ts";

export type Regrade = { kind: "regraded"; result: ExerciseResult } | { kind: "refused"; reason: string };

class DoesNotFit extends Error {}

/** JSON as it was written and read back: what a recorded plan is compared as. */
const asRecorded = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

function fits(task: Task, prepared: PreparedTask, attempt: TaskAttempt): void {
  const changed = [
    !isDeepStrictEqual(asRecorded(prepared.plan), asRecorded(attempt.plan)) && "its plan",
    !isDeepStrictEqual(prepared.args, attempt.args) && "the script's arguments",
    !isDeepStrictEqual(asRecorded(prepared.launches), asRecorded(attempt.launches)) && "its workloads",
  ].filter(Boolean);
  if (changed.length > 0) throw new DoesNotFit(`task "${task.name}" now draws ${changed.join(" and ")} differently from the recorded run (run ${attempt.attempt + 1})`);
}

function regradeTask(task: Task, index: number, record: TaskRecord, seed: number): { checks: CheckResult[]; notes: string[]; figures?: Figure[] } | { notGradable: string } {
  if (record.task !== task.name) throw new DoesNotFit(`the grader's task ${index + 1} is "${task.name}", the transcript's "${record.task}"`);
  if (record.file !== task.script) throw new DoesNotFit(`task "${task.name}" now runs ${task.script}, the recorded run ${record.file}`);
  if (record.output !== task.output) throw new DoesNotFit(`task "${task.name}" now runs bpftrace with ${task.output} output, the recorded run used ${record.output}`);
  if (record.script.kind === "unusable") return { checks: everyCheck(task, { ok: false, message: record.script.message }), notes: [] };
  const notes = scriptNotes(record, task.script);
  for (const attempt of record.attempts) {
    const prepared = task.prepare(taskRandom(seed, index, attempt.attempt));
    fits(task, prepared, attempt);
    const judgement: Judgement = judgeAttempt(task, prepared, attempt, record.script.text);
    if (judgement.kind === "not-gradable") return { notGradable: judgement.reason };
    if (judgement.kind === "judged") return { checks: judgement.checks, notes: [...notes, ...judgement.notes], ...(judgement.figures ? { figures: judgement.figures } : {}) };
    notes.push(inconclusiveNote(task.script, attempt.attempt, judgement.reason));
  }
  throw new DoesNotFit(`today's grader finds every recorded run of "${task.name}" inconclusive`);
}

/** Where the recorded run happened, for a result judged from it. */
function recordedContext(transcript: Transcript) {
  return { ...(transcript.machine ? { machine: transcript.machine } : {}), ...(transcript.result.isolation ? { isolation: transcript.result.isolation } : {}) };
}

export function regradeExercise(exercise: Exercise, transcript: Transcript, transcriptPath?: string): Regrade {
  if (transcript.exercise !== exercise.id) return { kind: "refused", reason: `the transcript is of ${transcript.exercise}, not ${exercise.id}` };
  if (transcript.tasks.length !== exercise.tasks.length) {
    return { kind: "refused", reason: `the grader of ${exercise.id} has ${exercise.tasks.length} tasks, the transcript ${transcript.tasks.length}: it needs a real regrade` };
  }
  const checks: CheckResult[] = [];
  const figures: Figure[] = [];
  const notes: string[] = transcript.machineLoss ? [machineLossNote(transcript.machineLoss)] : [];
  const where = transcriptPath ? { transcript: transcriptPath } : {};
  try {
    for (const [index, task] of exercise.tasks.entries()) {
      const record = transcript.tasks[index];
      if (!record) throw new DoesNotFit(`the transcript has no run of "${task.name}"`);
      const regraded = regradeTask(task, index, record, transcript.seed);
      if ("notGradable" in regraded) return { kind: "regraded", result: { ...notGradableResult(exercise, transcript.seed, regraded.notGradable), ...recordedContext(transcript), ...where } };
      checks.push(...regraded.checks);
      notes.push(...regraded.notes);
      figures.push(...(regraded.figures ?? []));
    }
  } catch (error) {
    if (error instanceof DoesNotFit) return { kind: "refused", reason: `${error.message}: it needs a real regrade` };
    // Today's grader is at fault, not the recorded run: the recorded result stands until it is fixed.
    process.stderr.write(`bpflab: today's grader of ${exercise.id} failed on a recorded run (seed ${transcript.seed}): ${error instanceof Error ? error.stack : String(error)}\n`);
    return { kind: "refused", reason: `today's grader of ${exercise.id} failed on the recorded run (${error instanceof Error ? error.message.split("\n")[0] : String(error)}): fix it and regrade` };
  }
  const result = exerciseResult(exercise, {
    checks,
    notes,
    figures,
    review: transcript.review,
    seed: transcript.seed,
    ...recordedContext(transcript),
  });
  return { kind: "regraded", result: { ...result, ...where } };
}
