// Hidden checks live in graders/<id>.hidden.ts, never inline in graders/<id>.ts: export-student
// leaves that whole file out, so nothing has to be cut out of a grader's source to keep them
// secret, and a student's copy cannot hold a trace of them. The catalog merges the file's checks
// into the exercise's tasks; they count in the instructor's reports and never reach students.
import { z } from "zod";
import { checkMetaSchema, type Check, type CheckMeta, type Evidence, type Exercise, type OutputFormat, type Records, type Task, type TaskRecords, type Verdict, type Workloads, repeatedCheckId } from "./exercise.ts";

/** What a `.hidden.ts` file exports: checks to add to one task of the exercise. */
export interface HiddenChecks {
  task: string;
  checks: readonly CheckMeta[];
  /** The workloads these checks read, by label: the task must run the same programs under them. */
  workloads: Readonly<Record<string, { program: string }>>;
  verify(plan: unknown, evidence: Omit<Evidence<unknown, OutputFormat, TaskRecords>, "plan">): Array<[string, Verdict]>;
}

export interface HiddenChecksSpec<Plan, Format extends OutputFormat, W extends Workloads> {
  /** The name of the grader's task these checks judge. */
  task: string;
  output: Format;
  /**
   * The part of the task's plan these checks read. The plan's type is private to the grader,
   * so it is validated here: a grader that changes its plan breaks these checks loudly.
   */
  plan: z.ZodType<Plan>;
  workloads: W;
  checks: Check<Plan, Format, Records<W>>[];
}

export function hiddenChecks<Plan, Format extends OutputFormat, W extends Workloads>(spec: HiddenChecksSpec<Plan, Format, W>): HiddenChecks {
  return {
    task: spec.task,
    checks: spec.checks.map((check) => checkMetaSchema.parse({ id: check.id, name: check.name, points: check.points, hidden: true })),
    workloads: spec.workloads,
    verify(rawPlan, { output, records, probes, script }) {
      const plan = spec.plan.parse(rawPlan);
      if (output.format !== spec.output) throw new Error(`hidden checks of ${spec.task} expect ${spec.output} output`);
      const typed = output as Extract<typeof output, { format: Format }>;
      // withHiddenChecks made sure the task runs these workloads under these labels.
      const typedRecords = records.byLabel as unknown as Records<W>;
      return spec.checks.map((check) => [check.id, check.verify({ plan, output: typed, probes, script, records: typedRecords })]);
    },
  };
}

const hiddenChecksSchema = z.object({
  task: z.string(),
  checks: z.array(checkMetaSchema),
  workloads: z.record(z.string(), z.object({ program: z.string() }).loose()),
  verify: z.custom<HiddenChecks["verify"]>((value) => typeof value === "function"),
});

/** A `.hidden.ts` module's default export: one HiddenChecks or a list of them. */
export const hiddenModuleSchema = z.union([hiddenChecksSchema, z.array(hiddenChecksSchema)]).transform((value) => (Array.isArray(value) ? value : [value]));

function withChecks(task: Task, hidden: readonly HiddenChecks[]): Task {
  if (hidden.length === 0) return task;
  return {
    ...task,
    checks: [...task.checks, ...hidden.flatMap((entry) => entry.checks)],
    prepare(random) {
      const prepared = task.prepare(random);
      return {
        ...prepared,
        verify: (evidence) => new Map([...prepared.verify(evidence), ...hidden.flatMap((entry) => entry.verify(prepared.plan, evidence))]),
      };
    },
  };
}

export function withHiddenChecks(exercise: Exercise, hidden: readonly HiddenChecks[], source: string): Exercise {
  for (const entry of hidden) {
    const task = exercise.tasks.find((candidate) => candidate.name === entry.task);
    if (!task) throw new Error(`${source} adds checks to task "${entry.task}", which exercise ${exercise.id} does not have`);
    for (const [label, { program }] of Object.entries(entry.workloads)) {
      if (task.workloads[label]?.program !== program) throw new Error(`${source} reads the ${program} workload as "${label}", which task "${entry.task}" does not run`);
    }
  }
  const tasks = exercise.tasks.map((task) => withChecks(task, hidden.filter((entry) => entry.task === task.name)));
  const repeated = repeatedCheckId(tasks);
  if (repeated) throw new Error(`${source}: exercise ${exercise.id} has two checks with the id "${repeated}"`);
  return { ...exercise, tasks };
}

/** Inline hidden checks would ship to students with the grader: they belong in the .hidden.ts file. */
export function rejectInlineHidden(exercise: Exercise, source: string): void {
  for (const task of exercise.tasks) {
    const inline = task.checks.find((check) => check.hidden);
    if (inline) {
      throw new Error(
        `${source} declares the hidden check "${inline.name}" inline; move it to graders/${exercise.id}.hidden.ts (hiddenChecks(...)) so export-student leaves it out`,
      );
    }
  }
}
