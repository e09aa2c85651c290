// Hidden checks live in graders/<id>.hidden.ts, never inline in graders/<id>.ts: export-student
// leaves that whole file out, so nothing has to be cut out of a grader's source to keep them
// secret, and a student's copy cannot hold a trace of them. The catalog merges the file's checks
// into the exercise's tasks; they count in the instructor's reports and never reach students.
import { z } from "zod";
import { checkMetaSchema, type CheckMeta, type Evidence, type Exercise, type OutputFormat, type Task, type Verdict } from "./exercise.ts";

export interface HiddenCheck<Plan, Format extends OutputFormat> {
  name: string;
  points: number;
  verify(evidence: Evidence<Plan, Format>): Verdict;
}

/** What a `.hidden.ts` file exports: checks to add to one task of the exercise. */
export interface HiddenChecks {
  task: string;
  checks: readonly CheckMeta[];
  verify(plan: unknown, evidence: Omit<Evidence<unknown>, "plan">): Verdict[];
}

export interface HiddenChecksSpec<Plan, Format extends OutputFormat> {
  /** The name of the grader's task these checks judge. */
  task: string;
  output: Format;
  /**
   * The part of the task's plan these checks read. The plan's type is private to the grader,
   * so it is validated here: a grader that changes its plan breaks these checks loudly.
   */
  plan: z.ZodType<Plan>;
  checks: HiddenCheck<Plan, Format>[];
}

export function hiddenChecks<Plan, Format extends OutputFormat>(spec: HiddenChecksSpec<Plan, Format>): HiddenChecks {
  return {
    task: spec.task,
    checks: spec.checks.map((check) => checkMetaSchema.parse({ name: check.name, points: check.points, hidden: true })),
    verify(rawPlan, { output, ...evidence }) {
      const plan = spec.plan.parse(rawPlan);
      if (output.format !== spec.output) throw new Error(`hidden checks of ${spec.task} expect ${spec.output} output`);
      const typed = output as Extract<typeof output, { format: Format }>;
      return spec.checks.map((check) => check.verify({ ...evidence, output: typed, plan }));
    },
  };
}

const hiddenChecksSchema = z.object({
  task: z.string(),
  checks: z.array(checkMetaSchema),
  verify: z.custom<HiddenChecks["verify"]>((value) => typeof value === "function"),
});

/** A `.hidden.ts` module's default export: one HiddenChecks or a list of them. */
export const hiddenModuleSchema = z.union([hiddenChecksSchema, z.array(hiddenChecksSchema)]).transform((value) => (Array.isArray(value) ? value : [value]));

function withChecks(task: Task, hidden: readonly HiddenChecks[]): Task {
  if (hidden.length === 0) return task;
  return {
    ...task,
    // Verdicts are matched to checks by position: the task's own first, then the hidden ones.
    checks: [...task.checks, ...hidden.flatMap((entry) => entry.checks)],
    prepare(random) {
      const prepared = task.prepare(random);
      return {
        ...prepared,
        verify: (evidence) => [...prepared.verify(evidence), ...hidden.flatMap((entry) => entry.verify(prepared.plan, evidence))],
      };
    },
  };
}

export function withHiddenChecks(exercise: Exercise, hidden: readonly HiddenChecks[], source: string): Exercise {
  for (const entry of hidden) {
    if (!exercise.tasks.some((task) => task.name === entry.task)) {
      throw new Error(`${source} adds checks to task "${entry.task}", which exercise ${exercise.id} does not have`);
    }
  }
  const tasks = exercise.tasks.map((task) => withChecks(task, hidden.filter((entry) => entry.task === task.name)));
  for (const task of tasks) {
    const names = task.checks.map((check) => check.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated) throw new Error(`${source}: task "${task.name}" of ${exercise.id} has two checks named "${repeated}"`);
  }
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
