// Classes for report.html's tests, from what bpflab really recorded: six students graded on
// every exercise (fixtures/results/class-of-six: solutions and the wrong submissions of
// fixtures/submissions, `bpflab grade --out`), and two real lock-contention runs, from which
// the figure the lock-contention grader is to attach is built.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { lastJsonMap, parseJsonOutput } from "../../graders/kit/bpftrace/json-output.ts";
import { lockWaitsFigure } from "../../graders/kit/figures/lock-waits-figure.ts";
import { submissionResult, type HistogramFigure, type SubmissionResult } from "../../graders/kit/grade/results.ts";
import { readResultsFile } from "../../graders/kit/report/results-file.ts";
import { contender } from "../../graders/kit/workloads/contender.ts";
import { recordsOf } from "../../graders/kit/workloads/workload.ts";

const recordings = fileURLToPath(new URL("../../fixtures/results/", import.meta.url));

export async function classOfSix(): Promise<SubmissionResult[]> {
  return (await readResultsFile(join(recordings, "class-of-six"))).submissions;
}

/** The student's @long_block_times beside the kernel's waits over $1 on the contender's lock. */
export async function recordedLockWaits(run: "keeps-start-times" | "microseconds"): Promise<HistogramFigure> {
  const dir = join(recordings, "lock-contention", run);
  const plan = z.object({ thresholdUs: z.number() }).parse(JSON.parse(await readFile(join(dir, "plan.json"), "utf8")));
  const hist = lastJsonMap(parseJsonOutput(await readFile(join(dir, "bpftrace.jsonl"), "utf8")).events, "hist", "@long_block_times");
  const long = recordsOf(contender.parse(await readFile(join(dir, "contender.jsonl"), "utf8")), "contention").filter(
    (wait) => wait.duration_ns > plan.thresholdUs * 1000,
  );
  const perLock = new Map<string, number[]>();
  for (const wait of long) perLock.set(wait.lock, [...(perLock.get(wait.lock) ?? []), wait.duration_ns]);
  const [lock, waits] = [...perLock].sort((a, b) => b[1].length - a[1].length)[0] ?? ["0x0", []];
  const entry = hist?.entries.find((each) => each.keyParts.length === 1 && BigInt(each.keyParts[0] ?? "0") === BigInt(lock));
  return lockWaitsFigure({ lock, thresholdUs: plan.thresholdUs, student: entry?.value ?? [], kernelWaitsNs: waits });
}

const lostMachine = "vm: the lab machine stopped answering twice (agent silent for 30 s); the exercise was tried on a fresh machine and lost again";

/**
 * A class of any size dealt from the recorded exercise results: with `passing` 0.5, every
 * other exercise gets the best recorded result for it (as in a class where most students pass
 * most checks), the rest go round the recorded students so that neighbours differ; with 0,
 * every exercise goes round (a class in which a quarter of the checks fail). Every 40th
 * exercise is not gradable.
 */
export function generatedClass(recorded: readonly SubmissionResult[], students: number, passing: 0 | 0.5): SubmissionResult[] {
  const best = recorded[0]!.exercises.map((_, index) =>
    recorded.map((submission) => submission.exercises[index]!).reduce((top, each) => (each.score > top.score ? each : top)),
  );
  return Array.from({ length: students }, (_, student) => {
    const id = `student-${String(student + 1).padStart(4, "0")}`;
    const exercises = best.map((top, index) => {
      const serial = student * best.length + index;
      const source = passing > 0 && (student + index) % 2 === 0 ? top : recorded[(student * 5 + index * 7) % recorded.length]!.exercises[index]!;
      const copy = { ...structuredClone(source), seed: 100_000 + serial, transcript: `.bpflab/runs/${id}-${source.id}-2026-11-30T12-00-00Z` };
      if (serial % 40 !== 39) return copy;
      return { ...copy, score: 0, gradable: false, reason: lostMachine, checks: copy.checks.map((check) => ({ ...check, ok: false, points: 0, message: "", excerpt: [] })) };
    });
    return submissionResult(id, exercises);
  });
}
