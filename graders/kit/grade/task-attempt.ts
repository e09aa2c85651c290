// One run of one task, as it happened: what the grader planned, what bpftrace listed and printed,
// and what the workloads recorded. It is everything the checks judge, so a transcript that keeps
// it can be judged again later without a lab machine (regrade).
import type { ScriptRun } from "../run/script-run.ts";
import type { WorkloadLaunch } from "../workloads/workload.ts";

/** The student's file as the grader read it. */
export type ScriptFile = { kind: "ok"; text: string; normalized: string[] } | { kind: "unusable"; message: string };

export interface TaskAttempt {
  /** 0 for the first run; a task run again after an inconclusive run counts up. */
  attempt: number;
  plan: unknown;
  args: string[];
  launches: WorkloadLaunch[];
  /** `bpftrace -l <script>`: its stdout when it succeeded, null when bpftrace refused the script. */
  probeListing: string | null;
  run: ScriptRun;
}

export interface TaskRecord {
  task: string;
  /** The student's file the task ran, relative to the exercise folder. */
  file: string;
  /** How bpftrace printed: text, or -f json. */
  output: "text" | "json";
  script: ScriptFile;
  /** Every run of the task, the one that was judged last. Empty when the file was unusable. */
  attempts: TaskAttempt[];
}
