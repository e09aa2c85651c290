// How a grader describes an exercise: which scripts of the student's it runs, against which
// workloads, and which checks (with points) it applies to what happened. Everything that makes
// this happen lives in the rest of the kit.
import { z } from "zod";
import type { Random } from "./run/random.ts";
import type { BpftraceOutput } from "./evidence/output.ts";
import type { ScriptProbe } from "./evidence/probes.ts";
import type { ScriptSource } from "./evidence/script-source.ts";
import type { AnyWorkload, PlanOf, RecordOf, WorkloadLaunch } from "./workloads/workload.ts";
import type { Requirement } from "./machine/requirements.ts";
import type { Figure } from "./grade/results.ts";

export type { Requirement } from "./machine/requirements.ts";

export type Verdict = { ok: true } | { ok: false; message: string; excerpt?: readonly string[] };

export const pass: Verdict = { ok: true };
export function fail(message: string, excerpt?: readonly string[]): Verdict {
  return excerpt === undefined ? { ok: false, message } : { ok: false, message, excerpt };
}

export type OutputFormat = BpftraceOutput["format"];

/** The workloads a task runs, by label: usually the program's own name. */
export type Workloads = Record<string, AnyWorkload>;
/** What each workload of a task recorded, parsed with its schema, by label. */
export type Records<W extends Workloads> = { readonly [Label in keyof W]: readonly RecordOf<W[Label]>[] };
type PlanInputs<W extends Workloads> = { [Label in keyof W]: PlanOf<W[Label]> };

/** What the checks of a task see: the plan, what the workloads did and what the script printed. */
export interface Evidence<Plan, Format extends OutputFormat = OutputFormat, R = Records<Workloads>> {
  plan: Plan;
  records: R;
  /** Parsed as the task's `output` says: `-f json` events or text. */
  output: Extract<BpftraceOutput, { format: Format }>;
  /** The script's probes as bpftrace resolved them (`bpftrace -l script`). */
  probes: readonly ScriptProbe[];
  /** The maps and printf formats of the script itself. */
  script: ScriptSource;
}

/** A check's id keys its verdict in every report and proof: short, stable, unique in its exercise. */
export const checkIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, "a check id is a short slug: lower-case letters, digits and dashes");

export const checkMetaSchema = z.object({
  id: checkIdSchema,
  name: z.string().min(8),
  points: z.number().int().positive(),
  hidden: z.boolean().default(false),
});
export type CheckMeta = z.infer<typeof checkMetaSchema>;

export interface Check<Plan, Format extends OutputFormat = OutputFormat, R = Records<Workloads>> {
  id: string;
  name: string;
  points: number;
  verify(evidence: Evidence<Plan, Format, R>): Verdict;
}

export interface TaskSpec<Plan, Format extends OutputFormat, W extends Workloads> {
  /** Shown in reports when an exercise has several tasks. */
  name: string;
  /** The student's file, relative to the exercise folder. */
  script: string;
  output: Format;
  plan(random: Random): Plan;
  args?(plan: Plan): string[];
  /** The workloads started once the probes are attached, by label. */
  workloads: W;
  /** Each workload's plan, by label. */
  launch(plan: Plan): PlanInputs<W>;
  /**
   * Why a run cannot judge the checks, when the workloads did not bring about what the checks
   * need (how long threads wait on a lock is up to the scheduler), or undefined when it can.
   * The kit then runs the task again with a new plan; after three such runs the exercise is
   * not gradable, never a zero.
   */
  inconclusive?(evidence: { plan: Plan; records: Records<W> }): string | undefined;
  checks: Check<Plan, Format, Records<W>>[];
  /** Pictures of what was traced beside what really happened, for the reports (optional). */
  figures?(evidence: Evidence<Plan, Format, Records<W>>): Figure[];
}

/** Records as the kit holds them between parsing and checking: typed again inside the task. */
export interface TaskRecords {
  readonly byLabel: Readonly<Record<string, readonly { op: string }[]>>;
}

/** Raw workload output, by label, as the run produced it. */
export type WorkloadOutputs = Readonly<Record<string, string>>;

/** Verdicts by check id. */
export type Verdicts = ReadonlyMap<string, Verdict>;

/** A task with its plan type sealed in: the kit runs it without knowing the plan's shape. */
export interface Task {
  name: string;
  script: string;
  output: OutputFormat;
  checks: readonly CheckMeta[];
  /** The workloads' definitions, by label: the kit parses their records. */
  workloads: Readonly<Record<string, AnyWorkload>>;
  prepare(random: Random): PreparedTask;
}

export interface PreparedTask {
  plan: unknown;
  args: string[];
  launches: WorkloadLaunch[];
  inconclusive(records: TaskRecords): string | undefined;
  verify(evidence: Omit<Evidence<unknown, OutputFormat, TaskRecords>, "plan">): Verdicts;
  figures(evidence: Omit<Evidence<unknown, OutputFormat, TaskRecords>, "plan">): Figure[];
}

function isFormat<Format extends OutputFormat>(output: BpftraceOutput, format: Format): output is Extract<BpftraceOutput, { format: Format }> {
  return output.format === format;
}

export function task<Plan, Format extends OutputFormat, W extends Workloads>(spec: TaskSpec<Plan, Format, W>): Task {
  // Parsed whole, so that a `hidden` flag slipped in without types reaches the catalog, which
  // refuses it: hidden checks belong in graders/<id>.hidden.ts.
  const checks = spec.checks.map((check) => checkMetaSchema.parse({ ...check, verify: undefined }));
  // The kit parsed each label's records with that label's own definition.
  const typed = (records: TaskRecords) => records.byLabel as unknown as Records<W>;
  return {
    name: spec.name,
    script: spec.script,
    output: spec.output,
    checks,
    workloads: spec.workloads,
    prepare(random) {
      const plan = spec.plan(random);
      const inputs = spec.launch(plan);
      return {
        plan,
        args: spec.args?.(plan) ?? [],
        launches: Object.entries(spec.workloads).map(([label, workload]) => workload.launch(inputs[label] as never, label)),
        inconclusive: (records) => spec.inconclusive?.({ plan, records: typed(records) }),
        verify: ({ output, probes, records, script }) => {
          if (!isFormat(output, spec.output)) throw new Error(`task ${spec.name} expects ${spec.output} output`);
          return new Map(spec.checks.map((check) => [check.id, check.verify({ plan, output, probes, script, records: typed(records) })]));
        },
        figures: ({ output, probes, records, script }) =>
          spec.figures && isFormat(output, spec.output) ? spec.figures({ plan, output, probes, script, records: typed(records) }) : [],
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

/** Two checks with one id would share a verdict in every report. */
export function repeatedCheckId(tasks: readonly Task[]): string | undefined {
  const ids = tasks.flatMap((task) => task.checks.map((check) => check.id));
  return ids.find((id, index) => ids.indexOf(id) !== index);
}

export function exercise(spec: Exercise): Exercise {
  z.string()
    .regex(/^[a-z][a-z0-9-]*$/)
    .parse(spec.id);
  if (spec.tasks.length === 0) throw new Error(`exercise ${spec.id} has no tasks`);
  const repeated = repeatedCheckId(spec.tasks);
  if (repeated) throw new Error(`exercise ${spec.id} has two checks with the id "${repeated}"`);
  return spec;
}
