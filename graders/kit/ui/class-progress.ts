// What an instructor sees while a class is graded: on a terminal, a live block with what each
// worker is doing (student, exercise, its machine booting) above which every graded exercise is
// printed with its score and the checks it failed; elsewhere (CI logs), the same as plain lines.
import ora, { type Ora } from "ora";
import type { Exercise } from "../exercise.ts";
import type { GradingEvents, Submission } from "../grade/grade-submissions.ts";
import type { ExerciseResult } from "../grade/results.ts";
import type { Progress } from "./progress.ts";

export interface ClassProgress extends GradingEvents {
  /** The progress a worker's lab provider reports through (booting, ...). */
  worker(number: number): Progress;
  finish(): void;
}

export function describeGraded(submission: Submission, result: ExerciseResult): string {
  const head = `${submission.id} ${result.id}`;
  if (!result.gradable) return `${head}: not gradable (${result.reason ?? "unknown reason"})`;
  const failed = result.checks.filter((check) => !check.ok).map((check) => check.name);
  return `${head}: ${result.score}/${result.max}${failed.length > 0 ? `, failed: ${failed.join("; ")}` : ""}`;
}

export function classProgress(stream: NodeJS.WriteStream = process.stderr): ClassProgress {
  return stream.isTTY ? liveClassProgress(stream) : plainClassProgress(stream);
}

export function plainClassProgress(stream: NodeJS.WritableStream): ClassProgress {
  const write = (text: string) => stream.write(`bpflab: ${text}\n`);
  return {
    worker: (number) => ({ step: (text) => write(`[worker ${number}] ${text}`), done: (text) => write(`[worker ${number}] ${text}`), fail: (text) => write(`[worker ${number}] ${text}`) }),
    started: (worker, submission, exercise) => write(`[worker ${worker}] grading ${submission.id} ${exercise.id}`),
    retrying: (worker, submission, exercise, why) => write(`[worker ${worker}] ${submission.id} ${exercise.id}: trying once more (${why})`),
    graded: (_, submission, result, { done, total }) => write(`[${done}/${total}] ${describeGraded(submission, result)}`),
    finish() {},
  };
}

function liveClassProgress(stream: NodeJS.WriteStream): ClassProgress {
  const doing = new Map<number, string>();
  let counts = "starting";
  let spinner: Ora | undefined;
  const render = () => {
    const lines = [`grading: ${counts}`, ...[...doing.entries()].sort(([a], [b]) => a - b).map(([worker, text]) => `  worker ${worker}: ${text}`)];
    if (spinner) spinner.text = lines.join("\n");
    else spinner = ora({ text: lines.join("\n"), stream }).start();
  };
  const persist = (symbol: "succeed" | "fail" | "warn", text: string) => {
    spinner?.stop();
    ora({ stream })[symbol](text);
    spinner = undefined;
    render();
  };
  return {
    worker: (number) => ({
      step: (text) => (doing.set(number, `${(doing.get(number) ?? "").split(" | ")[0]} | ${text}`), render()),
      done: (text) => (doing.set(number, `${(doing.get(number) ?? "").split(" | ")[0]} | ${text}`), render()),
      fail: (text) => persist("fail", `worker ${number}: ${text}`),
    }),
    started: (worker, submission: Submission, exercise: Exercise) => (doing.set(worker, `${submission.id} ${exercise.id}`), render()),
    retrying: (_worker, submission, exercise, why) => persist("warn", `${submission.id} ${exercise.id}: trying once more (${why})`),
    graded(worker, submission, result, { done, total }) {
      counts = `${done}/${total} exercises graded`;
      doing.delete(worker);
      const ok = result.gradable && result.score === result.max;
      persist(!result.gradable ? "warn" : ok ? "succeed" : "fail", describeGraded(submission, result));
    },
    finish() {
      spinner?.stop();
      spinner = undefined;
    },
  };
}
