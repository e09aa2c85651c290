// Judges one run of a task from what was recorded of it: no lab machine, nothing random. The
// live grade and a regrade from a transcript both come here, so they cannot disagree.
import type { PreparedTask, Task, TaskRecords, Verdict, Verdicts } from "../exercise.ts";
import { parseOutput, type BpftraceOutput } from "../evidence/output.ts";
import { plural } from "../evidence/lines.ts";
import { scriptProbesFromListing } from "../evidence/probes.ts";
import { scriptSource } from "../evidence/script-source.ts";
import { headOf, trimExcerpt } from "./excerpt.ts";
import type { CheckResult, Figure } from "./results.ts";
import { describeEnding, describeRejection } from "./run-problems.ts";
import type { TaskAttempt } from "./task-attempt.ts";
import { readWorkload } from "./workload-integrity.ts";

export type Judgement =
  | { kind: "judged"; checks: CheckResult[]; notes: string[]; figures?: Figure[] }
  /** The workloads did not bring about what the checks need: run the task again. */
  | { kind: "inconclusive"; reason: string }
  /** The workloads failed on their own: nobody's script is to blame. */
  | { kind: "not-gradable"; reason: string };

/** Every check of the task with its verdict; `fallbackExcerpt` stands in where a verdict has none. */
export function checkResults(task: Task, verdictOf: (id: string) => Verdict, fallbackExcerpt: readonly string[], note?: string): CheckResult[] {
  return task.checks.map((check) => {
    const verdict = verdictOf(check.id);
    const base = { id: check.id, task: task.name, name: check.name, points: verdict.ok ? check.points : 0, max: check.points, hidden: check.hidden };
    if (verdict.ok) return { ...base, ok: true, message: "", excerpt: [] };
    const message = note ? `${verdict.message} ${note}` : verdict.message;
    return { ...base, ok: false, message, excerpt: trimExcerpt(verdict.excerpt ?? fallbackExcerpt) };
  });
}

/** The same verdict for every check of a task: its script could not be run, or was refused. */
export function everyCheck(task: Task, verdict: Verdict, fallbackExcerpt: readonly string[] = []): CheckResult[] {
  return checkResults(task, () => verdict, fallbackExcerpt);
}

function missingVerdict(id: string): Verdict {
  throw new Error(`a grader gave no verdict for its check "${id}"`);
}

const unreadQuoteWidth = 80;

/**
 * A note for the checks when bpftrace printed lines bpflab could not read (a map print it cannot
 * parse, a JSON line of a type it does not know): what they held was not checked.
 */
export function describeUnread(output: BpftraceOutput): string | undefined {
  const [first, ...rest] = output.unread;
  if (first === undefined) return undefined;
  const quoted = first.length > unreadQuoteWidth ? `${first.slice(0, unreadQuoteWidth)}...` : first;
  const what = `bpflab could not read ${plural(rest.length + 1, "line")} of bpftrace's output; the checks did not see what ${rest.length === 0 ? "it holds" : "they hold"} (the first: "${quoted}", the run's transcript has all of them).`;
  const advice =
    output.format === "text"
      ? ` If your script printed ${rest.length === 0 ? "it" : "them"} with printf, do not start such lines like a map print ("@name:" or "@name[").`
      : " This bpftrace prints something bpflab does not know: tell your instructor.";
  return `(${what}${advice})`;
}

/** `script` is the text of the task's script as it ran. */
export function judgeAttempt(task: Task, prepared: PreparedTask, attempt: TaskAttempt, script: string): Judgement {
  const { run } = attempt;
  const rejection = describeRejection(run, task.script, script);
  if (rejection) return { kind: "judged", checks: everyCheck(task, rejection, headOf(run.stderr)), notes: [] };

  const byLabel: Record<string, readonly { op: string }[]> = {};
  for (const workload of run.workloads) {
    const definition = task.workloads[workload.label];
    if (!definition) throw new Error(`task ${task.name} ran a workload labelled ${workload.label}, which it does not define`);
    const reading = readWorkload(definition, workload);
    if (reading.kind === "records") {
      byLabel[workload.label] = reading.records;
      continue;
    }
    if (reading.problem.blame === "machine") return { kind: "not-gradable", reason: `${task.name}: ${reading.problem.message}` };
    return { kind: "judged", checks: everyCheck(task, { ok: false, message: reading.problem.message }, headOf(run.stdout)), notes: [] };
  }
  const records: TaskRecords = { byLabel };
  const inconclusive = prepared.inconclusive(records);
  if (inconclusive) return { kind: "inconclusive", reason: inconclusive };

  const output = parseOutput(run.stdout, task.output, { stderr: run.stderr, script });
  const evidence = { records, output, probes: scriptProbesFromListing(attempt.probeListing), script: scriptSource(script) };
  const verdicts: Verdicts = prepared.verify(evidence);
  const figures = prepared.figures(evidence);
  const problems = [describeEnding(run), describeUnread(output)].filter((note) => note !== undefined);
  return {
    kind: "judged",
    checks: checkResults(task, (id) => verdicts.get(id) ?? missingVerdict(id), headOf(run.stdout), problems.length > 0 ? problems.join(" ") : undefined),
    notes: problems.map((note) => `${task.script}: ${note}`),
    ...(figures.length > 0 ? { figures } : {}),
  };
}
