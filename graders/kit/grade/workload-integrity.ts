// Before any check reads a workload's records, the kit makes sure they are whole: a bpflab
// workload that exits 0 always ends its records with "done", numbered 0, 1, ... without a gap.
// Records missing from the pipe mean something else read it while the workload ran (a script's
// cat() of /proc/PID/fd/1): that run proves nothing, and it is the script's doing.
import { MissingRecordsError, parseRecords, RecordError, workloadNames, type WorkloadName } from "../../../fixtures/workloads/records.ts";
import type { WorkloadResult } from "../run/script-run.ts";

export type WorkloadProblem =
  /** The script interfered with the workload: the task's checks fail with this message. */
  | { blame: "script"; message: string }
  /** The workload itself failed: the exercise is not gradable. */
  | { blame: "machine"; message: string };

const isWorkloadName = (program: string): program is WorkloadName => (workloadNames as readonly string[]).includes(program);

function tampered(workload: WorkloadResult, what: string): WorkloadProblem {
  return {
    blame: "script",
    message: `the workload ${workload.label}'s record of what it did reached the grader incomplete (${what}): something read its standard output while it ran, such as cat() of /proc/PID/fd/1. A script may trace the workload, not read its files or pipes; this run cannot be checked.`,
  };
}

export function workloadProblem(workload: WorkloadResult): WorkloadProblem | undefined {
  if (!isWorkloadName(workload.program)) return undefined;
  let records;
  try {
    records = parseRecords(workload.stdout, workload.program);
  } catch (error) {
    if (error instanceof MissingRecordsError) return tampered(workload, error.message);
    if (error instanceof RecordError && workload.exit.kind === "exited" && workload.exit.code === 0) return tampered(workload, error.message);
    return { blame: "machine", message: `the workload ${workload.label} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const failure = records.find((record) => record.op === "error");
  if (failure) return { blame: "machine", message: `the workload ${workload.label} failed: ${failure.message}` };
  if (workload.exit.kind !== "exited" || workload.exit.code !== 0) {
    const how = workload.exit.kind === "signaled" ? `was killed by signal ${workload.exit.signal}` : workload.exit.kind === "exited" ? `exited with status ${workload.exit.code}` : "was lost";
    return { blame: "machine", message: `the workload ${workload.label} ${how}${workload.stderr.trim() ? `: ${workload.stderr.trim().split("\n")[0]}` : ""}` };
  }
  if (records.at(-1)?.op !== "done") return tampered(workload, `its last ${records.length === 0 ? "and only " : ""}record, "done", is missing`);
  return undefined;
}
