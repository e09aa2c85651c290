// A workload, defined once: the program in the lab image (fixtures/workloads/<program>.c), the
// plan it reads on stdin (validated with the limits the program enforces, so that a bad plan
// fails in the grader and not as an error record in the machine), and the records it prints
// on stdout, one JSON object per line, numbered by "seq" and ending with {"op":"done"}.
import { z } from "zod";

export interface WorkloadLaunch {
  /** Program name in the lab image. */
  program: string;
  /** Sent on stdin, never on the command line, where a script could read it. */
  stdin: string;
  /** The key of its records in the evidence: a task that runs one program twice gives each a label. */
  label: string;
}

export interface Workload<Program extends string, PlanInput, Rec extends { op: string }> {
  readonly program: Program;
  /** Validates a plan and renders the stdin of one run. */
  launch(plan: PlanInput, label?: string): WorkloadLaunch;
  /** Parses stdout; throws a RecordError naming the first bad line, a MissingRecordsError on a gap in seq. */
  parse(stdout: string, firstSeq?: number): Rec[];
}

// Method parameters are bivariant, so every workload is an AnyWorkload.
export type AnyWorkload = Workload<string, never, { op: string }>;
export type RecordOf<W> = W extends Workload<string, never, infer Rec> ? Rec : never;
export type PlanOf<W> = W extends Workload<string, infer Plan, { op: string }> ? Plan : never;

export class RecordError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly line: string,
    problem: string,
  ) {
    const shown = line.length > 200 ? `${line.slice(0, 200)}...` : line;
    super(`workload record line ${lineNumber}: ${problem}: ${JSON.stringify(shown)}`);
    this.name = "RecordError";
  }
}

/** Records numbered out of turn: someone else read some of them from the workload's pipe. */
export class MissingRecordsError extends RecordError {}

/** A whole record, in its turn, that the workload's definition does not accept: bpflab's own mismatch. */
export class RecordSchemaError extends RecordError {}

function issues(error: z.ZodError, whole: string): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : whole}: ${issue.message}`).join("; ");
}

export function parseRecordLines<Rec>(stdout: string, schema: z.ZodType<Rec>, program: string, firstSeq = 0): Rec[] {
  const lines = stdout.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line, index) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new RecordError(index + 1, line, `not JSON (${(error as Error).message})`);
    }
    const { seq, ...record } = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : { seq: undefined };
    if (seq !== undefined && seq !== firstSeq + index) {
      throw new MissingRecordsError(index + 1, line, `record number ${String(seq)} comes where record ${firstSeq + index} belongs`);
    }
    const result = schema.safeParse(seq === undefined ? value : record);
    if (!result.success) throw new RecordSchemaError(index + 1, line, `not a valid ${program} record (${issues(result.error, "record")})`);
    return result.data;
  });
}

interface WorkloadSpec<Program extends string, PlanInput, Plan, Rec extends { op: string }> {
  program: Program;
  plan: z.ZodType<Plan, PlanInput>;
  /** The plan's directives, one per line, without the common "comm NAME" line. */
  render(plan: Plan): string[];
  records: z.ZodType<Rec>;
}

/** Every workload takes "comm NAME" first (applied before any action), when its plan has a comm. */
function commOf(plan: unknown): string | undefined {
  const comm = typeof plan === "object" && plan !== null && "comm" in plan ? plan.comm : undefined;
  return typeof comm === "string" ? comm : undefined;
}

export function defineWorkload<Program extends string, PlanInput, Plan, Rec extends { op: string }>(
  spec: WorkloadSpec<Program, PlanInput, Plan, Rec>,
): Workload<Program, PlanInput, Rec> {
  return {
    program: spec.program,
    launch(input, label = spec.program) {
      const result = spec.plan.safeParse(input);
      if (!result.success) throw new Error(`invalid ${spec.program} plan: ${issues(result.error, "plan")}`);
      const comm = commOf(result.data);
      const lines = [...(comm === undefined ? [] : [`comm ${comm}`]), ...spec.render(result.data)];
      return { program: spec.program, stdin: lines.map((line) => `${line}\n`).join(""), label };
    },
    parse: (stdout, firstSeq) => parseRecordLines(stdout, spec.records, spec.program, firstSeq),
  };
}

/** The records of one op, typed. */
export function recordsOf<R extends { op: string }, O extends R["op"]>(records: readonly R[], op: O): Extract<R, { op: O }>[] {
  return records.filter((record): record is Extract<R, { op: O }> => record.op === op);
}
