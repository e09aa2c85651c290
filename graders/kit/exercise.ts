// How a grader describes an exercise: which scripts of the student's it runs, against which
// workloads, and which checks (with points) it applies to what happened. Everything that makes
// this happen lives in the rest of the kit.
import { z } from "zod";
import type { Random } from "./run/random.ts";
import type { ScriptRun, WorkloadLaunch } from "./run/script-run.ts";
import type { BpftraceOutput } from "./evidence/output.ts";
import type { ScriptProbe } from "./evidence/probes.ts";

/** A feature of the lab machine that an exercise cannot be graded without. */
export type Requirement = "fentry" | "kprobe" | `tracepoint:${string}:${string}`;

export type Verdict = { ok: true } | { ok: false; message: string; excerpt?: readonly string[] };

export const pass: Verdict = { ok: true };
export function fail(message: string, excerpt?: readonly string[]): Verdict {
  return excerpt === undefined ? { ok: false, message } : { ok: false, message, excerpt };
}

export type OutputFormat = BpftraceOutput["format"];

/** What the checks of a task see: the plan the workloads followed and everything that happened. */
export interface Evidence<Plan, Format extends OutputFormat = OutputFormat> {
  plan: Plan;
  /** The workloads' own records (stdout), by label (the program name unless set), as text: parse them with their schemas. */
  records: Record<string, string>;
  /** Parsed as the task's `output` says: `-f json` events or text. */
  output: Extract<BpftraceOutput, { format: Format }>;
  probes: readonly ScriptProbe[];
  run: ScriptRun;
}

export const checkMetaSchema = z.object({
  name: z.string().min(8),
  points: z.number().int().positive(),
  hidden: z.boolean().default(false),
});
export type CheckMeta = z.infer<typeof checkMetaSchema>;

export interface Check<Plan, Format extends OutputFormat = OutputFormat> {
  name: string;
  points: number;
  verify(evidence: Evidence<Plan, Format>): Verdict;
}

export interface TaskSpec<Plan, Format extends OutputFormat = OutputFormat> {
  /** Shown in reports when an exercise has several tasks. */
  name: string;
  /** The student's file, relative to the exercise folder. */
  script: string;
  output: Format;
  plan(random: Random): Plan;
  args?(plan: Plan): string[];
  workloads(plan: Plan): WorkloadLaunch[];
  /**
   * Why a run cannot judge the checks, when the workloads did not bring about what the checks
   * need (how long threads wait on a lock is up to the scheduler), or undefined when it can.
   * The kit then runs the task again with a new plan; after three such runs the exercise is
   * not gradable, never a zero.
   */
  inconclusive?(evidence: Pick<Evidence<Plan, Format>, "plan" | "records">): string | undefined;
  checks: Check<Plan, Format>[];
}

/** A task with its plan type sealed in: the kit runs it without knowing the plan's shape. */
export interface Task {
  name: string;
  script: string;
  output: "text" | "json";
  checks: readonly CheckMeta[];
  prepare(random: Random): PreparedTask;
}

export interface PreparedTask {
  args: string[];
  workloads: WorkloadLaunch[];
  plan: unknown;
  inconclusive(records: Record<string, string>): string | undefined;
  verify(evidence: Omit<Evidence<unknown>, "plan">): Verdict[];
}

function isFormat<Format extends OutputFormat>(
  output: BpftraceOutput,
  format: Format,
): output is Extract<BpftraceOutput, { format: Format }> {
  return output.format === format;
}

export function task<Plan, Format extends OutputFormat = OutputFormat>(spec: TaskSpec<Plan, Format>): Task {
  // Parsed whole, so that a `hidden` flag slipped in without types reaches the catalog, which
  // refuses it: hidden checks belong in graders/<id>.hidden.ts.
  const checks = spec.checks.map((check) => checkMetaSchema.parse({ ...check, verify: undefined }));
  return {
    name: spec.name,
    script: spec.script,
    output: spec.output,
    checks,
    prepare(random) {
      const plan = spec.plan(random);
      return {
        plan,
        args: spec.args?.(plan) ?? [],
        workloads: spec.workloads(plan),
        inconclusive: (records) => spec.inconclusive?.({ plan, records }),
        verify: ({ output, ...evidence }) => {
          if (!isFormat(output, spec.output)) throw new Error(`task ${spec.name} expects ${spec.output} output`);
          return spec.checks.map((check) => check.verify({ ...evidence, output, plan }));
        },
      };
    },
  };
}

/** A written answer the student submits with the scripts: shown to the instructor, never scored. */
export interface ReviewItem {
  /** The student's file, relative to the exercise folder. */
  file: string;
  question: string;
}

export interface Exercise {
  id: string;
  title: string;
  requires: readonly Requirement[];
  tasks: readonly Task[];
  review?: readonly ReviewItem[];
}

export function exercise(spec: Exercise): Exercise {
  z.string()
    .regex(/^[a-z][a-z0-9-]*$/)
    .parse(spec.id);
  if (spec.tasks.length === 0) throw new Error(`exercise ${spec.id} has no tasks`);
  return spec;
}
