// Before any check reads a workload's records, the kit makes sure they are whole: a bpflab
// workload that exits 0 always ends its records with "done", numbered 0, 1, ... without a gap.
// Records missing from the pipe mean something else read it while the workload ran (a script's
// cat() of /proc/PID/fd/1): that run proves nothing, and it is the script's doing.
import type { WorkloadResult } from "../run/script-run.ts";
import { MissingRecordsError, RecordError, RecordSchemaError, type AnyWorkload } from "../workloads/workload.ts";

export type WorkloadProblem =
  /** The script interfered with the workload: the task's checks fail with this message. */
  | { blame: "script"; message: string }
  /** The workload itself failed: the exercise is not gradable. */
  | { blame: "machine"; message: string };

export type WorkloadReading = { kind: "records"; records: readonly { op: string }[] } | { kind: "problem"; problem: WorkloadProblem };

function tampered(workload: WorkloadResult, what: string): WorkloadReading {
  return {
    kind: "problem",
    problem: {
      blame: "script",
      message: `the workload ${workload.label}'s record of what it did reached the grader incomplete (${what}): something read its standard output while it ran, such as cat() of /proc/PID/fd/1. A script may trace the workload, not read its files or pipes; this run cannot be checked.`,
    },
  };
}

const machineFailure = (message: string): WorkloadReading => ({ kind: "problem", problem: { blame: "machine", message } });

/**
 * The workload's records, parsed with its definition, or what went wrong. A whole record that the
 * definition refuses is nobody's script's doing: bpflab's workload and its definition disagree
 * (or a transcript comes from another version of them); that throws, as a bug in bpflab.
 */
export function readWorkload(definition: AnyWorkload, workload: WorkloadResult): WorkloadReading {
  let records: { op: string }[];
  try {
    records = definition.parse(workload.stdout);
  } catch (error) {
    if (error instanceof MissingRecordsError) return tampered(workload, error.message);
    if (error instanceof RecordSchemaError) throw new Error(`the workload ${workload.label}'s records do not fit bpflab's definition of ${workload.program}: ${error.message}`);
    if (error instanceof RecordError && workload.exit.kind === "exited" && workload.exit.code === 0) return tampered(workload, error.message);
    return machineFailure(`the workload ${workload.label} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const failure = records.find((record): record is { op: "error"; message: string } => record.op === "error");
  if (failure) return machineFailure(`the workload ${workload.label} failed: ${failure.message}`);
  if (workload.exit.kind !== "exited" || workload.exit.code !== 0) {
    const how = workload.exit.kind === "signaled" ? `was killed by signal ${workload.exit.signal}` : workload.exit.kind === "exited" ? `exited with status ${workload.exit.code}` : "was lost";
    return machineFailure(`the workload ${workload.label} ${how}${workload.stderr.trim() ? `: ${workload.stderr.trim().split("\n")[0]}` : ""}`);
  }
  if (records.at(-1)?.op !== "done") return tampered(workload, `its last ${records.length === 0 ? "and only " : ""}record, "done", is missing`);
  return { kind: "records", records };
}
